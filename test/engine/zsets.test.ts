/**
 * The sorted-set commands and RedisZSet: unit tests of replies, the dirty counter and propagation
 * (values observed on redis-server 7.0.15), a model check of RedisZSet's chunked order on large
 * sets, and differential runs against a real server (test/scripts/zsets.redis and seeded random
 * sequences) comparing every reply, every increment of dirty and of the keyspace hit/miss
 * counters, and the AOF the real server wrote.
 */
import fc from 'fast-check';
import { RedisZSet } from '../../src/engine/index.ts';
import { compareEntries, type ZEntry } from '../../src/engine/keyspace/zset.ts';
import { expectSameAsRedis, realRedisAround, startAofRedis, wallClockEngine } from '../support/differential.ts';
import { testPort } from '../support/real-redis.ts';
import { arr, bulk, err, int, lab, NEW_YEAR, NIL } from '../support/engine-kit.ts';
import { scriptFile } from '../support/redis-cli.ts';

const PORT = testPort(6462);

const setUp = () => lab({ epochMs: NEW_YEAR });

describe('ZADD and ZINCRBY', () => {
  it('adds, updates and counts each change once', () => {
    const { engine, run, propagated } = setUp();
    expect(run('ZADD z 1 a 2 b')).toEqual(int(2));
    expect(run('ZADD z 1 a 3 b 4 c')).toEqual(int(1));
    expect(run('ZADD z CH 1 a 5 b')).toEqual(int(1));
    expect(run('ZADD z NX 9 a 9 d')).toEqual(int(1));
    expect(run('ZADD z XX 9 a 9 e')).toEqual(int(0));
    expect(engine.dirty).toBe(2 + 2 + 1 + 1 + 1);
    expect(run('ZADD z INCR 0 a')).toEqual(bulk('9'));
    expect(run('ZADD z GT INCR -1 a')).toEqual(NIL);
    expect(run('ZINCRBY z 0 a')).toEqual(bulk('9'));
    expect(engine.dirty).toBe(7);
    expect(run('ZINCRBY z 2.5 a')).toEqual(bulk('11.5'));
    expect(run('ZADD nokey XX 1 a')).toEqual(int(0));
    expect(run('ZADD nokey XX INCR 1 a')).toEqual(NIL);
    expect(engine.dbs[0]!.data.has('nokey')).toBe(false);
    expect(engine.dirty).toBe(8);
    expect(propagated.map((argv) => argv.join(' '))).toEqual([
      'ZADD z 1 a 2 b',
      'ZADD z 1 a 3 b 4 c',
      'ZADD z CH 1 a 5 b',
      'ZADD z NX 9 a 9 d',
      'ZADD z XX 9 a 9 e',
      'ZINCRBY z 2.5 a',
    ]);
  });

  it('applies GT and LT after the increment, and only to existing members', () => {
    const { run } = setUp();
    run('ZADD z 5 a');
    expect(run('ZADD z GT CH 4 a 6 a')).toEqual(int(1));
    expect(run('ZADD z LT CH 9 a 1 a')).toEqual(int(1));
    expect(run('ZADD z GT 7 new')).toEqual(int(1));
    expect(run('ZADD z INCR LT 1 a')).toEqual(NIL);
    expect(run('ZADD z INCR LT -1 a')).toEqual(bulk('0'));
  });

  it('refuses conflicting options, odd pairs and bad scores in Redis order', () => {
    const { run } = setUp();
    run('SADD s a');
    expect(run('ZADD s nx xx 1 a')).toEqual(err('ERR XX and NX options at the same time are not compatible'));
    expect(run('ZADD s gt lt 1 a')).toEqual(err('ERR GT, LT, and/or NX options at the same time are not compatible'));
    expect(run('ZADD s nx gt 1 a')).toEqual(err('ERR GT, LT, and/or NX options at the same time are not compatible'));
    expect(run('ZADD s incr 1 a 2 b')).toEqual(err('ERR INCR option supports a single increment-element pair'));
    expect(run('ZADD s 1 a 2')).toEqual(err('ERR syntax error'));
    expect(run('ZADD s nx xx')).toEqual(err('ERR syntax error'));
    expect(run('ZADD s 1 a x b')).toEqual(err('ERR value is not a valid float'));
    expect(run('ZADD s 1 a')).toEqual(err('WRONGTYPE Operation against a key holding the wrong kind of value'));
    expect(run('ZINCRBY z nx a')).toEqual(err('ERR syntax error'));
    expect(run('ZINCRBY z 1 nx')).toEqual(bulk('1'));
  });

  it('reports a NaN sum and keeps the old score', () => {
    const { engine, run } = setUp();
    run('ZADD z inf a');
    expect(run('ZADD z INCR -inf a')).toEqual(err('ERR resulting score is not a number (NaN)'));
    expect(run('ZINCRBY z -inf a')).toEqual(err('ERR resulting score is not a number (NaN)'));
    expect(run('ZSCORE z a')).toEqual(bulk('inf'));
    expect(run('ZADD z nan a')).toEqual(err('ERR value is not a valid float'));
    expect(engine.dirty).toBe(1);
  });

  it('replies scores as %.17g', () => {
    const { run } = setUp();
    run('ZADD z 0.1 a 1.5e-7 b 12345678901234567890 c 1e21 d 3.0 e 0x10 f');
    expect(run('ZRANGE z 0 -1 WITHSCORES')).toEqual(
      arr('b', '1.4999999999999999e-07', 'a', '0.10000000000000001', 'e', '3', 'f', '16', 'c', '1.2345678901234567e+19', 'd', '1e+21'),
    );
    expect(run('ZINCRBY z 0.1 a')).toEqual(bulk('0.20000000000000001'));
  });

  it('stores -0 as 0 while the set is a listpack, and keeps -0 in a skiplist', () => {
    const { run, engine } = setUp();
    expect(run('ZADD z INCR -0 a')).toEqual(bulk('-0'));
    expect(run('ZSCORE z a')).toEqual(bulk('0'));
    const long = 'x'.repeat(65);
    run(`ZADD mixed -0 short 2 ${long}`);
    expect(run('ZSCORE mixed short')).toEqual(bulk('0'));
    run(`ZADD big -0 ${long}`);
    expect(run(`ZSCORE big ${long}`)).toEqual(bulk('-0'));
    const zset = engine.dbs[0]!.data.get('z') as RedisZSet;
    expect(zset.encoding).toBe('listpack');
    for (let i = 0; i < 128; i++) zset.set(`m${i}`, i);
    expect(zset.encoding).toBe('skiplist');
    zset.set('a', -0);
    expect(run('ZSCORE z a')).toEqual(bulk('0'));
    run('ZADD z 1 a');
    run('ZADD z -0 a');
    expect(run('ZSCORE z a')).toEqual(bulk('-0'));
  });
});

