import type { Engine, EngineEvent } from '../engine/index.ts';

/**
 * The persistence panels' view models, derived from the engine after every action: the processes
 * (the server, its fork child, the memory pages they share), the disk (the directory, each file's
 * cached and durable bytes), the server log's last lines and the INFO persistence figures.
 *
 * Everything is bounded whatever the node holds: the page grid has at most `maxGridCells` cells
 * (a cell then stands for a run of pages, and says how many), the log keeps `logLines` lines, and
 * the directory is small by nature. Parts that did not change are the previous objects, so the
 * store can rebuild this on every clock tick and React re-renders only what moved.
 */

export interface PersistenceViewLimits {
  /** At most this many cells in a page grid; beyond, each cell stands for several pages. */
  readonly maxGridCells: number;
  readonly logLines: number;
}

export const DEFAULT_PERSISTENCE_LIMITS: PersistenceViewLimits = { maxGridCells: 256, logLines: 12 };

/** The memory pages a fork shares, as a bounded grid. */
export interface PageGridView {
  readonly pageCount: number;
  readonly pageSizeBytes: number;
  /** Pages each cell stands for (1 when the grid shows every page); the last cell may hold fewer. */
  readonly pagesPerCell: number;
  /** For each cell, how many of its pages the parent has copied. */
  readonly copiedPerCell: readonly number[];
  readonly copiedPages: number;
  /** Bytes copied since the fork (INFO's Fork CoW). */
  readonly cowBytes: number;
}

export type CellState = 'shared' | 'partly-copied' | 'copied';

/** The pages cell `index` stands for: [first, first + count). */
export function cellPages(grid: PageGridView, index: number): { first: number; count: number } {
  const first = index * grid.pagesPerCell;
  return { first, count: Math.max(0, Math.min(grid.pagesPerCell, grid.pageCount - first)) };
}

export function cellState(grid: PageGridView, index: number): CellState {
  const copied = grid.copiedPerCell[index] ?? 0;
  if (copied === 0) return 'shared';
  return copied >= cellPages(grid, index).count ? 'copied' : 'partly-copied';
}

export interface ChildView {
  readonly pid: number;
  readonly purpose: 'rdb';
  readonly tempName: string;
  readonly startedAtMs: number;
  /** Bytes of the snapshot written to the temp file so far, and in all. */
  readonly writtenBytes: number;
  readonly totalBytes: number;
  readonly keysTotal: number;
  /**
   * `writing` while it works; `exited` once it has ended but the parent has not yet noticed (it
   * reaps children in serverCron, at its next tick).
   */
  readonly state: 'writing' | 'exited';
  readonly exit: { readonly atMs: number; readonly code: number | null; readonly signal: number | null } | null;
}

/** What the parent learnt when it reaped its last child. */
export interface ReapedView {
  readonly pid: number;
  readonly ok: boolean;
  readonly exitCode: number | null;
  readonly signal: number | null;
  readonly atMs: number;
}

export interface ProcessesView {
  readonly parentPid: number;
  readonly child: ChildView | null;
  /** Present while a fork child shares the parent's pages (until the child is reaped). */
  readonly grid: PageGridView | null;
  readonly lastReaped: ReapedView | null;
  /** How long the last fork() blocked the parent, in microseconds (INFO latest_fork_usec). */
  readonly latestForkUs: number;
}

export interface FileRowView {
  /**
   * Stable identity of the file (its inode, as far as the panel can tell): it follows a rename, so
   * `temp-4243.rdb` becoming `dump.rdb` is the same row changing its name.
   */
  readonly id: string;
  readonly name: string;
  readonly sizeBytes: number;
  readonly durableBytes: number;
  /** Bytes only in the page cache: lost on power loss. */
  readonly cachedBytes: number;
  /** False while the name itself is not yet durable (no directory fsync since it appeared). */
  readonly nameDurable: boolean;
  readonly modifiedAtMs: number;
  /** The process writing the file now, if any. */
  readonly writerPid: number | null;
}

export interface RenameView {
  readonly from: string;
  readonly to: string;
  readonly replaced: boolean;
  readonly by: number;
  readonly atMs: number;
}

