import { afterEach, describe, expect, test, vi } from 'vitest';
import fc from 'fast-check';
import { Engine, type EngineEvent } from '../../src/engine/index.ts';
import { createLabStore, type LabState, type LabStore } from '../../src/store/index.ts';
import { CheckpointShelf, ENTRY_WORK_BYTES, entryWorkBytes, type CheckpointPolicy } from '../../src/store/checkpoints.ts';

/**
 * The timeline's checkpoints (src/store/checkpoints.ts): where the shelf puts them and how it
 * thins them; and that a seek through checkpoints shows exactly what a replay from a fresh node
 * shows — node and panels alike.
 */

const EPOCH_MS = Date.UTC(2026, 0, 1, 9, 0, 0);

afterEach(() => {
  vi.restoreAllMocks();
});

// ---- the shelf -----------------------------------------------------------------------------------

const POLICY: CheckpointPolicy = { everyEntries: 10, maxCount: 4, maxNodeBytes: 1000, maxTotalBytes: 10_000 };

function shelfWith(policy: Partial<CheckpointPolicy> = {}) {
  return new CheckpointShelf<string, null>({ ...POLICY, ...policy });
}

/** Applies ordinary entries up to `to`, shelving a checkpoint wherever one is due. */
function walk(shelf: CheckpointShelf<string, null>, from: number, to: number, bytes = 100): void {
  for (let position = from + 1; position <= to; position++) {
    if (shelf.passed(position, 0)) shelf.add({ position, node: `node@${position}`, fold: null, bytes });
  }
}

const positions = (shelf: CheckpointShelf<string, null>) => shelf.checkpoints.map((checkpoint) => checkpoint.position);

describe('the checkpoint shelf', () => {
  test('a checkpoint is due every N ordinary entries', () => {
    const shelf = shelfWith();
    walk(shelf, 0, 35);
    expect(positions(shelf)).toEqual([10, 20, 30]);
    expect(shelf.nearest(29)?.position).toBe(20);
    expect(shelf.nearest(9)).toBeNull();
  });

  test('and at once after an entry that was costly to replay', () => {
    const shelf = shelfWith();
    expect(shelf.passed(1, 0)).toBe(false);
    expect(shelf.passed(2, 10 * ENTRY_WORK_BYTES)).toBe(true);
  });

  test('a node too big to copy is skipped for another N entries', () => {
    const shelf = shelfWith();
    walk(shelf, 0, 9);
    expect(shelf.passed(10, 0)).toBe(true);
    shelf.declined();
    expect(shelf.passed(11, 0)).toBe(false);
  });

  test('at most maxCount: thinning keeps the spacing even and never drops the last', () => {
    const shelf = shelfWith();
    walk(shelf, 0, 80);
    expect(positions(shelf)).toHaveLength(4);
    expect(positions(shelf).at(-1)).toBe(80);
    const gaps = positions(shelf).map((position, i, all) => position - (i === 0 ? 0 : (all[i - 1] as number)));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(30);
  });

  test('the cheapest gap to replay goes first: a checkpoint after costly work stays', () => {
    const shelf = shelfWith({ maxCount: 3 });
    walk(shelf, 0, 20);
    expect(shelf.passed(21, 100 * ENTRY_WORK_BYTES)).toBe(true);
    shelf.add({ position: 21, node: 'after the costly entry', fold: null, bytes: 100 });
    walk(shelf, 21, 31);
    expect(positions(shelf)).toEqual([20, 21, 31]);
    walk(shelf, 31, 51);
    // Dropping 20 or 21 would put the costly entry back into a replay: the light gaps after it merge.
    expect(positions(shelf)).toEqual([20, 21, 51]);
  });

  test('within the memory budget', () => {
    const shelf = shelfWith({ maxCount: 100, maxTotalBytes: 350 });
    walk(shelf, 0, 100);
    expect(shelf.totalBytes).toBeLessThanOrEqual(350);
    expect(positions(shelf).at(-1)).toBe(100);
  });

  test('branching drops the checkpoints past the position; a replay fills a thinned gap in again', () => {
    const shelf = shelfWith();
    walk(shelf, 0, 40);
    shelf.dropAfter(25);
    expect(positions(shelf)).toEqual([10, 20]);
    walk(shelf, 20, 80);
    expect(positions(shelf)).toEqual([20, 40, 60, 80]);
    // A replay from 40 through evenly spaced checkpoints takes none: each would be thinned at once.
    shelf.restored();
    walk(shelf, 40, 55);
    expect(positions(shelf)).toEqual([20, 40, 60, 80]);
    // One through a gap dearer than the others (left by a long pass) evens the spacing out.
    shelf.dropAfter(40);
    shelf.restored();
    for (let position = 41; position <= 100; position++) if (shelf.passed(position, 0, 60)) shelf.add({ position, node: '', fold: null, bytes: 100 });
    walk(shelf, 100, 120);
    expect(positions(shelf)).toEqual([20, 40, 100, 120]);
    shelf.restored();
    walk(shelf, 40, 60);
    expect(positions(shelf)).toEqual([20, 60, 100, 120]);
  });

  test('a long pass known in advance spreads its checkpoints over its length', () => {
    const shelf = shelfWith();
    const spacing = shelf.spacingFor(400);
    expect(spacing).toBe(100);
    let copies = 0;
    for (let position = 1; position <= 400; position++) {
      if (!shelf.passed(position, 0, spacing)) continue;
      copies++;
      shelf.add({ position, node: '', fold: null, bytes: 1 });
    }
    expect(copies).toBe(4);
    expect(shelfWith().spacingFor(5)).toBe(10);
  });

  test("an entry's work: bytes written, keys made or dropped", () => {
    const events: { event: EngineEvent }[] = [
      { event: { type: 'file.written', atMs: 0, by: 1, name: 'dump.rdb', offset: 0, length: 500 } },
      { event: { type: 'fork.started', atMs: 0, parentPid: 1, childPid: 2, purpose: 'rdb', forkUs: 1, pageCount: 3, pageSizeBytes: 4096 } },
    ];
    expect(entryWorkBytes(events, 10, 4)).toBe(500 + 6 * 64);
  });
});

