import { DiskError } from '../disk/virtual-disk.ts';
import type { Engine } from '../engine.ts';
import type { ChildPurpose, ReapOutcome } from '../events.ts';
import { estimateMemory } from '../memory/usage.ts';

/**
 * A forked child writing one file: the BGSAVE child and the AOF-rewrite child are both this.
 *
 * The child's data is what the parent held at fork time, serialised then. As simulated time
 * passes it writes that to its temp file at the model's disk speed, fsyncing every 4 MB
 * (rdb-save-incremental-fsync, aof-rewrite-incremental-fsync); when the last byte is written it
 * runs its `finish` steps (fsync, rename, log) and exits 0. A disk error makes it log, remove its
 * temp file and exit 1; a signal kills it where it stands; SIGUSR1, which Redis itself sends to
 * end a child it no longer wants, makes it log and exit 255. The parent learns of the exit only when
 * it reaps the child: in serverCron, or at once when it ended the child itself and waited for it.
 */

/** REDIS_AUTOSYNC_BYTES: a saving child fsyncs every 4 MB. */
export const AUTOSYNC_BYTES = 4 * 1024 * 1024;

/** SERVER_CHILD_NOERROR_RETVAL: the exit code of a child ended by SIGUSR1 (not counted as an error). */
export const SIGUSR1_EXIT_CODE = 255;

/** SIGUSR1 on Linux: the signal a parent reaping exit code 255 says its child was "terminated by". */
export const SIGUSR1 = 10;

/** time(NULL) at a simulated instant: Redis times its children's work in whole unix seconds. */
export const unixSeconds = (ms: number): number => Math.floor(ms / 1000);

export interface ChildExit {
  readonly atMs: number;
  readonly code: number | null;
  readonly signal: number | null;
}

export interface ForkChildSpec {
  readonly purpose: ChildPurpose;
  readonly pid: number;
  readonly tempName: string;
  readonly bytes: Uint8Array;
  readonly keysTotal: number;
  /** Bytes per simulated ms. */
  readonly bytesPerMs: number;
  /** The last steps once every byte is written: fsync, rename, log. May throw DiskError. */
  readonly finish: (child: ForkChild) => void;
  /** The log line for a disk error. */
  readonly describeError: (error: DiskError, child: ForkChild) => string;
}

export class ForkChild {
  readonly purpose: ForkChildSpec['purpose'];
  readonly pid: number;
  readonly startedAtMs: number;
  readonly tempName: string;
  /** What the child writes: the data as of the fork, serialised. */
  readonly bytes: Uint8Array;
  readonly keysTotal: number;
  /** The dirty counter at fork time: a successful save leaves only later changes counted. */
  readonly dirtyAtFork: number;
  written = 0;
  /**
   * After the parent died: the byte at which the child next tries to report its progress (it
   * does at every 1024th key, at most once a second) and so finds the pipe broken and exits.
   */
  private stopAtByte: number | null = null;
  /** Set once the process has ended (it may not have been reaped yet). */
  exit: ChildExit | null = null;
  cowPeakBytes = 0;

  constructor(
    private readonly engine: Engine,
    private readonly spec: ForkChildSpec,
  ) {
    this.purpose = spec.purpose;
    this.pid = spec.pid;
    this.tempName = spec.tempName;
    this.bytes = spec.bytes;
    this.keysTotal = spec.keysTotal;
    this.startedAtMs = engine.nowMs;
    this.dirtyAtFork = engine.dirty;
    // The child opens its temp file at once; an unwritable directory fails it right here.
    this.step(engine.nowMs, () => engine.disk.create(this.tempName, engine.nowMs));
  }

  /** When the child will next stop: its last byte, or where an orphan gives up (Infinity once exited). */
  doneAtMs(): number {
    if (this.exit !== null) return Infinity;
    return this.startedAtMs + Math.ceil((this.stopAtByte ?? this.bytes.length) / this.spec.bytesPerMs);
  }

  /**
   * The parent was killed at `atMs`. Redis's saving child sends progress to the parent at every
   * 1024th key when a second has passed since its last report (the first report comes at key
   * 1024); the first report after the parent's death fails and the child exits there, before its
   * rename. A child that finishes first renames its file and only then fails to report.
   */
  orphan(atMs: number): void {
    if (this.purpose !== 'rdb' || this.keysTotal === 0) {
      this.stopAtByte = null;
    } else {
      const byteOfKey = (key: number) => Math.floor((key / this.keysTotal) * this.bytes.length);
      const timeOfByte = (byte: number) => this.startedAtMs + byte / this.spec.bytesPerMs;
      let lastReportMs = -Infinity;
      for (let key = 1024; key <= this.keysTotal; key += 1024) {
        const at = timeOfByte(byteOfKey(key));
        if (at - lastReportMs < 1000) continue;
        if (at >= atMs) {
          this.stopAtByte = Math.max(this.written, byteOfKey(key));
          break;
        }
        lastReportMs = at;
      }
    }
    this.orphaned = true;
  }

  private orphaned = false;

  /** current_save_keys_processed: progress in whole keys. */
  keysProcessed(): number {
    return this.bytes.length === 0 ? 0 : Math.floor((this.keysTotal * this.written) / this.bytes.length);
  }

