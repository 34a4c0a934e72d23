/**
 * A Redis sorted set: a member → score map plus an array kept in Redis's order (score, then the
 * member's bytes). Ranks are binary searches; an insert or removal moves part of the array, which
 * is a fast memmove for the sizes a lab holds, and keeps the code far simpler than a skiplist.
 */
export interface ZEntry {
  readonly member: string;
  readonly score: number;
}

/** Redis's order: by score, ties broken by comparing member bytes. */
export function compareEntries(a: ZEntry, b: ZEntry): number {
  if (a.score !== b.score) return a.score < b.score ? -1 : 1;
  return a.member < b.member ? -1 : a.member > b.member ? 1 : 0;
}

export class RedisZSet {
  readonly scores = new Map<string, number>();
  private readonly ordered: ZEntry[] = [];

  get size(): number {
    return this.ordered.length;
  }

  /** The entries in rank order. Do not mutate. */
  get entries(): readonly ZEntry[] {
    return this.ordered;
  }

  score(member: string): number | undefined {
    return this.scores.get(member);
  }

  /** Adds or moves a member. */
  set(member: string, score: number): void {
    const old = this.scores.get(member);
    if (old !== undefined) {
      if (old === score) return;
      this.ordered.splice(this.rankOf({ member, score: old }), 1);
    }
    this.scores.set(member, score);
    const entry = { member, score };
    this.ordered.splice(this.insertionPoint(entry), 0, entry);
  }

  delete(member: string): boolean {
    const old = this.scores.get(member);
    if (old === undefined) return false;
    this.ordered.splice(this.rankOf({ member, score: old }), 1);
    this.scores.delete(member);
    return true;
  }

  /** Zero-based rank of a member, or undefined. */
  rank(member: string): number | undefined {
    const score = this.scores.get(member);
    return score === undefined ? undefined : this.rankOf({ member, score });
  }

  /** The first index whose entry is not before `probe` (lower bound). */
  insertionPoint(probe: ZEntry): number {
    let lo = 0;
    let hi = this.ordered.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareEntries(this.ordered[mid] as ZEntry, probe) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The first index whose score passes `isAtOrAbove` (scores are sorted, so this is a bound). */
  firstIndexWhere(isAtOrAbove: (entry: ZEntry) => boolean): number {
    let lo = 0;
    let hi = this.ordered.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (isAtOrAbove(this.ordered[mid] as ZEntry)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private rankOf(entry: ZEntry): number {
    return this.insertionPoint(entry);
  }
}
