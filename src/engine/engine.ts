import { error, OK, QUEUED, type Reply } from '../codec/reply.ts';
import { splitArgs } from '../codec/split-args.ts';
import { utf8ToBin } from '../codec/bytes.ts';
import { COMMAND_TABLE, type CommandContext, type CommandSpec } from './commands/index.ts';
import { CONNECTION_CLOSED } from './commands/server.ts';
import { REDIS_7_COMMANDS } from './commands/redis-commands.ts';
import { Config, DEFAULT_CONFIG } from './config.ts';
import { Db } from './keyspace/db.ts';
import type { RedisValue } from './keyspace/values.ts';
import type { Client } from './client.ts';
import type { EngineEvent, EngineEventType, EventListener, LogLevel } from './events.ts';
import { formatLogLine } from './log-format.ts';
import { Random } from './random.ts';
import { MISCONF, SERVER_NOT_RUNNING, wrongArity } from './errors.ts';
import { VirtualDisk, type DiskChange } from './disk/virtual-disk.ts';
import { PageTable } from './memory/page-table.ts';
import { valueBytes } from './memory/usage.ts';
import { RdbPersistence } from './persistence/rdb-persistence.ts';
import { AofPersistence } from './persistence/aof-persistence.ts';
import { keysOfCommand } from './commands/key-positions.ts';
import { diskBytesPerMs, type ForkChild } from './persistence/fork-child.ts';
import { drain, startupLoad, type LoadFailureKind, type LoadOutcome, type LoadSteps } from './persistence/rdb-load.ts';
import { WriteLedger, type RecoveryReport } from './persistence/recovery-report.ts';
import { copyState } from './state-copy.ts';
import { WatchTable } from './watch.ts';
import { cursorAt, cursorPosition, type NodeCheckpoint } from './checkpoint.ts';

/**
 * The engine: one deterministic Redis 7.0 node.
 *
 * Its whole interface is text: `run(line)` takes a line as redis-cli would send it, `execute(argv)`
 * an already split command. Simulated time is unix milliseconds and moves only through
 * `advance(ms)` / `advanceTo(ms)`, which run serverCron at `hz`; randomness comes from a seeded
 * generator. The same inputs therefore always give the same replies, events and files, which is
 * what makes replay, rewind, permalinks and the tests exact.
 */

export const DB_COUNT = 16;
/** The browser lab's default start: 1 Jan 2026, 09:00 UTC. Headless mode starts at the wall clock. */
export const DEFAULT_EPOCH_MS = Date.UTC(2026, 0, 1, 9, 0, 0);
/** Redis's active expiry samples this many keys per loop and loops again while over 10% had expired. */
const ACTIVE_EXPIRE_KEYS_PER_LOOP = 20;
const ACTIVE_EXPIRE_MAX_LOOPS = 16;
/** How many lines of server log the engine keeps; older lines have been delivered as events. */
const LOG_LINES_KEPT = 1000;
/** What every command without the `loading` flag answers while the dataset is being loaded. */
const LOADING = error('LOADING Redis is loading the dataset in memory');

/** A load in progress: its steps, and how far the disk has got (INFO loading_* fields). */
interface LoadJob {
  readonly steps: LoadSteps;
  startedAtMs: number;
  readonly totalBytes: number;
  readonly bytesPerMs: number;
  /** When the next step may run (the bytes it needs have been read). */
  resumeAtMs: number;
  /** used-mem of the RDB being read, once its AUX field has been met (loading_rdb_used_mem). */
  rdbUsedMem: number;
  /** A restart reports what survived; the first start has nothing to report. */
  readonly reports: boolean;
}

/** A load in progress, as INFO persistence reports it. */
export interface LoadingStatus {
  readonly startedAtMs: number;
  readonly totalBytes: number;
  readonly loadedBytes: number;
  readonly rdbUsedMem: number;
}

export interface EngineOptions {
  /** Simulated unix ms at start. */
  readonly epochMs?: number;
  /** Seed of the generator behind SPOP, SRANDMEMBER and friends. */
  readonly seed?: number;
  /** The server's pid in logs and INFO; child pids count up from it. */
  readonly pid?: number;
  /** TCP port shown in logs and INFO (the headless server's real port). */
  readonly port?: number;
  /** Startup configuration, as redis.conf or `--directive value` options would give it. */
  readonly config?: Readonly<Record<string, string>>;
  /**
   * redis-server was started with a configuration file (the lab's redis.conf), which CONFIG
   * REWRITE then writes. Default false: like `redis-server --port …` with options only, CONFIG
   * REWRITE answers that the server is running without a config file.
   */
  readonly configFile?: boolean;
  /**
   * redis-server keeps a pid file (daemonized, or `--pidfile`) and removes it at SHUTDOWN, saying
   * so in its log. Default true: the lab models a daemonized install, as Debian's package runs it.
   */
  readonly pidFile?: boolean;
  /** Files already in `dir` at start (dump.rdb, stale temp files…), put on the virtual disk before the load. */
  readonly files?: Readonly<Record<string, Uint8Array>>;
}

/** What running one typed line gave. */
export type LineResult =
  | { readonly kind: 'reply'; readonly reply: Reply }
  /** redis-cli refuses a line with unbalanced quotes before sending it. */
  | { readonly kind: 'invalid' }
  /** A blank line sends nothing. */
  | { readonly kind: 'empty' };

/** Counters behind INFO stats. */
export interface Stats {
  totalCommandsProcessed: number;
  totalConnectionsReceived: number;
  expiredKeys: number;
  keyspaceHits: number;
  keyspaceMisses: number;
  /** Error replies sent to clients (INFO stats total_error_replies)… */
  errorReplies: number;
  /** …and by error code, the reply's first word (INFO errorstats). */
  errorCodes: Map<string, number>;
}

/** The counters of a new process, and after CONFIG RESETSTAT. */
export function freshStats(): Stats {
  return { totalCommandsProcessed: 0, totalConnectionsReceived: 0, expiredKeys: 0, keyspaceHits: 0, keyspaceMisses: 0, errorReplies: 0, errorCodes: new Map() };
}

