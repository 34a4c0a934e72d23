import { binToBytes } from '../../codec/bytes.ts';
import type { RdbKeyspace } from '../../codec/rdb/index.ts';
import { AofBuffer, formatManifest, type AofInfo, type AofManifest } from '../../codec/aof/index.ts';
import { encodeCommand } from '../../codec/resp.ts';
import { DiskError, STRERROR } from '../disk/virtual-disk.ts';
import type { Engine } from '../engine.ts';
import { formatDouble } from '../../codec/numbers.ts';
import { cowLogLine, diskBytesPerMs, ForkChild, forkProcess, unixSeconds } from './fork-child.ts';
import { rdbFileOf, snapshotOf } from './rdb-persistence.ts';

/**
 * The append-only file, as Redis 7.0's aof.c writes it (reference §3).
 *
 * Every write's propagated form is appended to `aof_buf`, preceded by a SELECT whenever its
 * database differs from the last one logged. In beforeSleep, before any reply leaves, one write()
 * moves the whole buffer into the page cache of the current incr file; then the fsync policy acts:
 * `always` fsyncs there and then; `everysec` hands an fsync to a background thread at most once per
 * unix second, and while that fsync is still running it leaves new data in `aof_buf` for up to 2 s
 * (the postponed write); `no` leaves flushing to the kernel. Files live in `appenddirname` as
 * Redis 7's multi-part AOF: one base, incr files, and the manifest that lists them.
 */

export type AofState = 'off' | 'on' | 'wait-rewrite';

/** How long everysec keeps postponing a write while a background fsync runs. */
const MAX_POSTPONE_MS = 2000;
/** AOF_REWRITE_ITEMS_PER_CMD: a RESP base writes big containers in commands of 64 items. */
const ITEMS_PER_COMMAND = 64;
/** AOF_REWRITE_LIMITE_THRESHOLD: consecutive failed rewrites before automatic ones are throttled. */
const REWRITE_LIMIT_THRESHOLD = 3;
/** AOF_REWRITE_LIMITE_MAX_MINUTES: the throttle's delay doubles from 1 minute up to this. */
const REWRITE_LIMIT_MAX_MINUTES = 60;
/** The incr file that takes writes while AOF is being switched on at runtime. */
const TEMP_INCR = 'temp-appendonly.aof.incr';

/** An `aof-timestamp-enabled` annotation: the loader skips it, redis-check-aof can cut at it. */
export const timestampAnnotation = (unixSec: number): string => `#TS:${unixSec}\r\n`;

/**
 * A RESP base (aof-use-rdb-preamble no): per database a SELECT, then one command per key (big
 * containers in batches of 64 items) and PEXPIREAT after a key with a TTL, as Redis's rewrite does.
 * With `aof-timestamp-enabled yes` the rewrite forces a `#TS:` line at the very top (observed on
 * 7.0.15, also for an empty dataset); an RDB base never has one.
 */
export function respBase(keyspace: RdbKeyspace, timestampSec: number | null = null): string {
  let out = timestampSec === null ? '' : timestampAnnotation(timestampSec);
  const batches = (command: string, key: string, items: readonly string[], width: number) => {
    for (let i = 0; i < items.length; i += ITEMS_PER_COMMAND * width) {
      out += encodeCommand([command, key, ...items.slice(i, i + ITEMS_PER_COMMAND * width)]);
    }
  };
  for (const db of keyspace.dbs) {
    if (db.entries.length === 0) continue;
    out += encodeCommand(['SELECT', String(db.index)]);
    for (const entry of db.entries) {
      if (entry.type === 'string') out += encodeCommand(['SET', entry.key, entry.value]);
      else if (entry.type === 'list') batches('RPUSH', entry.key, entry.value, 1);
      else if (entry.type === 'set') batches('SADD', entry.key, entry.value, 1);
      else if (entry.type === 'zset') batches('ZADD', entry.key, entry.value.flatMap(([member, score]) => [formatDouble(score), member]), 2);
      else batches('HMSET', entry.key, entry.value.flat(), 2);
      if (entry.expireAtMs !== undefined) out += encodeCommand(['PEXPIREAT', entry.key, String(entry.expireAtMs)]);
    }
  }
  return out;
}

