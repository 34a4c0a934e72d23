import { array, bulk, error, integer, NIL, OK, status, type Reply } from '../../codec/reply.ts';
import { parseInteger } from '../../codec/numbers.ts';
import { DB_INDEX_OUT_OF_RANGE, NOT_AN_INTEGER, SYNTAX_ERROR, wrongArity } from '../errors.ts';
import { directiveName, mutability, parseDirective } from '../config.ts';
import { globMatch } from '../glob.ts';
import { REDIS_7_DEFAULTS } from '../redis-config-defaults.ts';
import { infoText } from '../info.ts';
import { roomInTab } from '../memory/usage.ts';
import type { Client } from '../client.ts';
import { freshStats, type Engine } from '../engine.ts';
import { debugLoadAof } from '../persistence/aof-load.ts';
import { debugReload } from '../persistence/rdb-load.ts';
import type { CommandContext, CommandFlag, CommandSpec } from './types.ts';
import { COMMAND_META, type MetaTree } from './command-meta.ts';
// Read only inside command bodies (never while modules load), so the import cycle
// index.ts → server.ts → index.ts is harmless; see the report on moving the table onto the engine.

/**
 * The server-level commands, as Redis 7.0.15 answers them: PING, ECHO, SELECT, DBSIZE, FLUSHDB,
 * FLUSHALL, LASTSAVE, INFO, CONFIG, SHUTDOWN, DEBUG (POPULATE, RELOAD, LOADAOF, SEGFAULT), and
 * the connection handshake of client libraries: HELLO, CLIENT and COMMAND. Every reply and error was checked against a real
 * redis-server 7.0.15.
 *
 * The lab speaks RESP2 only, so HELLO 3 is refused with NOPROTO (node-redis v6 must be created
 * with `RESP: 2`). DEBUG behaves as with `enable-debug-command yes`.
 */

const DB_COUNT = 16;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** Redis replaces CR and LF in text it echoes inside an error, so the reply stays one line. */
const oneLine = (text: string) => text.replace(/[\r\n]/g, ' ');

const helpReply = (lines: readonly string[]) => array(lines.map(status));

// ---- PING, ECHO, SELECT, DBSIZE, LASTSAVE --------------------------------------------------------

const PONG = status('PONG');

function ping({ argv }: CommandContext): Reply {
  if (argv.length > 2) return wrongArity('ping');
  return argv.length === 2 ? bulk(argv[1] as string) : PONG;
}

function select({ client, argv }: CommandContext): Reply {
  const index = parseInteger(argv[1] as string);
  if (index === null) return NOT_AN_INTEGER;
  if (typeof index === 'bigint' || index < INT32_MIN || index > INT32_MAX) {
    return error(`ERR value is out of range, value must between ${INT32_MIN} and ${INT32_MAX}`);
  }
  if (index < 0 || index >= DB_COUNT) return DB_INDEX_OUT_OF_RANGE;
  client.db = index;
  return OK;
}

// ---- FLUSHDB, FLUSHALL -------------------------------------------------------------------------------

/**
 * FLUSHDB and FLUSHALL take one optional ASYNC or SYNC (the lab frees memory at once either way).
 * The dirty counter grows by the number of keys removed; the command reaches the AOF even when
 * nothing was removed, as Redis forces its propagation. FLUSHALL also stops a running BGSAVE
 * (FLUSHDB leaves it alone) and, when save points exist, saves the emptied dataset at once.
 */
function flush(which: 'db' | 'all'): (ctx: CommandContext) => Reply {
  return ({ engine, db, argv }) => {
    if (argv.length > 2) return SYNTAX_ERROR;
    if (argv.length === 2) {
      const mode = (argv[1] as string).toLowerCase();
      if (mode !== 'async' && mode !== 'sync') return SYNTAX_ERROR;
    }
    const removed = engine.flush(which === 'all' ? 'all' : db.index);
    engine.dirty += removed;
    if (which === 'all') {
      // The child is reaped at the next cron, after this save (rdb-persistence.ts, stopChild).
      engine.rdb.stopChild();
      if (engine.config.savePoints.length !== 0) engine.rdb.save('flushall');
    }
    // With nothing removed the dirty counter did not move, so the dispatcher would not log it.
    if (removed === 0) engine.propagate(db.index, argv);
    return OK;
  };
}

