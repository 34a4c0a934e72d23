import type { RedisValue } from './values.ts';

/**
 * One of the node's 16 databases: the main dictionary and, as in Redis, a second dictionary of
 * absolute expiry times (unix ms) for the keys that have one. Expiry decisions need the clock, so
 * they live in the engine; this class only holds the data.
 */
export class Db {
  readonly data = new Map<string, RedisValue>();
  readonly expires = new Map<string, number>();

  constructor(readonly index: number) {}

  get size(): number {
    return this.data.size;
  }

  /** Stores a value; `keepTtl` false clears any expiry, as a plain SET does. */
  set(key: string, value: RedisValue, keepTtl = false): void {
    this.data.set(key, value);
    if (!keepTtl && this.expires.size !== 0) this.expires.delete(key);
  }

  delete(key: string): boolean {
    if (!this.data.delete(key)) return false;
    if (this.expires.size !== 0) this.expires.delete(key);
    return true;
  }

  clear(): void {
    this.data.clear();
    this.expires.clear();
  }
}
