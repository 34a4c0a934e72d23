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
 * The ledger describes the machine, not the process: it lives through crashes, like the disk.
 * Counts are exact; the lists of writes kept for a report are bounded (the last 200 of each).
 */

export type LossReason =
  | 'no-persistence' // neither RDB nor AOF held it (no save since, appendonly no)
  | 'after-snapshot' // written after the fork of the last completed RDB save (RDB-only recovery)
  | 'in-aof-buf' // acknowledged but still in aof_buf when the process died (possible only with postponed writes / everysec nuances)
  | 'not-fsynced' // written to the AOF file but only in the page cache when the power went
  | 'truncated' // cut by aof-load-truncated at load
  | 'not-loaded'; // the file holding it was not read (e.g. appendonly yes restart ignoring dump.rdb)
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

/** Where the bytes of a write's propagated form went: nowhere, aof_buf, or a range of an AOF file. */
type AofPlace = 'none' | 'buffered' | { readonly inode: number; readonly start: number; readonly end: number };

interface Entry {
  seq: number;
  readonly atMs: number;
  readonly db: number;
  readonly argv: readonly string[];
  readonly unit: number;
  aof: AofPlace;
}

/** A log file's content in history: from `fromOffset` on, the units after `startsAfter`, one per command or transaction. */
interface Segment {
  readonly fromOffset: number;
  readonly startsAfter: number;
}

type FileHistory = { readonly kind: 'snapshot'; readonly units: number } | { readonly kind: 'log'; readonly segments: Segment[] };

/** What a file holds of history: the units after `after`, up to `upTo` (a snapshot holds them from the start). */
export interface HeldRange {
  readonly after: number;
  readonly upTo: number;
}

/** A command as the AOF loader replayed it. */
export interface ReplayedCommand {
  readonly argv: readonly string[];
  readonly offset: number;
}

/** What a load that succeeded tells the ledger. */
export interface LoadFacts {
  readonly restartedAtMs: number;
  readonly recoveryMs: number;
  readonly loadedFrom: RecoveryReport['loadedFrom'];
  /** The prefix of history the loaded dataset holds, in units (see WriteLedger.prefixOf). */
  readonly holdsUnits: number;
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
  /** Writes of the command being run, waiting for its propagation (one unit) to close. */
  private running: { db: number; argv: readonly string[]; atMs: number }[] = [];
  /** Propagated writes whose replies have not been released yet. */
  private unacked: Entry[] = [];
  /**
   * Writes in aof_buf, by unit, until the buffer is written or dropped: units ascending (they
   * only grow), in two parallel arrays that a flush empties in place (no map churn per write).
   */
  private bufferedUnits: number[] = [];
  private bufferedEntries: Entry[][] = [];
  /** Every write acknowledged since the last report: its unit and time (exact counts). */
  private ackedUnits: number[] = [];
  private ackedAtMs: number[] = [];
  /** The first sequence number of the current window. */
  private windowFirstSeq = 1;
  /** The units before the current window: what the last restart's dataset stands for. */
  private origin = 0;
  private recent: Entry[] = [];
  private readonly files = new Map<number, FileHistory>();
  /** How the process of this window ended (the first stop; a later power loss makes it 'power'). */
  private stop: { kind: RecoveryReport['crash']; atMs: number } | null = null;

  /** The history units so far: what a snapshot taken now holds. */
  get currentUnit(): number {
    return this.units;
  }

  /** Writes acknowledged since the last report. */
  get acknowledgedInWindow(): number {
    return this.ackedUnits.length;
  }

  // ---- the write path -------------------------------------------------------------------------------

  /** A client's command changed data (its propagation closes at the end of the outermost call). */
  noteWrite(db: number, argv: readonly string[], atMs: number): void {
    if (this.suspended) return;
    this.running.push({ db, argv: [...argv], atMs });
  }

  /**
   * One batch was propagated (a command, or a MULTI … EXEC block): a new unit of history, shared
   * by the client writes that made it. `fedToAof`: the batch went into aof_buf. Returns the unit.
   */
  unitPropagated(fedToAof: boolean): number {
    if (this.suspended) return this.units;
    const unit = ++this.units;
    if (this.running.length === 0) return unit;
    const entries = this.running.map(({ db, argv, atMs }): Entry => ({ seq: 0, atMs, db, argv, unit, aof: fedToAof ? 'buffered' : 'none' }));
    this.running = [];
    this.unacked.push(...entries);
    if (fedToAof) {
      this.bufferedUnits.push(unit);
      this.bufferedEntries.push(entries);
    }
    return unit;
  }