describe('ZREM, ZSCORE, ZRANK and counts', () => {
  it('removes members, deleting the emptied key', () => {
    const { engine, run } = setUp();
    run('ZADD z 1 a 2 b 3 c');
    expect(run('ZREM z a a nope')).toEqual(int(1));
    expect(run('ZREM z b c d')).toEqual(int(2));
    expect(engine.dbs[0]!.data.has('z')).toBe(false);
    expect(engine.dirty).toBe(6);
  });

  it('answers ranks, scores and counts', () => {
    const { run } = setUp();
    run('ZADD z 1 a 2 b 3 c 3 d');
    expect(run('ZRANK z c')).toEqual(int(2));
    expect(run('ZREVRANK z c')).toEqual(int(1));
    expect(run('ZRANK z nope')).toEqual(NIL);
    expect(run('ZMSCORE z a nope d')).toEqual(arr('1', null, '3'));
    expect(run('ZCOUNT z (1 3')).toEqual(int(3));
    expect(run('ZCOUNT z x 3')).toEqual(err('ERR min or max is not a float'));
    expect(run('ZLEXCOUNT z - +')).toEqual(int(4));
    expect(run('ZLEXCOUNT z x +')).toEqual(err('ERR min or max not valid string range item'));
  });
});

describe('the ZRANGE family', () => {
  it('ranges by rank, score and lex, forwards and backwards, with LIMIT', () => {
    const { run } = setUp();
    run('ZADD z 1 a 2 b 3 c 4 d 5 e');
    expect(run('ZRANGE z 1 -2')).toEqual(arr('b', 'c', 'd'));
    expect(run('ZRANGE z 0 1 REV WITHSCORES')).toEqual(arr('e', '5', 'd', '4'));
    expect(run('ZRANGE z (1 3 BYSCORE')).toEqual(arr('b', 'c'));
    expect(run('ZRANGE z 3 (1 BYSCORE REV')).toEqual(arr('c', 'b'));
    expect(run('ZRANGE z -inf +inf BYSCORE LIMIT 1 2')).toEqual(arr('b', 'c'));
    expect(run('ZRANGE z -inf +inf BYSCORE LIMIT -1 2')).toEqual(arr());
    expect(run('ZRANGE z [b (d BYLEX')).toEqual(arr('b', 'c'));
    expect(run('ZRANGE z + - BYLEX REV LIMIT 1 2')).toEqual(arr('d', 'c'));
    expect(run('ZREVRANGEBYSCORE z +inf -inf WITHSCORES LIMIT 1 2')).toEqual(arr('d', '4', 'c', '3'));
    expect(run('ZRANGEBYLEX z - + LIMIT 1 2')).toEqual(arr('b', 'c'));
    expect(run('ZREVRANGE z 0 1')).toEqual(arr('e', 'd'));
  });

  it('reports option errors before range errors before the key type', () => {
    const { run } = setUp();
    run('SADD s a');
    expect(run('ZRANGE s 0 -1 LIMIT 0 1')).toEqual(
      err('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX'),
    );
    // -1 is LIMIT's "no limit", so Redis lets this one through.
    expect(run('ZRANGE s 0 -1 LIMIT 0 -1')).toEqual(err('WRONGTYPE Operation against a key holding the wrong kind of value'));
    expect(run('ZRANGE s a b BYLEX WITHSCORES')).toEqual(err('ERR syntax error, WITHSCORES not supported in combination with BYLEX'));
    expect(run('ZRANGE s a b BYSCORE')).toEqual(err('ERR min or max is not a float'));
    expect(run('ZRANGE s a b BYLEX')).toEqual(err('ERR min or max not valid string range item'));
    expect(run('ZRANGE s a b')).toEqual(err('ERR value is not an integer or out of range'));
    expect(run('ZRANGE s 0 -1 REV REV')).toEqual(err('ERR syntax error'));
    expect(run('ZRANGEBYSCORE s 0 1 REV')).toEqual(err('ERR syntax error'));
  });

  it('scans a listpack in order for lex ranges over mixed scores', () => {
    const { run } = setUp();
    run('ZADD m 1 z 2 a 3 m 0 b');
    expect(run('ZRANGEBYLEX m - [m')).toEqual(arr('b'));
    expect(run('ZRANGEBYLEX m [c [n')).toEqual(arr());
    expect(run('ZREVRANGEBYLEX m [n [c')).toEqual(arr('m'));
    expect(run('ZLEXCOUNT m - [c')).toEqual(int(1));
  });
});

