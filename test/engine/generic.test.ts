/**
 * The generic keyspace commands: unit tests of replies, errors, the dirty counter, keyspace
 * statistics and propagation (values observed on redis-server 7.0.15), SCAN's guarantee under
 * concurrent changes, exact TTL arithmetic on the fixed clock, and differential runs against a
 * real server (test/scripts/generic.redis and seeded random sequences) comparing every reply,
 * every dirty and keyspace hit/miss increment and the AOF the real server wrote.
 */
import fc from 'fast-check';
import type { Reply } from '../../src/codec/reply.ts';
import { expectSameAsRedis, realRedisAround, startAofRedis, wallClockEngine } from '../support/differential.ts';
import { testPort } from '../support/real-redis.ts';
import { arr, bulk, err, int, lab, OK, START, type Lab } from '../support/engine-kit.ts';
import { scriptFile } from '../support/redis-cli.ts';

const PORT = testPort(6441);

/** SCAN's reply as [cursor, keys]. */
function scanReply(reply: Reply): [string, string[]] {
  if (reply.type !== 'array' || reply.value === null) throw new Error(`not a SCAN reply: ${JSON.stringify(reply)}`);
  const [cursor, keys] = reply.value as [Reply, Reply];
  return [cursor.value as string, (keys.value as Reply[]).map((k) => k.value as string)];
}

describe('DEL, UNLINK, EXISTS, TYPE', () => {
  it('deletes, counts each removed key as a change, and propagates only real deletions', () => {
    const { engine, run, propagated } = lab();
    run('MSET a 1 b 2 c 3');
    expect(run('DEL a b nokey b')).toEqual(int(2));
    expect(run('UNLINK c nokey')).toEqual(int(1));
    expect(run('DEL nokey')).toEqual(int(0));
    expect(engine.dirty).toBe(6);
    expect(propagated).toEqual([
      ['MSET', 'a', '1', 'b', '2', 'c', '3'],
      ['DEL', 'a', 'b', 'nokey', 'b'],
      ['UNLINK', 'c', 'nokey'],
    ]);
  });

  it('lets an expired key go as an expiry, not as a deletion', () => {
    const { engine, run, propagated } = lab();
    run('MSET a 1 b 2 c 3');
    run('PEXPIRE a 100');
    run('PEXPIRE b 100');
    // setClock skips serverCron, so only lazy expiry can find them.
    engine.setClock(START + 101);
    propagated.length = 0;
    const dirty = engine.dirty;
    expect(run('DEL a b')).toEqual(int(0));
    expect(engine.dirty).toBe(dirty);
    // Two expiries in one command: Redis 7.0 wraps them in MULTI/EXEC; DEL itself changed nothing.
    expect(propagated).toEqual([['MULTI'], ['DEL', 'a'], ['DEL', 'b'], ['EXEC']]);
    expect(engine.stats.expiredKeys).toBe(2);
  });

  it('EXISTS counts repeats; EXISTS and TYPE count keyspace hits and misses', () => {
    const { engine, run, db } = lab();
    run('SET a 1');
    expect(run('EXISTS a a nokey a')).toEqual(int(3));
    expect([engine.stats.keyspaceHits, engine.stats.keyspaceMisses]).toEqual([3, 1]);
    db.set('l', new Map([['f', 'v']]));
    expect(run('TYPE a')).toEqual({ type: 'status', value: 'string' });
    expect(run('TYPE nokey')).toEqual({ type: 'status', value: 'none' });
    expect(run('TYPE l')).toEqual({ type: 'status', value: 'hash' });
    expect([engine.stats.keyspaceHits, engine.stats.keyspaceMisses]).toEqual([5, 2]);
  });
});

describe('KEYS', () => {
  it('skips expired keys without deleting them', () => {
    const { engine, run, db, propagated } = lab();
    run('MSET one 1 two 2 three 3');
    run('PEXPIRE two 10');
    engine.setClock(START + 11);
    propagated.length = 0;
    expect(run('KEYS *')).toEqual(arr('one', 'three'));
    expect(run('KEYS t*')).toEqual(arr('three'));
    expect(db.data.has('two')).toBe(true);
    expect(propagated).toEqual([]);
    expect(engine.stats.keyspaceHits + engine.stats.keyspaceMisses).toBe(0);
  });
});

