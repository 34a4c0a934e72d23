/**
 * The configuration: each directive's validation and normal form (captured from a real
 * redis-server 7.0.15), startup options, CONFIG SET's all-or-nothing semantics, its events and
 * its effect on serverCron, and seeded random CONFIG SET / CONFIG GET sequences compared with a
 * real server.
 */
import fc from 'fast-check';
import { Config, DEFAULT_CONFIG, parseDirective } from '../../src/engine/config.ts';
import type { EngineEvent } from '../../src/engine/index.ts';
import { compareWithRedis } from '../support/compare.ts';
import { realRedisAround, wallClockEngine } from '../support/differential.ts';
import { lab, NEW_YEAR } from '../support/engine-kit.ts';
import { startRealRedis, testPort } from '../support/real-redis.ts';

const REAL_PORT = testPort(6471);

const accepted = (value: string) => ({ ok: true, value });
const refused = (error: string) => ({ ok: false, error });

describe('directive values', () => {
  const NOT_INTEGER = refused("argument couldn't be parsed into an integer");
  const INT_RANGE = refused('argument must be between 0 and 2147483647 inclusive');
  const MEMORY = refused('argument must be a memory value');
  const MEMORY_RANGE = refused('argument must be between 0 and 9223372036854775807 inclusive');
  const SAVE = refused('Invalid save parameters');

  it.each([
    ['appendonly', 'YES', accepted('yes')],
    ['appendonly', 'No', accepted('no')],
    ['rdbcompression', '1', refused("argument must be 'yes' or 'no'")],
    ['appendfsync', 'ALWAYS', accepted('always')],
    ['appendfsync', 'sometimes', refused('argument(s) must be one of the following: everysec, always, no')],
    ['hz', '0', accepted('1')],
    ['hz', '1000', accepted('500')],
    ['hz', '2147483647', accepted('500')],
    ['hz', '-5', INT_RANGE],
    ['hz', '2147483648', INT_RANGE],
    ['hz', '9223372036854775807', INT_RANGE],
    ['hz', '9223372036854775808', NOT_INTEGER],
    ['hz', '010', NOT_INTEGER],
    ['hz', '+5', NOT_INTEGER],
    ['hz', '-0', NOT_INTEGER],
    ['hz', '1.5', NOT_INTEGER],
    ['hz', '', NOT_INTEGER],
    ['auto-aof-rewrite-percentage', '0', accepted('0')],
    ['auto-aof-rewrite-percentage', '50%', NOT_INTEGER],
    ['auto-aof-rewrite-min-size', '64mb', accepted('67108864')],
    ['auto-aof-rewrite-min-size', '1k', accepted('1000')],
    ['auto-aof-rewrite-min-size', '1KB', accepted('1024')],
    ['auto-aof-rewrite-min-size', '2g', accepted('2000000000')],
    ['auto-aof-rewrite-min-size', '3Gb', accepted('3221225472')],
    ['auto-aof-rewrite-min-size', '05', accepted('5')],
    ['auto-aof-rewrite-min-size', '', accepted('0')],
    ['auto-aof-rewrite-min-size', 'mb', accepted('0')],
    ['auto-aof-rewrite-min-size', '10B', accepted('10')],
    ['auto-aof-rewrite-min-size', `${'0'.repeat(126)}5kb`, accepted('5120')],
    ['auto-aof-rewrite-min-size', `${'0'.repeat(127)}5`, MEMORY],
    ['auto-aof-rewrite-min-size', '1t', MEMORY],
    ['auto-aof-rewrite-min-size', '-1', MEMORY],
    ['auto-aof-rewrite-min-size', '+5', MEMORY],
    ['auto-aof-rewrite-min-size', '1.5mb', MEMORY],
    ['auto-aof-rewrite-min-size', ' 5', MEMORY],
    ['auto-aof-rewrite-min-size', '9223372036854775807', accepted('9223372036854775807')],
    ['auto-aof-rewrite-min-size', '9223372036854775808', MEMORY_RANGE],
    ['auto-aof-rewrite-min-size', '99999999999999999999999999', MEMORY_RANGE],
    ['auto-aof-rewrite-min-size', '8589934591gb', accepted('9223372035781033984')],
    ['auto-aof-rewrite-min-size', '8589934592gb', MEMORY_RANGE],
    ['auto-aof-rewrite-min-size', '17179869184gb', accepted('0')],
    ['save', '', accepted('')],
    ['save', '100 10', accepted('100 10')],
    ['save', '010 +5', accepted('10 5')],
    ['save', '100 ', accepted('100 0')],
    ['save', '\t100 10', accepted('100 10')],
    ['save', '100 \n7', accepted('100 7')],
    ['save', '100 4294967295', accepted('100 -1')],
    ['save', '100 2147483648', accepted('100 -2147483648')],
    ['save', '100 99999999999999999999', accepted('100 -1')],
    ['save', '99999999999999999999 1', accepted('9223372036854775807 1')],
    ['save', '100', SAVE],
    ['save', '0 10', SAVE],
    ['save', '100 -1', SAVE],
    ['save', '100 10 ', SAVE],
    ['save', '100  10', SAVE],
    ['save', ' ', SAVE],
    ['save', '5 +', SAVE],
    ['save', '0x10 1', SAVE],
    ['dbfilename', 'a/b', refused("dbfilename can't be a path, just a filename")],
    ['appenddirname', 'a/b', refused("appenddirname can't be a path, just a dirname")],
  ])('%s %j', (name, value, expected) => {
    expect(parseDirective(name, value)).toEqual(expected);
  });

  it('takes startup options in their normal form and refuses invalid ones as redis-server does', () => {
    const config = new Config({ hz: '0', 'auto-aof-rewrite-min-size': '1mb', APPENDONLY: 'YES', dir: '/data', rdbchecksum: 'no' });
    expect(config.hz).toBe(1);
    expect(config.get('auto-aof-rewrite-min-size')).toBe('1048576');
    expect(config.flag('appendonly')).toBe(true);
    expect(config.get('dir')).toBe('/data');
    expect(config.get('rdbchecksum')).toBe('no');
    expect(() => new Config({ hz: 'abc' })).toThrow("argument couldn't be parsed into an integer");
    expect(() => new Config({ save: '100' })).toThrow('Invalid save parameters');
    expect(() => new Config({ dbfilename: 'x/dump.rdb' })).toThrow("dbfilename can't be a path, just a filename");
    expect(() => new Config({ maxmemory: '1' })).toThrow('Bad directive');
    expect(new Config({ save: '100 1 200 2' }).savePoints).toEqual([{ seconds: 100, changes: 1 }, { seconds: 200, changes: 2 }]);
  });
});

