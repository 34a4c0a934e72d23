/**
 * `npm run bench`: the lab's performance figures, printed, never asserted (timing tests are flaky
 * on shared machines). Loads, redis-benchmark rates and in-process throughputs compared with each
 * other are medians of three runs, taken in turn. Six parts:
 * 1. in-process engine throughput (target ≥ 1,000,000 SET or GET per second);
 * 2. redis-benchmark against a real redis-server and against the headless server on this machine,
 *    plain and pipelined (-P 16), as ratios (targets ≥ 1.0× plain, ≥ 0.5× pipelined), after one
 *    unmeasured warm-up run of the same tests on each server, with each server's CPU time per
 *    request (Linux's /proc);
 * 3. memory for 1,000,000 small string keys (target ≤ 250 MB of heapUsed + arrayBuffers), and what
 *    a write costs the page grid and INFO memory at that size (used_memory is kept, never walked);
 * 4. RDB with 1,000,000 keys: encode (target ≤ 1.0× Redis's BGSAVE), load (≤ 1.5×), file sizes;
 * 5. AOF: replay of 1,000,000 SETs at startup (target ≤ 1.5×), and SET throughput with
 *    appendonly everysec vs off (target: the AOF costs ≤ 30%);
 * 6. the timeline: seeking anywhere in a 10,000-line scenario (target < 200 ms).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureEngineThroughput } from './engine-throughput.ts';
import { measureAofReplay, measureAofThroughput, measureRdb, median, RUNS, waitForPing } from './persistence.ts';
import { measurePageGridWrites } from './page-grid.ts';
import { measureSeeks } from './timeline.ts';

const REAL_PORT = 6495;
const LAB_PORT = 6496;
const TESTS = 'set,get,incr,lpush';
const REQUESTS = 200_000;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function requireTool(name: string): void {
  if (spawnSync('sh', ['-c', `command -v ${name}`]).status !== 0) {
    throw new Error(`${name} is not installed (Debian: apt-get install -y redis-server)`);
  }
}

/** The CPU time (user + system) a process has used so far, in ms, from Linux's /proc. */
const CLOCK_TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;
function cpuMs(pid: number): number {
  // Fields 14 and 15 of /proc/<pid>/stat, counted after the command name, which may hold spaces.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

interface BenchmarkRun {
  /** Requests per second of each test. */
  readonly rates: Map<string, number>;
  /** The server's CPU time per request, in µs, over all the tests. */
  readonly cpuUsPerRequest: number;
  /** The server's CPU time as a share of the run's wall time: 1 is a whole core. */
  readonly busy: number;
}

/** One redis-benchmark run against the server `pid` listening on `port`; `-q` output reads `SET: 104712.05 requests per second, p50=0.247 msec`. */
function redisBenchmark(port: number, pid: number, pipeline: number): BenchmarkRun {
  const cpuBefore = cpuMs(pid);
  const started = performance.now();
  const out = spawnSync('redis-benchmark', ['-p', String(port), '-t', TESTS, '-n', String(REQUESTS), '-P', String(pipeline), '-q'], {
    encoding: 'utf8',
  }).stdout;
  const wallMs = performance.now() - started;
  const serverMs = cpuMs(pid) - cpuBefore;
  const rates = new Map<string, number>();
  // With -q, redis-benchmark redraws its progress with \r; the final figure follows the last one.
  for (const match of out.matchAll(/([A-Z_]+)(?: \([^)]*\))?: ([\d.]+) requests per second/g)) {
    rates.set(match[1] as string, Number(match[2]));
  }
  return { rates, cpuUsPerRequest: (serverMs * 1000) / (REQUESTS * rates.size), busy: serverMs / wallMs };
}

