import { AofItem, AofScanner } from '../../codec/aof/index.ts';

/**
 * The ledger of acknowledged writes, and the recovery report a restart makes from it.
 *
 * History is counted in units: every propagated command, or every MULTI … EXEC block, that the
 * node's writes produced, in propagation order (expiry DELs are units too, though no client wrote
 * them). A write acknowledged to a client (its reply released after beforeSleep) gets a sequence
 * number and remembers its unit. Files remember how much of that history they hold: a snapshot
 * (dump.rdb, an AOF base) holds every unit up to its fork; a log file (an AOF incr) holds the
 * units that follow its start, one per command or transaction it contains. Whatever a load reads,
 * it holds a prefix of history, so "survived" is exact: a write survived when its unit is inside
 * the prefix the load brought back, and the writes lost are the suffix after it.
 *
 * Why a write was lost is decided from where its bytes went (aof_buf, then which AOF file at
 * which offsets) and what the load did with that file, never guessed from times.
 *
 * Two things break the plain prefix, and the ledger follows both:
 * - A person changes a file while Redis is not looking (SIM FILE PUT over it, SIM FILE DELETE):
 *   the bytes between the first and the last one that changed are no longer what Redis wrote, so
 *   a log file holds only its commands before and after them (see editedLog), a replaced snapshot
 *   holds nothing, and the writes whose bytes went are lost "to a file operation" — not cut by
 *   the loader, which is 'truncated'.
 * - DEBUG RELOAD swaps the dataset for what dump.rdb holds (after saving it, unless NOSAVE): the
 *   units after that snapshot are then missing from memory, and so from every snapshot taken from
 *   memory later (a BGSAVE, an AOF rewrite's base), though not from an AOF that logged them. A
 *   held range therefore carries the spans of units it lacks.
 *
 * The ledger describes the machine, not the process: it lives through crashes, like the disk.
 * Counts are exact; the lists of writes kept for a report are bounded (the last 200 of each).
 */

export type LossReason =
  | 'no-persistence' // neither RDB nor AOF held it (no save since, appendonly no)
  | 'after-snapshot' // written after the fork of the last completed RDB save (RDB-only recovery)
  | 'in-aof-buf' // acknowledged but still in aof_buf when the process died (possible only with postponed writes / everysec nuances)
  | 'not-fsynced' // written to the AOF file but only in the page cache when the power went
  | 'truncated' // cut by aof-load-truncated at load
  | 'rdb-ignored' // in dump.rdb, which a restart with appendonly yes does not read (the restart trap)
  | 'aof-ignored' // in the AOF, which a restart with appendonly no does not read (only dbfilename is)
  | 'not-loaded' // in an AOF file the manifest read at the restart does not list (a rewrite's temp incr file)
  | 'file-replaced'; // its bytes (or a file the load needed before them) were replaced or removed by a file operation (SIM FILE PUT / DELETE)
export interface AckedWrite {
  readonly seq: number;
  readonly atMs: number;
  readonly db: number;
  readonly argv: readonly string[];
}
export interface LostWrite extends AckedWrite {
  readonly reason: LossReason;
}
export interface RecoveryReport {
  readonly crash: 'process' | 'power' | 'shutdown';
  readonly crashedAtMs: number;
  readonly restartedAtMs: number;
  readonly loadedFrom: 'rdb' | 'aof' | 'aof-with-rdb-preamble' | 'none';
  /** Acknowledged writes since the lab started (or since the previous report). */
  readonly acknowledged: number;
  /** The last 200 writes that survived; the count is exact. */
  readonly survived: readonly AckedWrite[];
  readonly survivedCount: number;
  /** The last 200 writes that were lost, with why; the count is exact. */
  readonly lost: readonly LostWrite[];
  readonly lostCount: number;
  /** crashedAtMs − atMs of the oldest lost write (0 when none lost). */
  readonly lossWindowMs: number;
  /** Simulated time the load took. */
  readonly recoveryMs: number;
  /** Files read at load, with their sizes as read. */
  readonly files: readonly { readonly name: string; readonly sizeBytes: number }[];
}

/** How many writes of each list a report keeps. */
export const REPORT_LIST_LIMIT = 200;
/** Recent acknowledged writes kept whole (argv and where their bytes went), for the lists. */
const RECENT_KEPT = 1000;
/** Runs of acknowledged writes whose times stay exact to the millisecond (AckedWrites). */
export const RECENT_RUNS_EXACT = 1 << 15;

/** Where the bytes of a write's propagated form went: nowhere, aof_buf, or a range of an AOF file. */
type AofPlace = 'none' | 'buffered' | { readonly inode: number; readonly start: number; readonly end: number };

