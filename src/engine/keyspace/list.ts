/**
 * A Redis list: a double-ended queue over a growable ring buffer, so that LPUSH and RPUSH are both
 * O(1) (a plain array's unshift is O(n), which made a 200,000-element LPUSH loop quadratic).
 *
 * The capacity is always a power of two, so a logical index maps to its slot with a mask instead
 * of a division. Slots outside the live range hold `undefined`, so popped elements can be collected.
 * The in-place edits (LREM, LTRIM, LINSERT) move only the elements they must, without copying the
 * whole list; after a bulk removal the storage shrinks back.
 */

const MIN_CAPACITY = 8;

/** The smallest power of two ≥ n (and ≥ MIN_CAPACITY). */
function capacityFor(n: number): number {
  let capacity = MIN_CAPACITY;
  while (capacity < n) capacity *= 2;
  return capacity;
}

export class RedisList {
  private items: (string | undefined)[];
  private mask: number;
  private head = 0;
  private count = 0;

  constructor(initial: readonly string[] = []) {
    this.items = new Array<string | undefined>(capacityFor(initial.length));
    this.mask = this.items.length - 1;
    for (const item of initial) this.pushTail(item);
  }

  get length(): number {
    return this.count;
  }

  /** The element at a zero-based index from the head; the caller checks bounds. */
  at(index: number): string {
    return this.items[(this.head + index) & this.mask] as string;
  }

  set(index: number, value: string): void {
    this.items[(this.head + index) & this.mask] = value;
  }

  pushHead(value: string): void {
    if (this.count === this.items.length) this.grow();
    this.head = (this.head - 1) & this.mask;
    this.items[this.head] = value;
    this.count++;
  }

  pushTail(value: string): void {
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) & this.mask] = value;
    this.count++;
  }

  popHead(): string | undefined {
    if (this.count === 0) return undefined;
    const value = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.count--;
    return value;
  }

  popTail(): string | undefined {
    if (this.count === 0) return undefined;
    const slot = (this.head + this.count - 1) & this.mask;
    const value = this.items[slot];
    this.items[slot] = undefined;
    this.count--;
    return value;
  }

  /** Elements [start, end] inclusive, indexes already clamped by the caller. */
  slice(start: number, end: number): string[] {
    const out: string[] = [];
    for (let i = start; i <= end; i++) out.push(this.at(i));
    return out;
  }

  toArray(): string[] {
    return this.slice(0, this.count - 1);
  }

  /** Index of the first element equal to `value` from the head, or -1. */
  indexOf(value: string): number {
    for (let i = 0; i < this.count; i++) if (this.at(i) === value) return i;
    return -1;
  }

  /**
   * Inserts `value` so that it ends up at `index` (0 ≤ index ≤ length), shifting whichever side
   * of the insertion point is shorter.
   */
  insertAt(index: number, value: string): void {
    if (index >= this.count) return this.pushTail(value);
    if (index === 0) return this.pushHead(value);
    if (this.count === this.items.length) this.grow();
    if (index < this.count - index) {
      // Open a slot before the head, then move the first `index` elements one step towards it.
      this.head = (this.head - 1) & this.mask;
      for (let i = 0; i < index; i++) this.set(i, this.at(i + 1));
    } else {
      for (let i = this.count; i > index; i--) this.set(i, this.at(i - 1));
    }
    this.set(index, value);
    this.count++;
  }

  /**
   * Removes elements equal to `value`: at most `limit` of them (0 = all), scanning from the head,
   * or from the tail when `fromTail`. Survivors are compacted in place. Returns how many went.
   */
  removeMatching(value: string, limit: number, fromTail: boolean): number {
    const n = this.count;
    let removed = 0;
    if (!fromTail) {
      let write = 0;
      for (let read = 0; read < n; read++) {
        const item = this.at(read);
        if (item === value && (limit === 0 || removed < limit)) removed++;
        else if (removed !== 0) this.set(write++, item);
        else write++;
      }
      for (let i = write; i < n; i++) this.clear(i);
    } else {
      let write = n - 1;
      for (let read = n - 1; read >= 0; read--) {
        const item = this.at(read);
        if (item === value && (limit === 0 || removed < limit)) removed++;
        else if (removed !== 0) this.set(write--, item);
        else write--;
      }
      for (let i = 0; i <= write; i++) this.clear(i);
      this.head = (this.head + removed) & this.mask;
    }
    this.count = n - removed;
    this.shrinkIfSparse();
    return removed;
  }

  /** Drops `fromHead` elements at the head and `fromTail` at the tail (their sum ≤ length). */
  trim(fromHead: number, fromTail: number): void {
    for (let i = 0; i < fromHead; i++) this.popHead();
    for (let i = 0; i < fromTail; i++) this.popTail();
    this.shrinkIfSparse();
  }

  /** Replaces the whole content. */
  replaceAll(values: readonly string[]): void {
    this.items = new Array<string | undefined>(capacityFor(values.length));
    this.mask = this.items.length - 1;
    this.head = 0;
    this.count = 0;
    for (const value of values) this.pushTail(value);
  }

  /** Empties a slot, so the element it held can be collected. */
  private clear(index: number): void {
    this.items[(this.head + index) & this.mask] = undefined;
  }

  private grow(): void {
    this.resize(this.items.length * 2);
  }

  /** After a bulk removal, gives back storage that is less than a quarter used (LTRIM of a huge list). */
  private shrinkIfSparse(): void {
    if (this.items.length > MIN_CAPACITY && this.count * 4 < this.items.length) this.resize(capacityFor(this.count * 2));
  }

  private resize(capacity: number): void {
    const items = new Array<string | undefined>(capacity);
    for (let i = 0; i < this.count; i++) items[i] = this.at(i);
    this.items = items;
    this.mask = capacity - 1;
    this.head = 0;
  }
}
