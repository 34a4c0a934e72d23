/**
 * WATCH and UNWATCH, EXEC refused by the dispatcher (EXECABORT), the error statistics of INFO and
 * CLIENT LIST's cmd field. Unit tests pin what a real server cannot show (a closed connection's
 * watches, the simulated clock, checkpoints); the differential tests run scripts of several
 * clients, line by line, on the engine and on a real redis-server 7.0.15 and compare every reply,
 * and the AOF each side wrote.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { normalise } from '../support/compare.ts';
import { comparableAofs, realAof, realRedisAround, startAofRedis, wallClockEngine, type EngineSide } from '../support/differential.ts';
import { bulk, err, lab, status } from '../support/engine-kit.ts';
import { startRealRedis, testPort, waitUntil, type RealRedis } from '../support/real-redis.ts';
import { splitArgs } from '../../src/codec/split-args.ts';
import { utf8ToBin } from '../../src/codec/bytes.ts';
import type { Reply } from '../../src/codec/reply.ts';
import type { Client } from '../../src/engine/index.ts';

const AOF_PORT = testPort(6680);
const MISCONF_PORT = testPort(6681);

const NULL_ARRAY: Reply = { type: 'array', value: null };
const EMPTY: Reply = { type: 'array', value: [] };

describe('WATCH on the engine', () => {
  it('a write to a watched key, by any client, makes the next EXEC answer a null array and run nothing', () => {
    const { run, engine, propagated } = lab({ config: { appendonly: 'yes' } });
    const other = engine.newClient();
    run('SET k 1');
    propagated.length = 0;
    expect(run('WATCH k')).toEqual(status('OK'));
    run('SET k 2', other);
    run('MULTI');
    run('SET r 1');
    expect(run('EXEC')).toEqual(NULL_ARRAY);
    expect(run('GET r')).toEqual(bulk(null));
    // WATCH is not propagated, the aborted EXEC propagates nothing: only the other client's SET.
    expect(propagated).toEqual([['SET', 'k', '2']]);
    expect(engine.watches.keyCount).toBe(0);
  });

  it('a key that expires after WATCH dooms the EXEC; one already expired when watched does not', () => {
    const { run, engine } = lab();
    run('SET k 1 PX 100');
    run('WATCH k');
    engine.advance(200);
    run('MULTI');
    expect(run('EXEC')).toEqual(NULL_ARRAY);
    run('SET k 1 PX 100');
    engine.advance(200);
    run('WATCH k');
    // Its deletion (active expiry at the next cron tick) changes nothing for this watch.
    engine.advance(1000);
    expect(run('EXISTS k')).toEqual({ type: 'integer', value: 0 });
    run('MULTI');
    expect(run('EXEC')).toEqual(EMPTY);
  });

  it('a client that disconnects drops its watches; the others keep theirs', () => {
    const { run, engine } = lab();
    const leaving = engine.newClient();
    run('WATCH a b', leaving);
    run('WATCH b c');
    expect(engine.watches.keyCount).toBe(3);
    engine.closeClient(leaving);
    expect(engine.watches.keyCount).toBe(2);
    run('SET c 1', engine.newClient());
    run('MULTI');
    expect(run('EXEC')).toEqual(NULL_ARRAY);
    expect(engine.watches.keyCount).toBe(0);
  });

  it('watches survive a checkpoint: the copy aborts the same EXEC, the original is untouched', () => {
    const { run, engine, client } = lab();
    run('WATCH k');
    const copy = engine.checkpoint(client);
    expect(copy).not.toBeNull();
    if (copy === null) return;
    copy.engine.execute(copy.engine.newClient(), ['SET', 'k', '1']);
    copy.engine.execute(copy.held, ['MULTI']);
    expect(copy.engine.execute(copy.held, ['EXEC'])).toEqual(NULL_ARRAY);
    run('MULTI');
    expect(run('EXEC')).toEqual(EMPTY);
  });

  it('a crash takes every watch with the process', () => {
    const { run, engine } = lab();
    run('WATCH k');
    engine.crash('process');
    engine.restart();
    expect(engine.watches.keyCount).toBe(0);
  });

  it('EXEC refused for its arity, inside MULTI or not, discards the transaction and the watches', () => {
    const { run, engine } = lab();
    run('WATCH k');
    run('MULTI');
    run('SET a 1');
    expect(run('EXEC x')).toEqual(err("EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command"));
    expect(engine.watches.keyCount).toBe(0);
    expect(run('GET a')).toEqual(bulk(null));
  });
});

// ---- against redis-server 7.0.15 -------------------------------------------------------------------

interface ScriptClient {
  command(argv: readonly string[]): Promise<Reply>;
  close(): void;
  readonly client: Client;
}

interface LineMismatch {
  readonly line: string;
  readonly engine: unknown;
  readonly redis: unknown;
}

type View = (reply: Reply) => unknown;

/**
 * Runs scripts on both sides: `X: command` sends the command as client X (A is each side's main
 * client, the others connect on first use and stay until close()), `sleep <ms>` waits on the wall
 * clock, which both sides follow. `view` makes volatile replies comparable (CLIENT LIST's ids and
 * ages). run() returns the lines whose replies differ.
 */
