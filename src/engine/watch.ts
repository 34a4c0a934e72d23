import type { Client } from './client.ts';
import type { Db } from './keyspace/db.ts';

/**
 * WATCH, as Redis 7.0 keeps it: per database, each watched key and the watches on it; each client
 * holds its own watches too, so UNWATCH, EXEC, DISCARD and a disconnection drop them without a
 * search. A write to a watched key (signalModifiedKey) marks every client watching it, and that
 * client's next EXEC answers a null array and runs nothing.
 *
 * Writes are the hot path, and almost always nobody watches: the engine looks at `keyCount` and,
 * at 0, goes no further.
 */

/** One key a client watches, in one database. */
export interface Watch {
  readonly client: Client;
  readonly db: number;
  readonly key: string;
  /**
   * The key had expired, though still in memory, when it was watched. It counts as absent until it
   * really changes: its deletion as an expiry (or by a flush) changes nothing for this watch.
   */
  expired: boolean;
}

export class WatchTable {
  /** Per database: the watches on each watched key, oldest first. */
  private readonly byDb: Map<string, Watch[]>[];
  /** Keys watched over all databases: while 0, writes skip the table. */
  keyCount = 0;

  constructor(dbCount: number) {
    this.byDb = Array.from({ length: dbCount }, () => new Map<string, Watch[]>());
  }

  /** WATCH of one key; watching a key twice in one database keeps the first watch. */
  watch(client: Client, db: number, key: string, expired: boolean): void {
    for (const watch of client.watches) if (watch.db === db && watch.key === key) return;
    const table = this.byDb[db] as Map<string, Watch[]>;
    let watches = table.get(key);
    if (watches === undefined) {
      watches = [];
      table.set(key, watches);
      this.keyCount++;
    }
    const watch: Watch = { client, db, key, expired };
    watches.push(watch);
    client.watches.push(watch);
  }

  /** UNWATCH, and what EXEC, DISCARD and a closed connection do: no watches, nothing touched. */
  unwatchAll(client: Client): void {
    client.watchTouched = false;
    if (client.watches.length === 0) return;
    for (const watch of client.watches) {
      const table = this.byDb[watch.db] as Map<string, Watch[]>;
      const watches = table.get(watch.key) as Watch[];
      watches.splice(watches.indexOf(watch), 1);
      if (watches.length === 0) {
        table.delete(watch.key);
        this.keyCount--;
      }
    }
    client.watches = [];
  }

  /** signalModifiedKey: the key was written or removed; its watchers' transactions are doomed. */
  touch(db: Db, key: string): void {
    const watches = this.byDb[db.index]?.get(key);
    if (watches === undefined) return;
    for (const watch of watches) {
      // An already expired key now gone was absent all along for this watch: no change.
      if (watch.expired && !db.data.has(key)) {
        watch.expired = false;
        continue;
      }
      watch.client.watchTouched = true;
    }
  }

  /** FLUSHDB, FLUSHALL and a reload empty a database: each watched key it still holds is touched. */
  touchAllIn(db: Db): void {
    const table = this.byDb[db.index] as Map<string, Watch[]>;
    if (table.size === 0) return;
    for (const [key, watches] of table) {
      if (!db.data.has(key)) continue;
      for (const watch of watches) {
        if (watch.expired) watch.expired = false;
        else watch.client.watchTouched = true;
      }
    }
  }

  /** A process that ends takes its clients and their watches with it. */
  clear(): void {
    for (const table of this.byDb) table.clear();
    this.keyCount = 0;
  }
}