describe('SCAN', () => {
  it('reads the cursor as C strtoul does', () => {
    const { run } = lab();
    run('SET a 1');
    for (const cursor of ['0', '00', '+0', '""', '"0\\x00junk"']) expect(scanReply(run(`SCAN ${cursor}`))).toEqual(['0', ['a']]);
    for (const cursor of ['abc', '" 1"', '"1 "', '0x1', '1.5', '-', '+', '18446744073709551616', '-18446744073709551616']) {
      expect(run(`SCAN ${cursor}`)).toEqual(err('ERR invalid cursor'));
    }
    // Past the lab's cursor space (wrapped negatives included): nothing left.
    for (const cursor of ['18446744073709551615', '-1', '4294967296']) expect(scanReply(run(`SCAN ${cursor}`))).toEqual(['0', []]);
  });

  it('checks options left to right, after the cursor', () => {
    const { run } = lab();
    expect(run('SCAN x COUNT 0')).toEqual(err('ERR invalid cursor'));
    expect(run('SCAN 0 COUNT 0')).toEqual(err('ERR syntax error'));
    expect(run('SCAN 0 COUNT x MATCH')).toEqual(err('ERR value is not an integer or out of range'));
    expect(run('SCAN 0 MATCH')).toEqual(err('ERR syntax error'));
    expect(run('SCAN 0 COUNT 5 BOGUS x')).toEqual(err('ERR syntax error'));
    expect(run('SCAN 0 COUNT 9223372036854775807')).toEqual({ type: 'array', value: [bulk('0'), arr()] });
  });

  it('walks every key exactly once, in small steps, in hash order', () => {
    const { run } = lab();
    const keys = Array.from({ length: 1000 }, (_, i) => `key:${i}`);
    run(`MSET ${keys.map((k) => `${k} v`).join(' ')}`);
    const seen: string[] = [];
    let cursor = '0';
    let calls = 0;
    do {
      const [next, batch] = scanReply(run(`SCAN ${cursor} COUNT 7`));
      expect(batch.length).toBeGreaterThanOrEqual(next === '0' ? 0 : 7);
      seen.push(...batch);
      if (next !== '0') expect(Number(next)).toBeGreaterThan(Number(cursor));
      cursor = next;
      calls++;
    } while (cursor !== '0');
    expect(calls).toBeGreaterThanOrEqual(1000 / 7);
    expect(seen.length).toBe(1000);
    expect(new Set(seen)).toEqual(new Set(keys));
  });

  it('depends only on the keyspace and the cursor, not on insertion order', () => {
    const a = lab();
    const b = lab();
    const keys = Array.from({ length: 50 }, (_, i) => `k${i}`);
    a.run(`MSET ${keys.map((k) => `${k} v`).join(' ')}`);
    b.run(`MSET ${[...keys].reverse().map((k) => `${k} v`).join(' ')}`);
    for (const line of ['SCAN 0 COUNT 5', 'SCAN 0', 'SCAN 123456789 COUNT 3', 'SCAN 0 COUNT 100']) expect(a.run(line)).toEqual(b.run(line));
  });

  it('returns every key present for the whole iteration, whatever changes meanwhile', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('scan' as const), count: fc.integer({ min: 1, max: 12 }) }),
      fc.record({ kind: fc.constantFrom('add' as const, 'del' as const), key: fc.integer({ min: 0, max: 80 }) }),
    );
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 80 }), { maxLength: 60 }), fc.array(op, { maxLength: 120 }), (initial, ops) => {
        const { run } = lab();
        if (initial.length !== 0) run(`MSET ${initial.map((k) => `k${k} v`).join(' ')}`);
        const alwaysThere = new Set(initial.map((k) => `k${k}`));
        const seen = new Set<string>();
        let cursor = '0';
        for (const o of [...ops, ...Array.from({ length: 200 }, () => ({ kind: 'scan' as const, count: 10 }))]) {
          if (o.kind === 'scan') {
            const [next, batch] = scanReply(run(`SCAN ${cursor} COUNT ${o.count}`));
            batch.forEach((k) => seen.add(k));
            cursor = next;
            if (cursor === '0') break;
          } else {
            run(o.kind === 'add' ? `SET k${o.key} v` : `DEL k${o.key}`);
            alwaysThere.delete(`k${o.key}`);
          }
        }
        expect(cursor).toBe('0');
        for (const key of alwaysThere) expect(seen.has(key)).toBe(true);
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('filters by pattern, then type (a counted read), then expiry; TYPE none finds a key that just expired', () => {
    const { engine, run, db, propagated } = lab();
    run('MSET a 1 b 2');
    run('RPUSH l x');
    run('PEXPIRE a 10');
    engine.setClock(START + 11);
    propagated.length = 0;
    expect(scanReply(run('SCAN 0 MATCH b'))).toEqual(['0', ['b']]);
    expect(db.data.has('a')).toBe(true);
    expect(scanReply(run('SCAN 0 TYPE LIST'))).toEqual(['0', ['l']]);
    expect([engine.stats.keyspaceHits, engine.stats.keyspaceMisses]).toEqual([2, 1]);
    expect(propagated).toEqual([['DEL', 'a']]);
    run('SET c 3 PX 5');
    engine.setClock(START + 17);
    expect(scanReply(run('SCAN 0 TYPE none'))).toEqual(['0', ['c']]);
    expect(db.data.has('c')).toBe(false);
    run('SET d 4 PX 5');
    engine.setClock(START + 23);
    expect(scanReply(run('SCAN 0')).at(1)).not.toContain('d');
    expect(db.data.has('d')).toBe(false);
  });
});