export class Engine {
  nowMs: number;
  startedAtMs: number;
  pid: number;
  readonly port: number;
  config: Config;
  /** Whether redis-server was started with a configuration file (see EngineOptions.configFile). */
  readonly hasConfigFile: boolean;
  /** Whether redis-server keeps a pid file (see EngineOptions.pidFile). */
  readonly hasPidFile: boolean;
  readonly random: Random;
  readonly dbs: readonly Db[];
  stats: Stats = freshStats();
  /** `server.dirty`: element changes since the last successful save (INFO rdb_changes_since_last_save). */
  dirty = 0;
  /** Unix ms of the last successful save; the start time until one happens. */
  lastSaveMs: number;
  lastBgsaveStatus: 'ok' | 'err' = 'ok';
  running = true;
  /** Why the server is not running: stopped by SHUTDOWN, crashed, or it failed to start. */
  downBecause: 'shutdown' | 'crash-process' | 'crash-power' | 'startup-error' | 'exited' | null = null;
  /** Children whose parent died: they go on working on their own (a BGSAVE child still renames). */
  orphans: ForkChild[] = [];
  /** The keys clients WATCH, by database. */
  readonly watches = new WatchTable(DB_COUNT);
  /** The most recent lines of the server log, as redis-server writes them. */
  readonly serverLog: string[] = [];
  /** The directory `dir`, as the kernel keeps it. */
  readonly disk: VirtualDisk;
  /** Memory as pages, shared with a fork child until written. */
  pages = new PageTable();
  rdb: RdbPersistence;
  aof: AofPersistence;

  private nextCronMs: number;
  /** server.cronloops: serverCron ticks run since the process started, for run_with_period. */
  private cronLoops = 0;
  private nextClientId = 1;
  private readonly clients = new Map<number, Client>();
  private readonly listeners = new Map<EventListener, ReadonlySet<EngineEventType> | null>();
  /** The virtual disk reports to this; a checkpoint's copy gets one bound to itself. */
  private readonly diskReporter = (change: DiskChange): void => this.reportDisk(change);
  /** Where each database's active-expiry sweep stopped, so the next tick carries on from there. */
  private readonly expireCursors: (Iterator<[string, number]> | null)[];
  /** Writes propagated by the command being run, flushed (wrapped in MULTI/EXEC if several) at its end. */
  private pendingPropagation: { db: number; argv: readonly string[] }[] = [];
  private callDepth = 0;
  private execDepth = 0;
  private lastPid: number;
  /** redis.conf as it stands: what a restart reads. SIM RESTART --directive value edits it. */
  private startupConfig: Record<string, string>;
  /** The process doing the disk work at hand: the server, or its child. */
  private actingPid: number;
  /**
   * The ledger of acknowledged writes and of what each file holds of them. Like the disk, it
   * belongs to the machine and outlives crashes; each restart's load reads it into a report.
   */
  readonly ledger = new WriteLedger();
  /** What the last restart brought back and what it lost, and why; null before any restart. */
  lastRecovery: RecoveryReport | null = null;
  private loadJob: LoadJob | null = null;
  /** True while a load step runs: its replayed commands are not refused with -LOADING. */
  private inLoadStep = false;
  /** Propagations asked for by commands themselves (not expiry): tells a write that changed data. */
  private ownPropagations = 0;

  constructor(options: EngineOptions = {}) {
    this.nowMs = options.epochMs ?? DEFAULT_EPOCH_MS;
    this.startedAtMs = this.nowMs;
    this.lastSaveMs = this.nowMs;
    this.pid = options.pid ?? 4242;
    this.lastPid = this.pid;
    this.actingPid = this.pid;
    this.disk = new VirtualDisk(this.diskReporter);
    this.rdb = new RdbPersistence(this);
    this.aof = new AofPersistence(this);
    this.port = options.port ?? 6379;
    this.startupConfig = { ...options.config };
    this.hasConfigFile = options.configFile ?? false;
    this.hasPidFile = options.pidFile ?? true;
    this.config = new Config(this.startupConfig);
    this.random = new Random(options.seed ?? 7);
    this.dbs = Array.from({ length: DB_COUNT }, (_, index) => new Db(index));
    this.expireCursors = this.dbs.map(() => null);
    this.nextCronMs = this.nowMs + this.cronPeriodMs();
    for (const [name, bytes] of Object.entries(options.files ?? {})) this.disk.install(name, bytes, this.nowMs);
    this.logStartup(false);
  }

  // ---- loading the dataset at startup (persistence/rdb-load.ts) ------------------------------------

  /** Why the node did not start, or exited after DEBUG LOADAOF (the fatal load error it logged), or null. While set, `running` is false. */
  startupError: string | null = null;
  /** The kind of that error, as the loader decided it when it refused (the way back it calls for). */
  startupErrorKind: LoadFailureKind | null = null;

  /**
   * loadDataFromDisk: the files are read at the disk's speed (SIM SET disk-mbps), so a big dataset
   * keeps the node LOADING for a while; a small one loads within the instant. A fatal error stops
   * the node where redis-server would exit.
   */
  private loadDataFromDisk(reports: boolean): void {
    const bytesPerMs = diskBytesPerMs(this);
    const load = startupLoad(this, (bytes) => Math.floor(bytes / bytesPerMs));
    this.loadJob = { steps: load.steps, startedAtMs: this.nowMs, totalBytes: load.totalBytes, bytesPerMs, resumeAtMs: this.nowMs, rdbUsedMem: 0, reports };
    this.stepLoad();
  }

  /** Runs the load's steps whose bytes have been read by now; finishes it after the last. */
  private stepLoad(): void {
    const job = this.loadJob;
    if (job === null) return;
    this.inLoadStep = true;
    this.ledger.suspended = true;
    try {
      for (;;) {
        const next = job.steps.next();
        if (next.done === true) {
          this.finishLoad(job, next.value);
          return;
        }
        const atMs = job.startedAtMs + Math.floor(next.value / job.bytesPerMs);
        if (atMs > this.nowMs) {
          job.resumeAtMs = atMs;
          return;
        }
      }
    } finally {
      this.inLoadStep = false;
      this.ledger.suspended = false;
    }
  }

  private finishLoad(job: LoadJob, outcome: LoadOutcome): void {
    this.loadJob = null;
    if (outcome.failure !== null || !this.running) {
      this.running = false;
      this.downBecause = 'startup-error';
      // redis-server exits: the keys it had read so far go with its memory.
      this.dropDataset();
      // No failure, yet the node stopped during its load: the server log says why.
      this.startupError = outcome.failure?.message ?? 'see the server log';
      this.startupErrorKind = outcome.failure?.kind ?? 'other';
      return;
    }
    this.log('*', 'Ready to accept connections');
    if (!job.reports) return;
    const recoveryMs = Math.floor(job.totalBytes / job.bytesPerMs);
    const report = this.ledger.report({ ...outcome.facts, restartedAtMs: job.startedAtMs, recoveryMs }, (inode) => this.disk.sizeOfInode(inode));
    this.lastRecovery = report;
    if (this.observes('recovery.reported')) this.emit({ type: 'recovery.reported', atMs: this.nowMs, report });
  }

