/**
 * `redis-check-aof` 7.0.15 as a pure function: what the real tool prints for a manifest and its
 * files or for one file, its exit code, and which file `--fix` cuts to which length.
 *
 * Contract: pure and total; the caller supplies the files (`readFile` returns a file's bytes, or
 * null when it does not exist). Nothing is written: `truncated` tells the caller what to cut.
 * The output equals the real tool's byte for byte in every case of test/codec/aof/fixtures/
 * captures.json, except where the tool prints uninitialised stack memory (see below).
 *
 * How the tool differs from the server's loader (all observed):
 * - It is stricter about layout: `*N` and `$len` must be followed by exactly `\r\n`, and so must
 *   each payload; a short read is reported with the byte counts. It is laxer elsewhere: `*0`,
 *   `*-1` and `*` alone are valid, unknown commands are not looked at.
 * - It tracks MULTI/EXEC by name: a nested MULTI or an EXEC without MULTI is an error, and so is
 *   EOF inside MULTI. `ok_up_to` stays at the open MULTI's start.
 * - Its line counter counts `\r\n`s consumed (annotations not included), starts at 1, and is never
 *   reset between the files of a manifest.
 * - `--fix` cuts the file at `ok_up_to`, dropping every valid command after the first error, and
 *   refuses on any file but the last. Given a manifest, only the base is checked for an RDB
 *   preamble; an incr file starting with `REDIS` is a "format error".
 * - "Expected \r\n, got: %02x%02x" prints C `char`s (a byte ≥ 0x80 shows as ffffffXX) and, when
 *   a count line ends early, reads past the string's NUL into what an earlier `*` line left in
 *   the same stack buffer; that is modelled, but after an RDB check the buffer holds garbage (the
 *   real tool once printed `0071` where this prints `0000`).
 * - The RDB preamble check is redis-check-rdb's output; this reproduces it for a valid RDB and a
 *   checksum mismatch, and only approximates it for other RDB errors.
 */
import { bytesToBin, binToBytes } from '../bytes.ts';
import { readRdb } from '../rdb/rdb-reader.ts';
import { RdbChecksumError, RdbDecodeError } from '../rdb/rdb-error.ts';
import type { RdbFile } from '../rdb/rdb-types.ts';
import { cString, cStrtol, fgetsPiece } from './c-stdio.ts';
import { AofManifestError, manifestErrorLog, MANIFEST_MAX_LINE, parseManifest, type AofManifest } from './manifest.ts';

export interface CheckAofOptions {
  /** `--fix`. */
  readonly fix?: boolean;
  /** What is typed at `Continue? [y/N]:` (default "y"). */
  readonly answer?: string;
  /** The clock for redis-check-rdb's "already expired" count (Unix ms; default 0). */
  readonly nowMs?: number;
  /** Printed before each log message of the manifest loader (the real tool: `pid:C date # `). */
  readonly logPrefix?: string;
}

/** The verdict on one file, as its "AOF analyzed" line states it. */
export interface CheckAofFileReport {
  readonly name: string;
  readonly size: number;
  readonly okUpTo: number;
  readonly okUpToLine: number;
  readonly diff: number;
  /** The error line without the trailing newline, or null. */
  readonly error: string | null;
}

export interface CheckAofResult {
  /** Everything the tool prints on stdout. */
  readonly stdout: string;
  readonly exitCode: 0 | 1;
  /** Files `--fix` cut (path as the tool opens it) and their new length. */
  readonly truncated: { readonly path: string; readonly length: number }[];
  readonly reports: CheckAofFileReport[];
}

export type ReadAofFile = (path: string) => Uint8Array | string | null;

/** Thrown inside the checker to model exit(). */
class Exit {
  constructor(readonly code: 0 | 1) {}
}

const LONG_MAX = 9223372036854775807n;

/** `%02x` of a C (signed) char. */
const charHex = (b: number): string => (b >= 0x80 ? 'ffffff' : '') + b.toString(16).padStart(2, '0');

const Result = { ok: 0, empty: 1, truncated: 2 } as const;
type SingleResult = (typeof Result)[keyof typeof Result];

class Checker {
  private out = '';
  private line = 1;
  private error = '';
  private epos = 0;
  /** The stack buffer of readLong when it reads a `*` line: 128 bytes, kept between calls. */
  private argcBuf = new Uint8Array(128);
  readonly truncated: { path: string; length: number }[] = [];
  readonly reports: CheckAofFileReport[] = [];

