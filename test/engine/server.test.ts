/**
 * Server-level commands: PING, ECHO, SELECT, DBSIZE, FLUSHDB, FLUSHALL, LASTSAVE, INFO, SHUTDOWN,
 * DEBUG POPULATE, HELLO, CLIENT and COMMAND. Unit tests pin the engine's own behaviour (dirty
 * counting, events, logs, the simulated clock); the differential tests replay
 * test/scripts/server.redis, DEBUG lines and seeded random sequences against a real
 * redis-server 7.0.15, compare INFO's field names section by section, the dirty counter and AOF
 * of FLUSHDB/FLUSHALL, and connect the node-redis client library to the headless server.
 */
import fc from 'fast-check';
import { createClient } from 'redis';
import type { Reply } from '../../src/codec/reply.ts';
import type { EngineEvent } from '../../src/engine/index.ts';
import { COMMAND_TABLE } from '../../src/engine/commands/index.ts';
import { COMMAND_META } from '../../src/engine/commands/command-meta.ts';
import { REDIS_7_COMMANDS } from '../../src/engine/commands/redis-commands.ts';
import { CONNECTION_CLOSED } from '../../src/engine/commands/server.ts';
import { startHeadlessServer } from '../../src/node/server.ts';
import { compareWithRedis } from '../support/compare.ts';
import { expectSameAsRedis, realRedisAround, startAofRedis, wallClockEngine } from '../support/differential.ts';
import { bulk, err, int, lab, START, status } from '../support/engine-kit.ts';
import { startRealRedis, testPort } from '../support/real-redis.ts';
import { scriptFile } from '../support/redis-cli.ts';

const REAL_PORT = testPort(6470);
const REAL_AOF_PORT = testPort(6472);

const text = (reply: Reply) => reply.value as string;

describe('PING, ECHO, SELECT, DBSIZE, LASTSAVE', () => {
  it('answers as Redis does', () => {
    const { run, client } = lab();
    expect(run('PING')).toEqual(status('PONG'));
    expect(run('PING "a b"')).toEqual(bulk('a b'));
    expect(run('PING a b')).toEqual(err("ERR wrong number of arguments for 'ping' command"));
    expect(run('ECHO "\\x00\\xff"')).toEqual(bulk('\x00\xff'));
    expect(run('SELECT 16')).toEqual(err('ERR DB index is out of range'));
    expect(run('SELECT 01')).toEqual(err('ERR value is not an integer or out of range'));
    expect(run('SELECT 2147483648')).toEqual(err('ERR value is out of range, value must between -2147483648 and 2147483647'));
    expect(run('SELECT 7')).toEqual(status('OK'));
    expect(client.db).toBe(7);
    run('SET a 1');
    expect(run('DBSIZE')).toEqual(int(1));
    expect(run('SELECT 0')).toEqual(status('OK'));
    expect(run('DBSIZE')).toEqual(int(0));
  });

  it('LASTSAVE is the last save in unix seconds (the start until a save happens)', () => {
    const { run, engine } = lab({ epochMs: START + 999 });
    expect(run('LASTSAVE')).toEqual(int(Math.floor((START + 999) / 1000)));
    engine.lastSaveMs = START + 5_500;
    expect(run('LASTSAVE')).toEqual(int(START / 1000 + 5));
  });
});

