import { array, bulk, EMPTY_ARRAY, error, integer, NIL, type Reply } from '../../codec/reply.ts';
import { formatDouble, parseDouble, parseInteger, parseScoreBound } from '../../codec/numbers.ts';
import { NOT_A_FLOAT, NOT_AN_INTEGER, SYNTAX_ERROR, WRONGTYPE } from '../errors.ts';
import { RedisZSet, type ZEntry } from '../keyspace/zset.ts';
import { lookupTyped } from './common.ts';
import type { CommandContext, CommandSpec } from './types.ts';

/**
 * The sorted-set commands of Redis 7.0: ZADD ZINCRBY ZREM ZSCORE ZMSCORE ZCARD ZCOUNT ZLEXCOUNT
 * ZRANK ZREVRANK and the range family ZRANGE (BYSCORE BYLEX REV LIMIT WITHSCORES), ZREVRANGE,
 * ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZRANGEBYLEX, ZREVRANGEBYLEX.
 *
 * Contract, as observed on redis-server 7.0.15: errors come in Redis's order (options and numbers
 * are checked before the key's type); `engine.dirty` grows by the members added plus the members
 * whose score changed (ZADD, ZINCRBY) or the members removed (ZREM); every write propagates as
 * sent; a sorted set whose last member goes is deleted. Scores are parsed with parseDouble (ZADD,
 * ZINCRBY) or the laxer strtod rules of range bounds (parseScoreBound), and replied with
 * formatDouble (%.17g).
 */

