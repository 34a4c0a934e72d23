import type { Engine, EngineEvent } from '../engine/index.ts';
import { PageTable } from '../engine/memory/page-table.ts';
import { estimateMemory, valueBytes } from '../engine/memory/usage.ts';
import { keysOfCommand } from '../engine/commands/key-positions.ts';

/**
 * The parent's memory pages as a bounded grid, at all times while the server runs: before any fork
 * the pages are redis-server's own (its used_memory cut into `page-size` pages, exactly as a fork
 * would cut them now); during a fork they are the very pages the child shares, some copied since.
 * So the grid a student watched grow is the grid that becomes shared at BGSAVE.
 *
 * A write's pages are found with the engine's own page table (the run of pages a key occupies), so
 * a key lights up before a fork on the page a write during a fork would copy.
 *
 * Bounded whatever the node holds: at most `maxCells` cells (a cell then stands for a run of
 * pages), at most `MAX_TOUCHED_KEYS` keys looked up for the last write, and used_memory read from
 * what the engine keeps up to date (O(databases), never a walk of the keys).
 *
 * The view is a function of the node and of the event stream alone, never of how often it was
 * built: a seek that replays the tape in one go shows what the live run showed (the timeline's
 * property test holds the store to that).
 */

/** The memory pages of the parent, as a bounded grid. */
export interface PageGridView {
  /** `own` while redis-server alone maps its pages; `shared` while a fork child maps them too. */
  readonly sharing: 'own' | 'shared';
  readonly pageCount: number;
  readonly pageSizeBytes: number;
  /** used_memory the pages hold while the parent has them alone (null while shared: they were cut at the fork). */
  readonly usedMemoryBytes: number | null;
  /** Pages each cell stands for (1 when the grid shows every page); the last cell may hold fewer. */
  readonly pagesPerCell: number;
  /** For each cell, how many of its pages the parent has copied (all 0 while the pages are its own). */
  readonly copiedPerCell: readonly number[];
  readonly copiedPages: number;
  /** Bytes copied since the fork (INFO's Fork CoW). */
  readonly cowBytes: number;
  /** The pages the last write touched, or null (no write yet, or the pages were cut anew since). */
  readonly touched: TouchedPages | null;
}

export interface TouchedPages {
  /** Counts the node's writes: a new write, even to the same pages, is a new id. */
  readonly id: number;
  /** The cells holding those pages, ascending. */
  readonly cells: readonly number[];
  readonly pages: number;
}

export type CellState = 'own' | 'shared' | 'partly-copied' | 'copied';

/** The pages cell `index` stands for: [first, first + count). */
export function cellPages(grid: PageGridView, index: number): { first: number; count: number } {
  const first = index * grid.pagesPerCell;
  return { first, count: Math.max(0, Math.min(grid.pagesPerCell, grid.pageCount - first)) };
}

export function cellState(grid: PageGridView, index: number): CellState {
  if (grid.sharing === 'own') return 'own';
  const copied = grid.copiedPerCell[index] ?? 0;
  if (copied === 0) return 'shared';
  return copied >= cellPages(grid, index).count ? 'copied' : 'partly-copied';
}

/** Keys of the last write looked up (its latest): an MSET of thousands stays cheap. */
export const MAX_TOUCHED_KEYS = 64;

/** Events after which the pages are cut anew, so the last write's ring no longer stands where it was. */
const CUTS_PAGES = new Set<EngineEvent['type']>(['fork.started', 'child.reaped', 'bgsave.finished', 'process.started', 'process.crashed', 'keyspace.loaded', 'db.flushed']);

/** A command that changes memory or the page size without propagating: DEBUG POPULATE, DEBUG RELOAD, SIM SET page-size. */
function recutsSilently(argv: readonly string[]): boolean {
  const name = (argv[0] ?? '').toLowerCase();
  return name === 'debug' || (name === 'sim' && (argv[1] ?? '').toLowerCase() === 'set' && (argv[2] ?? '').toLowerCase() === 'page-size');
}

/**
 * What the grid learns from the event stream: the last write (a run of `command.propagated`
 * events: one command, or one MULTI … EXEC, as the AOF gets it) and the keys it named, and whether
 * the pages were cut anew since. One per engine.
 */
export class PageGridTracker {
  /** Writes seen: the last one's number. */
  writes = 0;
  /** The keys the last write named (its latest `MAX_TOUCHED_KEYS`). */
  lastWriteKeys: { readonly db: number; readonly key: string }[] = [];
  /** The pages were cut anew after the last write. */
  cutSinceWrite = false;
  private inWrite = false;

