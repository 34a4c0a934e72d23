import { RdbFileWriter, type RdbKeyData, type RdbKeyspace } from '../../codec/rdb/index.ts';
import { DiskError, STRERROR } from '../disk/virtual-disk.ts';
import type { Engine } from '../engine.ts';
import type { Db } from '../keyspace/db.ts';
import { RedisList, RedisZSet, type RedisValue } from '../keyspace/values.ts';
import { estimateMemory } from '../memory/usage.ts';
import { AUTOSYNC_BYTES, cowLogLine, diskBytesPerMs, ForkChild, forkProcess, SIGUSR1, SIGUSR1_EXIT_CODE, unixSeconds } from './fork-child.ts';

/**
 * RDB snapshots, as Redis 7.0's rdb.c and serverCron make them (reference §1).
 *
 * SAVE writes `temp-<mainpid>.rdb` in the main process, then fsync, rename over `dbfilename`,
 * directory fsync. BGSAVE forks: the child's view of the data is the data at fork time, so the
 * snapshot is serialised then, and the child writes it to `temp-<childpid>.rdb` at the model's disk
 * speed as simulated time passes (with an fsync every 4 MB, as rdb-save-incremental-fsync does),
 * then fsyncs, renames, fsyncs the directory, logs and exits. The parent notices the exit at its
 * next cron tick and only then updates lastsave, the dirty counter and the status. Save points are
 * checked in cron with Redis's exact rule.
 */

/** CONFIG_BGSAVE_RETRY_DELAY: after a failed BGSAVE, save points and a scheduled BGSAVE wait more than 5 s. */
const BGSAVE_RETRY_DELAY_MS = 5000;

/** The BGSAVE child (see fork-child.ts). */
export type RdbChild = ForkChild;

/** The model's parameters, set with `SIM SET`. */
export interface RdbModel {
  /** Disk throughput for the saving child, in MB (10^6 bytes) per second. */
  diskMbPerSecond: number;
  /** How long fork() blocks the parent per GB of memory, in microseconds (≈ page-table copying). */
  forkUsPerGb: number;
}

export class RdbPersistence {
  child: RdbChild | null = null;
  readonly model: RdbModel = { diskMbPerSecond: 100, forkUsPerGb: 15_000 };
  /** INFO rdb_saves: SAVEs plus BGSAVE fork attempts. */
  saves = 0;
  lastBgsaveTryMs = 0;
  lastBgsaveDurationSec = -1;
  lastCowBytes = 0;
  latestForkUsec = 0;
  totalForks = 0;
  /** BGSAVE SCHEDULE (or BGSAVE inside MULTI) waits for the next cron tick with no child. */
  scheduled = false;
  lastLoad = { keysLoaded: 0, keysExpired: 0 };

  constructor(private readonly engine: Engine) {}

  // ---- commands ---------------------------------------------------------------------------------

  /** SAVE: a synchronous save in the main process. Returns whether it succeeded. */
  save(reason: 'save' | 'flushall' | 'shutdown' | 'debug-reload'): boolean {
    const engine = this.engine;
    if (reason === 'save') this.saves++;
    const tempName = `temp-${engine.pid}.rdb`;
    const bytes = rdbFileOf(engine);
    // FLUSHALL saves the emptied dataset before its own propagation: the file holds FLUSHALL too.
    const units = engine.ledger.currentUnit + (reason === 'flushall' ? 1 : 0);
    const ok = this.writeFile(engine.pid, 'M', tempName, bytes, units);
    if (!ok) return false;
    engine.log('*', 'DB saved on disk');
    engine.dirty = 0;
    engine.lastSaveMs = engine.nowMs;
    engine.lastBgsaveStatus = 'ok';
    if (engine.observes('rdb.saved')) {
      engine.emit({ type: 'rdb.saved', atMs: engine.nowMs, pid: engine.pid, name: this.fileName, sizeBytes: bytes.length });
    }
    return true;
  }

