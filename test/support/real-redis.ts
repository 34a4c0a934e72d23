/**
 * A real redis-server for tests: started on 127.0.0.1 on its own port and scratch directory, with
 * no persistence, spoken to over a raw socket, and shut down with SHUTDOWN NOSAVE. It is the
 * oracle the engine's replies are compared with.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeCommand, ReplyParser } from '../../src/codec/resp.ts';
import type { Reply } from '../../src/codec/reply.ts';

export interface RealRedis {
  readonly port: number;
  readonly dir: string;
  /** Sends one command and resolves with its reply. */
  command(argv: readonly string[]): Promise<Reply>;
  stop(): Promise<void>;
}

export function redisServerPath(): string {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
  if (found === '') throw new Error('redis-server is not installed: the tests need it (apt-get install -y redis-server)');
  return found;
}

export async function startRealRedis(port: number, extraArgs: readonly string[] = []): Promise<RealRedis> {
  const dir = mkdtempSync(join(tmpdir(), `lab-redis-${port}-`));
  const server = spawn(
    redisServerPath(),
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--logfile', join(dir, 'redis.log'), ...extraArgs],
    { stdio: 'ignore' },
  );
  const socket = await connectWithRetry(port);
  const pending: ((reply: Reply) => void)[] = [];
  const parser = new ReplyParser();
  socket.on('data', (chunk) => {
    for (const reply of parser.feed(chunk.toString('latin1'))) pending.shift()?.(reply);
  });
  return {
    port,
    dir,
    command: (argv) =>
      new Promise((resolve) => {
        pending.push(resolve);
        socket.write(Buffer.from(encodeCommand(argv), 'latin1'));
      }),
    stop: async () => {
      socket.write(Buffer.from(encodeCommand(['SHUTDOWN', 'NOSAVE']), 'latin1'));
      await new Promise((resolve) => server.once('exit', resolve));
      socket.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function connectWithRetry(port: number): Promise<net.Socket> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await new Promise<net.Socket>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
        socket.once('error', reject);
      });
    } catch (err) {
      if (attempt > 100) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