export interface DiskView {
  /** The `dir` directive: the directory listed. */
  readonly dir: string;
  readonly dbfilename: string;
  readonly files: readonly FileRowView[];
  /** The largest file, so every bar shares one scale. */
  readonly maxFileBytes: number;
  readonly fault: 'ok' | 'full' | 'eio';
  readonly diskMbPerSecond: number;
  readonly lastRename: RenameView | null;
}

/** INFO persistence's RDB fields. */
export interface PersistenceStatusView {
  readonly changesSinceLastSave: number;
  readonly lastSaveMs: number;
  readonly lastBgsaveStatus: 'ok' | 'err';
  readonly bgsaveInProgress: boolean;
  readonly rdbSaves: number;
}

export interface PersistenceView {
  readonly processes: ProcessesView;
  readonly disk: DiskView;
  /** The server log's last lines, oldest first, as redis-server writes them. */
  readonly log: readonly string[];
  readonly status: PersistenceStatusView;
}

type PersistenceEngine = Pick<Engine, 'pid' | 'rdb' | 'pages' | 'disk' | 'serverLog' | 'dirty' | 'lastSaveMs' | 'lastBgsaveStatus' | 'config'>;

/**
 * What the view remembers between builds, from the event stream: file identities across renames,
 * the last rename, the last reaped child. One per engine; a fresh node gets a fresh one.
 */
export class PersistenceTracker {
  private readonly fileIds = new Map<string, string>();
  private nextFileId = 1;
  lastRename: RenameView | null = null;
  lastReaped: ReapedView | null = null;
  private readonly exits = new Map<number, { code: number | null; signal: number | null }>();

  /** Follows what happened, in order. */
  observe(events: readonly EngineEvent[]): void {
    for (const event of events) {
      switch (event.type) {
        case 'file.created':
          this.idOf(event.name);
          break;
        case 'file.renamed': {
          const id = this.idOf(event.from);
          this.fileIds.delete(event.from);
          this.fileIds.set(event.to, id);
          this.lastRename = { from: event.from, to: event.to, replaced: event.replaced, by: event.by, atMs: event.atMs };
          break;
        }
        case 'file.deleted':
          this.fileIds.delete(event.name);
          break;
        case 'child.exited':
          this.exits.set(event.pid, { code: event.exitCode, signal: event.signal });
          break;
        case 'bgsave.finished': {
          const exit = this.exits.get(event.childPid);
          this.exits.delete(event.childPid);
          this.lastReaped = {
            pid: event.childPid,
            ok: event.ok,
            exitCode: exit?.code ?? null,
            signal: exit?.signal ?? null,
            atMs: event.atMs,
          };
          break;
        }
      }
    }
  }

  /** The row identity for a name, made up for a file the panel has not seen appear. */
  idOf(name: string): string {
    let id = this.fileIds.get(name);
    if (id === undefined) {
      id = `file-${this.nextFileId++}`;
      this.fileIds.set(name, id);
    }
    return id;
  }
}

/** Builds the view; parts equal to those of `previous` are reused. */
export function buildPersistenceView(
  engine: PersistenceEngine,
  tracker: PersistenceTracker,
  previous: PersistenceView | null = null,
  limits: PersistenceViewLimits = DEFAULT_PERSISTENCE_LIMITS,
): PersistenceView {
  const processes = reuse(previous?.processes, buildProcesses(engine, tracker, previous?.processes ?? null, limits), sameProcesses);
  const disk = reuse(previous?.disk, buildDisk(engine, tracker, previous?.disk ?? null), sameDisk);
  const log = reuse(previous?.log, engine.serverLog.slice(-limits.logLines), sameList);
  const status = reuse(previous?.status, buildStatus(engine), shallowEqual);
  if (previous !== null && processes === previous.processes && disk === previous.disk && log === previous.log && status === previous.status) {
    return previous;
  }
  return { processes, disk, log, status };
}

function buildProcesses(
  engine: PersistenceEngine,
  tracker: PersistenceTracker,
  previous: ProcessesView | null,
  limits: PersistenceViewLimits,
): ProcessesView {
  const child = engine.rdb.child;
  const childView: ChildView | null =
    child === null
      ? null
      : {
          pid: child.pid,
          purpose: 'rdb',
          tempName: child.tempName,
          startedAtMs: child.startedAtMs,
          writtenBytes: child.written,
          totalBytes: child.bytes.length,
          keysTotal: child.keysTotal,
          state: child.exit === null ? 'writing' : 'exited',
          exit: child.exit === null ? null : { atMs: child.exit.atMs, code: child.exit.code, signal: child.exit.signal },
        };
  return {
    parentPid: engine.pid,
    child: reuse(previous?.child ?? undefined, childView, sameChild),
    grid: buildGrid(engine, previous?.grid ?? null, limits),
    lastReaped: tracker.lastReaped,
    latestForkUs: engine.rdb.latestForkUsec,
  };
}