interface Entry {
  seq: number;
  readonly atMs: number;
  readonly db: number;
  readonly argv: readonly string[];
  /** Its unit of history, set when its propagation closes (0 until then). */
  unit: number;
  /** Its AofPlace kept flat (no object per write): the file range counts only when 'written'. */
  aof: 'none' | 'buffered' | 'written';
  aofInode: number;
  aofStart: number;
  aofEnd: number;
}

function placeOf(entry: Entry): AofPlace {
  return entry.aof === 'written' ? { inode: entry.aofInode, start: entry.aofStart, end: entry.aofEnd } : entry.aof;
}

/**
 * A log file's content in history: from `fromOffset` on (up to the next segment), the units after
 * `startsAfter`, one per command or transaction that ends by `toOffset`: a file operation changed
 * the bytes after it, so commands ending later are not Redis's.
 */
interface Segment {
  readonly fromOffset: number;
  readonly toOffset: number;
  readonly startsAfter: number;
}

type FileHistory =
  | { readonly kind: 'snapshot'; readonly units: number; readonly missing: readonly UnitSpan[] }
  /** Segments in file order; bytes outside them (a person's) hold nothing of history. */
  | { readonly kind: 'log'; readonly segments: Segment[] };

/** A span of history: the units after `after`, up to `upTo`. */
export interface UnitSpan {
  readonly after: number;
  readonly upTo: number;
}

/**
 * What a file holds of history: the units after `after`, up to `upTo` (a snapshot holds them from
 * the start), except the `missing` spans (ascending, inside the range): units a DEBUG RELOAD had
 * taken out of the dataset the snapshot was made from.
 */
export interface HeldRange extends UnitSpan {
  readonly missing: readonly UnitSpan[];
}

/** What a loaded dataset holds of history: every unit up to `upTo` but the `missing` spans. */
export interface HeldUnits {
  readonly upTo: number;
  readonly missing: readonly UnitSpan[];
}

/** A file changed from outside the server. */
interface FileChange {
  readonly inode: number;
  /** Only its first `keptBytes` are still what Redis wrote (a file not followed as a log, or removed). */
  readonly keptBytes: number;
  /** A log file's units whose bytes the change took; the others are still in it (null: see keptBytes). */
  readonly tookUnits: UnitSpan | null;
  /** The history units when it happened: only writes up to it had their bytes in the file. */
  readonly atUnit: number;
  /** A snapshot's units before the change (null: it was not a snapshot the lab wrote). */
  readonly snapshotUnits: number | null;
}

/** A command as the AOF loader replayed it, from `offset` to `end` in its file. */
export interface ReplayedCommand {
  readonly argv: readonly string[];
  readonly offset: number;
  readonly end: number;
}

/** What a load that succeeded tells the ledger. */
export interface LoadFacts {
  readonly restartedAtMs: number;
  readonly recoveryMs: number;
  readonly loadedFrom: RecoveryReport['loadedFrom'];
  /** The part of history the loaded dataset holds (see WriteLedger.prefixOf). */
  readonly holdsUnits: HeldUnits;
  /** The files read, as the disk names them, with their inodes and their sizes when read. */
  readonly files: readonly { readonly name: string; readonly sizeBytes: number; readonly inode: number | null }[];
  /** appendonly yes: the AOF load path was taken (and dbfilename ignored). */
  readonly aofPath: boolean;
  /** The units held by dbfilename when the AOF path ignored it (null: no such file, or unknown). */
  readonly ignoredSnapshotUnits: number | null;
}

export class WriteLedger {
  /** Units of history propagated so far. */
  private units = 0;
  private nextSeq = 1;
  /** True while a load replays files: its commands are not new history. */
  suspended = false;
  /**
   * Writes whose replies have not been released yet: the first `closed` were propagated; the
   * rest are the command being run's, waiting for its propagation (one unit) to close. One list,
   * so a write costs no array of its own.
   */
  private unacked: Entry[] = [];
  private closed = 0;
  /** Writes in aof_buf until the buffer is written or dropped, units ascending (they only grow). */
  private buffered: Entry[] = [];
  /** Every write acknowledged since the last report: its unit and time (exact counts). */
  private acked = new AckedWrites();
  /** The first sequence number of the current window. */
  private windowFirstSeq = 1;
  /** The units before the current window: what the last restart's dataset stands for. */
  private origin = 0;
  private recent: Entry[] = [];
  private readonly files = new Map<number, FileHistory>();
  /** How the process of this window ended (the first stop; a later power loss makes it 'power'). */
  private stop: { kind: RecoveryReport['crash']; atMs: number } | null = null;
  /** Spans of history the dataset in memory lacks since a DEBUG RELOAD (ascending; empty after a restart). */
  private datasetMissing: readonly UnitSpan[] = [];
  /** Files changed from outside the server during this window, oldest first. */
  private changes: FileChange[] = [];