  constructor(
    private readonly options: CheckAofOptions,
    private readonly readFile: ReadAofFile,
  ) {}

  print(text: string): void {
    this.out += text;
  }

  result(code: 0 | 1): CheckAofResult {
    return { stdout: this.out, exitCode: code, truncated: this.truncated, reports: this.reports };
  }

  private setError(message: string): void {
    this.error = `0x${this.epos.toString(16).padStart(16, ' ')}: ${message}`;
  }

  private load(path: string, missing: string): string {
    if (path.endsWith('/')) {
      this.print(`Cannot open file ${path}: Is a directory${missing}\n`);
      throw new Exit(1);
    }
    const data = this.readFile(path);
    if (data === null) {
      this.print(`Cannot open file ${path}: No such file or directory${missing}\n`);
      throw new Exit(1);
    }
    return typeof data === 'string' ? data : bytesToBin(data);
  }

  /** The tool's check of one file; `name` is what it prints, `path` what it opens. */
  checkSingle(name: string, path: string, lastFile: boolean, preamble: boolean, rdbName: string): SingleResult {
    const bin = this.load(path, ', aborting...');
    const size = bin.length;
    if (size === 0) return Result.empty;
    let pos = 0;
    if (preamble) {
      const rdbLength = this.checkRdb(bin, rdbName);
      if (rdbLength < 0) {
        this.print('RDB preamble of AOF file is not sane, aborting.\n');
        throw new Exit(1);
      }
      this.print('RDB preamble is OK, proceeding with AOF tail...\n');
      pos = rdbLength;
      this.argcBuf.fill(0);
    }

    let eof = false;
    let multi = 0;
    let okUpTo = pos;

    /** fgets into a buffer of `bufSize`; sets eof when the piece ran into the end of the file. */
    const fgets = (bufSize: number): string | null => {
      if (pos >= size) {
        eof = true;
        return null;
      }
      const piece = fgetsPiece(bin, pos, bufSize);
      pos += piece.length;
      if (pos >= size && piece.charCodeAt(piece.length - 1) !== 0x0a && piece.length < bufSize - 1) eof = true;
      return piece;
    };

    const consumeNewline = (b0: number, b1: number): boolean => {
      if (b0 !== 0x0d || b1 !== 0x0a) {
        this.setError(`Expected \\r\\n, got: ${charHex(b0)}${charHex(b1)}`);
        return false;
      }
      this.line++;
      return true;
    };

    const readLong = (prefix: '*' | '$'): bigint | null => {
      this.epos = pos;
      const piece = fgets(128);
      if (piece === null) return null;
      // The C buffer: the piece, its NUL, then whatever an earlier `*` line left behind.
      const at = (k: number): number => {
        if (k < piece.length) return piece.charCodeAt(k);
        if (k === piece.length || prefix === '$') return 0;
        return this.argcBuf[k] ?? 0;
      };
      if (prefix === '*') {
        for (let k = 0; k < piece.length; k++) this.argcBuf[k] = piece.charCodeAt(k);
        this.argcBuf[piece.length] = 0;
      }
      if (piece.charCodeAt(0) !== prefix.charCodeAt(0)) {
        this.setError(`Expected prefix '${prefix}', got: '${piece[0]}'`);
        return null;
      }
      const visible = cString(piece);
      const parsed = cStrtol(visible, 1);
      const e = parsed.end;
      return consumeNewline(at(e), at(e + 1)) ? parsed.value : null;
    };

    const readString = (): string | null => {
      const len = readLong('$');
      if (len === null) return null;
      if (len < 0n || len > LONG_MAX - 2n) {
        this.setError(`Expected to read string of ${len} bytes, which is not in the suitable range`);
        return null;
      }
      const want = len + 2n;
      this.epos = pos;
      const available = BigInt(size - pos);
      if (want > available) {
        pos = size;
        eof = true;
        this.setError(`Expected to read ${want} bytes, got ${available} bytes`);
        return null;
      }
      const n = Number(len);
      const payload = bin.slice(pos, pos + n);
      const b0 = bin.charCodeAt(pos + n);
      const b1 = bin.charCodeAt(pos + n + 1);
      pos += n + 2;
      return consumeNewline(b0, b1) ? payload : null;
    };

    const processResp = (): boolean => {
      const argc = readLong('*');
      if (argc === null) return false;
      for (let i = 0n; i < argc; i++) {
        const arg = readString();
        if (arg === null) return false;
        if (i === 0n) {
          const command = cString(arg).toLowerCase();
          if (command === 'multi') {
            if (multi++ !== 0) {
              this.setError(`Unexpected MULTI in AOF ${path}`);
              return false;
            }
          } else if (command === 'exec') {
            if (--multi !== 0) {
              this.setError(`Unexpected EXEC in AOF ${path}`);
              return false;
            }
          }
        }
      }
      return true;
    };

    for (;;) {
      if (multi === 0) okUpTo = pos;
      if (pos >= size) {
        eof = true;
        break;
      }
      const c = bin.charCodeAt(pos);
      if (c === 0x23) { // '#': an annotation, skipped without counting lines
        this.epos = pos;
        fgets(MANIFEST_MAX_LINE);
      } else if (c === 0x2a) {
        if (!processResp()) break;
      } else {
        this.print(`AOF ${name} format error\n`);
        break;
      }
    }
    if (eof && multi !== 0 && this.error === '') this.setError('Reached EOF before reading EXEC for MULTI');
    if (this.error !== '') this.print(this.error + '\n');

    const diff = size - okUpTo;
    this.print(`AOF analyzed: filename=${name}, size=${size}, ok_up_to=${okUpTo}, ok_up_to_line=${this.line}, diff=${diff}\n`);
    this.reports.push({ name, size, okUpTo, okUpToLine: this.line, diff, error: this.error === '' ? null : this.error });
    if (diff <= 0) return Result.ok;
    if (!this.options.fix) {
      this.print(`AOF ${name} is not valid. Use the --fix option to try fixing it.\n`);
      throw new Exit(1);
    }
    if (!lastFile) {
      this.print(`Failed to truncate AOF ${name} because it is not the last file\n`);
      throw new Exit(1);
    }
    this.print(`This will shrink the AOF ${name} from ${size} bytes, with ${diff} bytes, to ${okUpTo} bytes\n`);
    this.print('Continue? [y/N]: ');
    const answer = this.options.answer ?? 'y';
    if (answer[0] !== 'y' && answer[0] !== 'Y') {
      this.print('Aborting...\n');
      throw new Exit(1);
    }
    this.truncated.push({ path, length: okUpTo });
    return Result.truncated;
  }

