/**
 * The string commands: unit tests of replies, errors and their order, the dirty counter, keyspace
 * statistics and propagated forms (values observed on redis-server 7.0.15) on a fixed clock, and
 * differential runs against a real server (test/scripts/strings.redis and seeded random
 * sequences) comparing every reply, every dirty and keyspace hit/miss increment and the AOF.
 */
import fc from 'fast-check';
import { expectSameAsRedis, realRedisAround, startAofRedis, wallClockEngine } from '../support/differential.ts';
import { testPort } from '../support/real-redis.ts';
import { bulk, err, int, lab, NIL, NOT_AN_INTEGER, OK, START, SYNTAX, WRONGTYPE } from '../support/engine-kit.ts';
import { scriptFile } from '../support/redis-cli.ts';

const PORT = testPort(6442);

describe('GET and SET', () => {
  it('sets and gets, counting one change per SET and a hit or miss per GET', () => {
    const { engine, run, propagated } = lab();
    expect(run('GET k')).toEqual(NIL);
    expect(run('set k v')).toEqual(OK);
    expect(run('GET k')).toEqual(bulk('v'));
    expect(run('SET k w')).toEqual(OK);
    expect(engine.dirty).toBe(2);
    expect([engine.stats.keyspaceHits, engine.stats.keyspaceMisses]).toEqual([1, 1]);
    expect(propagated).toEqual([['set', 'k', 'v'], ['SET', 'k', 'w']]);
  });

  it('replaces any type and clears the TTL; GET of another type is WRONGTYPE', () => {
    const { run, db } = lab();
    db.set('h', new Map([['f', 'v']]));
    expect(run('GET h')).toEqual(WRONGTYPE);
    expect(run('SET h v EX 100')).toEqual(OK);
    expect(run('SET h w')).toEqual(OK);
    expect(run('TTL h')).toEqual(int(-1));
  });

  it('lets an expired key go before writing it, the DEL and the write wrapped in MULTI/EXEC as in 7.0', () => {
    const { engine, run, propagated } = lab();
    run('SET k v PX 10');
    run('SET gone v PX 10');
    engine.setClock(START + 11);
    propagated.length = 0;
    run('SET k w');
    expect(run('SETNX gone x')).toEqual(int(1));
    expect(propagated).toEqual([
      ['MULTI'], ['DEL', 'k'], ['SET', 'k', 'w'], ['EXEC'],
      ['MULTI'], ['DEL', 'gone'], ['SETNX', 'gone', 'x'], ['EXEC'],
    ]);
    expect(engine.stats.expiredKeys).toBe(2);
  });

  it('propagates every expiry option as SET key value PXAT <abs-ms>', () => {
    const { run, propagated } = lab();
    expect(run('SET a v EX 100')).toEqual(OK);
    expect(run('SET a v px 5000 NX')).toEqual(NIL);
    expect(run('SET a v px 5000 xx')).toEqual(OK);
    expect(run('SET a v EXAT 4000000000 GET')).toEqual(bulk('v'));
    expect(run('set a v pxat 4000000000123')).toEqual(OK);
    expect(run('SET a v EXAT 9223372036854775')).toEqual(OK);
    expect(propagated).toEqual([
      ['SET', 'a', 'v', 'PXAT', String(START + 100_000)],
      ['SET', 'a', 'v', 'PXAT', String(START + 5000)],
      ['SET', 'a', 'v', 'PXAT', '4000000000000'],
      ['SET', 'a', 'v', 'PXAT', '4000000000123'],
      ['SET', 'a', 'v', 'PXAT', '9223372036854775000'],
    ]);
  });

  it('drops every GET word from the propagated SET … GET and keeps the TTL with KEEPTTL', () => {
    const { run, propagated } = lab();
    run('SET k 1 PXAT 4000000000000');
    propagated.length = 0;
    expect(run('SET k 2 get KEEPTTL GET')).toEqual(bulk('1'));
    expect(run('PEXPIRETIME k')).toEqual(int(4000000000000));
    expect(run('SET k 3 NX GET')).toEqual(bulk('2'));
    expect(run('SET new 1 NX GET')).toEqual(NIL);
    expect(propagated).toEqual([['SET', 'k', '2', 'KEEPTTL'], ['SET', 'new', '1', 'NX']]);
  });

  it('stores an expiry already past; the key then expires at its next access', () => {
    const { run, propagated } = lab();
    expect(run('SET k v PXAT 1')).toEqual(OK);
    expect(run('EXISTS k')).toEqual(int(0));
    expect(propagated).toEqual([['SET', 'k', 'v', 'PXAT', '1'], ['DEL', 'k']]);
  });

  it('checks syntax, then the expiry, then WRONGTYPE (with GET), then NX/XX', () => {
    const { engine, run, db } = lab();
    db.set('l', new Map([['f', 'v']]));
    expect(run('SET l v NX XX GET')).toEqual(SYNTAX);
    expect(run('SET l v EX 1 PX 1')).toEqual(SYNTAX);
    expect(run('SET l v EX 10 KEEPTTL')).toEqual(SYNTAX);
    expect(run('SET l v EX')).toEqual(SYNTAX);
    expect(run('SET l v PERSIST')).toEqual(SYNTAX);
    expect(run('SET l v EX x GET')).toEqual(NOT_AN_INTEGER);
    expect(run('SET l v EX 0 GET')).toEqual(err("ERR invalid expire time in 'set' command"));
    expect(run('SET l v PX 9223372036854775807')).toEqual(err("ERR invalid expire time in 'set' command"));
    expect(run('SET l v EX 9223372036854776')).toEqual(err("ERR invalid expire time in 'set' command"));
    expect(run('SET l v XX GET')).toEqual(WRONGTYPE);
    expect(run('SET l v NX')).toEqual(NIL);
    expect(run('SET l v EX 5 EX 10')).toEqual(OK);
    expect(run('TTL l')).toEqual(int(10));
    expect(engine.dirty).toBe(1);
  });
});

