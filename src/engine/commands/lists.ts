import { array, bulk, EMPTY_ARRAY, error, integer, NIL, NIL_ARRAY, OK, type Reply } from '../../codec/reply.ts';
import { parseInteger } from '../../codec/numbers.ts';
import { INDEX_OUT_OF_RANGE, NO_SUCH_KEY, NOT_AN_INTEGER, SYNTAX_ERROR, WRONGTYPE, wrongArity } from '../errors.ts';
import { RedisList } from '../keyspace/values.ts';
import { lookupTyped } from './common.ts';
import type { CommandContext, CommandSpec } from './types.ts';

/**
 * The list commands of Redis 7.0: LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LLEN LRANGE LINDEX LSET
 * LREM LTRIM LINSERT.
 *
 * Contract, as observed on redis-server 7.0.15: argument errors and WRONGTYPE come in the same
 * order as Redis checks them (each command notes its order); `engine.dirty` grows by the number of
 * elements pushed, popped, set, removed, trimmed or inserted, so a command that changes nothing is
 * not propagated; every command propagates as sent; a list whose last element goes is deleted.
 */

const COUNT_NOT_POSITIVE = error('ERR value is out of range, must be positive');

/**
 * An index or count argument as a JS number. Values beyond 2^53 only ever act as "further than
 * any end of the list", so their rounding to the nearest double changes nothing.
 */
function parseLong(bin: string): number | null {
  const value = parseInteger(bin);
  return typeof value === 'bigint' ? Number(value) : value;
}

/** Deletes the key when the edit just emptied its list: Redis never keeps an empty list. */
function dropIfEmpty(ctx: CommandContext, key: string, list: RedisList): void {
  if (list.length === 0) ctx.db.delete(key);
}

/**
 * LPUSH/RPUSH (create the list) and LPUSHX/RPUSHX (only onto an existing list). Replies the new
 * length. O(1) per element: this is the benchmarked path.
 */
function push(toHead: boolean, onlyIfExists: boolean) {
  return (ctx: CommandContext): Reply => {
    const { argv } = ctx;
    const key = argv[1] as string;
    let list = lookupTyped(ctx, key, 'list', 'write');
    if (list === null) return WRONGTYPE;
    if (list === undefined) {
      if (onlyIfExists) return integer(0);
      list = new RedisList();
      ctx.db.set(key, list);
    }
    for (let i = 2; i < argv.length; i++) {
      if (toHead) list.pushHead(argv[i] as string);
      else list.pushTail(argv[i] as string);
    }
    ctx.engine.dirty += argv.length - 2;
    return integer(list.length);
  };
}

/**
 * LPOP/RPOP key [count]. Order: arity, count (negative or not an integer → "must be positive"),
 * missing key (nil, or a nil array when a count was given, even 0), WRONGTYPE, count 0 (empty
 * array). Without a count the reply is one bulk string, with one an array.
 */
function pop(fromHead: boolean, name: string) {
  return (ctx: CommandContext): Reply => {
    const { argv } = ctx;
    if (argv.length > 3) return wrongArity(name);
    const key = argv[1] as string;
    const hasCount = argv.length === 3;
    let count = 1;
    if (hasCount) {
      const parsed = parseLong(argv[2] as string);
      if (parsed === null || parsed < 0) return COUNT_NOT_POSITIVE;
      count = parsed;
    }
    const list = lookupTyped(ctx, key, 'list', 'write');
    if (list === undefined) return hasCount ? NIL_ARRAY : NIL;
    if (list === null) return WRONGTYPE;
    if (!hasCount) {
      const value = fromHead ? list.popHead() : list.popTail();
      ctx.engine.dirty++;
      dropIfEmpty(ctx, key, list);
      return bulk(value as string);
    }
    if (count === 0) return EMPTY_ARRAY;
    const popped: Reply[] = [];
    const n = Math.min(count, list.length);
    for (let i = 0; i < n; i++) popped.push(bulk((fromHead ? list.popHead() : list.popTail()) as string));
    ctx.engine.dirty += n;
    dropIfEmpty(ctx, key, list);
    return array(popped);
  };
}

/** Turns a possibly negative index into one from the head (still possibly out of range). */
function fromHeadIndex(index: number, length: number): number {
  return index < 0 ? length + index : index;
}

/**
 * The [start, end] range LRANGE and LTRIM keep, clamped to the list, or null when it is empty
 * (start past end or past the tail).
 */
function clampRange(startArg: number, endArg: number, length: number): [number, number] | null {
  const start = Math.max(0, fromHeadIndex(startArg, length));
  const end = fromHeadIndex(endArg, length);
  if (start > end || start >= length) return null;
  return [start, Math.min(end, length - 1)];
}

/** LINDEX/LSET's index: a position within the list, or null when it points outside it. */
function elementIndex(index: number, length: number): number | null {
  const at = fromHeadIndex(index, length);
  return at < 0 || at >= length ? null : at;
}

/** LINSERT's position word. */
function insertAfter(where: string): boolean | null {
  const lower = where.toLowerCase();
  return lower === 'after' ? true : lower === 'before' ? false : null;
}