  /**
   * A load read at once, inside a command (DEBUG LOADAOF): what it replays is not new history,
   * is not propagated and is not refused with MISCONF, as in a load at startup.
   */
  loadNow<T>(steps: Generator<number, T, void>): T {
    this.inLoadStep = true;
    this.ledger.suspended = true;
    try {
      return drain(steps);
    } finally {
      this.inLoadStep = false;
      this.ledger.suspended = false;
    }
  }

  /**
   * exit(1) with no shutdown (DEBUG LOADAOF's failed load): memory goes, the page cache stays and
   * a running child carries on alone, as after a crash of the process. `failure` is the load's
   * fatal error, when it had one (a truncated tail it accepted has none).
   */
  exitAfterLoad(failure: { readonly kind: LoadFailureKind; readonly message: string } | null): void {
    const children = [this.rdb.child, this.aof.child].filter((child): child is ForkChild => child !== null && child.exit === null);
    this.ledger.stopped('process', this.nowMs);
    for (const child of children) child.orphan();
    this.orphans.push(...children);
    this.running = false;
    this.downBecause = 'exited';
    this.startupError = failure?.message ?? null;
    this.startupErrorKind = failure?.kind ?? null;
    this.clearProcessState();
  }

  /** True while the dataset is being loaded (commands without the `loading` flag get -LOADING). */
  get loading(): boolean {
    return this.loadJob !== null;
  }

  /** When the load under way goes on (the disk has read what its next step needs); null when not loading. */
  get loadResumesAtMs(): number | null {
    return this.loadJob?.resumeAtMs ?? null;
  }

  /** The load in progress, for INFO persistence's loading_* fields; null when not loading. */
  loadingStatus(): LoadingStatus | null {
    const job = this.loadJob;
    if (job === null) return null;
    const loadedBytes = Math.min(job.totalBytes, Math.floor((this.nowMs - job.startedAtMs) * job.bytesPerMs));
    return { startedAtMs: job.startedAtMs, totalBytes: job.totalBytes, loadedBytes, rdbUsedMem: job.rdbUsedMem };
  }

  /** The RDB being loaded says how much memory it was made from (its used-mem AUX field). */
  noteLoadingRdbUsedMem(bytes: number): void {
    if (this.loadJob !== null) this.loadJob.rdbUsedMem = bytes;
  }

  // ---- redis.conf ----------------------------------------------------------------------------------

  /** redis.conf as it stands: the directives it sets, in file order (the others have their defaults). */
  get startupConfigView(): Readonly<Record<string, string>> {
    return Object.freeze({ ...this.startupConfig });
  }

  /**
   * CONFIG REWRITE: the running values go into redis.conf, as Redis rewrites it: a directive the
   * file sets is updated in place (even to its default), one it does not set is added only when
   * its value differs from the default.
   */
  rewriteStartupConfig(): void {
    const rewritten: Record<string, string> = { ...this.startupConfig };
    for (const name of this.config.names()) {
      const value = this.config.get(name);
      if (Object.hasOwn(rewritten, name) || value !== DEFAULT_CONFIG[name]) rewritten[name] = value;
    }
    this.startupConfig = rewritten;
  }

  // ---- crash and restart --------------------------------------------------------------------------

  /**
   * The server dies. A process crash (kill -9, a segfault) takes its memory and aof_buf; the page
   * cache survives and a running child goes on alone. A power loss also takes every byte not yet
   * on disk and every process.
   */
  crash(kind: 'process' | 'power'): void {
    const children = [this.rdb.child, this.aof.child].filter((child): child is ForkChild => child !== null && child.exit === null);
    this.ledger.stopped(kind, this.nowMs);
    this.loadJob = null;
    if (kind === 'process') {
      for (const child of children) child.orphan();
      this.orphans.push(...children);
    } else {
      for (const child of [...children, ...this.orphans]) child.kill(9);
      this.orphans = [];
      // A background fsync cut short has written some of its pages, whole.
      const fsync = this.aof.fsyncInFlight;
      if (fsync !== null && fsync.doneAtMs > fsync.startedAtMs) {
        this.disk.writebackCut(fsync.name, fsync.upTo, (this.nowMs - fsync.startedAtMs) / (fsync.doneAtMs - fsync.startedAtMs));
      }
      this.disk.powerLoss();
    }
    const pid = this.pid;
    this.running = false;
    this.downBecause = kind === 'process' ? 'crash-process' : 'crash-power';
    this.clearProcessState();
    if (this.observes('process.crashed')) this.emit({ type: 'process.crashed', atMs: this.nowMs, pid, kind });
  }

  /**
   * Starts redis-server again, as a new process reading redis.conf (with `overrides` written into
   * it first): Redis's load path decides what comes back.
   */
  restart(overrides: Readonly<Record<string, string>> = {}): void {
    this.startupConfig = { ...this.startupConfig, ...overrides };
    this.config = new Config(this.startupConfig);
    this.clearProcessState();
    this.pid = this.allocatePid();
    this.actingPid = this.pid;
    this.startedAtMs = this.nowMs;
    this.lastSaveMs = this.nowMs;
    this.running = true;
    this.downBecause = null;
    this.startupError = null;
    this.startupErrorKind = null;
    this.rescheduleCron();
    this.cronLoops = 0;
    this.logStartup(true);
    if (this.observes('process.started')) this.emit({ type: 'process.started', atMs: this.nowMs, pid: this.pid });
  }

  /** The keys, held in the process's memory only: gone whenever the process ends. */
  private dropDataset(): void {
    for (const db of this.dbs) db.clear();
    this.expireCursors.fill(null);
  }

  /** What lived in the server process: gone with it. Disk, clock, log and orphans stay. */
  private clearProcessState(): void {
    this.dropDataset();
    this.clients.clear();
    this.watches.clear();
    this.dirty = 0;
    this.lastBgsaveStatus = 'ok';
    this.stats = freshStats();
    this.pendingPropagation = [];
    // A new process has fresh persistence state, but the model's parameters describe the machine.
    const { rdb, aof, pages } = this;
    this.pages = new PageTable();
    this.pages.pageSizeBytes = pages.pageSizeBytes;
    this.rdb = new RdbPersistence(this);
    Object.assign(this.rdb.model, rdb.model);
    this.aof = new AofPersistence(this);
    Object.assign(this.aof.model, aof.model);
  }

  // ---- checkpoints (./checkpoint.ts) ----------------------------------------------------------------

