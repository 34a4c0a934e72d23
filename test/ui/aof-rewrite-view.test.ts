import { describe, expect, test } from 'vitest';
import { createLabStore, type LabStore } from '../../src/store/index.ts';
import type { AofRewriteView } from '../../src/store/aof-view.ts';

/**
 * The AOF rewrite's view models (src/store/aof-view.ts and persistence-view.ts): the rewrite child
 * in the processes lane like BGSAVE's, each AOF file's role on the disk, and the rewrite as ordered
 * steps — driven by the real engine on a slow disk (2,000 B/s), so each moment can be stopped at.
 */

const EPOCH_MS = Date.UTC(2026, 0, 1, 9, 0, 0);

/** 500 keys on a disk that writes 2,000 B a second: a base of about 9 KB takes about 4.7 s. */
function slowLab(): LabStore {
  const lab = createLabStore({ epochMs: EPOCH_MS });
  lab.getState().runLine('SIM SET disk-mbps 0.002');
  lab.getState().runLine('DEBUG POPULATE 500');
  return lab;
}

/** The AOF on, its first rewrite installed, one write in incr 1. */
function labWithAof(): LabStore {
  const lab = slowLab();
  lab.getState().runLine('CONFIG SET appendonly yes');
  lab.getState().advance(10_000);
  lab.getState().runLine('SET a 1');
  return lab;
}

const rewriteOf = (lab: LabStore): AofRewriteView => {
  const rewrite = lab.getState().persistence.aofRewrite;
  if (rewrite === null) throw new Error('no rewrite in the view');
  return rewrite;
};
const steps = (lab: LabStore): string => rewriteOf(lab).steps.map((step) => `${step.id}:${step.state}`).join(' ');
const fileRoles = (lab: LabStore): string[] =>
  lab.getState().persistence.disk.files.map((file) => [file.name, file.aofRole ?? '-', file.aofFormat ?? '-', file.appending === true ? 'appending' : ''].join('|'));

describe('the first rewrite, as CONFIG SET appendonly yes switches the AOF on', () => {
  test('a temp incr takes the writes; the child is drawn as the rewrite child; the base is installed, nothing retired', () => {
    const lab = slowLab();
    expect(lab.getState().persistence.aofRewrite).toBeNull();
    lab.getState().runLine('CONFIG SET appendonly yes');
    lab.getState().advance(2000);
    const { processes } = lab.getState().persistence;
    expect(processes.child).toMatchObject({ pid: 4243, purpose: 'aof-rewrite', format: 'rdb', tempName: 'temp-rewriteaof-4243.aof', state: 'writing', renamedTo: null, writtenBytes: 4000 });
    // A fork like BGSAVE's: the pages are shared, the grid is there.
    expect(processes.grid?.pageCount).toBeGreaterThan(0);
    expect(rewriteOf(lab)).toMatchObject({ first: true, incrFile: 'appendonlydir/temp-appendonly.aof.incr', baseFormat: 'rdb', outcome: 'running', writtenBytes: 4000 });
    expect(steps(lab)).toBe('incr:done write:active rename:pending install:pending retire:pending');
    expect(fileRoles(lab)).toEqual(['appendonlydir/temp-appendonly.aof.incr|incr|-|appending', 'temp-rewriteaof-4243.aof|rewrite-temp|rdb|']);
    expect(lab.getState().persistence.disk.files[1]?.writerPid).toBe(4243);

    lab.getState().advance(8000);
    expect(lab.getState().persistence.processes.child).toBeNull();
    expect(lab.getState().persistence.processes.lastReaped).toMatchObject({ pid: 4243, purpose: 'aof-rewrite', ok: true, exitCode: 0 });
    expect(rewriteOf(lab)).toMatchObject({
      outcome: 'installed',
      // The temp incr kept its writes under its final name.
      incrFile: 'appendonlydir/appendonly.aof.1.incr.aof',
      baseFile: 'appendonlydir/appendonly.aof.1.base.rdb',
      retired: [],
    });
    expect(steps(lab)).toBe('incr:done write:done rename:done install:done retire:done');
    expect(fileRoles(lab)).toEqual([
      'appendonlydir/appendonly.aof.1.base.rdb|base|rdb|',
      'appendonlydir/appendonly.aof.1.incr.aof|incr|-|appending',
      'appendonlydir/appendonly.aof.manifest|manifest|-|',
    ]);
  });
});