describe('RANDOMKEY', () => {
  it('draws with the seeded generator and redraws after deleting an expired draw', () => {
    const first = lab({ seed: 42 });
    const second = lab({ seed: 42 });
    for (const s of [first, second]) s.run(`MSET ${Array.from({ length: 20 }, (_, i) => `k${i} v`).join(' ')}`);
    const draws = (s: Lab) => Array.from({ length: 10 }, () => s.run('RANDOMKEY'));
    expect(draws(first)).toEqual(draws(second));
    const { engine, run, db } = lab();
    expect(run('RANDOMKEY')).toEqual(bulk(null));
    run('MSET a 1 b 2 c 3');
    run('PEXPIRE a 1');
    run('PEXPIRE b 1');
    engine.setClock(START + 2);
    for (let i = 0; i < 5; i++) expect(run('RANDOMKEY')).toEqual(bulk('c'));
    run('PEXPIRE c 1');
    engine.setClock(START + 4);
    expect(run('RANDOMKEY')).toEqual(bulk(null));
    expect(db.size).toBe(0);
  });
});

describe('RENAME, RENAMENX', () => {
  it('moves the value with its TTL, overwrites (RENAME) or refuses (RENAMENX)', () => {
    const { engine, run, propagated } = lab();
    run('SET a 1 PX 5000');
    run('SET b 2 PX 9000');
    expect(run('RENAME a b')).toEqual(OK);
    expect(run('PTTL b')).toEqual(int(5000));
    expect(run('RENAMENX b b')).toEqual(int(0));
    expect(run('RENAME b b')).toEqual(OK);
    run('SET c 3');
    expect(run('RENAMENX b c')).toEqual(int(0));
    expect(run('RENAMENX b d')).toEqual(int(1));
    expect(run('PTTL d')).toEqual(int(5000));
    expect(run('RENAME nokey x')).toEqual(err('ERR no such key'));
    expect(engine.dirty).toBe(5);
    expect(propagated.slice(2)).toEqual([['RENAME', 'a', 'b'], ['SET', 'c', '3'], ['RENAMENX', 'b', 'd']]);
  });
});

