import { bytesToBin } from '../../codec/bytes.ts';
import { error, OK, type Reply } from '../../codec/reply.ts';
import { SERVER_NOT_RUNNING } from '../errors.ts';
import { aofStartupLoad } from './aof-load.ts';
import type { LoadFacts } from './recovery-report.ts';
import {
  ByteReader,
  lzfDecompress,
  RDB_32BITLEN,
  RDB_64BITLEN,
  RDB_ENC_INT16,
  RDB_ENC_INT32,
  RDB_ENC_INT8,
  RDB_ENC_LZF,
  RDB_ENCVAL,
  RDB_MAGIC,
  RDB_OPCODE_AUX,
  RdbChecksumError,
  RdbDecodeError,
  RdbUnsupportedError,
  readRdb,
  type RdbAuxField,
  type RdbEntry,
  type RdbFile,
} from '../../codec/rdb/index.ts';
import type { Engine } from '../engine.ts';
import type { Db } from '../keyspace/db.ts';
import { RedisList, RedisZSet, type RedisValue } from '../keyspace/values.ts';
import { ZSET_MAX_LISTPACK_ENTRIES, ZSET_MAX_LISTPACK_VALUE } from '../keyspace/zset.ts';

/**
 * Loading `dbfilename` into the keyspace, as Redis 7.0's rdbLoad does at startup and for DEBUG
 * RELOAD (reference §6.6, §2.8, §2.9), with the log lines a real 7.0.15 prints, observed one case
 * at a time:
 *
 *   * Loading RDB produced by version 7.0.15        AUX lines, as the fields are met
 *   * RDB age 31 seconds
 *   * RDB memory usage when created 1.11 Mb
 *   * Done loading RDB, keys loaded: 14, keys expired: 0.
 *   * DB loaded from disk: 0.000 seconds             (startup only; DEBUG RELOAD logs
 *                                                      "# DB reloaded by DEBUG RELOAD" instead)
 *
 * A master drops the keys whose expiry has passed and counts them as expired. A failure logs what
 * Redis logs: at startup the node then stops (the caller marks it not running, as redis-server
 * exits), while DEBUG RELOAD answers an error and carries on with what it has.
 *
 * Deviations, each because the codec reads a file whole: keys read before a truncation or a
 * corruption are not kept (Redis keeps them after a failed DEBUG RELOAD); a corruption at startup
 * logs the reader's offset and reason where Redis logs `offset 0, function at rdb.c:<line>`.
 */

/** What every command but SIM gets while the node is not running (a fatal load error, SHUTDOWN). */

/** Redis 7.0's RDB_VERSION: it refuses files from 7.2 (11) and later. */
const RDB_VERSION_7_0 = 10;
/** "REDIS" and four version digits. */
const HEADER_LENGTH = 9;

/** Why a load failed, in the classes Redis logs differently. */
type LoadFailure =
  /** A bad signature or version: checked before anything else is read. */
  | { kind: 'header'; message: string }
  | { kind: 'checksum'; error: RdbChecksumError }
  /** The file ended early: Redis's short read. */
  | { kind: 'eof' }
  | { kind: 'corrupt'; error: RdbDecodeError }
  /** Well-formed, but holding something the lab does not model (streams, modules, functions). */
  | { kind: 'unsupported'; error: RdbUnsupportedError };

/** Why the file is read: at startup, by DEBUG RELOAD, or as the RDB base of an AOF (whose expired keys are kept). */
export type Mode = 'startup' | 'reload' | 'aof-base';

// ---- startup ------------------------------------------------------------------------------------

/**
 * A load that takes time: the files are read at the disk's speed, so the load is a sequence of
 * steps, each yielding how many bytes must have been read before it goes on (the engine resumes
 * it when simulated time gets there; meanwhile clients get -LOADING). Its result says whether the
 * node may start and what the loaded dataset holds of the write ledger's history.
 */
export type LoadSteps = Generator<number, LoadOutcome, void>;

export interface LoadOutcome {
  /** The fatal error that stops the node, or null. */
  readonly failure: string | null;
  readonly facts: Omit<LoadFacts, 'restartedAtMs' | 'recoveryMs'>;
}

export interface StartupLoad {
  /** Bytes the load reads (INFO loading_total_bytes). */
  readonly totalBytes: number;
  readonly steps: LoadSteps;
}