describe('RedisZSet on large sets', () => {
  /** The reference: a plain array kept sorted by the same order. */
  const model = (entries: Map<string, number>): ZEntry[] =>
    [...entries].map(([member, score]) => ({ member, score })).sort(compareEntries);

  it('keeps order, ranks and slices through thousands of random changes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: -50, max: 50 }), fc.boolean()), {
          minLength: 2000,
          maxLength: 6000,
        }),
        (ops) => {
          const zset = new RedisZSet();
          const expected = new Map<string, number>();
          for (const [id, score, remove] of ops) {
            const member = `m${id}`;
            if (remove && expected.has(member)) {
              expect(zset.delete(member)).toBe(true);
              expected.delete(member);
            } else {
              zset.set(member, score);
              expected.set(member, score);
            }
          }
          const sorted = model(expected);
          expect(zset.size).toBe(sorted.length);
          expect(zset.entries).toEqual(sorted);
          for (let rank = 0; rank < sorted.length; rank += 97) {
            const entry = sorted[rank] as ZEntry;
            expect(zset.at(rank)).toEqual(entry);
            expect(zset.rank(entry.member)).toBe(rank);
          }
          const [from, to] = [Math.min(5, sorted.length), Math.min(1500, sorted.length)];
          expect(zset.slice(from, to)).toEqual(sorted.slice(from, to));
          expect(zset.firstIndexWhere((e) => e.score >= 0)).toBe(sorted.findIndex((e) => e.score >= 0));
        },
      ),
      { seed: 5, numRuns: 20 },
    );
  });

  // Speed is the benchmark's business (npm run bench); this checks the order at that scale.
  it('keeps a set of 200,000 members in order', () => {
    const { engine, client } = lab({ epochMs: NEW_YEAR, record: false });
    for (let i = 0; i < 200_000; i++) engine.execute(client, ['ZADD', 'big', String((i * 7919) % 200_003), `member:${i}`]);
    const zset = engine.dbs[0]!.data.get('big') as RedisZSet;
    expect(zset.size).toBe(200_000);
    const scores = zset.entries.map((entry) => entry.score);
    expect(scores.every((score, i) => i === 0 || (scores[i - 1] as number) <= score)).toBe(true);
  });
});