// ---- CONFIG --------------------------------------------------------------------------------------------

const CONFIG_HELP = [
  'CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
  'REWRITE',
  '    Rewrite the configuration file.',
  'HELP',
  '    Prints this help.',
];

/**
 * CONFIG GET pattern [pattern ...]. A pattern with glob characters matches directive names
 * case-insensitively; a plain name is looked up and echoed as typed. Each directive appears once.
 * Redis's order is its dictionary's (random per process); the lab answers in its own stable order.
 */
function configGet({ engine, argv }: CommandContext): Reply {
  const found = new Map<string, string>(); // canonical name → name to print
  for (const pattern of argv.slice(2)) {
    if (!/[[*?]/.test(pattern)) {
      const lower = pattern.toLowerCase();
      const canonical = directiveName(pattern) ?? (fixedDirective(engine, lower) !== undefined ? lower : null);
      if (canonical !== null && !found.has(canonical)) found.set(canonical, pattern);
      continue;
    }
    for (const name of [...engine.config.names(), 'port', ...REDIS_7_DEFAULTS.keys()]) {
      if (!found.has(name) && globMatch(pattern, name, true)) found.set(name, name);
    }
  }
  const out: Reply[] = [];
  for (const [canonical, shown] of found) out.push(bulk(shown), bulk(fixedDirective(engine, canonical) ?? engine.config.get(canonical)));
  return array(out);
}

/** A directive the lab does not let anyone change: the node's port, or one of Redis's defaults it keeps. */
function fixedDirective(engine: Engine, name: string): string | undefined {
  return name === 'port' ? String(engine.port) : REDIS_7_DEFAULTS.get(name);
}

const configSetFailed = (name: string, reason: string) =>
  error(`ERR CONFIG SET failed (possibly related to argument '${oneLine(name)}') - ${reason}`);

/**
 * CONFIG SET name value [name value ...], all or nothing. Redis first walks the names in order
 * (unknown, then protected/immutable, then repeated), then checks the values in order; the first
 * problem found is the one reported. Only then is anything changed.
 */
function configSet({ engine, argv }: CommandContext): Reply {
  if (argv.length % 2 !== 0) return SYNTAX_ERROR;
  const names: string[] = [];
  for (let i = 2; i < argv.length; i += 2) {
    const typed = argv[i] as string;
    const canonical = directiveName(typed);
    if (canonical === null) {
      if (fixedDirective(engine, typed.toLowerCase()) !== undefined) return configSetFailed(typed, 'this lab keeps it fixed');
      return error(`ERR Unknown option or number of arguments for CONFIG SET - '${oneLine(typed)}'`);
    }
    const kind = mutability(canonical);
    if (kind !== 'mutable') return configSetFailed(typed, `can't set ${kind} config`);
    if (names.includes(canonical)) return configSetFailed(typed, 'duplicate parameter');
    names.push(canonical);
  }
  const values: string[] = [];
  for (let i = 2; i < argv.length; i += 2) {
    const name = names[(i - 2) / 2] as string;
    const parsed = parseDirective(name, argv[i + 1] as string);
    // Name checks quote the name as typed; value checks quote the directive's own name.
    if (!parsed.ok) return configSetFailed(name, parsed.error);
    values.push(parsed.value);
  }
  names.forEach((name, i) => {
    const value = values[i] as string;
    engine.config.set(name, value);
    if (name === 'hz') engine.rescheduleCron();
    if (name === 'appendonly') engine.aof.setEnabled(value === 'yes');
    if (engine.observes('config.changed')) engine.emit({ type: 'config.changed', atMs: engine.nowMs, name, value });
  });
  return OK;
}

/**
 * CONFIG REWRITE: a node started with a redis.conf (the lab's, which SIM RESTART --directive
 * edits) writes its running values into it, so the next restart uses them: the safe way out of the
 * appendonly-yes restart trap is CONFIG SET appendonly yes, then CONFIG REWRITE. A node started
 * with options only has no file to write.
 */
function configRewrite({ engine }: CommandContext): Reply {
  if (!engine.hasConfigFile) return error('ERR The server is running without a config file');
  engine.rewriteStartupConfig();
  engine.log('#', 'CONFIG REWRITE executed with success.');
  return OK;
}

function configResetStat({ engine }: CommandContext): Reply {
  engine.stats = freshStats();
  return OK;
}

// ---- SHUTDOWN ------------------------------------------------------------------------------------------

/**
 * What SHUTDOWN returns when the node stops. Redis sends nothing: it closes the connection, and
 * redis-cli prints nothing. The engine must return some Reply, so it returns this placeholder;
 * callers recognise it by identity (or by `engine.running` being false) and send or print nothing.
 */
export const CONNECTION_CLOSED: Reply = Object.freeze({ type: 'status', value: '' });

/**
 * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]. Options repeat freely; NOSAVE with SAVE, or ABORT
 * with anything, is a syntax error. With no shutdown ever pending in the lab, ABORT has nothing to
 * abort. Refused inside MULTI, as Redis refuses its no-multi commands when they are queued.
 * The node saves on the way out when asked to (SAVE) or when save points exist (unless NOSAVE); if
 * that save fails the shutdown is abandoned, unless FORCE.
 */
function shutdown({ engine, client, argv }: CommandContext): Reply {
  if (client.multi !== null) {
    client.multi.failed = true;
    return error('ERR Command not allowed inside a transaction');
  }
  let save = false;
  let noSave = false;
  let abort = false;
  let other = false; // NOW or FORCE
  let force = false;
  for (const word of argv.slice(1)) {
    const option = word.toLowerCase();
    if (option === 'nosave') noSave = true;
    else if (option === 'save') save = true;
    else if (option === 'abort') abort = true;
    else if (option === 'now' || option === 'force') {
      other = true;
      force ||= option === 'force';
    }
    else return SYNTAX_ERROR;
  }
  if ((save && noSave) || (abort && (save || noSave || other))) return SYNTAX_ERROR;
  if (abort) return error('ERR No shutdown in progress.');
  // A half-loaded dataset is never saved over the file it is being read from.
  if (engine.loading) {
    save = false;
    noSave = true;
  }
  engine.log('#', 'User requested shutdown...');
  engine.rdb.stopChildForShutdown();
  const abandoned = () => {
    engine.log('#', 'Errors trying to shut down the server. Check the logs for more information.');
    return error('ERR Errors trying to SHUTDOWN. Check logs.');
  };
  if (!engine.aof.prepareForShutdown(force)) return abandoned();
  if (save || (!noSave && engine.config.savePoints.length !== 0)) {
    engine.log('*', 'Saving the final RDB snapshot before exiting.');
    if (!engine.rdb.save('shutdown')) {
      if (!force) {
        engine.log('#', "Error trying to save the DB, can't exit.");
        return abandoned();
      }
      engine.log('#', 'Error trying to save the DB. Exit anyway.');
    }
  }
  if (engine.hasPidFile) engine.log('*', 'Removing the pid file.');
  engine.log('#', 'Redis is now ready to exit, bye bye...');
  engine.rdb.exitWithParent();
  engine.stop();
  if (engine.observes('server.stopped')) engine.emit({ type: 'server.stopped', atMs: engine.nowMs, reason: 'shutdown' });
  return CONNECTION_CLOSED;
}

// ---- DEBUG ------------------------------------------------------------------------------------------------

/** Redis 7.0's DEBUG HELP, word for word, for the subcommands the lab has (in Redis's order). */
const DEBUG_HELP = [
  'DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'LOADAOF',
  '    Flush the AOF buffers on disk and reload the AOF in memory.',
  'POPULATE <count> [<prefix>] [<size>]',
  '    Create <count> string keys named key:<num>. If <prefix> is specified then',
  "    it is used instead of the 'key' prefix. These are not propagated to",
  '    replicas. Cluster slots are not respected so keys not belonging to the',
  '    current node can be created in cluster mode.',
  'RELOAD [option ...]',
  '    Save the RDB on disk and reload it back to memory. Valid <option> values:',
  '    * MERGE: conflicting keys will be loaded from RDB.',
  '    * NOFLUSH: the existing database will not be removed before load, but',
  '      conflicting keys will generate an exception and kill the server.',
  '    * NOSAVE: the database will be loaded from an existing RDB file.',
  '    Examples:',
  '    * DEBUG RELOAD: verify that the server is able to persist, flush and reload',
  '      the database.',
  '    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an',
  '      existing RDB file.',
  '    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB',
  '      file to the database.',
  'SEGFAULT',
  '    Crash the server with sigsegv.',
  'HELP',
  '    Prints this help.',
];

const subcommandSyntaxError = (command: string, sub: string) =>
  error(`ERR unknown subcommand or wrong number of arguments for '${oneLine(sub.slice(0, 128))}'. Try ${command} HELP.`);

const MUST_BE_POSITIVE = error('ERR value is out of range, must be positive');

/** A non-negative integer in Redis's strict syntax, or null. */
function nonNegative(text: string): number | null {
  const n = parseInteger(text);
  return typeof n === 'number' && n >= 0 ? n : null;
}

/** DEBUG POPULATE's share of the browser tab's limits (memory/usage.ts): 2,000,000 keys, and the dataset's 512 MB. */
const POPULATE_MAX_KEYS = 2_000_000;
const POPULATE_TOO_BIG = error('ERR DEBUG POPULATE stops at 2000000 keys and 512 MB of data in this lab (the memory of a browser tab)');

function populateFits(engine: Engine, count: number, prefix: string, size: number): boolean {
  const keys = engine.dbs.reduce((sum, each) => sum + each.size, 0);
  if (keys + count > POPULATE_MAX_KEYS) return false;
  // Each new key: its name (prefix, colon, up to 7 digits) and its value (`value:N`, or `size` bytes).
  const perKey = prefix.length + 8 + Math.max(size, 13) + 16;
  return roomInTab(engine, count * perKey);
}

/**
 * DEBUG POPULATE count [prefix] [size]: string keys `prefix:N` holding `value:N`, resized to
 * `size` bytes (zero-padded or cut) when size is not 0. Existing keys are left alone. As in
 * Redis, these writes neither count as changes nor reach the AOF.
 */
function debugPopulate({ engine, db, argv }: CommandContext): Reply {
  const count = nonNegative(argv[2] as string);
  if (count === null) return MUST_BE_POSITIVE;
  const prefix = argv.length > 3 ? (argv[3] as string) : 'key';
  const size = argv.length > 4 ? nonNegative(argv[4] as string) : 0;
  if (size === null) return MUST_BE_POSITIVE;
  if (!populateFits(engine, count, prefix, size)) return POPULATE_TOO_BIG;
  for (let i = 0; i < count; i++) {
    const key = `${prefix}:${i}`;
    if (engine.lookupWrite(db, key) !== undefined) continue;
    let value = `value:${i}`;
    if (size !== 0) value = value.length >= size ? value.slice(0, size) : value + '\0'.repeat(size - value.length);
    db.set(key, value);
    // Not a change for dirty or the AOF, but one for WATCH (Redis signals each key it adds).
    if (engine.watches.keyCount !== 0) engine.watches.touch(db, key);
  }
  return OK;
}

/** DEBUG parses its own subcommands (it is not a container in Redis's table), hence its own errors. */
function debug(ctx: CommandContext): Reply {
  const subcommand = (ctx.argv[1] as string).toLowerCase();
  const argc = ctx.argv.length;
  if (subcommand === 'help' && argc === 2) return helpReply(DEBUG_HELP);
  if (subcommand === 'populate' && argc >= 3 && argc <= 5) return debugPopulate(ctx);
  if (subcommand === 'reload') return debugReload(ctx.engine, ctx.argv.slice(2));
  // Like RELOAD, LOADAOF ignores any further argument.
  if (subcommand === 'loadaof') return debugLoadAof(ctx.engine) ? OK : CONNECTION_CLOSED;
  if (subcommand === 'segfault' && argc === 2) {
    // The crash report's first lines; the stack trace of a real process has no counterpart here.
    const engine = ctx.engine;
    engine.logRaw('\n\n=== REDIS BUG REPORT START: Cut & paste starting from here ===');
    engine.log('#', 'Redis 7.0.15 crashed by signal: 11, si_code: 2');
    engine.logRaw('=== REDIS BUG REPORT END. Make sure to include from START to END. ===');
    engine.crash('process');
    return CONNECTION_CLOSED;
  }
  return subcommandSyntaxError('DEBUG', ctx.argv[1] as string);
}

// ---- HELLO and CLIENT ---------------------------------------------------------------------------------------

/** Client names are printable ASCII without spaces ('!' to '~'); an empty name clears it. */
function setClientName(client: Client, name: string): Reply | null {
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code < 33 || code > 126) return error('ERR Client names cannot contain spaces, newlines or special characters.');
  }
  client.name = name === '' ? null : name;
  return null;
}