  /** The history units so far: what a snapshot taken now holds. */
  get currentUnit(): number {
    return this.units;
  }

  /** Writes acknowledged since the last report. */
  get acknowledgedInWindow(): number {
    return this.acked.count;
  }

  /** Runs of those writes held for the report: bounded under a steady load (AckedWrites). */
  get acknowledgedRuns(): number {
    return this.acked.runs;
  }

  // ---- the write path -------------------------------------------------------------------------------

  /**
   * A client's command changed data (its propagation closes at the end of the outermost call).
   * `argv` is kept as it is: Engine.execute's callers never change an argv they handed over.
   */
  noteWrite(db: number, argv: readonly string[], atMs: number): void {
    if (this.suspended) return;
    // The entry itself, completed when its unit closes: one object per write on the hot path.
    this.unacked.push({ seq: 0, atMs, db, argv, unit: 0, aof: 'none', aofInode: 0, aofStart: 0, aofEnd: 0 });
  }

  /**
   * One batch was propagated (a command, or a MULTI … EXEC block): a new unit of history, shared
   * by the client writes that made it. `fedToAof`: the batch went into aof_buf. Returns the unit.
   */
  unitPropagated(fedToAof: boolean): number {
    if (this.suspended) return this.units;
    const unit = ++this.units;
    const entries = this.unacked;
    for (let i = this.closed; i < entries.length; i++) {
      const entry = entries[i] as Entry;
      entry.unit = unit;
      if (fedToAof) {
        entry.aof = 'buffered';
        this.buffered.push(entry);
      }
    }
    this.closed = entries.length;
    return unit;
  }

  /**
   * aof_buf was written to a file at `fileOffset`; `units` are the units it held, ascending, and
   * `ends` where each ended in it (parallel arrays: no object per write).
   */
  bufferWritten(inode: number, fileOffset: number, units: readonly number[], ends: readonly number[]): void {
    // Both lists ascend by unit: walk them together, keeping the writes whose unit no mark names.
    const buffered = this.buffered;
    let start = 0;
    let next = 0;
    let kept = 0;
    for (let mark = 0; mark < units.length; mark++) {
      const unit = units[mark] as number;
      const end = ends[mark] as number;
      while (next < buffered.length && (buffered[next] as Entry).unit < unit) buffered[kept++] = buffered[next++] as Entry;
      while (next < buffered.length && (buffered[next] as Entry).unit === unit) {
        const entry = buffered[next++] as Entry;
        entry.aof = 'written';
        entry.aofInode = inode;
        entry.aofStart = fileOffset + start;
        entry.aofEnd = fileOffset + end;
      }
      start = end;
    }
    while (next < buffered.length) buffered[kept++] = buffered[next++] as Entry;
    buffered.length = kept;
  }

  /** aof_buf was thrown away (a first rewrite's fork holds it all): those writes are in no AOF file. */
  bufferDropped(): void {
    for (const entry of this.buffered) entry.aof = 'none';
    this.buffered = [];
  }

  /** beforeSleep released the replies: the writes propagated since are acknowledged. */
  acknowledge(): void {
    const entries = this.unacked;
    if (entries.length === 0) return;
    // Writes whose propagation never closed were not propagated: nothing to acknowledge.
    for (let i = 0; i < this.closed; i++) {
      const entry = entries[i] as Entry;
      entry.seq = this.nextSeq++;
      this.acked.add(entry.unit, entry.atMs);
      this.recent.push(entry);
    }
    this.unacked = [];
    this.closed = 0;
    if (this.recent.length > 2 * RECENT_KEPT) this.recent = this.recent.slice(-RECENT_KEPT);
  }

  /** The process died before releasing these replies: they were never acknowledged. */
  private dropUnacknowledged(): void {
    // The process is gone and its aof_buf with it: nothing buffered will be written now (the
    // acknowledged ones keep 'buffered' as their place, the reason a report gives for them).
    this.buffered = [];
    this.unacked = [];
    this.closed = 0;
  }

  /** The server stopped: crashed, lost power, or exited. */
  stopped(kind: RecoveryReport['crash'], atMs: number): void {
    this.dropUnacknowledged();
    if (this.stop === null) this.stop = { kind, atMs };
    else if (kind === 'power') this.stop = { ...this.stop, kind };
  }