describe('BGREWRITEAOF, step by step', () => {
  test('fork and new incr, the temp file growing, the rename and exit, the reap and install, the old files retired', () => {
    const lab = labWithAof();
    lab.getState().runLine('BGREWRITEAOF');
    lab.getState().runLine('SET key:1 x');
    lab.getState().advance(2000);
    const child = lab.getState().persistence.processes.child;
    expect(child).toMatchObject({ pid: 4244, purpose: 'aof-rewrite', state: 'writing' });
    // The parent's write after the fork copied a page, as during a BGSAVE.
    expect(lab.getState().persistence.processes.grid?.copiedPages).toBe(1);
    expect(rewriteOf(lab)).toMatchObject({ childPid: 4244, first: false, incrFile: 'appendonlydir/appendonly.aof.2.incr.aof', outcome: 'running' });
    expect(fileRoles(lab)).toEqual([
      'appendonlydir/appendonly.aof.1.base.rdb|base|rdb|',
      'appendonlydir/appendonly.aof.1.incr.aof|incr|-|',
      'appendonlydir/appendonly.aof.2.incr.aof|incr|-|appending',
      'appendonlydir/appendonly.aof.manifest|manifest|-|',
      'temp-rewriteaof-4244.aof|rewrite-temp|rdb|',
    ]);
    // The write after the fork went to the new incr file, which the AOF log now shows.
    expect(lab.getState().aof.file).toBe('appendonlydir/appendonly.aof.2.incr.aof');

    // The child has written its last byte: fsync, rename, exit; the parent has not looked yet.
    const total = rewriteOf(lab).totalBytes as number;
    const doneAt = rewriteOf(lab).startedAtMs + Math.ceil(total / 2);
    lab.getState().advance(doneAt - lab.getState().nowMs);
    expect(lab.getState().persistence.processes.child).toMatchObject({ state: 'exited', renamedTo: 'temp-rewriteaof-bg-4244.aof', exit: { code: 0, signal: null } });
    expect(rewriteOf(lab)).toMatchObject({ outcome: 'written', writtenBytes: total, totalBytes: total });
    expect(steps(lab)).toBe('incr:done write:done rename:done install:active retire:pending');
    expect(fileRoles(lab)).toContain('temp-rewriteaof-bg-4244.aof|rewrite-temp|rdb|');

    lab.getState().advance(100);
    expect(rewriteOf(lab)).toMatchObject({
      outcome: 'installed',
      baseFile: 'appendonlydir/appendonly.aof.2.base.rdb',
      retired: ['appendonlydir/appendonly.aof.1.incr.aof', 'appendonlydir/appendonly.aof.1.base.rdb'],
    });
    expect(steps(lab)).toBe('incr:done write:done rename:done install:done retire:done');
    expect(lab.getState().persistence.processes.lastReaped).toMatchObject({ pid: 4244, purpose: 'aof-rewrite', ok: true });
    // The temp file's row became the base's: the same file, renamed twice.
    expect(fileRoles(lab)).toEqual([
      'appendonlydir/appendonly.aof.2.base.rdb|base|rdb|',
      'appendonlydir/appendonly.aof.2.incr.aof|incr|-|appending',
      'appendonlydir/appendonly.aof.manifest|manifest|-|',
    ]);
  });

  test('with aof-use-rdb-preamble no the base is RESP commands, named .base.aof', () => {
    const lab = labWithAof();
    lab.getState().runLine('CONFIG SET aof-use-rdb-preamble no');
    lab.getState().runLine('BGREWRITEAOF');
    lab.getState().advance(100);
    expect(lab.getState().persistence.processes.child).toMatchObject({ purpose: 'aof-rewrite', format: 'resp' });
    expect(rewriteOf(lab).baseFormat).toBe('resp');
    expect(fileRoles(lab)).toContain('temp-rewriteaof-4244.aof|rewrite-temp|resp|');
    lab.getState().advance(20_000);
    expect(rewriteOf(lab)).toMatchObject({ outcome: 'installed', baseFile: 'appendonlydir/appendonly.aof.2.base.aof', baseFormat: 'resp' });
    expect(fileRoles(lab)[0]).toBe('appendonlydir/appendonly.aof.2.base.aof|base|resp|');
  });

  test('a killed child: the write step failed, the rest skipped; reaped as a failed rewrite', () => {
    const lab = labWithAof();
    lab.getState().runLine('BGREWRITEAOF');
    lab.getState().advance(500);
    lab.getState().runLine('SIM KILLCHILD');
    expect(rewriteOf(lab)).toMatchObject({ outcome: 'failed', exit: { code: null, signal: 9 }, reapedAtMs: null });
    expect(steps(lab)).toBe('incr:done write:failed rename:skipped install:skipped retire:skipped');
    lab.getState().advance(100);
    expect(rewriteOf(lab).reapedAtMs).not.toBeNull();
    expect(lab.getState().persistence.processes.lastReaped).toMatchObject({ pid: 4244, purpose: 'aof-rewrite', ok: false, signal: 9 });
    // The temp file is gone; the new incr stays, listed after the old one.
    expect(fileRoles(lab)).toEqual([
      'appendonlydir/appendonly.aof.1.base.rdb|base|rdb|',
      'appendonlydir/appendonly.aof.1.incr.aof|incr|-|',
      'appendonlydir/appendonly.aof.2.incr.aof|incr|-|appending',
      'appendonlydir/appendonly.aof.manifest|manifest|-|',
    ]);
  });

  test('switched off mid-rewrite: stopped; a crash: interrupted; a restart: no rewrite to show', () => {
    const lab = labWithAof();
    lab.getState().runLine('BGREWRITEAOF');
    lab.getState().runLine('CONFIG SET appendonly no');
    expect(rewriteOf(lab).outcome).toBe('stopped');
    expect(steps(lab)).toBe('incr:done write:failed rename:skipped install:skipped retire:skipped');

    lab.getState().runLine('CONFIG SET appendonly yes');
    lab.getState().advance(10_000);
    lab.getState().runLine('BGREWRITEAOF');
    lab.getState().runLine('SIM CRASH PROCESS');
    expect(rewriteOf(lab).outcome).toBe('interrupted');
    lab.getState().runLine('SIM RESTART');
    expect(lab.getState().persistence.aofRewrite).toBeNull();
  });
});

describe('the view is bounded and replays exactly', () => {
  test('a tick that changes nothing keeps the same object; a seek back shows what the live run showed', () => {
    const lab = labWithAof();
    lab.getState().runLine('BGREWRITEAOF');
    lab.getState().advance(1000);
    const mid = lab.getState().persistence.aofRewrite;
    const position = lab.getState().timeline.position;
    lab.getState().runLine('PING');
    expect(lab.getState().persistence.aofRewrite).toBe(mid);

    lab.getState().advance(20_000);
    expect(rewriteOf(lab).outcome).toBe('installed');
    lab.getState().seek(position);
    expect(lab.getState().persistence.aofRewrite).toEqual(mid);
  });
});