  /**
   * Between two actions, with no load under way and no fork child alive (an orphan included):
   * nothing the node holds is opaque to a copy. The copy checks every value anyway.
   */
  get quiet(): boolean {
    return this.callDepth === 0 && this.execDepth === 0 && this.pendingPropagation.length === 0 && this.loadJob === null && !this.hasChild() && this.orphans.length === 0;
  }

  /**
   * An independent copy of the whole node, with `held` (objects of this node kept outside it,
   * such as the lab's console client) mapped to the copy's own; null when the node is not quiet
   * now (a command or a load under way, a fork child alive: see ./checkpoint.ts).
   */
  checkpoint<T>(held: T): NodeCheckpoint<T> | null {
    if (!this.quiet) return null;
    let copy: Engine | null = null;
    const substitutes = new Map<unknown, unknown>([
      [this.listeners, new Map()],
      [this.diskReporter, (change: DiskChange): void => copy?.reportDisk(change)],
    ]);
    const positions = this.expireCursors.map((cursor, index) => (cursor === null ? null : cursorPosition(cursor, (this.dbs[index] as Db).expires.size)));
    positions.forEach((position, index) => {
      if (position === null) return;
      const cursor = cursorAt((this.dbs[index] as Db).expires, position);
      this.expireCursors[index] = cursor;
      substitutes.set(cursor, null);
    });
    const copied = copyState({ engine: this as Engine, held }, substitutes);
    if (!copied.ok) return null;
    copy = copied.copy.engine;
    const copyDbs = copy.dbs;
    positions.forEach((position, index) => {
      if (position !== null && copy !== null) copy.expireCursors[index] = cursorAt((copyDbs[index] as Db).expires, position);
    });
    return copied.copy;
  }

  // ---- events -------------------------------------------------------------------------------