describe('SETNX, SETEX, PSETEX, GETSET, GETDEL', () => {
  it('propagates SETEX and PSETEX as SET … PXAT, GETSET as SET, GETDEL as DEL', () => {
    const { engine, run, propagated } = lab();
    expect(run('SETNX k v')).toEqual(int(1));
    expect(run('SETNX k w')).toEqual(int(0));
    expect(run('SETEX k 10 a')).toEqual(OK);
    expect(run('psetex k 2500 b')).toEqual(OK);
    expect(run('PTTL k')).toEqual(int(2500));
    expect(run('GETSET k c')).toEqual(bulk('b'));
    expect(run('TTL k')).toEqual(int(-1));
    expect(run('GETDEL k')).toEqual(bulk('c'));
    expect(run('GETDEL k')).toEqual(NIL);
    expect(engine.dirty).toBe(5);
    expect(propagated).toEqual([
      ['SETNX', 'k', 'v'],
      ['SET', 'k', 'a', 'PXAT', String(START + 10_000)],
      ['SET', 'k', 'b', 'PXAT', String(START + 2500)],
      ['SET', 'k', 'c'],
      ['DEL', 'k'],
    ]);
  });

  it('SETEX checks the number, then its range', () => {
    const { run } = lab();
    expect(run('SETEX k x v')).toEqual(NOT_AN_INTEGER);
    expect(run('SETEX k 0 v')).toEqual(err("ERR invalid expire time in 'setex' command"));
    expect(run('PSETEX k -1 v')).toEqual(err("ERR invalid expire time in 'psetex' command"));
  });
});

