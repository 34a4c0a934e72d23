import type { Engine, EngineEvent, LoadFailureKind, RecoveryReport } from '../engine/index.ts';
import type { KeyspaceView } from './keyspace-view.ts';
import type { PersistenceView } from './persistence-view.ts';
import type { AofView } from './aof-view.ts';

/**
 * "What survived": the last crash (what the process held when it died, and what each file kept),
 * the last restart (Redis's load path as steps: which file was read, how many keys it held, how
 * many AOF commands were replayed, what was cut), built from the engine's events as they arrive.
 *
 * Built by the store after each action, from the events of that action and the state just before
 * it (the crash has already emptied the engine's memory, so what it held comes from the previous
 * views). Parts that did not change are the previous objects, so React re-renders only what moved.
 *
 * A restart that fails has no report: Redis refused its files and changed nothing, so what it
 * acknowledged waits on disk for the fix, and the view says how much and which way back fits.
 */

export type StopKind = 'process' | 'power' | 'shutdown';

export interface CrashFileView {
  readonly name: string;
  /** Bytes the file had just before, and how many of them were durable (fsynced). */
  readonly bytesBefore: number;
  readonly durableBefore: number;
  /** Bytes after: a process crash keeps the page cache; a power loss keeps only durable bytes; null when the file is gone. */
  readonly bytesAfter: number | null;
}

export interface CrashView {
  /** The event's position in the lab's stream: a new crash is a new id, so its animation plays once. */
  readonly id: number;
  readonly kind: StopKind;
  readonly atMs: number;
  readonly pid: number;
  /** What lived in the process's memory when it stopped. */
  readonly keysInMemory: number;
  readonly aofBufBytes: number;
  readonly files: readonly CrashFileView[];
}

/** One step of the load path, in the order Redis took it. */
export type LoadStep =
  /** dump.rdb, or the RDB base of an AOF, read into memory. */
  | { readonly kind: 'rdb'; readonly file: string; readonly keysLoaded: number; readonly keysExpired: number; readonly asAofBase: boolean }
  /** An AOF file (a RESP base, or an incr file) replayed command by command. */
  | { readonly kind: 'replay'; readonly file: string; readonly commands: number; readonly base: boolean }
  /** A file cut at load: its tail was a half-written command (aof-load-truncated yes). */
  | { readonly kind: 'truncated'; readonly file: string; readonly offset: number }
  /** A MULTI without its EXEC at the end of a file: the transaction was dropped. */
  | { readonly kind: 'multi-reverted'; readonly file: string }
  /** No AOF yet: Redis created an empty base and incr file (it does not read dump.rdb then). */
  | { readonly kind: 'created'; readonly file: string }
  /** Nothing to load: the node starts empty. */
  | { readonly kind: 'empty' };

/** A file in dir, and its size. */
export interface DirFile {
  readonly name: string;
  readonly sizeBytes: number;
}

export interface RestartView {
  readonly id: number;
  readonly pid: number;
  readonly atMs: number;
  /** The files in dir when the node started, before its load read (or created, or cut) any. */
  readonly files: readonly DirFile[];
  /** The AOF manifest the start reads first when it takes the AOF path (appendonly yes); else null. */
  readonly aofManifest: string | null;
  readonly steps: readonly LoadStep[];
  /** `loading` until the node says it is ready (or fails). */
  readonly outcome: 'loading' | 'ready' | 'failed';
  /** The fatal error, when the node refused to start. */
  readonly failure: string | null;
  /** AOF commands replayed in the file being read now (while `loading`). */
  readonly replaying: number;
  /** Keys in memory once loaded. */
  readonly keysAfter: number;
  /** The engine's report on this restart (`recovery.reported`), once the load is over. */
  readonly report: RecoveryReport | null;
  /** When the node refused its AOF: the `redis-check-aof --fix` way out. */
  readonly repair: AofRepair | null;
  /** When the node refused to start: what waits on disk for the fix. */
  readonly waiting: WaitingRecovery | null;
}

/**
 * `redis-check-aof --fix <manifest>`, answered "y", on the files the node refused, and the lab's
 * line that runs it on the lab's disk (`SIM CHECK-AOF --fix`). The tool runs once, when the
 * student asks: what it prints is that line's reply.
 */
export interface AofRepair {
  readonly command: string;
  readonly line: string;
}

/**
 * Why the load stopped, by the way back it calls for: a half-written last command (cut it), damage
 * before the end (cut there, or mend by hand), a file the manifest lists gone, a bad manifest, an
 * RDB file Redis cannot read (no tool repairs one), or something else. The engine decides it
 * where it refuses the load (`Engine.startupErrorKind`).
 */
export type RestartFailureKind = LoadFailureKind;

