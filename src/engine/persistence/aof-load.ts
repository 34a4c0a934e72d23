import { bytesToBin } from '../../codec/bytes.ts';
import {
  AofItem,
  AofLoadLog,
  AofManifestError,
  AofScanner,
  aofLoadOutcome,
  manifestErrorLog,
  parseManifest,
  scanAof,
  type AofEnd,
  type AofInfo,
  type AofLogLine,
  type AofManifest,
} from '../../codec/aof/index.ts';
import type { Engine } from '../engine.ts';
import type { HeldRange, ReplayedCommand } from './recovery-report.ts';
import type { LoadedSizes } from './aof-persistence.ts';
import {
  loadedAtOnce,
  loadRdbSteps,
  loadSeconds,
  offsetBy,
  type LoadClock,
  type LoadFailureKind,
  type LoadOutcome,
  type LoadSteps,
  type StartupFailure,
  type StartupLoad,
} from './rdb-load.ts';

/**
 * loadAppendOnlyFiles: Redis 7.0's start with `appendonly yes` (reference §3.9).
 *
 * Only the AOF is read; dump.rdb is ignored even when there is no AOF at all (the restart trap).
 * With no manifest, or one listing nothing, the node starts empty and creates a base and incr 1.
 * Otherwise the base (an RDB, or RESP commands) and then every incr file are replayed in manifest
 * order through a client that gets no replies. A file cut short at the end is truncated on disk
 * and accepted under `aof-load-truncated yes` when it is the last one; anything else that is wrong
 * is fatal, with Redis's log lines, and the node does not start.
 *
 * An old single-file `appendonly.aof` in `dir` (the pre-7.0 layout) with no manifest is first
 * moved into the directory as the base, under its own name (see migrateOldStyleAof).
 *
 * The manifest and the files' sizes are checked before anything is read, and the files' bytes are
 * taken then (the loader holds them open); each file is read at the disk's speed, so its lines and
 * its keys arrive when simulated time has reached its end.
 */
export function aofStartupLoad(engine: Engine, clock: LoadClock): StartupLoad {
  const aof = engine.aof;
  // What dbfilename holds, which this path does not read: writes only it held are "not loaded".
  const ignoredSnapshotUnits = engine.ledger.snapshotUnits(engine.disk.inodeOf(engine.rdb.fileName));
  const nothing = (failure: StartupFailure | null): StartupLoad =>
    loadedAtOnce({ failure, facts: { loadedFrom: 'none', holdsUnits: engine.ledger.prefixOf([]), files: [], aofPath: true, ignoredSnapshotUnits } });
  const found = openManifest(engine);
  switch (found.kind) {
    case 'failed':
      return nothing(found.failure);
    case 'no-manifest':
      aof.createOnStart();
      return nothing(null);
    case 'no-files':
      aof.createOnStart(found.manifest.history);
      return nothing(null);
  }
  const { manifest, files } = found;
  return {
    totalBytes: loadedSizes(manifest, files).totalBytes,
    steps: loadFiles(engine, manifest, files, clock, ignoredSnapshotUnits),
  };
}

/** What the manifest on disk gives a load: the files to read, or why there are none. */
type ManifestFound =
  | { readonly kind: 'no-manifest' }
  | { readonly kind: 'no-files'; readonly manifest: AofManifest }
  | { readonly kind: 'failed'; readonly failure: StartupFailure }
  | { readonly kind: 'files'; readonly manifest: AofManifest; readonly files: readonly AofFile[] };

/**
 * The start of loadAppendOnlyFiles, shared by startup and DEBUG LOADAOF: an old-style file moved
 * in, the manifest read (a broken one logged), and every file it lists there before any is read.
 */
