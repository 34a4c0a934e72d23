import { array, bulk, error, integer, NIL, OK, type Reply } from '../../codec/reply.ts';
import { incrByFloat, parseInteger } from '../../codec/numbers.ts';
import { NOT_A_FLOAT, NOT_AN_INTEGER, OVERFLOW, SYNTAX_ERROR, WRONGTYPE, wrongArity } from '../errors.ts';
import { absoluteExpireMs, alreadyExpired, invalidExpireTime } from './generic.ts';
import type { CommandContext, CommandFlag, CommandSpec } from './types.ts';
import { roomInTab } from '../memory/usage.ts';

/**
 * The string commands of Redis 7.0: GET SET SETNX SETEX PSETEX GETSET GETDEL GETEX MGET MSET MSETNX
 * APPEND STRLEN GETRANGE SUBSTR SETRANGE INCR DECR INCRBY DECRBY INCRBYFLOAT.
 *
 * Contract, as observed on redis-server 7.0.15:
 * - Errors come in Redis's order (each command notes it). Commands that read the old value (GET,
 *   MGET, STRLEN, GETRANGE, GETSET, GETDEL, GETEX, SET … GET) count keyspace hits and misses.
 * - Every write looks the key up first, so an expired key goes as an expiry (propagated DEL) before
 *   the write itself.
 * - `engine.dirty` grows by 1 per key written (MSET/MSETNX: per pair); a no-op adds 0.
 * - Propagation: SET with any expiry, SETEX and PSETEX go out as `SET key value PXAT <abs-ms>`;
 *   SET … GET without its GET words; GETSET as `SET key value`; GETDEL as `DEL`; GETEX as
 *   `PEXPIREAT`, `PERSIST` or (a past EXAT/PXAT) `DEL`; INCRBYFLOAT as `SET key result KEEPTTL`.
 *   Everything else as sent.
 * - Writes that modify a string in place (APPEND, SETRANGE, INCR & co.) keep its TTL; SET, GETSET,
 *   MSET replace it (SET KEEPTTL keeps it).
 *
 * GET and SET with no options are the lab's hottest paths: they take no closures, copy nothing,
 * and parse no options.
 */

const WRITE: readonly CommandFlag[] = ['write'];
const WRITE_FAST: readonly CommandFlag[] = ['write', 'fast'];
const READ: readonly CommandFlag[] = ['readonly'];
const READ_FAST: readonly CommandFlag[] = ['readonly', 'fast'];

