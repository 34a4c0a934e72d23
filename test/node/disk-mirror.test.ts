// The headless server's --dir is the virtual disk, file for file and byte for byte: from the moment
// the server is up (what the load changed included) and after every change, truncations and a
// power loss included. A real redis-server started on the directory loads what the lab left there.
// Port 6540 (a real server), one case at a time.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Reply } from '../../src/codec/reply.ts';
import type { Engine } from '../../src/engine/index.ts';
import { readDirectoryFiles } from '../../src/node/disk-mirror.ts';
import { startHeadlessServer, type HeadlessServer } from '../../src/node/server.ts';
import { startRealRedis, testPort } from '../support/real-redis.ts';
import { connectResp } from '../support/resp-client.ts';

const AOF = { appendonly: 'yes', save: '' };
const INCR = 'appendonlydir/appendonly.aof.1.incr.aof';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lab-mirror-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The directory holds exactly the virtual disk's files, with the same bytes. */
function expectDirEqualsDisk(engine: Engine): void {
  const onDisk = readDirectoryFiles(dir);
  const virtual = Object.fromEntries(engine.disk.list().map((file) => [file.name, engine.disk.read(file.name)]));
  expect(Object.keys(onDisk).sort()).toEqual(Object.keys(virtual).sort());
  for (const [name, bytes] of Object.entries(virtual)) expect(onDisk[name], name).toEqual(bytes);
}

async function run(node: HeadlessServer, lines: readonly string[][]): Promise<Reply[]> {
  const client = await connectResp(node.port);
  try {
    const replies: Reply[] = [];
    for (const argv of lines) replies.push(await client.command(argv));
    return replies;
  } finally {
    client.close();
  }
}

const keys = (node: HeadlessServer): string[] => {
  const reply = node.engine.execute(node.engine.newClient(), ['KEYS', '*']);
  return reply.type === 'array' ? (reply.value ?? []).map((item) => (item.type === 'bulk' ? (item.value ?? '') : '')).sort() : [];
};

test('a first start with appendonly yes creates appendonlydir/ in --dir, and real Redis loads what the lab logged', async () => {
  const node = await startHeadlessServer({ port: 0, diskDir: dir, config: AOF });
  expect(node.engine.serverLog.some((line) => line.includes('Creating AOF incr file appendonly.aof.1.incr.aof on server start'))).toBe(true);
  expectDirEqualsDisk(node.engine);
  expect(await run(node, [['SET', 'x', '1']])).toEqual([{ type: 'status', value: 'OK' }]);
  expectDirEqualsDisk(node.engine);
  await node.close();

  const again = await startHeadlessServer({ port: 0, diskDir: dir, config: AOF });
  expect(keys(again)).toEqual(['x']);
  await again.close();

  const redis = await startRealRedis(testPort(6540), ['--dir', dir, '--appendonly', 'yes']);
  try {
    expect(await redis.command(['GET', 'x'])).toEqual({ type: 'bulk', value: '1' });
    expect(await redis.command(['DBSIZE'])).toEqual({ type: 'integer', value: 1 });
  } finally {
    await redis.stop();
  }
});

test('a half-written command cut off at load (aof-load-truncated yes) is cut off in --dir too, so the next start loads', async () => {
  const first = await startHeadlessServer({ port: 0, diskDir: dir, config: AOF });
  await run(first, [
    ['SET', 'a', '1'],
    ['SET', 'b', '2'],
  ]);
  await first.close();
  const whole = readFileSync(join(dir, INCR)).length;
  // The tail of a write the power cut short.
  appendFileSync(join(dir, INCR), `*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$300\r\n${'v'.repeat(120)}`);

  const second = await startHeadlessServer({ port: 0, diskDir: dir, config: AOF });
  expect(second.engine.serverLog.some((line) => line.endsWith('# AOF appendonly.aof.1.incr.aof loaded anyway because aof-load-truncated is enabled'))).toBe(true);
  expectDirEqualsDisk(second.engine);
  expect(readFileSync(join(dir, INCR)).length).toBe(whole);
  await run(second, [['SET', 'z', '1']]);
  await second.close();

  const third = await startHeadlessServer({ port: 0, diskDir: dir, config: AOF });
  expect(keys(third)).toEqual(['a', 'b', 'z']);
  await third.close();
});

test('a power loss cuts the files in --dir as on the virtual disk; a write reported lost never comes back', async () => {
  const node = await startHeadlessServer({ port: 0, diskDir: dir, config: { ...AOF, appendfsync: 'no' } });
  await run(node, [
    ['SET', 'a', '1'],
    ['SET', 'b', '2'],
    ['SIM', 'CRASH', 'POWER'],
  ]);
  expectDirEqualsDisk(node.engine);
  await run(node, [['SIM', 'RESTART'], ['SET', 'c', '3']]);
  const survivors = keys(node);
  expect(survivors).not.toContain('b');
  expectDirEqualsDisk(node.engine);
  await node.close();

  const again = await startHeadlessServer({ port: 0, diskDir: dir, config: AOF });
  expect(keys(again)).toEqual(survivors);
  await again.close();
});

test('an old-style appendonly.aof migrated into appendonlydir/ at start leaves --dir as the virtual disk', async () => {
  writeFileSync(join(dir, 'appendonly.aof'), '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$3\r\nold\r\n$1\r\n1\r\n');
  const node = await startHeadlessServer({ port: 0, diskDir: dir, config: AOF });
  expect(node.engine.serverLog.some((line) => line.includes('Successfully migrated an old-style AOF file (appendonly.aof) into the AOF directory (appendonlydir).'))).toBe(true);
  expect(keys(node)).toEqual(['old']);
  expectDirEqualsDisk(node.engine);
  await node.close();
});