export interface AofModel {
  /** How long a background fdatasync takes on this disk, in ms. */
  fsyncMs: number;
}

/** The AOF's sizes as a load measured them, before reading anything (a tail it cuts still counts). */
export interface LoadedSizes {
  readonly totalBytes: number;
  readonly baseBytes: number;
}

export class AofPersistence {
  state: AofState = 'off';
  /** aof_buf: propagated commands not yet written, encoded once, straight into bytes. */
  private readonly pending = new AofBuffer();
  /** The database of the last command logged; -1 forces a SELECT before the next one. */
  selectedDb = -1;
  /** The manifest in memory: the base, history (newest first) and the incr files, in order. */
  manifest: { base: AofInfo | null; history: AofInfo[]; incr: AofInfo[] } = { base: null, history: [], incr: [] };
  /** aof_current_size and aof_base_size, in bytes. */
  currentSize = 0;
  baseSize = 0;
  lastWriteStatus: 'ok' | 'err' = 'ok';
  /** strerror of the last failed write, for MISCONF. */
  lastWriteError = '';
  /** aof_delayed_fsync: writes forced through after 2 s of postponing. */
  delayedFsync = 0;
  /**
   * fsyncMs 0 (the default) lets the background fsync finish before the next command arrives, as
   * a quick disk does; a slow disk (SIM SET fsync-ms 3000) shows the postponed writes.
   */
  readonly model: AofModel = { fsyncMs: 0 };
  /** The background fsync in flight: begun at `startedAtMs`, it will make `upTo` bytes of `name` durable at `doneAtMs`. */
  fsyncInFlight: { readonly name: string; readonly upTo: number; readonly startedAtMs: number; readonly doneAtMs: number } | null = null;
  /**
   * The ledger's units in aof_buf, each with the buffer length at its end, so that once the buffer
   * is written the ledger knows which bytes of which file hold each acknowledged write.
   */
  private bufferUnits: number[] = [];
  private bufferUnitEnds: number[] = [];
  /** The file commands are appended to: the last incr, or the temp incr while switching on. */
  writingTo: string | null = null;
  /** The rewrite child, when one runs. */
  child: ForkChild | null = null;
  /** aof_rewrite_scheduled: BGREWRITEAOF waits for another child to finish. */
  rewriteScheduled = false;
  /** INFO aof_rewrites, aof_last_bgrewrite_status, aof_rewrites_consecutive_failures, … */
  rewrites = 0;
  lastBgrewriteStatus: 'ok' | 'err' = 'ok';
  consecutiveFailures = 0;
  lastRewriteDurationSec = -1;
  lastCowBytes = 0;
  /** The size the automatic rewrite measures growth against. */
  rewriteBaseSize = 0;
  private lastFsyncSec = 0;
  private postponedSinceMs: number | null = null;
  /**
   * aof_cur_timestamp: the unix second of the last `#TS:` annotation. 0 at start, so the first
   * write after a start gets one; a rewrite's new incr file does not reset it (observed).
   */
  private timestampSec = 0;
  /** aofRewriteLimited's statics: the current delay, and the unix second automatic rewrites wait for (0: none). */
  private limitDelayMinutes = 0;
  private retryAtSec = 0;

  constructor(private readonly engine: Engine) {}

  /** aof_buf as a bin string (for views and INFO; the write path never builds it). */
  get buffer(): string {
    return this.pending.toBin();
  }

  get dirName(): string {
    return this.engine.config.get('appenddirname');
  }

  /** appendfilename: the stem of every file's name. */
  get baseName(): string {
    return this.engine.config.get('appendfilename');
  }

  /** A file of the AOF directory, as the virtual disk names it. */
  path(name: string): string {
    return `${this.dirName}/${name}`;
  }

  /** The manifest, as the virtual disk names it: the file a start on the AOF path reads first. */
  get manifestPath(): string {
    return this.path(`${this.baseName}.manifest`);
  }

  private nextIncr(): AofInfo {
    const seq = (this.manifest.incr.at(-1)?.seq ?? 0) + 1;
    return { fileName: `${this.baseName}.${seq}.incr.aof`, seq, type: 'i' };
  }