  // ---- files -----------------------------------------------------------------------------------------

  /** A snapshot file (a temp RDB, an AOF base) was started: it holds the dataset's history up to `units`. */
  snapshotStarted(inode: number | null, units: number): void {
    if (inode !== null) this.files.set(inode, { kind: 'snapshot', units, missing: clipSpans(this.datasetMissing, units) });
  }

  /** A log file starts (or, reopened, goes on) taking units after the current one, from `fromOffset`. */
  logOpened(inode: number | null, fromOffset: number): void {
    if (inode === null) return;
    const history = this.files.get(inode);
    const segment = { fromOffset, toOffset: Number.POSITIVE_INFINITY, startsAfter: this.units };
    if (history?.kind === 'log') history.segments.push(segment);
    else this.files.set(inode, { kind: 'log', segments: [segment] });
  }

  /** A file was created anew or overwritten in place: what it held is gone. */
  forget(inode: number | null): void {
    if (inode !== null) this.files.delete(inode);
  }

  /**
   * A person replaced a file from outside the server (SIM FILE PUT over it, `before` its old
   * bytes, null when there was none): `replace` does it (the disk then reports the file made anew,
   * which makes the ledger forget it). A log file keeps the commands the change left as they were
   * (see editedLog); a snapshot is kept only when the bytes are the same.
   */
  fileReplaced(inode: number | null, before: Uint8Array | null, after: Uint8Array, replace: () => void): void {
    const history = inode === null ? undefined : this.files.get(inode);
    const kept = before === null ? { prefix: 0, suffix: 0 } : keptEnds(before, after);
    const identical = before !== null && kept.prefix === before.length && kept.prefix === after.length;
    // Worked out before the disk changes: `before` may be the disk's own bytes.
    const edited = !identical && history?.kind === 'log' && before !== null ? editedLog(history.segments, before, after, kept) : null;
    replace();
    if (inode === null) return;
    if (identical) {
      if (history !== undefined) this.files.set(inode, history);
      return;
    }
    const change = { inode, keptBytes: kept.prefix, atUnit: this.units, snapshotUnits: history?.kind === 'snapshot' ? history.units : null };
    if (edited === null) {
      this.changes.push({ ...change, tookUnits: null });
      return;
    }
    this.files.set(inode, { kind: 'log', segments: edited.segments });
    this.changes.push({ ...change, tookUnits: { after: edited.lastUnitBefore, upTo: edited.firstUnitAfter === null ? this.units : edited.firstUnitAfter - 1 } });
  }

  /** A person removed a file from outside the server (SIM FILE DELETE): whatever it held is gone. */
  fileRemoved(inode: number | null): void {
    if (inode === null) return;
    const history = this.files.get(inode);
    this.changes.push({ inode, keptBytes: 0, tookUnits: null, atUnit: this.units, snapshotUnits: history?.kind === 'snapshot' ? history.units : null });
    this.files.delete(inode);
  }

  /**
   * DEBUG RELOAD read dump.rdb back into memory: `loaded` is what that file holds (null: nothing
   * of the lab's history — no file, or one the lab did not write). With `flushed` the dataset is
   * now just that; with NOFLUSH it keeps what it had as well.
   */
  datasetReloaded(loaded: HeldRange | null, flushed: boolean): void {
    const lacks: UnitSpan[] = loaded === null ? [{ after: 0, upTo: this.units }] : [...loaded.missing];
    if (loaded !== null && loaded.upTo < this.units) lacks.push({ after: loaded.upTo, upTo: this.units });
    this.datasetMissing = flushed ? lacks : intersectSpans(this.datasetMissing, lacks);
  }

  /** The units a snapshot file holds, or null when the lab did not write it. */
  snapshotUnits(inode: number | null): number | null {
    const history = inode === null ? undefined : this.files.get(inode);
    return history?.kind === 'snapshot' ? history.units : null;
  }

  /** What a snapshot file holds of history (null: the lab did not write it). */
  snapshotRange(inode: number | null): HeldRange | null {
    const history = inode === null ? undefined : this.files.get(inode);
    return history?.kind === 'snapshot' ? { after: 0, upTo: history.units, missing: history.missing } : null;
  }

