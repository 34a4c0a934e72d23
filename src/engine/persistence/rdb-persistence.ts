import { writeRdb, type RdbKeyData, type RdbKeyspace } from '../../codec/rdb/index.ts';
import { DiskError, STRERROR } from '../disk/virtual-disk.ts';
import type { Engine } from '../engine.ts';
import { RedisList, RedisZSet } from '../keyspace/values.ts';
import { estimateMemory } from '../memory/usage.ts';
import { AUTOSYNC_BYTES, cowLogLine, diskBytesPerMs, ForkChild, forkProcess } from './fork-child.ts';

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

/** CONFIG_BGSAVE_RETRY_DELAY: after a failed BGSAVE, save points wait more than 5 s. */
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
    const bytes = this.serialise();
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
      bytes: this.serialise(),
      keysTotal: engine.dbs.reduce((sum, db) => sum + db.size, 0),
      bytesPerMs: diskBytesPerMs(engine),
      finish: (child) => this.finishChild(child),
      describeError: (error, child) =>
        error.operation === 'open'
          ? `Failed opening the temp RDB file ${child.tempName} (in server root dir ${engine.config.get('dir')}) for saving: ${STRERROR[error.errno]}`
          : `Write error saving DB on disk(${error.operation}): ${STRERROR[error.errno]}`,
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

  /** serverCron's RDB duties: reap an exited child, run a scheduled BGSAVE, check save points. */
  cron(): void {
    const engine = this.engine;
    const child = this.child;
    if (child !== null) {
      if (child.exit !== null) this.reap(child);
      return;
    }
    if (engine.hasChild()) return;
    if (this.scheduled) {
      this.scheduled = false;
      this.bgsave();
      return;
    }
    const nowSec = Math.floor(engine.nowMs / 1000);
    for (const point of engine.config.savePoints) {
      // Redis compares whole seconds, strictly: more than `seconds` since the last successful save.
      const due = engine.dirty >= point.changes && nowSec - Math.floor(engine.lastSaveMs / 1000) > point.seconds;
      const retryAllowed =
        engine.lastBgsaveStatus === 'ok' || nowSec - Math.floor(this.lastBgsaveTryMs / 1000) > BGSAVE_RETRY_DELAY_MS / 1000;
      if (due && retryAllowed) {
        engine.log('*', `${point.changes} changes in ${point.seconds} seconds. Saving...`);
        this.bgsave();
        return;
      }
    }
  }

  /**
   * FLUSHALL and SHUTDOWN end a running save first (with SIGUSR1, which Redis does not count as a
   * failure); its temp file goes with it.
   */
  abortChild(reason: 'flushall' | 'shutdown'): void {
    const child = this.child;
    if (child === null) return;
    if (reason === 'shutdown') this.engine.log('#', 'There is a child saving an .rdb. Killing it!');
    this.engine.actingAs(this.engine.pid, () => this.engine.disk.unlink(child.tempName));
    this.engine.pages.endFork();
    this.child = null;
  }

  // ---- INFO ---------------------------------------------------------------------------------------

  /** current_save_keys_processed: the child reports its progress in whole keys. */
  keysProcessed(): number {
    return this.child?.keysProcessed() ?? 0;
  }

  get fileName(): string {
    return this.engine.config.get('dbfilename');
  }

  // ---- internals ------------------------------------------------------------------------------------

  private serialise(): Uint8Array {
    const engine = this.engine;
    return writeRdb(snapshotOf(engine), {
      ctime: Math.floor(engine.nowMs / 1000),
      usedMem: estimateMemory(engine).used,
      rdbcompression: engine.config.flag('rdbcompression'),
      rdbchecksum: engine.config.flag('rdbchecksum'),
    });
  }

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
        engine.log('#', `Write error saving DB on disk(${error.operation}): ${STRERROR[error.errno]}`, { pid, role });
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
    engine.log('*', cowLogLine('RDB', engine, child), who);
    if (engine.observes('rdb.saved')) {
      engine.emit({ type: 'rdb.saved', atMs: engine.nowMs, pid: child.pid, name: this.fileName, sizeBytes: child.bytes.length });
    }
  }

  /** The parent notices the child's exit (waitpid in serverCron) and takes the result. */
  private reap(child: RdbChild): void {
    const engine = this.engine;
    const exit = child.exit!;
    this.lastCowBytes = engine.pages.cowBytes;
    engine.pages.endFork();
    this.child = null;
    let ok = false;
    if (exit.code === 0) {
      ok = true;
      engine.log('*', 'Background saving terminated with success');
      engine.dirty -= child.dirtyAtFork;
      engine.lastSaveMs = engine.nowMs;
      engine.lastBgsaveStatus = 'ok';
      this.lastBgsaveDurationSec = Math.floor((engine.nowMs - child.startedAtMs) / 1000);
    } else if (exit.signal !== null) {
      engine.log('#', `Background saving terminated by signal ${exit.signal}`);
      // A killed child leaves its temp file behind; the parent removes it.
      engine.actingAs(engine.pid, () => engine.disk.unlink(child.tempName));
      engine.lastBgsaveStatus = 'err';
    } else {
      engine.log('#', 'Background saving error');
      engine.lastBgsaveStatus = 'err';
    }
    if (engine.observes('bgsave.finished')) engine.emit({ type: 'bgsave.finished', atMs: engine.nowMs, childPid: child.pid, ok });
  }
}

/** The keyspace as the RDB codec takes it: plain values, keys already expired left out. */
export function snapshotOf(engine: Engine): RdbKeyspace {
  return {
    dbs: engine.dbs.map((db) => {
      const entries: RdbKeyData[] = [];
      for (const [key, value] of db.data) {
        const expireAtMs = db.expires.get(key);
        if (expireAtMs !== undefined && engine.nowMs > expireAtMs) continue;
        const base = expireAtMs === undefined ? { key } : { key, expireAtMs };
        if (typeof value === 'string') entries.push({ ...base, type: 'string', value });
        else if (value instanceof RedisList) entries.push({ ...base, type: 'list', value: value.toArray() });
        else if (value instanceof RedisZSet) entries.push({ ...base, type: 'zset', value: value.entries.map((e) => [e.member, e.score] as const) });
        else if (value instanceof Map) entries.push({ ...base, type: 'hash', value: [...value] });
        else entries.push({ ...base, type: 'set', value: [...value] });
      }
      return { index: db.index, entries };
    }),
  };
}
