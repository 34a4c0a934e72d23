import type { EngineEvent } from '../engine/index.ts';

/**
 * The timeline's checkpoints: copies of the lab at some positions of the tape, so that a seek
 * replays the tape from the nearest checkpoint at or before its target instead of from a fresh
 * node. A checkpoint holds the node (Engine.checkpoint: the engine and the console client) and
 * what the store folds up from the events between entries (the `fold`, opaque here); it is never
 * run itself: a restore runs a copy of it, so it serves any number of seeks.
 *
 * Where they go. Every entry adds to the replay work since the last checkpoint: a flat cost per
 * entry (`ENTRY_WORK_BYTES`: an ordinary line or clock tick of the bench scenario replays in about
 * the time DEBUG POPULATE takes per 4 KB of keys) plus the bytes it made the node process, read
 * from its events, so the cost is as deterministic as the node (see `entryWorkBytes`). A
 * checkpoint is due once that work reaches `everyEntries` ordinary entries: every N entries on an
 * ordinary tape, and at once after an entry that was costly to replay (DEBUG POPULATE, a restart
 * that loads a big file, a SAVE), so a step back over it never replays it. A due checkpoint waits
 * while the node is not quiet (a fork child alive, a load under way), and is skipped, for another
 * N entries' worth of work, when the node is too big to copy (`maxNodeBytes`).
 *
 * How many. At most `maxCount` checkpoints and `maxTotalBytes` in all; beyond, the shelf thins:
 * it drops the checkpoint whose removal leaves the cheapest gap to replay (the older one on a
 * tie), never the last, which serves the steps back from the end. Spacing so evens out along the
 * tape, and gaps widen where the work was light. A long pass known in advance (a tape loaded at
 * once) spreads its checkpoints over its length rather than copy the node every N entries only to
 * thin the copies away, and a full shelf takes a new checkpoint only where it would stay. Replays
 * take checkpoints too, so the stretches the student scrubs fill in. Branching drops those past
 * the position; a reset drops them all.
 */

export interface CheckpointPolicy {
  /** Replay work, in ordinary entries, after which a checkpoint is due. */
  readonly everyEntries: number;
  readonly maxCount: number;
  /** A node whose memory and files come to more than this is not copied. */
  readonly maxNodeBytes: number;
  readonly maxTotalBytes: number;
}

export const DEFAULT_CHECKPOINT_POLICY: CheckpointPolicy = {
  everyEntries: 200,
  maxCount: 16,
  maxNodeBytes: 32 * 1024 * 1024,
  maxTotalBytes: 160 * 1024 * 1024,
};

/** The replay cost of an ordinary entry (a typed write, a clock tick), in the unit of `entryWorkBytes`. */
export const ENTRY_WORK_BYTES = 4096;
/** What a key costs to make or load, as work: a dict entry and a small value. */
const KEY_WORK_BYTES = 64;

/**
 * The bytes an entry made the node process, from its events and the change in its key count:
 * bytes written to files (a snapshot is serialised at the size it is written) and keys made or
 * loaded (or dropped). A fork's page count is no measure: it counts the server's own startup memory.
 */
export function entryWorkBytes(events: readonly { readonly event: EngineEvent }[], keysBefore: number, keysAfter: number): number {
  let bytes = Math.abs(keysAfter - keysBefore) * KEY_WORK_BYTES;
  for (const { event } of events) if (event.type === 'file.written') bytes += event.length;
  return bytes;
}

export interface Checkpoint<N, F> {
  /** Entries of the tape applied. */
  readonly position: number;
  readonly node: N;
  readonly fold: F;
  /** The node's footprint when copied (its memory and files). */
  readonly bytes: number;
}

interface Shelved<N, F> extends Checkpoint<N, F> {
  /** Replay work from the checkpoint before (or the fresh node) to this one. */
  workFromPrevious: number;
}

export class CheckpointShelf<N, F> {
  /** By position, ascending. */
  private shelved: Shelved<N, F>[] = [];
  /** Replay work since the last checkpoint at or before the node's position (or since the fresh node). */
  private workSince = 0;

  constructor(readonly policy: CheckpointPolicy) {}

  get checkpoints(): readonly Checkpoint<N, F>[] {
    return this.shelved;
  }

  get totalBytes(): number {
    return this.shelved.reduce((sum, checkpoint) => sum + checkpoint.bytes, 0);
  }

