import { bytesToBin } from '../../codec/bytes.ts';
import { error, OK, type Reply } from '../../codec/reply.ts';
import { SERVER_NOT_RUNNING } from '../errors.ts';
import { aofStartupLoad } from './aof-load.ts';
import type { LoadFacts } from './recovery-report.ts';
import {
  RdbChecksumError,
  RdbDecodeError,
  RdbUnsupportedError,
  readRdb,
  RDB_MAGIC,
  type RdbAuxField,
  type RdbEntry,
  type RdbFile,
  type RdbLoadNote,
} from '../../codec/rdb/index.ts';
import type { Engine } from '../engine.ts';
import type { Db } from '../keyspace/db.ts';
import { RedisList, RedisZSet, type RedisValue } from '../keyspace/values.ts';
import { ZSET_MAX_LISTPACK_ENTRIES, ZSET_MAX_LISTPACK_VALUE } from '../keyspace/zset.ts';
import { keyBytes } from '../memory/usage.ts';

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
 * A master drops the keys whose expiry had passed when the read began, and counts them as expired
 * (one that expires during a slow load goes in, and expires once the node runs). A failure logs
 * what Redis logs: at startup the node then stops (the caller marks it not running, as
 * redis-server exits), while DEBUG RELOAD answers an error and keeps the keys read before the
 * fault, as Redis does. A key met twice (and not expired) is Redis's "Duplicated key" panic,
 * unless DEBUG RELOAD MERGE lets the later one replace it; like every other record, it counts only
 * if the reader gets that far, so a duplicate before a fault panics and one after it does not.
 *
 * The file is read at once (without the inspector's byte map, which a load does not need) and the
 * keys go into the dictionaries when the load's simulated time has reached the end of the file (or
 * the fault): the AUX fields ahead of the first key are logged as the read begins, every other
 * line Redis logs as it reads (empty keys, a later AUX field) in file order as the keys go in.
 *
 * Deviation: a corruption at startup logs the reader's offset and reason where Redis logs
 * `offset 0, function at rdb.c:<line>`.
 */

/** What every command but SIM gets while the node is not running (a fatal load error, SHUTDOWN). */

/** Redis 7.0's RDB_VERSION: it refuses files from 7.2 (11) and later. */
const RDB_VERSION_7_0 = 10;
/** "REDIS" and four version digits. */
const HEADER_LENGTH = 9;

/** Redis logs the first 10 empty keys it skips, and counts the rest. */
const EMPTY_KEYS_LOGGED = 10;

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
  readonly failure: StartupFailure | null;
  readonly facts: Omit<LoadFacts, 'restartedAtMs' | 'recoveryMs'>;
}

/**
 * Why a start was refused, by the way back it calls for: the last AOF file ends in half a command
 * (cut it), an AOF file is damaged before the AOF's end, a file the manifest lists is gone, the
 * manifest cannot be read, an RDB file (dump.rdb or an AOF's base) cannot be read, or the node
 * stopped some other way. Decided where the loader refuses, never read back from the log line.
 */
export type LoadFailureKind = 'aof-truncated' | 'aof-corrupt' | 'aof-missing' | 'aof-manifest' | 'rdb' | 'other';

