import { array, bulk, error, integer, OK, status, type Reply } from '../../codec/reply.ts';
import type { CommandSpec } from './types.ts';
import type { Engine } from '../engine.ts';
import { directiveName, parseDirective } from '../config.ts';
import { DiskError, STRERROR } from '../disk/virtual-disk.ts';
import { redisCheckAof } from '../../codec/aof/index.ts';

/**
 * SIM: the simulator's own verbs, an extension in the manner of Redis's DEBUG. They control what a
 * real node gets from the world around it: time, the model's parameters, and files copied into dir.
 */

/**
 * One SIM ADVANCE runs every cron tick on the way (36,000 an hour), so an hour is the most one
 * line may ask: a day would keep a browser tab busy for seconds. Longer jumps: SIM SET epoch-ms.
 */
export const MAX_ADVANCE_MS = 3600 * 1000;
/** Simulated time must stay within dates Redis and JavaScript both handle (year 1970 to 9999). */
const MAX_EPOCH_MS = 253402300799999;

const HELP = [
  'SIM <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'ADVANCE <milliseconds>',
  '    Let simulated time pass; serverCron runs every 1000/hz ms on the way.',
  'TIME',
  '    Return the simulated time as unix milliseconds and as an ISO 8601 date.',
  'SET epoch-ms <unix-milliseconds>',
  '    Set the simulated clock.',
  'SET disk-mbps <MB per second>',
  '    Set the disk speed the saving child writes and a restart reads at (default 100).',
  'SET fork-us-per-gb <microseconds>',
  '    Set how long fork() blocks per GB of memory (default 15000).',
  'SET fsync-ms <milliseconds>',
  '    Set how long one background fdatasync of the AOF takes (default 0: done before the next command).',
  'SET page-size <bytes>',
  '    Set the memory page size used for copy-on-write (default 4096).',
  'CRASH PROCESS|POWER',
  '    Kill redis-server (kill -9: memory and aof_buf are lost, the page cache survives), or cut',
  '    the power (only bytes already on disk survive).',
  'RESTART [--<directive> <value> ...]',
  '    Start redis-server again, with redis.conf edited as given; it loads along the usual load path.',
  'KILLCHILD',
  '    Kill the fork child with SIGKILL, as the OOM killer would.',
  'DISK OK|FULL|EIO',
  '    Make disk writes succeed, fail with ENOSPC, or fail with EIO.',
  'FILE PUT <name> <base64>',
  '    Copy a file into dir, as if copied in before the server started: written, fsynced and its',
  '    name durable at once. <name> is a file (dump.rdb) or one directory deep',
  '    (appendonlydir/appendonly.aof.manifest); <base64> is its content.',
  'FILE DELETE <name>',
  '    Remove a file from dir, at once and durably.',
  'CHECK-AOF [--fix]',
  '    Run redis-check-aof on the AOF manifest (or an old single AOF file) in dir and return what it',
  '    prints; with --fix, answer y and cut each file back to its last valid command.',
  'HELP',
  '    Print this help.',
];

/** The largest file SIM FILE PUT takes. */
export const MAX_FILE_PUT_BYTES = 64 * 1024 * 1024;

/**
 * A file name inside dir: a plain name or one directory deep (`appendonlydir/<file>`, as the
 * virtual disk names the AOF directory's files). Plain segments only, so nothing — here or in the
 * headless server's mirror of dir — can land outside the directory.
 */
function isFileName(name: string): boolean {
  const segments = name.split('/');
  return segments.length <= 2 && segments.every((segment) => segment.length <= 255 && /^[A-Za-z0-9._+@-]+$/.test(segment) && segment !== '.' && segment !== '..');
}

const BASE64_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Each character code's value as a base64 digit, 255 for characters that are not one. */
const BASE64_VALUE = new Uint8Array(256).fill(255);
for (let i = 0; i < BASE64_DIGITS.length; i++) BASE64_VALUE[BASE64_DIGITS.charCodeAt(i)] = i;

/** Standard base64 (RFC 4648; the `=` padding optional) to bytes, or null when it is not base64. */
function decodeBase64(text: string): Uint8Array | null {
  const digits = text.endsWith('==') ? text.slice(0, -2) : text.endsWith('=') ? text.slice(0, -1) : text;
  if (digits.length % 4 === 1 || (digits !== text && text.length % 4 !== 0)) return null;
  const out = new Uint8Array(Math.floor((digits.length * 3) / 4));
  let bits = 0;
  let bitCount = 0;
  let at = 0;
  for (let i = 0; i < digits.length; i++) {
    const code = digits.charCodeAt(i);
    const value = code < 256 ? (BASE64_VALUE[code] as number) : 255;
    if (value === 255) return null;
    bits = ((bits << 6) | value) & 0xffffff;
    bitCount += 6;
    if (bitCount >= 8) {
      bitCount -= 8;
      out[at++] = (bits >> bitCount) & 0xff;
    }
  }
  return out;
}