  private get usePreamble(): boolean {
    return this.engine.config.flag('aof-use-rdb-preamble');
  }

  /** The second a RESP base written now is stamped with, or null with timestamps off. */
  private baseTimestamp(): number | null {
    return this.engine.config.flag('aof-timestamp-enabled') ? Math.floor(this.engine.nowMs / 1000) : null;
  }

  /**
   * A base of the dataset as it is now, in the configured form: RDB (the hybrid preamble, written
   * straight from the dictionaries as BGSAVE's snapshot is, marked aof-base) or RESP commands.
   */
  private baseBytes(): Uint8Array {
    return this.usePreamble ? rdbFileOf(this.engine, true) : binToBytes(respBase(snapshotOf(this.engine), this.baseTimestamp()));
  }

  // ---- start ----------------------------------------------------------------------------------------

  /**
   * A start with `appendonly yes` and no AOF yet: Redis writes a base of the (empty) dataset,
   * opens incr 1 and persists the manifest (reference §3.3). With `aof-use-rdb-preamble no` that
   * base is an empty `.base.aof` (just a `#TS:` line with timestamps on), observed on 7.0.15.
   * `history` is what a manifest listing no base and no incr still listed: it is deleted after, as
   * at every start. Its seqs do not count, so a history file named like base 1 takes the new base
   * with it (observed on 7.0.15: the manifest then lists a base that is gone).
   */
  createOnStart(history: readonly AofInfo[] = []): void {
    const engine = this.engine;
    const base: AofInfo = { fileName: `${this.baseName}.1.base.${this.usePreamble ? 'rdb' : 'aof'}`, seq: 1, type: 'b' };
    const incr: AofInfo = { fileName: `${this.baseName}.1.incr.aof`, seq: 1, type: 'i' };
    engine.log('*', `Creating AOF base file ${base.fileName} on server start`);
    // Nothing is loaded on this path (dump.rdb is ignored with appendonly yes): the base is empty.
    this.writeWholeFile(base.fileName, this.baseBytes());
    engine.ledger.snapshotStarted(engine.disk.inodeOf(this.path(base.fileName)), engine.ledger.currentUnit);
    engine.log('*', `Creating AOF incr file ${incr.fileName} on server start`);
    engine.disk.create(this.path(incr.fileName), engine.nowMs);
    engine.ledger.logOpened(engine.disk.inodeOf(this.path(incr.fileName)), 0);
    this.manifest = { base, history: [...history], incr: [incr] };
    this.persistManifest();
    this.deleteHistory();
    this.state = 'on';
    this.writingTo = this.path(incr.fileName);
    this.selectedDb = -1;
    this.lastFsyncSec = Math.floor(engine.nowMs / 1000);
  }

  /**
   * After the files were replayed at start: append to the last incr file (or create the next one
   * when the manifest lists only a base), then delete the history files the manifest listed.
   * `loaded` is what the load measured before reading anything: Redis takes its sizes from there,
   * so a tail cut off by aof-load-truncated still counts in aof_current_size (observed on 7.0.15:
   * 240 for a 140-byte base and an incr cut from 100 to 87 bytes).
   */
  resumeAfterLoad(manifest: AofManifest, loaded: LoadedSizes): void {
    const engine = this.engine;
    this.adoptManifest(manifest);
    const last = this.manifest.incr.at(-1);
    if (last === undefined) {
      const incr = this.nextIncr();
      engine.log('*', `Creating AOF incr file ${incr.fileName} on server start`);
      engine.disk.create(this.path(incr.fileName), engine.nowMs);
      this.manifest.incr.push(incr);
      this.persistManifest();
    } else {
      engine.log('*', `Opening AOF incr file ${last.fileName} on server start`);
    }
    this.deleteHistory();
    this.writingTo = this.path((this.manifest.incr.at(-1) as AofInfo).fileName);
    // New writes go on after what was loaded: the ledger's next units, from the file's end.
    engine.ledger.logOpened(engine.disk.inodeOf(this.writingTo), engine.disk.sizeOf(this.writingTo) ?? 0);
    this.measureLoaded(loaded);
    this.state = 'on';
    this.selectedDb = -1;
    this.lastFsyncSec = Math.floor(engine.nowMs / 1000);
  }