/**
 * AUTH [username] password, with the default user of a Redis 7.0 that has no password set (the
 * lab's): any password for "default" is right, no other user exists, and a password alone is
 * refused because none is configured.
 */
function auth({ argv }: CommandContext): Reply {
  if (argv.length > 3) return SYNTAX_ERROR;
  if (argv.length === 2) {
    return error('ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?');
  }
  return argv[1] === 'default' ? OK : error('WRONGPASS invalid username-password pair or user is disabled.');
}

/**
 * HELLO [protover [AUTH username password] [SETNAME name]]. The version is checked first; then
 * each option takes effect as it is read, so a later bad option leaves an earlier SETNAME applied,
 * exactly as in Redis. The lab has no passwords: user "default" is accepted with any password.
 */
function hello({ client, argv }: CommandContext): Reply {
  if (argv.length >= 2) {
    const version = parseInteger(argv[1] as string);
    if (version === null) return error('ERR Protocol version is not an integer or out of range');
    if (version !== 2) return error('NOPROTO unsupported protocol version');
  }
  for (let i = 2; i < argv.length; i++) {
    const option = (argv[i] as string).toLowerCase();
    const more = argv.length - i - 1;
    if (option === 'auth' && more >= 2) {
      if (argv[i + 1] !== 'default') return error('WRONGPASS invalid username-password pair or user is disabled.');
      i += 2;
    } else if (option === 'setname' && more >= 1) {
      const refused = setClientName(client, argv[i + 1] as string);
      if (refused !== null) return refused;
      i += 1;
    } else {
      return error(`ERR Syntax error in HELLO option '${oneLine(argv[i] as string)}'`);
    }
  }
  return array([
    bulk('server'), bulk('redis'),
    bulk('version'), bulk('7.0.15'),
    bulk('proto'), integer(2),
    bulk('id'), integer(client.id),
    bulk('mode'), bulk('standalone'),
    bulk('role'), bulk('master'),
    bulk('modules'), array([]),
  ]);
}

