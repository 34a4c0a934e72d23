import { binToHex, binToUtf8 } from '../../codec/bytes.ts';
import type { Db } from './db.ts';
import { RedisList, RedisZSet, typeOf, type RedisType, type RedisValue } from './values.ts';

/**
 * The canonical keyspace export: `{"db<N>": {key: {type, value, expireAtMs?}}}`, the format of the
 * fixtures recorded from real Redis, so a keyspace the engine holds and one Redis holds compare with
 * a deep equality. Text that is not valid UTF-8 becomes `{"hex": "..."}`; sets are sorted (integers
 * first, numerically), hashes by field, sorted sets are `[member, score]` in rank order with
 * infinite scores spelled "inf" / "-inf". Only non-empty databases appear.
 */
export type ExportedText = string | { hex: string };
export type ExportedScore = number | 'inf' | '-inf';

export interface ExportedKey {
  type: RedisType;
  value: ExportedText | ExportedText[] | Record<string, ExportedText> | [ExportedText, ExportedScore][];
  expireAtMs?: number;
}

export type KeyspaceExport = Record<string, Record<string, ExportedKey>>;

export function exportText(bin: string): ExportedText {
  return binToUtf8(bin) ?? { hex: binToHex(bin) };
}

/** Object keys must be strings: a key that is not UTF-8 is written as the JSON of its hex form. */
function exportKeyName(bin: string): string {
  const text = exportText(bin);
  return typeof text === 'string' ? text : JSON.stringify(text);
}

/** Code-point order, as the fixtures' generator sorts. */
function byCodePoint(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i] as string).codePointAt(0)! - (y[i] as string).codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

const INTEGER_TEXT = /^-?[0-9]+$/;

function setOrder(a: ExportedText, b: ExportedText): number {
  const aInt = typeof a === 'string' && INTEGER_TEXT.test(a);
  const bInt = typeof b === 'string' && INTEGER_TEXT.test(b);
  if (aInt && bInt) {
    const d = BigInt(a) - BigInt(b as string);
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  }
  if (aInt !== bInt) return aInt ? -1 : 1;
  return byCodePoint(JSON.stringify(a), JSON.stringify(b));
}

function exportScore(score: number): ExportedScore {
  if (score === Infinity) return 'inf';
  if (score === -Infinity) return '-inf';
  return score;
}

export function exportValue(value: RedisValue): ExportedKey['value'] {
  if (typeof value === 'string') return exportText(value);
  if (value instanceof RedisList) return value.toArray().map(exportText);
  if (value instanceof RedisZSet) {
    return value.entries.map((e): [ExportedText, ExportedScore] => [exportText(e.member), exportScore(e.score)]);
  }
  if (value instanceof Map) {
    const fields = [...value.entries()].map(([f, v]) => [exportKeyName(f), exportText(v)] as const);
    fields.sort((a, b) => byCodePoint(a[0], b[0]));
    return Object.fromEntries(fields);
  }
  return [...value].map(exportText).sort(setOrder);
}

/** Exports every non-empty database. Expired keys still present (not yet reclaimed) are left out. */
export function exportKeyspace(dbs: readonly Db[], nowMs: number): KeyspaceExport {
  const out: KeyspaceExport = {};
  for (const db of dbs) {
    const keys: [string, ExportedKey][] = [];
    for (const [key, value] of db.data) {
      const expireAtMs = db.expires.get(key);
      if (expireAtMs !== undefined && nowMs > expireAtMs) continue;
      const entry: ExportedKey = { type: typeOf(value), value: exportValue(value) };
      if (expireAtMs !== undefined) entry.expireAtMs = expireAtMs;
      keys.push([exportKeyName(key), entry]);
    }
    if (keys.length === 0) continue;
    keys.sort((a, b) => byCodePoint(a[0], b[0]));
    out[`db${db.index}`] = Object.fromEntries(keys);
  }
  return out;
}