function openManifest(engine: Engine): ManifestFound {
  const aof = engine.aof;
  migrateOldStyleAof(engine);
  const manifestBytes = engine.disk.read(aof.manifestPath);
  if (manifestBytes === null) return { kind: 'no-manifest' };
  let manifest: AofManifest;
  try {
    manifest = parseManifest(bytesToBin(manifestBytes));
  } catch (caught) {
    if (!(caught instanceof AofManifestError)) throw caught;
    // Redis logs these messages with their newlines, so the block stands out in the log file.
    for (const line of manifestErrorLog(caught)) engine.log('#', line);
    return { kind: 'failed', failure: { kind: 'aof-manifest', message: caught.reason } };
  }
  const infos = [...(manifest.base === null ? [] : [manifest.base]), ...manifest.incr];
  if (infos.length === 0) return { kind: 'no-files', manifest };
  // Every file the manifest lists must be there before any is read.
  for (const info of infos) {
    if (!engine.disk.exists(aof.path(info.fileName))) {
      const line = AofLoadLog.unableToStat(info.fileName);
      logLine(engine, line);
      return { kind: 'failed', failure: { kind: 'aof-missing', message: line.text } };
    }
  }
  const files = infos.map((info): AofFile => {
    const path = aof.path(info.fileName);
    return { info, path, bytes: engine.disk.view(path) as Uint8Array, inode: engine.disk.inodeOf(path) };
  });
  return { kind: 'files', manifest, files };
}

// ---- DEBUG LOADAOF ---------------------------------------------------------------------------------

/**
 * DEBUG LOADAOF, as Redis 7.0.15 runs it: aof_buf written out (when the AOF is on), the keyspace
 * emptied, the manifest read again from disk, its history files deleted, and the files replayed
 * at once with the startup loader's log lines (but no "DB loaded from append only file"). Only a
 * clean load answers OK; anything else, even a truncated tail the load accepted, or no AOF at
 * all, makes redis-server exit(1) with no more said (observed). False: the process has exited.
 */
export function debugLoadAof(engine: Engine): boolean {
  const aof = engine.aof;
  if (aof.state === 'on') aof.flush(true);
  engine.flush('all');
  const found = openManifest(engine);
  if (found.kind === 'failed') {
    engine.exitAfterLoad(found.failure);
    return false;
  }
  if (found.kind !== 'no-manifest') {
    aof.adoptManifest(found.manifest);
    aof.deleteHistory();
  }
  if (found.kind !== 'files') {
    engine.exitAfterLoad(null);
    return false;
  }
  const { manifest, files } = found;
  const sizes = loadedSizes(manifest, files);
  // Files that are all empty load nothing and say nothing (AOF_EMPTY): that is fine.
  if (sizes.totalBytes !== 0) {
    const read = engine.loadNow(readFiles(engine, files, () => 0));
    if (read.failure !== null || read.truncated) {
      engine.exitAfterLoad(read.failure);
      return false;
    }
    aof.measureLoaded(sizes);
    // The dataset is now what the files hold, as after a restart that read them.
    engine.ledger.datasetReloaded({ after: 0, ...engine.ledger.prefixOf(read.ranges) }, true);
  } else {
    engine.ledger.datasetReloaded(null, true);
  }
  engine.dirty = 0;
  engine.log('#', 'Append Only File loaded by DEBUG LOADAOF');
  return true;
}

/**
 * aofUpgradePrepare: `appendfilename` in `dir` and no manifest in `appenddirname` (or one listing
 * only that file as its base while the file is still outside: an upgrade cut short) is a pre-7.0
 * AOF. Redis persists a manifest naming it `seq 1 type b`, moves it into the directory, syncs the
 * directory and says so; loading then reads it as the base, and incr 1 is created after the load.
 * Observed on 7.0.15 (test/codec/aof/fixtures/captures.json): a load that then fails leaves the
 * file moved and the one-line manifest behind.
 */
function migrateOldStyleAof(engine: Engine): void {
  const aof = engine.aof;
  const oldFile = aof.baseName;
  if (!engine.disk.exists(oldFile)) return;
  const manifestBytes = engine.disk.read(aof.path(`${oldFile}.manifest`));
  if (manifestBytes !== null) {
    let listed: AofManifest;
    try {
      listed = parseManifest(bytesToBin(manifestBytes));
    } catch (caught) {
      if (!(caught instanceof AofManifestError)) throw caught;
      return; // The load reports the broken manifest.
    }
    const interrupted = listed.base?.fileName === oldFile && listed.incr.length === 0 && !engine.disk.exists(aof.path(oldFile));
    if (!interrupted) return;
  }
  aof.manifest = { base: { fileName: oldFile, seq: 1, type: 'b' }, history: [], incr: [] };
  aof.persistManifest();
  engine.disk.rename(oldFile, aof.path(oldFile));
  engine.disk.fsyncDir();
  logLine(engine, AofLoadLog.migrated(oldFile, aof.dirName));
}

