import { describe, expect, test } from 'vitest';
import { Engine, type EngineEvent } from '../../src/engine/index.ts';
import { buildPersistenceView, createLabStore, PersistenceTracker, type AofRewriteView, type LabStore } from '../../src/store/index.ts';

/**
 * The AOF rewrite's view and the processes lane's last reap learn the parent's reap from the
 * engine's `child.reaped` event, not from the server log: the same views come out of the events
 * with every log line taken away. A child the parent stops itself (CONFIG SET appendonly no,
 * SHUTDOWN) is told as such.
 */

const EPOCH_MS = Date.UTC(2026, 0, 1, 9, 0, 0);

/** An engine with the AOF on, its events recorded; 500 keys on a disk of 2,000 B/s (a base takes ~4.7 s). */
function recordedEngine() {
  const engine = new Engine({ epochMs: EPOCH_MS, config: { appendonly: 'yes' } });
  const events: EngineEvent[] = [];
  engine.subscribe((event) => events.push(event));
  const client = engine.newClient();
  const run = (line: string) => engine.run(line, client);
  run('SIM SET disk-mbps 0.002');
  run('DEBUG POPULATE 500');
  return { engine, events, run };
}

/** The views built from `events` by a fresh tracker. */
function viewsFrom(engine: Engine, events: readonly EngineEvent[]) {
  const tracker = new PersistenceTracker();
  tracker.observe(events);
  const view = buildPersistenceView(engine, tracker);
  return { aofRewrite: view.aofRewrite, lastReaped: view.processes.lastReaped };
}

const withoutLogLines = (events: readonly EngineEvent[]) => events.filter((event) => event.type !== 'log.line');

describe('the reap comes from child.reaped, not from the log', () => {
  test('a rewrite installed, then one killed: the same views without a single log line', () => {
    const { engine, events, run } = recordedEngine();
    run('BGREWRITEAOF');
    engine.advance(10_000);
    const installed = viewsFrom(engine, events);
    expect(installed.aofRewrite).toMatchObject({ childPid: 4243, outcome: 'installed', baseFile: 'appendonlydir/appendonly.aof.2.base.rdb' });
    expect(installed.aofRewrite?.retired).toEqual(['appendonlydir/appendonly.aof.1.incr.aof', 'appendonlydir/appendonly.aof.1.base.rdb']);
    expect(installed.lastReaped).toMatchObject({ pid: 4243, purpose: 'aof-rewrite', ok: true, exitCode: 0, signal: null });
    expect(viewsFrom(engine, withoutLogLines(events))).toEqual(installed);

    run('BGREWRITEAOF');
    run('SIM KILLCHILD');
    engine.advance(100);
    const failed = viewsFrom(engine, events);
    expect(failed.aofRewrite).toMatchObject({ childPid: 4244, outcome: 'failed', exit: { code: null, signal: 9 } });
    expect(failed.aofRewrite?.reapedAtMs).toBe(engine.nowMs);
    expect(failed.lastReaped).toMatchObject({ pid: 4244, purpose: 'aof-rewrite', ok: false, signal: 9 });
    expect(viewsFrom(engine, withoutLogLines(events))).toEqual(failed);
  });

  test("BGSAVE's reap, with its purpose", () => {
    const { engine, events, run } = recordedEngine();
    run('BGSAVE');
    engine.advance(30_000);
    expect(viewsFrom(engine, withoutLogLines(events)).lastReaped).toMatchObject({ pid: 4243, purpose: 'rdb', ok: true, exitCode: 0 });
  });
});

/** The store's lab: the AOF on with its first rewrite installed (child 4243), on the slow disk. */
function labWithAof(): LabStore {
  const lab = createLabStore({ epochMs: EPOCH_MS });
  lab.getState().runLine('SIM SET disk-mbps 0.002');
  lab.getState().runLine('DEBUG POPULATE 500');
  lab.getState().runLine('CONFIG SET appendonly yes');
  lab.getState().advance(10_000);
  return lab;
}

const rewriteOf = (lab: LabStore): AofRewriteView => {
  const rewrite = lab.getState().persistence.aofRewrite;
  if (rewrite === null) throw new Error('no rewrite in the view');
  return rewrite;
};
const steps = (rewrite: AofRewriteView): string => rewrite.steps.map((step) => `${step.id}:${step.state}`).join(' ');

describe('a rewrite the parent stops', () => {
  test('CONFIG SET appendonly no: stopped and reaped at once; the SIGUSR1 exit is not the child’s own; the last cron reap still shown', () => {
    const lab = labWithAof();
    const firstReap = lab.getState().persistence.processes.lastReaped;
    expect(firstReap).toMatchObject({ pid: 4243, purpose: 'aof-rewrite', ok: true });
    lab.getState().runLine('BGREWRITEAOF');
    lab.getState().advance(1000);
    lab.getState().runLine('CONFIG SET appendonly no');
    const rewrite = rewriteOf(lab);
    expect(rewrite).toMatchObject({ childPid: 4244, outcome: 'stopped', exit: null, reapedAtMs: EPOCH_MS + 11_000, baseFile: null, retired: [] });
    expect(steps(rewrite)).toBe('incr:done write:failed rename:skipped install:skipped retire:skipped');
    const { processes, disk } = lab.getState().persistence;
    expect(processes.child).toBeNull();
    expect(processes.lastReaped).toBe(firstReap);
    expect(disk.files.map((file) => file.aofRole)).not.toContain('rewrite-temp');
    expect(disk.files.every((file) => !file.appending)).toBe(true);
  });

  test('a child that had finished its file: stopped, with the exit it made itself', () => {
    const lab = labWithAof();
    lab.getState().runLine('SIM SET disk-mbps 1');
    lab.getState().runLine('BGREWRITEAOF');
    // The base (~9 KB) is written in ~9 ms, well before the next cron tick.
    lab.getState().advance(50);
    expect(lab.getState().persistence.processes.child).toMatchObject({ pid: 4244, state: 'exited' });
    lab.getState().runLine('CONFIG SET appendonly no');
    const rewrite = rewriteOf(lab);
    expect(rewrite).toMatchObject({ outcome: 'stopped', exit: { code: 0, signal: null } });
    expect(steps(rewrite)).toBe('incr:done write:done rename:done install:skipped retire:skipped');
    expect(lab.getState().persistence.disk.files.map((file) => file.name).filter((name) => name.startsWith('temp-'))).toEqual([]);
  });

  test('SHUTDOWN: Redis went down before the rewrite finished', () => {
    const lab = labWithAof();
    lab.getState().runLine('BGREWRITEAOF');
    lab.getState().runLine('SHUTDOWN NOSAVE');
    expect(rewriteOf(lab)).toMatchObject({ childPid: 4244, outcome: 'interrupted', exit: null });
  });
});