  /** aof_buf was written to a file at `fileOffset`; `marks` are the units it held and where each ended in it. */
  bufferWritten(inode: number, fileOffset: number, marks: readonly { unit: number; end: number }[]): void {
    // Both lists ascend by unit: walk them together, keeping the units no mark names.
    const units = this.bufferedUnits;
    const lists = this.bufferedEntries;
    let start = 0;
    let next = 0;
    let kept = 0;
    for (const { unit, end } of marks) {
      while (next < units.length && (units[next] as number) < unit) {
        units[kept] = units[next] as number;
        lists[kept++] = lists[next++] as Entry[];
      }
      if (next < units.length && units[next] === unit) {
        for (const entry of lists[next] as Entry[]) entry.aof = { inode, start: fileOffset + start, end: fileOffset + end };
        next++;
      }
      start = end;
    }
    while (next < units.length) {
      units[kept] = units[next] as number;
      lists[kept++] = lists[next++] as Entry[];
    }
    units.length = kept;
    lists.length = kept;
  }

  /** aof_buf was thrown away (a first rewrite's fork holds it all): those writes are in no AOF file. */
  bufferDropped(): void {
    for (const entries of this.bufferedEntries) for (const entry of entries) entry.aof = 'none';
    this.bufferedUnits = [];
    this.bufferedEntries = [];
  }

  /** beforeSleep released the replies: the writes propagated since are acknowledged. */
  acknowledge(): void {
    this.running = [];
    for (const entry of this.unacked) {
      entry.seq = this.nextSeq++;
      this.ackedUnits.push(entry.unit);
      this.ackedAtMs.push(entry.atMs);
      this.recent.push(entry);
    }
    this.unacked = [];
    if (this.recent.length > 2 * RECENT_KEPT) this.recent = this.recent.slice(-RECENT_KEPT);
  }

  /** The process died before releasing these replies: they were never acknowledged. */
  private dropUnacknowledged(): void {
    // The process is gone and its aof_buf with it: nothing buffered will be written now (the
    // acknowledged ones keep 'buffered' as their place, the reason a report gives for them).
    this.bufferedUnits = [];
    this.bufferedEntries = [];
    this.unacked = [];
    this.running = [];
  }

  /** The server stopped: crashed, lost power, or exited. */
  stopped(kind: RecoveryReport['crash'], atMs: number): void {
    this.dropUnacknowledged();
    if (this.stop === null) this.stop = { kind, atMs };
    else if (kind === 'power') this.stop = { ...this.stop, kind };
  }

  // ---- files -----------------------------------------------------------------------------------------

  /** A snapshot file (a temp RDB, an AOF base) was started: it holds history up to `units`. */
  snapshotStarted(inode: number | null, units: number): void {
    if (inode !== null) this.files.set(inode, { kind: 'snapshot', units });
  }

  /** A log file starts (or, reopened, goes on) taking units after the current one, from `fromOffset`. */
  logOpened(inode: number | null, fromOffset: number): void {
    if (inode === null) return;
    const history = this.files.get(inode);
    const segment = { fromOffset, startsAfter: this.units };
    if (history?.kind === 'log') history.segments.push(segment);
    else this.files.set(inode, { kind: 'log', segments: [segment] });
  }

  /** A file was created anew or overwritten in place: what it held is gone. */
  forget(inode: number | null): void {
    if (inode !== null) this.files.delete(inode);
  }

  /** The units a snapshot file holds, or null when the lab did not write it. */
  snapshotUnits(inode: number | null): number | null {
    const history = inode === null ? undefined : this.files.get(inode);
    return history?.kind === 'snapshot' ? history.units : null;
  }

  /** What a snapshot file holds of history (null: the lab did not write it). */
  snapshotRange(inode: number | null): HeldRange | null {
    const units = this.snapshotUnits(inode);
    return units === null ? null : { after: 0, upTo: units };
  }

  /**
   * What a log file holds, given the commands the loader replayed from it (complete ones, an
   * unfinished MULTI left out): the units after the start of the segment its last command belongs
   * to, one per command or transaction of that segment. Null when the lab did not write the file.
   */
  logRange(inode: number | null, replayed: readonly ReplayedCommand[], loadedBytes: number): HeldRange | null {
    const history = inode === null ? undefined : this.files.get(inode);
    if (history?.kind !== 'log') return null;
    const segment = history.segments.findLast((candidate) => candidate.fromOffset <= loadedBytes);
    if (segment === undefined) return null;
    let units = 0;
    let inMulti = false;
    for (const { argv, offset } of replayed) {
      if (offset < segment.fromOffset) continue;
      const name = (argv[0] ?? '').toLowerCase();
      if (name === 'multi') inMulti = true;
      else if (name === 'exec' && inMulti) {
        inMulti = false;
        units++;
      } else if (!inMulti && name !== 'select') units++;
    }
    return { after: segment.startsAfter, upTo: segment.startsAfter + units };
  }

