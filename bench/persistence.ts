/**
 * Persistence figures, lab engine vs a real redis-server 7.0 on this machine (printed by run.ts as
 * parts 4 and 5, never asserted):
 * - RDB with 1,000,000 keys from `DEBUG POPULATE 1000000`: encode (engine SAVE vs Redis's BGSAVE
 *   child, from its log), decode+load at startup, and the two dump.rdb sizes;
 * - AOF: startup replay of an appendonlydir holding 1,000,000 SETs written by a real server, and the
 *   engine's SET throughput with appendonly everysec vs off.
 * Real Redis's own durations come from its log, so neither process start-up nor polling is counted.
 * Loads and the two throughputs are medians of three runs on each side.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../src/engine/index.ts';

const RDB_PORT = 6540;
const AOF_PORT = 6541;
const KEYS = 1_000_000;
const AOF_COMMANDS = 1_000_000;

export async function waitForPing(port: number): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing answers PING on port ${port}`);
}

// ---- a real redis-server with its own dir and log ---------------------------------------------------

interface RealServer {
  readonly port: number;
  readonly dir: string;
  readonly child: ChildProcess;
}

const LOG = 'redis.log';

async function startRedis(port: number, dir: string, options: readonly string[]): Promise<RealServer> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--logfile', LOG, '--enable-debug-command', 'yes', ...options];
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  await waitForPing(port); // PING answers -LOADING until the dataset is in memory.
  return { port, dir, child };
}

async function stopRedis(server: RealServer): Promise<void> {
  const exited = new Promise((r) => server.child.once('exit', r));
  spawnSync('redis-cli', ['-p', String(server.port), 'shutdown', 'nosave']);
  await exited;
}

function cli(server: RealServer, ...argv: string[]): string {
  return spawnSync('redis-cli', ['-p', String(server.port), ...argv], { encoding: 'utf8' }).stdout.trim();
}

const readLog = (server: RealServer) => readFileSync(join(server.dir, LOG), 'latin1');

/** A log line's time, `4242:M 01 Jan 2024 12:00:00.123 * text`, in unix ms. */
function logLineMs(log: string, text: string): number {
  const line = log.split('\n').findLast((l) => l.includes(text));
  const stamp = line?.match(/^\d+:[A-Z] (\d\d \w{3} \d{4} \d\d:\d\d:\d\d)\.(\d{3}) /);
  if (stamp === undefined || stamp === null) throw new Error(`no log line "${text}"`);
  return Date.parse(stamp[1] as string) + Number(stamp[2]);
}

/** `DB loaded from disk: 0.412 seconds` (or `from append only file`), in ms. */
function loggedLoadMs(log: string, source: string): number {
  const match = log.match(new RegExp(`DB loaded from ${source}: ([\\d.]+) seconds`));
  if (match === null) throw new Error(`no "DB loaded from ${source}" in the log`);
  return Number(match[1]) * 1000;
}

/** Loads and throughputs are each taken as the median of this many runs: one run on a shared machine can be off by half. */
export const RUNS = 3;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function timed<T>(body: () => T): { result: T; ms: number } {
  const started = performance.now();
  const result = body();
  return { result, ms: performance.now() - started };
}

/** Real Redis restarted on `dir` RUNS times: the median of the load times its log reports. */
async function redisLoadMedian(port: number, dir: string, options: readonly string[], source: string): Promise<number> {
  const loads: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    rmSync(join(dir, LOG), { force: true }); // Each restart's log holds only its own load.
    const server = await startRedis(port, dir, options);
    loads.push(loggedLoadMs(readLog(server), source));
    await stopRedis(server);
  }
  return median(loads);
}

// ---- part 4: RDB ------------------------------------------------------------------------------------

export interface RdbFigures {
  readonly engineSaveMs: number;
  readonly redisBgsaveMs: number;
  readonly engineLoadMs: number;
  readonly redisLoadMs: number;
  readonly engineBytes: number;
  readonly redisBytes: number;
}