function buildGrid(engine: PersistenceEngine, previous: PageGridView | null, limits: PersistenceViewLimits): PageGridView | null {
  const fork = engine.pages.fork;
  if (fork === null) return null;
  const { pageCount, copied } = fork;
  const pageSizeBytes = engine.pages.pageSizeBytes;
  // Copied pages only ever grow during a fork, so the same count means the same pages.
  if (previous !== null && previous.pageCount === pageCount && previous.copiedPages === copied.size && previous.pageSizeBytes === pageSizeBytes) {
    return previous;
  }
  const pagesPerCell = Math.max(1, Math.ceil(pageCount / Math.max(1, limits.maxGridCells)));
  const copiedPerCell = new Array<number>(Math.ceil(pageCount / pagesPerCell)).fill(0);
  for (const page of copied) {
    const cell = Math.floor(page / pagesPerCell);
    copiedPerCell[cell] = (copiedPerCell[cell] ?? 0) + 1;
  }
  return { pageCount, pageSizeBytes, pagesPerCell, copiedPerCell, copiedPages: copied.size, cowBytes: engine.pages.cowBytes };
}

function buildDisk(engine: PersistenceEngine, tracker: PersistenceTracker, previous: DiskView | null): DiskView {
  const child = engine.rdb.child;
  const writingChild = child !== null && child.exit === null ? child : null;
  const previousRows = new Map(previous?.files.map((row) => [row.id, row]));
  let maxFileBytes = 0;
  const files = engine.disk.list().map((file): FileRowView => {
    maxFileBytes = Math.max(maxFileBytes, file.sizeBytes);
    const row: FileRowView = {
      id: tracker.idOf(file.name),
      name: file.name,
      sizeBytes: file.sizeBytes,
      durableBytes: file.durableBytes,
      cachedBytes: file.sizeBytes - file.durableBytes,
      nameDurable: file.nameDurable,
      modifiedAtMs: file.modifiedAtMs,
      writerPid: writingChild !== null && writingChild.tempName === file.name ? writingChild.pid : null,
    };
    return reuse(previousRows.get(row.id), row, shallowEqual);
  });
  return {
    dir: engine.config.get('dir'),
    dbfilename: engine.config.get('dbfilename'),
    files: reuse(previous?.files, files, sameList),
    maxFileBytes,
    fault: engine.disk.fault,
    diskMbPerSecond: engine.rdb.model.diskMbPerSecond,
    lastRename: tracker.lastRename,
  };
}

function buildStatus(engine: PersistenceEngine): PersistenceStatusView {
  return {
    changesSinceLastSave: engine.dirty,
    lastSaveMs: engine.lastSaveMs,
    lastBgsaveStatus: engine.lastBgsaveStatus,
    bgsaveInProgress: engine.rdb.child !== null,
    rdbSaves: engine.rdb.saves,
  };
}

// ---- structural sharing ----------------------------------------------------------------------------

function reuse<T>(old: T | undefined, fresh: T, same: (a: T, b: T) => boolean): T {
  return old !== undefined && same(old, fresh) ? old : fresh;
}

function shallowEqual<T extends object>(a: T, b: T): boolean {
  if (a === b) return true;
  for (const key of Object.keys(a) as (keyof T)[]) if (a[key] !== b[key]) return false;
  return Object.keys(a).length === Object.keys(b).length;
}

/** Element-wise identity: lists whose elements were themselves reused compare equal. */
function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

function sameChild(a: ChildView | null, b: ChildView | null): boolean {
  if (a === null || b === null) return a === b;
  return shallowEqual({ ...a, exit: null }, { ...b, exit: null }) && (a.exit === b.exit || (a.exit !== null && b.exit !== null && shallowEqual(a.exit, b.exit)));
}

function sameProcesses(a: ProcessesView, b: ProcessesView): boolean {
  return shallowEqual(a, b);
}

function sameDisk(a: DiskView, b: DiskView): boolean {
  return shallowEqual(a, b);
}