// ---- differential against redis-server 7.0.15 -------------------------------------------------

describe('sorted sets against redis-server 7.0.15', () => {
  const real = realRedisAround(() => startAofRedis(PORT));

  it('replays test/scripts/zsets.redis with the same replies, dirty counts and AOF', async () => {
    const lines = scriptFile('zsets');
    expect(lines.length).toBeGreaterThan(400);
    await expectSameAsRedis(real(), wallClockEngine(), lines);
  });

  it('agrees on random command sequences', async () => {
    const key = fc.constantFrom('z1', 'z2', 's');
    const member = fc.constantFrom('a', 'b', 'c', 'd', 'aa', '""', '1');
    const score = fc.oneof(
      fc.integer({ min: -3, max: 3 }).map(String),
      fc.constantFrom('0.5', '-0', '1e308', 'inf', '-inf', '+inf', 'nan', 'x', '0x1p-2', '1e-320'),
    );
    const option = fc.subarray(['NX', 'XX', 'GT', 'LT', 'CH', 'INCR']).map((o) => o.join(' '));
    const pairs = fc.array(fc.tuple(score, member).map((p) => p.join(' ')), { minLength: 1, maxLength: 3 }).map((p) => p.join(' '));
    const bound = fc.oneof(score, score.map((s) => `(${s}`));
    const lexBound = fc.oneof(fc.constantFrom('-', '+'), fc.tuple(fc.constantFrom('[', '('), member).map(([p, m]) => (m === '""' ? p : p + m)));
    const index = fc.integer({ min: -6, max: 6 });
    const rangeOptions = fc.subarray(['BYSCORE', 'REV', 'WITHSCORES', 'LIMIT 1 2', 'LIMIT 0 -1']).map((o) => o.join(' '));
    const command = fc.oneof(
      fc.tuple(fc.constant('ZADD'), key, option, pairs).map((w) => w.join(' ')),
      fc.tuple(fc.constant('ZINCRBY'), key, score, member).map((w) => w.join(' ')),
      fc.tuple(fc.constantFrom('ZREM', 'ZMSCORE'), key, fc.array(member, { minLength: 1, maxLength: 3 }).map((m) => m.join(' '))).map((w) => w.join(' ')),
      fc.tuple(fc.constantFrom('ZSCORE', 'ZRANK', 'ZREVRANK'), key, member).map((w) => w.join(' ')),
      fc.tuple(fc.constant('ZCARD'), key).map((w) => w.join(' ')),
      fc.tuple(fc.constantFrom('ZCOUNT', 'ZRANGEBYSCORE', 'ZREVRANGEBYSCORE'), key, bound, bound).map((w) => w.join(' ')),
      fc.tuple(fc.constantFrom('ZLEXCOUNT', 'ZRANGEBYLEX', 'ZREVRANGEBYLEX'), key, lexBound, lexBound).map((w) => w.join(' ')),
      fc.tuple(fc.constantFrom('ZRANGE', 'ZREVRANGE'), key, index, index, rangeOptions).map((w) => w.join(' ')),
      fc.tuple(fc.constant('ZRANGE'), key, bound, bound, rangeOptions).map((w) => w.join(' ')),
      fc.tuple(fc.constant('ZRANGE'), key, lexBound, lexBound, fc.constantFrom('BYLEX', 'BYLEX REV', 'BYLEX LIMIT 1 1')).map((w) => w.join(' ')),
      fc.tuple(fc.constant('SADD'), key, member).map((w) => w.join(' ')),
    );
    const side = wallClockEngine();
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 40 }), (lines) =>
        expectSameAsRedis(real(), side, ['FLUSHALL', ...lines, 'ZRANGE z1 0 -1 WITHSCORES', 'ZRANGE z2 0 -1 WITHSCORES']),
      ),
      { seed: 17, numRuns: 200 },
    );
  });
});
