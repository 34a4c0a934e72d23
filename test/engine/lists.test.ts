/**
 * The list commands: unit tests of replies, the dirty counter and propagation (values observed on
 * redis-server 7.0.15), the ring buffer's in-place edits, the LPUSH hot path, and differential
 * runs against a real server (test/scripts/lists.redis and seeded random sequences) comparing
 * every reply, every dirty and keyspace hit/miss increment and the AOF the real server wrote.
 */
import fc from 'fast-check';
import { RedisList } from '../../src/engine/index.ts';
import { expectSameAsRedis, realRedisAround, startAofRedis, wallClockEngine } from '../support/differential.ts';
import { testPort } from '../support/real-redis.ts';
import { arr, bulk, err, int, lab, NEW_YEAR, WRONGTYPE } from '../support/engine-kit.ts';
import { scriptFile } from '../support/redis-cli.ts';

const PORT = testPort(6451);

const setUp = () => lab({ epochMs: NEW_YEAR });

describe('list commands', () => {
  it('pushes at both ends and counts each element as a change', () => {
    const { engine, run, propagated } = setUp();
    expect(run('LPUSH l a b c')).toEqual(int(3));
    expect(run('RPUSH l d e')).toEqual(int(5));
    expect(run('LRANGE l 0 -1')).toEqual(arr('c', 'b', 'a', 'd', 'e'));
    expect(engine.dirty).toBe(5);
    expect(run('LPUSHX nolist a')).toEqual(int(0));
    expect(run('RPUSHX l z')).toEqual(int(6));
    expect(engine.dirty).toBe(6);
    expect(propagated).toEqual([
      ['LPUSH', 'l', 'a', 'b', 'c'],
      ['RPUSH', 'l', 'd', 'e'],
      ['RPUSHX', 'l', 'z'],
    ]);
  });

  it('pops one element as a bulk string and several as an array', () => {
    const { engine, run } = setUp();
    expect(run('LPOP nolist')).toEqual(bulk(null));
    expect(run('LPOP nolist 0')).toEqual({ type: 'array', value: null });
    expect(run('LPOP nolist -1')).toEqual(err('ERR value is out of range, must be positive'));
    run('RPUSH l a b c d e');
    expect(run('LPOP l 0')).toEqual(arr());
    expect(run('LPOP l')).toEqual(bulk('a'));
    expect(run('RPOP l 2')).toEqual(arr('e', 'd'));
    expect(run('LPOP l 1 2')).toEqual(err("ERR wrong number of arguments for 'lpop' command"));
    expect(engine.dirty).toBe(8);
    expect(run('RPOP l 100')).toEqual(arr('c', 'b'));
    expect(engine.dbs[0]!.data.has('l')).toBe(false);
    expect(engine.dirty).toBe(10);
  });

  it('checks arguments and types in Redis order', () => {
    const { engine, run } = setUp();
    engine.dbs[0]!.set('h', new Map([['f', 'v']]));
    expect(run('LPOP h -1')).toEqual(err('ERR value is out of range, must be positive'));
    expect(run('LPOP h 0')).toEqual(WRONGTYPE);
    expect(run('LRANGE h a 1')).toEqual(err('ERR value is not an integer or out of range'));
    expect(run('LINDEX h x')).toEqual(WRONGTYPE);
    expect(run('LINDEX nolist x')).toEqual(bulk(null));
    expect(run('LSET nolist x v')).toEqual(err('ERR no such key'));
    expect(run('LSET h x v')).toEqual(WRONGTYPE);
    expect(run('LREM h x a')).toEqual(err('ERR value is not an integer or out of range'));
    expect(run('LTRIM h x 1')).toEqual(err('ERR value is not an integer or out of range'));
    expect(run('LINSERT h middle a b')).toEqual(err('ERR syntax error'));
    expect(run('LINSERT h before a b')).toEqual(WRONGTYPE);
    expect(engine.dirty).toBe(0);
  });

  it('sets, removes, trims and inserts, counting the elements changed', () => {
    const { engine, run, propagated } = setUp();
    run('RPUSH l a b c a b c a');
    expect(run('LSET l -1 Z')).toEqual({ type: 'status', value: 'OK' });
    expect(run('LSET l 7 x')).toEqual(err('ERR index out of range'));
    expect(run('LREM l -1 c')).toEqual(int(1));
    expect(run('LREM l 0 a')).toEqual(int(2));
    expect(run('LRANGE l 0 -1')).toEqual(arr('b', 'c', 'b', 'Z'));
    expect(run('LINSERT l AFTER b X')).toEqual(int(5));
    expect(run('LINSERT l before nothere Y')).toEqual(int(-1));
    expect(run('LTRIM l 0 -1')).toEqual({ type: 'status', value: 'OK' });
    expect(run('LTRIM l 1 -2')).toEqual({ type: 'status', value: 'OK' });
    expect(run('LRANGE l 0 -1')).toEqual(arr('X', 'c', 'b'));
    // 7 pushed + 1 set + 3 removed + 1 inserted + 2 trimmed; the no-op LTRIM is not propagated.
    expect(engine.dirty).toBe(14);
    expect(propagated.map((argv) => argv[0])).toEqual(['RPUSH', 'LSET', 'LREM', 'LREM', 'LINSERT', 'LTRIM']);
    expect(run('LTRIM l 5 2')).toEqual({ type: 'status', value: 'OK' });
    expect(engine.dbs[0]!.data.has('l')).toBe(false);
    expect(engine.dirty).toBe(17);
  });

  // Speed is the benchmark's business (npm run bench); this checks the deque at that scale.
  it('pushes 200,000 elements to one key and pops them all back in order', () => {
    const { engine, client } = lab({ epochMs: NEW_YEAR, record: false });
    for (let i = 0; i < 200_000; i++) engine.execute(client, ['LPUSH', 'mylist', String(i)]);
    expect(engine.execute(client, ['LLEN', 'mylist'])).toEqual({ type: 'integer', value: 200_000 });
    for (let i = 199_999; i >= 0; i--) expect(engine.execute(client, ['LPOP', 'mylist'])).toEqual({ type: 'bulk', value: String(i) });
    expect(engine.dbs[0]!.data.has('mylist')).toBe(false);
  });
});