  /** BGSAVE: forks a child that writes the snapshot. False when fork() itself failed. */
  bgsave(): boolean {
    const engine = this.engine;
    this.saves++;
    this.lastBgsaveTryMs = engine.nowMs;
    const pid = forkProcess(engine, 'rdb');
    engine.log('*', `Background saving started by pid ${pid}`);
    this.child = new ForkChild(engine, {
      purpose: 'rdb',
      pid,
      tempName: `temp-${pid}.rdb`,
      bytes: rdbFileOf(engine),
      keysTotal: engine.dbs.reduce((sum, db) => sum + db.size, 0),
      bytesPerMs: diskBytesPerMs(engine),
      finish: (child) => this.finishChild(child),
      describeError: (error, child) =>
        error.operation === 'open'
          ? `Failed opening the temp RDB file ${child.tempName} (in server root dir ${engine.config.get('dir')}) for saving: ${STRERROR[error.errno]}`
          : saveWriteError(error, child.bytes.length),
    });
    // The snapshot is the dataset at the fork: every unit of history so far.
    engine.ledger.snapshotStarted(engine.disk.inodeOf(this.child.tempName), engine.ledger.currentUnit);
    return true;
  }

  /** SIM KILLCHILD: the saving child dies by SIGKILL (the OOM killer, an operator's kill -9). */
  killChild(): boolean {
    const child = this.child;
    if (child === null || child.exit !== null) return false;
    child.kill(9);
    return true;
  }

  // ---- time -------------------------------------------------------------------------------------

  /** serverCron, with a child alive: the parent reaps it once it has exited. */
  reapExitedChild(): void {
    const child = this.child;
    if (child !== null && child.exit !== null) this.reap(child);
  }

  /** serverCron, with no child: a save point whose changes and seconds are both reached starts a BGSAVE. */
  checkSavePoints(): void {
    const engine = this.engine;
    const nowSec = Math.floor(engine.nowMs / 1000);
    for (const point of engine.config.savePoints) {
      // Redis compares whole seconds, strictly: more than `seconds` since the last successful save.
      const due = engine.dirty >= point.changes && nowSec - Math.floor(engine.lastSaveMs / 1000) > point.seconds;
      if (due && this.retryAllowed()) {
        engine.log('*', `${point.changes} changes in ${point.seconds} seconds. Saving...`);
        this.bgsave();
        return;
      }
    }
  }

  /**
   * serverCron's last step: a scheduled BGSAVE starts once no child is left, so in the very tick
   * that reaped the child it waited for; after a failed BGSAVE it waits as save points do.
   */
  startScheduled(): void {
    if (!this.scheduled || this.engine.hasChild() || !this.retryAllowed()) return;
    this.scheduled = false;
    this.bgsave();
  }

  /** The last BGSAVE succeeded, or it was tried more than 5 whole seconds ago. */
  private retryAllowed(): boolean {
    const engine = this.engine;
    return engine.lastBgsaveStatus === 'ok' || Math.floor(engine.nowMs / 1000) - Math.floor(this.lastBgsaveTryMs / 1000) > BGSAVE_RETRY_DELAY_MS / 1000;
  }

  /**
   * killRDBChild (FLUSHALL): SIGUSR1 to the saving child, which says so as it exits. The parent
   * does not wait: the child stays its child until the next cron reaps it like any other, reads
   * exit code 255 as SIGUSR1, logs `terminated by signal 10`, removes the temp file then, and counts
   * no failure (observed on 7.0.15: the temp file is still there right after FLUSHALL's reply).
   */
  stopChild(): void {
    this.child?.sigusr1();
  }

  /**
   * SHUTDOWN's RDB part: the saving child is stopped as FLUSHALL stops it, so that it cannot
   * rename its snapshot over the one the shutdown may save, and its temp file is removed at once,
   * since no cron may come. If the shutdown is then abandoned (its save failed), the child is
   * still there for the next cron to reap.
   */
  stopChildForShutdown(): void {
    const child = this.child;
    if (child === null) return;
    const engine = this.engine;
    engine.log('#', 'There is a child saving an .rdb. Killing it!');
    child.sigusr1();
    engine.actingAs(engine.pid, () => engine.disk.unlink(child.tempName));
  }

  /**
   * The parent exits (SHUTDOWN) without waiting for the child it stopped: the child is gone with
   * it, which the lab reports as a reap, stopped, the last the server sees of it.
   */
  exitWithParent(): void {
    const child = this.child;
    if (child === null) return;
    child.reaped('stopped');
    this.engine.pages.endFork();
    this.child = null;
  }

  // ---- INFO ---------------------------------------------------------------------------------------

  get fileName(): string {
    return this.engine.config.get('dbfilename');
  }

  // ---- internals ------------------------------------------------------------------------------------