function scriptRunner(real: RealRedis, side: EngineSide) {
  const clients = new Map<string, ScriptClient>([['A', { command: (argv) => real.command(argv), close: () => {}, client: side.client }]]);
  const run = async (script: readonly string[], view: View = (reply) => reply): Promise<LineMismatch[]> => {
    const mismatches: LineMismatch[] = [];
    for (const line of script) {
      const pause = /^sleep (\d+)$/.exec(line);
      if (pause !== null) {
        await new Promise((resolve) => setTimeout(resolve, Number(pause[1])));
        continue;
      }
      const [, name, command] = /^(\w+): (.*)$/.exec(line) ?? [];
      if (name === undefined || command === undefined) throw new Error(`not a script line: ${line}`);
      let each = clients.get(name);
      if (each === undefined) {
        const connection = await real.connect();
        each = { command: (argv) => connection.command(argv), close: () => connection.close(), client: side.engine.newClient() };
        clients.set(name, each);
      }
      const argv = splitArgs(utf8ToBin(command)) as string[];
      const redis = await each.command(argv);
      side.engine.advanceTo(Date.now());
      const engine = side.engine.execute(each.client, argv);
      side.engine.beforeSleep();
      const [ours, theirs] = [view(normalise(argv, engine) as Reply), view(normalise(argv, redis) as Reply)];
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) mismatches.push({ line, engine: ours, redis: theirs });
    }
    return mismatches;
  };
  const close = () => {
    for (const each of clients.values()) {
      each.close();
      if (each.client !== side.client) side.engine.closeClient(each.client);
    }
  };
  return { run, close };
}

/** One script on fresh connections (but A's), closed afterwards. */
async function runScript(real: RealRedis, side: EngineSide, script: readonly string[], view?: View): Promise<LineMismatch[]> {
  const runner = scriptRunner(real, side);
  try {
    return await runner.run(script, view);
  } finally {
    runner.close();
  }
}

