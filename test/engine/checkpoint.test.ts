import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { copyState, Engine, exportKeyspace, type Client, type NodeCheckpoint } from '../../src/engine/index.ts';

/**
 * Engine.checkpoint: a copy of the node that goes on exactly as the node would (same replies,
 * events, log lines, files, keyspace, INFO), while the node itself goes on as if nothing had been
 * copied; none while the node is not quiet.
 */

const EPOCH_MS = Date.UTC(2026, 0, 1, 9, 0, 0);

/** Everything the node shows the world, after the lines run so far. */
interface Trace {
  replies: string[];
  events: string[];
}

function finalState(engine: Engine, client: Client) {
  return {
    keyspace: exportKeyspace(engine.dbs, engine.nowMs),
    // Insertion order matters too: SCAN, RANDOMKEY and the active-expiry sweep walk it.
    order: engine.dbs.map((db) => [[...db.data.keys()], [...db.expires.keys()]]),
    info: engine.run('INFO everything', client),
    log: [...engine.serverLog],
    files: engine.disk.list().map((file) => ({ ...file, bytes: Array.from(engine.disk.read(file.name) ?? []) })),
    nowMs: engine.nowMs,
  };
}

/**
 * Runs `lines`, and after the lines at `switchAt` carries on with a checkpoint of the node (when
 * it is quiet), or, with `keepOriginal`, takes the checkpoint and carries on with the original.
 */
function run(lines: readonly string[], switchAt: ReadonlySet<number>, keepOriginal = false) {
  let engine = new Engine({ epochMs: EPOCH_MS, configFile: true, seed: 3 });
  let client = engine.newClient();
  const trace: Trace = { replies: [], events: [] };
  const listen = (event: unknown) => trace.events.push(JSON.stringify(event));
  let unsubscribe = engine.subscribe(listen);
  let switches = 0;
  lines.forEach((line, index) => {
    trace.replies.push(JSON.stringify(engine.run(line, client)));
    if (!switchAt.has(index)) return;
    const checkpoint: NodeCheckpoint<Client> | null = engine.checkpoint(client);
    if (checkpoint === null || keepOriginal) return;
    switches++;
    unsubscribe();
    engine = checkpoint.engine;
    client = checkpoint.held;
    unsubscribe = engine.subscribe(listen);
  });
  return { trace, final: finalState(engine, client), switches };
}

const write = fc.constantFrom(
  'SET a 1',
  'INCR n',
  'RPUSH l x y',
  'LPOP l',
  'SADD s m1 m2 m3',
  'SPOP s',
  'HSET h f v',
  'ZADD z 1 m 2 n',
  'DEL a',
  'EXPIRE n 2',
  'SETEX t 1 v',
  'SELECT 1',
  'SELECT 0',
  'DEBUG POPULATE 30 exp',
  'FLUSHALL',
);
/** Sixty keys with TTLs of 1 to 9 s: several active-expiry samples a tick, so its cursor stops mid-way. */
const expiring = fc.constant(Array.from({ length: 60 }, (_, i) => `SETEX e${i} ${1 + (i % 9)} v`).join('\n'));
const persistence = fc.constantFrom(
  'BGSAVE',
  'SAVE',
  'BGREWRITEAOF',
  'CONFIG SET appendonly yes',
  'CONFIG SET appendonly no',
  'CONFIG SET appendfsync always',
  'CONFIG SET appendfsync no',
  'CONFIG SET aof-use-rdb-preamble no',
  'CONFIG SET save "1 1"',
  'CONFIG SET hz 50',
  'DEBUG RELOAD',
  'SIM SET disk-mbps 0.05',
  'SIM SET disk-mbps 100',
  'SIM SET fsync-ms 300',
  'SIM DISK FULL',
  'SIM DISK OK',
);
const life = fc.constantFrom('SIM CRASH PROCESS', 'SIM CRASH POWER', 'SIM RESTART', 'SIM RESTART --appendonly yes', 'SIM KILLCHILD', 'MULTI', 'EXEC', 'SHUTDOWN NOSAVE');
const time = fc.constantFrom('SIM ADVANCE 50', 'SIM ADVANCE 250', 'SIM ADVANCE 1100', 'SIM ADVANCE 5000');
const scenario = fc
  .array(fc.oneof({ weight: 5, arbitrary: write }, { weight: 1, arbitrary: expiring }, { weight: 3, arbitrary: persistence }, { weight: 2, arbitrary: life }, { weight: 4, arbitrary: time }), {
    minLength: 1,
    maxLength: 40,
  })
  .map((actions) => actions.flatMap((action) => action.split('\n')));