  observe(events: readonly EngineEvent[]): void {
    for (const event of events) {
      if (CUTS_PAGES.has(event.type)) this.cutSinceWrite = true;
      if (event.type !== 'command.propagated') {
        this.inWrite = false;
        if (event.type === 'command.executed' && recutsSilently(event.argv)) this.cutSinceWrite = true;
        continue;
      }
      if (!this.inWrite) {
        this.inWrite = true;
        this.writes++;
        this.lastWriteKeys = [];
        this.cutSinceWrite = false;
      }
      // The propagated form names the same keys (SET … PXAT, PEXPIREAT, DEL of an expired key);
      // MULTI and EXEC (database -1) name none.
      if (event.db < 0) continue;
      for (const key of keysOfCommand((event.argv[0] ?? '').toLowerCase(), event.argv)) this.lastWriteKeys.push({ db: event.db, key });
      if (this.lastWriteKeys.length > 2 * MAX_TOUCHED_KEYS) this.lastWriteKeys = this.lastWriteKeys.slice(-MAX_TOUCHED_KEYS);
    }
  }
}

export type GridEngine = Pick<Engine, 'pages' | 'dbs' | 'connectedClients'> & Partial<Pick<Engine, 'running'>>;

/** The grid now; `previous` when nothing it shows changed. Null while no server process runs. */
export function buildPageGrid(engine: GridEngine, tracker: PageGridTracker, previous: PageGridView | null, maxCells: number): PageGridView | null {
  if (engine.running === false) return null;
  const { fork, pageSizeBytes } = engine.pages;
  let table: PageTable = engine.pages;
  let pageCount: number;
  let usedMemoryBytes: number | null = null;
  if (fork === null) {
    // The pages a fork would share now, cut by the engine's own page table.
    usedMemoryBytes = estimateMemory(engine).used;
    table = new PageTable();
    table.pageSizeBytes = pageSizeBytes;
    pageCount = table.startFork(usedMemoryBytes);
  } else {
    pageCount = fork.pageCount;
  }
  const sharing = fork === null ? 'own' : 'shared';
  const copiedPages = fork?.copied.size ?? 0;
  const pagesPerCell = Math.max(1, Math.ceil(pageCount / Math.max(1, maxCells)));
  const sameCells = previous !== null && previous.sharing === sharing && previous.pageCount === pageCount && previous.pagesPerCell === pagesPerCell;
  const ringed = tracker.writes > 0 && !tracker.cutSinceWrite && tracker.lastWriteKeys.length > 0;
  // The same write on the same cells: the same ring (its pages are where they were).
  const touched = !ringed
    ? null
    : sameCells && previous.touched?.id === tracker.writes
      ? previous.touched
      : touchedPages(engine, tracker, table, pagesPerCell);
  // Copied pages only ever grow during a fork, so the same count means the same pages.
  const sameCopies = sameCells && previous.copiedPages === copiedPages;
  if (sameCopies && previous.pageSizeBytes === pageSizeBytes && previous.usedMemoryBytes === usedMemoryBytes && previous.touched === touched) return previous;
  return {
    sharing,
    pageCount,
    pageSizeBytes,
    usedMemoryBytes,
    pagesPerCell,
    copiedPerCell: sameCopies ? previous.copiedPerCell : copiedPerCell(fork?.copied ?? null, pageCount, pagesPerCell),
    copiedPages,
    cowBytes: engine.pages.cowBytes,
    touched,
  };
}

function copiedPerCell(copied: ReadonlySet<number> | null, pageCount: number, pagesPerCell: number): number[] {
  const perCell = new Array<number>(Math.ceil(pageCount / pagesPerCell)).fill(0);
  for (const page of copied ?? []) {
    const cell = Math.floor(page / pagesPerCell);
    perCell[cell] = (perCell[cell] ?? 0) + 1;
  }
  return perCell;
}

/** The cells of the pages the last write's keys sit on, sized by their values as they are now. */
function touchedPages(engine: GridEngine, tracker: PageGridTracker, table: PageTable, pagesPerCell: number): TouchedPages {
  const pages = new Set<number>();
  for (const { db, key } of tracker.lastWriteKeys.slice(-MAX_TOUCHED_KEYS)) {
    const value = engine.dbs[db]?.data.get(key);
    // The size the engine's copy-on-write gives a key: its name and its value's footprint.
    for (const page of table.pagesOf(db, key, key.length + (value === undefined ? 0 : valueBytes(value)))) pages.add(page);
  }
  const cells = [...new Set([...pages].map((page) => Math.floor(page / pagesPerCell)))].sort((a, b) => a - b);
  return { id: tracker.writes, cells, pages: pages.size };
}
