import type { ChildPurpose, Engine, EngineEvent, ReapOutcome } from '../engine/index.ts';
import { AofRewriteTracker, startsWithRdbMagic, type AofRewriteView } from './aof-view.ts';
import { buildPageGrid, PageGridTracker, type PageGridView } from './page-grid-view.ts';

export { cellPages, cellState } from './page-grid-view.ts';
export type { CellState, PageGridView, TouchedPages } from './page-grid-view.ts';

/**
 * The persistence panels' view models, derived from the engine after every action: the processes
 * (the server, its fork child — BGSAVE's or the AOF rewrite's —, the memory pages they share), the
 * disk (the directory, each file's cached and durable bytes, what each AOF file is), the last AOF
 * rewrite step by step, the server log's last lines and the INFO persistence figures.
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

export type { ChildPurpose };

export interface ChildView {
  readonly pid: number;
  /** BGSAVE's child writes a snapshot; the AOF rewrite's writes the new base. Both are forks alike. */
  readonly purpose: ChildPurpose;
  /** What it writes: RDB (a snapshot, or a base with the RDB preamble) or RESP commands. */
  readonly format: 'rdb' | 'resp';
  readonly tempName: string;
  /** The name it renamed its finished file to (`dump.rdb`, `temp-rewriteaof-bg-<pid>.aof`), once it has. */
  readonly renamedTo: string | null;
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

/**
 * What the parent learnt when it last reaped a child (BGSAVE's or the AOF rewrite's). A rewrite
 * child the parent stopped itself (the AOF switched off) is no such news: the rewrite view tells
 * it. A BGSAVE child stopped by FLUSHALL or SHUTDOWN is: no other view tells that save's end.
 */
export interface ReapedView {
  readonly pid: number;
  readonly purpose: ChildPurpose;
  /** Its work taken, a failure, or stopped by the parent (SIGUSR1: neither). */
  readonly outcome: ReapOutcome;
  readonly ok: boolean;
  readonly exitCode: number | null;
  readonly signal: number | null;
  readonly atMs: number;
}

export interface ProcessesView {
  readonly parentPid: number;
  readonly child: ChildView | null;
  /** The parent's memory pages while it runs: its own, or shared with a fork child until it is reaped (./page-grid-view.ts). */
  readonly grid: PageGridView | null;
  readonly lastReaped: ReapedView | null;
  /** How long the last fork() blocked the parent, in microseconds (INFO latest_fork_usec). */
  readonly latestForkUs: number;
}

/** A file as the disk panel and the inspector show it: one of the server's, or one opened from the user's machine. */
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
  // Absent on a file opened from the user's machine, which is no file of the server's AOF.
  /** What the file is to the AOF (null: nothing, as dump.rdb). */
  readonly aofRole?: AofFileRole | null;
  /** For a base or a rewrite's temp file: RDB (the hybrid preamble) or RESP commands. */
  readonly aofFormat?: 'rdb' | 'resp' | null;
  /** The incr file the server appends its writes to now. */
  readonly appending?: boolean;
}

/** A file of the server's directory: what it is to the AOF is always told. */
export interface DiskFileRowView extends FileRowView {
  readonly aofRole: AofFileRole | null;
  readonly aofFormat: 'rdb' | 'resp' | null;
  readonly appending: boolean;
}

/** A file of the multi-part AOF, or a rewrite child's temp file on its way to becoming the base. */
export type AofFileRole = 'base' | 'incr' | 'manifest' | 'history' | 'rewrite-temp';

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
  readonly files: readonly DiskFileRowView[];
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
  /** The last AOF rewrite of this process, step by step (null until one forks). */
  readonly aofRewrite: AofRewriteView | null;
}

/** The node's parts the view reads. */
type PersistenceEngine = Pick<
  Engine,
  'pid' | 'rdb' | 'aof' | 'running' | 'pages' | 'dbs' | 'connectedClients' | 'disk' | 'serverLog' | 'dirty' | 'lastSaveMs' | 'lastBgsaveStatus' | 'config'
>;

/**
 * What the view remembers between builds, from the event stream: file identities across renames,
 * the last rename, the last reaped child. One per engine; a fresh node gets a fresh one.
 */
export class PersistenceTracker {
  private readonly fileIds = new Map<string, string>();
  private nextFileId = 1;
  lastRename: RenameView | null = null;
  lastReaped: ReapedView | null = null;
  readonly aofRewrite = new AofRewriteTracker();
  readonly pages = new PageGridTracker();
  /** The last child forked, and the name it renamed its finished file to. */
  private forkedPid: number | null = null;
  childRenamedTo: string | null = null;