  /**
   * Writes a whole file the way rdbSave does: temp file, data, fsync, rename over `dbfilename`,
   * directory fsync. Logs Redis's errors and removes the temp file on failure. The ledger learns
   * that the file holds `units` of history.
   */
  private writeFile(pid: number, role: 'M' | 'C', tempName: string, bytes: Uint8Array, units: number): boolean {
    const engine = this.engine;
    const disk = engine.disk;
    return engine.actingAs(pid, () => {
      try {
        disk.create(tempName, engine.nowMs);
      } catch (error) {
        if (!(error instanceof DiskError)) throw error;
        engine.log('#', `Failed opening the temp RDB file ${tempName} (in server root dir ${engine.config.get('dir')}) for saving: ${STRERROR[error.errno]}`, { pid, role });
        return false;
      }
      engine.ledger.snapshotStarted(disk.inodeOf(tempName), units);
      try {
        for (let offset = 0; offset < bytes.length; offset += AUTOSYNC_BYTES) {
          disk.append(tempName, bytes.subarray(offset, offset + AUTOSYNC_BYTES), engine.nowMs);
          if (offset + AUTOSYNC_BYTES < bytes.length) disk.fsync(tempName);
        }
        disk.fsync(tempName);
        disk.rename(tempName, this.fileName);
        disk.fsyncDir();
      } catch (error) {
        if (!(error instanceof DiskError)) throw error;
        engine.log('#', saveWriteError(error, bytes.length), { pid, role });
        disk.unlink(tempName);
        return false;
      }
      return true;
    });
  }

  /** The child's last steps: fsync, rename over dbfilename, directory fsync, its log lines. */
  private finishChild(child: ForkChild): void {
    const engine = this.engine;
    engine.disk.fsync(child.tempName);
    engine.disk.rename(child.tempName, this.fileName);
    engine.disk.fsyncDir();
    const who = { pid: child.pid, role: 'C' as const };
    engine.log('*', 'DB saved on disk', who);
    engine.log('*', cowLogLine('RDB', child), who);
    if (engine.observes('rdb.saved')) {
      engine.emit({ type: 'rdb.saved', atMs: engine.nowMs, pid: child.pid, name: this.fileName, sizeBytes: child.bytes.length });
    }
  }

  /**
   * The parent notices the child's exit (waitpid in serverCron) and takes the result, as
   * backgroundSaveDoneHandler does: exit 0 is a success; exit code 255, the child obeying SIGUSR1,
   * is read as that signal and is no failure; any other exit or signal is a failure. Whatever the
   * end, rdb_last_bgsave_time_sec becomes the save's length in whole unix seconds (time(NULL)
   * twice); the CoW figure arrives only with a success.
   */
  private reap(child: RdbChild): void {
    const engine = this.engine;
    const exit = child.exit!;
    const signal = exit.code === SIGUSR1_EXIT_CODE ? SIGUSR1 : exit.signal;
    child.reaped(exit.code === 0 ? 'ok' : signal === SIGUSR1 ? 'stopped' : 'failed');
    if (exit.code === 0) this.lastCowBytes = engine.pages.cowBytes;
    engine.pages.endFork();
    this.child = null;
    if (exit.code === 0) {
      engine.log('*', 'Background saving terminated with success');
      engine.dirty -= child.dirtyAtFork;
      engine.lastSaveMs = engine.nowMs;
      engine.lastBgsaveStatus = 'ok';
    } else if (signal !== null) {
      engine.log('#', `Background saving terminated by signal ${signal}`);
      // A child killed, or stopped by SIGUSR1, leaves its temp file behind; the parent removes it.
      engine.actingAs(engine.pid, () => engine.disk.unlink(child.tempName));
      if (signal !== SIGUSR1) engine.lastBgsaveStatus = 'err';
    } else {
      engine.log('#', 'Background saving error');
      engine.lastBgsaveStatus = 'err';
    }
    this.lastBgsaveDurationSec = unixSeconds(engine.nowMs) - unixSeconds(child.startedAtMs);
    if (engine.observes('bgsave.finished')) engine.emit({ type: 'bgsave.finished', atMs: engine.nowMs, childPid: child.pid, ok: exit.code === 0 });
  }
}