  /**
   * Calls `listener` with every event from now on, or only with the event types listed; returns
   * the unsubscribe function. A listener that names its types keeps the others off the hot path
   * (the headless server listens to log lines only, so no event is built per command).
   */
  subscribe(listener: EventListener, types?: readonly EngineEventType[]): () => void {
    this.listeners.set(listener, types === undefined ? null : new Set(types));
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** True when someone listens to events of this type; hot paths skip building events nobody reads. */
  observes(type: EngineEventType): boolean {
    if (this.listeners.size === 0) return false;
    for (const types of this.listeners.values()) if (types === null || types.has(type)) return true;
    return false;
  }

  emit(event: EngineEvent): void {
    for (const [listener, types] of this.listeners) if (types === null || types.has(event.type)) listener(event);
  }

  /** Writes one line to the server log (and the event stream). */
  log(level: LogLevel, message: string, who: { pid: number; role: 'M' | 'C' } = { pid: this.pid, role: 'M' }): void {
    const text = formatLogLine(who.pid, who.role, this.nowMs, level, message);
    this.serverLog.push(text);
    if (this.serverLog.length > LOG_LINES_KEPT) this.serverLog.splice(0, this.serverLog.length - LOG_LINES_KEPT);
    if (this.observes('log.line')) this.emit({ type: 'log.line', atMs: this.nowMs, pid: who.pid, role: who.role, level, message, text });
  }

  /**
   * A line redis-server writes without the usual prefix (its crash report's frame lines, a signal
   * handler's line); `who` is the process that wrote it, a child for its own handler's line.
   */
  logRaw(text: string, who: { pid: number; role: 'M' | 'C' } = { pid: this.pid, role: 'M' }): void {
    this.serverLog.push(text);
    if (this.serverLog.length > LOG_LINES_KEPT) this.serverLog.splice(0, this.serverLog.length - LOG_LINES_KEPT);
    if (this.observes('log.line')) this.emit({ type: 'log.line', atMs: this.nowMs, pid: who.pid, role: who.role, level: '#', message: text, text });
  }

  /** The start of redis-server up to its load (which says "Ready to accept connections" when done). */
  private logStartup(reports: boolean): void {
    const banner = { pid: this.pid, role: 'C' as const };
    this.log('#', 'oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo', banner);
    this.log('#', `Redis version=7.0.15, bits=64, commit=00000000, modified=0, pid=${this.pid}, just started`, banner);
    this.log('#', 'Configuration loaded', banner);
    this.log('*', `Running mode=standalone, port=${this.port}.`);
    this.log('#', 'Server initialized');
    this.loadDataFromDisk(reports);
  }

  /** The command table, for COMMAND and its subcommands (commands themselves cannot import it: a cycle). */
  get commands(): ReadonlyMap<string, CommandSpec> {
    return COMMAND_TABLE;
  }

  // ---- processes and the disk ----------------------------------------------------------------------

  /** Whether the command table has this command (and subcommand): the AOF loader's check. */
  knowsCommand(argv: readonly string[]): boolean {
    const spec = lookupCommand(argv[0] ?? '');
    if (spec === undefined) return false;
    if (spec.subcommands === undefined || argv.length < 2) return true;
    return Object.hasOwn(spec.subcommands, (argv[1] as string).toLowerCase());
  }

  /** Only one fork child (BGSAVE or AOF rewrite) may exist at a time. */
  hasChild(): boolean {
    return this.rdb.child !== null || this.aof.child !== null;
  }

  /** The pid of the next forked child; pids count up from the server's, as on a quiet machine. */
  allocatePid(): number {
    return ++this.lastPid;
  }

  /** Runs disk work on behalf of a process, so the disk's events name it. */
  actingAs<T>(pid: number, work: () => T): T {
    const previous = this.actingPid;
    this.actingPid = pid;
    try {
      return work();
    } finally {
      this.actingPid = previous;
    }
  }

  private reportDisk(change: DiskChange): void {
    // A file made anew (or overwritten in place) no longer holds what the ledger knew of it.
    if (change.kind === 'created') this.ledger.forget(this.disk.inodeOf(change.name));
    const type = change.kind === 'dir-fsynced' ? 'dir.fsynced' : (`file.${change.kind}` as const);
    if (!this.observes(type)) return;
    const base = { atMs: this.nowMs, by: this.actingPid };
    switch (change.kind) {
      case 'created':
        return this.emit({ type: 'file.created', ...base, name: change.name });
      case 'written':
        return this.emit({ type: 'file.written', ...base, name: change.name, offset: change.offset, length: change.length });
      case 'fsynced':
        return this.emit({ type: 'file.fsynced', ...base, name: change.name, durableBytes: change.durableBytes });
      case 'truncated':
        return this.emit({ type: 'file.truncated', ...base, name: change.name, length: change.length });
      case 'renamed':
        return this.emit({ type: 'file.renamed', ...base, from: change.from, to: change.to, replaced: change.replaced });
      case 'deleted':
        return this.emit({ type: 'file.deleted', ...base, name: change.name });
      case 'dir-fsynced':
        return this.emit({ type: 'dir.fsynced', ...base });
    }
  }

  /** While a child shares memory, a write to a key copies the pages it sits on (CoW faults). */
  private copyOnWrite(db: Db, spec: CommandSpec, argv: readonly string[]): void {
    for (const key of keysOfCommand(spec.name, argv)) {
      const value = db.data.get(key);
      const copied = this.pages.touch(db.index, key, key.length + (value === undefined ? 0 : valueBytes(value)));
      if (copied.length === 0 || !this.observes('page.copied')) continue;
      for (const page of copied) this.emit({ type: 'page.copied', atMs: this.nowMs, page, db: db.index, key });
    }
  }

  // ---- clients ------------------------------------------------------------------------------

  newClient(): Client {
    const client: Client = {
      id: this.nextClientId++,
      name: null,
      libName: null,
      libVersion: null,
      db: 0,
      multi: null,
      watches: [],
      watchTouched: false,
      lastCommand: null,
      createdAtMs: this.nowMs,
      closing: null,
    };
    this.clients.set(client.id, client);
    this.stats.totalConnectionsReceived++;
    return client;
  }

  closeClient(client: Client): void {
    this.watches.unwatchAll(client);
    this.clients.delete(client.id);
  }

  get connectedClients(): number {
    return this.clients.size;
  }

  listClients(): Client[] {
    return [...this.clients.values()];
  }

  // ---- the text interface --------------------------------------------------------------------

  /**
   * Runs one line as redis-cli sends it: the text is UTF-8 encoded, split with redis-cli's quoting
   * rules (`"a b"`, `'c'`, `"\x00"`), then executed.
   */
  run(line: string, client: Client): LineResult {
    const argv = splitArgs(utf8ToBin(line));
    if (argv === null) return { kind: 'invalid' };
    if (argv.length === 0) return { kind: 'empty' };
    const reply = this.execute(client, argv);
    this.beforeSleep();
    return { kind: 'reply', reply };
  }

  /**
   * The end of an event-loop iteration, before replies are sent: the AOF buffer is written (and
   * fsynced under `always`). `run` does it after each line; a server calls it once per batch of
   * pipelined commands, which is Redis's group commit.
   */
  beforeSleep(): void {
    this.aof.flush();
    // The replies go out now: the writes behind them are acknowledged (unless the process died).
    if (this.running) this.ledger.acknowledge();
  }

  /** The process ends (SHUTDOWN, or a fatal error): no more commands, no more cron. */
  stop(): void {
    this.ledger.stopped('shutdown', this.nowMs);
    this.loadJob = null;
    this.running = false;
    this.downBecause = 'shutdown';
    this.dropDataset();
  }

  /**
   * Executes one command as Redis's processCommand does: lookup, arity, MISCONF, MULTI queueing,
   * call. `argv` must not change afterwards: a write's argv is kept (the write ledger records it).
   */
  execute(client: Client, argv: readonly string[]): Reply {
    if (argv.length === 0) return error('ERR empty command');
    if (!this.running && (argv[0] as string).toLowerCase() !== 'sim') return SERVER_NOT_RUNNING;
    const closed = closingVerb(this, client, argv[0] as string);
    if (closed !== null) return closed;
    const spec = findCommand(argv);
    if (!('run' in spec)) {
      client.lastCommand = leftOutName(argv);
      return this.reject(client, spec);
    }
    client.lastCommand = spec.name;
    if (!arityFits(spec, argv)) return this.reject(client, wrongArity(spec.name), spec);
    // EXEC counts as a write when it would run one (MISCONF may have come after the queuing).
    const writes = spec.flags.includes('write') || spec.name === 'ping' || (client.multi !== null && spec.name === 'exec' && queuesWrite(client.multi.queue));
    if (writes && !this.inLoadStep) {
      const denied = this.writesDenied();
      if (denied !== null) return this.reject(client, denied, spec);
    }
    if (this.loadJob !== null && !this.inLoadStep && !spec.flags.includes('loading-ok')) return this.reject(client, LOADING, spec);
    if (client.multi !== null && !spec.flags.includes('no-queue')) {
      client.multi.queue.push([...argv]);
      return QUEUED;
    }
    return this.call(client, spec, argv);
  }

  /** Runs a command EXEC took from the MULTI queue (it was checked when it was queued). */
  executeQueued(client: Client, argv: readonly string[]): Reply {
    const spec = resolveCommand(argv);
    if (!('run' in spec)) return spec;
    this.execDepth++;
    try {
      return this.call(client, spec, argv);
    } finally {
      this.execDepth--;
    }
  }

  /** True while EXEC runs its queue (BGSAVE then only schedules). */
  get inTransaction(): boolean {
    return this.execDepth !== 0;
  }

  /**
   * Runs a command that passed every check. EXEC calls back in for each queued command; writes
   * propagated at any depth are flushed when the outermost call ends.
   */
  call(client: Client, spec: CommandSpec, argv: readonly string[]): Reply {
    const db = this.dbs[client.db] as Db;
    const dirtyBefore = this.dirty;
    const propagationsBefore = this.ownPropagations;
    const ctx: CommandContext = { engine: this, client, argv, db };
    this.callDepth++;
    let reply: Reply;
    try {
      reply = spec.run(ctx);
    } finally {
      this.callDepth--;
      // Containers the command changed in place are counted again (used_memory stays exact).
      db.settle();
    }
    if (reply.type === 'error') this.countErrorReply(reply.value);
    this.stats.totalCommandsProcessed++;
    const write = spec.flags.includes('write');
    const changed = this.dirty !== dirtyBefore && write;
    // A write the ledger follows: it changed data, or propagated itself (FLUSHALL on an empty
    // node). EXEC's writes are its queued commands'. Noted before the propagation closes its unit.
    if (write && (changed || this.ownPropagations !== propagationsBefore) && spec.name !== 'exec') {
      this.ledger.noteWrite(db.index, argv, this.nowMs);
    }
    if (changed) {
      // signalModifiedKey: a change to a key touches its watches (DEL and UNLINK touch only the keys they remove).
      if (this.watches.keyCount !== 0 && spec.name !== 'del' && spec.name !== 'unlink') {
        for (const key of keysOfCommand(spec.name, argv)) this.watches.touch(db, key);
      }
      const propagateAs = ctx.propagateAs;
      if (propagateAs === undefined) this.propagate(db.index, argv);
      else for (const command of propagateAs) this.propagate(db.index, command);
      if (this.pages.fork !== null) this.copyOnWrite(db, spec, argv);
    }
    if (this.observes('command.executed')) {
      this.emit({ type: 'command.executed', atMs: this.nowMs, clientId: client.id, db: db.index, argv, reply });
    }
    if (this.callDepth === 0 && this.pendingPropagation.length !== 0) this.flushPropagation();
    return reply;
  }

  /** A command refused before it ran; `spec` when its name was found. */
  private reject(client: Client, reply: Reply, spec?: CommandSpec): Reply {
    if (spec?.name === 'exec') {
      // EXEC itself refused ends the transaction, in MULTI or not (Redis's execCommandAbort). Its
      // reason keeps its code, but arity's text comes without the ERR the reply would add.
      this.discardTransaction(client);
      const reason = (reply.value as string).startsWith('ERR ') ? (reply.value as string).slice(4) : (reply.value as string);
      reply = error(`EXECABORT Transaction discarded because of: ${reason}`);
    } else if (client.multi !== null) {
      // A command refused while queuing dooms the transaction (EXEC answers EXECABORT).
      client.multi.failed = true;
    }
    this.countErrorReply(reply.value as string);
    return reply;
  }

  /**
   * afterErrorReply: every error a client is sent counts, by its code (the text's first word);
   * the headless server reports its protocol errors here too.
   */
  countErrorReply(text: string): void {
    this.stats.errorReplies++;
    // Redis looks for the space in the first 32 bytes of "-CODE …", and says ERR if there is none.
    const space = text.indexOf(' ');
    const code = space !== -1 && space < 31 ? text.slice(0, space) : 'ERR';
    this.stats.errorCodes.set(code, (this.stats.errorCodes.get(code) ?? 0) + 1);
  }

  // ---- transactions and WATCH (./watch.ts) -------------------------------------------------------

  /** The client leaves MULTI with nothing run, and stops watching (DISCARD, a failed EXEC). */
  discardTransaction(client: Client): void {
    client.multi = null;
    this.watches.unwatchAll(client);
  }

  /** isWatchedKeyExpired: a key alive when the client watched it has expired since, unnoticed. */
  watchedKeyExpired(client: Client): boolean {
    for (const watch of client.watches) {
      if (!watch.expired && this.keyIsExpired(this.dbs[watch.db] as Db, watch.key)) return true;
    }
    return false;
  }

  /**
   * MISCONF, when writes must be refused: the last background save failed while save points exist
   * and stop-writes-on-bgsave-error is on, or the AOF cannot be written. Null when writes may go.
   */
  writesDenied(): Reply | null {
    if (this.lastBgsaveStatus === 'err' && this.config.flag('stop-writes-on-bgsave-error') && this.config.savePoints.length !== 0) {
      return MISCONF;
    }
    if (this.aof.state !== 'off' && this.aof.lastWriteStatus === 'err') {
      return error(`MISCONF Errors writing to the AOF file: ${this.aof.lastWriteError}`);
    }
    return null;
  }

  // ---- propagation (the feed of the AOF) --------------------------------------------------------

  /** Queues a write for the AOF in its propagated form. */
  propagate(db: number, argv: readonly string[]): void {
    this.ownPropagations++;
    this.queuePropagation(db, argv);
  }

  private queuePropagation(db: number, argv: readonly string[]): void {
    // Nothing a load replays is propagated again (Redis propagates nothing while loading).
    if (this.inLoadStep) return;
    if (this.callDepth === 0 && this.pendingPropagation.length === 0) {
      // A batch of one, fed as flushPropagation would feed it but without the queue: the path of
      // every plain write.
      this.aof.feed(db, argv);
      if (this.observes('command.propagated')) this.emit({ type: 'command.propagated', atMs: this.nowMs, db, argv });
      this.closeUnit();
      return;
    }
    this.pendingPropagation.push({ db, argv });
    if (this.callDepth === 0) this.flushPropagation();
  }

  private flushPropagation(): void {
    const batch = this.pendingPropagation;
    this.pendingPropagation = [];
    // What one command (or one EXEC) wrote more than once is logged as MULTI … EXEC, so a replay
    // applies it atomically (SPOP with a count, a SET that lazily expired its key first); a single
    // write is logged bare. MULTI and EXEC belong to no database (-1): the SELECT, when one is
    // needed, comes after MULTI, with the first command.
    if (batch.length > 1) {
      batch.unshift({ db: -1, argv: ['MULTI'] });
      batch.push({ db: -1, argv: ['EXEC'] });
    }
    const observed = this.observes('command.propagated');
    for (const { db, argv } of batch) {
      this.aof.feed(db, argv);
      if (observed) this.emit({ type: 'command.propagated', atMs: this.nowMs, db, argv });
    }
    this.closeUnit();
  }

  /** The batch just fed is one unit of history, whether or not the AOF is on. */
  private closeUnit(): void {
    this.aof.markUnit(this.ledger.unitPropagated(this.aof.state !== 'off'));
  }

  // ---- keyspace access with expiry --------------------------------------------------------------

  /** A key's value for a read, after lazy expiry; counts keyspace hits and misses. */
  lookupRead(db: Db, key: string): RedisValue | undefined {
    const value = this.lookupLive(db, key);
    if (value === undefined) this.stats.keyspaceMisses++;
    else this.stats.keyspaceHits++;
    return value;
  }

  /**
   * A key's value for a write, after lazy expiry. A container may then change in place: its
   * database counts it again when the command ends.
   */
  lookupWrite(db: Db, key: string): RedisValue | undefined {
    const value = this.lookupLive(db, key);
    if (value !== undefined && typeof value !== 'string') db.mayChange(key, value);
    return value;
  }

  /** True if the key exists and is not logically expired (does not count hits). */
  exists(db: Db, key: string): boolean {
    return this.lookupLive(db, key) !== undefined;
  }

  private lookupLive(db: Db, key: string): RedisValue | undefined {
    const value = db.data.get(key);
    if (value === undefined) return undefined;
    if (db.expires.size !== 0 && this.expireIfNeeded(db, key, 'lazy')) return undefined;
    return value;
  }

  /** keyIsExpired: the key's time has passed, though it may still be in memory. Never while loading. */
  keyIsExpired(db: Db, key: string): boolean {
    const when = db.expires.size === 0 ? undefined : db.expires.get(key);
    return when !== undefined && this.nowMs > when && this.loadJob === null;
  }

  /**
   * Deletes the key if its expiry time has passed (strictly: a key is alive at its expiry ms).
   * Nothing expires while a load replays the AOF: keys expire once the node runs (keyIsExpired).
   */
  expireIfNeeded(db: Db, key: string, by: 'lazy' | 'active'): boolean {
    if (!this.keyIsExpired(db, key)) return false;
    db.delete(key);
    if (this.watches.keyCount !== 0) this.watches.touch(db, key);
    this.stats.expiredKeys++;
    // Expiry is not counted as a change (dirty), but the AOF and replicas learn of it as a DEL.
    this.queuePropagation(db.index, ['DEL', key]);
    if (this.observes('key.expired')) this.emit({ type: 'key.expired', atMs: this.nowMs, db: db.index, key, by });
    return true;
  }

  // ---- time ---------------------------------------------------------------------------------------

  cronPeriodMs(): number {
    return Math.max(1, Math.floor(1000 / this.config.hz));
  }

  /** Lets `ms` of simulated time pass. */
  advance(ms: number): void {
    this.advanceTo(this.nowMs + ms);
  }

  /** Moves simulated time forward to `targetMs`, running every serverCron tick on the way. */
  advanceTo(targetMs: number): void {
    if (!(targetMs > this.nowMs)) return;
    const fromMs = this.nowMs;
    // Step through the moments something happens: the parent's cron ticks and the instant a
    // child finishes its file (it works on its own between the parent's ticks).
    for (;;) {
      const loadMs = this.loadJob?.resumeAtMs ?? Infinity;
      const nextMs = Math.min(this.nextCronMs, this.aof.fsyncDoneAtMs(), loadMs, ...this.children().map((child) => child.doneAtMs()));
      if (nextMs > targetMs) break;
      const previousMs = this.nowMs;
      this.nowMs = nextMs;
      this.aof.completeFsync(nextMs);
      // The kernel's flusher wakes every 5 s and writes back data dirty for 30 s.
      if (Math.floor(nextMs / 5000) !== Math.floor(previousMs / 5000)) this.disk.writeback(nextMs);
      // The disk has read what the load's next step needs.
      if (nextMs === loadMs) this.stepLoad();
      if (nextMs === this.nextCronMs) {
        this.serverCron();
        this.nextCronMs = this.nowMs + this.cronPeriodMs();
      }
      // Children act after the parent's tick at the same instant: a child that stops now is
      // noticed at the parent's next tick, never in the same one.
      this.advanceChildren(nextMs);
    }
    this.nowMs = targetMs;
    this.advanceChildren(targetMs);
    if (this.observes('time.advanced')) this.emit({ type: 'time.advanced', atMs: this.nowMs, fromMs });
  }

  /**
   * Sets the simulated clock (SIM SET epoch-ms), forwards or back, without running the cron ticks
   * in between: the node simply finds the clock changed, as after a wall-clock adjustment.
   */
  setClock(unixMs: number): void {
    const fromMs = this.nowMs;
    this.nowMs = unixMs;
    this.rescheduleCron();
    // A load in progress still needs the same time to read what is left.
    if (this.loadJob !== null) {
      this.loadJob.startedAtMs += unixMs - fromMs;
      this.loadJob.resumeAtMs += unixMs - fromMs;
    }
    if (this.observes('time.advanced')) this.emit({ type: 'time.advanced', atMs: this.nowMs, fromMs });
  }

  /** Every forked child still around: the server's (BGSAVE or AOF rewrite) and orphans of a crashed server. */
  private children(): ForkChild[] {
    return [this.rdb.child, this.aof.child, ...this.orphans].filter((child): child is ForkChild => child !== null);
  }

  /** Children work on their own, whether their parent lives or not. */
  private advanceChildren(nowMs: number): void {
    for (const child of this.children()) child.advance(nowMs);
    this.orphans = this.orphans.filter((orphan) => orphan.exit === null);
  }

  /** Re-plans the next cron tick, after `hz` changed. */
  rescheduleCron(): void {
    this.nextCronMs = this.nowMs + this.cronPeriodMs();
  }

  /** serverCron: the node's periodic work, `hz` times a second. */
  private serverCron(): void {
    // While loading, the event loop only answers clients between reads: no cron work.
    if (!this.running || this.loadJob !== null) return;
    this.activeExpireCycle();
    // Redis 7.0's order: a scheduled AOF rewrite first; then an exited child is reaped or, with
    // no child, the save points and the automatic rewrite are checked; a scheduled BGSAVE last.
    this.aof.startScheduledRewrite();
    if (this.hasChild()) {
      // run_with_period(1000) receiveChildInfo(): the parent reads its child's progress reports.
      if (this.runWithPeriod(1000)) (this.rdb.child ?? this.aof.child)?.readProgressReports(this.nowMs);
      this.rdb.reapExitedChild();
      this.aof.reapExitedChild();
    } else {
      this.rdb.checkSavePoints();
      this.aof.checkAutoRewrite();
    }
    this.rdb.startScheduled();
    // The event loop wakes for cron, so beforeSleep runs too: postponed AOF writes, everysec fsyncs.
    this.beforeSleep();
    this.cronLoops++;
  }

  /** run_with_period(ms): true on one cron tick in every `ms` (on every tick if a tick is that long). */
  private runWithPeriod(ms: number): boolean {
    const periodMs = this.cronPeriodMs();
    return ms <= periodMs || this.cronLoops % Math.floor(ms / periodMs) === 0;
  }

  /**
   * Active expiry, deterministic: each database's expires dictionary is walked from where the last
   * tick stopped, 20 keys at a time, looping while more than 10% of a sample had expired, as
   * Redis's slow cycle does (with a fixed loop budget in place of its time budget).
   */
  private activeExpireCycle(): void {
    for (const db of this.dbs) {
      if (db.expires.size === 0) {
        this.expireCursors[db.index] = null;
        continue;
      }
      for (let loop = 0; loop < ACTIVE_EXPIRE_MAX_LOOPS; loop++) {
        let sampled = 0;
        let expired = 0;
        let cursor = this.expireCursors[db.index] ?? db.expires.entries();
        while (sampled < ACTIVE_EXPIRE_KEYS_PER_LOOP && sampled < db.expires.size) {
          const next = cursor.next();
          if (next.done === true) {
            cursor = db.expires.entries();
            if (sampled === 0 && loop > 0) break;
            continue;
          }
          sampled++;
          const [key, when] = next.value;
          if (this.nowMs > when && this.expireIfNeeded(db, key, 'active')) expired++;
        }
        this.expireCursors[db.index] = cursor;
        if (expired * 10 <= sampled || db.expires.size === 0) break;
      }
    }
  }

  // ---- whole-keyspace operations -------------------------------------------------------------------

  /** Empties one database or all of them, as FLUSHDB / FLUSHALL do. Returns the keys removed. */
  flush(dbIndex: number | 'all'): number {
    let removed = 0;
    for (const db of dbIndex === 'all' ? this.dbs : [this.dbs[dbIndex] as Db]) {
      if (this.watches.keyCount !== 0) this.watches.touchAllIn(db);
      removed += db.size;
      db.clear();
      this.expireCursors[db.index] = null;
    }
    if (this.observes('db.flushed')) this.emit({ type: 'db.flushed', atMs: this.nowMs, db: dbIndex });
    return removed;
  }
}

/** The table under both usual spellings of each name, `set` and `SET`: no toLowerCase for those. */
const COMMAND_BY_SPELLING: ReadonlyMap<string, CommandSpec> = new Map(
  [...COMMAND_TABLE].flatMap(([name, spec]): [string, CommandSpec][] => [
    [name, spec],
    [name.toUpperCase(), spec],
  ]),
);

/**
 * The last name looked up and what it found: a pipeline repeats one command, and comparing two
 * short strings costs less than hashing a newly received one.
 */
let lastSpelling = '';
let lastFound: CommandSpec | undefined;

/** The table entry for a command name in any case. */
function lookupCommand(name: string): CommandSpec | undefined {
  if (name !== lastSpelling) {
    lastFound = COMMAND_BY_SPELLING.get(name) ?? COMMAND_TABLE.get(name.toLowerCase());
    lastSpelling = name;
  }
  return lastFound;
}

/**
 * What Redis 7.0 handles before it looks a command up, inside MULTI too: QUIT (+OK, then the
 * connection closes), and a request that looks like HTTP (`POST`, `Host:`), which closes the
 * connection at once, with a warning in the log: a browser tricked into sending one to Redis.
 * Null for every other command.
 */
function closingVerb(engine: Engine, client: Client, name: string): Reply | null {
  // Every command passes here: most are ruled out by their length and first letter (q, p or h).
  if (name.length !== 4 && name.length !== 5) return null;
  const first = name.charCodeAt(0) | 0x20;
  if (first !== 0x71 && first !== 0x70 && first !== 0x68) return null;
  const lower = name.toLowerCase();
  if (lower === 'quit') {
    client.closing = 'after-reply';
    engine.closeClient(client);
    return OK;
  }
  if (lower === 'post' || lower === 'host:') {
    engine.log(
      '#',
      'Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to Redis. This is likely due to an attacker attempting to use Cross Protocol Scripting to compromise your Redis instance. Connection aborted.',
    );
    client.closing = 'at-once';
    engine.closeClient(client);
    return CONNECTION_CLOSED;
  }
  return null;
}

/** Finds the table entry for a command and checks its arity; the error reply when either fails. */
function resolveCommand(argv: readonly string[]): CommandSpec | Reply {
  const spec = findCommand(argv);
  if (!('run' in spec) || arityFits(spec, argv)) return spec;
  return wrongArity(spec.name);
}

/** n = exactly n words, -n = at least n. */
function arityFits(spec: CommandSpec, argv: readonly string[]): boolean {
  return spec.arity > 0 ? argv.length === spec.arity : argv.length >= -spec.arity;
}

/** Whether a MULTI queue holds a write (its commands were found when they were queued). */
function queuesWrite(queue: readonly (readonly string[])[]): boolean {
  return queue.some((argv) => {
    const spec = findCommand(argv);
    return 'run' in spec && spec.flags.includes('write');
  });
}

/**
 * Finds the table entry for a command (and its subcommand); the error reply when there is none.
 * Subcommands are named `config|get`, as Redis 7.0 names them in errors.
 */
function findCommand(argv: readonly string[]): CommandSpec | Reply {
  const container = lookupCommand(argv[0] as string);
  if (container === undefined) return unknownCommand(argv);
  let spec: CommandSpec = container;
  if (container.subcommands !== undefined && argv.length >= 2) {
    const word = (argv[1] as string).toLowerCase();
    // Own keys only: "constructor" or "__proto__" must not find Object's.
    const sub = Object.hasOwn(container.subcommands, word) ? container.subcommands[word] : undefined;
    if (sub === undefined) {
      if (REDIS_7_COMMANDS.has(`${container.name}|${word}`)) return leftOut(`${container.name} ${word}`);
      const name = sanitize((argv[1] as string).slice(0, 128));
      return error(`ERR unknown subcommand '${name}'. Try ${container.name.toUpperCase()} HELP.`);
    }
    spec = sub;
  }
  return spec;
}

/** The name Redis records (CLIENT LIST's cmd=) for a command it has and the lab leaves out, else null. */
function leftOutName(argv: readonly string[]): string | null {
  const top = (argv[0] as string).toLowerCase();
  // A container (CLIENT, OBJECT…) names its subcommand, or nothing when Redis has no such one.
  if (!REDIS_7_COMMANDS.has(`${top}|help`)) return REDIS_7_COMMANDS.has(top) ? top : null;
  if (argv.length === 1) return top;
  const sub = `${top}|${(argv[1] as string).toLowerCase()}`;
  return REDIS_7_COMMANDS.has(sub) ? sub : null;
}

/**
 * A Redis 7.0 command the lab does not run: the lab's own error, so that nobody is told Redis has
 * no such command (Redis would run it).
 */
function leftOut(name: string): Reply {
  return error(`${LEFT_OUT_ERROR_START}${name.toUpperCase()}', a Redis 7.0 command it leaves out (COMMAND lists the commands it runs)`);
}

/** How that error starts: the console explains it in the reader's language. */
export const LEFT_OUT_ERROR_START = "ERR This lab does not run '";

/** Redis strips CR and LF from text it echoes back in an error, so the reply stays one line. */
function sanitize(text: string): string {
  return text.replace(/[\r\n]/g, ' ');
}

/** `ERR unknown command 'foo', with args beginning with: 'a' 'b' `: up to 128 bytes of arguments, each quoted. */
function unknownCommand(argv: readonly string[]): Reply {
  const name = (argv[0] as string).toLowerCase();
  if (REDIS_7_COMMANDS.has(name)) return leftOut(name);
  let args = '';
  for (let i = 1; i < argv.length && args.length < 128; i++) {
    args += `'${(argv[i] as string).slice(0, 128 - args.length)}' `;
  }
  return error(`ERR unknown command '${sanitize((argv[0] as string).slice(0, 128))}', with args beginning with: ${sanitize(args)}`);
}
