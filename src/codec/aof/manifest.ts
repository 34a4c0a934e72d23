/**
 * The manifest of Redis 7.0's multi-part AOF (`appendonlydir/appendonly.aof.manifest`): parsing it
 * exactly as redis-server 7.0.15 does at startup, and writing it byte for byte as Redis writes it.
 *
 * Contract: pure. Input and output are bin strings (bytes.ts). `parseManifest` either returns the
 * manifest or throws an `AofManifestError` carrying Redis's own reason text and, where Redis names
 * it, the line number and the trimmed line; `manifestErrorLog` gives the exact log messages the
 * server prints before it exits(1). All rules below were observed on redis-server 7.0.15 with
 * hand-made manifests (test/codec/aof/capture.ts, fixtures/captures.json):
 * - The file is read in C `fgets` pieces of at most 1024 bytes. A piece starting with `#` is a
 *   comment (it counts as a line, and a longer comment's remainder is read as the next line).
 * - A piece without `\n` (the last line lacks its newline, the line is 1024 bytes or more, or a
 *   NUL byte hides the newline) is "too long"; Redis then names no line.
 * - A line is trimmed of space, \t, \r and \n and split like redis-cli input (sdssplitargs). Blank
 *   lines, unbalanced quotes, fewer than 6 or an odd number of tokens are "Invalid ... format".
 * - Keys `file`, `seq`, `type` are case-insensitive, the last of a repeated key wins, unknown pairs
 *   are ignored. `seq` is read with atoll (`1abc` is 1, `-1` is accepted, 0 or absent is invalid);
 *   `type` is its first byte (`base` is `b`, `B` is unknown). A name with `/` or `\` is a path. A
 *   name is a C string: an escaped NUL ends it.
 * - At most one base; incr sequence numbers strictly increase (starting above 0); history and base
 *   are not checked. Order in the file is free; Redis writes base, history, incr.
 * - An empty manifest is an error; a manifest of comments only is an empty manifest object.
 */
import { quoteLikeRedisCli } from '../cli-format.ts';
import { splitArgs } from '../split-args.ts';
import { cString, cStrtol, fgetsPiece } from './c-stdio.ts';

export type AofFileType = 'b' | 'h' | 'i';

/** One line of the manifest: a file of the AOF directory. */
export interface AofInfo {
  /** A bare file name (bin string), relative to the AOF directory. */
  readonly fileName: string;
  readonly seq: number;
  readonly type: AofFileType;
}

export interface AofManifest {
  readonly base: AofInfo | null;
  /** Files kept only until they are deleted; Redis lists the newest first. Never loaded. */
  readonly history: readonly AofInfo[];
  /** Loaded after the base, in this order. */
  readonly incr: readonly AofInfo[];
}

/** Redis's MANIFEST_MAX_LINE: a line and its `\n` must fit in this many bytes. */
export const MANIFEST_MAX_LINE = 1024;

/** The reasons Redis 7.0.15 gives for a manifest it refuses, verbatim. */
export const ManifestErrorReason = {
  empty: 'Found an empty AOF manifest',
  tooLongLine: 'The AOF manifest file contains too long line',
  invalidFormat: 'Invalid AOF manifest file format',
  notBaseName: "File can't be a path, just a filename",
  duplicateBase: 'Found duplicate base file information',
  nonMonotonic: 'Found a non-monotonic sequence number',
  unknownType: 'Unknown AOF file type',
} as const;
export type ManifestErrorReason = (typeof ManifestErrorReason)[keyof typeof ManifestErrorReason];

/** A manifest redis-server refuses at startup (it logs `manifestErrorLog(err)` and exits 1). */
export class AofManifestError extends Error {
  override name = 'AofManifestError';
  constructor(
    readonly reason: ManifestErrorReason,
    /** 1-based line number (comment lines count), or null where Redis names no line. */
    readonly line: number | null,
    /** The offending line after trimming, as Redis quotes it; null with `line`. */
    readonly lineText: string | null,
  ) {
    super(line === null ? reason : `line ${line}: ${reason}`);
  }
}

/**
 * The server log messages (level `#`, warning) for a refused manifest, each exactly as passed to
 * Redis's serverLog, which then prefixes `pid:M date # ` and appends a newline. Note the embedded
 * newlines: Redis's format strings end in `\n`, so the log shows blank lines between them.
 */