  /**
   * What a log file holds, given the commands the loader replayed from it (complete ones, an
   * unfinished MULTI left out) out of its first `loadedBytes`: from the start of its first
   * segment, each segment's units, one per command or transaction of Redis's bytes; units between
   * two segments (taken by a file operation, or in an earlier window) are missing. Null when the
   * lab did not write the file.
   */
  logRange(inode: number | null, replayed: readonly ReplayedCommand[], loadedBytes: number): HeldRange | null {
    const history = inode === null ? undefined : this.files.get(inode);
    if (history?.kind !== 'log') return null;
    const reached = history.segments.filter((segment) => segment.fromOffset <= loadedBytes);
    const first = reached[0];
    if (first === undefined) return null;
    const counts = countUnits(reached, replayed);
    let upTo = first.startsAfter;
    const missing: UnitSpan[] = [];
    reached.forEach((segment, index) => {
      if (segment.startsAfter > upTo) missing.push({ after: upTo, upTo: segment.startsAfter });
      upTo = Math.max(upTo, segment.startsAfter) + (counts[index] as number);
    });
    return { after: first.startsAfter, upTo, missing };
  }

  /**
   * The prefix of history the files a load read hold, in the order it read them: from the start
   * of the current window (what the last restart's dataset stands for), each file extends it when
   * it starts no later than the prefix so far; a file that starts after it would leave a hole, so
   * nothing after the hole counts. Files the lab did not write hold nothing of the window. The
   * units a file lacks stay missing, unless a file read later holds them again.
   */
  prefixOf(ranges: readonly (HeldRange | null)[]): HeldUnits {
    let holds = this.origin;
    const missing: UnitSpan[] = [];
    for (const range of ranges) {
      if (range === null) continue;
      if (range.after > holds) break;
      if (range.upTo <= holds) continue;
      for (const span of range.missing) if (span.upTo > holds) missing.push({ after: Math.max(span.after, holds), upTo: span.upTo });
      holds = range.upTo;
    }
    return { upTo: holds, missing };
  }

  // ---- the report ------------------------------------------------------------------------------------------

  /**
   * What came back: the acknowledged writes of the window split by what the load holds, each lost
   * one with its reason. Opens a new window. `sizeOfInode` tells whether an AOF file still holds a
   * write's bytes.
   */
  report(facts: LoadFacts, sizeOfInode: (inode: number) => number | null): RecoveryReport {
    const stop = this.stop ?? { kind: 'shutdown' as const, atMs: facts.restartedAtMs };
    const held = facts.holdsUnits;
    const acked = this.acked;
    const acknowledged = acked.count;
    // The acknowledged writes are in unit order: count those up to the prefix, less those in its gaps.
    let survivedCount = acked.countAtMost(held.upTo);
    let firstLost = survivedCount;
    for (const span of held.missing) {
      const from = acked.countAtMost(span.after);
      const gone = acked.countAtMost(span.upTo) - from;
      survivedCount -= gone;
      if (gone > 0) firstLost = Math.min(firstLost, from);
    }
    const lostCount = acknowledged - survivedCount;
    const holds = (unit: number): boolean => unit <= held.upTo && !held.missing.some((span) => unit > span.after && unit <= span.upTo);
    const context: ReasonContext = { facts, crash: stop.kind, sizeOfInode, changes: this.changes };
    const windowRecent = this.recent.filter((entry) => entry.seq >= this.windowFirstSeq);
    const survived = windowRecent.filter((entry) => holds(entry.unit)).slice(-REPORT_LIST_LIMIT).map(publicWrite);
    const lost = windowRecent
      .filter((entry) => !holds(entry.unit))
      .slice(-REPORT_LIST_LIMIT)
      // Inside the prefix but missing: a file operation took its bytes from the middle of a log
      // file, or DEBUG RELOAD rolled the dataset back to a snapshot without it.
      .map((entry): LostWrite => ({ ...publicWrite(entry), reason: entry.unit <= held.upTo ? (replacedByFileOperation(entry, this.changes) ? 'file-replaced' : 'after-snapshot') : reasonFor(entry, context) }));
    const report: RecoveryReport = {
      crash: stop.kind,
      crashedAtMs: stop.atMs,
      restartedAtMs: facts.restartedAtMs,
      loadedFrom: facts.loadedFrom,
      acknowledged,
      survived,
      survivedCount,
      lost,
      lostCount,
      lossWindowMs: lostCount === 0 ? 0 : Math.max(0, stop.atMs - acked.atMsOf(firstLost)),
      recoveryMs: facts.recoveryMs,
      files: facts.files.map(({ name, sizeBytes }) => ({ name, sizeBytes })),
    };
    this.stop = null;
    this.origin = this.units;
    this.windowFirstSeq = this.nextSeq;
    this.acked = new AckedWrites();
    this.recent = [];
    // The new dataset is what the load brought back; earlier file changes touched only earlier writes.
    this.datasetMissing = [];
    this.changes = [];
    return report;
  }
}

