import { RedisList, RedisZSet, typeOf, type RedisType, type RedisValue } from '../engine/index.ts';
import type { Engine, EngineEvent } from '../engine/index.ts';
import { keysOfCommand } from '../engine/commands/key-positions.ts';
import { headBytes, quoteBin, displayBin } from './display-text.ts';

/**
 * The keyspace panel's view model, derived from the engine's databases. It is rebuilt after every
 * action that may have changed keys, so it must stay cheap whatever the keyspace holds: each
 * database lists at most `maxKeysPerDb` keys (the rest is a count), and each value contributes a
 * bounded preview (a few elements, a few dozen bytes), never a walk of the whole value. Keys a
 * command named lately are listed too when they are not among the first ones (`SET greeting hello`
 * after `DEBUG POPULATE 1000`): found by name, so the cost does not grow with the keyspace.
 *
 * Rows whose content did not change are the previous objects, so React skips them.
 */

export interface KeyView {
  /** Stable identity for React and motion: the database and the key's bytes. */
  readonly id: string;
  /** The key as display text (UTF-8 decoded, control bytes escaped). */
  readonly name: string;
  readonly type: RedisType;
  /** Bytes for a string, elements for the containers. */
  readonly size: number;
  /** A short, left-to-right rendering of the value: `"hello"`, `["a", "b"]`, `{"f": "v"}`. */
  readonly preview: string;
  /** Absolute expiry time in simulated unix ms, or null for a key that never expires. */
  readonly expireAtMs: number | null;
}

export interface DbView {
  readonly index: number;
  /** DBSIZE: every key the database holds, including those not listed. */
  readonly keyCount: number;
  /** The database's first keys (creation order), sorted by name. */
  readonly keys: readonly KeyView[];
  /** Keys a command named lately that are not among `keys`, the latest first. */
  readonly recentKeys: readonly KeyView[];
  /** Keys held but not listed, to be shown as "and N more". */
  readonly moreCount: number;
}

export interface KeyspaceView {
  /** Non-empty databases only, in index order. */
  readonly dbs: readonly DbView[];
  readonly totalKeys: number;
}

export const EMPTY_KEYSPACE: KeyspaceView = { dbs: [], totalKeys: 0 };

export interface KeyspaceViewLimits {
  readonly maxKeysPerDb: number;
  /** How many recently named keys beyond the first ones are listed, over all databases. */
  readonly maxRecentKeys: number;
  readonly previewElements: number;
  readonly previewBytes: number;
  readonly previewChars: number;
}

export const DEFAULT_LIMITS: KeyspaceViewLimits = {
  maxKeysPerDb: 100,
  maxRecentKeys: 10,
  previewElements: 5,
  previewBytes: 64,
  previewChars: 80,
};

/** A key a command named: its database and its bytes. */
export interface TouchedKey {
  readonly db: number;
  readonly key: string;
}

/**
 * The keys the latest commands named (reads too: `GET greeting` brings it into view), the latest
 * first, each once, at most `max`: read backwards from the end of the event log, which is bounded.
 */
export function recentlyTouchedKeys(events: readonly { readonly event: EngineEvent }[], max: number): TouchedKey[] {
  const found: TouchedKey[] = [];
  const seen = new Set<string>();
  for (let i = events.length - 1; i >= 0 && found.length < max; i--) {
    const event = (events[i] as { event: EngineEvent }).event;
    if (event.type !== 'command.executed') continue;
    for (const key of keysOfCommand((event.argv[0] ?? '').toLowerCase(), event.argv)) {
      if (found.length === max) break;
      const id = `${event.db}:${key}`;
      if (seen.has(id)) continue;
      seen.add(id);
      found.push({ db: event.db, key });
    }
  }
  return found;
}

