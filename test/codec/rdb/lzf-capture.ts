/**
 * Makes test/fixtures/real-redis-7.0/lzf-corpus.rdb: the LZF corpus (lzf-corpus.ts) stored in a
 * real redis-server 7.0.15 and saved by it. Run it by hand, never in CI:
 *
 *   npx tsx test/codec/rdb/lzf-capture.ts [port]     # default port 6504; needs redis-server
 *
 * It loads the corpus over RESP, reads the keyspace back (it must equal the corpus), BGSAVEs and
 * keeps that dump.rdb. Since liblzf leaves its hash table uninitialised, it then checks that the
 * compressed bytes do not depend on what ran before: a foreground SAVE, and a BGSAVE after a
 * reload of the file (every value at a new address), must store every value in the same bytes
 * (the SAVE in the same order too; after the reload keys may come in another order). Finally
 * redis-check-rdb must call the file OK. It prints the file's size and sha256 for the README.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRdb } from '../../../src/codec/rdb/index.ts';
import { startRealRedis, waitUntil, type RealRedis } from '../../support/real-redis.ts';
import { lzfCorpus } from './lzf-corpus.ts';
import { canonical, readLiveKeyspace } from './rdb-test-kit.ts';

const port = Number(process.argv[2] ?? '6504');
const fixture = new URL('../../fixtures/real-redis-7.0/lzf-corpus.rdb', import.meta.url).pathname;
const corpus = lzfCorpus();

async function load(redis: RealRedis): Promise<void> {
  for (const db of corpus.dbs) {
    await redis.command(['SELECT', String(db.index)]);
    for (const e of db.entries) {
      if (e.type === 'string') await redis.command(['SET', e.key, e.value]);
      else if (e.type === 'list') await redis.command(['RPUSH', e.key, ...e.value]);
      else if (e.type === 'set') await redis.command(['SADD', e.key, ...e.value]);
      else if (e.type === 'hash') await redis.command(['HSET', e.key, ...e.value.flat()]);
      else throw new Error(`no zsets in the corpus (${e.key})`);
    }
  }
  const live = await readLiveKeyspace((argv) => redis.command(argv));
  if (JSON.stringify(canonical(live)) !== JSON.stringify(canonical(corpus))) throw new Error('the server holds something else than the corpus');
}

const info = async (redis: RealRedis, field: string) => {
  const text = (await redis.command(['INFO', 'persistence'])).value as string;
  return new RegExp(`^${field}:(.*)\r?$`, 'm').exec(text)?.[1];
};

async function bgsave(redis: RealRedis, dbfilename = 'dump.rdb'): Promise<Buffer> {
  await redis.command(['BGSAVE']);
  await waitUntil(async () => (await info(redis, 'rdb_bgsave_in_progress')) === '0', 'the BGSAVE ended');
  if ((await info(redis, 'rdb_last_bgsave_status')) !== 'ok') throw new Error('BGSAVE failed');
  return readFileSync(join(redis.dir, dbfilename));
}

/** The file past its AUX fields (the last is aof-base, INT8 0) and before its checksum. */
function body(file: Buffer): Buffer {
  const at = file.indexOf('aof-base');
  if (at < 0) throw new Error('no aof-base AUX field');
  return file.subarray(at + 'aof-base'.length + 2, file.length - 8);
}

/** Each key's stored value, as bytes: a reload may change the order keys are saved in, not these. */
function valuesByKey(file: Buffer): Map<string, string> {
  const bytes = new Uint8Array(file);
  const regions = readRdb(bytes).regions;
  const values = new Map<string, string>();
  regions.forEach((region, i) => {
    const value = regions[i + 1];
    if (region.kind !== 'key' || value?.kind !== 'value') return;
    values.set(String(region.detail.key), file.subarray(value.offset, value.offset + value.length).toString('hex'));
  });
  return values;
}

const first = await startRealRedis(port);
let saved: Buffer;
try {
  await load(first);
  saved = await bgsave(first);
  copyFileSync(join(first.dir, 'dump.rdb'), fixture);
  await first.command(['SAVE']);
  if (!body(readFileSync(join(first.dir, 'dump.rdb'))).equals(body(saved))) throw new Error('SAVE wrote other bytes than BGSAVE');
} finally {
  await first.stop();
}

const second = await startRealRedis(port, ['--dbfilename', 'corpus.rdb', '--enable-debug-command', 'yes']);
try {
  copyFileSync(fixture, join(second.dir, 'corpus.rdb'));
  await second.command(['DEBUG', 'RELOAD', 'NOSAVE']).then((r) => {
    if (r.type === 'error') throw new Error(`DEBUG RELOAD: ${r.value}`);
  });
  const before = valuesByKey(saved);
  const after = valuesByKey(await bgsave(second, 'corpus.rdb'));
  const changed = [...before].filter(([key, value]) => after.get(key) !== value).map(([key]) => key);
  if (changed.length > 0 || after.size !== before.size) throw new Error(`a BGSAVE after a reload stored other bytes for ${changed.join(', ')}`);
} finally {
  await second.stop();
}

const check = spawnSync('redis-check-rdb', [fixture], { encoding: 'utf8' });
if (check.status !== 0 || !check.stdout.includes('RDB looks OK')) throw new Error(`redis-check-rdb:\n${check.stdout}${check.stderr}`);
const sha = spawnSync('sha256sum', [fixture], { encoding: 'utf8' }).stdout.trim();
console.log(`${saved.length} bytes, ${corpus.dbs.reduce((n, db) => n + db.entries.length, 0)} keys; ${sha}`);
