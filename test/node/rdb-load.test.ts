// The RDB load path against the oracle, a real redis-server 7.0.15, both ways round:
// - the lab's headless server (its own process, --dir A) writes dump.rdb with BGSAVE and SAVE;
//   redis-check-rdb calls it OK and a real server started on A serves the same keyspace;
// - a real server writes dump.rdb with BGSAVE; the lab started on that directory serves it;
// - the log lines of a load, of DEBUG RELOAD and of each load failure equal the real server's;
// - during a slow BGSAVE, `ls` of --dir shows temp-<childpid>.rdb growing, then dump.rdb.
// Ports 6520-6524 (real servers) and 6525-6529 (the lab's headless processes), one at a time.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Reply } from '../../src/codec/reply.ts';
import { Engine } from '../../src/engine/index.ts';
import { debugReload } from '../../src/engine/persistence/rdb-load.ts';
import { mirrorDisk, readDirectoryFiles } from '../../src/node/disk-mirror.ts';
import { canonical, readLiveKeyspace } from '../codec/rdb/rdb-test-kit.ts';
import { startHeadlessProcess } from '../support/headless-process.ts';
import { redisServerPath, startRealRedis, testPort, waitUntil } from '../support/real-redis.ts';
import { connectResp, type RespClient } from '../support/resp-client.ts';

const ROOT = join(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'test/fixtures/real-redis-7.0');
type Command = (argv: readonly string[]) => Promise<Reply>;

const range = (n: number, f: (i: number) => string[]) => Array.from({ length: n }, (_, i) => f(i)).flat();

/** Every type in every encoding Redis 7.0 saves, with expiries, in three databases. */
const WORKLOAD: string[][] = [
  ['FLUSHALL'],
  ['SET', 's:plain', 'hello world'],
  ['SET', 's:int', '12345'],
  ['SET', 's:neg', '-42'],
  ['SET', 's:bigint', '1234567890123'],
  ['SET', 's:float', '3.14'],
  ['SET', 's:empty', ''],
  ['SET', 's:binary', 'a\x00b\xffc\r\n'],
  ['SET', 's:compressible', 'abcdefgh'.repeat(200)],
  ['SET', 'k\xff\x00', 'a binary key'],
  ['SET', 's:pxat', 'expires in 2100', 'PXAT', '4102444800123'],
  ['SET', 's:ex', 'expires in a day', 'EX', '86400'],
  ['RPUSH', 'list:small', 'a', 'b', 'c', '1', '2', '3'],
  ['RPUSH', 'list:big', ...range(2000, (i) => [`element-${String(i).padStart(5, '0')}`])],
  ['RPUSH', 'list:huge-element', 'a', 'x'.repeat(20000)],
  ['PEXPIREAT', 'list:small', '4102444800000'],
  ['HSET', 'hash:small', 'name', 'redis', 'version', '7.0', 'empty', ''],
  ['HSET', 'hash:big', ...range(600, (i) => [`field${i}`, `value${i}`])],
  ['HSET', 'hash:longvalue', 'f', 'x'.repeat(65)],
  ['EXPIRE', 'hash:big', '100000'],
  ['SADD', 'set:ints', '1', '2', '3', '100', '-5', '70000', '4294967296'],
  ['SADD', 'set:strs', 'apple', 'banana', 'cherry'],
  ['SADD', 'set:bigints', ...range(600, (i) => [String(1000 + i)])],
  ['ZADD', 'zset:small', '1', 'one', '2.5', 'two-and-half', '-3', 'minus-three', '1e3', 'thousand', 'inf', 'pinf', '-inf', 'ninf', '0.1', 'tenth'],
  ['ZADD', 'zset:big', ...range(200, (i) => [String(i % 2 === 0 ? i : i / 3), `member${i}`])],
  ['ZADD', 'zset:longmember', '1', 'm'.repeat(65)],
  ['PEXPIRE', 'zset:big', '90000000'],
  ['SELECT', '2'],
  ['SET', 'db2:key', 'in db 2'],
  ['SELECT', '15'],
  ['HSET', 'h15', 'a', 'b'],
  ['SELECT', '0'],
];

