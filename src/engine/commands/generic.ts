import { array, bulk, error, integer, NIL, OK, status, type Reply } from '../../codec/reply.ts';
import { parseInteger } from '../../codec/numbers.ts';
import { NO_SUCH_KEY, NOT_AN_INTEGER, SYNTAX_ERROR } from '../errors.ts';
import { globMatch } from '../glob.ts';
import type { Db } from '../keyspace/db.ts';
import { typeOf, type RedisType } from '../keyspace/values.ts';
import type { Engine } from '../engine.ts';
import type { CommandContext, CommandFlag, CommandSpec } from './types.ts';

/**
 * The generic keyspace commands of Redis 7.0: DEL UNLINK EXISTS TYPE KEYS SCAN RANDOMKEY RENAME
 * RENAMENX, the expiry setters EXPIRE PEXPIRE EXPIREAT PEXPIREAT, their readers TTL PTTL
 * EXPIRETIME PEXPIRETIME, and PERSIST.
 *
 * Contract, as observed on redis-server 7.0.15:
 * - Errors come in Redis's order (each command notes it). Reads (EXISTS, TYPE, TTL & co., SCAN's
 *   TYPE filter) count keyspace hits and misses; writes and KEYS do not.
 * - `engine.dirty` grows by 1 per key deleted, renamed, given or stripped of a TTL; a no-op adds 0.
 * - Propagation: EXPIRE, PEXPIRE and EXPIREAT go out as `PEXPIREAT key <abs-ms> [flags]`, PEXPIREAT
 *   as sent; an expiry time already past deletes the key and goes out as `DEL key`.
 * - Expiry times are unix ms; a key is alive at its expiry ms. Times beyond 2^53 ms (year 287,000)
 *   are stored rounded to a double; only their replies can differ from Redis's by that rounding.
 *
 * SCAN's cursor is the lab's own scheme (Redis's is a reverse-binary walk of its hash table):
 * every key has a fixed 32-bit hash, and a cursor c means "every key whose hash is below c has
 * been offered". A call returns the keys with the smallest hashes >= c, about COUNT of them (all
 * keys sharing the last hash are included, so no key is cut off at the boundary), in hash order,
 * and the next cursor is that last hash + 1, or 0 when no key hashes higher. Each hash range is
 * offered exactly once per iteration, so a key present for the whole iteration is returned, and
 * returned once; keys added or removed meanwhile may or may not be. The reply depends only on the
 * keyspace and the cursor, which keeps replays exact. A call costs O(N) over the database; fine
 * for a lab, where Redis pays O(COUNT).
 */

const WRITE: readonly CommandFlag[] = ['write'];
const WRITE_FAST: readonly CommandFlag[] = ['write', 'fast'];
const READ: readonly CommandFlag[] = ['readonly'];
const READ_FAST: readonly CommandFlag[] = ['readonly', 'fast'];

// ---- expiry arithmetic (shared with SET, SETEX, PSETEX and GETEX) ----------------------------------

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;
/** Below this many units, value × 1000 + a unix-ms base stays within 2^53 and plain numbers are exact. */
const EXACT_UNITS = 2 ** 42;

/** "ERR invalid expire time in 'set' command": the command's name as Redis spells it. */
export const invalidExpireTime = (name: string): Reply => error(`ERR invalid expire time in '${name}' command`);

/**
 * `value` units of `unitMs` after `baseMs`, as Redis computes an absolute expiry in int64: null
 * when value × unit or the sum leaves int64 (Redis's "invalid expire time"). A number when exact,
 * else a bigint, so the propagated text is exact even where the stored double is not.
 */
export function absoluteExpireMs(value: number | bigint, unitMs: 1 | 1000, baseMs: number): number | bigint | null {
  if (typeof value === 'number' && value < EXACT_UNITS && value > -EXACT_UNITS) return value * unitMs + baseMs;
  let ms = BigInt(value);
  // BigInt division truncates toward zero, as C's does: these are Redis's own bounds.
  if (unitMs === 1000) {
    if (ms > INT64_MAX / 1000n || ms < INT64_MIN / 1000n) return null;
    ms *= 1000n;
  }
  if (ms > INT64_MAX - BigInt(baseMs)) return null;
  ms += BigInt(baseMs);
  return ms <= BigInt(Number.MAX_SAFE_INTEGER) && ms >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(ms) : ms;
}