// ---- the lab: checkpoints against a replay from scratch ------------------------------------------

/** Seeks restore checkpoints of every age: one after every entry, thinned to four. */
const DENSE = { everyEntries: 1, maxCount: 4 };
const NONE = { everyEntries: Infinity };

/** Everything the lab shows, but the counters that only identify renders (entry ids, generation). */
function everything(lab: LabStore) {
  const state: LabState = lab.getState();
  const data = Object.fromEntries(Object.entries(state).filter(([, value]) => typeof value !== 'function'));
  const files = state.persistence.disk.files.map((file) => [file.name, Array.from(state.readDiskFile(file.name) ?? [])]);
  return {
    ...data,
    generation: null,
    transcript: state.transcript.map(({ prompt, line, output, atMs }) => ({ prompt, line, output, atMs })),
    lastRun: state.lastRun === null ? null : { ...state.lastRun, id: null },
    files,
    tape: state.getTape(),
  };
}

function runClock(lab: LabStore, ms: number, wall: { now: number }): void {
  lab.getState().startClock(wall.now);
  for (let elapsed = 0; elapsed < ms; elapsed += 100) {
    wall.now += 100;
    lab.getState().tick(wall.now);
  }
  lab.getState().stopClock();
}

const action = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('SET a 1', 'INCR n', 'RPUSH l x', 'SADD s m', 'SPOP s', 'DEL a', 'EXPIRE n 2', 'HSET h f v', 'ZADD z 1 m', 'SELECT 1', 'SELECT 0') },
  { weight: 1, arbitrary: fc.constantFrom('DEBUG POPULATE 40 exp 5', 'expiring') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'BGSAVE',
      'BGREWRITEAOF',
      'SAVE',
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
      'SIM SET fsync-ms 400',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('SIM CRASH PROCESS', 'SIM CRASH POWER', 'SIM RESTART', 'SIM RESTART --appendonly yes', 'SIM KILLCHILD', 'MULTI', 'EXEC') },
  { weight: 3, arbitrary: fc.constantFrom('tick', 'tick', 'skip', 'SIM ADVANCE 2000') },
);

/** Plays one action on the lab: a line, the live clock for 300 ms, or a +1.5 s jump. */
function play(lab: LabStore, act: string, wall: { now: number }): void {
  if (act === 'tick') runClock(lab, 300, wall);
  else if (act === 'skip') lab.getState().advance(1500);
  // Keys with TTLs of 1 to 9 s: several active-expiry samples a tick, its cursor stopped mid-way.
  else if (act === 'expiring') for (let i = 0; i < 40; i++) lab.getState().runLine(`SETEX e${i} ${1 + (i % 9)} v`);
  else lab.getState().runLine(act);
}

/** What a few reads answer: the keyspace and INFO persistence, as the node itself tells them. */
const PROBES = ['INFO persistence', 'INFO keyspace', 'DBSIZE', 'SCAN 0 COUNT 1000', 'LRANGE l 0 -1', 'SMEMBERS s', 'HGETALL h', 'ZRANGE z 0 -1 WITHSCORES', 'GET n', 'TTL n'];