const publicWrite = ({ seq, atMs, db, argv }: Entry): AckedWrite => ({ seq, atMs, db, argv });

/**
 * The units and times of a window's acknowledged writes, in order (units ascend), kept as runs:
 * writes acknowledged at the same time whose units follow one another share one run. A busy
 * headless server acknowledges a thousand writes a millisecond; it then keeps a run per
 * millisecond, not two numbers per write, and the counts stay exact.
 */
class AckedWrites {
  /** Writes so far. */
  count = 0;
  /** Per run: its first write's unit, its time, and how many writes came before it. */
  private firstUnits: number[] = [];
  private times: number[] = [];
  private firstIndexes: number[] = [];
  private lastUnit = -1;
  private lastAtMs = Number.NaN;

  /** Runs held: what the ledger's memory grows with. */
  get runs(): number {
    return this.firstUnits.length;
  }

  add(unit: number, atMs: number): void {
    // A unit repeated (the writes of one transaction) starts a run of its own.
    if (unit !== this.lastUnit + 1 || atMs !== this.lastAtMs) {
      this.firstUnits.push(unit);
      this.times.push(atMs);
      this.firstIndexes.push(this.count);
      if (this.firstUnits.length > 2 * RECENT_RUNS_EXACT) this.coarsenOldRuns();
    }
    this.lastUnit = unit;
    this.lastAtMs = atMs;
    this.count++;
  }

  /**
   * A steady stream of writes (the headless server under a benchmark) starts a run every
   * millisecond until the next restart. All but the newest RECENT_RUNS_EXACT runs are merged
   * where their units follow on within one second: counts stay exact, and an older write's time
   * reads as its second's first write's, at most a second early.
   */
  private coarsenOldRuns(): void {
    const { firstUnits, times, firstIndexes } = this;
    const old = firstUnits.length - RECENT_RUNS_EXACT;
    const kept: number[] = [];
    for (let run = 0; run < firstUnits.length; run++) {
      const last = kept.length === 0 ? -1 : (kept[kept.length - 1] as number);
      const followsOn =
        last >= 0 &&
        run < old &&
        (firstUnits[run] as number) - (firstUnits[last] as number) === (firstIndexes[run] as number) - (firstIndexes[last] as number) &&
        Math.floor((times[run] as number) / 1000) === Math.floor((times[last] as number) / 1000);
      if (!followsOn) kept.push(run);
    }
    this.firstUnits = kept.map((run) => firstUnits[run] as number);
    this.times = kept.map((run) => times[run] as number);
    this.firstIndexes = kept.map((run) => firstIndexes[run] as number);
  }

  /** How many of the writes have a unit at most `limit`. */
  countAtMost(limit: number): number {
    const run = lastAtMost(this.firstUnits, limit);
    if (run < 0) return 0;
    const length = (this.firstIndexes[run + 1] ?? this.count) - (this.firstIndexes[run] as number);
    // Every earlier run ends at or below this one's first unit.
    return (this.firstIndexes[run] as number) + Math.min(length, limit - (this.firstUnits[run] as number) + 1);
  }

  /** The time write number `index` (0-based, < count) was acknowledged. */
  atMsOf(index: number): number {
    return this.times[lastAtMost(this.firstIndexes, index)] as number;
  }
}

/** The index of the last of the ascending `values` that is at most `limit`, or -1. */
function lastAtMost(values: readonly number[], limit: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] as number) <= limit) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

/** Spans of `spans` (ascending) up to `upTo`. */
function clipSpans(spans: readonly UnitSpan[], upTo: number): UnitSpan[] {
  return spans.filter((span) => span.after < upTo).map((span) => (span.upTo > upTo ? { after: span.after, upTo } : span));
}

/** The units in both lists of ascending spans. */
function intersectSpans(a: readonly UnitSpan[], b: readonly UnitSpan[]): UnitSpan[] {
  const both: UnitSpan[] = [];
  for (const x of a) {
    for (const y of b) {
      const after = Math.max(x.after, y.after);
      const upTo = Math.min(x.upTo, y.upTo);
      if (after < upTo) both.push({ after, upTo });
    }
  }
  return both;
}

interface ReasonContext {
  readonly facts: LoadFacts;
  readonly crash: RecoveryReport['crash'];
  readonly sizeOfInode: (inode: number) => number | null;
  readonly changes: readonly FileChange[];
}