export const listsCommands: CommandSpec[] = [
  { name: 'lpush', arity: -3, flags: ['write', 'fast'], run: push(true, false) },
  { name: 'rpush', arity: -3, flags: ['write', 'fast'], run: push(false, false) },
  { name: 'lpushx', arity: -3, flags: ['write', 'fast'], run: push(true, true) },
  { name: 'rpushx', arity: -3, flags: ['write', 'fast'], run: push(false, true) },
  { name: 'lpop', arity: -2, flags: ['write', 'fast'], run: pop(true, 'lpop') },
  { name: 'rpop', arity: -2, flags: ['write', 'fast'], run: pop(false, 'rpop') },
  {
    name: 'llen',
    arity: 2,
    flags: ['readonly', 'fast'],
    run: (ctx) => {
      const list = lookupTyped(ctx, ctx.argv[1] as string, 'list', 'read');
      if (list === null) return WRONGTYPE;
      return integer(list === undefined ? 0 : list.length);
    },
  },
  {
    // Order: start, end, then the key (missing → empty array), then its type.
    name: 'lrange',
    arity: 4,
    flags: ['readonly'],
    run: (ctx) => {
      const { argv } = ctx;
      const start = parseLong(argv[2] as string);
      const end = parseLong(argv[3] as string);
      if (start === null || end === null) return NOT_AN_INTEGER;
      const list = lookupTyped(ctx, argv[1] as string, 'list', 'read');
      if (list === undefined) return EMPTY_ARRAY;
      if (list === null) return WRONGTYPE;
      const range = clampRange(start, end, list.length);
      if (range === null) return EMPTY_ARRAY;
      const out: Reply[] = [];
      for (let i = range[0]; i <= range[1]; i++) out.push(bulk(list.at(i)));
      return array(out);
    },
  },
  {
    // Order: the key (missing → nil, whatever the index), its type, then the index.
    name: 'lindex',
    arity: 3,
    flags: ['readonly'],
    run: (ctx) => {
      const list = lookupTyped(ctx, ctx.argv[1] as string, 'list', 'read');
      if (list === undefined) return NIL;
      if (list === null) return WRONGTYPE;
      const index = parseLong(ctx.argv[2] as string);
      if (index === null) return NOT_AN_INTEGER;
      const at = elementIndex(index, list.length);
      return at === null ? NIL : bulk(list.at(at));
    },
  },
  {
    // Order: the key ("no such key"), its type, the index, its range. Setting an equal value still counts.
    name: 'lset',
    arity: 4,
    flags: ['write'],
    run: (ctx) => {
      const { argv } = ctx;
      const list = lookupTyped(ctx, argv[1] as string, 'list', 'write');
      if (list === undefined) return NO_SUCH_KEY;
      if (list === null) return WRONGTYPE;
      const index = parseLong(argv[2] as string);
      if (index === null) return NOT_AN_INTEGER;
      const at = elementIndex(index, list.length);
      if (at === null) return INDEX_OUT_OF_RANGE;
      list.set(at, argv[3] as string);
      ctx.engine.dirty++;
      return OK;
    },
  },
  {
    // LREM key count element: count > 0 removes from the head, < 0 from the tail, 0 all. Order: count, key, type.
    name: 'lrem',
    arity: 4,
    flags: ['write'],
    run: (ctx) => {
      const { argv } = ctx;
      const count = parseLong(argv[2] as string);
      if (count === null) return NOT_AN_INTEGER;
      const key = argv[1] as string;
      const list = lookupTyped(ctx, key, 'list', 'write');
      if (list === undefined) return integer(0);
      if (list === null) return WRONGTYPE;
      const removed = list.removeMatching(argv[3] as string, Math.abs(count), count < 0);
      ctx.engine.dirty += removed;
      dropIfEmpty(ctx, key, list);
      return integer(removed);
    },
  },
  {
    // Order: start, end, key (missing → OK), type. Dirty counts the elements trimmed away.
    name: 'ltrim',
    arity: 4,
    flags: ['write'],
    run: (ctx) => {
      const { argv } = ctx;
      const start = parseLong(argv[2] as string);
      const end = parseLong(argv[3] as string);
      if (start === null || end === null) return NOT_AN_INTEGER;
      const key = argv[1] as string;
      const list = lookupTyped(ctx, key, 'list', 'write');
      if (list === undefined) return OK;
      if (list === null) return WRONGTYPE;
      const length = list.length;
      const range = clampRange(start, end, length);
      const fromHead = range === null ? length : range[0];
      const fromTail = range === null ? 0 : length - 1 - range[1];
      list.trim(fromHead, fromTail);
      ctx.engine.dirty += fromHead + fromTail;
      dropIfEmpty(ctx, key, list);
      return OK;
    },
  },
  {
    // LINSERT key BEFORE|AFTER pivot element. Order: position word (syntax error), key (missing → 0), type; no pivot → -1.
    name: 'linsert',
    arity: 5,
    flags: ['write'],
    run: (ctx) => {
      const { argv } = ctx;
      const after = insertAfter(argv[2] as string);
      if (after === null) return SYNTAX_ERROR;
      const list = lookupTyped(ctx, argv[1] as string, 'list', 'write');
      if (list === undefined) return integer(0);
      if (list === null) return WRONGTYPE;
      const pivot = list.indexOf(argv[3] as string);
      if (pivot === -1) return integer(-1);
      list.insertAt(after ? pivot + 1 : pivot, argv[4] as string);
      ctx.engine.dirty++;
      return integer(list.length);
    },
  },
];