  /** The last checkpoint at or before `position`, or null (the fresh node). */
  nearest(position: number): Checkpoint<N, F> | null {
    let found: Checkpoint<N, F> | null = null;
    for (const checkpoint of this.shelved) {
      if (checkpoint.position > position) break;
      found = checkpoint;
    }
    return found;
  }

  /** The node was restored from a checkpoint (or made fresh): no work since. */
  restored(): void {
    this.workSince = 0;
  }

  /**
   * An entry was applied, bringing the node to `position`: whether a checkpoint is due there.
   * `spacing` (in ordinary entries, `everyEntries` at least) spreads out the checkpoints of a long
   * pass known in advance (a tape loaded at once), so that it does not copy the node many times
   * only to thin most copies away.
   */
  passed(position: number, workBytes: number, spacing = this.policy.everyEntries): boolean {
    if (this.shelved.some((checkpoint) => checkpoint.position === position)) {
      this.workSince = 0;
      return false;
    }
    this.workSince += ENTRY_WORK_BYTES + workBytes;
    return this.workSince >= Math.max(spacing, this.policy.everyEntries) * ENTRY_WORK_BYTES && this.wouldKeep(position);
  }

  /**
   * Whether a checkpoint at `position` would outlive the thinning it causes: a full shelf takes a
   * new one only where it splits a gap dearer than the cheapest it could merge instead (a replay
   * through evenly spaced checkpoints copies nothing).
   */
  private wouldKeep(position: number): boolean {
    if (this.shelved.length < this.policy.maxCount) return true;
    const at = this.shelved.findIndex((other) => other.position > position);
    if (at === -1) return true;
    const next = this.shelved[at] as Shelved<N, F>;
    const works = this.shelved.map((checkpoint) => checkpoint.workFromPrevious);
    works.splice(at, 1, Math.min(this.workSince, next.workFromPrevious), Math.max(0, next.workFromPrevious - this.workSince));
    return cheapestToDrop(works) !== at;
  }

  /** The spacing for a pass over `entries` entries: the shelf's capacity spread over it, or `everyEntries`. */
  spacingFor(entries: number): number {
    return Math.max(this.policy.everyEntries, Math.ceil(entries / this.policy.maxCount));
  }

  /** A due checkpoint was not taken because the node is too big: the next is due after as much work again. */
  declined(): void {
    this.workSince = 0;
  }

  add(checkpoint: Checkpoint<N, F>): void {
    const at = this.shelved.findIndex((other) => other.position >= checkpoint.position);
    if (at !== -1 && (this.shelved[at] as Shelved<N, F>).position === checkpoint.position) return;
    const shelved: Shelved<N, F> = { ...checkpoint, workFromPrevious: this.workSince };
    if (at === -1) {
      this.shelved.push(shelved);
    } else {
      // Inside an older gap: the next checkpoint is now that much nearer its previous one.
      const next = this.shelved[at] as Shelved<N, F>;
      next.workFromPrevious = Math.max(0, next.workFromPrevious - this.workSince);
      this.shelved.splice(at, 0, shelved);
    }
    this.workSince = 0;
    this.thin();
  }

  /** Branching: what lies past `position` is no longer on the tape. */
  dropAfter(position: number): void {
    this.shelved = this.shelved.filter((checkpoint) => checkpoint.position <= position);
  }

  clear(): void {
    this.shelved = [];
    this.workSince = 0;
  }

  private thin(): void {
    let total = this.totalBytes;
    while (this.shelved.length > 1 && (this.shelved.length > this.policy.maxCount || total > this.policy.maxTotalBytes)) {
      const drop = cheapestToDrop(this.shelved.map((checkpoint) => checkpoint.workFromPrevious));
      const [dropped] = this.shelved.splice(drop, 1) as [Shelved<N, F>];
      (this.shelved[drop] as Shelved<N, F>).workFromPrevious += dropped.workFromPrevious;
      total -= dropped.bytes;
    }
  }
}

/**
 * Which checkpoint to drop, given each one's work from the one before: dropping checkpoint i
 * merges its gap with the next one's; the cheapest merged gap goes (the older on a tie), and the
 * last checkpoint never does.
 */
function cheapestToDrop(works: readonly number[]): number {
  let drop = 0;
  let cheapest = Infinity;
  for (let i = 0; i < works.length - 1; i++) {
    const merged = (works[i] as number) + (works[i + 1] as number);
    if (merged < cheapest) {
      cheapest = merged;
      drop = i;
    }
  }
  return drop;
}