export function manifestErrorLog(error: AofManifestError): string[] {
  const out = ['\n*** FATAL AOF MANIFEST FILE ERROR ***\n'];
  if (error.line !== null) {
    out.push(`Reading the manifest file, at line ${error.line}\n`, `>>> '${error.lineText ?? ''}'\n`);
  }
  out.push(error.reason + '\n');
  return out;
}

function trimManifestLine(line: string): string {
  const isTrim = (c: number) => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
  let from = 0;
  let to = line.length;
  while (from < to && isTrim(line.charCodeAt(from))) from++;
  while (to > from && isTrim(line.charCodeAt(to - 1))) to--;
  return line.slice(from, to);
}

/** Parses a manifest as redis-server 7.0.15 does. Throws AofManifestError where Redis refuses it. */
export function parseManifest(text: string): AofManifest {
  let base: AofInfo | null = null;
  const history: AofInfo[] = [];
  const incr: AofInfo[] = [];
  let maxSeq = 0n;
  let lineNumber = 0;
  let pos = 0;
  while (pos < text.length) {
    const piece = fgetsPiece(text, pos, MANIFEST_MAX_LINE + 1);
    pos += piece.length;
    lineNumber++;
    if (piece.charCodeAt(0) === 0x23) continue; // '#'
    const visible = cString(piece);
    if (visible.indexOf('\n') < 0) throw new AofManifestError(ManifestErrorReason.tooLongLine, null, null);
    const line = trimManifestLine(visible);
    const fail = (reason: ManifestErrorReason): never => {
      throw new AofManifestError(reason, lineNumber, line);
    };
    if (line === '') fail(ManifestErrorReason.invalidFormat);
    const argv = splitArgs(line);
    if (argv === null || argv.length < 6 || argv.length % 2 !== 0) return fail(ManifestErrorReason.invalidFormat);

    let fileName: string | null = null;
    let seq = 0n;
    let typeByte = 0;
    for (let i = 0; i < argv.length; i += 2) {
      const key = argv[i]!.toLowerCase();
      const value = cString(argv[i + 1]!);
      if (key === 'file') {
        fileName = value;
        if (value.includes('/') || value.includes('\\')) fail(ManifestErrorReason.notBaseName);
      } else if (key === 'seq') {
        seq = cStrtol(value, 0).value; // atoll
      } else if (key === 'type') {
        typeByte = value.length > 0 ? value.charCodeAt(0) : 0;
      }
    }
    if (fileName === null || seq === 0n || typeByte === 0) return fail(ManifestErrorReason.invalidFormat);
    const info = (type: AofFileType): AofInfo => ({ fileName: fileName!, seq: Number(seq), type });
    if (typeByte === 0x62) { // 'b'
      if (base !== null) fail(ManifestErrorReason.duplicateBase);
      base = info('b');
    } else if (typeByte === 0x68) { // 'h'
      history.push(info('h'));
    } else if (typeByte === 0x69) { // 'i'
      if (seq <= maxSeq) fail(ManifestErrorReason.nonMonotonic);
      incr.push(info('i'));
      maxSeq = seq;
    } else {
      fail(ManifestErrorReason.unknownType);
    }
  }
  if (lineNumber === 0) throw new AofManifestError(ManifestErrorReason.empty, null, null);
  return { base, history, incr };
}

// Printable, and neither space, `"` nor `\`: the bytes sdsneedsrepr lets through unquoted.
const BARE_NAME = /^[\x21\x23-\x5b\x5d-\x7e]*$/;

/** One manifest line as Redis writes it: the name quoted (sdscatrepr) only when it needs it. */
export function formatManifestLine(info: AofInfo): string {
  const name = BARE_NAME.test(info.fileName) ? info.fileName : quoteLikeRedisCli(info.fileName);
  return `file ${name} seq ${info.seq} type ${info.type}\n`;
}

/** The manifest file Redis writes: the base, then the history entries, then the incr entries. */
export function formatManifest(manifest: AofManifest): string {
  let out = manifest.base === null ? '' : formatManifestLine(manifest.base);
  for (const info of manifest.history) out += formatManifestLine(info);
  for (const info of manifest.incr) out += formatManifestLine(info);
  return out;
}