describe('FLUSHDB and FLUSHALL', () => {
  const propagated = (events: EngineEvent[]) =>
    events.flatMap((event) => (event.type === 'command.propagated' ? [[event.db, ...event.argv].join(' ')] : []));

  it('count the keys removed as changes and always reach the AOF (no save points)', () => {
    const { run, engine, events } = lab({ config: { save: '' } });
    run('MSET a 1 b 2 c 3');
    run('SELECT 4');
    run('SET d 4');
    expect(engine.dirty).toBe(4);
    expect(run('FLUSHDB')).toEqual(status('OK'));
    expect(engine.dirty).toBe(5);
    expect(run('FLUSHDB ASYNC')).toEqual(status('OK'));
    expect(engine.dirty).toBe(5);
    expect(run('FLUSHALL sync')).toEqual(status('OK'));
    expect(engine.dirty).toBe(8);
    expect(run('FLUSHALL')).toEqual(status('OK'));
    expect(engine.dirty).toBe(8);
    expect(propagated(events)).toEqual(['0 MSET a 1 b 2 c 3', '4 SET d 4', '4 FLUSHDB', '4 FLUSHDB ASYNC', '4 FLUSHALL sync', '4 FLUSHALL']);
    expect(events.filter((event) => event.type === 'db.flushed').map((event) => (event as { db: unknown }).db)).toEqual([4, 4, 'all', 'all']);
  });

  it('FLUSHALL saves the empty dataset synchronously when save points exist, leaving dirty at 0', () => {
    const { run, engine } = lab();
    run('MSET a 1 b 2');
    expect(run('FLUSHALL')).toEqual(status('OK'));
    expect(engine.dirty).toBe(0);
    expect(engine.serverLog.at(-1)).toMatch(/^4242:M .* \* DB saved on disk$/);
    expect(engine.disk.list().map((file) => file.name)).toEqual(['dump.rdb']);
    // FLUSHALL's save is not counted in rdb_saves.
    expect(engine.rdb.saves).toBe(0);
  });

  it('refuse options other than one ASYNC or SYNC', () => {
    const { run } = lab();
    for (const line of ['FLUSHDB lazy', 'FLUSHDB sync async', 'FLUSHALL async async', 'FLUSHALL x y']) {
      expect(run(line)).toEqual(err('ERR syntax error'));
    }
  });
});

describe('INFO', () => {
  it('lays sections out as Redis does: CRLF lines, a blank line between sections', () => {
    const { run } = lab();
    run('SET k v');
    const reply = text(run('INFO server keyspace'));
    expect(reply.startsWith('# Server\r\nredis_version:7.0.15\r\n')).toBe(true);
    expect(reply.endsWith('io_threads_active:0\r\n\r\n# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n')).toBe(true);
    expect(text(run('INFO keyspace server'))).toBe(reply);
    expect(run('INFO nosuch')).toEqual(bulk(''));
    expect(text(run('INFO commandstats'))).toBe('# Commandstats\r\n');
  });

  it('reports the engine state: pid, port, simulated uptime, dirty, last save, counters, keyspace', () => {
    const { run, engine } = lab({ pid: 777, port: 6390, config: { save: '' } });
    run('SET a 1');
    run('SET b 2 PX 10000');
    run('GET a');
    run('GET nosuch');
    engine.advance(90_061_000);
    const info = text(run('INFO'));
    const field = (name: string) => new RegExp(`\\r\\n${name}:([^\\r]*)\\r\\n`).exec(info)?.[1];
    expect(field('process_id')).toBe('777');
    expect(field('tcp_port')).toBe('6390');
    expect(field('uptime_in_seconds')).toBe('90061');
    expect(field('uptime_in_days')).toBe('1');
    expect(field('server_time_usec')).toBe(String((START + 90_061_000) * 1000));
    expect(field('connected_clients')).toBe('1');
    expect(field('rdb_changes_since_last_save')).toBe('2');
    expect(field('rdb_last_save_time')).toBe(String(START / 1000));
    expect(field('expired_keys')).toBe('1');
    expect(field('keyspace_hits')).toBe('1');
    expect(field('keyspace_misses')).toBe('1');
    expect(field('total_commands_processed')).toBe('4');
    expect(field('db0')).toBe('keys=1,expires=0,avg_ttl=0');
    expect(field('aof_enabled')).toBe('0');
    expect(info).not.toContain('aof_current_size');
  });

  it('averages the remaining TTLs and shows the AOF-only fields once appendonly is on', () => {
    const { run } = lab();
    run('SET a 1 PX 1000');
    run('SET b 1 PX 3000');
    run('SET c 1');
    expect(text(run('INFO keyspace'))).toBe('# Keyspace\r\ndb0:keys=3,expires=2,avg_ttl=2000\r\n');
    run('CONFIG SET appendonly yes');
    expect(text(run('INFO persistence'))).toContain('aof_enabled:1\r\n');
    expect(text(run('INFO persistence'))).toContain('module_fork_last_cow_size:0\r\naof_current_size:0\r\n');
  });

  it('CONFIG RESETSTAT clears the counters (and then counts itself)', () => {
    const { run, engine } = lab();
    run('GET x');
    run('NOSUCH');
    run('CONFIG RESETSTAT');
    expect(engine.stats).toEqual({
      totalCommandsProcessed: 1,
      totalConnectionsReceived: 0,
      expiredKeys: 0,
      keyspaceHits: 0,
      keyspaceMisses: 0,
      errorReplies: 0,
      errorCodes: new Map(),
    });
  });
});