/** Simulated ms to read the first `bytes` bytes of a load. */
export type LoadClock = (bytes: number) => number;

/** "%.3f" seconds of a span of the load. */
export const loadSeconds = (ms: number): string => (ms / 1000).toFixed(3);

/** A load with nothing left to read. */
export function loadedAtOnce(outcome: LoadOutcome): StartupLoad {
  return { totalBytes: 0, steps: nothingToRead(outcome) };
}

function* nothingToRead(outcome: LoadOutcome): LoadSteps {
  yield* [];
  return outcome;
}

/** Runs steps to the end at once (DEBUG RELOAD, and anything else that does not wait). */
export function drain<T>(steps: Generator<number, T, void>): T {
  for (;;) {
    const next = steps.next();
    if (next.done === true) return next.value;
  }
}

/** The steps of one file, read from offset `base` of the whole load. */
export function* offsetBy<T>(steps: Generator<number, T, void>, base: number): Generator<number, T, void> {
  for (;;) {
    const next = steps.next();
    if (next.done === true) return next.value;
    yield base + next.value;
  }
}

/**
 * loadDataFromDisk: with appendonly yes only the AOF is read, and dump.rdb is ignored even when
 * there is no AOF yet (reference §3.9, the restart trap); otherwise dbfilename, when there is one
 * (Redis says nothing about ENOENT).
 */
export function startupLoad(engine: Engine, clock: LoadClock): StartupLoad {
  if (engine.config.flag('appendonly')) return aofStartupLoad(engine, clock);
  const path = engine.rdb.fileName;
  const bytes = engine.disk.read(path);
  if (bytes === null) {
    return loadedAtOnce({ failure: null, facts: { loadedFrom: 'none', holdsUnits: engine.ledger.prefixOf([]), files: [], aofPath: false, ignoredSnapshotUnits: null } });
  }
  return { totalBytes: bytes.length, steps: rdbStartupSteps(engine, bytes, engine.disk.inodeOf(path), clock) };
}

function* rdbStartupSteps(engine: Engine, bytes: Uint8Array, inode: number | null, clock: LoadClock): LoadSteps {
  const failure = yield* loadRdbSteps(engine, bytes, 'startup', false);
  const facts = {
    loadedFrom: 'rdb',
    holdsUnits: engine.ledger.prefixOf([engine.ledger.snapshotRange(inode)]),
    files: [{ name: engine.rdb.fileName, sizeBytes: bytes.length, inode }],
    aofPath: false,
    ignoredSnapshotUnits: null,
  } as const;
  if (failure !== null) return { failure, facts };
  engine.log('*', `DB loaded from disk: ${loadSeconds(clock(bytes.length))} seconds`);
  engine.dirty = 0;
  engine.lastSaveMs = engine.nowMs;
  return { failure: null, facts };
}

// ---- DEBUG RELOAD ---------------------------------------------------------------------------------

/**
 * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE] (argv from RELOAD on): save (unless NOSAVE), empty the
 * keyspace (unless NOFLUSH), load the file again (MERGE: a key already there is replaced). Replies
 * and log lines as Redis 7.0.15 gives them. NOFLUSH without MERGE over a key that is there is a
 * crash in Redis (a "Guru Meditation" panic); here the node stops the same way.
 */
export function debugReload(engine: Engine, options: readonly string[]): Reply {
  let merge = false;
  let flush = true;
  let save = true;
  for (const option of options) {
    const word = option.toLowerCase();
    if (word === 'merge') merge = true;
    else if (word === 'noflush') flush = false;
    else if (word === 'nosave') save = false;
    else return error('ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.');
  }
  // Its save is rdbSave itself: not counted in rdb_saves, like FLUSHALL's, hence that reason.
  if (save && !engine.rdb.save('debug-reload')) return error('ERR');
  if (flush) engine.flush('all');
  const bytes = engine.disk.read(engine.rdb.fileName);
  const failure = bytes === null ? 'ENOENT' : loadRdb(engine, bytes, 'reload', merge);
  if (!engine.running) return SERVER_NOT_RUNNING;
  if (failure !== null) return error('ERR Error trying to load the RDB dump');
  engine.log('#', 'DB reloaded by DEBUG RELOAD');
  return OK;
}

// ---- the load itself --------------------------------------------------------------------------------

