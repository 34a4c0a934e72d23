import { array, bulk, EMPTY_ARRAY, error, integer, NIL, OK, type Reply } from '../../codec/reply.ts';
import { incrByFloat, parseInteger, parseLongDouble } from '../../codec/numbers.ts';
import { NOT_A_FLOAT, NOT_AN_INTEGER, OVERFLOW, WRONGTYPE, wrongArity } from '../errors.ts';
import { lookupTyped } from './common.ts';
import type { CommandContext, CommandSpec } from './types.ts';

/**
 * The hash commands of Redis 7.0: HSET HSETNX HGET HMGET HMSET HDEL HGETALL HKEYS HVALS HLEN
 * HEXISTS HSTRLEN HINCRBY HINCRBYFLOAT. A hash is a Map<field, value> of bin strings, in insertion
 * order (Redis's own order is an encoding detail; clients must not rely on it).
 *
 * Contract, as observed on redis-server 7.0.15: argument errors and WRONGTYPE come in Redis's
 * order (noted per command); `engine.dirty` grows by the number of field/value pairs written
 * (updates and repeats included), fields deleted, or 1 per increment; HINCRBYFLOAT propagates as
 * `HSET key field <result>` so that replaying it cannot drift; everything else propagates as
 * sent; a hash whose last field goes is deleted.
 */

const HASH_VALUE_NOT_AN_INTEGER = error('ERR hash value is not an integer');
const HASH_VALUE_NOT_A_FLOAT = error('ERR hash value is not a float');
const INCREMENT_NAN_OR_INFINITY = error('ERR value is NaN or Infinity');
const RESULT_NAN_OR_INFINITY = error('ERR increment would produce NaN or Infinity');

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The hash at `key` for a write, created (and stored) when missing; null when the key holds another type. */
function writableHash(ctx: CommandContext, key: string): Map<string, string> | null {
  const hash = lookupTyped(ctx, key, 'hash', 'write');
  if (hash !== undefined) return hash;
  const created = new Map<string, string>();
  ctx.db.set(key, created);
  return created;
}

/** The hash at `key` for a read (counting a keyspace hit or miss); null when another type. */
function readableHash(ctx: CommandContext): Map<string, string> | undefined | null {
  return lookupTyped(ctx, ctx.argv[1] as string, 'hash', 'read');
}

/**
 * HSET (replies the number of new fields) and HMSET (replies OK). An odd number of words is an
 * arity error, checked before the key's type.
 */
function setFields(name: string, reply: (created: number) => Reply) {
  return (ctx: CommandContext): Reply => {
    const { argv } = ctx;
    if (argv.length % 2 === 1) return wrongArity(name);
    const hash = writableHash(ctx, argv[1] as string);
    if (hash === null) return WRONGTYPE;
    const sizeBefore = hash.size;
    for (let i = 2; i < argv.length; i += 2) hash.set(argv[i] as string, argv[i + 1] as string);
    ctx.engine.dirty += (argv.length - 2) / 2;
    return reply(hash.size - sizeBefore);
  };
}

/** HGETALL, HKEYS and HVALS: the fields and/or values, in the hash's order. */
function listHash(withFields: boolean, withValues: boolean) {
  return (ctx: CommandContext): Reply => {
    const hash = readableHash(ctx);
    if (hash === undefined) return EMPTY_ARRAY;
    if (hash === null) return WRONGTYPE;
    const out: Reply[] = [];
    for (const [field, value] of hash) {
      if (withFields) out.push(bulk(field));
      if (withValues) out.push(bulk(value));
    }
    return array(out);
  };
}

/** current + increment within int64, or null on overflow. Numbers beyond ±2^53 are bigints. */
function addInt64(current: number | bigint, increment: number | bigint): number | bigint | null {
  if (typeof current === 'number' && typeof increment === 'number') {
    const sum = current + increment;
    if (Number.isSafeInteger(sum)) return sum;
  }
  const sum = BigInt(current) + BigInt(increment);
  if (sum < INT64_MIN || sum > INT64_MAX) return null;
  const asNumber = Number(sum);
  return Number.isSafeInteger(asNumber) ? asNumber : sum;
}