/**
 * The RDB file of the dataset as it is now (`aofBase`: as the base of a multi-part AOF), written
 * straight from the dictionaries, with no copy of the keyspace in between, in a buffer allocated
 * once at about the file's size. What a forked child writes is this, made at the fork.
 */
export function rdbFileOf(engine: Engine, aofBase = false): Uint8Array {
  const memory = estimateMemory(engine);
  const out = new RdbFileWriter({
    ctime: Math.floor(engine.nowMs / 1000),
    usedMem: memory.used,
    rdbcompression: engine.config.flag('rdbcompression'),
    rdbchecksum: engine.config.flag('rdbchecksum'),
    aofBase,
    sizeHint: fileSizeHint(engine, memory.dataset),
  });
  for (const db of engine.dbs) writeDb(out, db, engine.nowMs);
  return out.finish();
}

/**
 * About the size of the dataset's RDB file, from the memory estimate's dataset bytes: a string key
 * counts its name, its value and 16 bytes there, and takes its name, its value and 3 to 5 bytes in
 * the file (a type byte and two lengths), plus 9 with an expiry; containers count more there than
 * they take. A little over the file for strings, far over when LZF shrinks them.
 */
function fileSizeHint(engine: Engine, datasetBytes: number): number {
  let keys = 0;
  let expires = 0;
  for (const db of engine.dbs) {
    keys += db.size;
    expires += db.expires.size;
  }
  return Math.max(0, datasetBytes - 11 * keys) + 9 * expires + 1024;
}

/** The keyspace as the RDB codec takes it: plain values, keys already expired left out. */
export function snapshotOf(engine: Engine): RdbKeyspace {
  return {
    dbs: engine.dbs.map((db) => {
      const entries: RdbKeyData[] = [];
      const expires = db.expires;
      for (const [key, value] of db.data) {
        const expireAtMs = expires.size === 0 ? undefined : expires.get(key);
        if (expireAtMs !== undefined && engine.nowMs > expireAtMs) continue;
        entries.push(keyDataOf(key, value, expireAtMs));
      }
      return { index: db.index, entries };
    }),
  };
}

/**
 * One database into an RDB file: the keys snapshotOf lists, in the same order, so the bytes are
 * writeRdb(snapshotOf(engine))'s. String keys go in without an entry object.
 */
function writeDb(out: RdbFileWriter, db: Db, nowMs: number): void {
  const expires = db.expires;
  let expired = 0;
  for (const expireAtMs of expires.values()) if (nowMs > expireAtMs) expired++;
  out.selectDb(db.index, db.data.size - expired, expires.size - expired);
  for (const [key, value] of db.data) {
    const expireAtMs = expires.size === 0 ? undefined : expires.get(key);
    if (expireAtMs !== undefined && nowMs > expireAtMs) continue;
    if (typeof value === 'string') out.stringKey(key, value, expireAtMs);
    else out.key(keyDataOf(key, value, expireAtMs));
  }
}

/**
 * A key as the codec takes it, in one object literal of a fixed shape per type (`expireAtMs` is
 * undefined for a key without one): object spreads here cost microseconds a key in a browser.
 */
function keyDataOf(key: string, value: RedisValue, expireAtMs: number | undefined): RdbKeyData {
  if (typeof value === 'string') return { key, type: 'string', value, expireAtMs };
  if (value instanceof RedisList) return { key, type: 'list', value: value.toArray(), expireAtMs };
  if (value instanceof RedisZSet) return { key, type: 'zset', value: value.entries.map((e) => [e.member, e.score] as const), expireAtMs };
  if (value instanceof Map) return { key, type: 'hash', value: [...value], expireAtMs };
  return { key, type: 'set', value: [...value], expireAtMs };
}

/** glibc's stdio buffer for a file on ext4 (st_blksize): rdbSave's writes reach the disk in these. */
const STDIO_BUFFER_BYTES = 4096;

/**
 * rdbSave's log line for a failed save, naming the step as Redis does: a write(2) fails inside
 * rdbSaveRio once the stdio buffer has filled, or at the final fflush when the whole file fits in
 * it; an fsync fails as itself.
 */
function saveWriteError(error: DiskError, fileBytes: number): string {
  const step = error.operation !== 'write' ? error.operation : fileBytes > STDIO_BUFFER_BYTES ? 'rdbSaveRio' : 'fflush';
  return `Write error saving DB on disk(${step}): ${STRERROR[error.errno]}`;
}