/** Loads a whole file into the keyspace, logging as Redis does. Returns null, or the fatal message. */
export function loadRdb(engine: Engine, bytes: Uint8Array, mode: Mode, merge: boolean): string | null {
  return drain(loadRdbSteps(engine, bytes, mode, merge));
}

/**
 * loadRdb as steps: the header and the AUX fields are logged as the read begins; the keys go in,
 * and "Done loading RDB" is logged, once the whole file has been read (a fault, where the reader
 * meets it). Yields byte offsets of the file.
 */
export function* loadRdbSteps(engine: Engine, bytes: Uint8Array, mode: Mode, merge: boolean): Generator<number, string | null, void> {
  const header = checkHeader(bytes);
  if (header !== null) return reportFailure(engine, header, mode);
  let file: RdbFile;
  try {
    file = readRdb(bytes);
  } catch (caught) {
    if (!(caught instanceof RdbDecodeError)) throw caught;
    const failure = classify(caught);
    if (failure.kind === 'checksum') {
      // Redis checks the CRC after reading every key, so it logs all AUX lines and, in DEBUG
      // RELOAD, keeps every key. Reading again without the check gives the same view.
      const unchecked = readRdb(bytes, { verifyChecksum: false });
      logAuxFields(engine, unchecked.aux);
      yield bytes.length;
      if (mode === 'reload') installKeys(engine, unchecked, merge);
    } else {
      logAuxFields(engine, leadingAuxFields(bytes));
      yield failure.kind === 'corrupt' || failure.kind === 'unsupported' ? failure.error.offset : bytes.length;
    }
    return reportFailure(engine, failure, mode);
  }
  logFileNotes(engine, file);
  yield bytes.length;
  const counts = installKeys(engine, file, merge, mode !== 'aof-base');
  if (counts === null) return 'Duplicated key found in RDB file';
  engine.rdb.lastLoad = counts;
  const done = `Done loading RDB, keys loaded: ${counts.keysLoaded}, keys expired: ${counts.keysExpired}`;
  if (file.emptyKeysSkipped === 0) engine.log('*', `${done}.`);
  else engine.log('#', `${done}, empty keys skipped: ${file.emptyKeysSkipped}.`);
  if (mode !== 'aof-base' && engine.observes('keyspace.loaded')) {
    engine.emit({ type: 'keyspace.loaded', atMs: engine.nowMs, source: 'rdb', file: engine.rdb.fileName, keysLoaded: counts.keysLoaded, keysExpired: counts.keysExpired });
  }
  return null;
}

/** The signature and the version, which Redis checks before reading anything else. */
function checkHeader(bytes: Uint8Array): LoadFailure | null {
  if (bytes.length < HEADER_LENGTH) return { kind: 'eof' };
  const header = bytesToBin(bytes.subarray(0, HEADER_LENGTH));
  if (!header.startsWith(RDB_MAGIC)) return { kind: 'header', message: 'Wrong signature trying to load DB from file' };
  // atoi: leading digits, 0 when there are none ("REDISabcd" is version 0).
  const version = Number(/^[0-9]*/.exec(header.slice(RDB_MAGIC.length))?.[0] || '0');
  if (version < 1 || version > RDB_VERSION_7_0) return { kind: 'header', message: `Can't handle RDB format version ${version}` };
  return null;
}

/** Truncation is told from corruption by the reader's wording for running out of bytes. */
function classify(caught: RdbDecodeError): LoadFailure {
  if (caught instanceof RdbChecksumError) return { kind: 'checksum', error: caught };
  if (caught instanceof RdbUnsupportedError) return { kind: 'unsupported', error: caught };
  if (/^unexpected end of file |runs past the end of the file/.test(caught.reason)) return { kind: 'eof' };
  return { kind: 'corrupt', error: caught };
}

/**
 * Logs a failure as Redis 7.0.15 does, and returns the first line's message. At startup Redis adds
 * the line it exits with; in DEBUG RELOAD it goes on, and reports any corruption as a short read.
 */