  /** redis-check-rdb on the file's RDB; returns the RDB's length, or -1 when it is not sane. */
  private checkRdb(bin: string, name: string): number {
    this.print(`[offset 0] Checking RDB file ${name}\n`);
    const bytes = binToBytes(bin);
    let rdb: RdbFile;
    let crcError = false;
    try {
      rdb = readRdb(bytes);
    } catch (e) {
      if (!(e instanceof RdbChecksumError)) {
        const error = e instanceof RdbDecodeError ? e : new RdbDecodeError(0, String(e));
        this.print(`--- RDB ERROR DETECTED ---\n[offset ${error.offset}] ${error.reason}\n`);
        this.printRdbInfo(null);
        return -1;
      }
      rdb = readRdb(bytes, { verifyChecksum: false });
      crcError = true;
    }
    for (const region of rdb.regions) {
      const end = region.offset + region.length;
      if (region.kind === 'aux') this.print(`[offset ${end}] AUX FIELD ${region.detail['key']} = '${region.detail['value']}'\n`);
      else if (region.kind === 'selectdb') this.print(`[offset ${end}] Selecting DB ID ${region.detail['db']}\n`);
    }
    if (crcError) {
      this.print(`--- RDB ERROR DETECTED ---\n[offset ${rdb.length}] RDB CRC error\n[additional info] While doing: check-sum\n`);
      this.printRdbInfo(rdb);
      return -1;
    }
    if (rdb.checksum !== null && rdb.checksum.status === 'ok') this.print(`[offset ${rdb.length}] Checksum OK\n`);
    this.print(`[offset ${rdb.length}] \\o/ RDB looks OK! \\o/\n`);
    this.printRdbInfo(rdb);
    return rdb.length;
  }

