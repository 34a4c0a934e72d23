/**
 * `npm run server -- --port 6390 [--<directive> <value> ...]`: the lab's engine as a Redis server
 * on 127.0.0.1. It takes redis-server's own options for the directives the lab models, logs as
 * redis-server does, and exits when a client sends SHUTDOWN.
 */
import { appendFileSync } from 'node:fs';
import { OptionsError, parseServerOptions } from './options.ts';
import { startHeadlessServer } from './server.ts';

try {
  const options = parseServerOptions(process.argv.slice(2));
  const writeLog = options.logfile === null
    ? (text: string) => process.stdout.write(`${text}\n`)
    : (text: string) => appendFileSync(options.logfile as string, `${text}\n`);
  const server = await startHeadlessServer({
    port: options.port,
    pid: process.pid,
    config: { dir: process.cwd(), ...options.config },
    onLogLine: writeLog,
  });
  const stop = () => void server.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await server.closed;
  process.exit(0);
} catch (err) {
  if (!(err instanceof OptionsError)) throw err;
  process.stderr.write(`\n*** FATAL CONFIG ERROR (Redis Persistence Lab) ***\n>>> ${err.message}\n`);
  process.exit(1);
}
