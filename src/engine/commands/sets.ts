import { array, bulk, EMPTY_ARRAY, error, integer, NIL, type Reply } from '../../codec/reply.ts';
import { parseInteger } from '../../codec/numbers.ts';
import { NOT_AN_INTEGER, SYNTAX_ERROR, WRONGTYPE } from '../errors.ts';
import type { Random } from '../random.ts';
import { lookupTyped } from './common.ts';
import type { CommandContext, CommandSpec } from './types.ts';

/**
 * The set commands of Redis 7.0: SADD SREM SMEMBERS SISMEMBER SMISMEMBER SCARD SPOP SRANDMEMBER
 * SINTER SUNION SDIFF. A set is a Set<string> of bin strings.
 *
 * Contract, as observed on redis-server 7.0.15: counts are parsed before the key's type is
 * checked; SINTER/SUNION/SDIFF check every key's type (a missing key is an empty set);
 * `engine.dirty` grows by the members added or removed; SPOP propagates as one `SREM key member`
 * per popped member, or as `DEL key` when it pops the whole set; a set whose last member goes is
 * deleted. Random picks come from engine.random.
 *
 * Reply order: Redis keeps a small all-integer set as a sorted intset and replies in that order,
 * so such sets (and such results of SUNION/SDIFF) are replied sorted by value here too; any other
 * set is in insertion order (Redis's hash order is not reproducible).
 */

const COUNT_NOT_POSITIVE = error('ERR value is out of range, must be positive');
const COUNT_OUT_OF_RANGE = error(
  'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807',
);
/**
 * SRANDMEMBER with a huge negative count would have Redis stream members until memory runs out;
 * the lab refuses to build a reply that large instead.
 */
const MAX_RANDOM_REPLY = 1_000_000;
const RANDOM_REPLY_TOO_LARGE = error(`ERR count too large: the lab replies with at most ${MAX_RANDOM_REPLY} members`);

/** set-max-intset-entries. */
const INTSET_MAX_ENTRIES = 512;

// ---- helpers -------------------------------------------------------------------------------------