const NAN_RESULT = error('ERR resulting score is not a number (NaN)');
const XX_AND_NX = error('ERR XX and NX options at the same time are not compatible');
const GT_LT_NX = error('ERR GT, LT, and/or NX options at the same time are not compatible');
const INCR_SINGLE_PAIR = error('ERR INCR option supports a single increment-element pair');
const BAD_SCORE_RANGE = error('ERR min or max is not a float');
const BAD_LEX_RANGE = error('ERR min or max not valid string range item');
const LIMIT_NEEDS_BY = error('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
const WITHSCORES_WITH_BYLEX = error('ERR syntax error, WITHSCORES not supported in combination with BYLEX');

// ---- lookups --------------------------------------------------------------------------------------

function readableZSet(ctx: CommandContext): RedisZSet | undefined | null {
  return lookupTyped(ctx, ctx.argv[1] as string, 'zset', 'read');
}

// ---- ZADD / ZINCRBY -----------------------------------------------------------------------------------

const NX = 1;
const XX = 2;
const GT = 4;
const LT = 8;
const CH = 16;
const INCR = 32;

/** ZADD's option words, lowercase, and their flags. */
const ZADD_OPTIONS: Readonly<Record<string, number>> = { nx: NX, xx: XX, gt: GT, lt: LT, ch: CH, incr: INCR };

/**
 * ZADD, and ZINCRBY as ZADD with INCR forced. Order of checks: option words, an odd or empty list
 * of pairs (syntax error), incompatible options, INCR with several pairs, every score, then the
 * key's type. ZINCRBY parses option words too, so `ZINCRBY k nx m` is a syntax error.
 */
function zadd(ctx: CommandContext, forced: number): Reply {
  const { argv } = ctx;
  let flags = forced;
  let first = 2;
  for (; first < argv.length; first++) {
    const word = argv[first] as string;
    // Every option word is 2 to 4 letters; anything else is a score.
    if (word.length > 4 || word.length < 2) break;
    const flag = ZADD_OPTIONS[word.toLowerCase()];
    if (flag === undefined) break;
    flags |= flag;
  }
  const words = argv.length - first;
  if (words === 0 || words % 2 !== 0) return SYNTAX_ERROR;
  if (flags & NX && flags & XX) return XX_AND_NX;
  if ((flags & NX && flags & (GT | LT)) || (flags & GT && flags & LT)) return GT_LT_NX;
  if (flags & INCR && words > 2) return INCR_SINGLE_PAIR;

  const scores = new Array<number>(words / 2);
  for (let i = first; i < argv.length; i += 2) {
    const score = parseDouble(argv[i] as string);
    if (score === null) return NOT_A_FLOAT;
    scores[(i - first) / 2] = score;
  }

  const key = argv[1] as string;
  let zset = lookupTyped(ctx, key, 'zset', 'write');
  if (zset === null) return WRONGTYPE;
  if (zset === undefined) {
    if (flags & XX) return flags & INCR ? NIL : integer(0);
    zset = new RedisZSet();
    ctx.db.set(key, zset);
  }

  let added = 0;
  let updated = 0;
  let result: number | null = null;
  for (let i = first; i < argv.length; i += 2) {
    const member = argv[i + 1] as string;
    let score = scores[(i - first) / 2] as number;
    const current = zset.score(member);
    if (current === undefined) {
      if (flags & XX) continue;
      zset.place(member, score, undefined);
      added++;
      result = score;
      continue;
    }
    if (flags & NX) continue;
    if (flags & INCR) {
      score += current;
      if (Number.isNaN(score)) {
        ctx.engine.dirty += added + updated;
        return NAN_RESULT;
      }
    }
    if ((flags & GT && score <= current) || (flags & LT && score >= current)) continue;
    result = score;
    if (score !== current) {
      zset.place(member, score, current);
      updated++;
    }
  }
  ctx.engine.dirty += added + updated;
  if (flags & INCR) return result === null ? NIL : bulk(formatDouble(result));
  return integer(flags & CH ? added + updated : added);
}

// ---- range bounds ---------------------------------------------------------------------------------

interface ScoreRange {
  readonly min: number;
  readonly max: number;
  readonly minExclusive: boolean;
  readonly maxExclusive: boolean;
}

/** One score bound: "(x" is exclusive; the number itself follows strtod's lax rules. */
function parseScoreRange(minText: string, maxText: string): ScoreRange | null {
  const minExclusive = minText.charCodeAt(0) === 40; /* '(' */
  const maxExclusive = maxText.charCodeAt(0) === 40;
  const min = parseScoreBound(minExclusive ? minText.slice(1) : minText);
  const max = parseScoreBound(maxExclusive ? maxText.slice(1) : maxText);
  if (min === null || max === null) return null;
  return { min, max, minExclusive, maxExclusive };
}

const aboveMin = (range: ScoreRange, score: number) => (range.minExclusive ? score > range.min : score >= range.min);
const belowMax = (range: ScoreRange, score: number) => (range.maxExclusive ? score < range.max : score <= range.max);

/** A lex bound: "-" (below everything), "+" (above everything), or "[x" / "(x". */
interface LexBound {
  /** -1 for "-", 1 for "+", 0 for a string. */
  readonly infinity: -1 | 0 | 1;
  readonly value: string;
  readonly exclusive: boolean;
}

interface LexRange {
  readonly min: LexBound;
  readonly max: LexBound;
}

function parseLexBound(text: string): LexBound | null {
  const head = text.charCodeAt(0);
  // Redis reads "-" and "+" as C strings, so a NUL right after the sign still ends the item.
  const alone = text.length === 1 || text.charCodeAt(1) === 0;
  if (head === 45 /* '-' */) return alone ? { infinity: -1, value: '', exclusive: true } : null;
  if (head === 43 /* '+' */) return alone ? { infinity: 1, value: '', exclusive: true } : null;
  if (head === 91 /* '[' */) return { infinity: 0, value: text.slice(1), exclusive: false };
  if (head === 40 /* '(' */) return { infinity: 0, value: text.slice(1), exclusive: true };
  return null;
}

function parseLexRange(minText: string, maxText: string): LexRange | null {
  const min = parseLexBound(minText);
  const max = parseLexBound(maxText);
  return min === null || max === null ? null : { min, max };
}

/** Orders a member against a bound (the infinities are below / above every member). */
function compareToBound(member: string, bound: LexBound): number {
  if (bound.infinity !== 0) return -bound.infinity;
  return member < bound.value ? -1 : member > bound.value ? 1 : 0;
}

function compareBounds(a: LexBound, b: LexBound): number {
  if (a.infinity !== 0 && a.infinity === b.infinity) return 0;
  if (a.infinity === -1 || b.infinity === 1) return -1;
  if (a.infinity === 1 || b.infinity === -1) return 1;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

const aboveLexMin = (range: LexRange, member: string) => {
  const cmp = compareToBound(member, range.min);
  return range.min.exclusive ? cmp > 0 : cmp >= 0;
};
const belowLexMax = (range: LexRange, member: string) => {
  const cmp = compareToBound(member, range.max);
  return range.max.exclusive ? cmp < 0 : cmp <= 0;
};

// ---- locating ranges ---------------------------------------------------------------------------------
//
// Each returns a rank, or -1 when no member is in the range. Score ranges are monotone over the
// order, so a binary search is exact. Lex ranges assume equal scores; when scores differ the
// result depends on Redis's encoding: a listpack (small set) is scanned linearly, which this
// reproduces exactly, while a skiplist's descent has no fixed answer to copy.

function firstInScoreRange(zset: RedisZSet, range: ScoreRange): number {
  const rank = zset.firstIndexWhere((e) => aboveMin(range, e.score));
  return rank < zset.size && belowMax(range, zset.at(rank).score) ? rank : -1;
}

function lastInScoreRange(zset: RedisZSet, range: ScoreRange): number {
  const rank = zset.firstIndexWhere((e) => !belowMax(range, e.score)) - 1;
  return rank >= 0 && aboveMin(range, zset.at(rank).score) ? rank : -1;
}

/** Redis's quick rejection: an empty range, or one wholly above the last or below the first member. */
function lexRangeMayMatch(zset: RedisZSet, range: LexRange): boolean {
  const cmp = compareBounds(range.min, range.max);
  if (cmp > 0 || (cmp === 0 && (range.min.exclusive || range.max.exclusive))) return false;
  if (zset.size === 0) return false;
  return aboveLexMin(range, zset.at(zset.size - 1).member) && belowLexMax(range, zset.at(0).member);
}

function firstInLexRange(zset: RedisZSet, range: LexRange): number {
  if (!lexRangeMayMatch(zset, range)) return -1;
  let rank: number;
  if (zset.encoding === 'listpack') {
    const entries = zset.entries;
    rank = entries.findIndex((e) => aboveLexMin(range, e.member));
    if (rank < 0) return -1;
  } else {
    rank = zset.firstIndexWhere((e) => aboveLexMin(range, e.member));
    if (rank === zset.size) return -1;
  }
  return belowLexMax(range, zset.at(rank).member) ? rank : -1;
}

function lastInLexRange(zset: RedisZSet, range: LexRange): number {
  if (!lexRangeMayMatch(zset, range)) return -1;
  let rank: number;
  if (zset.encoding === 'listpack') {
    rank = zset.entries.findLastIndex((e) => belowLexMax(range, e.member));
  } else {
    rank = zset.firstIndexWhere((e) => !belowLexMax(range, e.member)) - 1;
  }
  return rank >= 0 && aboveLexMin(range, zset.at(rank).member) ? rank : -1;
}

// ---- the range family -------------------------------------------------------------------------------

type RangeKind = 'rank' | 'score' | 'lex';

function entriesReply(entries: readonly ZEntry[], withScores: boolean): Reply {
  if (entries.length === 0) return EMPTY_ARRAY;
  const out: Reply[] = [];
  for (const entry of entries) {
    out.push(bulk(entry.member));
    if (withScores) out.push(bulk(formatDouble(entry.score)));
  }
  return array(out);
}

/** Ranks start..end (inclusive, negative from the end), clamped as ZRANGE does; reversed with REV. */
function byRank(zset: RedisZSet, start: number, end: number, reverse: boolean): ZEntry[] {
  const length = zset.size;
  if (start < 0) start += length;
  if (end < 0) end += length;
  if (start < 0) start = 0;
  if (start > end || start >= length) return [];
  if (end >= length) end = length - 1;
  if (!reverse) return zset.slice(start, end + 1);
  return zset.slice(length - 1 - end, length - start).reverse();
}

/**
 * Walks from rank `from` in one direction, skipping `offset` members, then taking members while
 * `inRange` holds, at most `limit` of them (a negative limit is no limit). A negative offset walks
 * off the end, as Redis's `while (offset--)` does.
 */
function walk(
  zset: RedisZSet,
  from: number,
  reverse: boolean,
  offset: number,
  limit: number,
  inRange: (entry: ZEntry) => boolean,
): ZEntry[] {
  const out: ZEntry[] = [];
  if (from < 0 || offset < 0) return out;
  const step = reverse ? -1 : 1;
  for (let rank = from + step * offset; rank >= 0 && rank < zset.size && limit !== 0; rank += step, limit--) {
    const entry = zset.at(rank);
    if (!inRange(entry)) break;
    out.push(entry);
  }
  return out;
}

/**
 * ZRANGE and its older forms. `fixedKind` / `fixedReverse` are what the command name implies
 * (null when options choose). Checks, in Redis's order: option words and LIMIT's numbers, LIMIT
 * without BYSCORE/BYLEX, WITHSCORES with BYLEX, the range itself, then the key's type.
 */
function zrange(ctx: CommandContext, fixedKind: RangeKind | null, fixedReverse: boolean | null): Reply {
  const { argv } = ctx;
  let kind: RangeKind | null = fixedKind;
  let reverse: boolean | null = fixedReverse;
  let withScores = false;
  let offset = 0;
  // -1 doubles as "no LIMIT", so `LIMIT 0 -1` passes even where LIMIT is refused, as in Redis.
  let limit = -1;
  for (let j = 4; j < argv.length; j++) {
    const word = (argv[j] as string).toLowerCase();
    if (word === 'withscores') {
      withScores = true;
    } else if (word === 'limit' && argv.length - j - 1 >= 2) {
      const parsedOffset = parseInteger(argv[j + 1] as string);
      const parsedLimit = parseInteger(argv[j + 2] as string);
      if (parsedOffset === null || parsedLimit === null) return NOT_AN_INTEGER;
      offset = Number(parsedOffset);
      limit = Number(parsedLimit);
      j += 2;
    } else if (reverse === null && word === 'rev') {
      reverse = true;
    } else if (kind === null && word === 'bylex') {
      kind = 'lex';
    } else if (kind === null && word === 'byscore') {
      kind = 'score';
    } else {
      return SYNTAX_ERROR;
    }
  }
  kind ??= 'rank';
  reverse ??= false;
  if (limit !== -1 && kind === 'rank') return LIMIT_NEEDS_BY;
  if (withScores && kind === 'lex') return WITHSCORES_WITH_BYLEX;

  // Reversed score and lex ranges are written max first.
  const low = argv[reverse && kind !== 'rank' ? 3 : 2] as string;
  const high = argv[reverse && kind !== 'rank' ? 2 : 3] as string;
  let run: (zset: RedisZSet) => ZEntry[];
  if (kind === 'rank') {
    const start = parseInteger(low);
    const end = parseInteger(high);
    if (start === null || end === null) return NOT_AN_INTEGER;
    run = (zset) => byRank(zset, Number(start), Number(end), reverse);
  } else if (kind === 'score') {
    const range = parseScoreRange(low, high);
    if (range === null) return BAD_SCORE_RANGE;
    run = (zset) =>
      reverse
        ? walk(zset, lastInScoreRange(zset, range), true, offset, limit, (e) => aboveMin(range, e.score))
        : walk(zset, firstInScoreRange(zset, range), false, offset, limit, (e) => belowMax(range, e.score));
  } else {
    const range = parseLexRange(low, high);
    if (range === null) return BAD_LEX_RANGE;
    run = (zset) =>
      reverse
        ? walk(zset, lastInLexRange(zset, range), true, offset, limit, (e) => aboveLexMin(range, e.member))
        : walk(zset, firstInLexRange(zset, range), false, offset, limit, (e) => belowLexMax(range, e.member));
  }

  const zset = readableZSet(ctx);
  if (zset === undefined) return EMPTY_ARRAY;
  if (zset === null) return WRONGTYPE;
  return entriesReply(run(zset), withScores);
}

/** The number of members between two located ranks (-1 meaning none). */
function countBetween(first: number, last: number): number {
  return first < 0 || last < first ? 0 : last - first + 1;
}

// ---- the table ---------------------------------------------------------------------------------------

const range = (name: string, kind: RangeKind | null, reverse: boolean | null): CommandSpec => ({
  name,
  arity: -4,
  flags: ['readonly'],
  run: (ctx) => zrange(ctx, kind, reverse),
});

export const zsetsCommands: CommandSpec[] = [
  { name: 'zadd', arity: -4, flags: ['write', 'fast'], run: (ctx) => zadd(ctx, 0) },
  { name: 'zincrby', arity: 4, flags: ['write', 'fast'], run: (ctx) => zadd(ctx, INCR) },
  {
    name: 'zrem',
    arity: -3,
    flags: ['write', 'fast'],
    run: (ctx) => {
      const { argv } = ctx;
      const key = argv[1] as string;
      const zset = lookupTyped(ctx, key, 'zset', 'write');
      if (zset === undefined) return integer(0);
      if (zset === null) return WRONGTYPE;
      let removed = 0;
      for (let i = 2; i < argv.length; i++) {
        if (zset.delete(argv[i] as string)) removed++;
        if (zset.size === 0) {
          ctx.db.delete(key);
          break;
        }
      }
      ctx.engine.dirty += removed;
      return integer(removed);
    },
  },
  {
    name: 'zscore',
    arity: 3,
    flags: ['readonly', 'fast'],
    run: (ctx) => {
      const zset = readableZSet(ctx);
      if (zset === undefined) return NIL;
      if (zset === null) return WRONGTYPE;
      const score = zset.score(ctx.argv[2] as string);
      return score === undefined ? NIL : bulk(formatDouble(score));
    },
  },
  {
    name: 'zmscore',
    arity: -3,
    flags: ['readonly', 'fast'],
    run: (ctx) => {
      const zset = readableZSet(ctx);
      if (zset === null) return WRONGTYPE;
      const out: Reply[] = [];
      for (let i = 2; i < ctx.argv.length; i++) {
        const score = zset?.score(ctx.argv[i] as string);
        out.push(score === undefined ? NIL : bulk(formatDouble(score)));
      }
      return array(out);
    },
  },
  {
    name: 'zcard',
    arity: 2,
    flags: ['readonly', 'fast'],
    run: (ctx) => {
      const zset = readableZSet(ctx);
      if (zset === null) return WRONGTYPE;
      return integer(zset?.size ?? 0);
    },
  },
  {
    name: 'zcount',
    arity: 4,
    flags: ['readonly', 'fast'],
    run: (ctx) => {
      const range = parseScoreRange(ctx.argv[2] as string, ctx.argv[3] as string);
      if (range === null) return BAD_SCORE_RANGE;
      const zset = readableZSet(ctx);
      if (zset === undefined) return integer(0);
      if (zset === null) return WRONGTYPE;
      return integer(countBetween(firstInScoreRange(zset, range), lastInScoreRange(zset, range)));
    },
  },
  {
    name: 'zlexcount',
    arity: 4,
    flags: ['readonly', 'fast'],
    run: (ctx) => {
      const range = parseLexRange(ctx.argv[2] as string, ctx.argv[3] as string);
      if (range === null) return BAD_LEX_RANGE;
      const zset = readableZSet(ctx);
      if (zset === undefined) return integer(0);
      if (zset === null) return WRONGTYPE;
      const first = firstInLexRange(zset, range);
      // A listpack counts forward from the first match; a skiplist subtracts ranks.
      if (zset.encoding === 'listpack') {
        return integer(walk(zset, first, false, 0, -1, (e) => belowLexMax(range, e.member)).length);
      }
      return integer(countBetween(first, lastInLexRange(zset, range)));
    },
  },
  ...[false, true].map(
    (reverse): CommandSpec => ({
      name: reverse ? 'zrevrank' : 'zrank',
      arity: 3,
      flags: ['readonly', 'fast'],
      run: (ctx) => {
        const zset = readableZSet(ctx);
        if (zset === undefined) return NIL;
        if (zset === null) return WRONGTYPE;
        const rank = zset.rank(ctx.argv[2] as string);
        if (rank === undefined) return NIL;
        return integer(reverse ? zset.size - 1 - rank : rank);
      },
    }),
  ),
  range('zrange', null, null),
  range('zrevrange', 'rank', true),
  range('zrangebyscore', 'score', false),
  range('zrevrangebyscore', 'score', true),
  range('zrangebylex', 'lex', false),
  range('zrevrangebylex', 'lex', true),
];
