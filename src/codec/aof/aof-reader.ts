/**
 * Reads one AOF file (a RESP `.base.aof`, an `.incr.aof`, an RDB base, or an old single-file AOF
 * that may start with an RDB preamble) into its commands, and classifies how it ends exactly as
 * redis-server 7.0.15's loader does.
 *
 * Contract: pure and total. `readAof` never throws: whatever the bytes, it returns the commands it
 * could read and an `end` saying what Redis does with the file; every failure names its byte
 * offset and a reason (an `AofDecodeError`, or the `RdbDecodeError` of a bad preamble). Work is
 * linear in the input; no length read from the file is trusted before it is checked against the
 * bytes that are left.
 *
 * The loader's rules, observed with crafted files (test/codec/aof/capture.ts, captures.json):
 * - A file starting with `REDIS` is an RDB (preamble) first; the RESP tail follows its checksum.
 * - Lines are read with C `fgets` into a 1024-byte buffer (at most 1023 bytes at a time). A line
 *   starting with `#` is an annotation and is skipped; the remainder of a longer one is read as the
 *   next line. Anything else that does not start with `*` is a bad format.
 * - `*N`: N is read with atoi (leading spaces, a sign and trailing junk are allowed; a value beyond
 *   int wraps to its low 32 bits); N < 1 is a bad format. `*` followed by a NUL byte is a read
 *   error, or a short read at the end of the file.
 * - `$len`: len is read with strtol, unchecked (`$x` is 0); a line not starting with `$` is a bad
 *   format; a negative length crashes Redis (it aborts on the allocation). The payload is read
 *   blind, then the 2 bytes after it are skipped without being looked at.
 * - Running out of bytes anywhere inside a command is a short read: the file is "truncated" and,
 *   with aof-load-truncated, cut at the end of the last complete command (offset 0 if none, even
 *   after an RDB preamble). Redis does not revert an open MULTI in that case.
 * - Clean end of file inside MULTI (no EXEC yet): "Revert incomplete MULTI/EXEC transaction", and
 *   the file is treated as truncated at the offset where the last MULTI started (a nested MULTI
 *   read while queuing moves that point too). In MULTI, every command except EXEC is queued
 *   (DISCARD and MULTI too), so only EXEC ends the block.
 * - An unknown command is fatal; it needs the command table, so the caller passes `isKnownCommand`.
 */
import { binToBytes } from '../bytes.ts';
import { readRdb } from '../rdb/rdb-reader.ts';
import { RdbDecodeError } from '../rdb/rdb-error.ts';
import type { RdbFile } from '../rdb/rdb-types.ts';
import { AofItem, AofScanner } from './aof-scanner.ts';

export { AOF_LINE_BUFFER } from './aof-scanner.ts';

/** A byte offset in an AOF file and what is wrong there. */
export class AofDecodeError extends Error {
  override name = 'AofDecodeError';
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`offset 0x${offset.toString(16)} (${offset}): ${reason}`);
  }
}

/** One complete command of the file. */
export interface AofCommand {
  /** Bin strings, as the loader passes them to the command. */
  readonly argv: string[];
  /** Offset of its `*` line. */
  readonly offset: number;
  /** Bytes from `*` to the end of its last argument's two trailing bytes. */
  readonly length: number;
}

/** A `#` line the loader skipped (`#TS:<unix>` timestamps, in practice). */
export interface AofAnnotation {
  readonly offset: number;
  /** The line as fgets read it, terminator included. */
  readonly text: string;
}