/** The members in the order Redis replies them: sorted by value when Redis would hold an intset. */
function replyOrder(members: Iterable<string>, size: number): string[] {
  const list = [...members];
  if (size > INTSET_MAX_ENTRIES) return list;
  const values: (number | bigint)[] = [];
  for (const member of list) {
    const value = parseInteger(member);
    if (value === null) return list;
    values.push(value);
  }
  const order = list.map((_, i) => i);
  order.sort((a, b) => {
    const x = values[a] as number | bigint;
    const y = values[b] as number | bigint;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return order.map((i) => list[i] as string);
}

function membersReply(members: Iterable<string>, size: number): Reply {
  if (size === 0) return EMPTY_ARRAY;
  return array(replyOrder(members, size).map(bulk));
}

/** `count` distinct members picked at random (count < set size), by a partial Fisher-Yates shuffle. */
function pickDistinct(set: Set<string>, count: number, random: Random): string[] {
  const pool = [...set];
  for (let i = 0; i < count; i++) {
    const j = i + random.below(pool.length - i);
    const picked = pool[j] as string;
    pool[j] = pool[i] as string;
    pool[i] = picked;
  }
  pool.length = count;
  return pool;
}

/** One member picked at random. */
function pickOne(set: Set<string>, random: Random): string {
  let skip = random.below(set.size);
  for (const member of set) if (skip-- === 0) return member;
  throw new Error('unreachable: empty set');
}

/**
 * The sets named by argv[1..], for SINTER/SUNION/SDIFF: each key's type is checked in order
 * (WRONGTYPE even after a missing key); a missing key gives an empty set.
 */
function readSets(ctx: CommandContext): Set<string>[] | null {
  const sets: Set<string>[] = [];
  for (let i = 1; i < ctx.argv.length; i++) {
    const set = lookupTyped(ctx, ctx.argv[i] as string, 'set', 'read');
    if (set === null) return null;
    sets.push(set ?? new Set());
  }
  return sets;
}

function readableSet(ctx: CommandContext): Set<string> | undefined | null {
  return lookupTyped(ctx, ctx.argv[1] as string, 'set', 'read');
}

// ---- commands ------------------------------------------------------------------------------------

function spop(ctx: CommandContext): Reply {
  const { argv, engine } = ctx;
  const key = argv[1] as string;
  if (argv.length > 3) return SYNTAX_ERROR;
  let count = -1;
  if (argv.length === 3) {
    const parsed = parseInteger(argv[2] as string);
    if (parsed === null || parsed < 0) return COUNT_NOT_POSITIVE;
    count = Number(parsed);
  }
  const set = lookupTyped(ctx, key, 'set', 'write');
  if (set === undefined) return count < 0 ? NIL : EMPTY_ARRAY;
  if (set === null) return WRONGTYPE;

  if (count < 0) {
    const member = pickOne(set, engine.random);
    set.delete(member);
    if (set.size === 0) ctx.db.delete(key);
    engine.dirty++;
    ctx.propagateAs = [['SREM', key, member]];
    return bulk(member);
  }
  if (count === 0) return EMPTY_ARRAY;
  if (count >= set.size) {
    // The whole set goes: Redis replies every member and logs a single DEL.
    const members = [...set];
    ctx.db.delete(key);
    // Redis fetches the members with a second, reading lookup, which counts a keyspace hit.
    engine.stats.keyspaceHits++;
    engine.dirty += members.length;
    ctx.propagateAs = [['DEL', key]];
    return array(members.map(bulk));
  }
  const popped = pickDistinct(set, count, engine.random);
  for (const member of popped) set.delete(member);
  engine.dirty += count;
  ctx.propagateAs = popped.map((member) => ['SREM', key, member]);
  return array(popped.map(bulk));
}

function srandmember(ctx: CommandContext): Reply {
  const { argv, engine } = ctx;
  if (argv.length > 3) return SYNTAX_ERROR;
  if (argv.length === 2) {
    const set = readableSet(ctx);
    if (set === undefined) return NIL;
    if (set === null) return WRONGTYPE;
    return bulk(pickOne(set, engine.random));
  }
  const parsed = parseInteger(argv[2] as string);
  if (parsed === null) return NOT_AN_INTEGER;
  if (parsed === -9223372036854775808n) return COUNT_OUT_OF_RANGE;
  const set = readableSet(ctx);
  if (set === undefined) return EMPTY_ARRAY;
  if (set === null) return WRONGTYPE;
  if (parsed === 0) return EMPTY_ARRAY;
  if (parsed < 0) {
    // A negative count may repeat members.
    if (-parsed > MAX_RANDOM_REPLY) return RANDOM_REPLY_TOO_LARGE;
    const pool = [...set];
    const out: Reply[] = [];
    for (let i = Number(-parsed); i > 0; i--) out.push(bulk(pool[engine.random.below(pool.length)] as string));
    return array(out);
  }
  if (parsed >= set.size) return membersReply(set, set.size);
  return array(pickDistinct(set, Number(parsed), engine.random).map(bulk));
}

function sinter(ctx: CommandContext): Reply {
  const sets = readSets(ctx);
  if (sets === null) return WRONGTYPE;
  // Redis walks the smallest set and keeps what every other set holds.
  sets.sort((a, b) => a.size - b.size);
  const [smallest, ...others] = sets as [Set<string>, ...Set<string>[]];
  if (smallest.size === 0) return EMPTY_ARRAY;
  const out: Reply[] = [];
  for (const member of replyOrder(smallest, smallest.size)) {
    if (others.every((set) => set.has(member))) out.push(bulk(member));
  }
  return out.length === 0 ? EMPTY_ARRAY : array(out);
}

function sunion(ctx: CommandContext): Reply {
  const sets = readSets(ctx);
  if (sets === null) return WRONGTYPE;
  const union = new Set<string>();
  for (const set of sets) for (const member of set) union.add(member);
  return membersReply(union, union.size);
}

function sdiff(ctx: CommandContext): Reply {
  const sets = readSets(ctx);
  if (sets === null) return WRONGTYPE;
  const [first, ...others] = sets as [Set<string>, ...Set<string>[]];
  const diff = new Set<string>();
  for (const member of first) if (!others.some((set) => set.has(member))) diff.add(member);
  return membersReply(diff, diff.size);
}

export const setsCommands: CommandSpec[] = [
  {
    name: 'sadd',
    arity: -3,
    flags: ['write', 'fast'],
    run: (ctx) => {
      const { argv } = ctx;
      const key = argv[1] as string;
      let set = lookupTyped(ctx, key, 'set', 'write');
      if (set === null) return WRONGTYPE;
      if (set === undefined) {
        set = new Set();
        ctx.db.set(key, set);
      }
      const sizeBefore = set.size;
      for (let i = 2; i < argv.length; i++) set.add(argv[i] as string);
      const added = set.size - sizeBefore;
      ctx.engine.dirty += added;
      return integer(added);
    },
  },
  {
    name: 'srem',
    arity: -3,
    flags: ['write', 'fast'],
    run: (ctx) => {
      const { argv } = ctx;
      const key = argv[1] as string;
      const set = lookupTyped(ctx, key, 'set', 'write');
      if (set === undefined) return integer(0);
      if (set === null) return WRONGTYPE;
      let removed = 0;
      for (let i = 2; i < argv.length; i++) {
        if (set.delete(argv[i] as string)) removed++;
        if (set.size === 0) {
          ctx.db.delete(key);
          break;
        }
      }
      ctx.engine.dirty += removed;
      return integer(removed);
    },
  },
  {
    name: 'smembers',
    arity: 2,
    flags: ['readonly'],
    run: (ctx) => {
      const set = readableSet(ctx);
      if (set === undefined) return EMPTY_ARRAY;
      if (set === null) return WRONGTYPE;
      return membersReply(set, set.size);
    },
  },
  {
    name: 'sismember',
    arity: 3,
    flags: ['readonly', 'fast'],
    run: (ctx) => {
      const set = readableSet(ctx);
      if (set === null) return WRONGTYPE;
      return integer(set?.has(ctx.argv[2] as string) ? 1 : 0);
    },
  },
  {
    name: 'smismember',
    arity: -3,
    flags: ['readonly', 'fast'],
    run: (ctx) => {
      const set = readableSet(ctx);
      if (set === null) return WRONGTYPE;
      const out: Reply[] = [];
      for (let i = 2; i < ctx.argv.length; i++) out.push(integer(set?.has(ctx.argv[i] as string) ? 1 : 0));
      return array(out);
    },
  },
  {
    name: 'scard',
    arity: 2,
    flags: ['readonly', 'fast'],
    run: (ctx) => {
      const set = readableSet(ctx);
      if (set === null) return WRONGTYPE;
      return integer(set?.size ?? 0);
    },
  },
  { name: 'spop', arity: -2, flags: ['write', 'fast'], run: spop },
  { name: 'srandmember', arity: -2, flags: ['readonly'], run: srandmember },
  { name: 'sinter', arity: -2, flags: ['readonly'], run: sinter },
  { name: 'sunion', arity: -2, flags: ['readonly'], run: sunion },
  { name: 'sdiff', arity: -2, flags: ['readonly'], run: sdiff },
];