describe('a checkpoint goes on exactly as the node would', () => {
  test('carrying on with copies at random moments gives the same replies, events, files, log, keyspace and INFO', () => {
    fc.assert(
      fc.property(scenario, fc.option(fc.array(fc.nat(), { maxLength: 8 })), (lines, picks) => {
        // At a few random moments, or (none picked) at every one.
        const switchAt = new Set(picks === null ? lines.keys() : picks.map((pick) => pick % lines.length));
        const straight = run(lines, new Set());
        const switched = run(lines, switchAt);
        expect(switched.trace).toEqual(straight.trace);
        expect(switched.final).toEqual(straight.final);
        // The node copied goes on as if it had not been (its expiry cursors are set again).
        expect(run(lines, switchAt, true)).toEqual({ ...straight, switches: 0 });
      }),
      { seed: 20261124, numRuns: 150 },
    );
  });

  test('copies of copies, at every quiet moment of a long run', () => {
    const lines = ['CONFIG SET appendonly yes', 'CONFIG SET hz 100'];
    for (let i = 0; i < 60; i++) lines.push(`SETEX k${i} ${1 + (i % 4)} v${i}`, i % 7 === 0 ? 'BGREWRITEAOF' : `RPUSH l ${i}`, 'SIM ADVANCE 120');
    const every = new Set(lines.map((_, index) => index));
    const straight = run(lines, new Set());
    const switched = run(lines, every);
    expect(switched.switches).toBeGreaterThan(100);
    expect(switched.trace).toEqual(straight.trace);
    expect(switched.final).toEqual(straight.final);
  });

  test('the copy is independent: what one does, the other does not see', () => {
    const engine = new Engine({ epochMs: EPOCH_MS });
    const client = engine.newClient();
    engine.run('SET a 1', client);
    engine.run('SAVE', client);
    const checkpoint = engine.checkpoint(client);
    expect(checkpoint).not.toBeNull();
    const copy = checkpoint as NodeCheckpoint<Client>;
    copy.engine.run('SET a 2', copy.held);
    copy.engine.run('SELECT 3', copy.held);
    copy.engine.run('SAVE', copy.held);
    expect(engine.run('GET a', client)).toEqual({ kind: 'reply', reply: { type: 'bulk', value: '1' } });
    expect(client.db).toBe(0);
    expect(engine.disk.read('dump.rdb')).not.toEqual(copy.engine.disk.read('dump.rdb'));
  });

  test('listeners are not copied: the copy starts with none', () => {
    const engine = new Engine({ epochMs: EPOCH_MS });
    const client = engine.newClient();
    const heard: string[] = [];
    engine.subscribe((event) => heard.push(event.type));
    const copy = engine.checkpoint(client) as NodeCheckpoint<Client>;
    copy.engine.run('SET a 1', copy.held);
    copy.engine.run('SAVE', copy.held);
    expect(heard).toEqual([]);
  });
});

describe('no checkpoint while the node is not quiet', () => {
  test('a fork child at work (its closures) or a load under way give none; the node goes on unharmed', () => {
    const engine = new Engine({ epochMs: EPOCH_MS });
    const client = engine.newClient();
    engine.run('DEBUG POPULATE 2000', client);
    engine.run('SIM SET disk-mbps 0.01', client);
    engine.run('BGSAVE', client);
    expect(engine.rdb.child).not.toBeNull();
    expect(engine.quiet).toBe(false);
    expect(engine.checkpoint(client)).toBeNull();
    // Asked to copy anyway, the generic copy finds the child's closures and refuses.
    const forced = copyState(engine, new Map());
    expect(forced.ok ? '' : forced.reason).toContain('a function');
    engine.run('SIM ADVANCE 60000', client);
    expect(engine.rdb.child).toBeNull();
    expect(engine.checkpoint(client)).not.toBeNull();

    engine.run('SIM CRASH PROCESS', client);
    engine.run('SIM RESTART', client);
    expect(engine.loading).toBe(true);
    expect(engine.checkpoint(client)).toBeNull();
    engine.run('SIM ADVANCE 60000', client);
    expect(engine.loading).toBe(false);
    expect(engine.run('DBSIZE', client)).toEqual({ kind: 'reply', reply: { type: 'integer', value: 2000 } });
    expect(engine.checkpoint(client)).not.toBeNull();
  });

  test('an orphan child of a crashed server, too', () => {
    const engine = new Engine({ epochMs: EPOCH_MS });
    const client = engine.newClient();
    engine.run('DEBUG POPULATE 2000', client);
    engine.run('SIM SET disk-mbps 0.01', client);
    engine.run('BGSAVE', client);
    engine.run('SIM CRASH PROCESS', client);
    expect(engine.orphans.length).toBe(1);
    expect(engine.checkpoint(client)).toBeNull();
  });
});