const CLIENT_HELP = [
  'CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'HELP',
  '    Prints this help.',
];

/**
 * One line of CLIENT LIST / CLIENT INFO, fields in 7.0's order. The engine knows each client's id,
 * name, database, age, transaction and last command (EXEC's, while EXEC runs its queue); addresses
 * and buffers are not modelled and show plausible idle values.
 */
function clientLine(engine: Engine, client: Client, caller: Client, argv: readonly string[]): string {
  const isCaller = client === caller;
  const age = Math.floor((engine.nowMs - client.createdAtMs) / 1000);
  const argvMem = isCaller ? argv.reduce((sum, word) => sum + word.length, 0) : 0;
  const command = client.lastCommand ?? 'NULL';
  return (
    `id=${client.id} addr=127.0.0.1:${40000 + client.id} laddr=127.0.0.1:${engine.port} fd=${6 + client.id} ` +
    `name=${client.name ?? ''} age=${age} idle=${isCaller ? 0 : age} flags=${client.multi === null ? 'N' : 'x'} ` +
    `db=${client.db} sub=0 psub=0 ssub=0 multi=${client.multi === null ? -1 : client.multi.queue.length} ` +
    `qbuf=0 qbuf-free=0 argv-mem=${argvMem} multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 ` +
    `tot-mem=${1856 + argvMem} events=r cmd=${command} user=default redir=-1 resp=2\n`
  );
}