async function runAll(command: Command, lines: readonly string[][]): Promise<void> {
  const replies = await Promise.all(lines.map((argv) => command(argv)));
  const failed = replies.findIndex((reply) => reply.type === 'error');
  if (failed >= 0) throw new Error(`${lines[failed]?.[0]} failed: ${JSON.stringify(replies[failed])}`);
}

async function infoField(command: Command, field: string): Promise<string> {
  const reply = await command(['INFO', 'persistence']);
  const text = reply.type === 'bulk' ? (reply.value ?? '') : '';
  return new RegExp(`^${field}:(.*)\\r$`, 'm').exec(text)?.[1] ?? '';
}

/** BGSAVE and wait for it to end; then the file must be there. */
async function bgsave(command: Command): Promise<void> {
  expect(await command(['BGSAVE'])).toEqual({ type: 'status', value: 'Background saving started' });
  for (let i = 0; (await infoField(command, 'rdb_bgsave_in_progress')) !== '0'; i++) {
    if (i > 200) throw new Error('BGSAVE did not finish');
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(await infoField(command, 'rdb_last_bgsave_status')).toBe('ok');
}

/**
 * A log's lines from "Server initialized" on, as `<level> <message>`, without what the lab does
 * not model (the kernel's overcommit warning).
 */
function loadMessages(log: string): string[] {
  const lines = log
    .split('\n')
    .map((line) => line.replace(/^\d+:[MCS] \d\d \w{3} \d{4} [\d:.]+ /, '').trimEnd())
    .filter((line) => line !== '' && !line.startsWith('# WARNING'));
  return lines.slice(lines.lastIndexOf('# Server initialized') + 1);
}

/**
 * The lines up to "Ready to accept connections", with the RDB age checked apart and the load
 * time left out (the lab loads in no time; a real server may take a millisecond).
 */
function withoutAge(lines: readonly string[]): { lines: string[]; age: number } {
  const ageLine = lines.find((line) => line.startsWith('* RDB age '));
  const ready = lines.indexOf('* Ready to accept connections');
  return {
    lines: lines
      .slice(0, ready + 1)
      .map((line) => (line === ageLine ? '* RDB age <n> seconds' : line.replace(/^(\* DB loaded from disk: )[\d.]+( seconds)$/, '$1<t>$2'))),
    age: Number(/\d+/.exec(ageLine ?? '')?.[0]),
  };
}

const scratch = (tag: string) => mkdtempSync(join(tmpdir(), `lab-rdb-load-${tag}-`));
const checkRdb = (file: string) => spawnSync('redis-check-rdb', [file], { encoding: 'utf8' });

async function withClient<T>(port: number, use: (client: RespClient) => Promise<T>): Promise<T> {
  const client = await connectResp(port);
  try {
    return await use(client);
  } finally {
    client.close();
  }
}

describe('round trips with a real redis-server 7.0.15', () => {
  it('the lab writes dump.rdb into --dir (BGSAVE, then SAVE); redis-check-rdb says OK; real Redis loads the same keyspace', async () => {
    const dir = scratch('lab-writes');
    try {
      const lab = await startHeadlessProcess(testPort(6525), ['--dir', dir, '--save', '']);
      let labKeyspace;
      try {
        labKeyspace = await withClient(lab.port, async (client) => {
          const command: Command = (argv) => client.command(argv);
          await runAll(command, WORKLOAD);
          await bgsave(command);
          expect(readdirSync(dir)).toEqual(['dump.rdb']);
          const afterBgsave = readFileSync(join(dir, 'dump.rdb'));
          await runAll(command, [['SET', 'after:bgsave', '1'], ['SELECT', '3'], ['RPUSH', 'db3:list', 'z']]);
          expect(await command(['SAVE'])).toEqual({ type: 'status', value: 'OK' });
          expect(readFileSync(join(dir, 'dump.rdb')).equals(afterBgsave)).toBe(false);
          return readLiveKeyspace(command);
        });
      } finally {
        await lab.stop();
      }
      expect(readdirSync(dir)).toEqual(['dump.rdb']);
      const check = checkRdb(join(dir, 'dump.rdb'));
      expect(check.stdout).toContain('\\o/ RDB looks OK! \\o/');
      expect(check.status).toBe(0);

      const real = await startRealRedis(testPort(6520), ['--dir', dir]);
      try {
        expect(canonical(await readLiveKeyspace(real.command))).toEqual(canonical(labKeyspace));
        const keys = labKeyspace.dbs.reduce((n, db) => n + db.entries.length, 0);
        expect(readFileSync(join(real.dir, 'redis.log'), 'utf8')).toContain(`Done loading RDB, keys loaded: ${keys}, keys expired: 0.`);
      } finally {
        await real.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('real Redis writes dump.rdb with BGSAVE; the lab started on that directory serves the same keyspace', async () => {
    const dir = scratch('real-writes');
    try {
      const real = await startRealRedis(testPort(6521), ['--dir', dir]);
      let realKeyspace;
      try {
        await runAll(real.command, WORKLOAD);
        await bgsave(real.command);
        realKeyspace = await readLiveKeyspace(real.command);
      } finally {
        await real.stop();
      }
      const lab = await startHeadlessProcess(testPort(6526), ['--dir', dir, '--save', '']);
      try {
        const labKeyspace = await withClient(lab.port, (client) => readLiveKeyspace((argv) => client.command(argv)));
        expect(canonical(labKeyspace)).toEqual(canonical(realKeyspace));
        const keys = realKeyspace.dbs.reduce((n, db) => n + db.entries.length, 0);
        expect(loadMessages(lab.log())).toContain(`* Done loading RDB, keys loaded: ${keys}, keys expired: 0.`);
      } finally {
        await lab.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('log lines, compared with the real server', () => {
  it.each(['rdb-strings.rdb', 'rdb-types.rdb'])('a successful load of %s logs what Redis logs', async (fixture) => {
    const realDir = scratch('real-log');
    const labDir = scratch('lab-log');
    try {
      copyFileSync(join(FIXTURES, fixture), join(realDir, 'dump.rdb'));
      copyFileSync(join(FIXTURES, fixture), join(labDir, 'dump.rdb'));
      const real = await startRealRedis(testPort(6522), ['--dir', realDir]);
      const realLog = readFileSync(join(real.dir, 'redis.log'), 'utf8');
      await real.stop();
      const lab = await startHeadlessProcess(testPort(6527), ['--dir', labDir, '--save', '']);
      const labLog = lab.log();
      await lab.stop();
      const expected = withoutAge(loadMessages(realLog));
      const actual = withoutAge(loadMessages(labLog));
      expect(actual.lines).toEqual(expected.lines);
      expect(expected.lines).toContain('* Done loading RDB, keys loaded: ' + (fixture === 'rdb-strings.rdb' ? '14' : '11') + ', keys expired: 0.');
      // Both count from the file's ctime to their own start, a second or two apart on a busy machine
      // (the exact age is checked in test/engine/rdb-load.test.ts).
      expect(Math.abs(actual.age - expected.age)).toBeLessThanOrEqual(5);
    } finally {
      rmSync(realDir, { recursive: true, force: true });
      rmSync(labDir, { recursive: true, force: true });
    }
  });

  it('DEBUG RELOAD logs what Redis logs', async () => {
    const real = await startRealRedis(testPort(6523), ['--enable-debug-command', 'yes']);
    const engine = new Engine({ epochMs: Date.now(), config: { save: '' } });
    try {
      const lines = WORKLOAD.slice(0, 12);
      await runAll(real.command, lines);
      expect(await real.command(['DEBUG', 'RELOAD'])).toEqual({ type: 'status', value: 'OK' });
      const client = engine.newClient();
      for (const argv of lines) engine.execute(client, argv);
      const mark = engine.serverLog.length;
      expect(debugReload(engine, [])).toEqual({ type: 'status', value: 'OK' });
      const realLog = loadMessages(readFileSync(join(real.dir, 'redis.log'), 'utf8'));
      const realReload = realLog.slice(realLog.indexOf('* Ready to accept connections') + 1);
      const labReload = loadMessages(engine.serverLog.slice(mark).join('\n'));
      // used-mem is the lab's estimate, not jemalloc's figure; the age depends on whether the real
      // server's clock crossed a second between its save and its load.
      const normalise = (line: string) => line.replace(/created [\d.]+ Mb/, 'created <x> Mb').replace(/RDB age [01] seconds/, 'RDB age <0 or 1> seconds');
      expect(labReload.map(normalise)).toEqual(realReload.map(normalise));
      expect(realReload).toContain(`* Done loading RDB, keys loaded: ${engine.dbs[0]?.size}, keys expired: 0.`);
    } finally {
      await real.stop();
    }
  });

  /** A file each server refuses at startup: both must exit 1 and log the same lines. */
  const patched = (offset: number, bytes: readonly number[]) => () => {
    const file = new Uint8Array(readFileSync(join(FIXTURES, 'rdb-strings.rdb')));
    file.set(bytes, offset < 0 ? file.length + offset : offset);
    return file;
  };
  const broken: [string, () => Uint8Array][] = [
    ['a newer RDB version', patched(5, [0x30, 0x30, 0x31, 0x31])],
    ['a wrong signature', patched(1, [0x4f])],
    ['a corrupt checksum', patched(-1, [0x60])], // the top byte of the stored CRC, 0x9f in the fixture
    ['a truncated file', () => patched(0, [])().slice(0, 200)],
  ];

  it.each(broken)('%s: the lab exits 1 at startup with the lines real Redis logs', (_, make) => {
    const realDir = scratch('real-fail');
    const labDir = scratch('lab-fail');
    try {
      writeFileSync(join(realDir, 'dump.rdb'), make());
      writeFileSync(join(labDir, 'dump.rdb'), make());
      const realLog = join(realDir, 'redis.log');
      const realRun = spawnSync(
        redisServerPath(),
        ['--port', String(testPort(6524)), '--bind', '127.0.0.1', '--dir', realDir, '--save', '', '--appendonly', 'no', '--logfile', realLog],
        { timeout: 20_000, stdio: 'ignore' },
      );
      expect(realRun.status).toBe(1);
      const labRun = spawnSync(process.execPath, ['--import', 'tsx', 'src/node/main.ts', '--port', String(testPort(6529)), '--dir', labDir, '--save', ''], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(labRun.status).toBe(1);
      const expected = loadMessages(readFileSync(realLog, 'utf8'));
      const actual = loadMessages(labRun.stdout);
      expect(actual.map((line) => line.replace(/RDB age \d+/, 'RDB age <n>'))).toEqual(expected.map((line) => line.replace(/RDB age \d+/, 'RDB age <n>')));
      expect(actual.at(-1)).toMatch(/^# (Fatal error loading the DB|Internal error in RDB reading)/);
      // The lab left the directory as it found it.
      expect(readdirSync(labDir)).toEqual(['dump.rdb']);
    } finally {
      rmSync(realDir, { recursive: true, force: true });
      rmSync(labDir, { recursive: true, force: true });
    }
  });
});

describe('--dir mirrors the virtual disk', () => {
  it('shows temp-<childpid>.rdb growing during a slow BGSAVE, then dump.rdb alone; stale files stay', async () => {
    const dir = scratch('mirror');
    try {
      writeFileSync(join(dir, 'temp-99.rdb'), 'stale');
      const lab = await startHeadlessProcess(testPort(6528), ['--dir', dir, '--save', '']);
      try {
        await withClient(lab.port, async (client) => {
          const command: Command = (argv) => client.command(argv);
          await runAll(command, [['DEBUG', 'POPULATE', '1000'], ['SIM', 'SET', 'disk-mbps', '0.02']]);
          expect(await command(['BGSAVE'])).toEqual({ type: 'status', value: 'Background saving started' });
          // The log comes through the process's stdout, which can lag behind the reply's socket.
          const started = /Background saving started by pid (\d+)/;
          await waitUntil(() => started.test(lab.log()), 'the log line of the BGSAVE');
          const temp = `temp-${started.exec(lab.log())?.[1]}.rdb`;
          const sizes: number[] = [];
          // The rename is atomic: the directory holds the temp file or dump.rdb, never both.
          for (let i = 0, names = readdirSync(dir); !names.includes('dump.rdb'); i++, names = readdirSync(dir)) {
            const size = names.includes(temp) ? statSync(join(dir, temp), { throwIfNoEntry: false })?.size : undefined;
            if (size !== undefined) sizes.push(size);
            if (i > 400) throw new Error('the BGSAVE did not finish');
            await new Promise((r) => setTimeout(r, 50));
          }
          expect(readdirSync(dir)).not.toContain(temp);
          expect(sizes.length).toBeGreaterThan(3);
          expect(sizes.some((size) => size > 0 && size < (sizes.at(-1) ?? 0))).toBe(true);
          while ((await infoField(command, 'rdb_bgsave_in_progress')) === '1') await new Promise((r) => setTimeout(r, 50));
          expect(readdirSync(dir).sort()).toEqual(['dump.rdb', 'temp-99.rdb']);
          expect(checkRdb(join(dir, 'dump.rdb')).stdout).toContain('\\o/ RDB looks OK! \\o/');
          const dbsize = await command(['DBSIZE']);
          expect(dbsize).toEqual({ type: 'integer', value: 1000 });
        });
      } finally {
        await lab.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('replays creations, writes at offsets, renames (into subdirectories too) and deletions; never leaves the directory', () => {
    const root = scratch('mirror-unit');
    try {
      const dir = join(root, 'dir');
      mkdirSync(join(dir, 'appendonlydir'), { recursive: true });
      writeFileSync(join(dir, 'appendonlydir', 'old.aof'), 'old');
      writeFileSync(join(dir, 'redis.log'), 'log');
      const files = readDirectoryFiles(dir, [join(dir, 'redis.log')]);
      expect(Object.keys(files)).toEqual(['appendonlydir/old.aof']);

      const engine = new Engine({ epochMs: Date.UTC(2026, 0, 1), files });
      const problems: string[] = [];
      const stop = mirrorDisk(engine, dir, files, (message) => problems.push(message));
      const bytes = (text: string) => new TextEncoder().encode(text);
      engine.disk.create('temp-1.rdb', engine.nowMs);
      engine.disk.append('temp-1.rdb', bytes('hello '), engine.nowMs);
      engine.disk.append('temp-1.rdb', bytes('world'), engine.nowMs);
      engine.disk.fsync('temp-1.rdb');
      engine.disk.rename('temp-1.rdb', 'appendonlydir/new.rdb');
      engine.disk.unlink('appendonlydir/old.aof');
      expect(readFileSync(join(dir, 'appendonlydir', 'new.rdb'), 'utf8')).toBe('hello world');
      expect(readdirSync(join(dir, 'appendonlydir'))).toEqual(['new.rdb']);
      expect(readdirSync(dir).sort()).toEqual(['appendonlydir', 'redis.log']);

      for (const name of ['../escape', 'a/../../escape', '/abs', 'x\\y']) engine.disk.create(name, engine.nowMs);
      expect(problems).toHaveLength(4);
      expect(problems[0]).toMatch(/refusing to mirror the file name '\.\.\/escape'/);
      expect(readdirSync(root)).toEqual(['dir']);
      expect(existsSync('/abs')).toBe(false);
      stop();
      engine.disk.create('after-stop', engine.nowMs);
      expect(existsSync(join(dir, 'after-stop'))).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