describe('against redis-server 7.0.15', () => {
  const withAof = realRedisAround(() => startAofRedis(AOF_PORT, ['--enable-debug-command', 'yes']));
  const aofSide = () => wallClockEngine({ config: { appendonly: 'yes', appendfsync: 'always' } });

  it('WATCH: which writes touch a watched key, and what ends a watch (replies and AOF)', async () => {
    const side = aofSide();
    const real = withAof();
    await real.command(['FLUSHALL']);
    const aofBefore = realAof(real, { keepFlushall: true }).length;
    const script = [
      'A: FLUSHALL', 'A: SET k 1',
      // another client's write, the client's own write, UNWATCH
      'A: WATCH k', 'B: SET k 2', 'A: MULTI', 'A: SET r 1', 'A: EXEC',
      'A: WATCH k', 'A: SET k 3', 'A: MULTI', 'A: EXEC',
      'A: WATCH k', 'B: SET k 4', 'A: UNWATCH', 'A: MULTI', 'A: SET r 2', 'A: EXEC',
      // flushes touch the watched keys they remove, only those
      'A: WATCH nokey', 'B: DEL nokey', 'B: FLUSHALL', 'A: MULTI', 'A: EXEC',
      'A: SET k 1', 'A: WATCH k', 'B: FLUSHDB', 'A: MULTI', 'A: EXEC',
      'A: SET k 1', 'A: WATCH k', 'B: SELECT 1', 'B: FLUSHDB', 'B: SELECT 0', 'A: MULTI', 'A: EXEC',
      // a write that changes nothing touches nothing; one that rewrites the same value does
      'A: WATCH k', 'B: SET k 1', 'A: MULTI', 'A: EXEC',
      'B: SADD s a', 'A: WATCH s', 'B: SADD s a', 'A: MULTI', 'A: EXEC',
      'A: WATCH k', 'B: PERSIST k', 'A: MULTI', 'A: EXEC',
      'A: WATCH k', 'B: EXPIRE k 100', 'A: MULTI', 'A: EXEC',
      'A: WATCH k', 'B: INCRBY k 0', 'A: MULTI', 'A: EXEC',
      'A: WATCH k', 'B: GETEX k', 'A: MULTI', 'A: EXEC',
      // the same name in another database is another key
      'A: WATCH k', 'B: SELECT 2', 'B: SET k x', 'B: SELECT 0', 'A: MULTI', 'A: EXEC',
      // RENAME touches both keys; DEL only the keys it removes
      'A: WATCH dst', 'B: RENAME k dst', 'A: MULTI', 'A: EXEC',
      'A: WATCH k', 'B: RENAME dst k', 'A: MULTI', 'A: EXEC',
      'A: WATCH a b', 'B: DEL a b', 'A: MULTI', 'A: EXEC',
      'A: SET a 1', 'A: WATCH b', 'B: UNLINK a b', 'A: MULTI', 'A: EXEC',
      'A: WATCH a', 'B: MSET a 1 b 2', 'A: MULTI', 'A: EXEC',
      // another client's EXEC touches; the watcher's own queue does not
      'A: WATCH k', 'B: MULTI', 'B: SET k 9', 'B: EXEC', 'A: MULTI', 'A: GET k', 'A: EXEC',
      'A: WATCH k', 'A: MULTI', 'A: SET k 10', 'A: EXEC',
      // DISCARD and a refused EXEC end the watch
      'A: WATCH k', 'A: MULTI', 'A: DISCARD', 'B: SET k 6', 'A: MULTI', 'A: EXEC',
      'A: WATCH k', 'A: EXEC x', 'B: SET k 5', 'A: MULTI', 'A: EXEC',
      // inside MULTI, WATCH is refused and the transaction goes on; UNWATCH is queued
      'A: WATCH k', 'B: SET k 7', 'A: MULTI', 'A: WATCH k', 'A: SET r 3', 'A: EXEC',
      'A: MULTI', 'A: WATCH x', 'A: UNWATCH', 'A: SET r 4', 'A: EXEC',
      // arity, and the command table's entries
      'A: WATCH', 'A: UNWATCH x', 'A: MULTI', 'A: WATCH', 'A: EXEC', 'A: COMMAND INFO watch unwatch',
      // DEBUG POPULATE, RELOAD and LOADAOF touch the keys they write or remove
      'A: WATCH key:0', 'B: DEBUG POPULATE 2', 'A: MULTI', 'A: EXEC',
      'A: WATCH k', 'B: DEBUG RELOAD', 'A: MULTI', 'A: EXEC',
      'A: WATCH nokey', 'B: DEBUG RELOAD', 'A: MULTI', 'A: EXEC',
      'A: WATCH k', 'B: DEBUG LOADAOF', 'A: MULTI', 'A: EXEC',
      'A: WATCH nokey', 'B: DEBUG LOADAOF', 'A: MULTI', 'A: EXEC',
    ];
    side.propagated.length = 0;
    expect(await runScript(real, side, script)).toEqual([]);
    // EXPIRE's PEXPIREAT is computed from each side's own clock: times within a second are aligned.
    const aof = comparableAofs(side.propagated, realAof(real, { keepFlushall: true }).slice(aofBefore), { wallClockExpiries: true });
    const select = (entries: readonly string[][]) => entries.filter((argv) => (argv[0] as string).toLowerCase() !== 'select');
    expect(select(aof.engine)).toEqual(select(aof.redis));
  });

  it('WATCH and expiry: a key that expires after WATCH dooms EXEC; one expired when watched counts as absent', async () => {
    const side = aofSide();
    const real = withAof();
    // Margins of 300 ms either side of each expiry, for a loaded machine.
    const expiredWhenWatched = ['A: SET k 1 PX 100', 'sleep 400', 'A: WATCH k'];
    const script = [
      'A: FLUSHALL',
      'A: SET k 1 PX 300', 'A: WATCH k', 'sleep 600', 'A: MULTI', 'A: EXEC',
      'A: SET k 1 PX 300', 'A: WATCH k', 'sleep 600', 'B: GET k', 'A: MULTI', 'A: EXEC',
      ...expiredWhenWatched, 'A: MULTI', 'A: EXEC',
      ...expiredWhenWatched, 'B: GET k', 'A: MULTI', 'A: EXEC',
      ...expiredWhenWatched, 'B: FLUSHALL', 'A: MULTI', 'A: EXEC',
      ...expiredWhenWatched, 'B: SET k 2', 'A: MULTI', 'A: EXEC',
      ...expiredWhenWatched, 'B: EXISTS k', 'B: SET k 3', 'A: MULTI', 'A: EXEC',
      'A: SET j 1', ...expiredWhenWatched, 'A: WATCH j', 'B: SET j 2', 'A: MULTI', 'A: EXEC',
    ];
    expect(await runScript(real, side, script)).toEqual([]);
  });

  it('EXEC refused for its arity aborts the transaction, with the reason Redis gives', async () => {
    const side = aofSide();
    const lines = ['MULTI', 'EXEC x', 'GET a', 'EXEC x', 'MULTI', 'SET a 1', 'EXEC y', 'GET a', 'MULTI', 'DISCARD x', 'EXEC', 'MULTI', 'MULTI x', 'EXEC'];
    expect(await runScript(withAof(), side, lines.map((line) => `A: ${line}`))).toEqual([]);
  });

  it('error statistics: every error reply counts under its code, in EXEC too; CONFIG RESETSTAT clears them', async () => {
    const side = aofSide();
    const real = withAof();
    const errorLines = (info: Reply) => (info.value as string).split('\r\n').filter((line) => /^(errorstat_|total_error_replies:)/.test(line));
    const script = [
      'A: FLUSHALL', 'A: CONFIG RESETSTAT', 'A: INFO errorstats',
      'A: NOSUCH', 'A: GET', 'A: CONFIG FOO', 'A: SET a x', 'A: INCR a', 'A: LPUSH a x', 'A: HELLO 4', 'A: SET b 1 EX -1',
      'A: MULTI', 'A: INCR a', 'A: LPUSH a x', 'A: GET a', 'A: EXEC',
      'A: MULTI', 'A: NOSUCH', 'A: SET a', 'A: WATCH k', 'A: EXEC', 'A: EXEC', 'A: DISCARD',
      'A: MULTI', 'A: WATCH k', 'A: EXEC x',
      'A: WATCH k', 'B: SET k 1', 'A: MULTI', 'A: EXEC',
      'A: INFO errorstats', 'A: INFO stats',
      'A: CONFIG RESETSTAT', 'A: INFO errorstats', 'A: INFO stats',
    ];
    const view = (reply: Reply) => (reply.type === 'bulk' && reply.value?.startsWith('# ') === true ? errorLines(reply) : reply);
    expect(await runScript(real, side, script, view)).toEqual([]);
    expect(errorLines(side.engine.execute(side.client, ['INFO', 'stats']))).toEqual(['total_error_replies:0']);
  });

  it("CLIENT LIST and CLIENT INFO show each client's last command, and EXEC's state while EXEC runs", async () => {
    const side = aofSide();
    // Ids, addresses, ages and memory figures are the process's own: the rest must match.
    const volatile = /^(id|addr|laddr|fd|age|idle|qbuf|qbuf-free|argv-mem|multi-mem|rbs|rbp|obl|oll|omem|tot-mem)=/;
    // Only the script's two clients: connections of earlier tests may linger on the real server.
    const fields = (text: string) =>
      text
        .split('\n')
        .filter((line) => / name=(alice|bob) /.test(line))
        .map((line) => line.split(' ').filter((field) => !volatile.test(field)).join(' '));
    const view = (reply: Reply): unknown => {
      if (reply.type === 'bulk' && reply.value?.startsWith('id=') === true) return fields(reply.value);
      if (reply.type === 'array' && reply.value !== null) return reply.value.map(view);
      return reply;
    };
    const script = [
      'A: CLIENT SETNAME alice', 'B: CLIENT SETNAME bob', 'B: CLIENT LIST',
      'A: SELECT 3', 'A: MULTI', 'A: SET x 1', 'A: GET x', 'B: CLIENT LIST', 'A: CLIENT INFO', 'A: EXEC', 'B: CLIENT LIST',
      'A: NOSUCH', 'B: CLIENT LIST', 'A: GET', 'B: CLIENT LIST', 'A: CONFIG', 'B: CLIENT LIST', 'A: CONFIG FOO', 'B: CLIENT LIST',
      'A: config get hz', 'B: CLIENT LIST', 'A: WATCH a', 'B: CLIENT LIST', 'A: MULTI', 'A: EXEC x', 'B: CLIENT LIST',
      'A: SELECT 0', 'A: CLIENT SETNAME ""',
    ];
    expect(await runScript(withAof(), side, script, view)).toEqual([]);
  });
});

