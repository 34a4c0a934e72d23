/**
 * `npm run server -- --port 6390 [--<directive> <value> ...]`: the lab's engine as a Redis server
 * on 127.0.0.1. It takes redis-server's own options for the directives the lab models, logs as
 * redis-server does, and exits when a client sends SHUTDOWN.
 *
 * `--dir <path>` makes the node's directory a real one: the engine starts from its files (it loads
 * dump.rdb) and every file the node writes appears there. Without it the node starts empty and its
 * files stay on its virtual disk. `--pidfile <path>` writes the process's pid there until it exits.
 * A node that cannot load its data exits with status 1 after logging why, as redis-server does.
 */
import { appendFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { OptionsError, parseServerOptions } from './options.ts';
import { ServerStartupError, startHeadlessServer } from './server.ts';

try {
  const options = parseServerOptions(process.argv.slice(2));
  const diskDir = options.config.dir === undefined ? undefined : resolve(options.config.dir);
  if (diskDir !== undefined && !statSync(diskDir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new OptionsError(`'dir "${options.config.dir}"'\nNo such file or directory`);
  }
  const writeLog = options.logfile === null
    ? (text: string) => process.stdout.write(`${text}\n`)
    : (text: string) => appendFileSync(options.logfile as string, `${text}\n`);
  // redis-server writes its pid file before it loads its data, and removes it when it exits.
  if (options.pidfile !== null) writeFileSync(options.pidfile, `${process.pid}\n`);
  const server = await startHeadlessServer({
    port: options.port,
    pid: process.pid,
    config: { ...options.config, dir: diskDir ?? process.cwd() },
    diskDir,
    diskDirSkip: [options.logfile, options.pidfile].filter((path) => path !== null),
    pidFile: options.pidfile !== null,
    onLogLine: writeLog,
  });
  const stop = () => void server.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await server.closed;
  if (options.pidfile !== null) rmSync(options.pidfile, { force: true });
  process.exit(0);
} catch (err) {
  if (err instanceof ServerStartupError) process.exit(1);
  if (!(err instanceof OptionsError)) throw err;
  process.stderr.write(`\n*** FATAL CONFIG ERROR (Redis Persistence Lab) ***\n>>> ${err.message}\n`);
  process.exit(1);
}