  /** The manifest read from disk becomes the one the server keeps (a copy: the server changes its own). */
  adoptManifest(manifest: AofManifest): void {
    this.manifest = { base: manifest.base, history: [...manifest.history], incr: [...manifest.incr] };
  }

  /** aof_current_size, aof_base_size and the automatic rewrite's base, as a load measured them. */
  measureLoaded(loaded: LoadedSizes): void {
    this.currentSize = loaded.totalBytes;
    this.baseSize = loaded.baseBytes;
    this.rewriteBaseSize = loaded.baseBytes;
  }

  // ---- the write path ---------------------------------------------------------------------------------

  /** feedAppendOnlyFile: one propagated command into aof_buf (db -1: MULTI/EXEC, no SELECT). */
  feed(db: number, argv: readonly string[]): void {
    if (this.state === 'off') return;
    if (this.engine.config.aofTimestamps) {
      // Before the first command of each new wall-clock second, SELECT included.
      const nowSec = Math.floor(this.engine.nowMs / 1000);
      if (this.timestampSec < nowSec) {
        this.pending.appendBin(timestampAnnotation(nowSec));
        this.timestampSec = nowSec;
      }
    }
    if (db !== -1 && db !== this.selectedDb) {
      this.pending.appendCommand(['SELECT', String(db)]);
      this.selectedDb = db;
    }
    this.pending.appendCommand(argv);
  }

  /** The propagated batch just fed (one unit of the ledger's history) ends here in aof_buf. */
  markUnit(unit: number): void {
    if (this.state === 'off') return;
    this.bufferUnits.push(unit);
    this.bufferUnitEnds.push(this.pending.length);
  }

  /** aof_buf is thrown away unwritten (its content is in a rewrite's fork). */
  private dropBuffer(): void {
    this.pending.clear();
    this.bufferUnits.length = 0;
    this.bufferUnitEnds.length = 0;
    this.engine.ledger.bufferDropped();
  }

  /** flushAppendOnlyFile, run in beforeSleep (and from cron): write, then fsync per policy. */
  flush(force = false): void {
    const engine = this.engine;
    const file = this.writingTo;
    if (this.state === 'off' || file === null) return;
    const policy = engine.config.get('appendfsync');
    if (this.pending.length === 0) {
      // Nothing new, but bytes written earlier may still wait for their once-a-second fsync.
      if (policy === 'everysec') this.maybeBackgroundFsync(file);
      return;
    }
    if (policy === 'everysec' && this.fsyncInFlight !== null && !force) {
      // The disk is busy with the last fsync: keep the data in aof_buf, up to 2 seconds.
      if (this.postponedSinceMs === null) {
        this.postponedSinceMs = engine.nowMs;
        return;
      }
      if (engine.nowMs - this.postponedSinceMs < MAX_POSTPONE_MS) return;
      this.delayedFsync++;
      engine.log(
        '*',
        'Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without waiting for fsync to complete, this may slow down Redis.',
      );
    }
    this.postponedSinceMs = null;
    const bytes = this.pending.bytes();
    const written = bytes.length;
    const offset = engine.disk.sizeOf(file) ?? 0;
    try {
      engine.disk.append(file, bytes, engine.nowMs);
    } catch (error) {
      if (!(error instanceof DiskError)) throw error;
      this.writeFailed(error);
      return;
    }
    if (this.lastWriteStatus === 'err') engine.log('#', 'AOF write error looks solved, Redis can write again.');
    this.lastWriteStatus = 'ok';
    this.pending.clear();
    engine.ledger.bufferWritten(engine.disk.inodeOf(file) ?? -1, offset, this.bufferUnits, this.bufferUnitEnds);
    // Reused: the ledger keeps nothing of them.
    this.bufferUnits.length = 0;
    this.bufferUnitEnds.length = 0;
    this.currentSize += written;
    if (this.fsyncSuspended()) return;
    if (policy === 'always') {
      engine.disk.fsync(file);
      this.lastFsyncSec = Math.floor(engine.nowMs / 1000);
    } else if (policy === 'everysec') {
      this.maybeBackgroundFsync(file);
    }
  }