  private printRdbInfo(rdb: RdbFile | null): void {
    let keys = 0;
    let expires = 0;
    let expired = 0;
    const now = this.options.nowMs ?? 0;
    for (const db of rdb?.dbs ?? []) {
      for (const entry of db.entries) {
        keys++;
        if (entry.expireAtMs !== undefined) {
          expires++;
          if (entry.expireAtMs < now) expired++;
        }
      }
    }
    this.print(`[info] ${keys} keys read\n[info] ${expires} expires\n[info] ${expired} already expired\n`);
  }

  /** The multi-part check of a manifest and the files it lists. */
  checkManifest(manifestText: string, dir: string): void {
    this.print('Start checking Multi Part AOF\n');
    let manifest: AofManifest;
    try {
      manifest = parseManifest(manifestText);
    } catch (e) {
      if (!(e instanceof AofManifestError)) throw e;
      const prefix = this.options.logPrefix ?? '1:C 01 Jan 1970 00:00:00.000 # ';
      for (const message of manifestErrorLog(e)) this.print(prefix + message + '\n');
      throw new Exit(1);
    }
    const total = (manifest.base ? 1 : 0) + manifest.incr.length;
    let done = 0;
    if (manifest.base) {
      const name = manifest.base.fileName;
      const path = `${dir}/${name}`;
      // The tool peeks at the first bytes; a directory opens (and is refused just after).
      const preamble = path.endsWith('/') ? false : this.load(path, '').startsWith('REDIS');
      this.print(`Start to check BASE AOF (${preamble ? 'RDB' : 'RESP'} format).\n`);
      const r = this.checkSingle(name, path, ++done === total, preamble, name);
      this.print(r === Result.ok ? `BASE AOF ${name} is valid\n` : r === Result.empty ? `BASE AOF ${name} is empty\n` : `Successfully truncated AOF ${name}\n`);
    }
    if (manifest.incr.length > 0) {
      this.print('Start to check INCR files.\n');
      for (const info of manifest.incr) {
        const name = info.fileName;
        const r = this.checkSingle(name, `${dir}/${name}`, ++done === total, false, name);
        this.print(r === Result.ok ? `INCR AOF ${name} is valid\n` : r === Result.empty ? `INCR AOF ${name} is empty\n` : `Successfully truncated AOF ${name}\n`);
      }
    }
    this.print('All AOF files and manifest are valid\n');
  }

  /** The check of a file that is not a manifest (an old single-file AOF, or one part on its own). */
  checkOldStyle(path: string, preamble: boolean): void {
    this.print('Start checking Old-Style AOF\n');
    const r = this.checkSingle(path, path, true, preamble, path);
    this.print(r === Result.ok ? `AOF ${path} is valid\n` : r === Result.empty ? `AOF ${path} is empty\n` : `Successfully truncated AOF ${path}\n`);
  }
}

/** The tool's test for a manifest: some line that is not a comment starts with `file`. */
export function looksLikeManifest(bin: string): boolean {
  let pos = 0;
  while (pos < bin.length) {
    const piece = fgetsPiece(bin, pos, MANIFEST_MAX_LINE + 1);
    pos += piece.length;
    if (piece.charCodeAt(0) !== 0x23 && piece.startsWith('file')) return true;
  }
  return false;
}

function dirname(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  if (slash < 0) return '.';
  return slash === 0 ? '/' : trimmed.slice(0, slash);
}

/**
 * `redis-check-aof [--fix] <path>`: a manifest (recognised by its content) is checked with the
 * files it lists, looked up next to it; any other file is checked alone ("Old-Style").
 */
export function redisCheckAof(path: string, readFile: ReadAofFile, options: CheckAofOptions = {}): CheckAofResult {
  const checker = new Checker(options, readFile);
  try {
    const data = readFile(path);
    if (data === null) {
      checker.print(`Cannot open file ${path}: No such file or directory, aborting...\n`);
      return checker.result(1);
    }
    const bin = typeof data === 'string' ? data : bytesToBin(data);
    if (bin.length > 0 && looksLikeManifest(bin)) checker.checkManifest(bin, dirname(path));
    else checker.checkOldStyle(path, bin.startsWith('REDIS'));
    return checker.result(0);
  } catch (e) {
    if (e instanceof Exit) return checker.result(e.code);
    throw e;
  }
}