const CLIENT_TYPES = new Set(['normal', 'master', 'replica', 'slave', 'pubsub']);

/** CLIENT LIST [TYPE type | ID id [id ...]]. Every lab client is a normal one. */
function clientList({ engine, client, argv }: CommandContext): Reply {
  let clients = engine.listClients();
  if (argv.length === 4 && (argv[2] as string).toLowerCase() === 'type') {
    const type = (argv[3] as string).toLowerCase();
    if (!CLIENT_TYPES.has(type)) return error(`ERR Unknown client type '${oneLine(argv[3] as string)}'`);
    if (type !== 'normal') clients = [];
  } else if (argv.length > 3 && (argv[2] as string).toLowerCase() === 'id') {
    const ids = new Set<number>();
    for (const word of argv.slice(3)) {
      const id = parseInteger(word);
      if (id === null) return error('ERR Invalid client ID');
      if (typeof id === 'number') ids.add(id);
    }
    clients = clients.filter((c) => ids.has(c.id));
  } else if (argv.length !== 2) {
    return SYNTAX_ERROR;
  }
  return bulk(clients.map((c) => clientLine(engine, c, client, argv)).join(''));
}

// ---- COMMAND -----------------------------------------------------------------------------------------------------

const COMMAND_HELP = [
  'COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  '(no subcommand)',
  '    Return details about all Redis commands.',
  'COUNT',
  '    Return the total number of commands in this Redis server.',
  'LIST',
  '    Return a list of all commands in this Redis server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'HELP',
  '    Prints this help.',
];


