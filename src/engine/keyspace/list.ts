/**
 * A Redis list: a double-ended queue over a growable ring buffer, so that LPUSH and RPUSH are both
 * O(1) (a plain array's unshift is O(n), which made a 200,000-element LPUSH loop quadratic).
 */
export class RedisList {
  private items: (string | undefined)[];
  private head = 0;
  private count = 0;

  constructor(initial: readonly string[] = []) {
    this.items = new Array<string | undefined>(Math.max(8, initial.length * 2));
    for (const item of initial) this.pushTail(item);
  }

  get length(): number {
    return this.count;
  }

  /** The element at a zero-based index from the head; the caller checks bounds. */
  at(index: number): string {
    return this.items[(this.head + index) % this.items.length] as string;
  }

  set(index: number, value: string): void {
    this.items[(this.head + index) % this.items.length] = value;
  }

  pushHead(value: string): void {
    if (this.count === this.items.length) this.grow();
    this.head = (this.head - 1 + this.items.length) % this.items.length;
    this.items[this.head] = value;
    this.count++;
  }

  pushTail(value: string): void {
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) % this.items.length] = value;
    this.count++;
  }

  popHead(): string | undefined {
    if (this.count === 0) return undefined;
    const value = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.items.length;
    this.count--;
    return value;
  }

  popTail(): string | undefined {
    if (this.count === 0) return undefined;
    const slot = (this.head + this.count - 1) % this.items.length;
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

  /** Replaces the whole content; used by the O(n) edits (LREM, LTRIM, LINSERT). */
  replaceAll(values: readonly string[]): void {
    this.items = new Array<string | undefined>(Math.max(8, values.length * 2));
    this.head = 0;
    this.count = 0;
    for (const value of values) this.pushTail(value);
  }

  private grow(): void {
    const bigger = new Array<string | undefined>(this.items.length * 2);
    for (let i = 0; i < this.count; i++) bigger[i] = this.at(i);
    this.items = bigger;
    this.head = 0;
  }
}