export const hashesCommands: CommandSpec[] = [
  { name: 'hset', arity: -4, flags: ['write', 'fast'], run: setFields('hset', integer) },
  { name: 'hmset', arity: -4, flags: ['write', 'fast'], run: setFields('hmset', () => OK) },
  {
    name: 'hsetnx',
    arity: 4,
    flags: ['write', 'fast'],
    run: (ctx) => {
      const { argv } = ctx;
      const hash = writableHash(ctx, argv[1] as string);
      if (hash === null) return WRONGTYPE;
      const field = argv[2] as string;
      if (hash.has(field)) return integer(0);
      hash.set(field, argv[3] as string);
      ctx.engine.dirty++;
      return integer(1);
    },
  },
  {
    name: 'hget',
    arity: 3,
    flags: ['readonly', 'fast'],
    run: (ctx) => {
      const hash = readableHash(ctx);
      if (hash === undefined) return NIL;
      if (hash === null) return WRONGTYPE;
      return bulk(hash.get(ctx.argv[2] as string) ?? null);
    },
  },
  {
    // A missing key answers a nil for every field asked.
    name: 'hmget',
    arity: -3,
    flags: ['readonly', 'fast'],
    run: (ctx) => {
      const hash = readableHash(ctx);
      if (hash === null) return WRONGTYPE;
      const out: Reply[] = [];
      for (let i = 2; i < ctx.argv.length; i++) out.push(hash === undefined ? NIL : bulk(hash.get(ctx.argv[i] as string) ?? null));
      return array(out);
    },
  },
  {
    name: 'hdel',
    arity: -3,
    flags: ['write', 'fast'],
    run: (ctx) => {
      const { argv } = ctx;
      const key = argv[1] as string;
      const hash = lookupTyped(ctx, key, 'hash', 'write');
      if (hash === undefined) return integer(0);
      if (hash === null) return WRONGTYPE;
      let deleted = 0;
      for (let i = 2; i < argv.length; i++) if (hash.delete(argv[i] as string)) deleted++;
      ctx.engine.dirty += deleted;
      if (hash.size === 0) ctx.db.delete(key);
      return integer(deleted);
    },
  },
  { name: 'hgetall', arity: 2, flags: ['readonly'], run: listHash(true, true) },
  { name: 'hkeys', arity: 2, flags: ['readonly'], run: listHash(true, false) },
  { name: 'hvals', arity: 2, flags: ['readonly'], run: listHash(false, true) },
  {
    name: 'hlen',
    arity: 2,
    flags: ['readonly', 'fast'],
    run: (ctx) => {
      const hash = readableHash(ctx);
      if (hash === null) return WRONGTYPE;
      return integer(hash === undefined ? 0 : hash.size);
    },
  },
  {
    name: 'hexists',
    arity: 3,
    flags: ['readonly', 'fast'],
    run: (ctx) => {
      const hash = readableHash(ctx);
      if (hash === null) return WRONGTYPE;
      return integer(hash !== undefined && hash.has(ctx.argv[2] as string) ? 1 : 0);
    },
  },
  {
    // The value's length in bytes (bin strings hold one byte per code unit); 0 when absent.
    name: 'hstrlen',
    arity: 3,
    flags: ['readonly', 'fast'],
    run: (ctx) => {
      const hash = readableHash(ctx);
      if (hash === null) return WRONGTYPE;
      return integer(hash?.get(ctx.argv[2] as string)?.length ?? 0);
    },
  },
  {
    // Order: the increment, the key's type, the stored value ("hash value is not an integer"), overflow.
    name: 'hincrby',
    arity: 4,
    flags: ['write', 'fast'],
    run: (ctx) => {
      const { argv } = ctx;
      const increment = parseInteger(argv[3] as string);
      if (increment === null) return NOT_AN_INTEGER;
      const hash = writableHash(ctx, argv[1] as string);
      if (hash === null) return WRONGTYPE;
      const field = argv[2] as string;
      const stored = hash.get(field);
      const current = stored === undefined ? 0 : parseInteger(stored);
      if (current === null) return HASH_VALUE_NOT_AN_INTEGER;
      const result = addInt64(current, increment);
      if (result === null) return OVERFLOW;
      hash.set(field, String(result));
      ctx.engine.dirty++;
      return integer(result);
    },
  },
  {
    // Order: the increment (not a float, then NaN/Infinity), the key's type, the stored value, the
    // result. Computed in long double; propagated as HSET of the result.
    name: 'hincrbyfloat',
    arity: 4,
    flags: ['write', 'fast'],
    run: (ctx) => {
      const { argv } = ctx;
      const key = argv[1] as string;
      const increment = argv[3] as string;
      const parsed = parseLongDouble(increment);
      if (parsed === null) return NOT_A_FLOAT;
      if (!parsed.finite) return INCREMENT_NAN_OR_INFINITY;
      const hash = writableHash(ctx, key);
      if (hash === null) return WRONGTYPE;
      const field = argv[2] as string;
      const result = incrByFloat(hash.get(field) ?? null, increment);
      if (!result.ok) return result.error === 'not-a-float' ? HASH_VALUE_NOT_A_FLOAT : RESULT_NAN_OR_INFINITY;
      hash.set(field, result.value);
      ctx.engine.dirty++;
      ctx.propagateAs = [['HSET', key, field, result.value]];
      return bulk(result.value);
    },
  },
];