  /** everysec: one background fsync when the unix second has moved on and none is running. */
  private maybeBackgroundFsync(file: string): void {
    const engine = this.engine;
    const nowSec = Math.floor(engine.nowMs / 1000);
    // The cheap checks first: within the second of the last fsync, the listing is not needed.
    if (this.fsyncInFlight !== null || nowSec <= this.lastFsyncSec || this.fsyncSuspended()) return;
    const unsynced = engine.disk.list().find((entry) => entry.name === file);
    if (unsynced === undefined || unsynced.durableBytes === unsynced.sizeBytes) return;
    this.fsyncInFlight = { name: file, upTo: unsynced.sizeBytes, startedAtMs: engine.nowMs, doneAtMs: engine.nowMs + this.model.fsyncMs };
    this.lastFsyncSec = nowSec;
    if (this.model.fsyncMs === 0) this.completeFsync(engine.nowMs);
  }

  /** no-appendfsync-on-rewrite yes: no fsync at all while any child runs. */
  private fsyncSuspended(): boolean {
    return this.engine.config.flag('no-appendfsync-on-rewrite') && this.engine.hasChild();
  }

  /** When the background fsync in flight completes (Infinity when none). */
  fsyncDoneAtMs(): number {
    return this.fsyncInFlight?.doneAtMs ?? Infinity;
  }

  /** The background thread's fsync finishing: the bytes written before it began are durable. */
  completeFsync(nowMs: number): void {
    const job = this.fsyncInFlight;
    if (job === null || job.doneAtMs > nowMs) return;
    this.fsyncInFlight = null;
    // The file was removed meanwhile (a rewrite retired it): its fd still syncs, but nothing shows.
    if (!this.engine.disk.exists(job.name)) return;
    this.engine.actingAs(0, () => this.engine.disk.fsyncUpTo(job.name, job.upTo));
  }