/**
 * True when an expiry time set now would already have passed: Redis then deletes the key instead,
 * except while loading, where the time is kept and the key expires later (checkAlreadyExpired).
 */
export const alreadyExpired = (engine: Engine, whenMs: number | bigint): boolean => whenMs <= engine.nowMs && !engine.loading;

// ---- DEL, UNLINK, EXISTS, TYPE -------------------------------------------------------------------------

/** DEL and UNLINK (the lab frees memory synchronously either way): the number of keys removed. */
function deleteKeys(ctx: CommandContext): Reply {
  const { engine, db, argv } = ctx;
  let deleted = 0;
  for (let i = 1; i < argv.length; i++) {
    const key = argv[i] as string;
    // The lookup first lets an expired key go as an expiry (propagated DEL, not counted).
    if (engine.lookupWrite(db, key) !== undefined && db.delete(key)) {
      deleted++;
      if (engine.watches.keyCount !== 0) engine.watches.touch(db, key);
    }
  }
  engine.dirty += deleted;
  return integer(deleted);
}

/** EXISTS counts a key once per mention. */
function exists(ctx: CommandContext): Reply {
  const { engine, db, argv } = ctx;
  let count = 0;
  for (let i = 1; i < argv.length; i++) if (engine.lookupRead(db, argv[i] as string) !== undefined) count++;
  return integer(count);
}

const TYPE_REPLIES: Readonly<Record<RedisType | 'none', Reply>> = {
  string: status('string'),
  list: status('list'),
  hash: status('hash'),
  set: status('set'),
  zset: status('zset'),
  none: status('none'),
};

function type(ctx: CommandContext): Reply {
  const value = ctx.engine.lookupRead(ctx.db, ctx.argv[1] as string);
  return TYPE_REPLIES[value === undefined ? 'none' : typeOf(value)];
}

// ---- KEYS, SCAN, RANDOMKEY ------------------------------------------------------------------------------

/** True when the key's expiry time has passed, without deleting it (KEYS only looks). */
function isLogicallyExpired(engine: Engine, db: Db, key: string): boolean {
  if (db.expires.size === 0) return false;
  const when = db.expires.get(key);
  return when !== undefined && engine.nowMs > when;
}

/** KEYS pattern: every live key that matches; expired keys are skipped but not deleted. */
function keys(ctx: CommandContext): Reply {
  const { engine, db } = ctx;
  const pattern = ctx.argv[1] as string;
  const everything = pattern === '*';
  const found: Reply[] = [];
  for (const key of db.data.keys()) {
    if ((everything || globMatch(pattern, key)) && !isLogicallyExpired(engine, db, key)) found.push(bulk(key));
  }
  return array(found);
}

const INVALID_CURSOR = error('ERR invalid cursor');
/** Cursors are hashes + 1 at most, so any larger cursor has nothing left to offer. */
const CURSOR_END = 2 ** 32;
const C_SPACES = ' \t\n\v\f\r';

/**
 * The cursor as Redis reads it (C strtoul, base 10, over the bytes before any NUL): no leading
 * whitespace, an optional sign ('-' wraps modulo 2^64), digits, nothing after them; "" is 0.
 * Overflowing 2^64 is invalid. Values past the lab's cursor space come back as CURSOR_END.
 */
function parseCursor(bin: string): number | null {
  const nul = bin.indexOf('\0');
  const text = nul === -1 ? bin : bin.slice(0, nul);
  if (text === '') return 0;
  if (C_SPACES.includes(text[0] as string)) return null;
  const match = /^([+-]?)([0-9]+)$/.exec(text);
  if (match === null) return null;
  let value = BigInt(match[2] as string);
  if (value >= 2n ** 64n) return null;
  if (match[1] === '-' && value !== 0n) value = 2n ** 64n - value;
  return value >= BigInt(CURSOR_END) ? CURSOR_END : Number(value);
}

