/**
 * A database's main dictionary: string keys to values, in insertion order, with the part of
 * Map's interface the engine uses.
 *
 * Why not a Map: with a million keys, V8's Map spends most of a set or get walking bucket chains
 * and reading each candidate key's header from memory that is not in the cache; an RDB load was
 * half Map.set. This table keeps each key's hash beside its entry number in one typed array
 * (open addressing, linear probing), so a probe compares hashes in one cache line and reads a
 * key only when the hashes agree: sets and gets of a million keys take about half the time.
 *
 * Entries sit in two parallel arrays in insertion order, so KEYS, the RDB writer and the keyspace
 * panel see the order a Map gave them. A delete leaves a hole, skipped by iteration; holes are
 * squeezed out when a new key goes in and they outnumber the live keys. Deleting while iterating
 * is safe, as with a Map; adding a key while iterating is not (the squeeze renumbers entries),
 * and nothing does.
 *
 * Plain arrays and an Int32Array only, so the engine's checkpoints copy it like any other state.
 */

/** Slots in an empty table (a power of two). */
const MIN_SLOTS = 16;
/** Holes are squeezed out only past this many, so a small table is not rebuilt on every churn. */
const MIN_HOLES_TO_SQUEEZE = 64;

/**
 * FNV-1a over the key's char codes (keys are bin strings: one byte per char), then mixed, so that
 * the low bits that pick a slot depend on every char.
 */
export function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  return hash;
}

export class KeyTable<V> implements Iterable<[string, V]> {
  /** Keys in insertion order; undefined where one was deleted (a hole). */
  private keyList: (string | undefined)[] = [];
  private valueList: (V | undefined)[] = [];
  /** Slot s is [2s] the key's hash and [2s + 1] its entry's index + 1; 0 there is a free slot. */
  private slots = new Int32Array(2 * MIN_SLOTS);
  private mask = MIN_SLOTS - 1;
  private live = 0;

  get size(): number {
    return this.live;
  }

  get(key: string): V | undefined {
    const slot = this.slotOf(key, hashKey(key));
    return slot < 0 ? undefined : this.valueList[(this.slots[2 * slot + 1] as number) - 1];
  }

  has(key: string): boolean {
    return this.slotOf(key, hashKey(key)) >= 0;
  }

  /** Replaces the value of a key that is there (keeping its place in the order), or adds the key last. */
  set(key: string, value: V): this {
    this.swap(key, value);
    return this;
  }

  /** `set`, returning the value replaced (undefined for a new key): one probe where get-then-set takes two. */
  swap(key: string, value: V): V | undefined {
    const hash = hashKey(key);
    let slot = this.slotOf(key, hash);
    if (slot >= 0) {
      const index = (this.slots[2 * slot + 1] as number) - 1;
      const old = this.valueList[index];
      this.valueList[index] = value;
      return old;
    }
    if (this.needsRoom()) {
      this.rebuild();
      slot = this.slotOf(key, hash);
    }
    const free = -1 - slot;
    this.slots[2 * free] = hash;
    this.slots[2 * free + 1] = this.keyList.push(key);
    this.valueList.push(value);
    this.live++;
    return undefined;
  }

  delete(key: string): boolean {
    return this.take(key) !== undefined;
  }

  /** `delete`, returning the value removed (undefined when the key was not there). */
  take(key: string): V | undefined {
    const slot = this.slotOf(key, hashKey(key));
    if (slot < 0) return undefined;
    const index = (this.slots[2 * slot + 1] as number) - 1;
    const old = this.valueList[index];
    this.keyList[index] = undefined;
    this.valueList[index] = undefined;
    this.live--;
    this.freeSlot(slot);
    return old;
  }

  clear(): void {
    this.keyList = [];
    this.valueList = [];
    this.slots = new Int32Array(2 * MIN_SLOTS);
    this.mask = MIN_SLOTS - 1;
    this.live = 0;
  }

  *keys(): IterableIterator<string> {
    for (let i = 0; i < this.keyList.length; i++) {
      const key = this.keyList[i];
      if (key !== undefined) yield key;
    }
  }

  *entries(): IterableIterator<[string, V]> {
    for (let i = 0; i < this.keyList.length; i++) {
      const key = this.keyList[i];
      if (key !== undefined) yield [key, this.valueList[i] as V];
    }
  }

  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.entries();
  }

  /** The key's slot, or -1 - the free slot where it would go. */
  private slotOf(key: string, hash: number): number {
    const slots = this.slots;
    const mask = this.mask;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[2 * slot + 1] as number;
      if (entry === 0) return -1 - slot;
      if (slots[2 * slot] === hash && this.keyList[entry - 1] === key) return slot;
    }
  }

  /** Empties a slot, moving later keys of its run back so every key stays reachable from its home slot. */
  private freeSlot(slot: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let hole = slot;
    for (let next = (hole + 1) & mask; slots[2 * next + 1] !== 0; next = (next + 1) & mask) {
      const home = (slots[2 * next] as number) & mask;
      // The key at `next` may fill the hole unless its home lies after the hole, up to `next`.
      if (((next - home) & mask) >= ((next - hole) & mask)) {
        slots[2 * hole] = slots[2 * next] as number;
        slots[2 * hole + 1] = slots[2 * next + 1] as number;
        hole = next;
      }
    }
    slots[2 * hole] = 0;
    slots[2 * hole + 1] = 0;
  }

  /** At most half the slots in use, and the entry arrays no more than half holes (past a few). */
  private needsRoom(): boolean {
    const holes = this.keyList.length - this.live;
    return 2 * (this.live + 1) > this.mask + 1 || (holes > MIN_HOLES_TO_SQUEEZE && holes > this.live);
  }

  /** Squeezes the holes out of the entry arrays and re-slots every key in a table sized for twice as many. */
  private rebuild(): void {
    const renumbered = new Int32Array(this.keyList.length);
    const keyList: string[] = [];
    const valueList: V[] = [];
    for (let i = 0; i < this.keyList.length; i++) {
      const key = this.keyList[i];
      if (key === undefined) continue;
      renumbered[i] = keyList.push(key);
      valueList.push(this.valueList[i] as V);
    }
    let size = MIN_SLOTS;
    while (size < 4 * (this.live + 1)) size *= 2;
    const old = this.slots;
    const slots = new Int32Array(2 * size);
    const mask = size - 1;
    for (let s = 0; s < old.length; s += 2) {
      const entry = old[s + 1] as number;
      if (entry === 0) continue;
      const hash = old[s] as number;
      let slot = hash & mask;
      while (slots[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
      slots[2 * slot] = hash;
      slots[2 * slot + 1] = renumbered[entry - 1] as number;
    }
    this.keyList = keyList;
    this.valueList = valueList;
    this.slots = slots;
    this.mask = mask;
  }
}