/** A failed restart: nothing was loaded, and nothing on disk was changed. */
export interface WaitingRecovery {
  readonly failure: RestartFailureKind;
  /** Writes acknowledged before the stop, whose fate the next successful load will tell. */
  readonly acknowledged: number;
  /** The files in dir as the failed start left them. */
  readonly files: readonly { readonly name: string; readonly sizeBytes: number }[];
}

/** The engine's account of a restart (`recovery.reported`): each acknowledged write kept or lost, and why. */
export type { AckedWrite, LossReason, LostWrite, RecoveryReport } from '../engine/index.ts';

/**
 * Which of the files in dir at a restart its load read: those it loaded data from (the report's
 * files) and, on the AOF path, the manifest that says what to load. An old-style appendonly.aof
 * that the start moved into the AOF's directory was read under its new name. The rest (dump.rdb
 * with appendonly yes, the AOF with appendonly no, temp files, history files) were not read.
 */
export function readAtRestart(files: readonly DirFile[], report: Pick<RecoveryReport, 'files'>, aofManifest: string | null): boolean[] {
  const loaded = new Set(report.files.map((file) => file.name));
  const aofDir = aofManifest === null ? null : aofManifest.slice(0, aofManifest.lastIndexOf('/') + 1);
  return files.map(({ name }) => loaded.has(name) || name === aofManifest || (aofDir !== null && !name.includes('/') && loaded.has(aofDir + name)));
}

export interface SurvivalView {
  readonly crash: CrashView | null;
  readonly restart: RestartView | null;
}

export const EMPTY_SURVIVAL: SurvivalView = { crash: null, restart: null };

interface LoggedEvent {
  readonly seq: number;
  readonly event: EngineEvent;
}

/**
 * Just before the action: what the process held, and the files as they were (the parts of the
 * views it reads, so the store can also give them straight from the node between replayed entries).
 */
export interface Before {
  readonly keyspace: Pick<KeyspaceView, 'totalKeys'>;
  readonly persistence: { readonly disk: { readonly files: readonly Pick<PersistenceView['disk']['files'][number], 'name' | 'sizeBytes' | 'durableBytes'>[] } };
  readonly aof: Pick<AofView, 'bufferBytes'>;
  readonly survival: SurvivalView;
}

type SurvivalEngine = Pick<Engine, 'running' | 'startupError' | 'startupErrorKind' | 'pid' | 'disk' | 'dbs' | 'config' | 'aof' | 'ledger'>;

/** The manifest a start with this config reads first, or null when it does not take the AOF path. */
export function aofManifestOf(engine: Pick<Engine, 'config' | 'aof'>): string | null {
  return engine.config.flag('appendonly') ? engine.aof.manifestPath : null;
}

const STARTING = 'oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo';
const READY = 'Ready to accept connections';

function crashView(id: number, kind: StopKind, atMs: number, pid: number, engine: SurvivalEngine, before: Before): CrashView {
  const after = new Map(engine.disk.list().map((file) => [file.name, file.sizeBytes]));
  const known = new Set(before.persistence.disk.files.map((file) => file.name));
  // Files that appeared with the stop: SHUTDOWN's final save.
  const appeared = [...after].filter(([name]) => !known.has(name)).map(([name, size]) => ({ name, bytesBefore: 0, durableBefore: 0, bytesAfter: size }));
  return {
    id,
    kind,
    atMs,
    pid,
    keysInMemory: before.keyspace.totalKeys,
    aofBufBytes: before.aof.bufferBytes,
    files: before.persistence.disk.files.map((file) => ({
      name: file.name,
      bytesBefore: file.sizeBytes,
      durableBefore: file.durableBytes,
      bytesAfter: after.get(file.name) ?? null,
    })).concat(appeared),
  };
}

/** `DB loaded from base file F: …` / `DB loaded from incr file F: …`: the file just finished. */
const LOADED_FILE = /^DB loaded from (base|incr) file (\S+): /;
const TRUNCATING = /^!!! Truncating the AOF (\S+) at offset (\d+) !!!$/;
const REVERT_MULTI = /^Revert incomplete MULTI\/EXEC transaction in AOF file (\S+)$/;
const CREATING_BASE = /^Creating AOF base file (\S+) on server start$/;
const DONE_RDB = /^Done loading RDB, keys loaded: (\d+), keys expired: (\d+)/;

/** Steps of a load, carried across actions while it runs: commands replayed since the last file boundary. */
class LoadSteps {
  steps: LoadStep[];
  pendingCommands = 0;
  pendingRdb: { keysLoaded: number; keysExpired: number } | null = null;

  constructor(steps: readonly LoadStep[], replaying: number) {
    this.steps = [...steps];
    this.pendingCommands = replaying;
  }