/** The engine's SAVE of the populated keyspace, and the dump.rdb it wrote. */
function engineSave(): { ms: number; bytes: Uint8Array } {
  const engine = new Engine({ epochMs: Date.now(), config: { save: '' } });
  const client = engine.newClient();
  engine.run(`DEBUG POPULATE ${KEYS}`, client);
  const { ms } = timed(() => engine.run('SAVE', client));
  const bytes = engine.disk.read('dump.rdb');
  if (bytes === null) throw new Error('the engine wrote no dump.rdb');
  return { ms, bytes };
}

/**
 * A node starting on that dump.rdb: construction starts the load, which reads the file at the
 * simulated disk's speed, so simulated time is run on until the node stops LOADING; only the work
 * is timed (the simulated wait costs no wall time).
 */
function engineLoadRdb(bytes: Uint8Array): number {
  const { result: engine, ms } = timed(() => {
    const node = new Engine({ files: { 'dump.rdb': bytes }, config: { save: '' } });
    while (node.loading) node.advance(1000);
    return node;
  });
  if (engine.dbs[0]?.size !== KEYS) throw new Error(`the engine loaded ${engine.dbs[0]?.size} keys, not ${KEYS}`);
  return ms;
}

/** Real Redis: BGSAVE from "Background saving started by pid" to the child's "DB saved on disk". */
async function redisBgsave(server: RealServer): Promise<number> {
  cli(server, 'BGSAVE');
  while (!cli(server, 'INFO', 'persistence').includes('rdb_bgsave_in_progress:0')) await new Promise((r) => setTimeout(r, 50));
  const log = readLog(server);
  return logLineMs(log, 'DB saved on disk') - logLineMs(log, 'Background saving started by pid');
}

