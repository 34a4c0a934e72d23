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
 *
 * Two measures of progress, on purpose: `written` is what the child has done, byte by byte (the
 * processes lane draws it); `progressKnownToParent` is what the parent has been told, which is
 * all INFO can print. The child tells it only now and then (see `planProgressReports`) and the
 * parent reads what it was told once a second, so INFO's figures move in coarse steps.
 */

/** REDIS_AUTOSYNC_BYTES: a saving child fsyncs every 4 MB. */
export const AUTOSYNC_BYTES = 4 * 1024 * 1024;

/** SERVER_CHILD_NOERROR_RETVAL: the exit code of a child ended by SIGUSR1 (not counted as an error). */
export const SIGUSR1_EXIT_CODE = 255;

/** SIGUSR1 on Linux: the signal a parent reaping exit code 255 says its child was "terminated by". */
export const SIGUSR1 = 10;

/** time(NULL) at a simulated instant: Redis times its children's work in whole unix seconds. */
export const unixSeconds = (ms: number): number => Math.floor(ms / 1000);

/**
 * A report the child sends its parent down the child-info pipe (sendChildInfo): the keys done so
 * far and the copy-on-write it measured as it sent it.
 */
interface ProgressReport {
  readonly atMs: number;
  readonly keysProcessed: number;
  readonly cowBytes: number;
}

/**
 * What the parent has read of its child's reports, which INFO prints: current_save_keys_processed,
 * current_cow_size (measured at `cowMeasuredAtMs`, whence current_cow_size_age) and
 * current_cow_peak, the largest CoW of the reports read.
 */
export interface ProgressKnownToParent {
  readonly keysProcessed: number;
  readonly cowBytes: number;
  readonly cowMeasuredAtMs: number;
  readonly cowPeakBytes: number;
}

/** A report the child will send once it has written `byte` bytes, at `atMs` if nothing stops it. */
interface PlannedReport {
  readonly keysProcessed: number;
  readonly byte: number;
  readonly atMs: number;
}

/**
 * When a child saving `keysTotal` keys into `totalBytes` bytes reports its progress. Redis's saving
 * loops (rdbSaveRio, and rewriteAppendOnlyFileRio without the RDB preamble) look at the clock after
 * a key only when the count of keys before it is a multiple of 1024, and report if a second has
 * passed since their last report: after key 1 (always: there was no report before), then after key
 * 1025, 2049, … when a second has gone by. The model spreads the keys evenly over the bytes.
 */
