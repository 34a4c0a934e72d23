// The real oracle: files from the writer are loaded by a real redis-server 7.0.15 (ports
// 6500-6509), whose keyspace, read back over RESP, must equal what was written; redis-check-rdb
// must call each file OK; and the file the real server then SAVEs must read back, with the reader,
// as the same keyspace. Each keyspace is written with and without rdbcompression and rdbchecksum.
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RdbChecksumError, readRdb, writeRdb, type RdbKeyspace, type RdbWriteOptions } from '../../../src/codec/rdb/index.ts';
import { redisServerPath, startRealRedis, testPort } from '../../support/real-redis.ts';
import { canonical, keyspaceArb, readLiveKeyspace } from './rdb-test-kit.ts';

const range = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));

/** One key of every encoding the writer produces, in three databases. */
const EVERY_ENCODING: RdbKeyspace = {
  dbs: [
    {
      index: 0,
      entries: [
        { key: 'int8', type: 'string', value: '-42' },
        { key: 'int16', type: 'string', value: '12345' },
        { key: 'int32', type: 'string', value: '-2147483648' },
        { key: 'bigint', type: 'string', value: '1234567890123' },
        { key: 'leadingzero', type: 'string', value: '007' },
        { key: 'empty', type: 'string', value: '' },
        { key: 'binary', type: 'string', value: 'a\x00b\xffc\r\n' },
        { key: 'compressible', type: 'string', value: 'abcdefgh'.repeat(200) },
        { key: 'incompressible', type: 'string', value: range(40, (i) => String.fromCharCode((i * 151 + 7) & 0xff)).join('') },
        { key: 'ttl', type: 'string', value: 'expires in 2100', expireAtMs: 4102444800000 },
        { key: '12345', type: 'string', value: 'an int-encoded key' },
        { key: 'list:small', type: 'list', value: ['a', 'b', 'c', '1', '2', '3'], expireAtMs: 4102444800123 },
        { key: 'list:big', type: 'list', value: range(2000, (i) => `element-${String(i).padStart(5, '0')}`) },
        { key: 'list:huge-element', type: 'list', value: ['a', 'x'.repeat(20000), '-9223372036854775808'] },
        { key: 'set:ints', type: 'set', value: ['1', '2', '3', '100', '-5', '70000', '4294967296'] },
        { key: 'set:strs', type: 'set', value: ['apple', 'banana', 'cherry'] },
        { key: 'set:bigints', type: 'set', value: range(600, (i) => String(1000 + i)) },
        { key: 'hash:small', type: 'hash', value: [['name', 'redis'], ['version', '7.0'], ['empty', ''], ['n', '-7']] },
        { key: 'hash:big', type: 'hash', value: range(600, (i) => `field${i}`).map((f, i) => [f, `value${i}`] as const) },
        { key: 'hash:longvalue', type: 'hash', value: [['f', 'x'.repeat(65)]] },
      ],
    },
    {
      index: 2,
      entries: [
        { key: 'zset:small', type: 'zset', value: [['one', 1], ['two-and-half', 2.5], ['minus-three', -3], ['thousand', 1e3], ['pinf', Infinity], ['ninf', -Infinity], ['negzero', -0], ['tenth', 0.1]] },
        { key: 'zset:big', type: 'zset', value: range(200, (i) => `member${i}`).map((m, i) => [m, i % 2 === 0 ? i : i / 3] as const) },
        { key: 'zset:longmember', type: 'zset', value: [['m'.repeat(65), 1]] },
      ],
    },
    { index: 15, entries: [{ key: 'last', type: 'string', value: 'db 15' }] },
  ],
};

const KEYSPACES: [string, RdbKeyspace][] = [
  ['every encoding', EVERY_ENCODING],
  ...fc.sample(keyspaceArb().filter((ks) => ks.dbs.reduce((n, db) => n + db.entries.length, 0) >= 6), { seed: 20261124, numRuns: 5 }).map((ks, i): [string, RdbKeyspace] => [`generated #${i + 1}`, ks]),
];

const OPTIONS: [string, Partial<RdbWriteOptions>][] = [
  ['defaults', {}],
  ['rdbcompression no', { rdbcompression: false }],
  ['rdbchecksum no', { rdbchecksum: false }],
  ['both off', { rdbcompression: false, rdbchecksum: false }],
];

let port = 6500;
const nextPort = () => testPort(port === 6509 ? (port = 6500) : port++);

describe.each(KEYSPACES)('%s', (_, keyspace) => {
  it.each(OPTIONS)('loads in redis-server 7.0.15 and passes redis-check-rdb (%s)', async (__, options) => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-rdb-'));
    try {
      const file = join(dir, 'dump.rdb');
      writeFileSync(file, writeRdb(keyspace, { ctime: 1795469295, usedMem: 1013544, ...options }));

      const check = spawnSync('redis-check-rdb', [file], { encoding: 'utf8' });
      expect(check.stdout).toContain('\\o/ RDB looks OK! \\o/');
      expect(check.stdout).toContain(options.rdbchecksum === false ? 'checksum disabled: no check performed' : 'Checksum OK');
      expect(check.status).toBe(0);

      const real = await startRealRedis(nextPort(), ['--dir', dir, '--dbfilename', 'dump.rdb', '--logfile', join(dir, 'redis.log')]).catch((e: unknown) => {
        throw new Error(`redis-server did not start: ${String(e)}\n${readFileSync(join(dir, 'redis.log'), 'utf8')}`);
      });
      try {
        const live = await readLiveKeyspace(real.command);
        expect(canonical(live)).toEqual(canonical(keyspace));
        const keys = keyspace.dbs.reduce((n, db) => n + db.entries.length, 0);
        expect(readFileSync(join(dir, 'redis.log'), 'utf8')).toContain(`Done loading RDB, keys loaded: ${keys}, keys expired: 0.`);

        // The other direction: the file real Redis writes for it reads back the same.
        expect(await real.command(['SAVE'])).toEqual({ type: 'status', value: 'OK' });
        expect(canonical(readRdb(new Uint8Array(readFileSync(file))))).toEqual(canonical(keyspace));
      } finally {
        await real.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a corrupt checksum', () => {
  it('is refused by the reader in the words redis-server logs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-rdb-'));
    try {
      const bytes = writeRdb(EVERY_ENCODING, { ctime: 1795469295, usedMem: 1013544 });
      bytes[bytes.length - 1] = 0; // the checksum's top byte: Redis prints it without leading zeros
      writeFileSync(join(dir, 'dump.rdb'), bytes);
      const log = join(dir, 'redis.log');
      // redis-server exits at startup on a checksum error; the timeout only guards against a hang.
      const run = spawnSync(
        redisServerPath(),
        ['--port', String(nextPort()), '--bind', '127.0.0.1', '--dir', dir, '--dbfilename', 'dump.rdb', '--save', '', '--appendonly', 'no', '--logfile', log],
        { timeout: 20_000, stdio: 'ignore' },
      );
      expect(run.status).not.toBe(0);
      const logged = /# (Wrong RDB checksum expected: \([0-9a-f]+\) but got \([0-9a-f]+\))\. Aborting now\./.exec(readFileSync(log, 'utf8'));
      expect(logged).not.toBeNull();
      expect(() => readRdb(bytes)).toThrow(RdbChecksumError);
      expect(() => readRdb(bytes)).toThrow(`offset 0x${(bytes.length - 8).toString(16)} (${bytes.length - 8}): ${logged![1]}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
