import type { Engine } from '../engine.ts';
import type { Db } from '../keyspace/db.ts';
import { RedisList, type RedisValue } from '../keyspace/values.ts';

/**
 * The node's memory use, estimated from its keys: what INFO memory reports, what a fork copies
 * page by page, and what the RDB's used-mem AUX field records. Figures follow a real 7.0.15
 * (jemalloc) node closely for small values; they are a model, not an allocator's count.
 */

/** used_memory_startup of a real 7.0.15 (jemalloc) node with no keys and no clients. */
export const STARTUP_BYTES = 876256;
/** used_memory_scripts / used_memory_functions of an idle node. */
export const SCRIPTS_BYTES = 200;
/** Per key: a dict entry, the key's sds header and the value's robj. */
export const PER_KEY_BYTES = 56;
/** Per key with a TTL: its entry in the expires dict. */
export const PER_EXPIRE_BYTES = 24;
/** Per element of a list, hash, set or sorted set, beyond its own bytes' average. */
export const PER_ELEMENT_BYTES = 24;
/** Per connected client: its query buffer and client struct, as a small idle client shows. */
export const PER_CLIENT_BYTES = 20496;

/**
 * A value's approximate footprint. Strings count their bytes; containers count their elements at
 * a flat rate, so a value is counted again in O(1) however large it is (each database keeps the
 * sum as keys change: keyspace/db.ts).
 */
export function valueBytes(value: RedisValue): number {
  if (typeof value === 'string') return value.length + 16;
  if (value instanceof RedisList) return value.length * PER_ELEMENT_BYTES + 32;
  // Hashes, sets and sorted sets: a member plus a field, value or score per element.
  return value.size * (PER_ELEMENT_BYTES * 2) + 64;
}

/** A key's share of used_memory_dataset: its name's bytes and its value's footprint. */
export function keyBytes(key: string, value: RedisValue): number {
  return key.length + valueBytes(value);
}

/** A database's dataset bytes counted key by key: what `Db.datasetBytes` keeps (the tests' oracle). */
export function walkDatasetBytes(db: Db): number {
  let dataset = 0;
  for (const [key, value] of db.data) dataset += keyBytes(key, value);
  return dataset;
}

export interface MemoryEstimate {
  used: number;
  overhead: number;
  dataset: number;
  rss: number;
}

/** The node's memory now, from what each database keeps of its keys: O(databases), never O(keys). */
export function estimateMemory(engine: Pick<Engine, 'dbs' | 'connectedClients'>): MemoryEstimate {
  let dataset = 0;
  let overhead = STARTUP_BYTES + SCRIPTS_BYTES + engine.connectedClients * PER_CLIENT_BYTES;
  for (const db of engine.dbs) {
    overhead += db.size * PER_KEY_BYTES + db.expires.size * PER_EXPIRE_BYTES;
    dataset += db.datasetBytes;
  }
  const used = overhead + dataset;
  // A fresh jemalloc process keeps about 5.9 MB resident beyond what it allocated; whole pages.
  const rss = Math.ceil((used * 1.2 + 5_870_000) / 4096) * 4096;
  return { used, overhead, dataset, rss };
}

/**
 * The lab runs in a browser tab, which holds far less than a server: where a real Redis would grow
 * until the kernel's OOM killer ended it, the tab would simply die. So the commands that can grow
 * the dataset by much in one line (DEBUG POPULATE, SETRANGE, APPEND) stop at 512 MB of it, with
 * an answer.
 */
export const TAB_DATASET_LIMIT_BYTES = 512 * 1024 * 1024;

/** Whether the dataset may grow by `bytes` more and stay within what a browser tab holds. */
export function roomInTab(engine: Pick<Engine, 'dbs' | 'connectedClients'>, bytes: number): boolean {
  return estimateMemory(engine).dataset + bytes <= TAB_DATASET_LIMIT_BYTES;
}