describe('SHUTDOWN', () => {
  it('stops the node with Redis log lines and answers nothing (the placeholder reply)', () => {
    const { run, engine, events } = lab();
    expect(run('SHUTDOWN NOSAVE NOW FORCE')).toBe(CONNECTION_CLOSED);
    expect(engine.running).toBe(false);
    expect(engine.serverLog.slice(-3).map((line) => line.replace(/^.*? \d\d:\d\d:\d\d\.\d\d\d /, ''))).toEqual([
      '# User requested shutdown...',
      '* Removing the pid file.',
      '# Redis is now ready to exit, bye bye...',
    ]);
    expect(events.some((event) => event.type === 'server.stopped')).toBe(true);
  });

  it('refuses conflicting options, ABORT, and being queued in MULTI', () => {
    const { run, engine } = lab();
    expect(run('SHUTDOWN ABORT')).toEqual(err('ERR No shutdown in progress.'));
    expect(run('SHUTDOWN nosave save')).toEqual(err('ERR syntax error'));
    expect(run('SHUTDOWN abort now')).toEqual(err('ERR syntax error'));
    expect(run('SHUTDOWN later')).toEqual(err('ERR syntax error'));
    run('MULTI');
    expect(run('SHUTDOWN')).toEqual(err('ERR Command not allowed inside a transaction'));
    expect(run('EXEC')).toEqual(err('EXECABORT Transaction discarded because of previous errors.'));
    expect(engine.running).toBe(true);
  });
});

describe('QUIT, and requests that look like HTTP', () => {
  it('QUIT answers +OK, with any arguments and inside MULTI (never queued), and the node forgets the client', () => {
    const { engine, client, run } = lab();
    run('MULTI');
    run('SET a 1');
    expect(run('quit now please')).toEqual(status('OK'));
    expect(client.closing).toBe('after-reply');
    expect(engine.listClients()).not.toContain(client);
    expect(engine.dbs[0]?.size).toBe(0);
  });

  it('POST and Host: close the connection at once, unanswered, with a warning in the log', () => {
    for (const line of ['POST / HTTP/1.1', 'Host: 127.0.0.1:6379']) {
      const { engine, client, run, log } = lab();
      run('MULTI');
      expect(run(line)).toBe(CONNECTION_CLOSED);
      expect(client.closing).toBe('at-once');
      expect(engine.listClients()).not.toContain(client);
      expect(log().at(-1)).toBe(
        '4242:M # Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to Redis. This is likely due to an attacker attempting to use Cross Protocol Scripting to compromise your Redis instance. Connection aborted.',
      );
      expect(engine.running).toBe(true);
    }
  });
});

describe('commands Redis 7.0 has and the lab leaves out', () => {
  it('are named as such, never as commands that do not exist', () => {
    const { run, client } = lab();
    const leftOut = (name: string) => err(`ERR This lab does not run '${name}', a Redis 7.0 command it leaves out (COMMAND lists the commands it runs)`);
    // CLIENT LIST's cmd= names what Redis would have run (checked on a real server), NULL for what it has not.
    expect(run('zpopmin z')).toEqual(leftOut('ZPOPMIN'));
    expect(client.lastCommand).toBe('zpopmin');
    expect(run('XADD s * f v')).toEqual(leftOut('XADD'));
    expect(run('CLIENT kill 1.2.3.4:5')).toEqual(leftOut('CLIENT KILL'));
    expect(client.lastCommand).toBe('client|kill');
    expect(run('OBJECT')).toEqual(leftOut('OBJECT'));
    expect(client.lastCommand).toBe('object');
    expect(run('CONFIG nosuch')).toEqual(err("ERR unknown subcommand 'nosuch'. Try CONFIG HELP."));
    expect(client.lastCommand).toBeNull();
    expect(run('NOSUCH a')).toEqual(err("ERR unknown command 'NOSUCH', with args beginning with: 'a' "));
    expect(client.lastCommand).toBeNull();
    // The lab's table and Redis's list agree: every command the lab runs is one of Redis's, or its own SIM.
    const notRedis = [...COMMAND_TABLE.keys()].filter((name) => !REDIS_7_COMMANDS.has(name));
    expect(notRedis).toEqual(['sim']);
  });
});

