/**
 * The headless server in a child process, started exactly as `npm run server` starts it. Tests
 * that drive it with blocking tools (spawnSync of redis-cli) need it out of their own process.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

export interface HeadlessProcess {
  readonly port: number;
  /** Everything the server logged so far. */
  log(): string;
  /** Resolves with the exit code once the process ends. */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

const ROOT = join(import.meta.dirname, '../..');

export async function startHeadlessProcess(port: number, args: readonly string[] = []): Promise<HeadlessProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/node/main.ts', '--port', String(port), ...args], { cwd: ROOT });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  for (let i = 0; !log.includes('Ready to accept connections'); i++) {
    if (i > 300 || child.exitCode !== null) throw new Error(`the headless server did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    log: () => log,
    exited,
    stop: async () => {
      if (child.exitCode === null) {
        spawnSync('redis-cli', ['-p', String(port), 'SHUTDOWN', 'NOSAVE']);
        await exited;
      }
    },
  };
}