/** SIM FILE PUT / DELETE: what a person does to dir from a shell, with Redis none the wiser until it reads the file. */
function fileCommand(engine: Engine, argv: readonly string[]): Reply {
  const action = (argv[2] as string).toLowerCase();
  const name = argv[3] as string;
  if (!((action === 'put' && argv.length === 5) || (action === 'delete' && argv.length === 4))) {
    return error('ERR SIM FILE takes PUT <name> <base64> or DELETE <name>');
  }
  if (!isFileName(name)) {
    const shown = name.slice(0, 128).replace(/[^\x20-\x7e]/g, '?');
    return error(`ERR invalid file name '${shown}': use a name such as dump.rdb, or one directory deep such as appendonlydir/appendonly.aof.manifest`);
  }
  const files = engine.disk.list().map((file) => file.name);
  if (files.some((file) => file.startsWith(`${name}/`))) return error(`ERR '${name}' is a directory`);
  const inode = engine.disk.inodeOf(name);
  if (action === 'delete') {
    if (!engine.disk.remove(name)) return error(`ERR no such file '${name}'`);
    engine.ledger.fileRemoved(inode);
    return OK;
  }
  const directory = name.includes('/') ? name.slice(0, name.indexOf('/')) : null;
  if (directory !== null && files.includes(directory)) return error(`ERR '${directory}' is a file, not a directory`);
  const text = argv[4] as string;
  if (text.length > Math.ceil(MAX_FILE_PUT_BYTES / 3) * 4) return error(`ERR the file is larger than ${MAX_FILE_PUT_BYTES} bytes`);
  const bytes = decodeBase64(text);
  if (bytes === null) return error("ERR the file's content is not valid base64");
  // The write ledger compares the old bytes with the new ones: what Redis wrote and is still there.
  const before = engine.disk.view(name);
  try {
    engine.ledger.fileReplaced(inode, before, bytes, () => engine.disk.place(name, bytes, engine.nowMs));
  } catch (failure) {
    if (failure instanceof DiskError) return error(`ERR cannot write '${name}': ${STRERROR[failure.errno]}`);
    throw failure;
  }
  return OK;
}

/**
 * SIM CHECK-AOF [--fix]: `redis-check-aof [--fix] <manifest>` run from dir, the way out when the
 * server refused its AOF. The tool reads the manifest and the files it lists (an old single AOF
 * when there is no manifest); --fix answers "y" and truncates each file at its last valid command.
 * The reply is what the tool prints, one line per element.
 */
function checkAofCommand(engine: Engine, argv: readonly string[]): Reply {
  const fix = argv.length === 3 && (argv[2] as string).toLowerCase() === '--fix';
  if (argv.length > 3 || (argv.length === 3 && !fix)) return error('ERR SIM CHECK-AOF takes no argument but --fix');
  const manifest = engine.aof.manifestPath;
  const oldStyle = engine.aof.baseName;
  const path = engine.disk.read(manifest) === null && engine.disk.read(oldStyle) !== null ? oldStyle : manifest;
  const checked = redisCheckAof(path, (name) => engine.disk.read(name), { fix, nowMs: engine.nowMs });
  try {
    // ftruncate, as the tool does: what stays is the bytes Redis wrote, and the ledger keeps them.
    for (const { path: file, length } of checked.truncated) engine.disk.truncate(file, length);
  } catch (failure) {
    if (failure instanceof DiskError) return error(`ERR redis-check-aof could not truncate the file: ${STRERROR[failure.errno]}`);
    throw failure;
  }
  return array(checked.stdout.replace(/\n$/, '').split('\n').map(status));
}

/** A canonical non-negative decimal integer up to `max`, or null. */
function parseMs(text: string, max: number): number | null {
  if (!/^(0|[1-9][0-9]{0,15})$/.test(text)) return null;
  const value = Number(text);
  return value <= max ? value : null;
}

/** The model's parameters that `SIM SET` changes, with their ranges. */
const MODEL_PARAMETERS: Readonly<Record<string, { min: number; max: number; apply: (engine: Engine, value: number) => void }>> = {
  'disk-mbps': { min: 0.001, max: 100_000, apply: (engine, value) => (engine.rdb.model.diskMbPerSecond = value) },
  'fork-us-per-gb': { min: 0, max: 10_000_000, apply: (engine, value) => (engine.rdb.model.forkUsPerGb = value) },
  'fsync-ms': { min: 0, max: 60_000, apply: (engine, value) => (engine.aof.model.fsyncMs = value) },
  'page-size': { min: 64, max: 2 * 1024 * 1024, apply: (engine, value) => (engine.pages.pageSizeBytes = Math.floor(value)) },
};

/**
 * `--directive value` pairs, as redis-server's command line takes them; a value may be several
 * words (`--save 900 1 300 10`) or empty (`--save ""`). Returns an error text for anything else.
 */
