/**
 * Helpers shared by the RDB codec tests: annotated hex listings as test vectors, the keyspace JSON
 * layout of test/fixtures/real-redis-7.0/README.md, a builder for hand-made RDB files, and
 * fast-check generators of keyspaces that reach every encoding the writer chooses.
 */
import fc from 'fast-check';
import { binToHex, binToUtf8, bytesToBin } from '../../../src/codec/bytes.ts';
import type { Reply } from '../../../src/codec/reply.ts';
import { ByteWriter, crc64, type RdbKeyData, type RdbKeyspace, type RdbValue } from '../../../src/codec/rdb/index.ts';

// ---------------------------------------------------------------------------------------------
// Annotated hex

/**
 * Bytes from a listing such as `fa 09 'redis-ver' 06 '7.0.15'` or `|04000000 0400|`: hex digits
 * in any grouping, quoted ASCII text, and `|` as a separator that means nothing.
 */
export function hexBytes(spec: string): number[] {
  const out: number[] = [];
  for (const token of spec.match(/'[^']*'|[0-9a-fA-F]+|\|/g) ?? []) {
    if (token === '|') continue;
    if (token.startsWith("'")) for (const c of token.slice(1, -1)) out.push(c.charCodeAt(0));
    else {
      if (token.length % 2 !== 0) throw new Error(`odd hex group ${token}`);
      for (let i = 0; i < token.length; i += 2) out.push(parseInt(token.slice(i, i + 2), 16));
    }
  }
  return out;
}

/** A listing of [offset, bytes] lines; fails if a line does not start where the previous ended. */
export function listingBytes(lines: readonly (readonly [number, string])[]): Uint8Array {
  const out: number[] = [];
  for (const [offset, spec] of lines) {
    if (offset !== out.length) throw new Error(`listing line at 0x${offset.toString(16)} starts at 0x${out.length.toString(16)}`);
    out.push(...hexBytes(spec));
  }
  return Uint8Array.from(out);
}

// ---------------------------------------------------------------------------------------------
// Keyspace JSON, as scripts/dump_keyspace.py writes it

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** A bin string as the README's JSON shows it: text when it is UTF-8, else {hex}. */
export function jsonText(bin: string): string | { hex: string } {
  const text = binToUtf8(bin);
  return text !== null ? text : { hex: binToHex(bin) };
}

/** Python's json.dumps with ensure_ascii (the sort key dump_keyspace.py uses for non-integer members). */
function pyJsonDumps(v: string | { hex: string }): string {
  const esc = (s: string) => JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return typeof v === 'string' ? esc(v) : `{"hex": ${esc(v.hex)}}`;
}

function setOrder(a: string | { hex: string }, b: string | { hex: string }): number {
  const rank = (x: string | { hex: string }): [0, bigint] | [1, string] =>
    typeof x === 'string' && /^-?[0-9]+$/.test(x) ? [0, BigInt(x)] : [1, pyJsonDumps(x)];
  const ra = rank(a);
  const rb = rank(b);
  if (ra[0] !== rb[0]) return ra[0] - rb[0];
  return ra[1] < rb[1] ? -1 : ra[1] > rb[1] ? 1 : 0;
}

function jsonScore(score: number): number | string {
  if (score === Infinity) return 'inf';
  if (score === -Infinity) return '-inf';
  return score === 0 ? 0 : score; // Python's int(-0.0) is 0
}

/** A key's (or field's) name in a JSON object: its text, or the JSON of {hex}. */
function jsonName(bin: string): string {
  const t = jsonText(bin);
  return typeof t === 'string' ? t : JSON.stringify(t);
}

/** The README's layout {"db<N>": {key: {type, value, expireAtMs?}}} (no `encoding`). */
export function keyspaceJson(keyspace: RdbKeyspace): Record<string, Record<string, Json>> {
  const out: Record<string, Record<string, Json>> = {};
  for (const db of [...keyspace.dbs].sort((a, b) => a.index - b.index)) {
    if (db.entries.length === 0) continue;
    const keys: Record<string, Json> = {};
    for (const entry of db.entries) {
      const e: Record<string, Json> = { type: entry.type, value: valueJson(entry) };
      if (entry.expireAtMs !== undefined) e.expireAtMs = entry.expireAtMs;
      keys[jsonName(entry.key)] = e;
    }
    out[`db${db.index}`] = keys;
  }
  return out;
}