interface AofFile {
  readonly info: AofInfo;
  readonly path: string;
  readonly bytes: Uint8Array;
  readonly inode: number | null;
}

/** What reading the files in manifest order gave: the first fatal error, and what they hold. */
interface FilesRead {
  readonly failure: StartupFailure | null;
  readonly ranges: readonly (HeldRange | null)[];
  /** The base was an RDB. */
  readonly preamble: boolean;
  /** A tail was cut off and accepted (aof-load-truncated yes): Redis's AOF_TRUNCATED. */
  readonly truncated: boolean;
  readonly bytesRead: number;
}

function* readFiles(engine: Engine, files: readonly AofFile[], clock: LoadClock): Generator<number, FilesRead, void> {
  let offset = 0;
  const ranges: (HeldRange | null)[] = [];
  let preamble = false;
  let truncated = false;
  for (const [i, file] of files.entries()) {
    const seconds = loadSeconds(clock(offset + file.bytes.length) - clock(offset));
    const result = yield* offsetBy(loadFile(engine, file, i === files.length - 1, seconds), offset);
    if (result.failure !== null) return { failure: result.failure, ranges, preamble, truncated, bytesRead: offset };
    preamble ||= result.rdb;
    truncated ||= result.truncated === true;
    ranges.push(result.held);
    offset += file.bytes.length;
  }
  return { failure: null, ranges, preamble, truncated, bytesRead: offset };
}

function* loadFiles(engine: Engine, manifest: AofManifest, files: readonly AofFile[], clock: LoadClock, ignoredSnapshotUnits: number | null): LoadSteps {
  const read = yield* readFiles(engine, files, clock);
  const facts: LoadOutcome['facts'] = {
    loadedFrom: read.preamble ? 'aof-with-rdb-preamble' : 'aof',
    holdsUnits: engine.ledger.prefixOf(read.ranges),
    files: files.map(({ path, bytes, inode }) => ({ name: path, sizeBytes: bytes.length, inode })),
    aofPath: true,
    ignoredSnapshotUnits,
  };
  if (read.failure !== null) return { failure: read.failure, facts };
  logLine(engine, AofLoadLog.loadedFromAof(0), `DB loaded from append only file: ${loadSeconds(clock(read.bytesRead))} seconds`);
  engine.aof.resumeAfterLoad(manifest, loadedSizes(manifest, files));
  return { failure: null, facts };
}

/** The sizes as they were before the load (a truncated tail included), as Redis keeps them. */
function loadedSizes(manifest: AofManifest, files: readonly AofFile[]): LoadedSizes {
  return {
    totalBytes: files.reduce((sum, file) => sum + file.bytes.length, 0),
    baseBytes: manifest.base === null ? 0 : (files[0] as AofFile).bytes.length,
  };
}

/** A line of the codec's, with its "0.000 seconds" replaced by the time the read took. */
function logLine(engine: Engine, line: AofLogLine, text = line.text): void {
  engine.log(line.level as '*' | '#', text);
}

interface FileResult {
  readonly failure: StartupFailure | null;
  /** What the file holds of the ledger's history (null: the lab did not write it). */
  readonly held: HeldRange | null;
  /** The file was an RDB (the hybrid base). */
  readonly rdb: boolean;
  /** Its tail was cut off and the rest accepted. */
  readonly truncated?: boolean;
}