  /** The child's work up to `nowMs`: write what the disk speed allows, then finish. */
  advance(nowMs: number): void {
    if (this.exit !== null) return;
    const limit = this.stopAtByte ?? this.bytes.length;
    const due = Math.min(limit, Math.floor((nowMs - this.startedAtMs) * this.spec.bytesPerMs));
    while (this.written < due && this.exit === null) {
      // Up to the next 4 MB boundary, then fsync.
      const boundary = (Math.floor(this.written / AUTOSYNC_BYTES) + 1) * AUTOSYNC_BYTES;
      const end = Math.min(due, boundary);
      this.step(nowMs, () => {
        this.engine.disk.append(this.tempName, this.bytes.subarray(this.written, end), nowMs);
        this.written = end;
        if (end === boundary) this.engine.disk.fsync(this.tempName);
      });
    }
    if (this.exit === null && this.stopAtByte !== null && this.written === this.stopAtByte && this.written < this.bytes.length) {
      // An orphan reporting progress: the write to the dead parent's pipe fails; the temp file stays.
      this.brokenPipe(nowMs);
      return;
    }
    if (this.exit === null && this.written === this.bytes.length) {
      this.step(nowMs, () => {
        this.spec.finish(this);
        if (this.orphaned) this.brokenPipe(nowMs);
        else this.exitWith({ atMs: nowMs, code: 0, signal: null });
      });
    }
  }

  /** Killed by a signal it does not handle (SIGKILL from the OOM killer or an operator). */
  kill(signal: number): void {
    if (this.exit === null) this.exitWith({ atMs: this.engine.nowMs, code: null, signal });
  }

  /**
   * SIGUSR1 from the parent: the child's handler logs (from the signal handler, in Redis's raw
   * format, as the child: its pid, role C) and exits with SERVER_CHILD_NOERROR_RETVAL. A child that
   * already exited says nothing.
   */
  sigusr1(): void {
    if (this.exit !== null) return;
    const engine = this.engine;
    engine.logRaw(`${this.pid}:signal-handler (${Math.floor(engine.nowMs / 1000)}) Received SIGUSR1 in child, exiting now.`, { pid: this.pid, role: 'C' });
    this.exitWith({ atMs: engine.nowMs, code: SIGUSR1_EXIT_CODE, signal: null });
  }

  /** The parent's waitpid returned this child: said before the parent acts on the result. */
  reaped(outcome: ReapOutcome): void {
    const { engine, exit } = this;
    if (exit === null) throw new Error(`child ${this.pid} reaped before it exited`);
    if (engine.observes('child.reaped')) {
      engine.emit({ type: 'child.reaped', atMs: engine.nowMs, pid: this.pid, purpose: this.purpose, outcome, exitCode: exit.code, signal: exit.signal });
    }
  }

  private brokenPipe(atMs: number): void {
    this.engine.log('#', 'Child failed reporting info to parent, exiting. Broken pipe', { pid: this.pid, role: 'C' });
    this.exitWith({ atMs, code: 1, signal: null });
  }

  /** Runs disk work as the child; a disk error makes it log, remove its temp file and exit 1. */
  private step(atMs: number, work: () => void): void {
    const engine = this.engine;
    engine.actingAs(this.pid, () => {
      try {
        work();
      } catch (error) {
        if (!(error instanceof DiskError)) throw error;
        engine.log('#', this.spec.describeError(error, this), { pid: this.pid, role: 'C' });
        engine.disk.unlink(this.tempName);
        this.exitWith({ atMs, code: 1, signal: null });
      }
    });
  }

  private exitWith(exit: ChildExit): void {
    this.exit = exit;
    if (this.engine.observes('child.exited')) {
      this.engine.emit({ type: 'child.exited', atMs: exit.atMs, pid: this.pid, exitCode: exit.code, signal: exit.signal });
    }
  }
}

/**
 * fork(): the parent blocks for a time that grows with its memory (the page tables are copied),
 * the child gets the next pid and shares every memory page. Returns the child's pid.
 */
export function forkProcess(engine: Engine, purpose: ChildPurpose): number {
  const memoryBytes = estimateMemory(engine).used;
  engine.rdb.latestForkUsec = Math.round((memoryBytes / 1024 ** 3) * engine.rdb.model.forkUsPerGb);
  engine.rdb.totalForks++;
  const pid = engine.allocatePid();
  const pageCount = engine.pages.startFork(memoryBytes);
  if (engine.observes('fork.started')) {
    engine.emit({
      type: 'fork.started',
      atMs: engine.nowMs,
      parentPid: engine.pid,
      childPid: pid,
      purpose,
      forkUs: engine.rdb.latestForkUsec,
      pageCount,
      pageSizeBytes: engine.pages.pageSizeBytes,
    });
  }
  return pid;
}

/** Bytes per simulated ms the saving children write at. */
export function diskBytesPerMs(engine: Engine): number {
  return (engine.rdb.model.diskMbPerSecond * 1_000_000) / 1000;
}

/** The child's "Fork CoW for …" line: copied bytes now and at their peak, in whole MB. */
export function cowLogLine(what: string, engine: Engine, child: ForkChild): string {
  const mb = (bytes: number) => Math.floor(bytes / (1024 * 1024));
  const current = mb(engine.pages.cowBytes);
  const peak = mb(Math.max(child.cowPeakBytes, engine.pages.cowBytes));
  return `Fork CoW for ${what}: current ${current} MB, peak ${peak} MB, average ${Math.floor((current + peak) / 2)} MB`;
}