describe('DEBUG', () => {
  it('POPULATE creates key:N = value:N, resized to size, skipping existing keys, without counting changes', () => {
    const { run, engine, events } = lab();
    run('SET key:1 mine');
    const dirty = engine.dirty;
    expect(run('DEBUG POPULATE 3')).toEqual(status('OK'));
    expect(run('MGET key:0 key:1 key:2')).toEqual({ type: 'array', value: [bulk('value:0'), bulk('mine'), bulk('value:2')] });
    run('DEBUG POPULATE 2 p 10');
    run('DEBUG POPULATE 2 q 2');
    expect(run('MGET p:1 q:1')).toEqual({ type: 'array', value: [bulk('value:1\0\0\0'), bulk('va')] });
    expect(engine.dirty).toBe(dirty);
    expect(events.filter((event) => event.type === 'command.propagated')).toHaveLength(1);
  });

  it('POPULATE stops, with an answer and nothing added, where a browser tab would run out of memory', () => {
    const { run, engine } = lab();
    const tooBig = err('ERR DEBUG POPULATE stops at 2000000 keys and 512 MB of data in this lab (the memory of a browser tab)');
    expect(run('DEBUG POPULATE 1 k 600000000')).toEqual(tooBig); // more than a JavaScript string holds
    expect(run('DEBUG POPULATE 3 k 200000000')).toEqual(tooBig);
    expect(run('DEBUG POPULATE 2000001')).toEqual(tooBig);
    expect(run('DBSIZE')).toEqual(int(0));
    expect(run('DEBUG POPULATE 2 k 200000000')).toEqual(status('OK'));
    expect(run('DEBUG POPULATE 1 j 200000000')).toEqual(tooBig); // what is there already counts
    run('SELECT 1');
    expect(run('DEBUG POPULATE 1999999')).toEqual(tooBig); // keys of every database count
    expect(run('DEBUG POPULATE 1999998')).toEqual(status('OK'));
    expect(engine.dbs.reduce((sum, db) => sum + db.size, 0)).toBe(2_000_000);
  });

  it('answers other subcommands with the unknown-subcommand error', () => {
    const { run } = lab();
    expect(run('DEBUG SEGFAULTX')).toEqual(err("ERR unknown subcommand or wrong number of arguments for 'SEGFAULTX'. Try DEBUG HELP."));
    expect(run('DEBUG POPULATE')).toEqual(err("ERR unknown subcommand or wrong number of arguments for 'POPULATE'. Try DEBUG HELP."));
    expect(run('DEBUG POPULATE -1')).toEqual(err('ERR value is out of range, must be positive'));
    expect(run('DEBUG POPULATE 1 p abc')).toEqual(err('ERR value is out of range, must be positive'));
  });
});