function planProgressReports(keysTotal: number, totalBytes: number, bytesPerMs: number, startedAtMs: number): PlannedReport[] {
  const plan: PlannedReport[] = [];
  let lastReportMs = -Infinity;
  for (let keysProcessed = 1; keysProcessed <= keysTotal; keysProcessed += 1024) {
    const byte = Math.floor((keysProcessed / keysTotal) * totalBytes);
    const atMs = startedAtMs + byte / bytesPerMs;
    if (atMs - lastReportMs < 1000) continue;
    plan.push({ keysProcessed, byte, atMs });
    lastReportMs = atMs;
  }
  return plan;
}

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
  /** Bytes written to the temp file so far: the child's own progress. */
  written = 0;
  /**
   * What the parent has read of the child's progress reports (null before it read one). It goes
   * with the child when the parent reaps it, as resetChildState clears these figures.
   */
  progressKnownToParent: ProgressKnownToParent | null = null;
  /** The reports the child will send, worked out at the fork; `reportsSent` of them are sent. */
  private readonly reportPlan: readonly PlannedReport[];
  private reportsSent = 0;
  /** Sent and not yet read by the parent: what sits in the pipe. */
  private unreadReports: ProgressReport[] = [];
  /** The child's CoW readings (one per report sent, one as it ends), for its "Fork CoW" line. */
  private cowReadings = { count: 0, sumBytes: 0, peakBytes: 0 };
  /**
   * After the parent died: the byte at which the child next tries to report its progress, finds
   * the pipe broken and exits.
   */
  private stopAtByte: number | null = null;
  /** Set once the process has ended (it may not have been reaped yet). */
  exit: ChildExit | null = null;

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
    this.reportPlan = planProgressReports(spec.keysTotal, spec.bytes.length, spec.bytesPerMs, this.startedAtMs);
    // The child opens its temp file at once; an unwritable directory fails it right here.
    this.step(engine.nowMs, () => engine.disk.create(this.tempName, engine.nowMs));
  }

  /** When the child will next stop: its last byte, or where an orphan gives up (Infinity once exited). */
  doneAtMs(): number {
    if (this.exit !== null) return Infinity;
    return this.startedAtMs + Math.ceil((this.stopAtByte ?? this.bytes.length) / this.spec.bytesPerMs);
  }

  /**
   * The parent was killed. The child's next progress report fails (Broken pipe) and it exits
   * there, before its rename; a child with no report left finishes, renames its file and only
   * then fails to send its final CoW figure.
   */
  orphan(): void {
    const next = this.reportPlan[this.reportsSent];
    this.stopAtByte = next === undefined ? null : Math.max(this.written, next.byte);
    this.orphaned = true;
  }

  private orphaned = false;

  /**
   * receiveChildInfo, at `nowMs`: the parent drains the pipe and keeps the last report's figures
   * (and the largest CoW). Between two of its steps the child writes at a steady speed, so the
   * reports it reaches by now are sent by now, unless it died or the disk fails its writes.
   */
  readProgressReports(nowMs: number): void {
    const writing = this.exit === null && this.engine.disk.fault === 'ok';
    this.sendReports((report) => writing && report.atMs <= nowMs);
    for (const report of this.unreadReports) {
      this.progressKnownToParent = {
        keysProcessed: report.keysProcessed,
        cowBytes: report.cowBytes,
        cowMeasuredAtMs: report.atMs,
        cowPeakBytes: Math.max(this.progressKnownToParent?.cowPeakBytes ?? 0, report.cowBytes),
      };
    }
    this.unreadReports = [];
  }

  /**
   * The child's last CoW reading, as it ends, with the peak and average of all its readings in
   * whole MB: its "Fork CoW for …" line.
   */
  finalCowReading(): { currentMb: number; peakMb: number; averageMb: number } {
    const cow = this.readCow();
    const mb = (bytes: number) => Math.floor(bytes / (1024 * 1024));
    const { count, sumBytes, peakBytes } = this.cowReadings;
    return { currentMb: mb(cow), peakMb: mb(peakBytes), averageMb: mb(Math.floor(sumBytes / count)) };
  }

  /** Sends the planned reports in order while `reached` says the child has got that far. */
  private sendReports(reached: (report: PlannedReport) => boolean): void {
    // An orphan's report goes nowhere: it is the one that fails.
    if (this.orphaned) return;
    for (let next = this.reportPlan[this.reportsSent]; next !== undefined && reached(next); next = this.reportPlan[this.reportsSent]) {
      this.unreadReports.push({ atMs: next.atMs, keysProcessed: next.keysProcessed, cowBytes: this.readCow() });
      this.reportsSent++;
    }
  }

  /**
   * The child measures its copy-on-write (the pages the parent has copied since the fork). The
   * parent's writes happen only between the child's steps, so the figure now is the figure at
   * any moment since its last step.
   */
  private readCow(): number {
    const cow = this.engine.pages.cowBytes;
    this.cowReadings.count++;
    this.cowReadings.sumBytes += cow;
    this.cowReadings.peakBytes = Math.max(this.cowReadings.peakBytes, cow);
    return cow;
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
    this.sendReports((report) => report.byte <= this.written);
    if (this.exit === null && this.stopAtByte !== null && this.written === this.stopAtByte) {
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

/**
 * The child's "Fork CoW for …" line as it ends: its last CoW reading, and the peak and average
 * of every reading it took (one per progress report, and this one), in whole MB.
 */
export function cowLogLine(what: string, child: ForkChild): string {
  const { currentMb, peakMb, averageMb } = child.finalCowReading();
  return `Fork CoW for ${what}: current ${currentMb} MB, peak ${peakMb} MB, average ${averageMb} MB`;
}
