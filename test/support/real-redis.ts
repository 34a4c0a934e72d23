/**
 * A real redis-server for tests: started on 127.0.0.1 on its own port and scratch directory, with
 * no persistence unless asked, spoken to over raw sockets, and shut down with SHUTDOWN NOSAVE. It
 * is the oracle the engine's replies are compared with.
 *
 * A test must talk to the server it started and to nothing else: a port already taken (another
 * test file, another engineer's run, a server left over from a crashed run) fails the start
 * loudly, and so does a server whose INFO process_id is not the pid of the child we spawned.
 *
 * Port registry. vitest runs test files in parallel, so every file owns its ports; claim new ones
 * here before using them, and derive every port from one of them through testPort().
 * LAB_REDIS_PORT_OFFSET (default 0) shifts them all, so two runs on one machine don't collide.
 *   6441        test/engine/generic.test.ts
 *   6442        test/engine/strings.test.ts
 *   6451        test/engine/lists.test.ts
 *   6452        test/engine/hashes.test.ts
 *   6461        test/engine/sets.test.ts
 *   6462        test/engine/zsets.test.ts
 *   6470, 6472  test/engine/server.test.ts (6470 with DEBUG enabled, 6472 with an AOF)
 *   6471        test/engine/config.test.ts
 *   6475        test/engine/aof-persistence.test.ts
 *   6480        test/differential/redis-cli.test.ts (6481: the lab's headless process there)
 *   6487, 6488  test/node/server.test.ts (6487: the lab's headless process; 6488: a real server for raw exchanges)
 *   6500-6509   test/codec/rdb/rdb-real-redis.test.ts (one after another, never two at once); 6504 also
 *               test/codec/rdb/lzf-capture.ts, run by hand to remake the LZF fixture
 *   6520-6529   test/engine/rdb-load.test.ts, test/node (RDB load and --dir round trips)
 *   6530-6539   test/codec/aof (captures of the real server's AOF messages)
 *   6540        test/node/disk-mirror.test.ts (a real server loading what the lab left in --dir)
 *   6560-6569   test/engine/crash-oracle.test.ts (kill -9 and restart on one directory, one case per port)
 *   6570-6579   test/store/downloads-real-redis.test.ts (the disk panel's downloads loaded by a real server)
 *   6595-6599   test/engine/aof-leftovers.test.ts (aof-timestamp-enabled, SAVE inside MULTI)
 *   6590-6594   ad hoc RDB codec timing against a real server (a helper's scripts, not a test file)
 *   6600-6609   ad hoc RDB bench part 4 and fast-codec checks (a helper's scripts, not a test file)
 *   6610-6619   ad hoc AOF bench part 5 and a real server loading the engine's AOF (a helper's scripts, not a test file)
 *   6630-6639   test/engine/aof-persistence.test.ts (6630, 6631: CONFIG SET appendonly no mid-rewrite); the rest ad hoc AOF-rewrite checks
 *   6650-6659   ad hoc DEBUG RELOAD [NOSAVE] and failed-restart checks for the recovery report (a helper's scripts, not a test file)
 *   6670-6679   test/engine/rdb-persistence.test.ts (a BGSAVE child meeting FLUSHALL, FLUSHDB, SHUTDOWN: one case per port)
 *   6680, 6681  test/engine/watch.test.ts (6680 with an AOF and DEBUG, 6681 whose dir is removed for MISCONF)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { respClient, type RespClient } from './resp-client.ts';
import type { Reply } from '../../src/codec/reply.ts';

/** One client connection: commands are answered in the order they were sent. */
export type RedisConnection = RespClient;

export interface RealRedis {
  readonly port: number;
  readonly dir: string;
  /** The redis-server process this test spawned (checked against INFO's process_id). */
  readonly pid: number;
  /** Resolves once that process has exited (after a SHUTDOWN the test sent itself, say). */
  readonly exited: Promise<void>;
  /** Sends one command on the main connection and resolves with its reply. */
  command(argv: readonly string[]): Promise<Reply>;
  /**
   * Opens another connection to the same server: it can read INFO while the main connection sits
   * inside MULTI, where INFO would only be queued. Closed by stop().
   */
  connect(): Promise<RedisConnection>;
  stop(): Promise<void>;
}