/** How the loader finishes the file. */
export type AofEnd =
  /** Read to the end. */
  | { readonly kind: 'complete' }
  /**
   * Redis calls this an unexpected end of file. With aof-load-truncated yes (the default) and this
   * being the last file, it logs AofLoadLog.shortRead/truncating/loadedAnyway, cuts the file at
   * `validUpTo` and goes on; otherwise AofLoadLog.unexpectedEof (or truncatedNotLast) and exit 1.
   */
  | {
      readonly kind: 'truncated';
      /** Where the file is cut: the end of the last complete command, or the last MULTI's start. */
      readonly validUpTo: number;
      /** The file ended cleanly inside MULTI: Redis first logs AofLoadLog.revertMulti. */
      readonly revertedMulti: boolean;
      /** Offset of the incomplete command (or of the reverted MULTI). */
      readonly offset: number;
      readonly reason: string;
    }
  /** Bad file format in the middle: AofLoadLog.badFormat and exit 1, whatever aof-load-truncated says. */
  | { readonly kind: 'bad-format'; readonly error: AofDecodeError }
  /** `*` then a NUL byte before the end: AofLoadLog.unrecoverable and exit 1. */
  | { readonly kind: 'read-error'; readonly error: AofDecodeError }
  /** `isKnownCommand` said no: AofLoadLog.unknownCommand(name) and exit 1. */
  | { readonly kind: 'unknown-command'; readonly name: string; readonly error: AofDecodeError }
  /** A negative bulk length: redis-server 7.0.15 aborts (AofLoadLog.crashed). */
  | { readonly kind: 'crash'; readonly error: AofDecodeError }
  /** The RDB preamble does not load: Redis logs its RDB error and exits 1. */
  | { readonly kind: 'rdb-error'; readonly error: RdbDecodeError };

export interface AofReadResult {
  /** The RDB the file starts with (its `length` is the preamble's byte length), or null. */
  readonly preamble: RdbFile | null;
  /** Every complete command in file order, up to where the loader stopped. */
  readonly commands: AofCommand[];
  readonly annotations: AofAnnotation[];
  /**
   * Index in `commands` of the MULTI whose block was still open where reading stopped, or -1.
   * Redis never executes that block (it has no EXEC), also when the end is a plain short read.
   */
  readonly openMulti: number;
  readonly end: AofEnd;
}

export interface AofReadOptions {
  /**
   * The command table check Redis makes before running each command. It gets the command's name
   * and, when there is one, its first argument (all a container command needs to check its
   * subcommand); readAof passes the whole argv. Omitted: every command is known.
   */
  readonly isKnownCommand?: (argv: readonly string[]) => boolean;
}

/**
 * What scanAof finds in a file: readAof's result without the commands' arguments, which the
 * caller decodes as it replays them (AofScanner from `tailOffset`).
 */
export interface AofScanResult extends Omit<AofReadResult, 'commands'> {
  /** How many complete commands the loader read. */
  readonly commandCount: number;
  /** Where the RESP commands start: after the RDB preamble, if any. */
  readonly tailOffset: number;
}

const REDIS_MAGIC = [0x52, 0x45, 0x44, 0x49, 0x53]; // "REDIS"

/** Reads an AOF file (bytes, or a bin string) the way redis-server 7.0.15 loads it. */
export function readAof(input: Uint8Array | string, options: AofReadOptions = {}): AofReadResult {
  const commands: AofCommand[] = [];
  const { preamble, annotations, openMulti, end } = scan(typeof input === 'string' ? binToBytes(input) : input, options, commands);
  return { preamble, commands, annotations, openMulti, end };
}

/**
 * readAof for a loader that replays the file itself: the same verdict on the same bytes, but no
 * command's arguments are decoded or kept (a 1,000,000-command file costs one pass over its bytes).
 */
export function scanAof(bytes: Uint8Array, options: AofReadOptions = {}): AofScanResult {
  return scan(bytes, options, null);
}

