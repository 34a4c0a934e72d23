/**
 * A Redis sorted set: a member → score map plus the entries in Redis's order (score, then the
 * member's bytes), held as a list of sorted chunks of at most CHUNK_MAX entries. An insert or
 * removal binary-searches the chunks and moves part of one chunk only, so a ZADD stays cheap on a
 * set of a million members (one flat array made that a megabyte memmove per insert); ranks come
 * from the chunks' start offsets, recomputed lazily after a change.
 *
 * It also tracks Redis 7.0's encoding, because one detail of it is visible: a small set is a
 * listpack, and a listpack stores the score -0 as 0, while a skiplist keeps -0. A set starts as a
 * listpack and becomes a skiplist for good once it would hold more than 128 entries or a member
 * longer than 64 bytes (zset-max-listpack-entries / -value); it never goes back.
 */
export interface ZEntry {
  readonly member: string;
  readonly score: number;
}

export type ZSetEncoding = 'listpack' | 'skiplist';

export const ZSET_MAX_LISTPACK_ENTRIES = 128;
export const ZSET_MAX_LISTPACK_VALUE = 64;

/** Largest chunk; a fuller one is split in two halves. */
const CHUNK_MAX = 256;

/** Redis's order: by score, ties broken by comparing member bytes. */
export function compareEntries(a: ZEntry, b: ZEntry): number {
  if (a.score !== b.score) return a.score < b.score ? -1 : 1;
  return a.member < b.member ? -1 : a.member > b.member ? 1 : 0;
}

/** True when `entry` sorts before (score, member). */
function isBefore(entry: ZEntry, score: number, member: string): boolean {
  return entry.score < score || (entry.score === score && entry.member < member);
}