  /**
   * The prefix of history the files a load read hold, in the order it read them: from the start
   * of the current window (what the last restart's dataset stands for), each file extends it when
   * it starts no later than the prefix so far; a file that starts after it would leave a hole, so
   * nothing after the hole counts. Files the lab did not write hold nothing of the window.
   */
  prefixOf(ranges: readonly (HeldRange | null)[]): number {
    let holds = this.origin;
    for (const range of ranges) {
      if (range === null) continue;
      if (range.after > holds) break;
      holds = Math.max(holds, range.upTo);
    }
    return holds;
  }

  // ---- the report ------------------------------------------------------------------------------------------

  /**
   * What came back: the acknowledged writes of the window split at the prefix the load brought
   * back, each lost one with its reason. Opens a new window. `sizeOfInode` tells whether an AOF
   * file that was not read still holds a write's bytes.
   */
  report(facts: LoadFacts, sizeOfInode: (inode: number) => number | null): RecoveryReport {
    const stop = this.stop ?? { kind: 'shutdown' as const, atMs: facts.restartedAtMs };
    const held = facts.holdsUnits;
    const acknowledged = this.ackedUnits.length;
    const survivedCount = countAtMost(this.ackedUnits, held);
    const lostCount = acknowledged - survivedCount;
    const firstLostSeq = this.windowFirstSeq + survivedCount;
    const windowRecent = this.recent.filter((entry) => entry.seq >= this.windowFirstSeq);
    const survived = windowRecent.filter((entry) => entry.seq < firstLostSeq).slice(-REPORT_LIST_LIMIT).map(publicWrite);
    const lost = windowRecent
      .filter((entry) => entry.seq >= firstLostSeq)
      .slice(-REPORT_LIST_LIMIT)
      .map((entry): LostWrite => ({ ...publicWrite(entry), reason: reasonFor(entry, facts, stop.kind, sizeOfInode) }));
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
      lossWindowMs: lostCount === 0 ? 0 : Math.max(0, stop.atMs - (this.ackedAtMs[survivedCount] as number)),
      recoveryMs: facts.recoveryMs,
      files: facts.files.map(({ name, sizeBytes }) => ({ name, sizeBytes })),
    };
    this.stop = null;
    this.origin = this.units;
    this.windowFirstSeq = this.nextSeq;
    this.ackedUnits = [];
    this.ackedAtMs = [];
    this.recent = [];
    return report;
  }
}

const publicWrite = ({ seq, atMs, db, argv }: Entry): AckedWrite => ({ seq, atMs, db, argv });

/** How many of the ascending `values` are at most `limit`. */
function countAtMost(values: readonly number[], limit: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] as number) <= limit) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Why a write the load did not bring back was lost: from where its bytes went and what the load read. */
function reasonFor(entry: Entry, facts: LoadFacts, crash: RecoveryReport['crash'], sizeOfInode: (inode: number) => number | null): LossReason {
  const place = entry.aof;
  if (facts.aofPath) {
    if (place === 'buffered') return 'in-aof-buf';
    if (place === 'none') {
      // Never in the AOF: with appendonly yes dump.rdb is not read even when it holds the write (the restart trap).
      return facts.ignoredSnapshotUnits !== null && entry.unit <= facts.ignoredSnapshotUnits ? 'not-loaded' : 'no-persistence';
    }
    const file = facts.files.find((candidate) => candidate.inode === place.inode);
    if (file === undefined) return 'not-loaded';
    // Its bytes, or their head, were in the file when it was read: the loader cut them.
    if (file.sizeBytes > place.start) return 'truncated';
    return crash === 'power' ? 'not-fsynced' : 'truncated';
  }
  // appendonly no: only dbfilename was read; an AOF file that still holds the write was ignored.
  if (typeof place === 'object' && (sizeOfInode(place.inode) ?? 0) >= place.end) return 'not-loaded';
  return facts.loadedFrom === 'rdb' ? 'after-snapshot' : 'no-persistence';
}
