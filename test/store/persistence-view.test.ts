import { describe, expect, test, vi } from 'vitest';

// The store works without React (zustand's vanilla store); prove it for the persistence views too.
vi.mock('react', () => ({}));

const { createLabStore, buildPersistenceView, PersistenceTracker, cellPages, cellState } = await import('../../src/store/index.ts');
type PageGridView = import('../../src/store/index.ts').PageGridView;

const EPOCH_MS = Date.UTC(2026, 0, 1, 9, 0, 0);

/** A lab with 2,000 keys and a disk slow enough (2,000 B/s) to watch the child write ~40 KB. */
function slowLab() {
  const lab = createLabStore({ epochMs: EPOCH_MS });
  lab.getState().runLine('SIM SET disk-mbps 0.002');
  lab.getState().runLine('DEBUG POPULATE 2000');
  return lab;
}

describe('the processes view', () => {
  test('a fresh node: the parent alone, no pages shared', () => {
    const { processes } = createLabStore({ epochMs: EPOCH_MS }).getState().persistence;
    expect(processes).toMatchObject({ parentPid: 4242, child: null, lastReaped: null, latestForkUs: 0 });
    // The parent's pages are drawn all the same, its own (./page-grid-view.test.ts follows them).
    expect(processes.grid).toMatchObject({ sharing: 'own', copiedPages: 0, touched: null });
  });

  test('BGSAVE: the child writes its temp file while sharing the parent’s pages; a write copies one', () => {
    const lab = slowLab();
    lab.getState().runLine('BGSAVE');
    lab.getState().runLine('SET key:1 x');
    lab.getState().advance(500);
    const { child, grid } = lab.getState().persistence.processes;
    expect(child).toMatchObject({ pid: 4243, purpose: 'rdb', tempName: 'temp-4243.rdb', state: 'writing', writtenBytes: 1000, keysTotal: 2000, exit: null });
    expect(child?.totalBytes).toBeGreaterThan(30_000);
    // 263 pages fit in 256 cells only two by two: 132 cells, the last holding one page.
    expect(grid).toMatchObject({ pageCount: 263, pageSizeBytes: 4096, pagesPerCell: 2, copiedPages: 1, cowBytes: 4096 });
    expect(grid?.copiedPerCell).toHaveLength(132);
    expect(grid?.copiedPerCell.reduce((a, b) => a + b, 0)).toBe(1);
    expect(cellPages(grid as PageGridView, 131)).toEqual({ first: 262, count: 1 });
  });

  test('the child exits, and the parent reaps it at its next cron tick', () => {
    const lab = slowLab();
    lab.getState().runLine('BGSAVE');
    const total = lab.getState().persistence.processes.child?.totalBytes ?? 0;
    // At 2 bytes a millisecond the child is done after ceil(total / 2) ms, between two cron ticks.
    const doneMs = Math.ceil(total / 2);
    lab.getState().advance(doneMs);
    const exited = lab.getState().persistence.processes;
    expect(exited.child).toMatchObject({ state: 'exited', writtenBytes: total, exit: { code: 0, signal: null, atMs: EPOCH_MS + doneMs } });
    expect(exited.grid).not.toBeNull();
    expect(exited.lastReaped).toBeNull();
    lab.getState().advance(100);
    const reaped = lab.getState().persistence.processes;
    expect(reaped.child).toBeNull();
    expect(reaped.grid?.sharing).toBe('own');
    expect(reaped.lastReaped).toEqual({ pid: 4243, purpose: 'rdb', outcome: 'ok', ok: true, exitCode: 0, signal: null, atMs: EPOCH_MS + Math.ceil(doneMs / 100) * 100 });
  });

  test('SIM KILLCHILD: exited by signal 9, then reaped as a failure', () => {
    const lab = slowLab();
    lab.getState().runLine('BGSAVE');
    lab.getState().runLine('SIM KILLCHILD');
    expect(lab.getState().persistence.processes.child).toMatchObject({ state: 'exited', exit: { code: null, signal: 9 } });
    lab.getState().advance(100);
    expect(lab.getState().persistence.processes.lastReaped).toMatchObject({ pid: 4243, ok: false, signal: 9 });
    expect(lab.getState().persistence.status.lastBgsaveStatus).toBe('err');
    // The parent removed the killed child's temp file.
    expect(lab.getState().persistence.disk.files).toEqual([]);
  });
});

