/**
 * Crashes cross-checked with a real redis-server 7.0.15 (the oracle), each case driven the same
 * way on both: kill -9 of the server in the middle of a BGSAVE (the orphaned child renames its
 * file, or reports progress first and leaves its temp file), kill -9 with the AOF on, an incr file
 * ending in an incomplete MULTI or half a command, garbage in the middle of an incr file, the
 * appendonly-yes restart trap and its way out (CONFIG SET appendonly yes, CONFIG REWRITE). The
 * real server is restarted on the same directory; the engine with SIM RESTART. Same keyspace,
 * same files left behind, same log lines (timings and ages aside).
 *
 * Ports 6560-6569, one per case. Only the redis-server each case spawned is ever killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Reply } from '../../src/codec/reply.ts';
import { Engine } from '../../src/engine/index.ts';
import { redisServerPath, testPort } from '../support/real-redis.ts';
import { connectResp, type RespClient } from '../support/resp-client.ts';

const TIMEOUT_MS = 60_000;

// ---- the real side ------------------------------------------------------------------------------------

/** One directory on which real servers are started, one after another, on one port. */
class RealNode {
  private starts = 0;
  private process: ChildProcess | null = null;
  private client: RespClient | null = null;
  readonly dir = mkdtempSync(join(tmpdir(), 'lab-crash-oracle-'));

  constructor(readonly port: number) {}

  private get logFile(): string {
    return join(this.dir, `redis-${this.starts}.log`);
  }