/** Builds the view; rows equal to a row of `previous` reuse that object. `recent`: the latest first. */
export function buildKeyspaceView(
  engine: Pick<Engine, 'dbs' | 'nowMs'>,
  previous: KeyspaceView = EMPTY_KEYSPACE,
  limits: KeyspaceViewLimits = DEFAULT_LIMITS,
  recent: readonly TouchedKey[] = [],
): KeyspaceView {
  const previousRows = new Map<string, KeyView>();
  for (const db of previous.dbs) for (const row of [...db.keys, ...db.recentKeys]) previousRows.set(row.id, row);
  const reuse = (row: KeyView): KeyView => {
    const old = previousRows.get(row.id);
    return old !== undefined && sameRow(old, row) ? old : row;
  };

  const dbs: DbView[] = [];
  let totalKeys = 0;
  for (const db of engine.dbs) {
    if (db.size === 0) continue;
    totalKeys += db.size;
    const keys: KeyView[] = [];
    const listed = new Set<string>();
    let visited = 0;
    // A key past its expiry but not yet reclaimed is already gone for every reader: no row.
    const liveRow = (key: string, value: RedisValue): KeyView | null => {
      const expireAtMs = db.expires.get(key) ?? null;
      return expireAtMs !== null && engine.nowMs > expireAtMs ? null : reuse(keyView(db.index, key, value, expireAtMs, limits));
    };
    // The keyspace keeps creation order; a huge database shows its first keys, sorted among themselves.
    for (const [key, value] of db.data) {
      if (keys.length === limits.maxKeysPerDb) break;
      visited++;
      listed.add(key);
      const row = liveRow(key, value);
      if (row !== null) keys.push(row);
    }
    keys.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // Only a database with keys left unlisted can hide one the student just used.
    const recentKeys: KeyView[] = [];
    if (visited < db.size) {
      for (const touched of recent) {
        if (recentKeys.length === limits.maxRecentKeys) break;
        if (touched.db !== db.index || listed.has(touched.key)) continue;
        const value = db.data.get(touched.key);
        if (value === undefined) continue;
        listed.add(touched.key);
        const row = liveRow(touched.key, value);
        if (row !== null) recentKeys.push(row);
      }
    }
    dbs.push({ index: db.index, keyCount: db.size, keys, recentKeys, moreCount: db.size - visited - recentKeys.length });
  }
  return { dbs, totalKeys };
}

function sameRow(a: KeyView, b: KeyView): boolean {
  return a.type === b.type && a.size === b.size && a.preview === b.preview && a.expireAtMs === b.expireAtMs;
}

function keyView(dbIndex: number, key: string, value: RedisValue, expireAtMs: number | null, limits: KeyspaceViewLimits): KeyView {
  const type = typeOf(value);
  return {
    id: `${dbIndex}:${key}`,
    name: displayBin(key),
    type,
    size: sizeOf(value),
    preview: clip(previewOf(value, limits), limits.previewChars),
    expireAtMs,
  };
}

function sizeOf(value: RedisValue): number {
  if (typeof value === 'string') return value.length;
  if (value instanceof RedisList) return value.length;
  return value.size;
}

function previewOf(value: RedisValue, limits: KeyspaceViewLimits): string {
  const quote = (bin: string): string => quoteBin(headBytes(bin, limits.previewBytes)) + (bin.length > limits.previewBytes ? '…' : '');
  if (typeof value === 'string') return quote(value);
  const parts: string[] = [];
  const size = sizeOf(value);
  const take = Math.min(size, limits.previewElements);
  if (value instanceof RedisList) {
    for (let i = 0; i < take; i++) parts.push(quote(value.at(i)));
    return `[${withEllipsis(parts, size)}]`;
  }
  if (value instanceof RedisZSet) {
    for (let i = 0; i < take; i++) {
      const entry = value.entries[i] as { member: string; score: number };
      parts.push(`${quote(entry.member)}: ${formatScore(entry.score)}`);
    }
    return `{${withEllipsis(parts, size)}}`;
  }
  if (value instanceof Map) {
    for (const [field, fieldValue] of value) {
      if (parts.length === take) break;
      parts.push(`${quote(field)}: ${quote(fieldValue)}`);
    }
    return `{${withEllipsis(parts, size)}}`;
  }
  for (const member of value) {
    if (parts.length === take) break;
    parts.push(quote(member));
  }
  return `{${withEllipsis(parts, size)}}`;
}

function withEllipsis(parts: string[], size: number): string {
  return size > parts.length ? `${parts.join(', ')}, …` : parts.join(', ');
}

function formatScore(score: number): string {
  if (score === Infinity) return 'inf';
  if (score === -Infinity) return '-inf';
  return String(score);
}

function clip(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  // Never end on half of a surrogate pair (an emoji cut in two).
  return `${text.slice(0, maxChars).replace(/[\uD800-\uDBFF]$/, '')}…`;
}