describe('a save the parent stopped', () => {
  test('FLUSHALL: exited with code 255 (SIGUSR1) while still the parent’s child, then reaped as stopped; no failure', () => {
    const lab = slowLab();
    lab.getState().runLine('BGSAVE');
    lab.getState().runLine('FLUSHALL');
    const exited = lab.getState().persistence;
    expect(exited.processes.child).toMatchObject({ pid: 4243, state: 'exited', exit: { code: 255, signal: null } });
    expect(exited.status.bgsaveInProgress).toBe(true);
    expect(exited.disk.files.find((file) => file.name === 'temp-4243.rdb')).toMatchObject({ writerPid: null });
    lab.getState().advance(100);
    const reaped = lab.getState().persistence;
    expect(reaped.processes.child).toBeNull();
    expect(reaped.processes.lastReaped).toEqual({ pid: 4243, purpose: 'rdb', outcome: 'stopped', ok: false, exitCode: 255, signal: null, atMs: EPOCH_MS + 100 });
    expect(reaped.status).toMatchObject({ bgsaveInProgress: false, lastBgsaveStatus: 'ok' });
    expect(reaped.disk.files.map((file) => file.name)).not.toContain('temp-4243.rdb');
  });

  test('SHUTDOWN: the child goes with its parent, told as a stopped reap', () => {
    const lab = slowLab();
    lab.getState().runLine('BGSAVE');
    lab.getState().runLine('SHUTDOWN NOSAVE');
    const { processes, disk } = lab.getState().persistence;
    expect(processes.child).toBeNull();
    expect(processes.lastReaped).toMatchObject({ pid: 4243, purpose: 'rdb', outcome: 'stopped', exitCode: 255 });
    expect(disk.files).toEqual([]);
  });
});

describe('the page grid is bounded', () => {
  function fakeEngine(pageCount: number, copied: number[]) {
    return {
      pid: 1,
      rdb: { child: null, latestForkUsec: 0, saves: 0, model: { diskMbPerSecond: 100 } },
      // The AOF off, never rewritten: no files of its own, no child.
      aof: { child: null, state: 'off', writingTo: null, dirName: 'appendonlydir', baseName: 'appendonly.aof', manifest: { history: [] }, path: (name: string) => `appendonlydir/${name}` },
      running: true,
      pages: { pageSizeBytes: 4096, fork: { pageCount, copied: new Set(copied) }, cowBytes: copied.length * 4096 },
      disk: { list: () => [], fault: 'ok' },
      serverLog: [],
      dirty: 0,
      lastSaveMs: 0,
      lastBgsaveStatus: 'ok',
      config: { get: (name: string) => (name === 'dir' ? '/data' : 'dump.rdb') },
    } as unknown as Parameters<typeof buildPersistenceView>[0];
  }

  test('a million pages make 256 cells of 3,907 pages; a cell shows whether some or all were copied', () => {
    const started = performance.now();
    const view = buildPersistenceView(fakeEngine(1_000_000, [0, 1, 3907, ...Array.from({ length: 3907 }, (_, i) => 7814 + i)]), new PersistenceTracker());
    const grid = view.processes.grid as PageGridView;
    expect(performance.now() - started).toBeLessThan(50);
    expect(grid.pagesPerCell).toBe(3907);
    expect(grid.copiedPerCell).toHaveLength(256);
    expect([cellState(grid, 0), cellState(grid, 1), cellState(grid, 2), cellState(grid, 3)]).toEqual(['partly-copied', 'partly-copied', 'copied', 'shared']);
    // The last cell holds what is left over.
    expect(cellPages(grid, 255)).toEqual({ first: 996_285, count: 3715 });
  });

  test('a limit of 16 cells', () => {
    const view = buildPersistenceView(fakeEngine(100, [99]), new PersistenceTracker(), null, { maxGridCells: 16, logLines: 5 });
    const grid = view.processes.grid as PageGridView;
    expect(grid.pagesPerCell).toBe(7);
    expect(grid.copiedPerCell).toHaveLength(15);
    expect(cellState(grid, 14)).toBe('partly-copied');
  });
});

