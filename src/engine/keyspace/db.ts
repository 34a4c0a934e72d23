import { keyBytes } from '../memory/usage.ts';
import { KeyTable } from './key-table.ts';
import type { RedisValue } from './values.ts';

/**
 * One of the node's 16 databases: the main dictionary and, as in Redis, a second dictionary of
 * absolute expiry times (unix ms) for the keys that have one. Expiry decisions need the clock, so
 * they live in the engine; this class only holds the data.
 *
 * It also keeps its share of used_memory_dataset (the sum of `keyBytes` over its keys) as keys
 * come and go, so INFO and the page grid never walk the keys. Strings are immutable, but a
 * command changes a container in place (HSET adds to the Map it looked up): such a container is
 * held unsettled, with the bytes counted for it, until the command ends and `settle` counts it
 * again. Every in-place change starts from `Engine.lookupWrite` or from `set` of a new container,
 * and both mark the key.
 */
export class Db {
  readonly data = new KeyTable<RedisValue>();
  readonly expires = new Map<string, number>();
  /** Σ keyBytes(key, value) over the keys, unsettled containers counted as they were when marked. */
  datasetBytes = 0;
  /**
   * The first unsettled container, its key and the bytes counted for it (most commands change one
   * container at most: no map operation then); null between commands.
   */
  private changing: RedisValue | null = null;
  private changingKey = '';
  private changingBytes = 0;
  /** Any further unsettled containers, by key, with the bytes counted for each. Empty between commands. */
  private readonly unsettled = new Map<string, number>();

  constructor(readonly index: number) {}

  get size(): number {
    return this.data.size;
  }

  /** Stores a value; `keepTtl` false clears any expiry, as a plain SET does. */
  set(key: string, value: RedisValue, keepTtl = false): void {
    const old = this.data.swap(key, value);
    if (old !== undefined) this.datasetBytes -= this.countedBytes(key, old);
    this.datasetBytes += keyBytes(key, value);
    // A new container is usually filled right after (LPUSH creates the list, then pushes).
    if (typeof value !== 'string') this.mayChange(key, value);
    if (!keepTtl && this.expires.size !== 0) this.expires.delete(key);
  }

  delete(key: string): boolean {
    const old = this.data.take(key);
    if (old === undefined) return false;
    this.datasetBytes -= this.countedBytes(key, old);
    if (this.expires.size !== 0) this.expires.delete(key);
    return true;
  }

  clear(): void {
    this.data.clear();
    this.expires.clear();
    this.changing = null;
    this.unsettled.clear();
    this.datasetBytes = 0;
  }

  /** A command looked a container up to write it: it may change in place until `settle`. */
  mayChange(key: string, container: RedisValue): void {
    if (this.changing === null) {
      this.changing = container;
      this.changingKey = key;
      this.changingBytes = keyBytes(key, container);
    } else if (this.changing !== container && !this.unsettled.has(key)) {
      this.unsettled.set(key, keyBytes(key, container));
    }
  }

  /** The command is done: the containers it may have changed are counted as they are now. */
  settle(): void {
    if (this.changing !== null) {
      // Still the key's value: a delete or a replacement would have settled it (countedBytes).
      this.datasetBytes += keyBytes(this.changingKey, this.changing) - this.changingBytes;
      this.changing = null;
    }
    if (this.unsettled.size === 0) return;
    for (const [key, counted] of this.unsettled) this.datasetBytes += keyBytes(key, this.data.get(key) as RedisValue) - counted;
    this.unsettled.clear();
  }

  /** What `datasetBytes` holds for a key now leaving: an unsettled container's earlier count. */
  private countedBytes(key: string, value: RedisValue): number {
    if (value === this.changing) {
      this.changing = null;
      return this.changingBytes;
    }
    if (typeof value === 'string' || this.unsettled.size === 0) return keyBytes(key, value);
    const counted = this.unsettled.get(key);
    if (counted === undefined) return keyBytes(key, value);
    this.unsettled.delete(key);
    return counted;
  }
}
