/**
 * The headless server's command line, read the way redis-server reads its own:
 * `--port 6390 --save "" --appendonly yes --save 900 1 300 10`. Each `--name` starts a directive
 * and the words after it, up to the next `--name`, are its value (joined by spaces).
 */
import { DEFAULT_CONFIG } from '../engine/index.ts';

export interface ServerOptions {
  port: number;
  /** Where the server writes its log; standard output when absent, as redis-server does. */
  logfile: string | null;
  /** The pid file to write at start and remove at exit (`--pidfile`), or null for none. */
  pidfile: string | null;
  /** Startup values of the persistence directives. */
  config: Record<string, string>;
}

/** Options redis-server takes that have no meaning for the lab's model, accepted and ignored. */
const IGNORED = new Set(['bind', 'daemonize', 'protected-mode', 'loglevel', 'enable-debug-command']);

export class OptionsError extends Error {}

export function parseServerOptions(args: readonly string[]): ServerOptions {
  const options: ServerOptions = { port: 6379, logfile: null, pidfile: null, config: {} };
  let i = 0;
  while (i < args.length) {
    const flag = args[i] as string;
    if (!flag.startsWith('--')) throw new OptionsError(`expected an option like --port, got '${flag}'`);
    const name = flag.slice(2).toLowerCase();
    const words: string[] = [];
    for (i++; i < args.length && !(args[i] as string).startsWith('--'); i++) words.push(args[i] as string);
    const value = words.join(' ');
    if (name === 'port') {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new OptionsError(`invalid port '${value}'`);
      options.port = port;
    } else if (name === 'logfile') {
      options.logfile = value === '' ? null : value;
    } else if (name === 'pidfile') {
      options.pidfile = value === '' ? null : value;
    } else if (name === 'bind') {
      // The lab listens on loopback only, whatever is asked.
      if (value !== '127.0.0.1' && value !== '') throw new OptionsError('the headless lab server binds 127.0.0.1 only');
    } else if (IGNORED.has(name)) {
      continue;
    } else if (Object.hasOwn(DEFAULT_CONFIG, name)) {
      options.config[name] = value;
    } else {
      throw new OptionsError(`'${name}' is not a directive the lab models (it knows: port, logfile, pidfile, ${Object.keys(DEFAULT_CONFIG).join(', ')})`);
    }
  }
  return options;
}
