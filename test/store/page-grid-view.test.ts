import { describe, expect, test, vi } from 'vitest';

// The store works without React (zustand's vanilla store); prove it for the page grid too.
vi.mock('react', () => ({}));

const { createLabStore, cellState } = await import('../../src/store/index.ts');
const { MAX_TOUCHED_KEYS } = await import('../../src/store/page-grid-view.ts');
type LabStore = import('../../src/store/index.ts').LabStore;
type PageGridView = import('../../src/store/index.ts').PageGridView;

const EPOCH_MS = Date.UTC(2026, 0, 1, 9, 0, 0);

function newLab(maxGridCells?: number) {
  return createLabStore({ epochMs: EPOCH_MS, ...(maxGridCells === undefined ? {} : { persistenceLimits: { maxGridCells } }) });
}

function gridOf(lab: LabStore): PageGridView {
  const { grid } = lab.getState().persistence.processes;
  if (grid === null) throw new Error('no page grid');
  return grid;
}

/** INFO memory's used_memory, as the node reports it: the oracle for the page count. */
function usedMemory(lab: LabStore): number {
  const entry = lab.getState().runLine('INFO memory');
  const text = entry.output.kind === 'reply' ? entry.output.text : '';
  return Number(/used_memory:(\d+)/.exec(text)?.[1]);
}

/** The pages the engine itself reported copying, from the store's event log. */
function copiedPagesLogged(lab: LabStore): number[] {
  return lab
    .getState()
    .events.map((logged) => logged.event)
    .flatMap((event) => (event.type === 'page.copied' ? [event.page] : []));
}

describe('the parent’s pages before any fork', () => {
  test('a fresh node: used_memory cut into 4 KiB pages, its own, one page a cell', () => {
    const lab = newLab();
    const grid = gridOf(lab);
    expect(grid).toMatchObject({ sharing: 'own', pageSizeBytes: 4096, pagesPerCell: 1, copiedPages: 0, cowBytes: 0, touched: null });
    expect(grid.pageCount).toBe(Math.ceil(usedMemory(lab) / 4096));
    expect(grid.copiedPerCell).toHaveLength(grid.pageCount);
    expect(cellState(grid, 0)).toBe('own');
  });

  test('writes grow the pages and say which they touched; a read changes nothing', () => {
    const lab = newLab();
    const before = gridOf(lab);
    // 40,000 bytes span ten pages of 4 KiB: the key's run of pages.
    lab.getState().runLine(`SET big ${'x'.repeat(40_000)}`);
    const grown = gridOf(lab);
    expect(grown.pageCount).toBe(Math.ceil(usedMemory(lab) / 4096));
    expect(grown.pageCount).toBeGreaterThanOrEqual(before.pageCount + 9);
    expect(grown.touched).toMatchObject({ id: 1, pages: 10 });
    expect(grown.touched?.cells).toHaveLength(10);

    lab.getState().runLine('SET small 1');
    const small = gridOf(lab);
    expect(small.touched).toMatchObject({ id: 2, pages: 1 });
    expect(small.touched?.cells).toHaveLength(1);

    lab.getState().runLine('GET small');
    lab.getState().advance(1000);
    expect(gridOf(lab)).toBe(small);
  });

  test('DEBUG POPULATE grows the pages without a write to ring (it propagates nothing)', () => {
    const lab = newLab();
    lab.getState().runLine('DEBUG POPULATE 2000');
    const grid = gridOf(lab);
    expect(grid.pageCount).toBe(Math.ceil(usedMemory(lab) / 4096));
    expect(grid.pageCount).toBeGreaterThan(256);
    expect(grid.touched).toBeNull();
  });

  test('SIM SET page-size cuts the same memory into other pages', () => {
    const lab = newLab();
    lab.getState().runLine('SIM SET page-size 65536');
    const grid = gridOf(lab);
    expect(grid.pageSizeBytes).toBe(65536);
    expect(grid.pageCount).toBe(Math.ceil(usedMemory(lab) / 65536));
  });

  test('no grid while no server process runs; a fresh one after the restart', () => {
    const lab = newLab();
    lab.getState().runLine('SET a 1');
    lab.getState().runLine('SIM CRASH PROCESS');
    expect(lab.getState().persistence.processes.grid).toBeNull();
    lab.getState().runLine('SIM RESTART');
    // INFO first: the console connects to the new process with it, and a client's buffers are memory too.
    const used = usedMemory(lab);
    expect(gridOf(lab)).toMatchObject({ sharing: 'own', pageCount: Math.ceil(used / 4096), touched: null });
  });

  test('a write naming many keys looks up only the latest ones', () => {
    const lab = newLab();
    const pairs = Array.from({ length: 200 }, (_, i) => `k${i} v`).join(' ');
    lab.getState().runLine(`MSET ${pairs}`);
    const touched = gridOf(lab).touched;
    expect(MAX_TOUCHED_KEYS).toBe(64);
    expect(touched?.pages).toBeGreaterThan(1);
    expect(touched?.pages).toBeLessThanOrEqual(MAX_TOUCHED_KEYS);
  });
});