function valueJson(entry: RdbKeyData): Json {
  switch (entry.type) {
    case 'string':
      return jsonText(entry.value);
    case 'list':
      return entry.value.map(jsonText);
    case 'set':
      return entry.value.map(jsonText).sort(setOrder);
    case 'hash':
      return Object.fromEntries(entry.value.map(([f, v]) => [jsonName(f), jsonText(v)]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1)));
    case 'zset': {
      const ranked = [...entry.value].sort((a, b) => (a[1] !== b[1] ? a[1] - b[1] : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      return ranked.map(([m, s]) => [jsonText(m), jsonScore(s)]);
    }
  }
}

/** The expected JSON of a fixture without the `encoding` fields (extra information, per the README). */
export function withoutEncoding(expected: Record<string, Record<string, Record<string, Json>>>): Record<string, Record<string, Json>> {
  const out: Record<string, Record<string, Json>> = {};
  for (const [db, keys] of Object.entries(expected)) {
    out[db] = Object.fromEntries(Object.entries(keys).map(([k, { encoding: _encoding, ...rest }]) => [k, rest]));
  }
  return out;
}

/** A keyspace in a canonical order for comparisons, values exact (bin strings, scores compared with Object.is). */
export function canonical(keyspace: RdbKeyspace) {
  const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  const byFirst = <T extends readonly [string, unknown]>(a: T, b: T) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  return [...keyspace.dbs]
    .filter((db) => db.entries.length > 0)
    .sort((a, b) => a.index - b.index)
    .map((db) => ({
      index: db.index,
      entries: [...db.entries].sort(byKey).map((e) => {
        const value =
          e.type === 'set' ? [...e.value].sort() : e.type === 'hash' ? [...e.value].sort(byFirst) : e.type === 'zset' ? [...e.value].sort((a, b) => a[1] - b[1] || byFirst(a, b)) : e.value;
        return { key: e.key, type: e.type, value, expireAtMs: e.expireAtMs };
      }),
    }));
}

// ---------------------------------------------------------------------------------------------
// A live server's keyspace

type Command = (argv: readonly string[]) => Promise<Reply>;

const bulkOf = (r: Reply): string => {
  if (r.type !== 'bulk' || r.value === null) throw new Error(`expected a bulk reply, got ${JSON.stringify(r)}`);
  return r.value;
};
const arrayOf = (r: Reply): string[] => {
  if (r.type !== 'array' || r.value === null) throw new Error(`expected an array reply, got ${JSON.stringify(r)}`);
  return r.value.map(bulkOf);
};

/** Reads a live server's whole keyspace over RESP into the writer's plain structure. */
export async function readLiveKeyspace(command: Command): Promise<RdbKeyspace> {
  const info = bulkOf(await command(['INFO', 'keyspace']));
  const indexes = [...info.matchAll(/^db(\d+):/gm)].map((m) => Number(m[1]));
  const dbs = [];
  for (const index of indexes) {
    await command(['SELECT', String(index)]);
    const entries: RdbKeyData[] = [];
    for (const key of arrayOf(await command(['KEYS', '*']))) {
      const type = (await command(['TYPE', key])).value as string;
      const pexpiretime = (await command(['PEXPIRETIME', key])).value as number;
      const expireAtMs = pexpiretime >= 0 ? pexpiretime : undefined;
      let entry: RdbKeyData;
      if (type === 'string') entry = { key, type, value: bulkOf(await command(['GET', key])), expireAtMs };
      else if (type === 'list') entry = { key, type, value: arrayOf(await command(['LRANGE', key, '0', '-1'])), expireAtMs };
      else if (type === 'set') entry = { key, type, value: arrayOf(await command(['SMEMBERS', key])), expireAtMs };
      else if (type === 'hash') {
        const flat = arrayOf(await command(['HGETALL', key]));
        const value: [string, string][] = [];
        for (let i = 0; i < flat.length; i += 2) value.push([flat[i]!, flat[i + 1]!]);
        entry = { key, type, value, expireAtMs };
      } else if (type === 'zset') {
        const flat = arrayOf(await command(['ZRANGE', key, '0', '-1', 'WITHSCORES']));
        const value: [string, number][] = [];
        for (let i = 0; i < flat.length; i += 2) value.push([flat[i]!, parseReplyScore(flat[i + 1]!)]);
        entry = { key, type, value, expireAtMs };
      } else throw new Error(`unexpected type ${type} of key ${key}`);
      entries.push(entry);
    }
    dbs.push({ index, entries });
  }
  return { dbs };
}

function parseReplyScore(text: string): number {
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  return Number(text);
}

// ---------------------------------------------------------------------------------------------
// Hand-made files

/** "REDIS" + version, the given body, EOF and (version ≥ 5) the CRC-64 of it all. */
export function rdbFile(version: number, body: readonly (number | string | Uint8Array | readonly number[])[]): Uint8Array {
  const w = new ByteWriter();
  w.bin(`REDIS${String(version).padStart(4, '0')}`);
  for (const part of body) {
    if (typeof part === 'number') w.u8(part);
    else if (typeof part === 'string') w.bin(part);
    else w.bytes(Uint8Array.from(part));
  }
  w.u8(0xff);
  if (version >= 5) w.u64le(crc64(w.written()));
  return w.finish();
}

/** A raw RDB string of a short bin string (length < 64). */
export function rdbStr(bin: string): string {
  if (bin.length >= 64) throw new Error('rdbStr is for short strings');
  return String.fromCharCode(bin.length) + bin;
}

/** A raw RDB string holding a blob. */
export function rdbBlob(bytes: Uint8Array | number[]): Uint8Array {
  const b = Uint8Array.from(bytes);
  const w = new ByteWriter();
  if (b.length < 64) w.u8(b.length);
  else if (b.length < 16384) w.u8(0x40 | (b.length >> 8)).u8(b.length & 0xff);
  else w.u8(0x80).u32be(b.length);
  return w.bytes(b).finish();
}


// ---------------------------------------------------------------------------------------------
// Generated keyspaces

const byteString = (maxLength: number) =>
  fc.uint8Array({ maxLength }).map((b) => bytesToBin(b));

/** Strings of every kind the writer treats differently: integers, short, binary, compressible, long. */
export const binString = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map(String),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
    fc.constantFrom('', '0', '-0', '007', '+1', '3.14', ' 1', '2147483648', '-2147483649'),
    fc.string({ maxLength: 12 }),
    byteString(40),
    fc.tuple(fc.string({ minLength: 1, maxLength: 6 }), fc.integer({ min: 2, max: 60 })).map(([s, n]) => s.repeat(n)),
    byteString(300),
  );

