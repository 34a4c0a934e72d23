/**
 * The hash commands: unit tests of replies, the dirty counter and propagation (values observed on
 * redis-server 7.0.15), and differential runs against a real server (test/scripts/hashes.redis and
 * seeded random sequences) comparing every reply, every increment of dirty and of the keyspace
 * hit/miss counters, and the AOF the real server wrote.
 */
import fc from 'fast-check';
import { RedisList } from '../../src/engine/index.ts';
import { expectSameAsRedis, realRedisAround, startAofRedis, wallClockEngine } from '../support/differential.ts';
import { testPort } from '../support/real-redis.ts';
import { arr, bulk, err, int, lab, NEW_YEAR, OK, WRONGTYPE } from '../support/engine-kit.ts';
import { scriptFile } from '../support/redis-cli.ts';

const PORT = testPort(6452);

const setUp = () => lab({ epochMs: NEW_YEAR });

describe('hash commands', () => {
  it('sets fields, counting every pair written as a change', () => {
    const { engine, run, propagated } = setUp();
    expect(run('HSET h f v')).toEqual(int(1));
    expect(run('HSET h f v2 g w')).toEqual(int(1));
    expect(run('HSET h f v3 f v4')).toEqual(int(0));
    expect(run('HSET h f v g')).toEqual(err("ERR wrong number of arguments for 'hset' command"));
    expect(run('HMSET h a 1 b 2')).toEqual(OK);
    expect(run('HMSET h a 1 b')).toEqual(err("ERR wrong number of arguments for 'hmset' command"));
    expect(run('HSETNX h a 9')).toEqual(int(0));
    expect(run('HSETNX h n 9')).toEqual(int(1));
    expect(engine.dirty).toBe(8);
    expect(run('HGET h f')).toEqual(bulk('v4'));
    expect(run('HMGET h a zz b')).toEqual(arr('1', null, '2'));
    expect(run('HMGET nokey a b')).toEqual(arr(null, null));
    expect(run('HLEN h')).toEqual(int(5));
    expect(run('HSTRLEN h f')).toEqual(int(2));
    expect(run('HGETALL h')).toEqual(arr('f', 'v4', 'g', 'w', 'a', '1', 'b', '2', 'n', '9'));
    expect(propagated.map((argv) => argv[0])).toEqual(['HSET', 'HSET', 'HSET', 'HMSET', 'HSETNX']);
  });

  it('deletes fields and then the emptied key', () => {
    const { engine, run } = setUp();
    run('HSET h a 1 b 2 c 3');
    expect(run('HDEL h zz')).toEqual(int(0));
    expect(run('HDEL h a b zz')).toEqual(int(2));
    expect(run('HDEL h c')).toEqual(int(1));
    expect(engine.dbs[0]!.data.has('h')).toBe(false);
    expect(engine.dirty).toBe(6);
  });

  it('answers WRONGTYPE after the argument checks Redis makes first', () => {
    const { engine, run } = setUp();
    engine.dbs[0]!.set('l', new RedisList(['a']));
    expect(run('HSET l f v g')).toEqual(err("ERR wrong number of arguments for 'hset' command"));
    expect(run('HSET l f v')).toEqual(WRONGTYPE);
    expect(run('HINCRBY l f x')).toEqual(err('ERR value is not an integer or out of range'));
    expect(run('HINCRBY l f 1')).toEqual(WRONGTYPE);
    expect(run('HINCRBYFLOAT l f x')).toEqual(err('ERR value is not a valid float'));
    expect(run('HINCRBYFLOAT l f inf')).toEqual(err('ERR value is NaN or Infinity'));
    expect(run('HINCRBYFLOAT l f 1')).toEqual(WRONGTYPE);
    expect(run('HMGET l a')).toEqual(WRONGTYPE);
    expect(engine.dirty).toBe(0);
  });

  it('HINCRBY works across the whole int64 range and refuses to overflow', () => {
    const { engine, run } = setUp();
    expect(run('HINCRBY h f 5')).toEqual(int(5));
    run('HSET h big 9223372036854775807 neg -9223372036854775808 safe 9007199254740991 str 007');
    expect(run('HINCRBY h big 1')).toEqual(err('ERR increment or decrement would overflow'));
    expect(run('HINCRBY h big 0')).toEqual(int(9223372036854775807n));
    expect(run('HINCRBY h neg -1')).toEqual(err('ERR increment or decrement would overflow'));
    expect(run('HINCRBY h neg 9223372036854775807')).toEqual(int(-1));
    expect(run('HINCRBY h safe 1')).toEqual(int(9007199254740992n));
    expect(run('HINCRBY h safe -2')).toEqual(int(9007199254740990));
    expect(run('HINCRBY h str 1')).toEqual(err('ERR hash value is not an integer'));
    expect(run('HGET h safe')).toEqual(bulk('9007199254740990'));
    expect(engine.dirty).toBe(1 + 4 + 4);
  });

  it('HINCRBYFLOAT computes in long double and propagates as HSET of the result', () => {
    const { engine, run, propagated } = setUp();
    expect(run('HINCRBYFLOAT h g 1.5')).toEqual(bulk('1.5'));
    expect(run('HINCRBYFLOAT h g 0.1')).toEqual(bulk('1.6'));
    run('HSET h inf inf s abc');
    expect(run('HINCRBYFLOAT h inf 1')).toEqual(err('ERR increment would produce NaN or Infinity'));
    expect(run('HINCRBYFLOAT h s 1')).toEqual(err('ERR hash value is not a float'));
    expect(run('HINCRBYFLOAT h g nan')).toEqual(err('ERR value is not a valid float'));
    expect(engine.dirty).toBe(4);
    expect(propagated).toEqual([
      ['HSET', 'h', 'g', '1.5'],
      ['HSET', 'h', 'g', '1.6'],
      ['HSET', 'h', 'inf', 'inf', 's', 'abc'],
    ]);
  });
});

