// Loading dump.rdb at startup and on DEBUG RELOAD: the keyspace, the log lines and the failures
// exactly as a real redis-server 7.0.15 showed them (each expected line below was observed on one;
// see src/engine/persistence/rdb-load.ts). The real-server comparisons are in test/node/rdb-load.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRdb, writeRdb, type RdbKeyspace } from '../../src/codec/rdb/index.ts';
import { Engine, exportKeyspace, RedisZSet } from '../../src/engine/index.ts';
import { debugReload } from '../../src/engine/persistence/rdb-load.ts';
import { SERVER_NOT_RUNNING } from '../../src/engine/errors.ts';
import { rdbFile, rdbStr, withoutEncoding } from '../codec/rdb/rdb-test-kit.ts';
import { lab, levelAndMessage, runner } from '../support/engine-kit.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/real-redis-7.0');
const fixture = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));
const expected = (name: string) => withoutEncoding(JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')));

/** 24 Nov 2026 00:00:00 UTC, after every fixture's ctime. */
const EPOCH_MS = Date.UTC(2026, 10, 24);
const NOW_S = EPOCH_MS / 1000;

/** The log's messages from "Server initialized" on, as `<level> <message>`. */
function loadLines(engine: Engine): string[] {
  const lines = engine.serverLog.map(levelAndMessage);
  return lines.slice(lines.indexOf('# Server initialized') + 1);
}

const start = (bytes: Uint8Array | null, config: Record<string, string> = {}) =>
  new Engine({ epochMs: EPOCH_MS, config, files: bytes === null ? {} : { 'dump.rdb': bytes } });

const file = (keyspace: RdbKeyspace['dbs'], options: { usedMem?: number; ctime?: number; rdbchecksum?: boolean } = {}) =>
  writeRdb({ dbs: keyspace }, { ctime: NOW_S - 5, usedMem: 1013544, ...options });

function info(engine: Engine, field: string): string {
  const reply = runner(engine)('INFO persistence');
  const text = reply.type === 'bulk' ? (reply.value ?? '') : '';
  return new RegExp(`^${field}:(.*)\\r$`, 'm').exec(text)?.[1] ?? '';
}

describe('startup load of a real Redis 7.0 dump', () => {
  it.each([
    ['rdb-strings', 14, '1.11'],
    ['rdb-types', 11, '1.28'],
  ])('%s.rdb loads to exactly its recorded keyspace, logging as Redis does', (name, keys, mb) => {
    const bytes = fixture(`${name}.rdb`);
    const engine = start(bytes);
    expect(exportKeyspace(engine.dbs, engine.nowMs)).toEqual(expected(`${name}.expected.json`));
    const ctime = Number(readRdb(bytes).aux.find((field) => field.key === 'ctime')?.value);
    expect(loadLines(engine)).toEqual([
      '* Loading RDB produced by version 7.0.15',
      `* RDB age ${NOW_S - ctime} seconds`,
      `* RDB memory usage when created ${mb} Mb`,
      `* Done loading RDB, keys loaded: ${keys}, keys expired: 0.`,
      '* DB loaded from disk: 0.000 seconds',
      '* Ready to accept connections',
    ]);
    expect(engine.running).toBe(true);
    expect(engine.rdb.lastLoad).toEqual({ keysLoaded: keys, keysExpired: 0 });
    expect(info(engine, 'rdb_last_load_keys_loaded')).toBe(String(keys));
    expect(info(engine, 'rdb_changes_since_last_save')).toBe('0');
    expect(info(engine, 'rdb_last_save_time')).toBe(String(NOW_S));
  });

  it('reports the age from the ctime AUX field, and 0 for a file from the future', () => {
    const age = (ctime: number) => loadLines(start(file([{ index: 0, entries: [] }], { ctime })))[1];
    expect(age(NOW_S - 3600)).toBe('* RDB age 3600 seconds');
    expect(age(NOW_S + 500)).toBe('* RDB age 0 seconds');
  });

  it('prints used-mem as printf %.2f does, ties to even', () => {
    const mem = (usedMem: number) => loadLines(start(file([], { usedMem })))[2];
    expect(mem(1013544)).toBe('* RDB memory usage when created 0.97 Mb');
    expect(mem(1179648)).toBe('* RDB memory usage when created 1.12 Mb'); // exactly 1.125
    expect(mem(1190000)).toBe('* RDB memory usage when created 1.13 Mb');
    expect(mem(0)).toBe('* RDB memory usage when created 0.00 Mb');
  });

  it('drops keys already expired and counts them, as a master does', () => {
    const engine = start(
      file([
        {
          index: 0,
          entries: [
            { key: 'alive', type: 'string', value: 'x' },
            { key: 'dead1', type: 'string', value: 'x', expireAtMs: EPOCH_MS - 1 },
            { key: 'dead2', type: 'list', value: ['a'], expireAtMs: EPOCH_MS - 100_000 },
            { key: 'edge', type: 'string', value: 'alive at its expiry ms', expireAtMs: EPOCH_MS },
          ],
        },
      ]),
    );
    expect(loadLines(engine)[3]).toBe('* Done loading RDB, keys loaded: 2, keys expired: 2.');
    expect(Object.keys(exportKeyspace(engine.dbs, engine.nowMs).db0 ?? {})).toEqual(['alive', 'edge']);
    expect(engine.stats.expiredKeys).toBe(0);
    expect(info(engine, 'rdb_last_load_keys_expired')).toBe('2');
  });

  it('judges expiries against the time the read began: a key that expires during a slow load goes in, then expires', () => {
    // One megabyte at the model's 100 MB/s: the load takes 10 ms.
    const bytes = writeRdb(
      {
        dbs: [
          {
            index: 0,
            entries: [
              { key: 'filler', type: 'string', value: 'x'.repeat(1_000_000) },
              { key: 'soon', type: 'string', value: 'v', expireAtMs: EPOCH_MS + 5 },
            ],
          },
        ],
      },
      { ctime: NOW_S, usedMem: 1_000_000, rdbcompression: false },
    );
    const engine = start(bytes);
    expect(engine.loading).toBe(true);
    engine.advance(10);
    expect(engine.loading).toBe(false);
    expect(loadLines(engine)).toContain('* Done loading RDB, keys loaded: 2, keys expired: 0.');
    expect(engine.dbs[0]?.expires.get('soon')).toBe(EPOCH_MS + 5);
    expect(runner(engine)('GET soon')).toEqual({ type: 'bulk', value: null });
  });

  it('logs each empty key it skips and a checksum of zero', () => {
    const bytes = rdbFile(10, [0xfa, rdbStr('redis-ver'), rdbStr('7.0.15'), 0xfe, 0, 0, rdbStr('a'), rdbStr('x'), 2, rdbStr('e'), 0]);
    expect(loadLines(start(bytes))).toEqual([
      '* Loading RDB produced by version 7.0.15',
      '# rdbLoadObject skipping empty key: e',
      '# Done loading RDB, keys loaded: 1, keys expired: 0, empty keys skipped: 1.',
      '* DB loaded from disk: 0.000 seconds',
      '* Ready to accept connections',
    ]);
    const unchecked = start(file([{ index: 0, entries: [{ key: 'a', type: 'string', value: 'x' }] }], { rdbchecksum: false }));
    expect(loadLines(unchecked)).toContain('# RDB file was saved with checksum disabled: no check performed.');
    expect(loadLines(unchecked).at(-4)).toBe('# RDB file was saved with checksum disabled: no check performed.');
  });

  it('builds every engine type, with its expiry, in its database; small sorted sets as listpacks', () => {
    const big = Array.from({ length: 200 }, (_, i) => [`m${i}`, i] as const);
    const engine = start(
      file([
        {
          index: 3,
          entries: [
            { key: 's', type: 'string', value: 'a\x00b\xff', expireAtMs: 4102444800000 },
            { key: 'l', type: 'list', value: ['x', 'y', 'z'] },
            { key: 'h', type: 'hash', value: [['f', 'v']] },
            { key: 'set', type: 'set', value: ['1', 'b'] },
            { key: 'z:small', type: 'zset', value: [['neg', -0], ['one', 1]] },
            { key: 'z:big', type: 'zset', value: [...big, ['negzero', -0]] },
          ],
        },
      ]),
    );
    const run = runner(engine);
    run('SELECT 3');
    expect(run('GET s')).toEqual({ type: 'bulk', value: 'a\x00b\xff' });
    expect(run('PEXPIRETIME s')).toEqual({ type: 'integer', value: 4102444800000 });
    expect(run('LRANGE l 0 -1')).toEqual({ type: 'array', value: ['x', 'y', 'z'].map((value) => ({ type: 'bulk', value })) });
    expect(run('HGET h f')).toEqual({ type: 'bulk', value: 'v' });
    expect(run('SISMEMBER set b')).toEqual({ type: 'integer', value: 1 });
    const small = engine.dbs[3]?.data.get('z:small') as RedisZSet;
    const large = engine.dbs[3]?.data.get('z:big') as RedisZSet;
    expect([small.encoding, large.encoding]).toEqual(['listpack', 'skiplist']);
    // A listpack keeps -0 as 0; a skiplist keeps -0 (both observed on Redis 7.0.15 after a restart).
    expect(Object.is(small.score('neg'), 0)).toBe(true);
    expect(Object.is(large.score('negzero'), -0)).toBe(true);
  });

  it('reads back what the engine itself saved', () => {
    const { engine: first, run } = lab({ epochMs: EPOCH_MS });
    for (const line of ['RPUSH l a b c', 'HSET h f v', 'SADD s 1 2 x', 'ZADD z 1 a 2 b', 'SET k v EX 1000', 'SELECT 5', 'SET five 5', 'SAVE']) run(line);
    const files = Object.fromEntries(first.disk.list().map(({ name }) => [name, first.disk.read(name) as Uint8Array]));
    const second = new Engine({ epochMs: EPOCH_MS + 1000, files });
    expect(exportKeyspace(second.dbs, second.nowMs)).toEqual(exportKeyspace(first.dbs, first.nowMs));
    expect(second.rdb.lastLoad).toEqual({ keysLoaded: 6, keysExpired: 0 });
  });

  it('says nothing and starts empty when there is no file', () => {
    const engine = start(null);
    expect(loadLines(engine)).toEqual(['* Ready to accept connections']);
    expect(exportKeyspace(engine.dbs, engine.nowMs)).toEqual({});
  });

  it('reads the file named by dbfilename', () => {
    const engine = new Engine({ epochMs: EPOCH_MS, config: { dbfilename: 'other.rdb' }, files: { 'other.rdb': fixture('rdb-strings.rdb'), 'dump.rdb': fixture('rdb-types.rdb') } });
    expect(loadLines(engine)).toContain('* Done loading RDB, keys loaded: 14, keys expired: 0.');
  });

  it('with appendonly yes, ignores dump.rdb and logs nothing about it (the AOF load path is not modelled yet)', () => {
    const engine = start(fixture('rdb-strings.rdb'), { appendonly: 'yes' });
    expect(loadLines(engine).filter((line) => /RDB|DB loaded/.test(line))).toEqual([]);
    expect(engine.dbs[0]?.size).toBe(0);
  });

  it('keeps the other files of the directory on the virtual disk', () => {
    const engine = new Engine({ epochMs: EPOCH_MS, files: { 'dump.rdb': fixture('rdb-strings.rdb'), 'temp-99.rdb': new Uint8Array([1, 2, 3]) } });
    expect(engine.disk.list().map((f) => [f.name, f.sizeBytes, f.durableBytes, f.nameDurable])).toEqual([
      ['dump.rdb', 418, 418, true],
      ['temp-99.rdb', 3, 3, true],
    ]);
  });
});

describe('a file the node cannot load stops it, with the lines Redis 7.0.15 logs', () => {
  const strings = fixture('rdb-strings.rdb');
  const AUX_LINES = ['* Loading RDB produced by version 7.0.15', expect.stringMatching(/^\* RDB age \d+ seconds$/), '* RDB memory usage when created 1.11 Mb'];
  const patched = (edit: (bytes: Uint8Array) => void) => {
    const bytes = strings.slice();
    edit(bytes);
    return bytes;
  };

  it.each([
    ['a newer RDB version (7.2 writes 11)', patched((b) => b.set([0x30, 0x30, 0x31, 0x31], 5)), ["# Can't handle RDB format version 11", '# Fatal error loading the DB: Invalid argument. Exiting.']],
    ['a version that is not a number', patched((b) => b.set([0x61, 0x62, 0x63, 0x64], 5)), ["# Can't handle RDB format version 0", '# Fatal error loading the DB: Invalid argument. Exiting.']],
    ['a wrong signature', patched((b) => b.set([0x52, 0x4f], 0)), ['# Wrong signature trying to load DB from file', '# Fatal error loading the DB: Invalid argument. Exiting.']],
    [
      'a corrupt checksum',
      patched((b) => (b[b.length - 1] = (b[b.length - 1] as number) ^ 0xff)),
      [
        ...AUX_LINES,
        '# Wrong RDB checksum expected: (9f32490ecc6a879d) but got (6032490ecc6a879d). Aborting now.',
        '# Internal error in RDB reading offset 0, function at rdb.c:3217 -> RDB CRC error',
      ],
    ],
    [
      'a truncated file',
      strings.slice(0, 200),
      [...AUX_LINES, '# Short read or OOM loading DB. Unrecoverable error, aborting now.', '# Internal error in RDB reading offset 0, function at rdb.c:3241 -> Unexpected EOF reading RDB file'],
    ],
    [
      'a file cut inside its AUX fields',
      strings.slice(0, 30),
      ['* Loading RDB produced by version 7.0.15', '# Short read or OOM loading DB. Unrecoverable error, aborting now.', '# Internal error in RDB reading offset 0, function at rdb.c:3241 -> Unexpected EOF reading RDB file'],
    ],
    ['a file shorter than its header', strings.slice(0, 5), ['# Short read or OOM loading DB. Unrecoverable error, aborting now.', '# Internal error in RDB reading offset 0, function at rdb.c:3241 -> Unexpected EOF reading RDB file']],
    // Redis: "Internal error in RDB reading offset 0, function at rdb.c:2673 -> Unknown RDB encoding type 31".
    ['an unknown value type', patched((b) => (b[0x5e] = 0x1f)), [...AUX_LINES, '# Internal error in RDB reading offset 94 -> unknown value type 0x1f']],
    ['a stream (not modelled by the lab)', rdbFile(10, [0x13, rdbStr('s')]), ["# The lab cannot load this RDB file: offset 9: key 's' is a stream: the lab does not model streams (RDB_TYPE_STREAM_LISTPACKS_2)"]],
  ])('%s', (_, bytes, lines) => {
    const engine = start(bytes);
    expect(loadLines(engine)).toEqual(lines);
    expect(engine.running).toBe(false);
    expect(engine.startupError).toBe((lines.find((line) => typeof line === 'string' && line.startsWith('#')) as string).slice(2));
    expect(exportKeyspace(engine.dbs, engine.nowMs)).toEqual({});
    const client = engine.newClient();
    for (const line of ['PING', 'GET greeting', 'INFO', 'SHUTDOWN NOSAVE', 'nosuchcommand']) {
      expect(engine.run(line, client)).toEqual({ kind: 'reply', reply: SERVER_NOT_RUNNING });
    }
    expect(engine.run('SIM TIME', client)).toMatchObject({ kind: 'reply', reply: { type: 'array' } });
  });
});

describe('DEBUG RELOAD', () => {
  function loaded() {
    const { engine, run } = lab({ epochMs: EPOCH_MS, config: { save: '' } });
    for (const line of ['SET a 1', 'RPUSH l x y', 'ZADD z 1 m', 'SET t v PX 100000']) run(line);
    return { engine, run };
  }
  const newLines = (engine: Engine, from: number) => engine.serverLog.slice(from).map(levelAndMessage);

  it('saves, empties the keyspace and loads the file again (as Redis logs it)', () => {
    const { engine } = loaded();
    const before = exportKeyspace(engine.dbs, engine.nowMs);
    const mark = engine.serverLog.length;
    expect(debugReload(engine, [])).toEqual({ type: 'status', value: 'OK' });
    expect(newLines(engine, mark)).toEqual([
      '* DB saved on disk',
      '* Loading RDB produced by version 7.0.15',
      '* RDB age 0 seconds',
      expect.stringMatching(/^\* RDB memory usage when created \d+\.\d\d Mb$/),
      '* Done loading RDB, keys loaded: 4, keys expired: 0.',
      '# DB reloaded by DEBUG RELOAD',
    ]);
    expect(exportKeyspace(engine.dbs, engine.nowMs)).toEqual(before);
    expect(engine.dirty).toBe(0);
    expect(engine.rdb.saves).toBe(0); // rdb_saves does not count it (observed)
  });

  it('NOSAVE loads the file as it is; MERGE keeps the keys the file does not have', () => {
    const { engine, run } = loaded();
    run('SAVE');
    run('SET b 2');
    expect(debugReload(engine, ['NOSAVE'])).toEqual({ type: 'status', value: 'OK' });
    expect(run('EXISTS b')).toEqual({ type: 'integer', value: 0 });
    expect(engine.dirty).toBe(1); // NOSAVE leaves the change counter alone (observed)
    run('SET b 2');
    run('SET a changed');
    expect(debugReload(engine, ['nosave', 'noflush', 'merge'])).toEqual({ type: 'status', value: 'OK' });
    expect(run('MGET a b')).toEqual({ type: 'array', value: [{ type: 'bulk', value: '1' }, { type: 'bulk', value: '2' }] });
  });

  it('answers as Redis does: bad option, no file, a failed save, a corrupt file', () => {
    const { engine, run } = loaded();
    expect(debugReload(engine, ['foo'])).toEqual({ type: 'error', value: 'ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.' });
    expect(debugReload(engine, ['NOSAVE'])).toEqual({ type: 'error', value: 'ERR Error trying to load the RDB dump' });
    expect(engine.dbs[0]?.size).toBe(0); // it flushed first
    run('SET a 1');
    run('SIM DISK FULL');
    expect(debugReload(engine, [])).toEqual({ type: 'error', value: 'ERR' });
    expect(run('GET a')).toEqual({ type: 'bulk', value: '1' });
    run('SIM DISK OK');
    engine.disk.install('dump.rdb', fixture('rdb-strings.rdb').slice(0, 200), engine.nowMs);
    const mark = engine.serverLog.length;
    expect(debugReload(engine, ['NOSAVE'])).toEqual({ type: 'error', value: 'ERR Error trying to load the RDB dump' });
    expect(newLines(engine, mark).at(-1)).toBe('# Short read or OOM loading DB. Unrecoverable error, aborting now.');
    expect(engine.running).toBe(true);
    const corrupt = fixture('rdb-strings.rdb');
    corrupt[corrupt.length - 1] = (corrupt[corrupt.length - 1] as number) ^ 0xff;
    engine.disk.install('dump.rdb', corrupt, engine.nowMs);
    expect(debugReload(engine, ['NOSAVE'])).toEqual({ type: 'error', value: 'ERR Error trying to load the RDB dump' });
    expect(newLines(engine, mark).at(-1)).toBe('# Wrong RDB checksum expected: (9f32490ecc6a879d) but got (6032490ecc6a879d). Aborting now.');
    // Redis checks the CRC last, so the keys it read stay (observed: DBSIZE 14).
    expect(engine.dbs[0]?.size).toBe(14);
  });

  it('NOFLUSH without MERGE over a key that is there is the "Duplicated key" panic: the node stops', () => {
    const { engine } = loaded();
    expect(debugReload(engine, ['NOFLUSH'])).toEqual(SERVER_NOT_RUNNING);
    expect(engine.running).toBe(false);
    expect(engine.serverLog.at(-1)).toMatch(/# Guru Meditation: Duplicated key found in RDB file #rdb\.c:3176$/);
  });
});

describe('what Redis logs as it reads, record by record (each case run on a real 7.0.15)', () => {
  const AUX = [0xfa, rdbStr('redis-ver'), rdbStr('7.0.15')];
  /** An expiry (RDB_OPCODE_EXPIRETIME_MS) of 1 ms after the epoch: long passed. */
  const EXPIRED = [0xfc, 1, 0, 0, 0, 0, 0, 0, 0];
  const LOADING = '* Loading RDB produced by version 7.0.15';
  const DUPLICATE = ["# RDB has duplicated key 'k' in DB 0", '# Guru Meditation: Duplicated key found in RDB file #rdb.c:3176'];
  const withBadChecksum = (bytes: Uint8Array) => {
    const copy = bytes.slice();
    copy[copy.length - 1] = (copy[copy.length - 1] as number) ^ 0xff;
    return copy;
  };

  it('logs the first 10 empty keys it skips and counts them all', () => {
    const empties = Array.from({ length: 12 }, (_, i) => [2, rdbStr(`e${i}`), 0]).flat();
    expect(loadLines(start(rdbFile(10, [...AUX, 0xfe, 0, ...empties, 0, rdbStr('k'), rdbStr('v')]))).slice(0, 12)).toEqual([
      LOADING,
      ...Array.from({ length: 10 }, (_, i) => `# rdbLoadObject skipping empty key: e${i}`),
      '# Done loading RDB, keys loaded: 1, keys expired: 0, empty keys skipped: 12.',
    ]);
  });

  it('logs information fields (a name starting with %) and aof-preamble, ignores lua and unknown fields, and prints strings up to a NUL byte', () => {
    const bytes = rdbFile(10, [
      ...AUX,
      ...[0xfa, rdbStr('aof-preamble'), rdbStr('1'), 0xfa, rdbStr('%a\x00b'), rdbStr('x\x00y'), 0xfa, rdbStr('%'), rdbStr('')],
      ...[0xfa, rdbStr('Redis-Ver'), rdbStr('v\x00w'), 0xfa, rdbStr('lua'), rdbStr('x'), 0xfa, rdbStr('sim-note'), rdbStr('x'), 0xfa, rdbStr('AOF-BASE'), rdbStr('2')],
      ...[0xfe, 0, 2, rdbStr('e\x00f'), 0, 0, rdbStr('k'), rdbStr('v')],
    ]);
    expect(loadLines(start(bytes)).slice(0, 8)).toEqual([
      LOADING,
      '* RDB has an AOF tail',
      "* RDB '%a': x",
      "* RDB '%': ",
      '* Loading RDB produced by version v',
      '* RDB is base AOF',
      '# rdbLoadObject skipping empty key: e',
      '# Done loading RDB, keys loaded: 1, keys expired: 0, empty keys skipped: 1.',
    ]);
  });

  it('logs an AUX field met after the keys in its place', () => {
    const bytes = rdbFile(10, [...AUX, 0xfe, 0, 0, rdbStr('k'), rdbStr('v'), 0xfa, rdbStr('ctime'), rdbStr(String(NOW_S - 7)), 0xfa, rdbStr('%note'), rdbStr('hello')]);
    expect(loadLines(start(bytes)).slice(0, 4)).toEqual([LOADING, '* RDB age 7 seconds', "* RDB '%note': hello", '* Done loading RDB, keys loaded: 1, keys expired: 0.']);
  });

  it('panics on a duplicate key where it meets it: the lines before it are logged, nothing after', () => {
    const cases: [Uint8Array, string[]][] = [
      [rdbFile(10, [...AUX, 0xfe, 0, 0, rdbStr('k'), rdbStr('x'), 0, rdbStr('k'), rdbStr('y'), 2, rdbStr('e'), 0, 0xfa, rdbStr('%late'), rdbStr('1')]), [LOADING, ...DUPLICATE]],
      [rdbFile(10, [...AUX, 0xfe, 0, 2, rdbStr('e'), 0, 0, rdbStr('k'), rdbStr('x'), 0, rdbStr('k'), rdbStr('y')]), [LOADING, '# rdbLoadObject skipping empty key: e', ...DUPLICATE]],
      [rdbFile(10, [...AUX, 0xfe, 0, 0, rdbStr('k\x00z'), rdbStr('x'), 0, rdbStr('k\x00z'), rdbStr('y')]), [LOADING, ...DUPLICATE]],
    ];
    for (const [bytes, lines] of cases) {
      const engine = start(bytes);
      expect(loadLines(engine)).toEqual(lines);
      expect(engine.running).toBe(false);
      expect(engine.startupError).toBe('Duplicated key found in RDB file');
      expect(exportKeyspace(engine.dbs, engine.nowMs)).toEqual({});
    }
  });

  it('panics on a duplicate before a truncation, a corruption or a bad checksum, which it never reaches', () => {
    const duplicate = [...AUX, 0xfe, 0, 0, rdbStr('k'), rdbStr('x'), 0, rdbStr('k'), rdbStr('y')];
    for (const bytes of [
      rdbFile(10, [...duplicate, 0, rdbStr('z')]).slice(0, -12),
      rdbFile(10, [...duplicate, 0x1f, rdbStr('z'), rdbStr('v')]),
      withBadChecksum(rdbFile(10, duplicate)),
    ]) {
      expect(loadLines(start(bytes))).toEqual([LOADING, ...DUPLICATE]);
    }
  });

  it('drops an expired key before it could be a duplicate, whichever of the two expired', () => {
    for (const body of [
      [...EXPIRED, 0, rdbStr('k'), rdbStr('x'), 0, rdbStr('k'), rdbStr('y')],
      [0, rdbStr('k'), rdbStr('x'), ...EXPIRED, 0, rdbStr('k'), rdbStr('y')],
    ]) {
      const engine = start(rdbFile(10, [...AUX, 0xfe, 0, ...body]));
      expect(loadLines(engine)[1]).toBe('* Done loading RDB, keys loaded: 1, keys expired: 1.');
      expect(engine.running).toBe(true);
    }
    expect(loadLines(start(rdbFile(10, [...AUX, 0xfe, 0, 0, rdbStr('k'), rdbStr('x'), 0xfe, 1, 0, rdbStr('k'), rdbStr('y')])))[1]).toBe(
      '* Done loading RDB, keys loaded: 2, keys expired: 0.',
    );
  });

  it('logs the empty keys met before a truncation or a bad checksum', () => {
    const truncated = rdbFile(10, [...AUX, 0xfe, 0, 2, rdbStr('e'), 0, 0, rdbStr('k'), rdbStr('v'), 0, rdbStr('z'), rdbStr('zzzzzzzz')]).slice(0, -14);
    expect(loadLines(start(truncated))).toEqual([
      LOADING,
      '# rdbLoadObject skipping empty key: e',
      '# Short read or OOM loading DB. Unrecoverable error, aborting now.',
      '# Internal error in RDB reading offset 0, function at rdb.c:3241 -> Unexpected EOF reading RDB file',
    ]);
    const badChecksum = withBadChecksum(rdbFile(10, [...AUX, 0xfe, 0, 2, rdbStr('e'), 0, 0, rdbStr('k'), rdbStr('v')]));
    expect(loadLines(start(badChecksum)).slice(0, 3)).toEqual([LOADING, '# rdbLoadObject skipping empty key: e', expect.stringMatching(/^# Wrong RDB checksum expected: /)]);
  });

  it('DEBUG RELOAD keeps the keys read before a fault, as Redis does', () => {
    const files = [
      rdbFile(10, [...AUX, 0xfe, 0, 0, rdbStr('a'), rdbStr('1'), 0, rdbStr('b'), rdbStr('2'), 0, rdbStr('c'), rdbStr('33333333')]).slice(0, -12),
      rdbFile(10, [...AUX, 0xfe, 0, 0, rdbStr('a'), rdbStr('1'), 2, rdbStr('e'), 0, 0, rdbStr('b'), rdbStr('2'), 0x1f, rdbStr('c'), rdbStr('3')]),
    ];
    for (const bytes of files) {
      const { engine, run } = lab({ epochMs: EPOCH_MS, config: { save: '' } });
      run('SET p pre');
      engine.disk.install('dump.rdb', bytes, engine.nowMs);
      expect(debugReload(engine, ['NOSAVE'])).toEqual({ type: 'error', value: 'ERR Error trying to load the RDB dump' });
      expect(Object.keys(exportKeyspace(engine.dbs, engine.nowMs).db0 ?? {}).sort()).toEqual(['a', 'b']);
      expect(engine.serverLog.at(-1)).toMatch(/# Short read or OOM loading DB\. Unrecoverable error, aborting now\.$/);
    }
  });

  it('DEBUG RELOAD MERGE: a later duplicate replaces the key, and a replaced key loses its old expiry', () => {
    const { engine, run } = lab({ epochMs: EPOCH_MS, config: { save: '' } });
    run('SET p pre EX 1000');
    const far = [0xfc, 0, 0, 0, 0, 0, 0x10, 0, 0]; // 2^44 ms, in 2527
    engine.disk.install('dump.rdb', rdbFile(10, [...AUX, 0xfe, 0, 0, rdbStr('k'), rdbStr('x'), ...far, 0, rdbStr('k'), rdbStr('y'), 0, rdbStr('p'), rdbStr('file')]), engine.nowMs);
    const mark = engine.serverLog.length;
    expect(debugReload(engine, ['NOSAVE', 'NOFLUSH', 'MERGE'])).toEqual({ type: 'status', value: 'OK' });
    expect(engine.serverLog.slice(mark).map(levelAndMessage)).toEqual([LOADING, '* Done loading RDB, keys loaded: 3, keys expired: 0.', '# DB reloaded by DEBUG RELOAD']);
    expect(run('MGET k p')).toEqual({ type: 'array', value: [{ type: 'bulk', value: 'y' }, { type: 'bulk', value: 'file' }] });
    expect(run('PEXPIRETIME k')).toEqual({ type: 'integer', value: 2 ** 44 });
    expect(run('TTL p')).toEqual({ type: 'integer', value: -1 });
  });

  it('a DEBUG RELOAD panic leaves the value the duplicate met: the one kept by NOFLUSH, or the file\'s first', () => {
    const reloaded = (setup: string[], options: string[]) => {
      const { engine, run } = lab({ epochMs: EPOCH_MS, config: { save: '' } });
      for (const line of setup) run(line);
      engine.disk.install('dump.rdb', rdbFile(10, [...AUX, 0xfe, 0, 0, rdbStr('k'), rdbStr('first'), 0, rdbStr('a'), rdbStr('1'), 0, rdbStr('k'), rdbStr('second')]), engine.nowMs);
      expect(debugReload(engine, ['NOSAVE', ...options])).toEqual(SERVER_NOT_RUNNING);
      expect(engine.serverLog.slice(-2).map(levelAndMessage)).toEqual(DUPLICATE);
      return engine.dbs[0]?.data.get('k');
    };
    expect(reloaded(['SET k mine'], ['NOFLUSH'])).toBe('mine');
    expect(reloaded([], [])).toBe('first');
  });
});