describe('the same pages through a fork', () => {
  test('BGSAVE shares the very grid the parent had; a key rings before the fork the page a write during it copies', () => {
    const lab = newLab();
    lab.getState().runLine('SIM SET disk-mbps 0.002');
    lab.getState().runLine('DEBUG POPULATE 100');
    lab.getState().runLine('SET key:7 x');
    const before = gridOf(lab);
    const ringedBefore = before.touched?.cells;
    expect(ringedBefore).toHaveLength(1);

    lab.getState().runLine('BGSAVE');
    const forked = lab.getState().events.find((logged) => logged.event.type === 'fork.started')?.event;
    const shared = gridOf(lab);
    expect(forked).toMatchObject({ pageCount: before.pageCount });
    expect(shared).toMatchObject({ sharing: 'shared', pageCount: before.pageCount, pagesPerCell: before.pagesPerCell, copiedPages: 0 });
    expect(cellState(shared, 0)).toBe('shared');

    lab.getState().runLine('SET key:7 y');
    const written = gridOf(lab);
    const copied = copiedPagesLogged(lab);
    expect(copied).toHaveLength(1);
    expect(written.copiedPages).toBe(1);
    expect(written.touched?.cells).toEqual(ringedBefore);
    expect(copied.map((page) => Math.floor(page / written.pagesPerCell))).toEqual(ringedBefore);

    // A second write to the copied page copies nothing more, but still rings it.
    lab.getState().runLine('SET key:7 z');
    expect(gridOf(lab)).toMatchObject({ copiedPages: 1, touched: { id: (written.touched?.id ?? 0) + 1, cells: ringedBefore } });

    // The reap: the parent's own pages again, cut from its memory now; no stale ring.
    lab.getState().advance(60_000);
    expect(lab.getState().persistence.processes.child).toBeNull();
    const after = gridOf(lab);
    expect(after).toMatchObject({ sharing: 'own', copiedPages: 0, pageCount: Math.ceil(usedMemory(lab) / 4096) });
  });
});

describe('a function of the node and its events, not of how often it was built', () => {
  const LINES = [
    'SET a 1',
    'DEBUG POPULATE 300',
    `SET big ${'x'.repeat(9000)}`,
    'SIM SET disk-mbps 0.002',
    'BGSAVE',
    'SET key:3 changed',
    'MULTI',
    'INCR n',
    'SET key:9 y',
    'EXEC',
    'GET a',
  ];

  test('the live run, line by line, and the same lines replayed at once show the same grid at each step', () => {
    const live = newLab();
    for (const [index, line] of LINES.entries()) {
      live.getState().runLine(line);
      const replayed = newLab();
      replayed.getState().loadScenario(LINES.slice(0, index + 1));
      expect(gridOf(replayed)).toEqual(gridOf(live));
    }
    // The transaction is one write: its two keys' pages, ringed together.
    expect(gridOf(live).touched?.pages).toBe(2);
  });

  test('a fork, a reap, DEBUG and SIM SET page-size cut the pages anew: the last write is no longer ringed', () => {
    const lab = newLab();
    for (const [cut, expectRing] of [
      ['SET a 0', true],
      ['BGSAVE', false],
      ['SET a 1', true],
      // The reap, at the next cron tick.
      ['SIM ADVANCE 1000', false],
      ['SET a 1', true],
      ['DEBUG POPULATE 10', false],
      ['SET a 2', true],
      ['SIM SET page-size 8192', false],
      ['SET a 3', true],
      ['SIM ADVANCE 1000', true],
    ] as const) {
      lab.getState().runLine(cut);
      expect(gridOf(lab).touched !== null).toBe(expectRing);
    }
  });
});

describe('the grid is bounded', () => {
  test('DEBUG POPULATE 100000: a few thousand pages in at most 256 cells, each cell standing for a run of them', () => {
    const lab = newLab();
    lab.getState().runLine('DEBUG POPULATE 100000');
    const grid = gridOf(lab);
    expect(grid.pageCount).toBe(Math.ceil(usedMemory(lab) / 4096));
    expect(grid.pagesPerCell).toBe(Math.ceil(grid.pageCount / 256));
    expect(grid.copiedPerCell.length).toBeLessThanOrEqual(256);
    expect(grid.copiedPerCell.length).toBe(Math.ceil(grid.pageCount / grid.pagesPerCell));
    // A quiet clock tick estimates nothing again: the same grid.
    lab.getState().advance(500);
    expect(gridOf(lab)).toBe(grid);
    // A write rings the one cell its page sits in.
    lab.getState().runLine('SET key:1 changed');
    expect(gridOf(lab).touched?.cells).toHaveLength(1);
  });

  test('a limit of 16 cells, with 64-byte pages by the hundred thousand', () => {
    const lab = newLab(16);
    lab.getState().runLine('SIM SET page-size 64');
    lab.getState().runLine('DEBUG POPULATE 20000');
    const grid = gridOf(lab);
    expect(grid.pageCount).toBe(Math.ceil(usedMemory(lab) / 64));
    expect(grid.pageCount).toBeGreaterThan(40_000);
    expect(grid.copiedPerCell).toHaveLength(16);
    expect(grid.pagesPerCell).toBe(Math.ceil(grid.pageCount / 16));
    lab.getState().runLine('BGSAVE');
    lab.getState().runLine('SET key:1 changed');
    const shared = gridOf(lab);
    expect(shared.copiedPerCell).toHaveLength(16);
    expect(shared.copiedPerCell.reduce((sum, copied) => sum + copied, 0)).toBe(shared.copiedPages);
    expect(shared.copiedPages).toBeGreaterThan(0);
    expect(shared.copiedPerCell.map((_, cell) => cellState(shared, cell))).toContain('partly-copied');
  });
});