/** A captured metadata tree as a reply (see command-meta.ts for the encoding). */
function metaReply(tree: MetaTree): Reply {
  if (typeof tree === 'number') return integer(tree);
  if (typeof tree === 'string') {
    if (tree.startsWith('+')) return status(tree.slice(1));
    return bulk(tree.startsWith('~') ? tree.slice(1) : tree);
  }
  return array(tree.map(metaReply));
}

/** The lab's own flags in Redis's words, for commands Redis does not have (SIM). */
const FLAG_NAMES: Partial<Record<CommandFlag, string>> = {
  write: 'write',
  readonly: 'readonly',
  admin: 'admin',
  fast: 'fast',
  'loading-ok': 'loading',
};

type CommandTable = ReadonlyMap<string, CommandSpec>;

/** Every command and subcommand of the lab, by full name (`config|get`), in table order. */
function allSpecs(table: CommandTable): CommandSpec[] {
  const specs: CommandSpec[] = [];
  for (const spec of table.values()) {
    specs.push(spec);
    if (spec.subcommands !== undefined) specs.push(...Object.values(spec.subcommands));
  }
  return specs;
}

/** `get`, `CONFIG|get` → the lab's spec, or undefined. */
function findSpec(table: CommandTable, fullName: string): CommandSpec | undefined {
  const [name, sub, extra] = fullName.toLowerCase().split('|');
  const spec = table.get(name as string);
  if (sub === undefined || spec === undefined) return spec;
  return extra === undefined ? spec.subcommands?.[sub] : undefined;
}