function parseRestartOptions(words: readonly string[]): Record<string, string> | string {
  const overrides: Record<string, string> = {};
  let name: string | null = null;
  const values: string[] = [];
  const flush = (): string | null => {
    if (name === null) return null;
    const directive = directiveName(name);
    if (directive === null) return `'${name}' is not a directive the lab models`;
    const parsed = parseDirective(directive, values.join(' '));
    if (!parsed.ok) return `--${directive}: ${parsed.error}`;
    overrides[directive] = parsed.value;
    return null;
  };
  for (const word of words) {
    if (word.startsWith('--')) {
      const problem = flush();
      if (problem !== null) return problem;
      name = word.slice(2);
      values.length = 0;
    } else if (name === null) {
      return `expected --<directive> before '${word}'`;
    } else {
      values.push(word);
    }
  }
  return flush() ?? overrides;
}

const sub = (spec: Omit<CommandSpec, 'flags'>): CommandSpec => ({ ...spec, flags: ['loading-ok'] });

export const simCommands: CommandSpec[] = [
  {
    name: 'sim',
    arity: -2,
    flags: ['loading-ok'],
    run: () => error('ERR unknown subcommand'),
    subcommands: {
      advance: sub({
        name: 'sim|advance',
        arity: 3,
        run: ({ engine, argv }) => {
          const ms = parseMs(argv[2] as string, MAX_ADVANCE_MS);
          if (ms === null) return error(`ERR SIM ADVANCE takes whole milliseconds from 0 to ${MAX_ADVANCE_MS}`);
          engine.advance(ms);
          return OK;
        },
      }),
      time: sub({
        name: 'sim|time',
        arity: 2,
        run: ({ engine }) => array([integer(engine.nowMs), bulk(new Date(engine.nowMs).toISOString())]),
      }),
      set: sub({
        name: 'sim|set',
        arity: 4,
        run: ({ engine, argv }) => {
          const param = (argv[2] as string).toLowerCase();
          const text = argv[3] as string;
          if (param === 'epoch-ms') {
            const ms = parseMs(text, MAX_EPOCH_MS);
            if (ms === null) return error(`ERR epoch-ms takes unix milliseconds from 0 to ${MAX_EPOCH_MS}`);
            engine.setClock(ms);
            return OK;
          }
          const model = Object.hasOwn(MODEL_PARAMETERS, param) ? MODEL_PARAMETERS[param] : undefined;
          if (model === undefined) return error(`ERR unknown simulation parameter '${argv[2] as string}'`);
          const value = Number(text);
          if (!/^[0-9]+(\.[0-9]+)?$/.test(text) || value < model.min || value > model.max) {
            return error(`ERR ${param} takes a number from ${model.min} to ${model.max}`);
          }
          if (param === 'page-size' && engine.pages.fork !== null) return error('ERR page-size cannot change while a fork child runs');
          model.apply(engine, value);
          return OK;
        },
      }),
      crash: sub({
        name: 'sim|crash',
        arity: 3,
        run: ({ engine, argv }) => {
          const kind = (argv[2] as string).toLowerCase();
          if (kind !== 'process' && kind !== 'power') return error('ERR SIM CRASH takes PROCESS or POWER');
          if (!engine.running && kind === 'process') return error('ERR redis-server is not running');
          engine.crash(kind);
          return OK;
        },
      }),
      restart: sub({
        name: 'sim|restart',
        arity: -2,
        run: ({ engine, argv }) => {
          if (engine.running) return error('ERR redis-server is running: SHUTDOWN or SIM CRASH it first');
          const overrides = parseRestartOptions(argv.slice(2));
          if (typeof overrides === 'string') return error(`ERR ${overrides}`);
          engine.restart(overrides);
          return engine.running ? OK : error(`ERR redis-server did not start: ${engine.startupError ?? 'see the server log'}`);
        },
      }),
      killchild: sub({
        name: 'sim|killchild',
        arity: 2,
        run: ({ engine }) => (engine.rdb.killChild() || engine.aof.killChild() ? OK : error('ERR no child process is running')),
      }),
      disk: sub({
        name: 'sim|disk',
        arity: 3,
        run: ({ engine, argv }) => {
          const fault = (argv[2] as string).toLowerCase();
          if (fault !== 'ok' && fault !== 'full' && fault !== 'eio') return error('ERR SIM DISK takes OK, FULL or EIO');
          engine.disk.fault = fault;
          return OK;
        },
      }),
      file: sub({ name: 'sim|file', arity: -4, run: ({ engine, argv }) => fileCommand(engine, argv) }),
      'check-aof': sub({ name: 'sim|check-aof', arity: -2, run: ({ engine, argv }) => checkAofCommand(engine, argv) }),
      help: sub({ name: 'sim|help', arity: 2, run: () => array(HELP.map(status)) }),
    },
  },
];