describe('CONFIG SET', () => {
  // Nothing recorded: the events test needs its filtered listeners to be the engine's only ones.
  const setUp = () => lab({ epochMs: NEW_YEAR, record: false });

  it('changes several directives at once, or none when one is refused', () => {
    const { engine, run } = setUp();
    const before = engine.config.toRecord();
    expect(run('CONFIG SET hz 20 appendfsync bad')).toEqual({
      type: 'error',
      value: "ERR CONFIG SET failed (possibly related to argument 'appendfsync') - argument(s) must be one of the following: everysec, always, no",
    });
    expect(engine.config.toRecord()).toEqual(before);
    expect(run('CONFIG SET HZ 20 appendfsync ALWAYS save "100 1"')).toEqual({ type: 'status', value: 'OK' });
    expect(engine.config.toRecord()).toEqual({ ...before, hz: '20', appendfsync: 'always', save: '100 1' });
  });

  it('reports one config.changed event per directive, to listeners of that event', () => {
    const { engine, run } = setUp();
    const events: EngineEvent[] = [];
    const others: EngineEvent[] = [];
    engine.subscribe((event) => events.push(event), ['config.changed']);
    engine.subscribe((event) => others.push(event), ['command.executed']);
    run('CONFIG SET appendonly yes auto-aof-rewrite-min-size 1kb');
    expect(events).toEqual([
      { type: 'config.changed', atMs: engine.nowMs, name: 'appendonly', value: 'yes' },
      { type: 'config.changed', atMs: engine.nowMs, name: 'auto-aof-rewrite-min-size', value: '1024' },
    ]);
    expect(others.every((event) => event.type === 'command.executed')).toBe(true);
  });

  it('reschedules serverCron when hz changes', () => {
    const { engine, run } = setUp();
    run('SET k v PX 50');
    run('CONFIG SET hz 500');
    expect(engine.cronPeriodMs()).toBe(2);
    engine.advance(60);
    // The active expiry at 500 Hz has removed the key before anyone read it.
    expect(engine.stats.expiredKeys).toBe(1);
    run('CONFIG SET hz 1');
    expect(engine.cronPeriodMs()).toBe(1000);
  });

  it('refuses protected and immutable directives, those the lab keeps fixed, and unknown names', () => {
    const { run } = setUp();
    expect(run('CONFIG SET dir /tmp').value).toBe("ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config");
    expect(run('CONFIG SET rdbchecksum no').value).toBe("ERR CONFIG SET failed (possibly related to argument 'rdbchecksum') - can't set immutable config");
    expect(run('CONFIG SET maxmemory 1').value).toBe("ERR CONFIG SET failed (possibly related to argument 'maxmemory') - this lab keeps it fixed");
    expect(run('CONFIG SET maxmemry 1').value).toBe("ERR Unknown option or number of arguments for CONFIG SET - 'maxmemry'");
    expect(run('CONFIG SET hz 1 HZ 2').value).toBe("ERR CONFIG SET failed (possibly related to argument 'HZ') - duplicate parameter");
  });
});