const subSpecs = (spec: CommandSpec) => Object.values(spec.subcommands ?? {});

/** COMMAND INFO's entry: the captured one, with the subcommands the lab implements. */
function commandInfoEntry(spec: CommandSpec): Reply {
  const meta = COMMAND_META[spec.name];
  const subcommands = array(subSpecs(spec).map(commandInfoEntry));
  if (meta === undefined) {
    const flags = spec.flags.flatMap((flag) => (FLAG_NAMES[flag] === undefined ? [] : [status(FLAG_NAMES[flag])]));
    const categories = [status(spec.flags.includes('fast') ? '@fast' : '@slow')];
    return array([bulk(spec.name), integer(spec.arity), array(flags), integer(0), integer(0), integer(0), array(categories), array([]), array([]), subcommands]);
  }
  const fields = (metaReply(meta[0]).value as Reply[]).slice(0, 9);
  return array([...fields, subcommands]);
}

/** COMMAND DOCS's entry (a flat map), with the subcommands' docs nested as Redis nests them. */
function commandDocsEntry(spec: CommandSpec): Reply {
  const meta = COMMAND_META[spec.name];
  const fields: Reply[] =
    meta === undefined
      ? [bulk('summary'), bulk('A command of the Redis Persistence Lab, not of Redis.'), bulk('since'), bulk('0.1.0'), bulk('group'), bulk('server'), bulk('complexity'), bulk('O(1)')]
      : [...(metaReply(meta[1]).value as Reply[])];
  const subs = subSpecs(spec);
  if (subs.length !== 0) fields.push(bulk('subcommands'), array(subs.flatMap((entry) => [bulk(entry.name), commandDocsEntry(entry)])));
  return array(fields);
}

/** ACL categories of a command (`@read`), from its captured info. */
function aclCategories(spec: CommandSpec): string[] {
  const meta = COMMAND_META[spec.name];
  if (meta === undefined) return [spec.flags.includes('fast') ? '@fast' : '@slow'];
  const categories = (meta[0] as readonly MetaTree[])[6] as readonly string[];
  return categories.map((category) => category.slice(1));
}

function commandList({ engine, argv }: CommandContext): Reply {
  let specs = allSpecs(engine.commands);
  if (argv.length === 5 && (argv[2] as string).toLowerCase() === 'filterby') {
    const filter = (argv[3] as string).toLowerCase();
    const value = argv[4] as string;
    if (filter === 'module') specs = [];
    else if (filter === 'aclcat') specs = specs.filter((spec) => aclCategories(spec).includes(`@${value.toLowerCase()}`));
    else if (filter === 'pattern') specs = specs.filter((spec) => globMatch(value, spec.name, true));
    else return SYNTAX_ERROR;
  } else if (argv.length !== 2) {
    return SYNTAX_ERROR;
  }
  return array(specs.map((spec) => bulk(spec.name)));
}

function commandInfo({ engine, argv }: CommandContext): Reply {
  if (argv.length <= 2) return array([...engine.commands.values()].map(commandInfoEntry));
  return array(argv.slice(2).map((name) => {
    const spec = findSpec(engine.commands, name);
    return spec === undefined ? NIL : commandInfoEntry(spec);
  }));
}

function commandDocs({ engine, argv }: CommandContext): Reply {
  const specs = argv.length <= 2 ? [...engine.commands.values()] : argv.slice(2).flatMap((name) => findSpec(engine.commands, name) ?? []);
  return array(specs.flatMap((spec) => [bulk(spec.name), commandDocsEntry(spec)]));
}

// ---- the table -------------------------------------------------------------------------------------------------------

const ADMIN: readonly CommandFlag[] = ['admin', 'loading-ok'];
const CONNECTION: readonly CommandFlag[] = ['loading-ok'];