const shortMember = (): fc.Arbitrary<string> =>
  fc.oneof(fc.integer({ min: -100000, max: 100000 }).map(String), fc.string({ maxLength: 10 }), byteString(8));

/** `n` distinct members built from a prefix, for collections past the listpack and intset limits. */
const many = (min: number, max: number, shape: 'int' | 'text' | 'long') =>
  fc.tuple(fc.integer({ min, max }), fc.string({ maxLength: 4 })).map(([n, prefix]) =>
    Array.from({ length: n }, (_, i) => (shape === 'int' ? String(i * 7 - 1000) : shape === 'text' ? `${prefix}m${i}` : `${prefix}${'x'.repeat(70)}${i}`)),
  );

const score = (): fc.Arbitrary<number> =>
  fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.double({ noNaN: true }), fc.constantFrom(Infinity, -Infinity, 0.1, 2.5, 1e300, -0));

const distinct = (members: fc.Arbitrary<string>, maxLength: number) => fc.uniqueArray(members, { minLength: 1, maxLength });

export const valueArb = (): fc.Arbitrary<RdbValue> =>
  fc.oneof(
    { weight: 3, arbitrary: binString().map((value) => ({ type: 'string' as const, value })) },
    { weight: 2, arbitrary: fc.array(binString(), { minLength: 1, maxLength: 12 }).map((value) => ({ type: 'list' as const, value })) },
    { weight: 1, arbitrary: fc.array(byteString(120), { minLength: 60, maxLength: 220 }).map((value) => ({ type: 'list' as const, value })) },
    { weight: 2, arbitrary: distinct(shortMember(), 12).map((value) => ({ type: 'set' as const, value })) },
    {
      weight: 1,
      arbitrary: fc.oneof(many(500, 530, 'int'), many(20, 40, 'int'), many(5, 30, 'text')).map((value) => ({ type: 'set' as const, value })),
    },
    {
      weight: 2,
      arbitrary: fc
        .uniqueArray(fc.tuple(shortMember(), binString()), { minLength: 1, maxLength: 10, selector: (p) => p[0] })
        .map((value) => ({ type: 'hash' as const, value })),
    },
    {
      weight: 1,
      arbitrary: fc.oneof(many(500, 530, 'text'), many(1, 3, 'long')).map((fields) => ({
        type: 'hash' as const,
        value: fields.map((f, i) => [f, `v${i}`] as const),
      })),
    },
    {
      weight: 2,
      arbitrary: fc
        .uniqueArray(fc.tuple(shortMember(), score()), { minLength: 1, maxLength: 10, selector: (p) => p[0] })
        .map((value) => ({ type: 'zset' as const, value })),
    },
    {
      weight: 1,
      arbitrary: fc.oneof(many(125, 140, 'text'), many(1, 3, 'long')).map((members) => ({
        type: 'zset' as const,
        value: members.map((m, i) => [m, i % 3 === 0 ? i / 7 : i] as const),
      })),
    },
  );

/** A keyspace of up to 3 databases; expiries are decades ahead so a real server keeps the keys. */
export const keyspaceArb = (): fc.Arbitrary<RdbKeyspace> =>
  fc
    .uniqueArray(
      fc.record({
        index: fc.integer({ min: 0, max: 15 }),
        entries: fc.uniqueArray(
          fc.tuple(fc.oneof(fc.string({ maxLength: 10 }), byteString(10), fc.integer().map(String)), valueArb(), fc.option(fc.integer({ min: 4e12, max: 8e12 }), { nil: undefined })),
          { minLength: 0, maxLength: 8, selector: (t) => t[0] },
        ),
      }),
      { maxLength: 3, selector: (d) => d.index },
    )
    .map((dbs) => ({
      dbs: dbs.map((d) => ({
        index: d.index,
        entries: d.entries.map(([key, value, expireAtMs]) => ({ key, ...value, ...(expireAtMs !== undefined ? { expireAtMs } : {}) }) as RdbKeyData),
      })),
    }));