describe('EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT, PERSIST', () => {
  it('propagates relative and second-based times as PEXPIREAT <abs-ms>, flags kept', () => {
    const { run, propagated } = lab();
    run('SET k v');
    propagated.length = 0;
    expect(run('EXPIRE k 100')).toEqual(int(1));
    expect(run('pexpire k 5000 GT')).toEqual(int(0));
    expect(run('pexpire k 500000 GT')).toEqual(int(1));
    expect(run('EXPIREAT k 4000000000 xx')).toEqual(int(1));
    expect(run('pexpireat k 4000000000001')).toEqual(int(1));
    expect(run('EXPIREAT k 9223372036854775')).toEqual(int(1));
    expect(propagated).toEqual([
      ['PEXPIREAT', 'k', String(START + 100_000)],
      ['PEXPIREAT', 'k', String(START + 500_000), 'GT'],
      ['PEXPIREAT', 'k', '4000000000000', 'xx'],
      ['pexpireat', 'k', '4000000000001'],
      // Beyond 2^53: the propagated text stays exact.
      ['PEXPIREAT', 'k', '9223372036854775000'],
    ]);
  });

  it('deletes the key when the time has passed (at or before now), propagating DEL', () => {
    const { engine, run, propagated } = lab();
    run('MSET a 1 b 2 c 3');
    propagated.length = 0;
    expect(run('EXPIRE a 0')).toEqual(int(1));
    expect(run(`PEXPIREAT b ${START}`)).toEqual(int(1));
    expect(run(`PEXPIREAT c ${START + 1}`)).toEqual(int(1));
    expect(run('EXISTS a b c')).toEqual(int(1));
    expect(engine.dirty).toBe(6);
    expect(propagated).toEqual([['DEL', 'a'], ['DEL', 'b'], ['PEXPIREAT', 'c', String(START + 1)]]);
  });

  it('checks options, then the time, then the key', () => {
    const { run } = lab();
    expect(run('EXPIRE nokey x nx Foo')).toEqual(err('ERR Unsupported option Foo'));
    expect(run('EXPIRE nokey x nx gt')).toEqual(err('ERR NX and XX, GT or LT options at the same time are not compatible'));
    expect(run('EXPIRE nokey x gt lt')).toEqual(err('ERR GT and LT options at the same time are not compatible'));
    expect(run('EXPIRE nokey x')).toEqual(err('ERR value is not an integer or out of range'));
    expect(run('EXPIRE nokey 9223372036854776')).toEqual(err("ERR invalid expire time in 'expire' command"));
    expect(run('PEXPIRE nokey 9223372036854775807')).toEqual(err("ERR invalid expire time in 'pexpire' command"));
    expect(run('EXPIREAT nokey -9223372036854776')).toEqual(err("ERR invalid expire time in 'expireat' command"));
    expect(run('EXPIRE nokey 10')).toEqual(int(0));
  });

  it('treats no TTL as infinite for GT and LT', () => {
    const { run } = lab();
    run('SET k v');
    expect(run('EXPIRE k 100 GT')).toEqual(int(0));
    expect(run('EXPIRE k 100 LT')).toEqual(int(1));
    expect(run('PERSIST k')).toEqual(int(1));
    expect(run('PERSIST k')).toEqual(int(0));
    expect(run('PERSIST nokey')).toEqual(int(0));
  });
});