describe('HELLO, CLIENT, COMMAND', () => {
  it('HELLO answers the RESP2 map of 7.0 and refuses RESP3', () => {
    const { run, client } = lab();
    const reply = run('HELLO 2 SETNAME app');
    expect(reply).toEqual({
      type: 'array',
      value: [
        bulk('server'), bulk('redis'), bulk('version'), bulk('7.0.15'), bulk('proto'), int(2), bulk('id'), int(client.id),
        bulk('mode'), bulk('standalone'), bulk('role'), bulk('master'), bulk('modules'), { type: 'array', value: [] },
      ],
    });
    expect(client.name).toBe('app');
    expect(run('HELLO 3')).toEqual(err('NOPROTO unsupported protocol version'));
  });

  it('CLIENT LIST shows one line per client, in 7.0 field order', () => {
    const { run, engine } = lab();
    const other = engine.newClient();
    run('CLIENT SETNAME other', other);
    run('SELECT 2', other);
    engine.advance(3000);
    const lines = text(run('CLIENT LIST')).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(lines[1]).toMatch(/^id=2 addr=\S+ laddr=127\.0\.0\.1:6379 fd=\d+ name=other age=3 idle=3 flags=N db=2 sub=0 psub=0 ssub=0 multi=-1 /);
    const fields = (lines[0] as string).split(' ').map((pair) => pair.split('=')[0]);
    expect(fields.join(' ')).toBe(
      'id addr laddr fd name age idle flags db sub psub ssub multi qbuf qbuf-free argv-mem multi-mem rbs rbp obl oll omem tot-mem events cmd user redir resp',
    );
    expect(text(run('CLIENT LIST ID 2 99'))).toBe(`${lines[1]}\n`);
    expect(run('CLIENT SETINFO LIB-NAME x')).toEqual(err("ERR unknown subcommand 'SETINFO'. Try CLIENT HELP."));
  });

  it('COMMAND knows every command of the lab, with Redis 7.0 arity for those Redis has', () => {
    const { run } = lab();
    expect(run('COMMAND COUNT')).toEqual(int(COMMAND_TABLE.size));
    const arityMismatches: string[] = [];
    for (const spec of COMMAND_TABLE.values()) {
      for (const entry of [spec, ...Object.values(spec.subcommands ?? {})]) {
        const meta = COMMAND_META[entry.name];
        if (meta !== undefined && (meta[0] as number[])[1] !== entry.arity) arityMismatches.push(entry.name);
      }
    }
    expect(arityMismatches).toEqual([]);
    const config = run('COMMAND INFO config').value as Reply[];
    const entry = (config[0] as Reply).value as Reply[];
    expect(entry[0]).toEqual(bulk('config'));
    expect(((entry[9] as Reply).value as Reply[]).map((sub) => ((sub.value as Reply[])[0] as Reply).value)).toEqual([
      'config|get', 'config|set', 'config|resetstat', 'config|rewrite', 'config|help',
    ]);
    expect(run('COMMAND INFO nosuch')).toEqual({ type: 'array', value: [bulk(null)] });
    expect(run('COMMAND DOCS nosuch')).toEqual({ type: 'array', value: [] });
  });
});