describe('GETEX', () => {
  it('propagates PEXPIREAT, PERSIST or DEL, and nothing without options', () => {
    const { engine, run, propagated } = lab();
    run('SET k v');
    propagated.length = 0;
    expect(run('GETEX k')).toEqual(bulk('v'));
    expect(run('GETEX k EX 10')).toEqual(bulk('v'));
    expect(run('GETEX k PXAT 4000000000000')).toEqual(bulk('v'));
    expect(run('GETEX k PERSIST')).toEqual(bulk('v'));
    expect(run('GETEX k PERSIST')).toEqual(bulk('v'));
    expect(run(`GETEX k PXAT ${START}`)).toEqual(bulk('v'));
    expect(run('EXISTS k')).toEqual(int(0));
    expect(engine.dirty).toBe(5);
    expect(propagated).toEqual([
      ['PEXPIREAT', 'k', String(START + 10_000)],
      ['PEXPIREAT', 'k', '4000000000000'],
      ['PERSIST', 'k'],
      ['DEL', 'k'],
    ]);
  });

  it('checks syntax, then the key, then the time', () => {
    const { run, db } = lab();
    db.set('l', new Map([['f', 'v']]));
    expect(run('GETEX nokey KEEPTTL')).toEqual(SYNTAX);
    expect(run('GETEX nokey EX 10 PERSIST')).toEqual(SYNTAX);
    expect(run('GETEX nokey EX x')).toEqual(NIL);
    expect(run('GETEX l EX 0')).toEqual(WRONGTYPE);
    run('SET k v');
    expect(run('GETEX k EX 0')).toEqual(err("ERR invalid expire time in 'getex' command"));
  });
});

describe('MGET, MSET, MSETNX', () => {
  it('counts one change per pair, and MSETNX writes all or nothing', () => {
    const { engine, run, db } = lab();
    db.set('h', new Map([['f', 'v']]));
    expect(run('MSET a 1 b 2 a 3')).toEqual(OK);
    expect(engine.dirty).toBe(3);
    expect(run('MGET a b h nokey')).toEqual({ type: 'array', value: [bulk('3'), bulk('2'), NIL, NIL] });
    expect([engine.stats.keyspaceHits, engine.stats.keyspaceMisses]).toEqual([3, 1]);
    expect(run('MSETNX a 1 c 2')).toEqual(int(0));
    expect(run('MSETNX c 1 d 2')).toEqual(int(1));
    expect(engine.dirty).toBe(5);
    expect(run('MSET a 1 b')).toEqual(err("ERR wrong number of arguments for 'mset' command"));
    expect(run('MSETNX a 1 b')).toEqual(err("ERR wrong number of arguments for 'msetnx' command"));
  });
});