describe('RedisList in-place edits', () => {
  /** A list whose ring buffer has wrapped around: its head sits near the end of the storage. */
  function wrapped(values: readonly string[]): RedisList {
    const list = new RedisList();
    for (let i = values.length - 1; i >= 0; i--) list.pushHead(values[i] as string);
    return list;
  }

  const model = fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 40 });

  it('insertAt matches an array splice at every position', () => {
    fc.assert(
      fc.property(model, fc.nat(), (values, at) => {
        const index = at % (values.length + 1);
        const list = wrapped(values);
        list.insertAt(index, 'X');
        const expected: string[] = [...values];
        expected.splice(index, 0, 'X');
        expect(list.toArray()).toEqual(expected);
      }),
      { seed: 1, numRuns: 300 },
    );
  });

  it('removeMatching matches a filter from either end', () => {
    fc.assert(
      fc.property(model, fc.nat({ max: 5 }), fc.boolean(), (values, limit, fromTail) => {
        const list = wrapped(values);
        const removed = list.removeMatching('a', limit, fromTail);
        const order = fromTail ? [...values].reverse() : [...values];
        let budget = limit === 0 ? Infinity : limit;
        const kept = order.filter((v) => !(v === 'a' && budget-- > 0));
        if (fromTail) kept.reverse();
        expect(list.toArray()).toEqual(kept);
        expect(removed).toBe(values.length - kept.length);
        list.pushHead('h');
        list.pushTail('t');
        expect(list.toArray()).toEqual(['h', ...kept, 't']);
      }),
      { seed: 2, numRuns: 300 },
    );
  });

  it('trim matches an array slice, and the list still works after shrinking', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 100 }), fc.nat(), fc.nat(), (values, a, b) => {
        const fromHead = a % (values.length + 1);
        const fromTail = b % (values.length - fromHead + 1);
        const list = wrapped(values);
        list.trim(fromHead, fromTail);
        const kept = values.slice(fromHead, values.length - fromTail);
        expect(list.toArray()).toEqual(kept);
        for (let i = 0; i < 20; i++) list.pushHead(`h${i}`);
        expect(list.at(20)).toBe(kept[0]);
        expect(list.length).toBe(kept.length + 20);
      }),
      { seed: 3, numRuns: 300 },
    );
  });
});

// ---- differential against redis-server 7.0.15 -------------------------------------------------

describe('lists against redis-server 7.0.15', () => {
  const real = realRedisAround(() => startAofRedis(PORT));

  it('replays test/scripts/lists.redis with the same replies, dirty counts and AOF', async () => {
    const lines = scriptFile('lists');
    expect(lines.length).toBeGreaterThan(300);
    await expectSameAsRedis(real(), wallClockEngine(), lines);
  });

  it('agrees on random command sequences', async () => {
    const key = fc.constantFrom('k1', 'k2', 'h');
    const element = fc.constantFrom('a', 'b', 'c', '""');
    const index = fc.oneof(fc.integer({ min: -6, max: 6 }), fc.constantFrom('x', '9223372036854775807', '-9223372036854775808'));
    const elements = fc.array(element, { minLength: 1, maxLength: 4 }).map((items) => items.join(' '));
    const command = fc.oneof(
      fc.tuple(fc.constantFrom('LPUSH', 'RPUSH', 'LPUSHX', 'RPUSHX'), key, elements).map((w) => w.join(' ')),
      fc.tuple(fc.constantFrom('LPOP', 'RPOP'), key).map((w) => w.join(' ')),
      fc.tuple(fc.constantFrom('LPOP', 'RPOP'), key, fc.oneof(fc.integer({ min: -1, max: 5 }), fc.constant('x'))).map((w) => w.join(' ')),
      fc.tuple(fc.constant('LLEN'), key).map((w) => w.join(' ')),
      fc.tuple(fc.constantFrom('LRANGE', 'LTRIM'), key, index, index).map((w) => w.join(' ')),
      fc.tuple(fc.constant('LINDEX'), key, index).map((w) => w.join(' ')),
      fc.tuple(fc.constant('LSET'), key, index, element).map((w) => w.join(' ')),
      fc.tuple(fc.constant('LREM'), key, index, element).map((w) => w.join(' ')),
      fc.tuple(fc.constant('LINSERT'), key, fc.constantFrom('BEFORE', 'after', 'x'), element, element).map((w) => w.join(' ')),
      fc.tuple(fc.constant('HSET'), key, element, element).map((w) => w.join(' ')),
    );
    const side = wallClockEngine();
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 40 }), (lines) =>
        expectSameAsRedis(real(), side, ['FLUSHALL', ...lines, 'LRANGE k1 0 -1', 'LRANGE k2 0 -1']),
      ),
      { seed: 7, numRuns: 150 },
    );
  });
});