// ---- differential against redis-server 7.0.15 -------------------------------------------------

describe('hashes against redis-server 7.0.15', () => {
  const real = realRedisAround(() => startAofRedis(PORT));

  it('replays test/scripts/hashes.redis with the same replies, dirty counts and AOF', async () => {
    const lines = scriptFile('hashes');
    expect(lines.length).toBeGreaterThan(250);
    await expectSameAsRedis(real(), wallClockEngine(), lines);
  });

  it('agrees on random command sequences', async () => {
    const key = fc.constantFrom('h1', 'h2', 'l');
    const field = fc.constantFrom('f', 'g', 'n', '""');
    const value = fc.constantFrom('v', '0', '1', '-7', '1.5', '9223372036854775807', '-9223372036854775808', '1e300', 'x', '""');
    const pairs = fc.array(fc.tuple(field, value).map((p) => p.join(' ')), { minLength: 1, maxLength: 3 }).map((p) => p.join(' '));
    const fields = fc.array(field, { minLength: 1, maxLength: 3 }).map((f) => f.join(' '));
    const integerIncrement = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom('9223372036854775807', '-9223372036854775808', 'x', '1.5'));
    const floatIncrement = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), fc.constantFrom('0.1', '-0.1', '1e308', 'inf', 'nan', 'x'));
    const command = fc.oneof(
      fc.tuple(fc.constantFrom('HSET', 'HMSET'), key, pairs).map((w) => w.join(' ')),
      fc.tuple(fc.constant('HSETNX'), key, field, value).map((w) => w.join(' ')),
      fc.tuple(fc.constantFrom('HGET', 'HEXISTS', 'HSTRLEN'), key, field).map((w) => w.join(' ')),
      fc.tuple(fc.constantFrom('HMGET', 'HDEL'), key, fields).map((w) => w.join(' ')),
      fc.tuple(fc.constantFrom('HGETALL', 'HKEYS', 'HVALS', 'HLEN'), key).map((w) => w.join(' ')),
      fc.tuple(fc.constant('HINCRBY'), key, field, integerIncrement).map((w) => w.join(' ')),
      fc.tuple(fc.constant('HINCRBYFLOAT'), key, field, floatIncrement).map((w) => w.join(' ')),
      fc.tuple(fc.constant('RPUSH'), key, value).map((w) => w.join(' ')),
    );
    const side = wallClockEngine();
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 40 }), (lines) =>
        expectSameAsRedis(real(), side, ['FLUSHALL', ...lines, 'HGETALL h1', 'HGETALL h2']),
      ),
      { seed: 11, numRuns: 150 },
    );
  });
});