/** One file of the manifest, replayed into the keyspace once it has been read. */
function* loadFile(engine: Engine, file: AofFile, isLastFile: boolean, seconds: string): Generator<number, FileResult, void> {
  const { info, path, bytes, inode } = file;
  const ledger = engine.ledger;
  const done = info.type === 'b' ? AofLoadLog.loadedFromBase(info.fileName, 0) : AofLoadLog.loadedFromIncr(info.fileName, 0);
  const doneText = done.text.replace(/0\.000 seconds$/, `${seconds} seconds`);
  if (bytes.length === 0) {
    // Empty files are fine (a fresh incr), and Redis says nothing about them (AOF_EMPTY).
    const held = info.type === 'b' ? ledger.snapshotRange(inode) : ledger.logRange(inode, [], 0);
    return { failure: null, held, rdb: false };
  }
  // The old single file (named appendfilename) may be an RDB preamble followed by RESP commands.
  const oldStyle = info.type === 'b' && info.fileName === engine.aof.baseName;
  const rdb = info.type === 'b' && bytesToBin(bytes.subarray(0, 5)) === 'REDIS';
  if (rdb) {
    logLine(engine, oldStyle ? AofLoadLog.readingRdbPreamble() : AofLoadLog.readingRdbBase());
    const failure = yield* loadRdbSteps(engine, bytes, 'aof-base', false);
    if (failure !== null) return { failure: { kind: 'rdb', message: failure }, held: null, rdb: true };
    if (!oldStyle) {
      // A base Redis 7 wrote is a whole RDB: nothing follows it.
      logLine(engine, done, doneText);
      return { failure: null, held: ledger.snapshotRange(inode), rdb: true };
    }
    logLine(engine, AofLoadLog.readingTail());
  }
  // With a preamble, scanAof reads the RDB again only to find where the tail starts. The whole
  // file is checked before anything runs (the keys arrive once the disk has read it); the replay
  // then decodes each command from the bytes as it runs it.
  const read = scanAof(bytes, { isKnownCommand: (argv) => engine.knowsCommand(argv) });
  yield read.end.kind === 'bad-format' || read.end.kind === 'read-error' || read.end.kind === 'unknown-command' || read.end.kind === 'crash'
    ? read.end.error.offset
    : bytes.length;
  // The ledger needs the replayed commands only for a file the lab wrote (it knows its history).
  const tracked: ReplayedCommand[] | null = info.type === 'i' && ledger.logRange(inode, [], bytes.length) !== null ? [] : null;
  replay(engine, bytes, read.tailOffset, read.openMulti >= 0 ? read.openMulti : read.commandCount, tracked);
  const outcome = aofLoadOutcome(info.fileName, read.end, engine.config.flag('aof-load-truncated'), isLastFile);
  for (const line of outcome.log) logLine(engine, line);
  if (outcome.truncateTo !== null) engine.disk.truncate(path, outcome.truncateTo);
  if (outcome.fatal) return { failure: { kind: refusalKind(read.end, isLastFile), message: outcome.log.at(-1)?.text ?? read.end.kind }, held: null, rdb };
  logLine(engine, done, doneText);
  const loadedBytes = outcome.truncateTo ?? bytes.length;
  const held = info.type === 'b' ? ledger.snapshotRange(inode) : tracked === null ? null : ledger.logRange(inode, tracked, loadedBytes);
  return { failure: null, held, rdb, truncated: outcome.truncateTo !== null };
}

/**
 * The way back from a file the loader refused: half a command at the end of the last file is cut
 * off (by redis-check-aof --fix, or aof-load-truncated yes); in any other file it is damage before
 * the AOF's end, which the tool will not cut, like a bad byte or an unknown command.
 */
function refusalKind(end: AofEnd, isLastFile: boolean): LoadFailureKind {
  switch (end.kind) {
    case 'truncated':
      return isLastFile ? 'aof-truncated' : 'aof-corrupt';
    case 'rdb-error':
      return 'rdb';
    default:
      // bad-format, unknown-command, crash, and read-error (whose line names a stale errno, "No such file or directory", though the file is there).
      return 'aof-corrupt';
  }
}

/**
 * Runs the first `count` commands from `from` as Redis's AOF-loading client does: no replies,
 * MULTI blocks queued and run at EXEC; an error a command answers is logged (== CRITICAL ==) and
 * loading goes on. The bytes were scanned already: every one of those commands is complete.
 * `tracked` collects them for the ledger.
 */
function replay(engine: Engine, bytes: Uint8Array, from: number, count: number, tracked: ReplayedCommand[] | null): void {
  const client = engine.newClient();
  const scanner = new AofScanner(bytes, from);
  try {
    for (let done = 0; done < count; done++) {
      let item = scanner.next();
      while (item === AofItem.annotation) item = scanner.next();
      if (item !== AofItem.command) break; // Not after a scan: the scan counted complete commands.
      const argv = scanner.argv();
      if (tracked !== null) tracked.push({ argv, offset: scanner.start, end: scanner.pos });
      const reply = engine.execute(client, argv);
      if (reply.type === 'error') {
        const text = reply.value.startsWith('ERR ') ? reply.value.slice(4) : reply.value;
        logLine(engine, AofLoadLog.commandError(text, (argv[0] as string).toLowerCase()));
      }
    }
  } finally {
    engine.closeClient(client);
  }
}