  private writeFailed(error: DiskError): void {
    const engine = this.engine;
    if (engine.config.get('appendfsync') === 'always') {
      engine.log('#', `Error writing to the AOF file: ${STRERROR[error.errno]}`);
      engine.log('#', "Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
      engine.stop();
      return;
    }
    if (this.lastWriteStatus === 'ok') engine.log('#', `Error writing to the AOF file: ${STRERROR[error.errno]}`);
    this.lastWriteStatus = 'err';
    this.lastWriteError = STRERROR[error.errno];
  }

  // ---- switching on and off at runtime -----------------------------------------------------------------

  /** CONFIG SET appendonly: on means a rewrite of the dataset into a first base (WAIT_REWRITE). */
  setEnabled(enabled: boolean): void {
    const engine = this.engine;
    if (enabled && this.state === 'off') {
      this.state = 'wait-rewrite';
      if (engine.rdb.child !== null) {
        this.rewriteScheduled = true;
        engine.log('#', 'AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.');
      } else if (engine.inTransaction) {
        this.rewriteScheduled = true;
        engine.log('#', 'AOF was enabled during a transaction. An AOF background was scheduled to start when possible.');
      } else {
        // A BGREWRITEAOF running with the AOF off cannot serve: its writes were not being gathered.
        if (this.child !== null) {
          engine.log('#', 'AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now.');
          this.killAppendOnlyChild(this.child);
        }
        this.startRewrite();
      }
    } else if (!enabled && this.state !== 'off') {
      // stopAppendOnly: write and fsync what is buffered, close the file, then end a running rewrite
      // (its temp incr file, on a first rewrite, stays where it is, as on 7.0.15).
      this.flush(true);
      if (this.writingTo !== null && engine.disk.exists(this.writingTo)) engine.disk.fsync(this.writingTo);
      this.state = 'off';
      this.writingTo = null;
      this.rewriteScheduled = false;
      if (this.child !== null) this.killAppendOnlyChild(this.child);
    }
  }

  // ---- rewrite ---------------------------------------------------------------------------------------------

  /**
   * rewriteAppendOnlyFileBackground: open the next incr file for the writes to come, then fork a
   * child that writes the dataset as of the fork as the new base.
   */
  startRewrite(): void {
    const engine = this.engine;
    this.rewriteScheduled = false;
    if (this.state === 'on') {
      // Everything before the fork goes to the old incr; a SELECT starts the new one.
      this.flush(true);
      this.selectedDb = -1;
      const incr = this.nextIncr();
      const previous = this.writingTo;
      engine.disk.create(this.path(incr.fileName), engine.nowMs);
      engine.ledger.logOpened(engine.disk.inodeOf(this.path(incr.fileName)), 0);
      this.manifest.incr.push(incr);
      this.persistManifest();
      engine.log('*', `Creating AOF incr file ${incr.fileName} on background rewrite`);
      this.writingTo = this.path(incr.fileName);
      // The BIO thread fsyncs the old incr file as it closes it (observed with strace on 7.0.15):
      // an earlier incr never loses its tail to a power loss once a later one exists.
      if (previous !== null && engine.disk.exists(previous)) {
        try {
          engine.actingAs(0, () => engine.disk.fsync(previous));
        } catch (error) {
          if (!(error instanceof DiskError)) throw error;
        }
      }
    } else if (this.state === 'wait-rewrite') {
      this.dropBuffer();
      this.selectedDb = -1;
      engine.disk.create(this.path(TEMP_INCR), engine.nowMs);
      engine.ledger.logOpened(engine.disk.inodeOf(this.path(TEMP_INCR)), 0);
      engine.log('*', `Creating AOF incr file ${TEMP_INCR} on background rewrite`);
      this.writingTo = this.path(TEMP_INCR);
    }
    const pid = forkProcess(engine, 'aof-rewrite');
    this.rewrites++;
    engine.log('*', `Background append only file rewriting started by pid ${pid}`);
    this.child = new ForkChild(engine, {
      purpose: 'aof-rewrite',
      pid,
      tempName: `temp-rewriteaof-${pid}.aof`,
      bytes: this.baseBytes(),
      keysTotal: engine.dbs.reduce((sum, db) => sum + db.size, 0),
      bytesPerMs: diskBytesPerMs(engine),
      finish: (child) => {
        const finalName = `temp-rewriteaof-bg-${child.pid}.aof`;
        engine.disk.fsync(child.tempName);
        engine.disk.rename(child.tempName, finalName);
        const who = { pid: child.pid, role: 'C' as const };
        engine.log('*', `Successfully created the temporary AOF base file ${finalName}`, who);
        engine.log('*', cowLogLine('AOF rewrite', child), who);
      },
      describeError: (error) => `Write error writing append only file on disk: ${STRERROR[error.errno]}`,
    });
    // The new base holds the dataset as of the fork: every unit of history so far.
    engine.ledger.snapshotStarted(engine.disk.inodeOf(this.child.tempName), engine.ledger.currentUnit);
  }

  /**
   * SHUTDOWN's AOF part (prepareForShutdown): a first rewrite still running refuses the shutdown
   * unless forced (the dataset would be lost); any other rewrite child is killed (its base would
   * hold nothing the incr files lack); then aof_buf is written and the file fsynced, so every
   * acknowledged write is durable. Returns false when the shutdown must not go on.
   */
  prepareForShutdown(force: boolean): boolean {
    const engine = this.engine;
    const child = this.child;
    if (child !== null) {
      if (this.state === 'wait-rewrite') {
        engine.log('#', force ? 'Writing initial AOF. Exit anyway.' : "Writing initial AOF, can't exit.");
        if (!force) return false;
      }
      engine.log('#', 'There is a child rewriting the AOF. Killing it!');
      this.killAppendOnlyChild(child);
    }
    if (this.state !== 'off') {
      engine.log('*', 'Calling fsync() on the AOF file.');
      if (this.writingTo === null) {
        // Waiting for a first rewrite that has not started: no file is open yet.
        engine.log('#', 'Fail to fsync the AOF file: Bad file descriptor.');
      } else {
        this.flush(true);
        if (engine.disk.exists(this.writingTo)) engine.disk.fsync(this.writingTo);
      }
    }
    return true;
  }

  /**
   * The rewrite child killed with SIGKILL (the OOM killer, SIM KILLCHILD): reaped at the next cron
   * as `terminated by signal 9`, a failed rewrite. False when no child runs.
   */
  killChild(): boolean {
    const child = this.child;
    if (child === null || child.exit !== null) return false;
    child.kill(9);
    return true;
  }

  /**
   * killAppendOnlyChild (CONFIG SET appendonly no, SHUTDOWN, a first rewrite replacing a
   * BGREWRITEAOF): SIGUSR1 to the rewrite child, which says so as it exits; the parent waits for it
   * there and then (no done handler runs: neither a success nor a failure, no status changes) and
   * removes its temp files, the finished one first, as aofRemoveTempFile does.
   */
  private killAppendOnlyChild(child: ForkChild): void {
    const engine = this.engine;
    engine.log('*', `Killing running AOF rewrite child: ${child.pid}`);
    child.sigusr1();
    child.reaped('stopped');
    engine.disk.unlink(`temp-rewriteaof-bg-${child.pid}.aof`);
    engine.disk.unlink(child.tempName);
    engine.pages.endFork();
    this.child = null;
  }

  /** serverCron's first step: a scheduled rewrite starts when no child runs (and failures allow it). */
  startScheduledRewrite(): void {
    if (this.rewriteScheduled && !this.engine.hasChild() && !this.rewriteLimited()) this.startRewrite();
  }

  /** serverCron, with a child alive: the parent reaps the rewrite child once it has exited. */
  reapExitedChild(): void {
    const child = this.child;
    if (child !== null && child.exit !== null) this.reap(child);
  }

  /** serverCron, with no child at first (a save point may have started one since): the automatic rewrite. */
  checkAutoRewrite(): void {
    const engine = this.engine;
    const percentage = Number(engine.config.get('auto-aof-rewrite-percentage'));
    const minSize = Number(engine.config.get('auto-aof-rewrite-min-size'));
    if (this.state === 'on' && !engine.hasChild() && percentage !== 0 && this.currentSize > minSize) {
      const base = this.rewriteBaseSize === 0 ? 1 : this.rewriteBaseSize;
      const growth = Math.floor((this.currentSize * 100) / base) - 100;
      if (growth >= percentage && !this.rewriteLimited()) {
        engine.log('*', `Starting automatic rewriting of AOF on ${growth}% growth`);
        this.startRewrite();
      }
    }
  }

  /**
   * aofRewriteLimited: after 3 consecutive failures, the cron's rewrites (automatic or scheduled)
   * wait 1 minute, then 2, 4, … up to 60 between attempts, so that a rewrite that keeps failing
   * does not pile up small incr files. The first check past the threshold logs the delay; a manual
   * BGREWRITEAOF is never throttled; a success resets it all (observed on 7.0.15 with SIGKILLed
   * children: the limit line ~100 ms after the third failure, the retry 60 s later, then 2 minutes).
   */
  private rewriteLimited(): boolean {
    if (this.consecutiveFailures < REWRITE_LIMIT_THRESHOLD) {
      this.limitDelayMinutes = 0;
      this.retryAtSec = 0;
      return false;
    }
    const nowSec = Math.floor(this.engine.nowMs / 1000);
    if (this.retryAtSec !== 0) {
      if (nowSec < this.retryAtSec) return true;
      this.retryAtSec = 0;
      return false;
    }
    this.limitDelayMinutes = Math.min(this.limitDelayMinutes === 0 ? 1 : this.limitDelayMinutes * 2, REWRITE_LIMIT_MAX_MINUTES);
    this.retryAtSec = nowSec + this.limitDelayMinutes * 60;
    this.engine.log('#', `Background AOF rewrite has repeatedly failed and triggered the limit, will retry in ${this.limitDelayMinutes} minutes`);
    return true;
  }

  /**
   * backgroundRewriteDoneHandler: install the new base, retire the old files, persist the manifest.
   * Whatever the end, aof_last_rewrite_time_sec becomes the rewrite's length in whole unix seconds
   * (observed on 7.0.15: a child killed after 2.3 s left 2); the CoW figure, which the child sends
   * as it finishes, arrives only with a success.
   */
  private reap(child: ForkChild): void {
    const engine = this.engine;
    const exit = child.exit!;
    child.reaped(exit.code === 0 ? 'ok' : 'failed');
    this.lastRewriteDurationSec = unixSeconds(engine.nowMs) - unixSeconds(child.startedAtMs);
    if (exit.code === 0) this.lastCowBytes = engine.pages.cowBytes;
    engine.pages.endFork();
    this.child = null;
    const temp = `temp-rewriteaof-bg-${child.pid}.aof`;
    if (exit.code !== 0) {
      engine.log('#', exit.signal !== null ? `Background AOF rewrite terminated by signal ${exit.signal}` : 'Background AOF rewrite terminated with error');
      engine.disk.unlink(temp);
      engine.disk.unlink(child.tempName);
      this.lastBgrewriteStatus = 'err';
      this.consecutiveFailures++;
      if (this.state === 'wait-rewrite') {
        // The first rewrite failed: drop what was gathered and try again.
        if (this.writingTo !== null) engine.disk.unlink(this.writingTo);
        this.writingTo = null;
        this.dropBuffer();
        this.rewriteScheduled = true;
      }
      return;
    }
    engine.log('*', 'Background AOF rewrite terminated with success');
    const seq = (this.manifest.base?.seq ?? 0) + 1;
    const base: AofInfo = { fileName: `${this.baseName}.${seq}.base.${this.usePreamble ? 'rdb' : 'aof'}`, seq, type: 'b' };
    engine.disk.rename(temp, this.path(base.fileName));
    engine.log('*', `Successfully renamed the temporary AOF base file ${temp} into ${base.fileName}`);
    if (this.state === 'wait-rewrite') {
      const incr = this.nextIncr();
      engine.disk.rename(this.path(TEMP_INCR), this.path(incr.fileName));
      engine.log('*', `Successfully renamed the temporary AOF incr file ${TEMP_INCR} into ${incr.fileName}`);
      this.manifest.incr.push(incr);
      this.writingTo = this.path(incr.fileName);
      this.state = 'on';
    }
    // The old base and every incr but the one being written become history (newest first).
    const { base: oldBase, incr } = this.manifest;
    const retired = [...(oldBase === null ? [] : [oldBase]), ...incr.slice(0, -1)].map((info) => ({ ...info, type: 'h' as const }));
    this.manifest = { base, history: [...retired.reverse(), ...this.manifest.history], incr: incr.slice(-1) };
    this.persistManifest();
    this.deleteHistory();
    engine.log('*', 'Background AOF rewrite finished successfully');
    const size = (path: string | null) => (path === null ? 0 : (engine.disk.sizeOf(path) ?? 0));
    this.currentSize = size(this.path(base.fileName)) + size(this.writingTo);
    this.baseSize = this.currentSize;
    this.rewriteBaseSize = this.currentSize;
    this.lastBgrewriteStatus = 'ok';
    this.consecutiveFailures = 0;
  }

  // ---- files --------------------------------------------------------------------------------------------

  /**
   * aofDelHistoryFiles, after a rewrite, at every start and in DEBUG LOADAOF: with aof-disable-auto-gc no (the
   * default), each history file is named in the log and deleted (by a background thread in
   * Redis; a file already gone is no error), and the manifest is persisted without them.
   */
  deleteHistory(): void {
    const history = this.manifest.history;
    if (history.length === 0) return;
    for (const info of history) this.engine.log('*', `Removing the history file ${info.fileName} in the background`);
    for (const info of history) this.engine.disk.unlink(this.path(info.fileName));
    this.manifest.history = [];
    this.persistManifest();
  }

  private writeWholeFile(name: string, bytes: Uint8Array): void {
    const disk = this.engine.disk;
    disk.create(this.path(name), this.engine.nowMs);
    disk.append(this.path(name), bytes, this.engine.nowMs);
    disk.fsync(this.path(name));
  }

  /** The manifest is written to a temp file, fsynced, renamed over the real one, and the directory synced. */
  persistManifest(): void {
    const temp = this.path(`temp-${this.baseName}.manifest`);
    const disk = this.engine.disk;
    disk.create(temp, this.engine.nowMs);
    disk.append(temp, binToBytes(formatManifest(this.manifest)), this.engine.nowMs);
    disk.fsync(temp);
    disk.rename(temp, this.manifestPath);
    disk.fsyncDir();
  }
}