  /** Follows what happened, in order. */
  observe(events: readonly EngineEvent[]): void {
    this.pages.observe(events);
    for (const event of events) {
      this.aofRewrite.observe(event);
      switch (event.type) {
        case 'fork.started':
          this.forkedPid = event.childPid;
          this.childRenamedTo = null;
          break;
        case 'file.created':
          this.idOf(event.name);
          break;
        case 'file.renamed': {
          const id = this.idOf(event.from);
          this.fileIds.delete(event.from);
          this.fileIds.set(event.to, id);
          this.lastRename = { from: event.from, to: event.to, replaced: event.replaced, by: event.by, atMs: event.atMs };
          if (event.by === this.forkedPid) this.childRenamedTo = event.to;
          break;
        }
        case 'file.deleted':
          this.fileIds.delete(event.name);
          break;
        case 'child.reaped':
          if (event.outcome !== 'stopped' || event.purpose === 'rdb') {
            const { pid, purpose, outcome, exitCode, signal, atMs } = event;
            this.lastReaped = { pid, purpose, outcome, ok: outcome === 'ok', exitCode, signal, atMs };
          }
          break;
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
  const aofRewrite = tracker.aofRewrite.build(engine, previous?.aofRewrite ?? null);
  if (
    previous !== null &&
    processes === previous.processes &&
    disk === previous.disk &&
    log === previous.log &&
    status === previous.status &&
    aofRewrite === previous.aofRewrite
  ) {
    return previous;
  }
  return { processes, disk, log, status, aofRewrite };
}

/** The server's one fork child, whichever job it does (Redis runs at most one at a time). */
function forkChild(engine: PersistenceEngine) {
  return engine.rdb.child ?? engine.aof.child ?? null;
}

function buildProcesses(
  engine: PersistenceEngine,
  tracker: PersistenceTracker,
  previous: ProcessesView | null,
  limits: PersistenceViewLimits,
): ProcessesView {
  const child = forkChild(engine);
  const childView: ChildView | null =
    child === null
      ? null
      : {
          pid: child.pid,
          purpose: child.purpose,
          format: child.purpose === 'rdb' || startsWithRdbMagic(child.bytes) ? 'rdb' : 'resp',
          tempName: child.tempName,
          renamedTo: tracker.childRenamedTo,
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
    grid: buildPageGrid(engine, tracker.pages, previous?.grid ?? null, limits.maxGridCells),
    lastReaped: tracker.lastReaped,
    latestForkUs: engine.rdb.latestForkUsec,
  };
}

function buildDisk(engine: PersistenceEngine, tracker: PersistenceTracker, previous: DiskView | null): DiskView {
  const child = forkChild(engine);
  const writingChild = child !== null && child.exit === null ? child : null;
  const previousRows = new Map(previous?.files.map((row) => [row.id, row]));
  const aof = aofFiles(engine);
  let maxFileBytes = 0;
  const files = engine.disk.list().map((file): DiskFileRowView => {
    maxFileBytes = Math.max(maxFileBytes, file.sizeBytes);
    const aofRole = aof.roleOf(file.name);
    const row: DiskFileRowView = {
      id: tracker.idOf(file.name),
      name: file.name,
      sizeBytes: file.sizeBytes,
      durableBytes: file.durableBytes,
      cachedBytes: file.sizeBytes - file.durableBytes,
      nameDurable: file.nameDurable,
      modifiedAtMs: file.modifiedAtMs,
      writerPid: writingChild !== null && writingChild.tempName === file.name ? writingChild.pid : null,
      aofRole,
      aofFormat: aofRole === 'base' ? (file.name.endsWith('.rdb') ? 'rdb' : 'resp') : aofRole === 'rewrite-temp' ? aof.rewriteFormat : null,
      appending: aofRole !== null && file.name === aof.appendingTo,
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

/**
 * What each file is to the AOF: the names in `appenddirname` say base, incr or manifest (as Redis
 * names them, whatever the manifest in memory holds, so a stopped server's files are still told
 * apart); the manifest's history lists the retired ones; the rewrite child's temp files are its own.
 */
function aofFiles(engine: PersistenceEngine) {
  const { aof } = engine;
  const dir = `${aof.dirName}/`;
  const stem = aof.baseName;
  const history = new Set(aof.manifest.history.map((info) => aof.path(info.fileName)));
  const rewriter = aof.child;
  const rewriteNames = rewriter === null ? [] : [rewriter.tempName, `temp-rewriteaof-bg-${rewriter.pid}.aof`];
  const roleOf = (name: string): AofFileRole | null => {
    if (rewriteNames.includes(name)) return 'rewrite-temp';
    if (!name.startsWith(dir)) return null;
    if (history.has(name)) return 'history';
    const file = name.slice(dir.length);
    if (file === `${stem}.manifest`) return 'manifest';
    if (!file.startsWith(`${stem}.`) && !file.startsWith(`temp-${stem}.`)) return null;
    if (/\.base\.(rdb|aof)$/.test(file)) return 'base';
    if (/\.incr(\.aof)?$/.test(file)) return 'incr';
    return null;
  };
  return {
    roleOf,
    appendingTo: aof.state === 'off' ? null : aof.writingTo,
    rewriteFormat: rewriter === null ? null : startsWithRdbMagic(rewriter.bytes) ? ('rdb' as const) : ('resp' as const),
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