  /**
   * Starts redis-server on the directory (with `conf` as its configuration file when given, which
   * must then set the port, bind address and dir); resolves false when it exited instead, as a
   * fatal load error makes it.
   */
  async start(args: readonly string[] = [], conf?: string, waitReady = true): Promise<boolean> {
    this.starts++;
    await assertPortFree(this.port);
    const argv =
      conf === undefined
        ? ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--appendonly', 'no', '--logfile', this.logFile, ...args]
        : [conf, '--logfile', this.logFile, ...args];
    const child = spawn(redisServerPath(), argv, { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Redis listens while it loads (answering -LOADING): it has started once it says it is ready.
    const gone = () => child.exitCode !== null || child.signalCode !== null;
    const listening = () => this.log().includes(`M * Running mode=standalone, port=${this.port}.`);
    await until(() => gone() || (waitReady ? this.log().includes('M * Ready to accept connections') : listening()));
    if (gone()) {
      await exited;
      return false;
    }
    this.process = child;
    for (let attempt = 0; this.client === null; attempt++) {
      try {
        this.client = await connectResp(this.port);
      } catch (error) {
        if (attempt > 200) throw error;
        await sleep(25);
      }
    }
    // The server answering must be the one this case spawned.
    const info = String((await this.command('INFO', 'server')).value);
    expect(/\r\nprocess_id:(\d+)\r\n/.exec(info)?.[1]).toBe(String(child.pid));
    return true;
  }

  command(...argv: string[]): Promise<Reply> {
    return (this.client as RespClient).command(argv);
  }

  /** kill -9 of the redis-server this case spawned (its pid, checked at start), and nothing else. */
  async kill9(): Promise<void> {
    const child = this.process as ChildProcess;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(child.pid as number, 'SIGKILL');
    await exited;
    this.client?.close();
    this.client = null;
    this.process = null;
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (child !== null && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      void this.command('SHUTDOWN', 'NOSAVE').catch(() => {});
      await exited;
    }
    this.client?.close();
    this.client = null;
    this.process = null;
  }

  /** The log of the current (or last) start, as `<role> <level> <message>`. */
  log(): string[] {
    if (!existsSync(this.logFile)) return [];
    return readFileSync(this.logFile, 'utf8')
      .split('\n')
      .flatMap((line) => {
        const match = /^\d+:([MC]) \d\d \w{3} \d{4} [\d:.]+ ([.*#-]) (.*)$/.exec(line);
        return match === null ? [] : [`${match[1]} ${match[2]} ${match[3]}`];
      });
  }

  files(): string[] {
    return readdirSync(this.dir).filter((name) => !name.endsWith('.log') && !name.endsWith('.conf')).sort();
  }

  aofFile(name: string): string {
    return join(this.dir, 'appendonlydir', name);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Nothing may listen on the port already: the case would talk to someone else's server. */
async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', () => reject(new Error(`port ${port} is taken: see the port registry in test/support/real-redis.ts`)));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve()));
  });
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The lines a fork child wrote (its `C` lines, without a start's banner, which redis-server also writes as `C`). */
const childLines = (lines: readonly string[]): string[] =>
  lines.filter((line) => line.startsWith('C ') && !/oO0OoO0OoO0Oo|Redis version=|Configuration loaded/.test(line));

// ---- the engine side ------------------------------------------------------------------------------------

function engineNode(config: Record<string, string> = {}, configFile = false) {
  const engine = new Engine({ config: { save: '', ...config }, configFile });
  const run = (...argv: string[]): Reply => {
    const client = engine.newClient();
    const reply = engine.execute(client, argv);
    engine.beforeSleep();
    return reply;
  };
  /** The log since line `from`, as `<role> <level> <message>`. */
  const log = (from = 0) =>
    engine.serverLog.slice(from).flatMap((line) => {
      const match = /^\d+:([MC]) \d\d \w{3} \d{4} [\d:.]+ ([.*#-]) (.*)$/s.exec(line);
      return match === null ? [] : [`${match[1]} ${match[2]} ${match[3]}`];
    });
  return { engine, run, log };
}

// ---- comparing ------------------------------------------------------------------------------------------

/** What differs between runs and machines: ages, memory, timings, the kernel's warnings. */
function comparable(lines: readonly string[]): string[] {
  return lines
    .filter((line) => !line.includes('WARNING') && !line.includes('monotonic clock'))
    .map((line) =>
      line
        .replace(/RDB age \d+ seconds/, 'RDB age N seconds')
        .replace(/RDB memory usage when created [\d.]+ Mb/, 'RDB memory usage when created N Mb')
        .replace(/: [\d.]+ seconds$/, ': N seconds')
        .replace(/current \d+ MB, peak \d+ MB, average \d+ MB/, 'current N MB, peak N MB, average N MB')
        .replace(/pid \d+/, 'pid N')
        .replace(/temp-rewriteaof-bg-\d+/g, 'temp-rewriteaof-bg-N')
        .replace(/redis-server is starting.*/, 'starting'),
    );
}

/** The log of one start, from "Server initialized" on. */
const afterInit = (lines: readonly string[]): string[] => lines.slice(lines.lastIndexOf('M # Server initialized'));

/** A few keys of the workload, read back the same way on both sides. */
async function realKeys(node: RealNode, keys: readonly string[]): Promise<(string | null)[]> {
  return Promise.all(keys.map(async (key) => (await node.command('GET', key)).value as string | null));
}
const engineKeys = (run: (...argv: string[]) => Reply, keys: readonly string[]) => keys.map((key) => run('GET', key).value as string | null);

const WRITES: readonly (readonly string[])[] = [
  ['SET', 'a', '1'],
  ['SET', 'b', 'two'],
  ['INCR', 'n'],
  ['INCR', 'n'],
  ['RPUSH', 'l', 'x', 'y'],
];

// ---- the cases --------------------------------------------------------------------------------------------

describe('kill -9 in the middle of a BGSAVE', () => {
  it('the orphaned child with few keys finishes, renames dump.rdb, then fails to report: the restart has the snapshot', { timeout: TIMEOUT_MS }, async () => {
    const real = new RealNode(testPort(6560));
    try {
      await real.start(['--enable-debug-command', 'yes']);
      await real.command('DEBUG', 'POPULATE', '100');
      await real.command('CONFIG', 'SET', 'rdb-key-save-delay', '50000'); // 5 s for 100 keys
      await real.command('BGSAVE');
      // The child reports its progress after its first key; the parent must have had that report,
      // or the orphan's first report fails before it writes anything (a loaded machine can keep the
      // child from its first key for a while). The parent reads reports once a second.
      await until(async () => /\r\ncurrent_save_keys_processed:[1-9]/.test(String((await real.command('INFO', 'persistence')).value)));
      await real.kill9();
      await until(() => real.log().some((line) => line.includes('Broken pipe')));
      const realChild = childLines(real.log());
      expect(await real.start()).toBe(true);
      expect(await real.command('DBSIZE')).toEqual({ type: 'integer', value: 100 });

      const { engine, run, log } = engineNode();
      run('DEBUG', 'POPULATE', '100');
      run('SIM', 'SET', 'disk-mbps', '0.001');
      run('BGSAVE');
      engine.advance(300);
      run('SIM', 'CRASH', 'PROCESS');
      engine.advance(600_000);
      const engineChild = childLines(log());
      run('SIM', 'SET', 'disk-mbps', '100');
      run('SIM', 'RESTART');
      expect(run('DBSIZE')).toEqual({ type: 'integer', value: 100 });
      expect(comparable(engineChild)).toEqual(comparable(realChild));
      expect(comparable(realChild)).toEqual([
        'C * DB saved on disk',
        'C * Fork CoW for RDB: current N MB, peak N MB, average N MB',
        'C # Child failed reporting info to parent, exiting. Broken pipe',
      ]);
    } finally {
      await real.stop();
      real.remove();
    }
  });

  it('the orphaned child that reports its progress first exits before its rename: temp-<pid>.rdb stays, dump.rdb is the old one', { timeout: TIMEOUT_MS }, async () => {
    const real = new RealNode(testPort(6561));
    try {
      await real.start(['--enable-debug-command', 'yes']);
      await real.command('SET', 'old', '1');
      await real.command('SAVE');
      await real.command('DEBUG', 'POPULATE', '5000');
      // 5 s for 5000 keys: the child reports about once a second (after each 1024 keys once a second
      // has gone by), its last report about 4.1 s in; a kill before that one stops it before its rename.
      await real.command('CONFIG', 'SET', 'rdb-key-save-delay', '1000');
      await real.command('BGSAVE');
      await sleep(1200);
      await real.kill9();
      await until(() => real.log().some((line) => line.includes('Broken pipe')));
      const realChild = childLines(real.log());
      const realFiles = real.files();
      expect(await real.start()).toBe(true);
      expect(await real.command('DBSIZE')).toEqual({ type: 'integer', value: 1 });

      const { engine, run, log } = engineNode();
      run('SET', 'old', '1');
      run('SAVE');
      run('DEBUG', 'POPULATE', '5000');
      const size = 110_000; // about the snapshot's size: written in about 5 s
      run('SIM', 'SET', 'disk-mbps', String(size / 5_000_000));
      run('BGSAVE');
      engine.advance(1200);
      run('SIM', 'CRASH', 'PROCESS');
      engine.advance(600_000);
      const engineChild = childLines(log());
      const engineFiles = engine.disk.list().map((file) => file.name);
      run('SIM', 'SET', 'disk-mbps', '100');
      run('SIM', 'RESTART');
      expect(run('DBSIZE')).toEqual({ type: 'integer', value: 1 });

      expect(comparable(realChild)).toEqual(['C # Child failed reporting info to parent, exiting. Broken pipe']);
      expect(comparable(engineChild)).toEqual(comparable(realChild));
      const shape = (names: readonly string[]) => names.map((name) => name.replace(/^temp-\d+\.rdb$/, 'temp-<pid>.rdb'));
      expect(shape(engineFiles)).toEqual(shape(realFiles));
      expect(shape(realFiles)).toEqual(['dump.rdb', 'temp-<pid>.rdb']);
    } finally {
      await real.stop();
      real.remove();
    }
  });
});

describe('kill -9 with the AOF on', () => {
  /**
   * Both sides run the writes with appendonly yes, are killed, and are restarted after `damage`.
   * appendfsync no: with everysec the real server postpones writes while its first background
   * fsync runs (a few ms on this disk), so which writes a kill -9 finds still in aof_buf depends
   * on the disk's timing: seen here, and exactly the everysec loss the lab models.
   */
  async function killAndRestart(
    port: number,
    damage: { real: (node: RealNode) => void; engine: (engine: Engine) => void } | null,
    restartArgs: readonly string[] = [],
  ) {
    const real = new RealNode(port);
    let realStarted: boolean;
    let realLog: string[];
    let realValues: (string | null)[] | null;
    let realIncr: Buffer;
    try {
      await real.start(['--appendonly', 'yes', '--appendfsync', 'no']);
      for (const argv of WRITES) await real.command(...argv);
      await real.kill9();
      damage?.real(real);
      realStarted = await real.start(['--appendonly', 'yes', '--appendfsync', 'no', ...restartArgs]);
      realLog = afterInit(real.log());
      realValues = realStarted ? await realKeys(real, ['a', 'b', 'n', 'z']) : null;
      realIncr = readFileSync(real.aofFile('appendonly.aof.1.incr.aof'));
    } finally {
      await real.stop();
      real.remove();
    }

    const { engine, run, log } = engineNode({ appendonly: 'yes', appendfsync: 'no' });
    for (const argv of WRITES) run(...argv);
    run('SIM', 'CRASH', 'PROCESS');
    damage?.engine(engine);
    const from = engine.serverLog.length;
    const options = [];
    for (let i = 0; i < restartArgs.length; i += 2) options.push(restartArgs[i] as string, restartArgs[i + 1] as string);
    run('SIM', 'RESTART', '--appendonly', 'yes', ...options);
    const engineLog = afterInit(log(from));
    const engineValues = engine.running ? engineKeys(run, ['a', 'b', 'n', 'z']) : null;
    const engineIncr = engine.disk.read('appendonlydir/appendonly.aof.1.incr.aof')!;
    return { realStarted, realLog, realValues, realIncr, engine, engineLog, engineValues, engineIncr };
  }

  /** Appends the same bytes to the incr file on both sides, as a person (or a torn write) would. */
  const append = (bytes: string) => ({
    real: (node: RealNode) => appendFileSync(node.aofFile('appendonly.aof.1.incr.aof'), Buffer.from(bytes, 'latin1')),
    engine: (engine: Engine) => engine.disk.append('appendonlydir/appendonly.aof.1.incr.aof', Buffer.from(bytes, 'latin1'), engine.nowMs),
  });

  it('loses nothing acknowledged: the page cache survives; the load logs what the real one logs', { timeout: TIMEOUT_MS }, async () => {
    const result = await killAndRestart(testPort(6562), null);
    expect(result.realValues).toEqual(['1', 'two', '2', null]);
    expect(result.engineValues).toEqual(result.realValues);
    expect(comparable(result.engineLog)).toEqual(comparable(result.realLog));
    expect(comparable(result.realLog)).toEqual([
      'M # Server initialized',
      'M * Reading RDB base file on AOF loading...',
      'M * Loading RDB produced by version 7.0.15',
      'M * RDB age N seconds',
      'M * RDB memory usage when created N Mb',
      'M * RDB is base AOF',
      'M * Done loading RDB, keys loaded: 0, keys expired: 0.',
      'M * DB loaded from base file appendonly.aof.1.base.rdb: N seconds',
      'M * DB loaded from incr file appendonly.aof.1.incr.aof: N seconds',
      'M * DB loaded from append only file: N seconds',
      'M * Opening AOF incr file appendonly.aof.1.incr.aof on server start',
      'M * Ready to accept connections',
    ]);
    expect(Buffer.from(result.engineIncr).equals(result.realIncr)).toBe(true);
    expect(result.engine.lastRecovery).toMatchObject({ crash: 'process', acknowledged: 5, survivedCount: 5, lostCount: 0 });
  });

  it('an incr file ending in a MULTI without its EXEC: the transaction is reverted and the file cut before it', { timeout: TIMEOUT_MS }, async () => {
    const result = await killAndRestart(testPort(6563), append('*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\nz\r\n$1\r\n1\r\n'));
    expect(result.realValues).toEqual(['1', 'two', '2', null]);
    expect(result.engineValues).toEqual(result.realValues);
    expect(comparable(result.engineLog)).toEqual(comparable(result.realLog));
    expect(comparable(result.realLog)).toContain('M # Revert incomplete MULTI/EXEC transaction in AOF file appendonly.aof.1.incr.aof');
    expect(Buffer.from(result.engineIncr).equals(result.realIncr)).toBe(true);
  });

  it('an incr file ending in half a command: cut and loaded under aof-load-truncated yes', { timeout: TIMEOUT_MS }, async () => {
    const result = await killAndRestart(testPort(6564), append('*3\r\n$3\r\nSET\r\n$1\r\nz\r\n$5\r\nab'));
    expect(result.realValues).toEqual(['1', 'two', '2', null]);
    expect(result.engineValues).toEqual(result.realValues);
    expect(comparable(result.engineLog)).toEqual(comparable(result.realLog));
    expect(comparable(result.realLog)).toContain('M # !!! Warning: short read while loading the AOF file appendonly.aof.1.incr.aof!!!');
    expect(Buffer.from(result.engineIncr).equals(result.realIncr)).toBe(true);
  });

  it('an incr file ending in half a command: refused under aof-load-truncated no', { timeout: TIMEOUT_MS }, async () => {
    const result = await killAndRestart(testPort(6565), append('*3\r\n$3\r\nSET\r\n$1\r\nz\r\n$5\r\nab'), ['--aof-load-truncated', 'no']);
    expect(result.realStarted).toBe(false);
    expect(result.engine.running).toBe(false);
    expect(comparable(result.engineLog)).toEqual(comparable(result.realLog));
    expect(result.realLog.at(-1)).toMatch(/^M # Unexpected end of file reading the append only file appendonly\.aof\.1\.incr\.aof\. You can: 1\)/);
    expect(Buffer.from(result.engineIncr).equals(result.realIncr)).toBe(true);
  });

  it('garbage in the middle of an incr file: refused whatever aof-load-truncated says', { timeout: TIMEOUT_MS }, async () => {
    const result = await killAndRestart(testPort(6566), append('garbage\r\n*3\r\n$3\r\nSET\r\n$1\r\nz\r\n$1\r\n1\r\n'));
    expect(result.realStarted).toBe(false);
    expect(result.engine.running).toBe(false);
    expect(comparable(result.engineLog)).toEqual(comparable(result.realLog));
    expect(result.realLog.at(-1)).toBe(
      'M # Bad file format reading the append only file appendonly.aof.1.incr.aof: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>',
    );
  });
});

describe('the appendonly-yes restart trap', () => {
  it('a restart with appendonly yes ignores dump.rdb and starts empty, on both', { timeout: TIMEOUT_MS }, async () => {
    const real = new RealNode(testPort(6567));
    let realLog: string[];
    let realSize: Reply;
    try {
      await real.start();
      for (const argv of WRITES) await real.command(...argv);
      await real.command('SAVE');
      await real.kill9();
      await real.start(['--appendonly', 'yes']);
      realLog = afterInit(real.log());
      realSize = await real.command('DBSIZE');
      expect(real.files()).toEqual(['appendonlydir', 'dump.rdb']);
    } finally {
      await real.stop();
      real.remove();
    }
    const { engine, run, log } = engineNode();
    for (const argv of WRITES) run(...argv);
    run('SAVE');
    run('SIM', 'CRASH', 'PROCESS');
    const from = engine.serverLog.length;
    run('SIM', 'RESTART', '--appendonly', 'yes');
    expect(run('DBSIZE')).toEqual(realSize);
    expect(realSize).toEqual({ type: 'integer', value: 0 });
    expect(comparable(afterInit(log(from)))).toEqual(comparable(realLog));
    expect(comparable(realLog)).toEqual([
      'M # Server initialized',
      'M * Creating AOF base file appendonly.aof.1.base.rdb on server start',
      'M * Creating AOF incr file appendonly.aof.1.incr.aof on server start',
      'M * Ready to accept connections',
    ]);
    expect(engine.lastRecovery?.lost.map((write) => write.reason)).toEqual(['rdb-ignored', 'rdb-ignored', 'rdb-ignored', 'rdb-ignored', 'rdb-ignored']);
  });

  it('the way out: CONFIG SET appendonly yes, the rewrite, CONFIG REWRITE into redis.conf, then a restart keeps everything', { timeout: TIMEOUT_MS }, async () => {
    const real = new RealNode(testPort(6568));
    const conf = join(real.dir, 'redis.conf');
    writeFileSync(conf, `port ${real.port}\nbind 127.0.0.1\ndir ${real.dir}\nsave ""\nappendonly no\n`);
    let realLog: string[];
    let realValues: (string | null)[];
    try {
      await real.start([], conf);
      for (const argv of WRITES) await real.command(...argv);
      await real.command('CONFIG', 'SET', 'appendonly', 'yes');
      await until(() => real.log().some((line) => line.includes('Background AOF rewrite finished successfully')));
      expect(await real.command('CONFIG', 'REWRITE')).toEqual({ type: 'status', value: 'OK' });
      expect(readFileSync(conf, 'utf8')).toMatch(/^appendonly yes$/m);
      await real.kill9();
      await real.start([], conf);
      realLog = afterInit(real.log());
      realValues = await realKeys(real, ['a', 'b', 'n', 'z']);
    } finally {
      await real.stop();
      real.remove();
    }
    const { engine, run, log } = engineNode({}, true);
    for (const argv of WRITES) run(...argv);
    run('CONFIG', 'SET', 'appendonly', 'yes');
    engine.advance(1000);
    expect(run('CONFIG', 'REWRITE')).toEqual({ type: 'status', value: 'OK' });
    expect(log().at(-1)).toBe('M # CONFIG REWRITE executed with success.');
    run('SIM', 'CRASH', 'PROCESS');
    const from = engine.serverLog.length;
    run('SIM', 'RESTART');
    expect(engineKeys(run, ['a', 'b', 'n', 'z'])).toEqual(realValues);
    expect(realValues).toEqual(['1', 'two', '2', null]);
    expect(comparable(afterInit(log(from)))).toEqual(comparable(realLog));
    expect(engine.lastRecovery).toMatchObject({ loadedFrom: 'aof-with-rdb-preamble', survivedCount: 5, lostCount: 0 });
  });
});

describe('LOADING', () => {
  it('while a big dump.rdb is read, commands without the loading flag get -LOADING and INFO reports the load, as on the real server', { timeout: TIMEOUT_MS }, async () => {
    const probes: readonly (readonly string[])[] = [
      ['PING'],
      ['GET', 'key:1'],
      ['DBSIZE'],
      ['SET', 'a', '1'],
      ['ECHO', 'hi'],
      ['SELECT', '1'],
      ['CONFIG', 'GET', 'save'],
      ['BGSAVE'],
      ['SAVE'],
      ['BGREWRITEAOF'],
      ['MULTI'],
      ['SET', 'a', '1'],
      ['EXEC'],
    ];
    const fieldNames = (info: Reply) => String(info.value).split('\r\n').filter((line) => line.includes(':')).map((line) => line.slice(0, line.indexOf(':')));
    const real = new RealNode(testPort(6569));
    const realReplies: Reply[] = [];
    let realInfo: Reply;
    try {
      await real.start(['--enable-debug-command', 'yes']);
      await real.command('DEBUG', 'POPULATE', '5000');
      await real.command('SAVE');
      await real.stop();
      // 1 ms per key: five seconds of loading (the probes must all come before its end, however
      // slowly a loaded machine runs them), answering clients every KB read.
      await real.start(['--key-load-delay', '1000', '--loading-process-events-interval-bytes', '1024'], undefined, false);
      for (const argv of probes) realReplies.push(await real.command(...argv));
      realInfo = await real.command('INFO', 'persistence');
      await until(() => real.log().includes('M * Ready to accept connections'));
    } finally {
      await real.stop();
      real.remove();
    }
    const { engine, run } = engineNode();
    run('DEBUG', 'POPULATE', '5000');
    run('SAVE');
    run('SHUTDOWN', 'NOSAVE');
    run('SIM', 'SET', 'disk-mbps', '0.05'); // about two seconds for the file
    run('SIM', 'RESTART');
    engine.advance(500);
    const client = engine.newClient();
    const engineReplies = probes.map((argv) => engine.execute(client, argv));
    expect(engineReplies).toEqual(realReplies);
    expect(realReplies[0]).toEqual({ type: 'error', value: 'LOADING Redis is loading the dataset in memory' });
    const engineInfo = engine.execute(client, ['INFO', 'persistence']);
    expect(fieldNames(engineInfo)).toEqual(fieldNames(realInfo));
    expect(String(realInfo.value)).toContain('\r\nloading:1\r\n');
    expect(String(engineInfo.value)).toContain('\r\nloading:1\r\n');
  });
});