describe('TTL, PTTL, EXPIRETIME, PEXPIRETIME', () => {
  it('reads the time left and rounds seconds to nearest; a key lives through its expiry millisecond', () => {
    const { engine, run } = lab();
    run('SET k v');
    expect(run('TTL k')).toEqual(int(-1));
    expect(run('PTTL nokey')).toEqual(int(-2));
    run('PEXPIRE k 1500');
    expect([run('PTTL k'), run('TTL k')]).toEqual([int(1500), int(2)]);
    engine.setClock(START + 1);
    expect([run('PTTL k'), run('TTL k')]).toEqual([int(1499), int(1)]);
    expect([run('PEXPIRETIME k'), run('EXPIRETIME k')]).toEqual([int(START + 1500), int(Math.floor((START + 1500 + 500) / 1000))]);
    engine.setClock(START + 1500);
    expect([run('PTTL k'), run('TTL k'), run('EXISTS k')]).toEqual([int(0), int(0), int(1)]);
    engine.setClock(START + 1501);
    expect(run('PTTL k')).toEqual(int(-2));
  });

  it('rounds EXPIRETIME to the nearest second', () => {
    const { run } = lab();
    run('SET k v');
    run('PEXPIREAT k 4000000000500');
    expect(run('EXPIRETIME k')).toEqual(int(4000000001));
    run('PEXPIREAT k 4000000000499');
    expect(run('EXPIRETIME k')).toEqual(int(4000000000));
  });
});

// ---- differential against redis-server 7.0.15 -------------------------------------------------

describe('generic commands against redis-server 7.0.15', () => {
  const real = realRedisAround(() => startAofRedis(PORT));

  it('replays test/scripts/generic.redis with the same replies, dirty counts, statistics and AOF', async () => {
    const lines = scriptFile('generic');
    expect(lines.length).toBeGreaterThan(350);
    await expectSameAsRedis(real(), wallClockEngine(), lines, { wallClockExpiries: true });
  });

  it('agrees on random command sequences', async () => {
    const key = fc.constantFrom('k1', 'k2', 'k3', 'l', '""');
    const flag = fc.constantFrom('', 'NX', 'XX', 'GT', 'LT', 'nx xx', 'gt lt', 'bogus');
    // Relative times far enough apart that the two clocks' few milliseconds never tip GT or LT.
    const seconds = fc.constantFrom('-5', '0', '100', '200', '300', 'x', '9223372036854775807');
    const milliseconds = fc.constantFrom('-5', '0', '100000', '200000', '300000', 'x', '9223372036854775807');
    const unixSeconds = fc.constantFrom('1', '4000000000', '4100000000', '-1', 'x');
    const unixMilliseconds = fc.constantFrom('1', '4000000000123', '4100000000123', '-1', 'x');
    const command = fc.oneof(
      fc.tuple(fc.constantFrom('SET', 'SETNX'), key, fc.constantFrom('v', '1')).map((w) => w.join(' ')),
      fc.tuple(fc.constant('RPUSH'), key, fc.constantFrom('a', 'b')).map((w) => w.join(' ')),
      fc.tuple(fc.constantFrom('DEL', 'UNLINK', 'EXISTS'), fc.array(key, { minLength: 1, maxLength: 3 })).map(([c, ks]) => `${c} ${ks.join(' ')}`),
      fc.tuple(fc.constantFrom('TYPE', 'TTL', 'PERSIST'), key).map((w) => w.join(' ')),
      fc.tuple(fc.constantFrom('RENAME', 'RENAMENX'), key, key).map((w) => w.join(' ')),
      fc.tuple(fc.constant('EXPIRE'), key, seconds, flag).map((w) => w.join(' ')),
      fc.tuple(fc.constant('PEXPIRE'), key, milliseconds, flag).map((w) => w.join(' ')),
      fc.tuple(fc.constant('EXPIREAT'), key, unixSeconds, flag).map((w) => w.join(' ')),
      fc.tuple(fc.constant('PEXPIREAT'), key, unixMilliseconds, flag).map((w) => w.join(' ')),
      // SCAN with fewer keys than COUNT: Redis then returns them all, so the replies compare.
      fc.constantFrom('KEYS *', 'KEYS k?', 'SCAN 0', 'SCAN 0 MATCH k*', 'SCAN 0 TYPE list', 'SCAN 0 TYPE string', 'RANDOMKEY'),
    );
    const side = wallClockEngine();
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 40 }), (lines) =>
        expectSameAsRedis(real(), side, ['FLUSHALL', ...lines, 'KEYS *'], { wallClockExpiries: true }),
      ),
      { seed: 20261123, numRuns: 150 },
    );
  });
});