/** `port`: where the real server runs (the bench's own by default; a helper's script passes its own). */
export async function measureRdb(port = RDB_PORT): Promise<RdbFigures> {
  const saved = engineSave();
  const engineLoadMs = median(Array.from({ length: RUNS }, () => engineLoadRdb(saved.bytes)));

  const dir = mkdtempSync(join(tmpdir(), 'lab-bench-rdb-'));
  try {
    const server = await startRedis(port, dir, ['--save', '', '--appendonly', 'no']);
    cli(server, 'DEBUG', 'POPULATE', String(KEYS));
    const redisBgsaveMs = await redisBgsave(server);
    await stopRedis(server);
    const redisBytes = statSync(join(dir, 'dump.rdb')).size;

    const redisLoadMs = await redisLoadMedian(port, dir, ['--save', '', '--appendonly', 'no'], 'disk');
    return { engineSaveMs: saved.ms, redisBgsaveMs, engineLoadMs, redisLoadMs, engineBytes: saved.bytes.length, redisBytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- part 5: AOF ------------------------------------------------------------------------------------

export interface AofReplayFigures {
  readonly commands: number;
  readonly keys: number;
  readonly aofBytes: number;
  readonly engineLoadMs: number;
  readonly redisLoadMs: number;
}

/** Every file of a real appendonlydir, named as the engine's disk names them. */
function readAppendOnlyDir(dir: string): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  for (const name of readdirSync(join(dir, 'appendonlydir'))) {
    files[`appendonlydir/${name}`] = new Uint8Array(readFileSync(join(dir, 'appendonlydir', name)));
  }
  return files;
}

/**
 * A node starting on that directory: construction starts the load, which reads the files at the
 * simulated disk's speed, so simulated time is run on until the base and incr files are replayed.
 */
function engineLoadAof(files: Record<string, Uint8Array>, expectedKeys: number): number {
  const { result: engine, ms } = timed(() => {
    const node = new Engine({ files, config: { appendonly: 'yes', save: '' } });
    while (node.loading) node.advance(1000);
    return node;
  });
  if (engine.dbs[0]?.size !== expectedKeys) throw new Error(`the engine replayed ${engine.dbs[0]?.size} keys, not ${expectedKeys}`);
  return ms;
}

/** `port`: where the real server runs (a caller sharing the machine passes its own). */
export async function measureAofReplay(port = AOF_PORT): Promise<AofReplayFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'lab-bench-aof-'));
  const options = ['--save', '', '--appendonly', 'yes', '--aof-use-rdb-preamble', 'no'];
  try {
    // redis-benchmark's SETs land in the incr file; the base written at startup is empty.
    const server = await startRedis(port, dir, options);
    spawnSync('redis-benchmark', ['-p', String(port), '-t', 'set', '-n', String(AOF_COMMANDS), '-r', '100000', '-P', '64', '-q']);
    const keys = Number(cli(server, 'DBSIZE'));
    await stopRedis(server);
    const files = readAppendOnlyDir(dir);
    const aofBytes = Object.values(files).reduce((sum, bytes) => sum + bytes.length, 0);

    const redisLoadMs = await redisLoadMedian(port, dir, options, 'append only file');
    const engineLoadMs = median(Array.from({ length: RUNS }, () => engineLoadAof(files, keys)));
    return { commands: AOF_COMMANDS, keys, aofBytes, engineLoadMs, redisLoadMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface AofThroughputFigures {
  readonly offOpsPerSecond: number;
  readonly everysecOpsPerSecond: number;
}

/** How many commands a server runs between two beforeSleep calls (≈ redis-benchmark's 50 clients). */
const COMMANDS_PER_EVENT_LOOP = 50;

/** SETs handed to the engine at a time: like a server's reads, they are gone once they have run. */
const COMMANDS_PER_READ = 1000;

/**
 * SETs over 100,000 keys, `count` more from `seed` on; keys are flat strings, as a server's parser
 * hands them over.
 */
function setCommands(count: number, seed: { value: number }): string[][] {
  return Array.from({ length: count }, () => {
    seed.value = (Math.imul(seed.value, 1103515245) + 12345) >>> 0;
    return ['SET', Buffer.from(`key:${String(seed.value % 100_000).padStart(12, '0')}`, 'latin1').toString('latin1'), 'xxx'];
  });
}

/**
 * SETs per second on a fresh engine, running beforeSleep (the AOF write) once per event-loop
 * batch. The commands are made a thousand at a time outside the timed part: a million of them held
 * at once would be a heap no server has, and every full GC (which the AOF file's growth brings
 * on) would mark it all.
 */
function engineSetRate(appendonly: boolean): number {
  const engine = new Engine({ epochMs: Date.now(), config: { save: '' } });
  const client = engine.newClient();
  if (appendonly) {
    engine.run('CONFIG SET appendonly yes', client);
    engine.advance(1000); // The initial rewrite finishes and the AOF is on.
    if (engine.aof.state !== 'on') throw new Error(`AOF is ${engine.aof.state} after CONFIG SET appendonly yes`);
  }
  const seed = { value: 12345 };
  let ms = 0;
  for (let done = 0; done < AOF_COMMANDS; done += COMMANDS_PER_READ) {
    const batch = setCommands(COMMANDS_PER_READ, seed);
    ms += timed(() => {
      for (let i = 0; i < batch.length; i++) {
        engine.execute(client, batch[i] as string[]);
        if (i % COMMANDS_PER_EVENT_LOOP === COMMANDS_PER_EVENT_LOOP - 1) engine.beforeSleep();
      }
    }).ms;
  }
  return AOF_COMMANDS / (ms / 1000);
}

/** Off and everysec alternate, so that neither gets all of a warmer JIT or a busier moment. */
export function measureAofThroughput(): AofThroughputFigures {
  const off: number[] = [];
  const everysec: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    off.push(engineSetRate(false));
    everysec.push(engineSetRate(true));
  }
  return { offOpsPerSecond: median(off), everysecOpsPerSecond: median(everysec) };
}