const sub = (name: string, arity: number, flags: readonly CommandFlag[], run: CommandSpec['run']): CommandSpec => ({ name, arity, flags, run });

/** A container's own run: Redis answers a bare container name with an arity error. */
const bareContainer = (name: string) => () => wrongArity(name);

export const serverCommands: CommandSpec[] = [
  { name: 'ping', arity: -1, flags: ['fast'], run: ping },
  { name: 'echo', arity: 2, flags: ['fast', 'loading-ok'], run: ({ argv }) => bulk(argv[1] as string) },
  { name: 'select', arity: 2, flags: ['fast', 'loading-ok'], run: select },
  { name: 'dbsize', arity: 1, flags: ['readonly', 'fast'], run: ({ db }) => integer(db.size) },
  { name: 'flushdb', arity: -1, flags: ['write'], run: flush('db') },
  { name: 'flushall', arity: -1, flags: ['write'], run: flush('all') },
  { name: 'lastsave', arity: 1, flags: ['fast', 'loading-ok'], run: ({ engine }) => integer(Math.floor(engine.lastSaveMs / 1000)) },
  { name: 'info', arity: -1, flags: ['loading-ok'], run: ({ engine, argv }) => bulk(infoText(engine, argv.slice(1))) },
  {
    name: 'config',
    arity: -2,
    flags: [],
    run: bareContainer('config'),
    subcommands: {
      get: sub('config|get', -3, ADMIN, configGet),
      set: sub('config|set', -4, ADMIN, configSet),
      resetstat: sub('config|resetstat', 2, ADMIN, configResetStat),
      rewrite: sub('config|rewrite', 2, ADMIN, configRewrite),
      help: sub('config|help', 2, CONNECTION, () => helpReply(CONFIG_HELP)),
    },
  },
  // no-queue: SHUTDOWN answers at once inside MULTI, with Redis's no-multi refusal (see shutdown()).
  { name: 'shutdown', arity: -1, flags: ['admin', 'loading-ok', 'no-queue'], run: shutdown },
  { name: 'debug', arity: -2, flags: ADMIN, run: debug },
  { name: 'hello', arity: -1, flags: ['fast', 'loading-ok'], run: hello },
  { name: 'auth', arity: -2, flags: ['fast', 'loading-ok'], run: auth },
  // The simulated clock, in seconds and microseconds, as Redis reads its own.
  { name: 'time', arity: 1, flags: ['fast', 'loading-ok'], run: ({ engine }) => array([bulk(String(Math.floor(engine.nowMs / 1000))), bulk(String((engine.nowMs % 1000) * 1000))]) },
  {
    name: 'client',
    arity: -2,
    flags: [],
    run: bareContainer('client'),
    subcommands: {
      id: sub('client|id', 2, CONNECTION, ({ client }) => integer(client.id)),
      setname: sub('client|setname', 3, CONNECTION, ({ client, argv }) => setClientName(client, argv[2] as string) ?? OK),
      getname: sub('client|getname', 2, CONNECTION, ({ client }) => bulk(client.name)),
      list: sub('client|list', -2, ADMIN, clientList),
      info: sub('client|info', 2, CONNECTION, ({ engine, client, argv }) => bulk(clientLine(engine, client, client, argv))),
      help: sub('client|help', 2, CONNECTION, () => helpReply(CLIENT_HELP)),
    },
  },
  {
    name: 'command',
    arity: -1,
    flags: CONNECTION,
    run: ({ engine }) => array([...engine.commands.values()].map(commandInfoEntry)),
    subcommands: {
      count: sub('command|count', 2, CONNECTION, ({ engine }) => integer(engine.commands.size)),
      list: sub('command|list', -2, CONNECTION, commandList),
      info: sub('command|info', -2, CONNECTION, commandInfo),
      docs: sub('command|docs', -2, CONNECTION, commandDocs),
      help: sub('command|help', 2, CONNECTION, () => helpReply(COMMAND_HELP)),
    },
  },
];