describe('against redis-server 7.0.15 with a failed BGSAVE (MISCONF)', () => {
  // The real server's dir is removed under it, so its BGSAVE fails; the lab's disk is made full.
  const root = join('/tmp', `lab-watch-misconf-${MISCONF_PORT}-${process.pid}`);
  const dir = join(root, 'dir');
  const real = realRedisAround(() => {
    mkdirSync(dir, { recursive: true });
    return startRealRedis(MISCONF_PORT, ['--dir', dir, '--save', '3600 1']);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('EXEC holding a write is refused with MISCONF, which aborts the transaction; EXEC of reads runs', async () => {
    const side = wallClockEngine({ config: { save: '3600 1' } });
    const runner = scriptRunner(real(), side);
    try {
      expect(await runner.run(['A: SET a 1', 'A: MULTI', 'A: SET a 2', 'A: GET a', 'C: MULTI', 'C: GET a'])).toEqual([]);
      // The BGSAVEs come from other clients: A and C stay in MULTI.
      rmSync(dir, { recursive: true, force: true });
      const other = await real().connect();
      await other.command(['BGSAVE']);
      await waitUntil(async () => /rdb_last_bgsave_status:err/.test((await other.command(['INFO', 'persistence'])).value as string), 'the BGSAVE failed');
      const operator = side.engine.newClient();
      side.engine.execute(operator, ['SIM', 'DISK', 'FULL']);
      side.engine.execute(operator, ['BGSAVE']);
      for (let i = 0; i < 100 && side.engine.lastBgsaveStatus !== 'err'; i++) side.engine.advance(100);
      expect(side.engine.lastBgsaveStatus).toBe('err');
      const after = ['A: EXEC', 'C: EXEC', 'A: GET a', 'A: MULTI', 'A: SET b 1', 'A: EXEC', 'A: MULTI', 'A: PING', 'A: EXEC x', 'A: EXEC'];
      expect(await runner.run(after)).toEqual([]);
    } finally {
      runner.close();
    }
  });
});