/** Runs `body` with the servers' process ids while they are up (each started, then stopped by SHUTDOWN NOSAVE). */
async function withServers<T>(servers: readonly { start: () => ChildProcess; port: number }[], body: (pids: number[]) => T): Promise<T> {
  const children = servers.map(({ start }) => start());
  try {
    for (const { port } of servers) await waitForPing(port);
    return body(children.map((child) => child.pid as number));
  } finally {
    for (const [index, { port }] of servers.entries()) {
      const child = children[index] as ChildProcess;
      // A server that never came up has exited already: there is no exit left to wait for.
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((r) => child.once('exit', r));
      spawnSync('redis-cli', ['-p', String(port), 'shutdown', 'nosave']);
      await exited;
    }
  }
}

/** Runs redis-benchmark RUNS times on each server, alternating: the medians of each server's runs. */
function medianRuns(servers: readonly { port: number; pid: number }[], pipeline: number): BenchmarkRun[] {
  const runs = servers.map(() => [] as BenchmarkRun[]);
  for (let run = 0; run < RUNS; run++) servers.forEach(({ port, pid }, index) => runs[index]?.push(redisBenchmark(port, pid, pipeline)));
  return runs.map((taken) => {
    const rates = new Map<string, number>();
    for (const test of taken[0]?.rates.keys() ?? []) rates.set(test, median(taken.map((run) => run.rates.get(test) ?? 0)));
    return { rates, cpuUsPerRequest: median(taken.map((run) => run.cpuUsPerRequest)), busy: median(taken.map((run) => run.busy)) };
  });
}

async function main(): Promise<void> {
  console.log('Redis Persistence Lab — benchmarks\n');

  console.log('1. Engine throughput, in process (1,000,000 operations each; ZADD 100,000):');
  for (const { command, opsPerSecond } of measureEngineThroughput()) {
    console.log(`   ${command.padEnd(6)} ${fmt(opsPerSecond).padStart(12)} ops/s`);
  }

  requireTool('redis-server');
  requireTool('redis-benchmark');
  const dir = mkdtempSync(join(tmpdir(), 'lab-bench-'));
  const startReal = () =>
    spawn('redis-server', ['--port', String(REAL_PORT), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--logfile', join(dir, 'redis.log')], {
      stdio: 'ignore',
    });
  const startLab = () =>
    spawn(process.execPath, ['--import', 'tsx', 'src/node/main.ts', '--port', String(LAB_PORT), '--save', '', '--logfile', join(dir, 'lab.log')], {
      stdio: 'ignore',
    });

  console.log(`\n2. redis-benchmark -t ${TESTS} -n ${fmt(REQUESTS)} -q (50 clients), real redis-server 7.0 vs the headless lab server,`);
  console.log(`   median of ${RUNS} runs each, taken in turn:`);
  const servers = [
    { start: startReal, port: REAL_PORT },
    { start: startLab, port: LAB_PORT },
  ];
  for (const pipeline of [1, 16]) {
    const [real, lab] = await withServers(servers, (pids) => {
      const running = servers.map(({ port }, index) => ({ port, pid: pids[index] as number }));
      // Each server first runs the same tests once unmeasured: the lab's JIT compiles its hot
      // paths, and both get their memory in place, as a server that has been up a while has.
      for (const { port, pid } of running) redisBenchmark(port, pid, pipeline);
      // Taken in turn, so that a busy spell on this shared machine falls on both sides.
      return medianRuns(running, pipeline);
    });
    if (real === undefined || lab === undefined) throw new Error('redis-benchmark gave no figures');
    console.log(`   ${pipeline === 1 ? 'plain' : `pipelined -P ${pipeline}`} (target ${pipeline === 1 ? '≥ 1.0×' : '≥ 0.5×'}):`);
    for (const [test, realRate] of real.rates) {
      const labRate = lab.rates.get(test) ?? 0;
      console.log(`     ${test.padEnd(6)} redis ${fmt(realRate).padStart(10)} rps   lab ${fmt(labRate).padStart(10)} rps   ratio ${(labRate / realRate).toFixed(2)}×`);
    }
    // redis-benchmark itself needs a core: a server that needs less than the other core waits for
    // it, and one that needs all of it sets the pace.
    const cpu = ({ cpuUsPerRequest, busy }: BenchmarkRun) => `${cpuUsPerRequest.toFixed(1)} µs (${(busy * 100).toFixed(0)}% of a core)`;
    console.log(`     server CPU per request: redis ${cpu(real)}, lab ${cpu(lab)}`);
  }

  console.log('\n3. Memory for 1,000,000 small string keys (heapUsed + arrayBuffers), target ≤ 250 MB:');
  const memory = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/memory.ts', '1000000'], { encoding: 'utf8' });
  if (memory.status !== 0) throw new Error(memory.stderr);
  const { bytes } = JSON.parse(memory.stdout) as { bytes: number };
  console.log(`   ${(bytes / 1024 / 1024).toFixed(1)} MB (${(bytes / 1_000_000).toFixed(0)} bytes per key)`);
  const grid = measurePageGridWrites();
  console.log(`   per write at ${fmt(grid.keys)} keys: SET + page grid ${grid.gridUsPerWrite.toFixed(1)} µs, SET + INFO memory ${grid.infoUsPerWrite.toFixed(1)} µs`);
  rmSync(dir, { recursive: true, force: true });

  await printRdb();
  await printAof();
  printTimeline();
}