/** A file operation took the write's own bytes, or the snapshot that held it. */
function replacedByFileOperation(entry: Entry, changes: readonly FileChange[]): boolean {
  const place = placeOf(entry);
  const took = (change: FileChange, end: number): boolean =>
    change.tookUnits === null ? end > change.keptBytes : entry.unit > change.tookUnits.after && entry.unit <= change.tookUnits.upTo;
  return changes.some(
    (change) =>
      entry.unit <= change.atUnit &&
      ((typeof place === 'object' && place.inode === change.inode && took(change, place.end)) || (change.snapshotUnits !== null && entry.unit <= change.snapshotUnits)),
  );
}

// ---- log files: their units, and a person's edits -----------------------------------------------------

/**
 * How many units of history each segment's commands carry (commands in file order), calling
 * `visit` with each unit and where its bytes are: one per command or MULTI … EXEC block that ends
 * within its segment, none for SELECT. Commands ending past a segment's `toOffset` are not Redis's.
 */
function countUnits(segments: readonly Segment[], commands: readonly ReplayedCommand[], visit?: (unit: number, start: number, end: number) => void): number[] {
  const counts: number[] = [];
  let index = 0;
  segments.forEach((segment, at) => {
    const nextFrom = segments[at + 1]?.fromOffset ?? Number.POSITIVE_INFINITY;
    let units = 0;
    let multiStart = -1;
    while (index < commands.length && (commands[index] as ReplayedCommand).offset < segment.fromOffset) index++;
    for (; index < commands.length && (commands[index] as ReplayedCommand).offset < nextFrom; index++) {
      const { argv, offset, end } = commands[index] as ReplayedCommand;
      if (end > segment.toOffset) continue;
      const name = (argv[0] ?? '').toLowerCase();
      if (name === 'multi') {
        if (multiStart < 0) multiStart = offset;
        continue;
      }
      let start = offset;
      if (name === 'exec' && multiStart >= 0) {
        start = multiStart;
        multiStart = -1;
      } else if (multiStart >= 0 || name === 'select') continue;
      units++;
      if (visit !== undefined) visit(segment.startsAfter + units, start, end);
    }
    counts.push(units);
  });
  return counts;
}

/**
 * How many bytes two files share at their start (`prefix`), and at their end (`suffix`). The two
 * may overlap when the edit repeats the bytes beside it (a command deleted before one that starts
 * the same way): editedLog then decides where the edit was.
 */