  /** `consoleClientId`: the lab's own client, whose commands (SIM ADVANCE while loading) are not replays. */
  observe(event: EngineEvent, consoleClientId: number): void {
    if (event.type === 'command.executed') {
      if (event.clientId !== consoleClientId) this.pendingCommands++;
      return;
    }
    if (event.type === 'keyspace.loaded' && event.source === 'rdb') {
      // dump.rdb at startup (an AOF's RDB base is reported by its log lines).
      this.steps.push({ kind: 'rdb', file: event.file, keysLoaded: event.keysLoaded, keysExpired: event.keysExpired, asAofBase: false });
      this.pendingRdb = null;
      return;
    }
    if (event.type !== 'log.line') return;
    const message = event.message;
    let match: RegExpExecArray | null;
    if ((match = DONE_RDB.exec(message)) !== null) {
      this.pendingRdb = { keysLoaded: Number(match[1]), keysExpired: Number(match[2]) };
    } else if ((match = LOADED_FILE.exec(message)) !== null) {
      const file = match[2] as string;
      const base = match[1] === 'base';
      if (this.pendingRdb !== null) this.steps.push({ kind: 'rdb', file, ...this.pendingRdb, asAofBase: true });
      else this.steps.push({ kind: 'replay', file, commands: this.pendingCommands, base });
      this.pendingRdb = null;
      this.pendingCommands = 0;
    } else if ((match = TRUNCATING.exec(message)) !== null) {
      this.steps.push({ kind: 'truncated', file: match[1] as string, offset: Number(match[2]) });
    } else if ((match = REVERT_MULTI.exec(message)) !== null) {
      this.steps.push({ kind: 'multi-reverted', file: match[1] as string });
    } else if ((match = CREATING_BASE.exec(message)) !== null) {
      this.steps.push({ kind: 'created', file: match[1] as string });
    }
  }
}

function aofRepair(engine: SurvivalEngine): AofRepair | null {
  if (!engine.config.flag('appendonly')) return null;
  return { command: `redis-check-aof --fix ${engine.aof.manifestPath}`, line: 'SIM CHECK-AOF --fix' };
}

function waitingRecovery(engine: SurvivalEngine): WaitingRecovery {
  return {
    failure: engine.startupErrorKind ?? 'other',
    acknowledged: engine.ledger.acknowledgedInWindow,
    files: engine.disk.list().map(({ name, sizeBytes }) => ({ name, sizeBytes })),
  };
}

function totalKeys(engine: SurvivalEngine): number {
  let keys = 0;
  for (const db of engine.dbs) keys += db.size;
  return keys;
}

/**
 * The survival view after an action: `fresh` are the events of the action, `before` the lab's
 * views just before it, `consoleClientId` the client the lab runs its lines on.
 */
export function buildSurvivalView(engine: SurvivalEngine, fresh: readonly LoggedEvent[], before: Before, consoleClientId: number): SurvivalView {
  const previous = before.survival;
  let crash = previous.crash;
  let restart = previous.restart;
  let load: LoadSteps | null = restart?.outcome === 'loading' ? new LoadSteps(restart.steps, restart.replaying) : null;

  for (const { seq, event } of fresh) {
    if (event.type === 'process.crashed') {
      crash = crashView(seq, event.kind, event.atMs, event.pid, engine, before);
    } else if (event.type === 'server.stopped') {
      crash = crashView(seq, 'shutdown', event.atMs, engine.pid, engine, before);
    } else if (event.type === 'log.line' && event.message === STARTING) {
      load = new LoadSteps([], 0);
      // The action that starts the node is the start itself (SIM RESTART), so the files just
      // before it are those the start found; its config is the one the start reads.
      const files = before.persistence.disk.files.map(({ name, sizeBytes }) => ({ name, sizeBytes }));
      restart = {
        id: seq,
        pid: event.pid,
        atMs: event.atMs,
        files,
        aofManifest: aofManifestOf(engine),
        steps: [],
        outcome: 'loading',
        failure: null,
        replaying: 0,
        keysAfter: 0,
        report: null,
        repair: null,
        waiting: null,
      };
    } else if (event.type === 'recovery.reported' && restart !== null) {
      restart = { ...restart, report: event.report };
    } else if (load !== null && restart !== null) {
      load.observe(event, consoleClientId);
      if (event.type === 'log.line' && event.message === READY) {
        restart = { ...restart, steps: load.steps.length === 0 ? [{ kind: 'empty' }] : load.steps, outcome: 'ready', replaying: 0, keysAfter: totalKeys(engine) };
        load = null;
      }
    }
  }
  if (load !== null && restart !== null) {
    // Still loading, or the load failed: the node then stays down with its startup error.
    const failure = !engine.running ? engine.startupError : null;
    restart = {
      ...restart,
      steps: load.steps,
      outcome: failure !== null ? 'failed' : 'loading',
      failure,
      replaying: load.pendingCommands,
      keysAfter: totalKeys(engine),
      repair: failure !== null ? aofRepair(engine) : null,
      waiting: failure !== null ? waitingRecovery(engine) : null,
    };
  }
  return crash === previous.crash && restart === previous.restart ? previous : { crash, restart };
}