/** A refused start: its kind, and the line Redis exits with (its own words, as logged). */
export interface StartupFailure {
  readonly kind: LoadFailureKind;
  readonly message: string;
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
  // Read in place (the server writes nothing while it loads; a file put over it gets new bytes).
  const bytes = engine.disk.view(path);
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
  if (failure !== null) return { failure: { kind: 'rdb', message: failure }, facts };
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
  // The dataset is now what dump.rdb holds (a failed read keeps the keys it read: all of them).
  engine.ledger.datasetReloaded(bytes === null ? null : engine.ledger.snapshotRange(engine.disk.inodeOf(engine.rdb.fileName)), flush);
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
 * loadRdb as steps: the header and the leading AUX fields are logged as the read begins; the keys
 * go in, with the other lines Redis logs as it reads, and "Done loading RDB" is logged, once the
 * whole file has been read (a fault, where the reader meets it). Yields byte offsets of the file.
 */
export function* loadRdbSteps(engine: Engine, bytes: Uint8Array, mode: Mode, merge: boolean): Generator<number, string | null, void> {
  const header = checkHeader(bytes);
  if (header !== null) return reportFailure(engine, header, mode);
  const scan = scanFile(bytes);
  // Redis judges expiries against the time its read began (rdbLoad's `now`), not when it ends.
  const startedAtMs = engine.nowMs;
  const notes = new NoteLog(engine);
  for (const note of scan.leadingNotes) notes.log(note);
  const { file, failure } = scan;
  yield failure !== null && (failure.kind === 'corrupt' || failure.kind === 'unsupported') ? failure.error.offset : bytes.length;
  // Redis checks the CRC after reading every key: a failed DEBUG RELOAD keeps what it read (every
  // key, then), while a failed startup ends the process. The lab models no stream or module, so a
  // file holding one (read the whole way by Redis) leaves the keyspace as it was.
  const keep = failure === null || (mode === 'reload' && failure.kind !== 'unsupported');
  const options = { keep, merge, dropExpired: mode !== 'aof-base', nowMs: startedAtMs };
  const counts = installKeys(engine, bytes, notes, scan.leadingNotes.length, options);
  if (counts === null) {
    // The panic ends the process; a node that was starting shows the empty keyspace it started with.
    if (mode !== 'reload') for (const db of engine.dbs) db.clear();
    return 'Duplicated key found in RDB file';
  }
  if (failure !== null) return reportFailure(engine, failure, mode);
  if (file?.checksum?.status === 'disabled') engine.log('#', 'RDB file was saved with checksum disabled: no check performed.');
  engine.rdb.lastLoad = counts;
  const done = `Done loading RDB, keys loaded: ${counts.keysLoaded}, keys expired: ${counts.keysExpired}`;
  if (notes.emptyKeys === 0) engine.log('*', `${done}.`);
  else engine.log('#', `${done}, empty keys skipped: ${notes.emptyKeys}.`);
  if (mode !== 'aof-base' && engine.observes('keyspace.loaded')) {
    engine.emit({ type: 'keyspace.loaded', atMs: engine.nowMs, source: 'rdb', file: engine.rdb.fileName, keysLoaded: counts.keysLoaded, keysExpired: counts.keysExpired });
  }
  return null;
}

/**
 * How a load reads the file: without the inspector's byte map, which a load does not need, and
 * without the reader's duplicate-key check: the dictionary finds duplicates as keys go in, as
 * Redis's does (after dropping an expired key, and never under MERGE).
 */
const LOAD_READ = { regions: false, checkDuplicateKeys: false } as const;

/** What a first read of the file finds, keeping no key: how it ends, and the notes before any key. */
interface FileScan {
  /** The whole file, when it read to the end with a good (or no) checksum. */
  readonly file: RdbFile | null;
  readonly failure: LoadFailure | null;
  /** The notes Redis logs as its read begins: those ahead of the first key (every AUX field Redis writes). */
  readonly leadingNotes: RdbLoadNote[];
}

/**
 * Reads the file once without keeping a key (nor building the string ones), to learn where the
 * load ends. The keys are read again as they go in (installKeys): a second read costs less than
 * holding a million keys in between.
 */
function scanFile(bytes: Uint8Array): FileScan {
  const leadingNotes: RdbLoadNote[] = [];
  let keys = 0;
  let file: RdbFile | null = null;
  let failure: LoadFailure | null = null;
  try {
    file = readRdb(bytes, {
      ...LOAD_READ,
      onEntry: () => keys++,
      onStringSkipped: () => keys++,
      onNote: (note) => {
        if (keys === 0) leadingNotes.push(note);
      },
    });
  } catch (caught) {
    if (!(caught instanceof RdbDecodeError)) throw caught;
    failure = classify(caught);
  }
  return { file, failure, leadingNotes };
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

/** Logs the notes of a file read, in file order. */
class NoteLog {
  /** Empty keys met so far (only the first 10 are logged). */
  emptyKeys = 0;

  constructor(private readonly engine: Engine) {}

  log(note: RdbLoadNote): void {
    if (note.kind === 'aux') logAuxField(this.engine, note);
    else if (this.emptyKeys++ < EMPTY_KEYS_LOGGED) this.engine.log('#', `rdbLoadObject skipping empty key: ${cString(note.key)}`);
  }
}

/**
 * The AUX fields Redis reports (names compared without case; a name starting with `%` is an
 * information field, logged as it is); the others it ignores.
 */
function logAuxField(engine: Engine, { key, value }: RdbAuxField): void {
  const name = key.toLowerCase();
  if (key.startsWith('%')) engine.log('*', `RDB '${cString(key)}': ${cString(value)}`);
  else if (name === 'redis-ver') engine.log('*', `Loading RDB produced by version ${cString(value)}`);
  else if (name === 'ctime') {
    const age = Math.floor(engine.nowMs / 1000) - Number(strtoll(value));
    engine.log('*', `RDB age ${Math.max(0, age)} seconds`);
  } else if (name === 'used-mem') {
    engine.log('*', `RDB memory usage when created ${megabytes(strtoll(value))} Mb`);
    engine.noteLoadingRdbUsedMem(Number(strtoll(value)));
  } else if (name === 'aof-preamble' && strtoll(value) !== 0n) engine.log('*', 'RDB has an AOF tail');
  else if (name === 'aof-base' && strtoll(value) !== 0n) engine.log('*', 'RDB is base AOF');
}

/** A string as printf's %s prints it: up to its first NUL byte. */
function cString(bin: string): string {
  const nul = bin.indexOf('\0');
  return nul < 0 ? bin : bin.slice(0, nul);
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

// ---- the keyspace ---------------------------------------------------------------------------------------

interface InstallOptions {
  /** Put the keys in the dictionaries; otherwise only look for a duplicate (a load that fails). */
  readonly keep: boolean;
  /** DEBUG RELOAD MERGE: a key that is there already is replaced (RDBFLAGS_ALLOW_DUP). */
  readonly merge: boolean;
  /** A master drops keys that expired while on disk; an AOF base keeps them (they expire later). */
  readonly dropExpired: boolean;
  /** What "expired" is judged against: when the read began. */
  readonly nowMs: number;
}

/** Thrown from the reader's callbacks to stop a read early. */
class StopReading extends Error {}

/**
 * Reads the keys again and puts them in the databases, in file order, logging the notes between
 * them (all but the leading ones, logged already). A key that is there already (from the file, or
 * kept by NOFLUSH) is Redis's "Duplicated key" panic unless MERGE: the node stops, and null is
 * returned. A fault ends the read where the scan met it.
 */
function installKeys(engine: Engine, bytes: Uint8Array, notes: NoteLog, notesLogged: number, options: InstallOptions): { keysLoaded: number; keysExpired: number } | null {
  const { keep, merge, dropExpired, nowMs } = options;
  const wentIn = (entry: RdbEntry) => !(dropExpired && entry.expireAtMs !== undefined && entry.expireAtMs < nowMs);
  /** Without `keep`, the keys a failed load would have put in each database. */
  const seen = keep ? null : new Map<number, Set<string>>();
  // Into empty dictionaries (every start, most reloads) one operation per key tells a duplicate:
  // the size stays as it was. Otherwise (and for MERGE, whose replaced value must be uncounted)
  // the key is looked up first, so a panic replaces nothing.
  const lookUpFirst = merge || engine.dbs.some((db) => db.size !== 0);
  let keysLoaded = 0;
  let keysExpired = 0;
  let keysRead = 0;
  let notesMet = 0;
  // A key as the reader hands it over: an entry, or a plain string key's value alone (no entry
  // object for each of a million string keys).
  const install = (dbIndex: number, key: string, expireAtMs: number | undefined, read: RdbEntry | string): void => {
    const at = keysRead++;
    if (dropExpired && expireAtMs !== undefined && expireAtMs < nowMs) {
      keysExpired++;
      return;
    }
    const db = engine.dbs[dbIndex] as Db;
    let there: boolean;
    if (seen === null) {
      // A loaded value is complete as it goes in (nothing changes it in place during a load), so
      // the database's dataset bytes count it at once.
      const data = db.data;
      if (lookUpFirst) {
        const old = data.get(key);
        there = old !== undefined;
        if (!there || merge) {
          const value = valueOf(read);
          data.set(key, value);
          db.datasetBytes += keyBytes(key, value) - (old === undefined ? 0 : keyBytes(key, old));
        }
      } else {
        const size = data.size;
        const value = valueOf(read);
        data.set(key, value);
        there = data.size === size;
        if (!there) db.datasetBytes += keyBytes(key, value);
        // The panic below ends the node; the value it shows is still the one that went in first (and counted).
        else data.set(key, valueOf(earlierEntry(bytes, at, dbIndex, key, wentIn)));
      }
      // Replaced as a new key would be (dbSyncDelete, then add): its old expiry goes.
      if (there && merge) db.expires.delete(key);
    } else {
      let keys = seen.get(dbIndex);
      if (keys === undefined) seen.set(dbIndex, (keys = new Set()));
      there = db.data.has(key) || keys.size === keys.add(key).size;
    }
    if (there && !merge) {
      engine.log('#', `RDB has duplicated key '${cString(key)}' in DB ${dbIndex}`);
      engine.log('#', 'Guru Meditation: Duplicated key found in RDB file #rdb.c:3176');
      engine.running = false;
      throw new StopReading();
    }
    if (expireAtMs !== undefined && seen === null) db.expires.set(key, expireAtMs);
    keysLoaded++;
  };
  try {
    readRdb(bytes, {
      ...LOAD_READ,
      verifyChecksum: false, // the scan did
      onEntry: (dbIndex, entry) => install(dbIndex, entry.key, entry.expireAtMs, entry),
      onString: (dbIndex, key, value, expireAtMs) => install(dbIndex, key, expireAtMs, value),
      onNote: (note) => {
        if (notesMet++ >= notesLogged) notes.log(note);
      },
    });
  } catch (caught) {
    if (caught instanceof StopReading) return null;
    if (!(caught instanceof RdbDecodeError)) throw caught;
  }
  return { keysLoaded, keysExpired };
}

/** The last key before key number `at` with its name and database that went in: the one a duplicate meets. */
function earlierEntry(bytes: Uint8Array, at: number, dbIndex: number, key: string, wentIn: (entry: RdbEntry) => boolean): RdbEntry {
  let read = 0;
  let match: RdbEntry | undefined;
  try {
    readRdb(bytes, {
      ...LOAD_READ,
      onEntry: (db, entry) => {
        if (read++ === at) throw new StopReading();
        if (db === dbIndex && entry.key === key && wentIn(entry)) match = entry;
      },
    });
  } catch (caught) {
    if (!(caught instanceof StopReading)) throw caught;
  }
  if (match === undefined) throw new Error(`no earlier key for duplicated key number ${at}`);
  return match;
}

/**
 * The engine's value for a key read from a file (a plain string key comes as its value alone). A
 * sorted set is loaded as a listpack when it is small enough and as a skiplist otherwise, whatever
 * the file stored: Redis 7.0 converts on load (so a -0 score in a small skiplist comes back as 0,
 * as on the real server).
 */
function valueOf(entry: RdbEntry | string): RedisValue {
  if (typeof entry === 'string') return entry;
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