function reportFailure(engine: Engine, failure: LoadFailure, mode: Mode): string {
  const lines: string[] = [];
  switch (failure.kind) {
    case 'header':
      lines.push(failure.message);
      if (mode !== 'reload') lines.push('Fatal error loading the DB: Invalid argument. Exiting.');
      break;
    case 'checksum':
      lines.push(
        `Wrong RDB checksum expected: (${failure.error.computed.toString(16)}) but got (${failure.error.stored.toString(16)}). Aborting now.`,
      );
      if (mode !== 'reload') lines.push('Internal error in RDB reading offset 0, function at rdb.c:3217 -> RDB CRC error');
      break;
    case 'eof':
      lines.push('Short read or OOM loading DB. Unrecoverable error, aborting now.');
      if (mode !== 'reload') lines.push('Internal error in RDB reading offset 0, function at rdb.c:3241 -> Unexpected EOF reading RDB file');
      break;
    case 'corrupt':
      lines.push(
        mode !== 'reload'
          ? `Internal error in RDB reading offset ${failure.error.offset} -> ${failure.error.reason}`
          : 'Short read or OOM loading DB. Unrecoverable error, aborting now.',
      );
      break;
    case 'unsupported':
      lines.push(`The lab cannot load this RDB file: offset ${failure.error.offset}: ${failure.error.reason}`);
      break;
  }
  for (const line of lines) engine.log('#', line);
  return lines[0] as string;
}

// ---- log lines of a file read ---------------------------------------------------------------------------

/**
 * The lines Redis logs while it reads a file, in file order: its AUX fields, the empty keys it
 * skips, and a checksum of zero. The reader's regions are the file's records in order.
 */
function logFileNotes(engine: Engine, file: RdbFile): void {
  const entriesByDb = new Map(file.dbs.map((db) => [db.index, db.entries]));
  const cursors = new Map<number, number>();
  let dbIndex = 0;
  for (const region of file.regions) {
    if (region.kind === 'aux') {
      logAuxFields(engine, [{ key: String(region.detail.key), value: String(region.detail.value) }]);
    } else if (region.kind === 'selectdb') {
      dbIndex = Number(region.detail.db);
    } else if (region.kind === 'key') {
      // A key the reader returned is the next entry of its database; any other was empty.
      const key = String(region.detail.key);
      const cursor = cursors.get(dbIndex) ?? 0;
      if (entriesByDb.get(dbIndex)?.[cursor]?.key === key) cursors.set(dbIndex, cursor + 1);
      else engine.log('#', `rdbLoadObject skipping empty key: ${key}`);
    }
  }
  if (file.checksum?.status === 'disabled') engine.log('#', 'RDB file was saved with checksum disabled: no check performed.');
}

/** The AUX fields Redis reports (field names compared without case); the others it ignores. */
function logAuxFields(engine: Engine, fields: readonly RdbAuxField[]): void {
  for (const { key, value } of fields) {
    const name = key.toLowerCase();
    if (name === 'redis-ver') engine.log('*', `Loading RDB produced by version ${value}`);
    else if (name === 'ctime') {
      const age = Math.floor(engine.nowMs / 1000) - Number(strtoll(value));
      engine.log('*', `RDB age ${Math.max(0, age)} seconds`);
    } else if (name === 'used-mem') {
      engine.log('*', `RDB memory usage when created ${megabytes(strtoll(value))} Mb`);
      engine.noteLoadingRdbUsedMem(Number(strtoll(value)));
    } else if (name === 'aof-base' && strtoll(value) !== 0n) engine.log('*', 'RDB is base AOF');
  }
}

/** strtoll(text, NULL, 10): optional blanks and sign, then digits; 0 when there are none. */
function strtoll(text: string): bigint {
  const match = /^[ \t\n\v\f\r]*([+-]?[0-9]+)/.exec(text);
  return match === null ? 0n : BigInt(match[1] as string);
}

/** printf("%.2f", bytes / 1024 / 1024), rounding exactly and half to even as glibc does. */
function megabytes(bytes: bigint): string {
  const negative = bytes < 0n;
  const scaled = (negative ? -bytes : bytes) * 100n;
  const unit = 1024n * 1024n;
  let hundredths = scaled / unit;
  const twiceRemainder = (scaled % unit) * 2n;
  if (twiceRemainder > unit || (twiceRemainder === unit && hundredths % 2n === 1n)) hundredths++;
  const text = `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')}`;
  return negative ? `-${text}` : text;
}

/**
 * The AUX fields at the head of a file the reader refused, for the lines Redis logs before it
 * meets the fault. Only the leading run of AUX records is read (where every Redis writes them);
 * reading stops quietly at the first thing that is not a well-formed AUX record.
 */