/** The first index of `chunk` whose entry is not before (score, member). */
function lowerBound(chunk: readonly ZEntry[], score: number, member: string): number {
  let lo = 0;
  let hi = chunk.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (isBefore(chunk[mid] as ZEntry, score, member)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class RedisZSet {
  readonly scores = new Map<string, number>();
  /** Non-empty sorted chunks whose concatenation is the whole set in rank order. */
  private readonly chunks: ZEntry[][] = [];
  /** starts[i] is the rank of chunks[i][0]; valid below `validStarts`. */
  private readonly starts: number[] = [];
  private validStarts = 0;
  private compact: boolean;

  constructor(encoding: ZSetEncoding = 'listpack') {
    this.compact = encoding === 'listpack';
  }

  get size(): number {
    return this.scores.size;
  }

  get encoding(): ZSetEncoding {
    return this.compact ? 'listpack' : 'skiplist';
  }

  /** Every entry in rank order, as a new array. */
  get entries(): readonly ZEntry[] {
    return this.slice(0, this.size);
  }

  score(member: string): number | undefined {
    return this.scores.get(member);
  }

  /** Adds a member or moves it to a new score. */
  set(member: string, score: number): void {
    this.place(member, score, this.scores.get(member));
  }

  /** `set` for a caller that has just looked the member's current score up (ZADD's hot path). */
  place(member: string, score: number, old: number | undefined): void {
    if (old !== undefined) {
      if (old === score) return;
      this.remove(member, old);
    } else if (
      this.compact &&
      (this.scores.size + 1 > ZSET_MAX_LISTPACK_ENTRIES || member.length > ZSET_MAX_LISTPACK_VALUE)
    ) {
      this.compact = false;
    }
    // A listpack writes the score as text and reads "-0" back as the integer 0.
    if (this.compact && score === 0) score = 0;
    this.scores.set(member, score);
    this.insert({ member, score });
  }

  delete(member: string): boolean {
    const old = this.scores.get(member);
    if (old === undefined) return false;
    this.scores.delete(member);
    this.remove(member, old);
    return true;
  }

  /** Zero-based rank of a member, or undefined. */
  rank(member: string): number | undefined {
    const score = this.scores.get(member);
    if (score === undefined) return undefined;
    const ci = this.chunkFor(score, member);
    this.updateStarts();
    return (this.starts[ci] as number) + lowerBound(this.chunks[ci] as ZEntry[], score, member);
  }

  /** The entry at a rank in [0, size). */
  at(rank: number): ZEntry {
    const ci = this.chunkOfRank(rank);
    return (this.chunks[ci] as ZEntry[])[rank - (this.starts[ci] as number)] as ZEntry;
  }

  /** The entries of ranks [start, end), in rank order; the caller keeps 0 <= start <= end <= size. */
  slice(start: number, end: number): ZEntry[] {
    const out: ZEntry[] = [];
    if (start >= end) return out;
    let ci = this.chunkOfRank(start);
    let offset = start - (this.starts[ci] as number);
    let left = end - start;
    while (left > 0) {
      const chunk = this.chunks[ci] as ZEntry[];
      const take = Math.min(left, chunk.length - offset);
      for (let i = offset; i < offset + take; i++) out.push(chunk[i] as ZEntry);
      left -= take;
      offset = 0;
      ci++;
    }
    return out;
  }

  /**
   * The rank of the first entry for which `isAtOrAbove` holds, or `size` when none does. The
   * predicate must be monotone over the order (false … false true … true), as score bounds are.
   */
  firstIndexWhere(isAtOrAbove: (entry: ZEntry) => boolean): number {
    const chunks = this.chunks;
    let lo = 0;
    let hi = chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = chunks[mid] as ZEntry[];
      if (isAtOrAbove(chunk[chunk.length - 1] as ZEntry)) hi = mid;
      else lo = mid + 1;
    }
    if (lo === chunks.length) return this.size;
    const chunk = chunks[lo] as ZEntry[];
    let a = 0;
    let b = chunk.length - 1;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (isAtOrAbove(chunk[mid] as ZEntry)) b = mid;
      else a = mid + 1;
    }
    this.updateStarts();
    return (this.starts[lo] as number) + a;
  }

  // ---- chunk bookkeeping ----------------------------------------------------------------------

  /** The chunk that holds (score, member), or where it belongs: the first whose last entry is not before it. */
  private chunkFor(score: number, member: string): number {
    const chunks = this.chunks;
    let lo = 0;
    let hi = chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = chunks[mid] as ZEntry[];
      if (isBefore(chunk[chunk.length - 1] as ZEntry, score, member)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private insert(entry: ZEntry): void {
    const chunks = this.chunks;
    if (chunks.length === 0) {
      chunks.push([entry]);
      this.validStarts = 0;
      return;
    }
    const ci = this.chunkFor(entry.score, entry.member);
    const chunk = chunks[ci] as ZEntry[];
    // Shifting by hand: splice would allocate an array of removed entries on every call.
    let i = chunk.length;
    const at = lowerBound(chunk, entry.score, entry.member);
    chunk.push(entry);
    for (; i > at; i--) chunk[i] = chunk[i - 1] as ZEntry;
    chunk[at] = entry;
    if (chunk.length > CHUNK_MAX) chunks.splice(ci + 1, 0, chunk.splice(CHUNK_MAX >>> 1));
    if (ci < this.validStarts) this.validStarts = ci + 1;
  }

  private remove(member: string, score: number): void {
    const ci = this.chunkFor(score, member);
    const chunk = this.chunks[ci] as ZEntry[];
    const last = chunk.length - 1;
    for (let i = lowerBound(chunk, score, member); i < last; i++) chunk[i] = chunk[i + 1] as ZEntry;
    chunk.pop();
    if (chunk.length === 0) {
      this.chunks.splice(ci, 1);
      if (ci < this.validStarts) this.validStarts = ci;
    } else if (ci < this.validStarts) {
      this.validStarts = ci + 1;
    }
  }

  private updateStarts(): void {
    const { chunks, starts } = this;
    if (this.validStarts >= chunks.length) {
      starts.length = chunks.length;
      return;
    }
    let i = this.validStarts;
    let next = i === 0 ? 0 : (starts[i - 1] as number) + (chunks[i - 1] as ZEntry[]).length;
    for (; i < chunks.length; i++) {
      starts[i] = next;
      next += (chunks[i] as ZEntry[]).length;
    }
    starts.length = chunks.length;
    this.validStarts = chunks.length;
  }

  /** The chunk holding a rank in [0, size); also brings `starts` up to date. */
  private chunkOfRank(rank: number): number {
    this.updateStarts();
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((starts[mid] as number) <= rank) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