describe('the disk view', () => {
  test('the temp file grows in the page cache, written by the child, its name not yet durable', () => {
    const lab = slowLab();
    lab.getState().runLine('BGSAVE');
    lab.getState().advance(500);
    const { disk } = lab.getState().persistence;
    expect(disk).toMatchObject({ dir: '/var/lib/redis', dbfilename: 'dump.rdb', fault: 'ok', diskMbPerSecond: 0.002, maxFileBytes: 1000, lastRename: null });
    expect(disk.files).toEqual([
      {
        id: 'file-1',
        name: 'temp-4243.rdb',
        sizeBytes: 1000,
        durableBytes: 0,
        cachedBytes: 1000,
        nameDurable: false,
        modifiedAtMs: EPOCH_MS + 500,
        writerPid: 4243,
        aofRole: null,
        aofFormat: null,
        appending: false,
      },
    ]);
  });

  test('a row follows its file through the rename: temp-4243.rdb becomes dump.rdb, replacing the old one', () => {
    const lab = slowLab();
    lab.getState().runLine('SAVE');
    const oldDump = lab.getState().persistence.disk.files[0];
    expect(oldDump?.name).toBe('dump.rdb');
    lab.getState().runLine('BGSAVE');
    const tempId = lab.getState().persistence.disk.files.find((f) => f.name === 'temp-4243.rdb')?.id;
    expect(tempId).toBeDefined();
    expect(tempId).not.toBe(oldDump?.id);
    lab.getState().advance(30_000);
    const { files, lastRename } = lab.getState().persistence.disk;
    expect(files.map((f) => [f.id, f.name, f.durableBytes === f.sizeBytes, f.nameDurable, f.writerPid])).toEqual([[tempId, 'dump.rdb', true, true, null]]);
    expect(lastRename).toMatchObject({ from: 'temp-4243.rdb', to: 'dump.rdb', replaced: true, by: 4243 });
  });

  test('disk faults and speed are part of the view', () => {
    const lab = slowLab();
    lab.getState().runLine('SIM DISK EIO');
    expect(lab.getState().persistence.disk.fault).toBe('eio');
    lab.getState().runLine('SIM SET disk-mbps 100');
    expect(lab.getState().persistence.disk.diskMbPerSecond).toBe(100);
  });
});

describe('the server log and the status', () => {
  test('the last lines of the log, as redis-server writes them', () => {
    const lab = createLabStore({ epochMs: EPOCH_MS, persistenceLimits: { logLines: 3 } });
    lab.getState().runLine('SAVE');
    expect(lab.getState().persistence.log).toEqual([
      '4242:M 01 Jan 2026 09:00:00.000 # Server initialized',
      '4242:M 01 Jan 2026 09:00:00.000 * Ready to accept connections',
      '4242:M 01 Jan 2026 09:00:00.000 * DB saved on disk',
    ]);
  });

  test('INFO persistence’s figures: changes since the last save, saves, the last status', () => {
    const lab = createLabStore({ epochMs: EPOCH_MS });
    lab.getState().runLine('SET a 1');
    lab.getState().runLine('RPUSH l x y z');
    expect(lab.getState().persistence.status).toEqual({
      changesSinceLastSave: 4,
      lastSaveMs: EPOCH_MS,
      lastBgsaveStatus: 'ok',
      bgsaveInProgress: false,
      rdbSaves: 0,
    });
    lab.getState().advance(1000);
    lab.getState().runLine('SAVE');
    expect(lab.getState().persistence.status).toMatchObject({ changesSinceLastSave: 0, lastSaveMs: EPOCH_MS + 1000, rdbSaves: 1 });
    lab.getState().runLine('SIM DISK FULL');
    lab.getState().runLine('BGSAVE');
    expect(lab.getState().persistence.status.bgsaveInProgress).toBe(true);
    lab.getState().advance(200);
    expect(lab.getState().persistence.status).toMatchObject({ lastBgsaveStatus: 'err', bgsaveInProgress: false, rdbSaves: 2 });
  });
});

describe('structural sharing', () => {
  test('nothing changed: the same view; a tick while the child writes: the unchanged parts kept', () => {
    const lab = slowLab();
    const before = lab.getState().persistence;
    lab.getState().advance(1000);
    expect(lab.getState().persistence).toBe(before);
    lab.getState().runLine('BGSAVE');
    lab.getState().advance(100);
    const writing = lab.getState().persistence;
    lab.getState().advance(100);
    const after = lab.getState().persistence;
    expect(after.processes.child).not.toBe(writing.processes.child);
    expect(after.processes.grid).toBe(writing.processes.grid);
    expect(after.status).toBe(writing.status);
    expect(after.processes.child?.writtenBytes).toBe((writing.processes.child?.writtenBytes ?? 0) + 200);
  });

  test('a reset starts a fresh view', () => {
    const lab = slowLab();
    lab.getState().runLine('SAVE');
    lab.getState().reset();
    expect(lab.getState().persistence.disk.files).toEqual([]);
    expect(lab.getState().inspector).toBeNull();
  });
});