describe('CONFIG against redis-server 7.0.15', () => {
  const redis = realRedisAround(() => startRealRedis(REAL_PORT));

  // The real server runs with save "" and its own dir; everything else starts at the defaults.
  const RESET = `CONFIG SET ${Object.entries(DEFAULT_CONFIG)
    .filter(([name]) => !['dir', 'dbfilename', 'appenddirname', 'appendfilename', 'rdbchecksum'].includes(name))
    .map(([name, value]) => `${name} "${name === 'save' ? '' : value}"`)
    .join(' ')}`;

  it('agrees on random CONFIG SET and CONFIG GET sequences', async () => {
    const real = redis();
    const { engine, client } = wallClockEngine({ config: { dir: real.dir } });
    const names = Object.keys(DEFAULT_CONFIG);
    const name = fc.oneof(fc.constantFrom(...names), fc.constantFrom('HZ', 'AppendOnly', 'nosuch', ''));
    const value = fc.constantFrom(
      'yes', 'no', 'YES', 'maybe', 'always', 'everysec', 'No', '0', '1', '10', '500', '501', '-1', '010', '+5', '1.5', 'abc', '',
      '64mb', '1k', '1KB', '3gb', 'kb', '9223372036854775808', '100 10', '3600 1 300 100', '100', '100 ', '0 5', '"1 1 2 2"',
    );
    const quoted = (text: string) => (text.startsWith('"') ? text : `"${text}"`);
    const set = fc.array(fc.tuple(name, value), { minLength: 1, maxLength: 3 }).map((pairs) => `CONFIG SET ${pairs.map(([n, v]) => `${quoted(n)} ${quoted(v)}`).join(' ')}`);
    const get = name.map((n) => `CONFIG GET ${quoted(n)}`);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(set, get), { minLength: 1, maxLength: 25 }), async (lines) => {
        const check = names.map((n) => `CONFIG GET ${n}`);
        expect(await compareWithRedis(real, engine, client, [RESET, ...lines, ...check])).toEqual([]);
      }),
      { seed: 2026, numRuns: 150 },
    );
    await compareWithRedis(real, engine, client, [RESET]);
  });
});