const ms = (n: number) => `${n.toFixed(0).padStart(6)} ms`;
const ratio = (lab: number, redis: number, target: string) => `ratio ${(lab / redis).toFixed(2)}× (target ${target})`;

async function printRdb(): Promise<void> {
  console.log('\n4. RDB, 1,000,000 keys from DEBUG POPULATE 1000000 (lab engine vs real redis-server, lab / redis):');
  const rdb = await measureRdb();
  console.log(`   encode: lab SAVE ${ms(rdb.engineSaveMs)}   redis BGSAVE child ${ms(rdb.redisBgsaveMs)}   ${ratio(rdb.engineSaveMs, rdb.redisBgsaveMs, '≤ 1.0×')}`);
  console.log(`   load (median of 3 runs each):`);
  console.log(`           lab      ${ms(rdb.engineLoadMs)}   redis startup      ${ms(rdb.redisLoadMs)}   ${ratio(rdb.engineLoadMs, rdb.redisLoadMs, '≤ 1.5×')}`);
  console.log(`   dump.rdb: lab ${fmt(rdb.engineBytes)} bytes   redis ${fmt(rdb.redisBytes)} bytes   ratio ${(rdb.engineBytes / rdb.redisBytes).toFixed(3)}×`);
}

async function printAof(): Promise<void> {
  console.log('\n5. AOF (lab / redis):');
  const replay = await measureAofReplay();
  console.log(`   replay of ${fmt(replay.commands)} SETs (${fmt(replay.keys)} keys, ${fmt(replay.aofBytes)} bytes, written by redis-benchmark -P 64 on a real server), median of 3 runs each:`);
  console.log(`     lab ${ms(replay.engineLoadMs)}   redis startup ${ms(replay.redisLoadMs)}   ${ratio(replay.engineLoadMs, replay.redisLoadMs, '≤ 1.5×')}`);
  const { offOpsPerSecond, everysecOpsPerSecond } = measureAofThroughput();
  const cost = 1 - everysecOpsPerSecond / offOpsPerSecond;
  console.log(`   engine SET throughput, in process (1,000,000 SETs, beforeSleep every 50, median of 3 runs each): appendonly no ${fmt(offOpsPerSecond)} ops/s,`);
  console.log(`     appendonly yes (everysec) ${fmt(everysecOpsPerSecond)} ops/s   AOF cost ${(cost * 100).toFixed(1)}% (target ≤ 30%)`);
}

function printTimeline(): void {
  measureSeeks(2_000); // warm-up: a browser tab has compiled the engine by the time anyone scrubs
  const { lines, loadMs, seeks } = measureSeeks();
  console.log(`\n6. Timeline: a ${fmt(lines)}-line scenario loaded in the lab store in ${ms(loadMs)}; seeks (target < 200 ms each):`);
  for (const [target, took] of seeks) console.log(`   to position ${fmt(target).padStart(6)}  ${ms(took)}`);
  console.log(`   slowest ${ms(Math.max(...seeks.map(([, took]) => took)))}`);
}

await main();