describe('APPEND, STRLEN, GETRANGE, SETRANGE', () => {
  it('edits in place, keeping the TTL', () => {
    const { run } = lab();
    run('SET k hello PX 5000');
    expect(run('APPEND k " world"')).toEqual(int(11));
    expect(run('SETRANGE k 0 J')).toEqual(int(11));
    expect(run('GET k')).toEqual(bulk('Jello world'));
    expect(run('PTTL k')).toEqual(int(5000));
    expect(run('STRLEN k')).toEqual(int(11));
  });

  it('pads SETRANGE with zero bytes and creates only for a non-empty value', () => {
    const { engine, run } = lab();
    expect(run('SETRANGE k 0 ""')).toEqual(int(0));
    expect(run('EXISTS k')).toEqual(int(0));
    expect(run('SETRANGE k 3 ab')).toEqual(int(5));
    expect(run('GET k')).toEqual(bulk('\0\0\0ab'));
    expect(run('APPEND e ""')).toEqual(int(0));
    expect(run('EXISTS e')).toEqual(int(1));
    expect(engine.dirty).toBe(2);
  });

  it('refuses strings past 512 MB, and past what JavaScript can hold', () => {
    const { run } = lab();
    expect(run('SETRANGE k 536870912 x')).toEqual(err('ERR string exceeds maximum allowed size (proto-max-bulk-len)'));
    expect(run('SETRANGE k 9223372036854775807 x')).toEqual(err('ERR string exceeds maximum allowed size (proto-max-bulk-len)'));
    expect(run('SETRANGE k -1 x')).toEqual(err('ERR offset is out of range'));
    expect(run('SETRANGE k 536870900 x')).toEqual(err("OOM command not allowed when used memory > 'maxmemory'."));
    expect(run('EXISTS k')).toEqual(int(0));
  });

  it('refuses to grow the dataset past the 512 MB a browser tab holds, with the same answer', () => {
    const { run } = lab();
    const oom = err("OOM command not allowed when used memory > 'maxmemory'.");
    expect(run('SETRANGE a 300000000 x')).toEqual(int(300_000_001));
    expect(run('SETRANGE b 300000000 x')).toEqual(oom);
    expect(run('SETRANGE b 200000000 x')).toEqual(int(200_000_001));
    expect(run('APPEND b 0123456789'.padEnd(60_000_000 + 9, 'y'))).toEqual(oom);
    expect(run('SETRANGE a 10 patch')).toEqual(int(300_000_001)); // a write inside a string grows nothing
    expect(run('MGET a b')).toMatchObject({ type: 'array', value: [{ type: 'bulk' }, { type: 'bulk' }] });
    expect(run('STRLEN b')).toEqual(int(200_000_001));
    run('DEL a');
    expect(run('APPEND b xyz')).toEqual(int(200_000_004));
  });

  it('GETRANGE clamps like Redis, exact beyond 2^53', () => {
    const { run } = lab();
    run('SET s "Hello World"');
    expect(run('GETRANGE s -5 -1')).toEqual(bulk('World'));
    expect(run('GETRANGE s -1 -5')).toEqual(bulk(''));
    expect(run('GETRANGE s -9223372036854775808 -9223372036854775807')).toEqual(bulk('H'));
    expect(run('GETRANGE s -9223372036854775807 -9223372036854775808')).toEqual(bulk(''));
    expect(run('GETRANGE s 0 9223372036854775807')).toEqual(bulk('Hello World'));
    expect(run('GETRANGE nokey x 0')).toEqual(NOT_AN_INTEGER);
    expect(run('SUBSTR s 0 4')).toEqual(bulk('Hello'));
  });
});

describe('INCR, DECR, INCRBY, DECRBY, INCRBYFLOAT', () => {
  it('adds in int64, keeping the TTL, propagating as sent', () => {
    const { engine, run, propagated } = lab();
    run('SET n 10 PX 5000');
    propagated.length = 0;
    expect(run('INCR n')).toEqual(int(11));
    expect(run('decrby n 20')).toEqual(int(-9));
    expect(run('PTTL n')).toEqual(int(5000));
    expect(run('INCRBY big 9007199254740993')).toEqual(int(9007199254740993n));
    expect(run('INCRBY big -2')).toEqual(int(9007199254740991));
    expect(engine.dirty).toBe(5);
    expect(propagated).toEqual([['INCR', 'n'], ['decrby', 'n', '20'], ['INCRBY', 'big', '9007199254740993'], ['INCRBY', 'big', '-2']]);
  });

  it('refuses to overflow and checks the increment before the type', () => {
    const { engine, run, db } = lab();
    run('SET max 9223372036854775807');
    expect(run('INCR max')).toEqual(err('ERR increment or decrement would overflow'));
    expect(run('DECRBY max -1')).toEqual(err('ERR increment or decrement would overflow'));
    expect(run('DECRBY max -9223372036854775808')).toEqual(err('ERR decrement would overflow'));
    expect(run('DECRBY max 9223372036854775807')).toEqual(int(0));
    db.set('h', new Map([['f', 'v']]));
    expect(run('INCRBY h x')).toEqual(NOT_AN_INTEGER);
    expect(run('INCRBY h 1')).toEqual(WRONGTYPE);
    run('SET s 01');
    expect(run('INCR s')).toEqual(NOT_AN_INTEGER);
    expect(engine.dirty).toBe(3);
  });

  it('INCRBYFLOAT adds in long double and propagates SET key result KEEPTTL', () => {
    const { run, propagated } = lab();
    run('SET f 5.0e3 PX 5000');
    propagated.length = 0;
    expect(run('INCRBYFLOAT f 0.1')).toEqual(bulk('5000.10000000000000009'));
    expect(run('PTTL f')).toEqual(int(5000));
    expect(run('INCRBYFLOAT f x')).toEqual(err('ERR value is not a valid float'));
    expect(run('INCRBYFLOAT f inf')).toEqual(err('ERR increment would produce NaN or Infinity'));
    expect(propagated).toEqual([['SET', 'f', '5000.10000000000000009', 'KEEPTTL']]);
  });
});