/** A port of the registry above, shifted by LAB_REDIS_PORT_OFFSET. */
export function testPort(registered: number): number {
  const offset = Number(process.env.LAB_REDIS_PORT_OFFSET ?? '0');
  if (!Number.isInteger(offset) || registered + offset < 1024 || registered + offset > 65535) {
    throw new Error(`LAB_REDIS_PORT_OFFSET=${process.env.LAB_REDIS_PORT_OFFSET} moves port ${registered} out of 1024-65535`);
  }
  return registered + offset;
}

/**
 * Polls until the condition holds: what a real server does in a child, a background thread or its
 * cron happens on its own schedule, which a loaded machine stretches. Fails after timeoutMs,
 * naming what it waited for.
 */
export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const intervalMs = 20;
  for (let waited = 0; !(await condition()); waited += intervalMs) {
    if (waited >= timeoutMs) throw new Error(`gave up after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export function redisServerPath(): string {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
  if (found === '') throw new Error('redis-server is not installed: the tests need it (apt-get install -y redis-server)');
  return found;
}

export async function startRealRedis(port: number, extraArgs: readonly string[] = []): Promise<RealRedis> {
  await assertPortFree(port);
  const dir = mkdtempSync(join(tmpdir(), `lab-redis-${port}-`));
  const logfile = join(dir, 'redis.log');
  const server = spawn(
    redisServerPath(),
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--logfile', logfile, ...extraArgs],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const connections = new Set<RedisConnection>();
  let main: RedisConnection | undefined;
  try {
    if (server.pid === undefined) throw new Error('redis-server could not be spawned');
    main = await openConnection(port, server);
    connections.add(main);
    await assertServedBy(main, server.pid, port);
  } catch (err) {
    main?.close();
    if (server.exitCode === null && server.signalCode === null) server.kill();
    await exited;
    const log = readLog(logfile);
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(err as Error).message}${log === '' ? '' : `\nredis-server log:\n${log}`}`, { cause: err });
  }
  const pid = server.pid;
  const mainConnection = main;
  return {
    port,
    dir,
    pid,
    exited,
    command: (argv) => mainConnection.command(argv),
    connect: async () => {
      const connection = await openConnection(port, server);
      connections.add(connection);
      return connection;
    },
    stop: async () => {
      if (server.exitCode === null && server.signalCode === null) {
        // On a fresh connection, since the main one may have been left inside MULTI. No reply
        // comes: the server closes the connection as it exits.
        const closer = await openConnection(port, server);
        connections.add(closer);
        void closer.command(['SHUTDOWN', 'NOSAVE']).catch(() => {});
        await exited;
      }
      for (const connection of connections) connection.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Fails when anything already listens on the port: we would otherwise talk to it, not to our server. */
async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        new Error(
          err.code === 'EADDRINUSE'
            ? `port ${port} is already taken (another test file, another run, or a stale redis-server: ` +
                `check with \`redis-cli -p ${port} INFO server\`); see the port registry in test/support/real-redis.ts`
            : `cannot probe port ${port}: ${err.message}`,
        ),
      );
    });
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** Fails unless the server answering on the connection is the process we spawned. */
async function assertServedBy(connection: RedisConnection, pid: number, port: number): Promise<void> {
  const info = await connection.command(['INFO', 'server']);
  const servedBy = typeof info.value === 'string' ? /\r\nprocess_id:(\d+)\r\n/.exec(info.value)?.[1] : undefined;
  if (servedBy !== String(pid)) {
    throw new Error(`port ${port} is served by process ${servedBy ?? '(unknown)'}, not by the redis-server we spawned (pid ${pid})`);
  }
}

function readLog(logfile: string): string {
  try {
    return readFileSync(logfile, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Connects, retrying while the server starts; gives up as soon as the server has exited. */
async function openConnection(port: number, server: ChildProcess): Promise<RedisConnection> {
  return respClient(await connectWithRetry(port, server), port);
}

async function connectWithRetry(port: number, server: ChildProcess): Promise<net.Socket> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await new Promise<net.Socket>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () => {
          socket.off('error', reject);
          resolve(socket);
        });
        socket.once('error', reject);
      });
    } catch (err) {
      if (server.exitCode !== null || server.signalCode !== null) throw new Error(`redis-server on port ${port} exited before accepting connections`, { cause: err });
      if (attempt > 100) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