/** The loader's walk over a file; `keep` collects the commands with their decoded arguments. */
function scan(bytes: Uint8Array, options: AofReadOptions, keep: AofCommand[] | null): AofScanResult {
  const annotations: AofAnnotation[] = [];
  let preamble: RdbFile | null = null;
  let pos = 0;

  if (bytes.length >= REDIS_MAGIC.length && REDIS_MAGIC.every((byte, i) => bytes[i] === byte)) {
    try {
      preamble = readRdb(bytes);
    } catch (e) {
      const error = e instanceof RdbDecodeError ? e : new RdbDecodeError(0, String(e));
      return { preamble: null, commandCount: 0, tailOffset: 0, annotations, openMulti: -1, end: { kind: 'rdb-error', error } };
    }
    pos = preamble.length;
  }

  const tailOffset = pos;
  const isKnown = options.isKnownCommand;
  const scanner = new AofScanner(bytes, pos);
  let count = 0;
  let validUpTo = 0;
  let validBeforeMulti = 0;
  let openMulti = -1;
  let multiStart = 0;

  const done = (end: AofEnd): AofScanResult => ({ preamble, commandCount: count, tailOffset, annotations, openMulti, end });

  for (;;) {
    const item = scanner.next();
    if (item === AofItem.end) break;
    if (item === AofItem.annotation) {
      annotations.push({ offset: scanner.start, text: scanner.text() });
      continue;
    }
    if (item === AofItem.shortRead) {
      return done({ kind: 'truncated', validUpTo, revertedMulti: false, offset: scanner.failOffset, reason: scanner.failReason });
    }
    if (item !== AofItem.command) {
      const error = new AofDecodeError(scanner.failOffset, scanner.failReason);
      return done(item === AofItem.badFormat ? { kind: 'bad-format', error } : item === AofItem.readError ? { kind: 'read-error', error } : { kind: 'crash', error });
    }
    const start = scanner.start;
    if (keep !== null) {
      const argv = scanner.argv();
      if (isKnown !== undefined && !isKnown(argv)) return unknownCommand(argv[0]!, start, done);
      keep.push({ argv, offset: start, length: scanner.pos - start });
    } else if (isKnown !== undefined) {
      const head = scanner.argc === 1 ? [scanner.name()] : [scanner.name(), scanner.arg(1)];
      if (!isKnown(head)) return unknownCommand(head[0]!, start, done);
    }
    count++;
    if (scanner.nameIs('multi')) {
      validBeforeMulti = validUpTo;
      multiStart = start;
      if (openMulti < 0) openMulti = count - 1;
    } else if (openMulti >= 0 && scanner.nameIs('exec')) {
      openMulti = -1;
    }
    validUpTo = scanner.pos;
  }

  if (openMulti >= 0) {
    return done({
      kind: 'truncated',
      validUpTo: validBeforeMulti,
      revertedMulti: true,
      offset: multiStart,
      reason: 'the file ends inside MULTI (no EXEC)',
    });
  }
  return done({ kind: 'complete' });
}

function unknownCommand(name: string, offset: number, done: (end: AofEnd) => AofScanResult): AofScanResult {
  return done({ kind: 'unknown-command', name, error: new AofDecodeError(offset, `unknown command '${name}'`) });
}


// ---------------------------------------------------------------------------------------------
// The loader's log lines

/**
 * redis-server 7.0.15's log messages around AOF loading, verbatim (`%s` filled in). Each is the
 * message serverLog receives: the engine prints `pid:M DD Mon YYYY HH:MM:SS.mmm <level> <message>`.
 * Level `#` is warning, `*` notice.
 */