/** proto-max-bulk-len's default: no string may grow beyond 512 MB. */
const MAX_STRING_BYTES = 512 * 1024 * 1024;
const STRING_TOO_LONG = error('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
/**
 * JavaScript strings stop short of 512 MB (V8: 2^29 − 24 units), and a browser tab holds far less
 * than a server (memory/usage.ts, roomInTab). A string Redis would build but the lab cannot hold
 * gets the answer a memory-capped Redis gives.
 */
const OUT_OF_MEMORY = error("OOM command not allowed when used memory > 'maxmemory'.");
const OFFSET_OUT_OF_RANGE = error('ERR offset is out of range');
const NAN_OR_INFINITY = error('ERR increment would produce NaN or Infinity');
const DECREMENT_OVERFLOW = error('ERR decrement would overflow');
const EMPTY_BULK: Reply = Object.freeze({ type: 'bulk', value: '' });
const INT64_MIN = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;

/**
 * Stores a string under a key, dropping any TTL, after letting an expired key go (its DEL
 * propagated first, as in Redis).
 */
function storeString(ctx: CommandContext, key: string, value: string): void {
  const { engine, db } = ctx;
  if (db.expires.size !== 0) engine.expireIfNeeded(db, key, 'lazy');
  db.set(key, value);
}

// ---- GET, SET and the option parser it shares with GETEX --------------------------------------------------

function get(ctx: CommandContext): Reply {
  const value = ctx.engine.lookupRead(ctx.db, ctx.argv[1] as string);
  if (value === undefined) return NIL;
  if (typeof value !== 'string') return WRONGTYPE;
  return { type: 'bulk', value };
}

const OPT_NX = 1;
const OPT_XX = 2;
const OPT_GET = 4;
const OPT_KEEPTTL = 8;
const OPT_PERSIST = 16;
const OPT_EX = 32;
const OPT_PX = 64;
const OPT_EXAT = 128;
const OPT_PXAT = 256;
const OPT_ANY_EXPIRY = OPT_EX | OPT_PX | OPT_EXAT | OPT_PXAT;
const EXPIRY_OPTIONS: Readonly<Record<string, number>> = { ex: OPT_EX, px: OPT_PX, exat: OPT_EXAT, pxat: OPT_PXAT };

interface StringOptions {
  flags: number;
  /** The argument after EX/PX/EXAT/PXAT (the last one given: repeating the same one is allowed). */
  expiry: string | null;
}

/**
 * SET's options (from argv[3]) or GETEX's (from argv[2]), with Redis's acceptance rules: NX and
 * XX exclude each other, the expiry options exclude each other and KEEPTTL/PERSIST, but the same
 * option may repeat. A word that breaks a rule, an unknown word, a word of the other command, or
 * an expiry option without an argument is a syntax error (null).
 */
function parseStringOptions(argv: readonly string[], from: number, forSet: boolean): StringOptions | null {
  let flags = 0;
  let expiry: string | null = null;
  for (let i = from; i < argv.length; i++) {
    const word = (argv[i] as string).toLowerCase();
    const expiryFlag = Object.hasOwn(EXPIRY_OPTIONS, word) ? EXPIRY_OPTIONS[word] : undefined;
    if (forSet && word === 'nx' && !(flags & OPT_XX)) flags |= OPT_NX;
    else if (forSet && word === 'xx' && !(flags & OPT_NX)) flags |= OPT_XX;
    else if (forSet && word === 'get') flags |= OPT_GET;
    else if (forSet && word === 'keepttl' && !(flags & OPT_ANY_EXPIRY)) flags |= OPT_KEEPTTL;
    else if (!forSet && word === 'persist' && !(flags & OPT_ANY_EXPIRY)) flags |= OPT_PERSIST;
    else if (
      expiryFlag !== undefined &&
      !(flags & (OPT_KEEPTTL | OPT_PERSIST | (OPT_ANY_EXPIRY & ~expiryFlag))) &&
      i + 1 < argv.length
    ) {
      flags |= expiryFlag;
      expiry = argv[++i] as string;
    } else return null;
  }
  return { flags, expiry };
}

/**
 * The absolute expiry an EX/PX/EXAT/PXAT argument asks for: not an integer → not-an-integer;
 * zero, negative or overflowing int64 → "invalid expire time in '<name>' command".
 */
function expiryFromOption(ctx: CommandContext, name: string, flags: number, text: string): number | bigint | Reply {
  const value = parseInteger(text);
  if (value === null) return NOT_AN_INTEGER;
  if (value <= 0) return invalidExpireTime(name);
  const unitMs = flags & (OPT_EX | OPT_EXAT) ? 1000 : 1;
  const when = absoluteExpireMs(value, unitMs, flags & (OPT_EX | OPT_PX) ? ctx.engine.nowMs : 0);
  return when === null ? invalidExpireTime(name) : when;
}

const isReply = (value: number | bigint | Reply): value is Reply => typeof value === 'object';

/** Gives a key just written its expiry and says so in the propagated `SET key value PXAT <ms>`. */
function setExpiryAndPropagate(ctx: CommandContext, key: string, value: string, when: number | bigint): void {
  ctx.db.expires.set(key, Number(when));
  ctx.propagateAs = [['SET', key, value, 'PXAT', String(when)]];
}

/** SET key value with no options: the benchmarked path. */
function set(ctx: CommandContext): Reply {
  if (ctx.argv.length !== 3) return setWithOptions(ctx);
  storeString(ctx, ctx.argv[1] as string, ctx.argv[2] as string);
  ctx.engine.dirty++;
  return OK;
}

/**
 * SET key value [NX|XX] [GET] [EX|PX|EXAT|PXAT time|KEEPTTL]. Order: syntax, then the expiry
 * argument, then (with GET) WRONGTYPE, then the NX/XX condition. An expiry already past is stored
 * as is (the key then expires at its next access). With GET the reply is the old value, also when
 * NX/XX stops the write.
 */
function setWithOptions(ctx: CommandContext): Reply {
  const { engine, db, argv } = ctx;
  const options = parseStringOptions(argv, 3, true);
  if (options === null) return SYNTAX_ERROR;
  const { flags } = options;
  let when: number | bigint | null = null;
  if (options.expiry !== null) {
    const parsed = expiryFromOption(ctx, 'set', flags, options.expiry);
    if (isReply(parsed)) return parsed;
    when = parsed;
  }
  const key = argv[1] as string;
  const value = argv[2] as string;
  let old: string | null = null;
  if (flags & OPT_GET) {
    const current = engine.lookupRead(db, key);
    if (current !== undefined && typeof current !== 'string') return WRONGTYPE;
    old = current ?? null;
  }
  const found = engine.lookupWrite(db, key) !== undefined;
  const reply = flags & OPT_GET ? bulk(old) : OK;
  if ((flags & OPT_NX && found) || (flags & OPT_XX && !found)) return flags & OPT_GET ? reply : NIL;
  db.set(key, value, (flags & OPT_KEEPTTL) !== 0);
  engine.dirty++;
  if (when !== null) setExpiryAndPropagate(ctx, key, value, when);
  else if (flags & OPT_GET) ctx.propagateAs = [argv.filter((word, i) => i < 3 || word.toLowerCase() !== 'get')];
  return reply;
}

/** SETNX key value: 1 when the key was absent and is now set. */
function setnx(ctx: CommandContext): Reply {
  const { engine, db, argv } = ctx;
  const key = argv[1] as string;
  if (engine.lookupWrite(db, key) !== undefined) return integer(0);
  db.set(key, argv[2] as string);
  engine.dirty++;
  return integer(1);
}

/** SETEX / PSETEX key time value. Order: not an integer, then invalid expire time. */
function setWithTtl(name: string, expiryOption: typeof OPT_EX | typeof OPT_PX) {
  return (ctx: CommandContext): Reply => {
    const when = expiryFromOption(ctx, name, expiryOption, ctx.argv[2] as string);
    if (isReply(when)) return when;
    const key = ctx.argv[1] as string;
    const value = ctx.argv[3] as string;
    storeString(ctx, key, value);
    ctx.engine.dirty++;
    setExpiryAndPropagate(ctx, key, value, when);
    return OK;
  };
}

// ---- GETSET, GETDEL, GETEX --------------------------------------------------------------------------------

/** The string at a key for GETSET/GETDEL/GETEX (a read: counts hits), or the reply to give instead. */
function readString(ctx: CommandContext, key: string): string | Reply {
  const value = ctx.engine.lookupRead(ctx.db, key);
  if (value === undefined) return NIL;
  return typeof value === 'string' ? value : WRONGTYPE;
}

/** GETSET key value: the old value; the new one replaces it and its TTL. Propagated as SET. */
function getset(ctx: CommandContext): Reply {
  const key = ctx.argv[1] as string;
  const value = ctx.argv[2] as string;
  const old = readString(ctx, key);
  if (old === WRONGTYPE) return old;
  ctx.db.set(key, value);
  ctx.engine.dirty++;
  ctx.propagateAs = [['SET', key, value]];
  return typeof old === 'string' ? bulk(old) : NIL;
}

/** GETDEL key: the value, then the key is gone. Propagated as DEL. */
function getdel(ctx: CommandContext): Reply {
  const key = ctx.argv[1] as string;
  const old = readString(ctx, key);
  if (typeof old !== 'string') return old;
  ctx.db.delete(key);
  ctx.engine.dirty++;
  ctx.propagateAs = [['DEL', key]];
  return bulk(old);
}

/**
 * GETEX key [EX|PX|EXAT|PXAT time|PERSIST]. Order: syntax, then the key (missing → nil, even with a
 * bad time; WRONGTYPE), then the time. Without options it changes nothing and is not propagated.
 */
function getex(ctx: CommandContext): Reply {
  const { engine, db, argv } = ctx;
  const options = parseStringOptions(argv, 2, false);
  if (options === null) return SYNTAX_ERROR;
  const key = argv[1] as string;
  const value = readString(ctx, key);
  if (typeof value !== 'string') return value;
  const { flags } = options;
  if (options.expiry !== null) {
    const when = expiryFromOption(ctx, 'getex', flags, options.expiry);
    if (isReply(when)) return when;
    engine.dirty++;
    if (alreadyExpired(engine, when)) {
      db.delete(key);
      ctx.propagateAs = [['DEL', key]];
    } else {
      db.expires.set(key, Number(when));
      ctx.propagateAs = [['PEXPIREAT', key, String(when)]];
    }
  } else if (flags & OPT_PERSIST && db.expires.delete(key)) {
    engine.dirty++;
    ctx.propagateAs = [['PERSIST', key]];
  }
  return bulk(value);
}

// ---- MGET, MSET, MSETNX -----------------------------------------------------------------------------------

/** MGET key…: nil for a missing key or one of another type. */
function mget(ctx: CommandContext): Reply {
  const { engine, db, argv } = ctx;
  const values: Reply[] = [];
  for (let i = 1; i < argv.length; i++) {
    const value = engine.lookupRead(db, argv[i] as string);
    values.push(typeof value === 'string' ? bulk(value) : NIL);
  }
  return array(values);
}

/** MSET (always) and MSETNX (only when no key exists: 1, else 0) key value [key value …]. */
function mset(onlyIfNoneExist: boolean, name: string) {
  return (ctx: CommandContext): Reply => {
    const { engine, db, argv } = ctx;
    if (argv.length % 2 === 0) return wrongArity(name);
    if (onlyIfNoneExist) {
      for (let i = 1; i < argv.length; i += 2) {
        if (engine.lookupWrite(db, argv[i] as string) !== undefined) return integer(0);
      }
    }
    for (let i = 1; i < argv.length; i += 2) storeString(ctx, argv[i] as string, argv[i + 1] as string);
    engine.dirty += (argv.length - 1) / 2;
    return onlyIfNoneExist ? integer(1) : OK;
  };
}

// ---- APPEND, STRLEN, GETRANGE, SETRANGE -------------------------------------------------------------------

/** The string at a key for a write (no stats), null when absent, or WRONGTYPE. */
function writableString(ctx: CommandContext, key: string): string | null | Reply {
  const value = ctx.engine.lookupWrite(ctx.db, key);
  if (value === undefined) return null;
  return typeof value === 'string' ? value : WRONGTYPE;
}

/**
 * `old` with `patch` written at `offset` (zero bytes fill any gap), or null when the result is
 * longer than a JavaScript string can be.
 */
function spliceString(old: string, offset: number, patch: string): string | null {
  try {
    if (offset >= old.length) return old + '\0'.repeat(offset - old.length) + patch;
    return old.slice(0, offset) + patch + old.slice(offset + patch.length);
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
}

/** APPEND key value: the new length. Creates the key when absent (even with an empty value). */
function append(ctx: CommandContext): Reply {
  const key = ctx.argv[1] as string;
  const suffix = ctx.argv[2] as string;
  const current = writableString(ctx, key);
  if (current === WRONGTYPE) return current;
  let next: string | null = suffix;
  if (typeof current === 'string') {
    if (current.length + suffix.length > MAX_STRING_BYTES) return STRING_TOO_LONG;
    if (!roomInTab(ctx.engine, suffix.length)) return OUT_OF_MEMORY;
    next = spliceString(current, current.length, suffix);
    if (next === null) return OUT_OF_MEMORY;
  }
  ctx.db.set(key, next, true);
  ctx.engine.dirty++;
  return integer(next.length);
}

function strlen(ctx: CommandContext): Reply {
  const value = ctx.engine.lookupRead(ctx.db, ctx.argv[1] as string);
  if (value === undefined) return integer(0);
  return typeof value === 'string' ? integer(value.length) : WRONGTYPE;
}

/** An index as a JS number: int64 values beyond 2^53 only ever mean "past either end". */
const asIndex = (value: number | bigint): number => (typeof value === 'number' ? value : value < 0n ? -Infinity : Infinity);

/**
 * GETRANGE / SUBSTR key start end (inclusive, negative from the end). Order: start, end (not an
 * integer), then the key (missing → ""), WRONGTYPE. Both negative with start > end is "" at once.
 */
function getrange(ctx: CommandContext): Reply {
  const { argv } = ctx;
  const startArg = parseInteger(argv[2] as string);
  if (startArg === null) return NOT_AN_INTEGER;
  const endArg = parseInteger(argv[3] as string);
  if (endArg === null) return NOT_AN_INTEGER;
  const value = ctx.engine.lookupRead(ctx.db, argv[1] as string);
  if (value === undefined) return EMPTY_BULK;
  if (typeof value !== 'string') return WRONGTYPE;
  if (startArg < 0 && endArg < 0 && startArg > endArg) return EMPTY_BULK;
  const length = value.length;
  let start = asIndex(startArg);
  let end = asIndex(endArg);
  if (start < 0) start = Math.max(0, length + start);
  if (end < 0) end = Math.max(0, length + end);
  if (end >= length) end = length - 1;
  if (start > end || length === 0) return EMPTY_BULK;
  return bulk(value.slice(start, end + 1));
}

/**
 * SETRANGE key offset value: the new length. Order: offset (not an integer; negative → "offset is
 * out of range"), WRONGTYPE, an empty value (changes nothing: the current length, 0 when absent),
 * then the 512 MB limit. The gap up to the offset is filled with zero bytes.
 */
function setrange(ctx: CommandContext): Reply {
  const { argv } = ctx;
  const offsetArg = parseInteger(argv[2] as string);
  if (offsetArg === null) return NOT_AN_INTEGER;
  if (offsetArg < 0) return OFFSET_OUT_OF_RANGE;
  const key = argv[1] as string;
  const patch = argv[3] as string;
  const current = writableString(ctx, key);
  if (current === WRONGTYPE) return current;
  const old = typeof current === 'string' ? current : '';
  if (patch.length === 0) return integer(old.length);
  const offset = asIndex(offsetArg);
  if (offset + patch.length > MAX_STRING_BYTES) return STRING_TOO_LONG;
  if (!roomInTab(ctx.engine, Math.max(0, offset + patch.length - old.length))) return OUT_OF_MEMORY;
  const next = spliceString(old, offset, patch);
  if (next === null) return OUT_OF_MEMORY;
  ctx.db.set(key, next, true);
  ctx.engine.dirty++;
  return integer(next.length);
}

// ---- INCR, DECR, INCRBY, DECRBY, INCRBYFLOAT --------------------------------------------------------------

/**
 * Adds `delta` to the integer at a key (absent = 0), in int64. Order: WRONGTYPE, then the stored
 * value (not an integer), then overflow. The TTL stays.
 */
function addToInteger(ctx: CommandContext, delta: number | bigint): Reply {
  const key = ctx.argv[1] as string;
  const current = writableString(ctx, key);
  if (current === WRONGTYPE) return current;
  const base = current === null ? 0 : parseInteger(current as string);
  if (base === null) return NOT_AN_INTEGER;
  let result: number | bigint;
  if (typeof base === 'number' && typeof delta === 'number' && Number.isSafeInteger(base + delta)) {
    result = base + delta;
  } else {
    const sum = BigInt(base) + BigInt(delta);
    if (sum > INT64_MAX || sum < INT64_MIN) return OVERFLOW;
    result = sum <= BigInt(Number.MAX_SAFE_INTEGER) && sum >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(sum) : sum;
  }
  ctx.db.set(key, String(result), true);
  ctx.engine.dirty++;
  return integer(result);
}

const incr = (ctx: CommandContext): Reply => addToInteger(ctx, 1);
const decr = (ctx: CommandContext): Reply => addToInteger(ctx, -1);

/** INCRBY key increment: the increment is checked before the key. */
function incrby(ctx: CommandContext): Reply {
  const delta = parseInteger(ctx.argv[2] as string);
  return delta === null ? NOT_AN_INTEGER : addToInteger(ctx, delta);
}

/** DECRBY key decrement: int64's minimum cannot be negated ("decrement would overflow"). */
function decrby(ctx: CommandContext): Reply {
  const delta = parseInteger(ctx.argv[2] as string);
  if (delta === null) return NOT_AN_INTEGER;
  if (delta === INT64_MIN) return DECREMENT_OVERFLOW;
  return addToInteger(ctx, -delta);
}

/**
 * INCRBYFLOAT key increment, in x87 long double (see codec/numbers.ts). Order: WRONGTYPE, the
 * stored value, the increment (both "not a valid float"), then NaN/Infinity. The TTL stays; the
 * result is propagated as `SET key result KEEPTTL` so replicas and the AOF need no float maths.
 */
function incrbyfloat(ctx: CommandContext): Reply {
  const key = ctx.argv[1] as string;
  const current = writableString(ctx, key);
  if (current === WRONGTYPE) return current;
  const result = incrByFloat(current as string | null, ctx.argv[2] as string);
  if (!result.ok) return result.error === 'not-a-float' ? NOT_A_FLOAT : NAN_OR_INFINITY;
  ctx.db.set(key, result.value, true);
  ctx.engine.dirty++;
  ctx.propagateAs = [['SET', key, result.value, 'KEEPTTL']];
  return bulk(result.value);
}

// ---- the table ----------------------------------------------------------------------------------------------

export const stringsCommands: CommandSpec[] = [
  { name: 'get', arity: 2, flags: READ_FAST, run: get },
  { name: 'set', arity: -3, flags: WRITE, run: set },
  { name: 'setnx', arity: 3, flags: WRITE_FAST, run: setnx },
  { name: 'setex', arity: 4, flags: WRITE, run: setWithTtl('setex', OPT_EX) },
  { name: 'psetex', arity: 4, flags: WRITE, run: setWithTtl('psetex', OPT_PX) },
  { name: 'getset', arity: 3, flags: WRITE_FAST, run: getset },
  { name: 'getdel', arity: 2, flags: WRITE_FAST, run: getdel },
  { name: 'getex', arity: -2, flags: WRITE_FAST, run: getex },
  { name: 'mget', arity: -2, flags: READ_FAST, run: mget },
  { name: 'mset', arity: -3, flags: WRITE, run: mset(false, 'mset') },
  { name: 'msetnx', arity: -3, flags: WRITE, run: mset(true, 'msetnx') },
  { name: 'append', arity: 3, flags: WRITE_FAST, run: append },
  { name: 'strlen', arity: 2, flags: READ_FAST, run: strlen },
  { name: 'getrange', arity: 4, flags: READ, run: getrange },
  { name: 'substr', arity: 4, flags: READ, run: getrange },
  { name: 'setrange', arity: 4, flags: WRITE, run: setrange },
  { name: 'incr', arity: 2, flags: WRITE_FAST, run: incr },
  { name: 'decr', arity: 2, flags: WRITE_FAST, run: decr },
  { name: 'incrby', arity: 3, flags: WRITE_FAST, run: incrby },
  { name: 'decrby', arity: 3, flags: WRITE_FAST, run: decrby },
  { name: 'incrbyfloat', arity: 3, flags: WRITE_FAST, run: incrbyfloat },
];