describe('seeking through checkpoints shows exactly what a replay from scratch shows', () => {
  test('random scenarios, random seeks: node, files, log, events and every panel', () => {
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 25 }), fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), (actions, seeks) => {
        const checkpointed = createLabStore({ epochMs: EPOCH_MS, checkpoints: DENSE });
        const scratch = createLabStore({ epochMs: EPOCH_MS, checkpoints: NONE });
        const wall = { now: 0 };
        for (const act of actions) {
          play(checkpointed, act, { ...wall });
          play(scratch, act, wall);
        }
        expect(everything(checkpointed)).toEqual(everything(scratch));
        for (const pick of seeks) {
          const at = pick % (scratch.getState().timeline.length + 1);
          checkpointed.getState().seek(at);
          scratch.getState().seek(at);
          expect(everything(checkpointed)).toEqual(everything(scratch));
        }
        // Reads run from the last position shown (they branch both labs alike).
        const answers = (lab: LabStore) => PROBES.map((line) => lab.getState().runLine(line).output);
        expect(answers(checkpointed)).toEqual(answers(scratch));
      }),
      { seed: 20261124, numRuns: 100 },
    );
  });

  test('no checkpoint while a fork child is alive, and seeks into its life are still exact', () => {
    const taken: { atMs: number; busy: boolean }[] = [];
    const checkpoint = Engine.prototype.checkpoint;
    vi.spyOn(Engine.prototype, 'checkpoint').mockImplementation(function (this: Engine, held) {
      const copy = checkpoint.call(this, held);
      if (copy !== null) taken.push({ atMs: this.nowMs, busy: this.hasChild() });
      return copy;
    });
    const lines = ['DEBUG POPULATE 1000', 'SIM SET disk-mbps 0.01', 'SIM ADVANCE 100', 'BGSAVE'];
    for (let i = 0; i < 30; i++) lines.push(`SET k${i} ${i}`, 'SIM ADVANCE 100');
    const checkpointed = createLabStore({ epochMs: EPOCH_MS, checkpoints: DENSE });
    const scratch = createLabStore({ epochMs: EPOCH_MS, checkpoints: NONE });
    checkpointed.getState().loadScenario(lines);
    scratch.getState().loadScenario(lines);
    const forkedAt = checkpointed.getState().events.find((logged) => logged.event.type === 'fork.started')?.event.atMs as number;
    const reapedAt = checkpointed.getState().events.find((logged) => logged.event.type === 'bgsave.finished')?.event.atMs as number;
    expect(reapedAt - forkedAt).toBeGreaterThan(1000);
    expect(taken.some(({ atMs }) => atMs < forkedAt)).toBe(true);
    expect(taken.some(({ atMs }) => atMs > reapedAt)).toBe(true);
    expect(taken.filter(({ busy, atMs }) => busy || (atMs >= forkedAt && atMs < reapedAt))).toEqual([]);
    for (const at of [40, 10, 3, 25, 64, 4, 5]) {
      checkpointed.getState().seek(at);
      scratch.getState().seek(at);
      expect(everything(checkpointed)).toEqual(everything(scratch));
    }
  });

  test('a checkpoint that cannot be copied again falls back to a replay from scratch, still exact', () => {
    const lines = ['CONFIG SET appendonly yes', 'SET a 1', 'BGSAVE', 'SIM ADVANCE 500', 'RPUSH l x', 'SIM CRASH PROCESS', 'SIM RESTART', 'SIM ADVANCE 500', 'INCR n'];
    const checkpointed = createLabStore({ epochMs: EPOCH_MS, checkpoints: DENSE });
    const scratch = createLabStore({ epochMs: EPOCH_MS, checkpoints: NONE });
    checkpointed.getState().loadScenario(lines);
    scratch.getState().loadScenario(lines);
    vi.spyOn(Engine.prototype, 'checkpoint').mockReturnValue(null);
    for (const at of [7, 3, 9, 1]) {
      checkpointed.getState().seek(at);
      scratch.getState().seek(at);
      expect(everything(checkpointed)).toEqual(everything(scratch));
    }
  });

  test('a step back over DEBUG POPULATE does not run it again', () => {
    const lab = createLabStore({ epochMs: EPOCH_MS });
    lab.getState().runLine('DEBUG POPULATE 20000');
    for (let i = 0; i < 20; i++) lab.getState().runLine(`SET k${i} v${i}`);
    const ran: string[] = [];
    const run = Engine.prototype.run;
    vi.spyOn(Engine.prototype, 'run').mockImplementation(function (this: Engine, line, client) {
      ran.push(line);
      return run.call(this, line, client);
    });
    lab.getState().stepBack();
    expect(lab.getState().timeline.position).toBe(20);
    expect(lab.getState().keyspace.totalKeys).toBe(20_019);
    expect(ran).not.toContain('DEBUG POPULATE 20000');
    expect(ran.length).toBeLessThan(20);
  });
});
