// The disk panel's downloads, loaded by a real redis-server 7.0.15 (ports 6570-6579): the bytes
// its buttons build — a file of the lab's disk as it is, appendonlydir as one .zip — written to a
// scratch dir (the zip unzipped there), then the real server starts from them and must hold the
// same keyspace as the lab. redis-check-aof must call the unzipped directory valid.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { readRdb } from '../../src/codec/rdb/index.ts';
import { createLabStore, type LabStore } from '../../src/store/index.ts';
import { zipDirectory } from '../../src/store/file-transfer.ts';
import { startRealRedis, testPort } from '../support/real-redis.ts';
import { canonical, readLiveKeyspace } from '../codec/rdb/rdb-test-kit.ts';

const RDB_PORT = testPort(6570);
const AOF_PORT = testPort(6571);

/** Writes of every type, in two databases, with expiries that outlive the test. */
const WORKLOAD = [
  'SET greeting "hello world"',
  'SET counter 41',
  'INCR counter',
  'SET compressible aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  'RPUSH queue a b c d',
  'LPUSH queue z',
  'HSET user:1 name Ada lang en',
  'SADD tags redis persistence 42',
  'ZADD board 1.5 alice 2 bob -3 carol',
  'SET session token EX 36000',
  'SELECT 1',
  'SET other-db yes',
  'SELECT 0',
];

/** The same kinds of writes again, after AOF is on: they land in the incr file. */
const AFTER_AOF = ['SET late value', 'DEL compressible', 'RPUSH queue e', 'HSET user:1 lang ar', 'ZINCRBY board 10 carol', 'EXPIRE greeting 72000', 'SREM tags 42', 'INCRBYFLOAT counter 0.5'];

function run(store: LabStore, line: string): void {
  const entry = store.getState().runLine(line);
  if (entry.output.kind === 'reply' && entry.output.isError) throw new Error(`${line}: ${entry.output.text}`);
}

/** The lab's keyspace now, as the codec reads a SAVE of it. */
function labKeyspace(store: LabStore) {
  run(store, 'SAVE');
  return readRdb(store.getState().readDiskFile('dump.rdb') as Uint8Array);
}

describe('downloads load in a real redis-server 7.0.15', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'lab-downloads-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  test('dump.rdb as downloaded, and appendonlydir.zip unzipped, give the lab’s keyspace', async () => {
    const store = createLabStore({ epochMs: Date.now() });
    for (const line of WORKLOAD) run(store, line);
    const snapshot = labKeyspace(store);
    // The per-file button downloads readDiskFile's bytes as they are.
    const dump = store.getState().readDiskFile('dump.rdb') as Uint8Array;

    run(store, 'CONFIG SET appendonly yes');
    store.getState().advance(5000);
    for (const line of AFTER_AOF) run(store, line);
    store.getState().advance(2000);
    const { files } = store.getState().persistence.disk;
    const zip = zipDirectory('appendonlydir', files, store.getState().readDiskFile);
    const final = labKeyspace(store);
    expect(canonical(final)).not.toEqual(canonical(snapshot));

    // The RDB: a real server with only dump.rdb in its dir.
    const rdbDir = join(scratch, 'rdb');
    mkdirSync(rdbDir);
    writeFileSync(join(rdbDir, 'dump.rdb'), dump);
    const rdbServer = await startRealRedis(RDB_PORT, ['--dir', rdbDir, '--dbfilename', 'dump.rdb']);
    try {
      expect(canonical(await readLiveKeyspace(rdbServer.command))).toEqual(canonical(snapshot));
    } finally {
      await rdbServer.stop();
    }

    // The AOF: the .zip unzipped into an empty dir recreates appendonlydir/.
    const aofDir = join(scratch, 'aof');
    const entries = unzipSync(zip);
    expect(Object.keys(entries).sort()).toEqual(files.filter((file) => file.name.startsWith('appendonlydir/')).map((file) => file.name).sort());
    for (const [name, bytes] of Object.entries(entries)) {
      mkdirSync(dirname(join(aofDir, name)), { recursive: true });
      writeFileSync(join(aofDir, name), bytes);
    }
    const check = spawnSync('redis-check-aof', [join(aofDir, 'appendonlydir/appendonly.aof.manifest')], { encoding: 'utf8' });
    expect(check.stdout).toContain('is valid');
    const aofServer = await startRealRedis(AOF_PORT, ['--dir', aofDir, '--appendonly', 'yes']);
    try {
      expect(canonical(await readLiveKeyspace(aofServer.command))).toEqual(canonical(final));
    } finally {
      await aofServer.stop();
    }
  }, 30_000);
});