describe('against redis-server 7.0.15', () => {
  const withDebug = realRedisAround(() => startRealRedis(REAL_PORT, ['--enable-debug-command', 'yes']));
  const withAof = realRedisAround(() => startAofRedis(REAL_AOF_PORT));

  it('replays test/scripts/server.redis with the same replies', async () => {
    const { engine, client } = wallClockEngine();
    const lines = scriptFile('server');
    expect(lines.length).toBeGreaterThan(450);
    expect(await compareWithRedis(withDebug(), engine, client, lines)).toEqual([]);
  });

  it('agrees on DEBUG POPULATE and the DEBUG errors', async () => {
    const { engine, client } = wallClockEngine();
    const lines = [
      'FLUSHALL', 'SET key:1 mine', 'DEBUG POPULATE 3', 'MGET key:0 key:1 key:2 key:3', 'DBSIZE', 'DEBUG POPULATE 2 foo',
      'GET foo:1', 'DEBUG POPULATE 2 bar 10', 'GET bar:1', 'DEBUG POPULATE 2 baz 2', 'GET baz:0', 'DEBUG POPULATE 2 qux 0',
      'GET qux:1', 'DEBUG POPULATE 0', 'DEBUG POPULATE 1 "" 7', 'GET :0', 'DEBUG POPULATE 12 "with space" 1', 'GET "with space:11"',
      'DEBUG POPULATE 5', 'DBSIZE', 'DEBUG POPULATE', 'DEBUG POPULATE -1', 'DEBUG POPULATE abc', 'DEBUG POPULATE 01',
      'DEBUG POPULATE 1 p -1', 'DEBUG POPULATE 1 p abc', 'DEBUG POPULATE 1 p 1 extra', 'DEBUG POPULATE 9223372036854775808',
      'DEBUG nosuch', 'debug Nosuch', 'DEBUG', 'DEBUG help x', 'SELECT 3', 'DEBUG POPULATE 2', 'DBSIZE', 'SELECT 0',
      'SET k v PX 1', 'DEBUG POPULATE 1 k', 'FLUSHALL',
    ];
    expect(await compareWithRedis(withDebug(), engine, client, lines)).toEqual([]);
  });

  it('CONFIG GET * names every directive Redis 7.0 has, with its values; the lab keeps those it does not model fixed', async () => {
    const { engine, client } = wallClockEngine();
    const pairs = (reply: Reply) => {
      const flat = (reply.value as Reply[]).map(text);
      return new Map(flat.flatMap((name, i) => (i % 2 === 0 ? [[name, flat[i + 1] as string] as const] : [])));
    };
    // What an installation sets (the test server's own port, directory and files) is left out.
    const INSTALL = ['port', 'bind', 'dir', 'daemonize', 'pidfile', 'logfile', 'supervised'];
    const redis = pairs(await withDebug().command(['CONFIG', 'GET', '*']));
    for (const name of INSTALL) redis.delete(name);
    engine.execute(client, ['CONFIG', 'SET', 'save', '']);
    const lab = pairs(engine.execute(client, ['CONFIG', 'GET', '*']));
    expect(lab.get('port')).toBe(String(engine.port));
    for (const name of INSTALL) lab.delete(name);
    expect(Object.fromEntries([...lab].sort())).toEqual(Object.fromEntries([...redis].sort()));
    expect(engine.execute(client, ['CONFIG', 'SET', 'maxmemory', '1mb'])).toEqual(
      err("ERR CONFIG SET failed (possibly related to argument 'maxmemory') - this lab keeps it fixed"),
    );
    expect(engine.execute(client, ['CONFIG', 'SET', 'hz', '20', 'PORT', '7000'])).toEqual(err("ERR CONFIG SET failed (possibly related to argument 'PORT') - this lab keeps it fixed"));
    expect(engine.config.get('hz')).toBe('10');
  });

  it("DEBUG HELP is Redis's own, for the subcommands the lab has", async () => {
    const { engine, client } = wallClockEngine();
    // Each entry: a subcommand's line and its indented explanation.
    const entries = (reply: Reply) => {
      const lines = (reply.value as Reply[]).map(text);
      const result: string[][] = [];
      for (const line of lines.slice(1)) {
        if (line.startsWith(' ')) result[result.length - 1]?.push(line);
        else result.push([line]);
      }
      return { first: lines[0], result };
    };
    const labHelp = entries(engine.execute(client, ['DEBUG', 'HELP']));
    const redisHelp = entries(await withDebug().command(['DEBUG', 'HELP']));
    const has = new Set(labHelp.result.map((entry) => entry[0]?.split(' ')[0]));
    expect([...has]).toEqual(['LOADAOF', 'POPULATE', 'RELOAD', 'SEGFAULT', 'HELP']);
    expect(labHelp.first).toBe(redisHelp.first);
    expect(labHelp.result).toEqual(redisHelp.result.filter((entry) => has.has(entry[0]?.split(' ')[0])));
  });

  it('prints INFO sections with the same field names in the same order', async () => {
    const { engine, client } = wallClockEngine();
    const real = withDebug();
    await real.command(['FLUSHALL']);
    for (const argv of [['SET', 'a', '1'], ['SET', 'b', '2', 'EX', '100'], ['SELECT', '3'], ['SET', 'c', '3'], ['SELECT', '0']]) {
      await real.command(argv);
      engine.execute(client, argv);
    }
    // Per-command statistics are not kept by the lab (yet), and the per-error lines depend on the
    // errors each side has answered before (test/engine/watch.test.ts compares them): left out.
    const names = (info: string) =>
      info
        .split('\r\n')
        .filter((line) => !/^(cmdstat_|errorstat_|latency_percentiles_usec_)/.test(line))
        .map((line) => line.replace(/:.*$/, ''));
    for (const section of ['', 'everything', 'all', 'default', 'server', 'clients', 'memory', 'persistence', 'stats', 'keyspace']) {
      const argv = section === '' ? ['INFO'] : ['INFO', section];
      const expected = text(await real.command(argv));
      expect(names(text(engine.execute(client, argv))), section).toEqual(names(expected));
    }
    await real.command(['CONFIG', 'SET', 'appendonly', 'yes']);
    engine.execute(client, ['CONFIG', 'SET', 'appendonly', 'yes']);
    expect(names(text(engine.execute(client, ['INFO', 'persistence'])))).toEqual(names(text(await real.command(['INFO', 'persistence']))));
    await real.command(['CONFIG', 'SET', 'appendonly', 'no']);
    await real.command(['FLUSHALL']);
  });

  it('counts FLUSHDB and FLUSHALL changes and logs them to the AOF as Redis does', async () => {
    const lines = ['FLUSHALL', 'FLUSHDB', 'SET a 1', 'FLUSHDB async', 'FLUSHALL sync', 'MSET b 1 c 2', 'SELECT 2', 'SET d 1', 'FLUSHALL ASYNC', 'FLUSHDB SYNC', 'SET e 1', 'FLUSHDB', 'SELECT 0', 'MULTI', 'SET f 1', 'FLUSHDB', 'FLUSHALL', 'EXEC'];
    // Replies, and the dirty and keyspace hit/miss increments line by line (INFO is read on a side
    // connection, so the lines inside MULTI count too); FLUSHALL is sent, and kept in the AOF.
    await expectSameAsRedis(withAof(), wallClockEngine(), lines, { flushallResets: false, keepFlushall: true });
  });

  it('agrees on random sequences of server commands', async () => {
    const { engine, client } = wallClockEngine();
    const command = fc.oneof(
      fc.constantFrom('PING', 'PING x', 'ECHO e', 'DBSIZE', 'FLUSHDB', 'FLUSHALL', 'FLUSHDB ASYNC', 'FLUSHALL sync', 'FLUSHDB bad', 'CLIENT GETNAME', 'CLIENT SETNAME n1', 'CLIENT SETNAME ""', 'SHUTDOWN ABORT', 'MULTI', 'EXEC', 'DISCARD', 'CONFIG GET hz', 'CONFIG SET hz 10'),
      fc.integer({ min: -2, max: 17 }).map((db) => `SELECT ${db}`),
      fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: 0, max: 9 })).map(([key, value]) => `SET ${key} ${value}`),
      fc.tuple(fc.integer({ min: 0, max: 4 }), fc.constantFrom('key', 'p'), fc.integer({ min: 0, max: 9 })).map(([n, prefix, size]) => `DEBUG POPULATE ${n} ${prefix} ${size}`),
      fc.constantFrom('a', 'b', 'c', 'key:0', 'p:1').map((key) => `GET ${key}`),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 30 }), async (lines) => {
        expect(await compareWithRedis(withDebug(), engine, client, ['DISCARD', 'SELECT 0', 'FLUSHALL', ...lines, 'DISCARD', 'DBSIZE'])).toEqual([]);
      }),
      { seed: 70, numRuns: 120 },
    );
  });
});

describe('node-redis (npm redis v6) against the headless server', () => {
  it('connects with RESP 2, names itself, and works; RESP 3 (its default) is refused', async () => {
    const server = await startHeadlessServer({ port: 0 });
    try {
      const client = createClient({ RESP: 2, name: 'lab-test', socket: { port: server.port, host: '127.0.0.1', reconnectStrategy: false } });
      await client.connect();
      expect(await client.ping()).toBe('PONG');
      expect(await client.clientGetName()).toBe('lab-test');
      await client.set('k', 'v');
      expect(await client.get('k')).toBe('v');
      expect(await client.configGet('hz')).toEqual({ hz: '10' });
      await client.close();

      const resp3 = createClient({ socket: { port: server.port, host: '127.0.0.1', reconnectStrategy: false } });
      resp3.on('error', () => {});
      await expect(resp3.connect()).rejects.toThrow(/NOPROTO/);
      resp3.destroy();
    } finally {
      await server.close();
    }
  });
});