function leadingAuxFields(bytes: Uint8Array): RdbAuxField[] {
  const r = new ByteReader(bytes);
  r.pos = HEADER_LENGTH;
  const fields: RdbAuxField[] = [];
  try {
    while (r.remaining > 0 && r.u8('opcode') === RDB_OPCODE_AUX) {
      const key = readRdbString(r);
      fields.push({ key, value: readRdbString(r) });
    }
  } catch (caught) {
    if (!(caught instanceof RdbDecodeError)) throw caught;
  }
  return fields;
}

/** An RDB string (reference §2.3): a length and bytes, an integer, or LZF data. */
function readRdbString(r: ByteReader): string {
  const first = r.u8('string');
  if (first >> 6 !== RDB_ENCVAL) {
    r.pos--;
    return bytesToBin(r.take(readRdbLength(r), 'string'));
  }
  switch (first & 0x3f) {
    case RDB_ENC_INT8:
      return String(r.i8('int8'));
    case RDB_ENC_INT16:
      return String(r.i16le('int16'));
    case RDB_ENC_INT32:
      return String(r.i32le('int32'));
    case RDB_ENC_LZF: {
      const compressedLength = readRdbLength(r);
      const out = lzfDecompress(r.take(compressedLength, 'LZF data'), readRdbLength(r));
      if (!(out instanceof Uint8Array)) return r.fail(out.reason);
      return bytesToBin(out);
    }
    default:
      return r.fail('unknown string encoding');
  }
}

/** An RDB length (reference §2.2): 6 or 14 bits, or a 32- or 64-bit big-endian number. */
function readRdbLength(r: ByteReader): number {
  const first = r.u8('length');
  switch (first >> 6) {
    case 0:
      return first & 0x3f;
    case 1:
      return ((first & 0x3f) << 8) | r.u8('length');
    default:
      if (first === RDB_32BITLEN) return r.u32be('length');
      if (first === RDB_64BITLEN) return Number(r.u64be('length'));
      return r.fail('not a length');
  }
}

// ---- the keyspace ---------------------------------------------------------------------------------------

/**
 * Puts the file's keys in the databases. A master drops the keys already expired and counts them;
 * MERGE replaces a key that is there. Without MERGE a key that is there is Redis's "Duplicated key"
 * panic: the node stops, and null is returned.
 */
function installKeys(engine: Engine, file: RdbFile, merge: boolean, dropExpired = true): { keysLoaded: number; keysExpired: number } | null {
  let keysLoaded = 0;
  let keysExpired = 0;
  for (const rdbDb of file.dbs) {
    const db = engine.dbs[rdbDb.index] as Db;
    for (const entry of rdbDb.entries) {
      // A master drops keys that expired while on disk; an AOF base keeps them (they expire later).
      if (dropExpired && entry.expireAtMs !== undefined && entry.expireAtMs < engine.nowMs) {
        keysExpired++;
        continue;
      }
      if (!merge && db.data.has(entry.key)) {
        engine.log('#', `RDB has duplicated key '${entry.key}' in DB ${db.index}`);
        engine.log('#', 'Guru Meditation: Duplicated key found in RDB file #rdb.c:3176');
        engine.running = false;
        return null;
      }
      db.set(entry.key, valueOf(entry));
      if (entry.expireAtMs !== undefined) db.expires.set(entry.key, entry.expireAtMs);
      keysLoaded++;
    }
  }
  return { keysLoaded, keysExpired };
}

/**
 * The engine's value for a key read from a file. A sorted set is loaded as a listpack when it is
 * small enough and as a skiplist otherwise, whatever the file stored: Redis 7.0 converts on load
 * (so a -0 score in a small skiplist comes back as 0, as on the real server).
 */
function valueOf(entry: RdbEntry): RedisValue {
  switch (entry.type) {
    case 'string':
      return entry.value;
    case 'list':
      return new RedisList(entry.value);
    case 'set':
      return new Set(entry.value);
    case 'hash':
      return new Map(entry.value);
    case 'zset': {
      const small =
        entry.value.length <= ZSET_MAX_LISTPACK_ENTRIES && entry.value.every(([member]) => member.length <= ZSET_MAX_LISTPACK_VALUE);
      const zset = new RedisZSet(small ? 'listpack' : 'skiplist');
      for (const [member, score] of entry.value) zset.set(member, score);
      return zset;
    }
  }
}