/** A key's fixed place in SCAN's cursor space: FNV-1a, then a final mix so short keys spread out. */
function scanHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Pushes onto a max-heap of fixed capacity holding the smallest values seen. */
function keepSmallest(heap: Uint32Array, size: number, value: number): number {
  if (size < heap.length) {
    let at = size;
    heap[at] = value;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if ((heap[parent] as number) >= value) break;
      heap[at] = heap[parent] as number;
      heap[parent] = value;
      at = parent;
    }
    return size + 1;
  }
  if (value >= (heap[0] as number)) return size;
  // Replace the largest and sift down.
  let at = 0;
  heap[0] = value;
  for (;;) {
    const left = 2 * at + 1;
    if (left >= size) break;
    const right = left + 1;
    const child = right < size && (heap[right] as number) > (heap[left] as number) ? right : left;
    if ((heap[child] as number) <= value) break;
    heap[at] = heap[child] as number;
    heap[child] = value;
    at = child;
  }
  return size;
}

/**
 * One step of the hash-ordered walk: the keys whose hash is in [cursor, last], where `last` is the
 * count-th smallest hash >= cursor, and the cursor that follows (0 at the end).
 */
function scanStep(db: Db, cursor: number, count: number): { keys: string[]; next: number } {
  const hashes = new Uint32Array(db.size);
  const takeAll = count >= db.size;
  const heap = takeAll ? null : new Uint32Array(count);
  let heapSize = 0;
  let candidates = 0;
  let i = 0;
  for (const key of db.data.keys()) {
    const h = scanHash(key);
    hashes[i++] = h;
    if (h < cursor) continue;
    candidates++;
    if (heap !== null) heapSize = keepSmallest(heap, heapSize, h);
  }
  const last = heap !== null && candidates > count ? (heap[0] as number) : CURSOR_END;
  const picked: { key: string; hash: number }[] = [];
  i = 0;
  for (const key of db.data.keys()) {
    const h = hashes[i++] as number;
    if (h >= cursor && h <= last) picked.push({ key, hash: h });
  }
  picked.sort((a, b) => a.hash - b.hash || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { keys: picked.map((p) => p.key), next: picked.length < candidates ? last + 1 : 0 };
}

/**
 * SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]. Order: cursor ("invalid cursor"), then
 * the options left to right (COUNT not an integer → not-an-integer, COUNT < 1 or a missing
 * argument or an unknown word → syntax error; repeated options: the last wins). The keys are
 * collected first and filtered after, as Redis does: by pattern, then by type (a read lookup that
 * counts hits and may expire the key; an unknown type name matches nothing, "none" matches a key
 * that just expired), then expired keys are deleted and dropped.
 */
function scan(ctx: CommandContext): Reply {
  const { engine, db, argv } = ctx;
  const cursor = parseCursor(argv[1] as string);
  if (cursor === null) return INVALID_CURSOR;
  let count = 10;
  let pattern: string | null = null;
  let typeName: string | null = null;
  for (let i = 2; i < argv.length; i += 2) {
    const option = (argv[i] as string).toLowerCase();
    const value = argv[i + 1];
    if (value === undefined) return SYNTAX_ERROR;
    if (option === 'count') {
      const parsed = parseInteger(value);
      if (parsed === null) return NOT_AN_INTEGER;
      if (parsed < 1) return SYNTAX_ERROR;
      count = Number(parsed);
    } else if (option === 'match') {
      pattern = value === '*' ? null : value;
    } else if (option === 'type') {
      typeName = value.toLowerCase();
    } else {
      return SYNTAX_ERROR;
    }
  }
  const step = cursor >= CURSOR_END || db.size === 0 ? { keys: [], next: 0 } : scanStep(db, cursor, count);
  const found: Reply[] = [];
  for (const key of step.keys) {
    if (pattern !== null && !globMatch(pattern, key)) continue;
    if (typeName !== null) {
      const value = engine.lookupRead(db, key);
      if ((value === undefined ? 'none' : typeOf(value)) !== typeName) continue;
    }
    if (db.expires.size !== 0 && engine.expireIfNeeded(db, key, 'lazy')) continue;
    found.push(bulk(key));
  }
  return array([bulk(String(step.next)), array(found)]);
}

/** RANDOMKEY: a key drawn with the engine's seeded generator; expired draws are deleted and redrawn. */
function randomKey(ctx: CommandContext): Reply {
  const { engine, db } = ctx;
  while (db.size !== 0) {
    let index = engine.random.below(db.size);
    let picked = '';
    for (const key of db.data.keys()) {
      if (index-- === 0) {
        picked = key;
        break;
      }
    }
    if (!engine.expireIfNeeded(db, picked, 'lazy')) return bulk(picked);
  }
  return NIL;
}

// ---- RENAME, RENAMENX -------------------------------------------------------------------------------------

/**
 * RENAME / RENAMENX key newkey: the value moves with its TTL; an existing newkey is overwritten
 * (RENAME, its own TTL gone) or makes RENAMENX reply 0. Order: missing key ("no such key"), then
 * same name (OK / 0, nothing changes).
 */
function rename(onlyIfAbsent: boolean) {
  return (ctx: CommandContext): Reply => {
    const { engine, db, argv } = ctx;
    const from = argv[1] as string;
    const to = argv[2] as string;
    const value = engine.lookupWrite(db, from);
    if (value === undefined) return NO_SUCH_KEY;
    if (from === to) return onlyIfAbsent ? integer(0) : OK;
    if (engine.lookupWrite(db, to) !== undefined) {
      if (onlyIfAbsent) return integer(0);
      db.delete(to);
    }
    const when = db.expires.get(from);
    db.delete(from);
    db.set(to, value);
    if (when !== undefined) db.expires.set(to, when);
    engine.dirty++;
    return onlyIfAbsent ? integer(1) : OK;
  };
}

// ---- EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT, PERSIST ------------------------------------------------------

const EXPIRE_NX = 1;
const EXPIRE_XX = 2;
const EXPIRE_GT = 4;
const EXPIRE_LT = 8;
const EXPIRE_FLAGS: Readonly<Record<string, number>> = { nx: EXPIRE_NX, xx: EXPIRE_XX, gt: EXPIRE_GT, lt: EXPIRE_LT };
const NX_CONFLICT = error('ERR NX and XX, GT or LT options at the same time are not compatible');
const GT_LT_CONFLICT = error('ERR GT and LT options at the same time are not compatible');

/**
 * EXPIRE / PEXPIRE (relative) and EXPIREAT / PEXPIREAT (absolute) key time [NX|XX|GT|LT].
 * Order: every option word ("Unsupported option"), then the conflicts (NX with any other, then GT
 * with LT), then the time (not an integer, then int64 overflow → "invalid expire time"), then the
 * key (missing → 0), then the conditions (no TTL counts as infinite: GT always fails, LT succeeds).
 * Negative times are allowed; one at or before now deletes the key (reply 1, propagated as DEL).
 */
function expire(name: string, unitMs: 1 | 1000, relative: boolean) {
  return (ctx: CommandContext): Reply => {
    const { engine, db, argv } = ctx;
    let flags = 0;
    for (let i = 3; i < argv.length; i++) {
      const flag = EXPIRE_FLAGS[(argv[i] as string).toLowerCase()];
      if (flag === undefined) return error(`ERR Unsupported option ${argv[i] as string}`);
      flags |= flag;
    }
    if (flags & EXPIRE_NX && flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) return NX_CONFLICT;
    if (flags & EXPIRE_GT && flags & EXPIRE_LT) return GT_LT_CONFLICT;
    const time = parseInteger(argv[2] as string);
    if (time === null) return NOT_AN_INTEGER;
    const when = absoluteExpireMs(time, unitMs, relative ? engine.nowMs : 0);
    if (when === null) return invalidExpireTime(name);
    const key = argv[1] as string;
    if (engine.lookupWrite(db, key) === undefined) return integer(0);
    if (flags !== 0) {
      const current = db.expires.get(key);
      if (flags & EXPIRE_NX && current !== undefined) return integer(0);
      if (flags & EXPIRE_XX && current === undefined) return integer(0);
      if (flags & EXPIRE_GT && (current === undefined || when <= current)) return integer(0);
      if (flags & EXPIRE_LT && current !== undefined && when >= current) return integer(0);
    }
    engine.dirty++;
    if (alreadyExpired(engine, when)) {
      db.delete(key);
      ctx.propagateAs = [['DEL', key]];
      return integer(1);
    }
    db.expires.set(key, Number(when));
    // PEXPIREAT is already in the propagated form; the others become it, flags kept.
    if (name !== 'pexpireat') ctx.propagateAs = [['PEXPIREAT', key, String(when), ...argv.slice(3)]];
    return integer(1);
  };
}

/** PERSIST key: 1 when a TTL was removed. */
function persist(ctx: CommandContext): Reply {
  const { engine, db } = ctx;
  const key = ctx.argv[1] as string;
  if (engine.lookupWrite(db, key) === undefined || !db.expires.delete(key)) return integer(0);
  engine.dirty++;
  return integer(1);
}

// ---- TTL, PTTL, EXPIRETIME, PEXPIRETIME -----------------------------------------------------------------

/**
 * The TTL readers: -2 for a missing key, -1 for one without TTL, else the time left (TTL, PTTL;
 * never below 0) or the absolute time (EXPIRETIME, PEXPIRETIME). Seconds are rounded to nearest.
 */
function ttl(inMs: boolean, absolute: boolean) {
  return (ctx: CommandContext): Reply => {
    const { engine, db } = ctx;
    const key = ctx.argv[1] as string;
    if (engine.lookupRead(db, key) === undefined) return integer(-2);
    const when = db.expires.get(key);
    if (when === undefined) return integer(-1);
    const ms = Math.max(0, absolute ? when : when - engine.nowMs);
    return integer(inMs ? ms : Math.floor((ms + 500) / 1000));
  };
}

// ---- the table ----------------------------------------------------------------------------------------------

export const genericCommands: CommandSpec[] = [
  { name: 'del', arity: -2, flags: WRITE, run: deleteKeys },
  { name: 'unlink', arity: -2, flags: WRITE_FAST, run: deleteKeys },
  { name: 'exists', arity: -2, flags: READ_FAST, run: exists },
  { name: 'type', arity: 2, flags: READ_FAST, run: type },
  { name: 'keys', arity: 2, flags: READ, run: keys },
  { name: 'scan', arity: -2, flags: READ, run: scan },
  { name: 'randomkey', arity: 1, flags: READ, run: randomKey },
  { name: 'rename', arity: 3, flags: WRITE, run: rename(false) },
  { name: 'renamenx', arity: 3, flags: WRITE_FAST, run: rename(true) },
  { name: 'expire', arity: -3, flags: WRITE_FAST, run: expire('expire', 1000, true) },
  { name: 'pexpire', arity: -3, flags: WRITE_FAST, run: expire('pexpire', 1, true) },
  { name: 'expireat', arity: -3, flags: WRITE_FAST, run: expire('expireat', 1000, false) },
  { name: 'pexpireat', arity: -3, flags: WRITE_FAST, run: expire('pexpireat', 1, false) },
  { name: 'persist', arity: 2, flags: WRITE_FAST, run: persist },
  { name: 'ttl', arity: 2, flags: READ_FAST, run: ttl(false, false) },
  { name: 'pttl', arity: 2, flags: READ_FAST, run: ttl(true, false) },
  { name: 'expiretime', arity: 2, flags: READ_FAST, run: ttl(false, true) },
  { name: 'pexpiretime', arity: 2, flags: READ_FAST, run: ttl(true, true) },
];