function keptEnds(before: Uint8Array, after: Uint8Array): { prefix: number; suffix: number } {
  const shorter = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < shorter && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (suffix < shorter && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  return { prefix, suffix };
}

/** The commands of an AOF file as the loader reads them, up to the first thing it cannot read (only SELECT's arguments decoded). */
function commandsOf(bytes: Uint8Array): ReplayedCommand[] {
  const scanner = new AofScanner(bytes);
  const commands: ReplayedCommand[] = [];
  for (let item = scanner.next(); item === AofItem.command || item === AofItem.annotation; item = scanner.next()) {
    if (item === AofItem.command) commands.push({ argv: scanner.nameIs('select') ? scanner.argv() : [scanner.name()], offset: scanner.start, end: scanner.pos });
  }
  return commands;
}

/** Redis's 16 databases: SELECT of anything else fails and leaves the database as it was. */
const DATABASES = 16;

/**
 * The state the loader's client is in before each command that starts at `from` or later, by
 * offset: the database selected (from 0, a SELECT inside MULTI taking effect at EXEC) and whether
 * a MULTI is open.
 */
function loaderStates(commands: readonly ReplayedCommand[], from: number): Map<number, string> {
  const states = new Map<number, string>();
  let db = 0;
  let queuedDb: number | null = null;
  let inMulti = false;
  for (const { argv, offset } of commands) {
    if (offset >= from) states.set(offset, inMulti ? 'multi' : `db ${db}`);
    const name = (argv[0] ?? '').toLowerCase();
    if (name === 'multi') inMulti = true;
    else if ((name === 'exec' || name === 'discard') && inMulti) {
      if (name === 'exec' && queuedDb !== null) db = queuedDb;
      queuedDb = null;
      inMulti = false;
    } else if (name === 'select' && argv.length === 2 && /^(0|[1-9][0-9]?)$/.test(argv[1] as string) && Number(argv[1]) < DATABASES) {
      if (inMulti) queuedDb = Number(argv[1]);
      else db = Number(argv[1]);
    }
  }
  return states;
}

/**
 * A log file after a person's edit that kept its first `prefix` bytes and its last `suffix` bytes:
 * its segments, the last unit wholly in the prefix, and the first unit of the suffix still
 * Redis's (null: none).
 *
 * Why both ends: an edit in the middle of an AOF leaves the commands after it byte for byte as
 * Redis wrote them, only moved by the change of length, and the loader replays them as before, so
 * their writes are still there; looking only at the prefix would call every one of them replaced.
 * A unit in the unchanged suffix counts from the first one the new file reaches in the state the
 * old file did (a command starting there, the same database selected, no MULTI open): from there
 * on the same bytes replay the same way. The units between (the edited middle, and a suffix whose
 * SELECT was edited away) are the edit's.
 */
function editedLog(
  segments: readonly Segment[],
  before: Uint8Array,
  after: Uint8Array,
  { prefix, suffix }: { prefix: number; suffix: number },
): { segments: Segment[]; lastUnitBefore: number; firstUnitAfter: number | null } {
  const oldCommands = commandsOf(before);
  const shift = after.length - before.length;
  const suffixFrom = before.length - suffix;
  const oldStates = loaderStates(oldCommands, suffixFrom);
  const newStates = loaderStates(commandsOf(after), suffixFrom + shift);
  const units: { unit: number; start: number; end: number }[] = [];
  countUnits(segments, oldCommands, (unit, start, end) => units.push({ unit, start, end }));
  // The first unit of the suffix that the new file reads as the old one did, and that comes after
  // the prefix's last unit (when the ends overlap, the prefix stops where that unit now starts).
  let from: { unit: number; start: number } | null = null;
  let keptPrefix = prefix;
  let lastBefore = -1;
  const lastEndingBy = (offset: number): void => {
    while (lastBefore + 1 < units.length && (units[lastBefore + 1] as { end: number }).end <= offset) lastBefore++;
  };
  for (const [index, { unit, start }] of units.entries()) {
    const state = oldStates.get(start);
    if (start < suffixFrom || state === 'multi' || state !== newStates.get(start + shift)) continue;
    lastEndingBy(Math.min(prefix, start + shift));
    if (lastBefore >= index) continue;
    from = { unit, start };
    keptPrefix = Math.min(prefix, start + shift);
    break;
  }
  if (from === null) lastEndingBy(prefix);
  const lastUnitBefore = units[lastBefore]?.unit ?? 0;
  const edited = segments.filter((segment) => segment.fromOffset <= keptPrefix).map((segment) => ({ ...segment, toOffset: Math.min(segment.toOffset, keptPrefix) }));
  if (from !== null) {
    const { unit, start } = from;
    segments.forEach((segment, at) => {
      if ((segments[at + 1]?.fromOffset ?? Number.POSITIVE_INFINITY) <= start) return;
      const moved = { fromOffset: segment.fromOffset + shift, toOffset: segment.toOffset + shift, startsAfter: segment.startsAfter };
      edited.push(segment.fromOffset <= start ? { ...moved, fromOffset: start + shift, startsAfter: unit - 1 } : moved);
    });
  }
  return { segments: edited, lastUnitBefore, firstUnitAfter: from?.unit ?? null };
}

/** Why a write the load did not bring back was lost: from where its bytes went, what file operations did, and what the load read. */
function reasonFor(entry: Entry, { facts, crash, sizeOfInode, changes }: ReasonContext): LossReason {
  const place = placeOf(entry);
  if (facts.aofPath) {
    if (place === 'buffered') return 'in-aof-buf';
    if (place === 'none') {
      // Never in the AOF: with appendonly yes dump.rdb is not read even when it holds the write (the restart trap).
      if (facts.ignoredSnapshotUnits !== null && entry.unit <= facts.ignoredSnapshotUnits) return 'rdb-ignored';
      return replacedByFileOperation(entry, changes) ? 'file-replaced' : 'no-persistence';
    }
    if (replacedByFileOperation(entry, changes)) return 'file-replaced';
    const file = facts.files.find((candidate) => candidate.inode === place.inode);
    // In an AOF file the load did not read: one the manifest does not list.
    if (file === undefined) return 'not-loaded';
    // Its bytes were read whole and kept, yet it is not in the prefix: a file read before it was
    // changed by hand, leaving a hole in history.
    if (changes.length > 0 && (sizeOfInode(place.inode) ?? 0) >= place.end) return 'file-replaced';
    // Its bytes, or their head, were in the file when it was read: the loader cut them.
    if (file.sizeBytes > place.start) return 'truncated';
    return crash === 'power' ? 'not-fsynced' : 'truncated';
  }
  // appendonly no: only dbfilename was read; an AOF file that still holds the write was ignored.
  if (typeof place === 'object' && (sizeOfInode(place.inode) ?? 0) >= place.end) return 'aof-ignored';
  if (replacedByFileOperation(entry, changes)) return 'file-replaced';
  return facts.loadedFrom === 'rdb' ? 'after-snapshot' : 'no-persistence';
}