// ---- differential against redis-server 7.0.15 -------------------------------------------------

describe('string commands against redis-server 7.0.15', () => {
  const real = realRedisAround(() => startAofRedis(PORT));

  it('replays test/scripts/strings.redis with the same replies, dirty counts, statistics and AOF', async () => {
    const lines = scriptFile('strings');
    expect(lines.length).toBeGreaterThan(450);
    await expectSameAsRedis(real(), wallClockEngine(), lines, { wallClockExpiries: true });
  });

  it('agrees on random command sequences', async () => {
    const key = fc.constantFrom('k1', 'k2', 'k3', 'l');
    const value = fc.constantFrom('v', '""', '1', '-7', '10', '3.5', '9223372036854775807', '-9223372036854775808', '1e3', 'abc');
    const integer = fc.constantFrom('0', '1', '-1', '5', '9223372036854775807', '-9223372036854775808', 'x', '1.5');
    const float = fc.constantFrom('0', '1.5', '-0.1', '1e3', 'inf', 'x', '5.0e-3');
    const index = fc.constantFrom('0', '1', '-1', '3', '-3', '100', 'x');
    // No absolute times in the past here: when the real server's active expiry logs their DEL
    // depends on its wall clock, a race; the unit tests above cover them on a fixed clock.
    const setOption = fc.constantFrom('', 'NX', 'XX', 'GET', 'EX 100', 'PX 200000', 'EXAT 4000000000', 'KEEPTTL', 'NX GET', 'XX GET EX 100', 'EX 0', 'EX 10 PX 10', 'bogus');
    const getexOption = fc.constantFrom('', 'EX 100', 'PX 300000', 'EXAT 4000000000', 'PERSIST', 'EX 0', 'KEEPTTL');
    const command = fc.oneof(
      fc.tuple(fc.constant('SET'), key, value, setOption).map((w) => w.join(' ')),
      fc.tuple(fc.constantFrom('SETNX', 'GETSET', 'APPEND'), key, value).map((w) => w.join(' ')),
      fc.tuple(fc.constant('SETEX'), key, fc.constantFrom('100', '0', 'x'), value).map((w) => w.join(' ')),
      fc.tuple(fc.constantFrom('GET', 'GETDEL', 'STRLEN', 'INCR', 'DECR', 'TTL', 'EXISTS'), key).map((w) => w.join(' ')),
      fc.tuple(fc.constant('GETEX'), key, getexOption).map((w) => w.join(' ')),
      fc.tuple(fc.constantFrom('INCRBY', 'DECRBY'), key, integer).map((w) => w.join(' ')),
      fc.tuple(fc.constant('INCRBYFLOAT'), key, float).map((w) => w.join(' ')),
      fc.tuple(fc.constant('GETRANGE'), key, index, index).map((w) => w.join(' ')),
      fc.tuple(fc.constant('SETRANGE'), key, index, value).map((w) => w.join(' ')),
      fc.tuple(fc.constantFrom('MGET', 'MSET', 'MSETNX'), fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 3 })).map(([c, pairs]) =>
        c === 'MGET' ? `MGET ${pairs.map(([k]) => k).join(' ')}` : `${c} ${pairs.map((p) => p.join(' ')).join(' ')}`,
      ),
      fc.tuple(fc.constant('RPUSH'), key, fc.constantFrom('a', 'b')).map((w) => w.join(' ')),
    );
    const side = wallClockEngine();
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 40 }), (lines) =>
        expectSameAsRedis(real(), side, ['FLUSHALL', ...lines, 'MGET k1 k2 k3'], { wallClockExpiries: true }),
      ),
      { seed: 20261124, numRuns: 150 },
    );
  });
});