export const AofLoadLog = {
  shortRead: (file: string) => ({ level: '#', text: `!!! Warning: short read while loading the AOF file ${file}!!!` }),
  truncating: (file: string, offset: number) => ({ level: '#', text: `!!! Truncating the AOF ${file} at offset ${offset} !!!` }),
  loadedAnyway: (file: string) => ({ level: '#', text: `AOF ${file} loaded anyway because aof-load-truncated is enabled` }),
  revertMulti: (file: string) => ({ level: '#', text: `Revert incomplete MULTI/EXEC transaction in AOF file ${file}` }),
  unexpectedEof: (file: string) => ({
    level: '#',
    text: `Unexpected end of file reading the append only file ${file}. You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.`,
  }),
  badFormat: (file: string) => ({
    level: '#',
    text: `Bad file format reading the append only file ${file}: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>`,
  }),
  unknownCommand: (name: string, file: string) => ({ level: '#', text: `Unknown command '${name}' reading the append only file ${file}` }),
  truncatedNotLast: () => ({ level: '#', text: 'Fatal error: the truncated file is not the last file' }),
  /** For `read-error`; Redis prints strerror(errno) of a stale errno: observed "No such file or directory". */
  unrecoverable: (file: string, error = 'No such file or directory') => ({ level: '#', text: `Unrecoverable error reading the append only file ${file}: ${error}` }),
  unableToStat: (file: string, error = 'No such file or directory') => ({ level: '#', text: `Unable to obtain the AOF file ${file} length. stat: ${error}` }),
  /** Before an RDB base or preamble: the preamble wording when the file's name is `appendfilename` (an old-style file). */
  readingRdbBase: () => ({ level: '*', text: 'Reading RDB base file on AOF loading...' }),
  readingRdbPreamble: () => ({ level: '*', text: 'Reading RDB preamble from AOF file...' }),
  /** Only with the preamble wording, after the RDB. */
  readingTail: () => ({ level: '*', text: 'Reading the remaining AOF tail...' }),
  loadedFromBase: (file: string, seconds: number) => ({ level: '*', text: `DB loaded from base file ${file}: ${seconds.toFixed(3)} seconds` }),
  loadedFromIncr: (file: string, seconds: number) => ({ level: '*', text: `DB loaded from incr file ${file}: ${seconds.toFixed(3)} seconds` }),
  loadedFromAof: (seconds: number) => ({ level: '*', text: `DB loaded from append only file: ${seconds.toFixed(3)} seconds` }),
  migrated: (file: string, dir: string) => ({ level: '*', text: `Successfully migrated an old-style AOF file (${file}) into the AOF directory (${dir}).` }),
  /**
   * A command that replies with an error while loading (Redis goes on). `error` is the text the
   * command passed: an `ERR …` error without its `ERR ` prefix (`DB index is out of range`), a
   * shared error with its dash (`-WRONGTYPE Operation against a key holding the wrong kind of
   * value`); `command` is the table name in lower case (for a queued command, `exec`).
   */
  commandError: (error: string, command: string) => ({
    level: '#',
    text: `== CRITICAL == This server is sending an error to its AOF-loading-client: '${error}' after processing the command '${command}'`,
  }),
  /** A negative bulk length: the first line of the crash report (the rest is a stack dump). */
  crashed: () => ({ level: '#', text: 'Redis 7.0.15 crashed by signal: 6, si_code: -6' }),
  /** A bad RDB base: after the RDB loader's own line (`Wrong RDB checksum …` / `Short read or OOM …`). */
  rdbCrcError: () => ({ level: '#', text: 'Internal error in RDB reading offset 0, function at rdb.c:3217 -> RDB CRC error' }),
  rdbUnexpectedEof: () => ({ level: '#', text: 'Internal error in RDB reading offset 0, function at rdb.c:3241 -> Unexpected EOF reading RDB file' }),
} as const;

export interface AofLogLine {
  readonly level: string;
  readonly text: string;
}

/** What the loader does with one file's end, given aof-load-truncated and whether it is the last file. */
export interface AofLoadOutcome {
  /** The lines to log, in order (the "DB loaded from …" timing line is the caller's). */
  readonly log: AofLogLine[];
  /** Cut the file on disk to this many bytes (Redis does it even when it then exits). */
  readonly truncateTo: number | null;
  /** true: the server exits with status 1 (or crashes) after logging. */
  readonly fatal: boolean;
}

/**
 * The loader's reaction to a file's end, as observed: the exact lines and what happens to the file.
 * `file` is the name Redis prints (the manifest's file name).
 */
export function aofLoadOutcome(file: string, end: AofEnd, loadTruncated: boolean, isLastFile: boolean): AofLoadOutcome {
  switch (end.kind) {
    case 'complete':
      return { log: [], truncateTo: null, fatal: false };
    case 'truncated': {
      const log: AofLogLine[] = end.revertedMulti ? [AofLoadLog.revertMulti(file)] : [];
      if (!loadTruncated) return { log: [...log, AofLoadLog.unexpectedEof(file)], truncateTo: null, fatal: true };
      log.push(AofLoadLog.shortRead(file), AofLoadLog.truncating(file, end.validUpTo), AofLoadLog.loadedAnyway(file));
      if (!isLastFile) log.push(AofLoadLog.truncatedNotLast());
      return { log, truncateTo: end.validUpTo, fatal: !isLastFile };
    }
    case 'bad-format':
      return { log: [AofLoadLog.badFormat(file)], truncateTo: null, fatal: true };
    case 'read-error':
      return { log: [AofLoadLog.unrecoverable(file)], truncateTo: null, fatal: true };
    case 'unknown-command':
      return { log: [AofLoadLog.unknownCommand(end.name, file)], truncateTo: null, fatal: true };
    case 'crash':
      return { log: [AofLoadLog.crashed()], truncateTo: null, fatal: true };
    case 'rdb-error':
      return { log: [], truncateTo: null, fatal: true };
  }
}
