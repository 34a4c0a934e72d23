import { SIGUSR1_EXIT_CODE, type Engine, type EngineEvent, type ReapOutcome } from '../engine/index.ts';
import { readAof, type AofCommand } from '../codec/aof/index.ts';
import { bytesToBin } from '../codec/bytes.ts';
import { displayBin, quoteBin } from './display-text.ts';

/**
 * The AOF log panel's and the lifecycle controls' view models. The AOF view lists the commands of
 * the incr file being appended (`engine.aof.writingTo`) followed by those still in aof_buf, newest
 * last, each tagged with where its bytes are: `buffer` (aof_buf, in the server's memory: lost by
 * any crash), `cached` (written to the file but only in the page cache: lost on power loss) or
 * `durable` (fsynced: survives both). A command is durable only when all its bytes are below the
 * file's durableBytes: a torn command is cut off at load.
 *
 * Bounded: only the last `maxCommands` are kept. The file is decoded incrementally (appends only
 * decode the new bytes), and the previous view is returned when nothing moved, so clock ticks on a
 * quiet node cost a few comparisons.
 */

export type AofLayer = 'buffer' | 'cached' | 'durable';

export interface AofCommandView {
  /** Stable across rebuilds: where the command sits (file and offset, or its place in aof_buf). */
  readonly id: string;
  readonly layer: AofLayer;
  /** Offset and length in the file (for aof_buf, in the buffer). */
  readonly offset: number;
  readonly length: number;
  /** The command as one would type it: `SET a 1`, arguments with spaces or escapes quoted. */
  readonly text: string;
  /** The RESP bytes, as a bin string. */
  readonly raw: string;
}

export interface AofView {
  readonly state: 'off' | 'on' | 'wait-rewrite';
  readonly appendfsync: string;
  /** The virtual-disk path of the incr file appended to, or null when AOF is off. */
  readonly file: string | null;
  readonly fileBytes: number;
  readonly durableBytes: number;
  readonly bufferBytes: number;
  /** The last commands (file then aof_buf), oldest first. */
  readonly commands: readonly AofCommandView[];
  /** Commands in the file and the buffer in all, of which `commands` shows the last ones. */
  readonly totalCommands: number;
}

export interface LifecycleView {
  readonly running: boolean;
  readonly downBecause: 'shutdown' | 'crash-process' | 'crash-power' | 'startup-error' | 'exited' | null;
  readonly startupError: string | null;
  readonly pid: number;
}

export const AOF_MAX_COMMANDS = 200;

type AofEngine = Pick<Engine, 'aof' | 'disk' | 'config'>;
type LifecycleEngine = Pick<Engine, 'running' | 'downBecause' | 'startupError' | 'pid'>;

/** Readable form of one argument: bare when it is a plain word, quoted otherwise. */
function argText(arg: string): string {
  const shown = displayBin(arg);
  // displayBin's escapes contain a backslash, so an escaped argument is quoted too.
  return /^[^\s"'\\]+$/.test(shown) ? shown : quoteBin(arg);
}

export function commandText(argv: readonly string[]): string {
  return argv.map(argText).join(' ');
}

/** The decoded file, remembered between builds so an append decodes only its new bytes. */
interface ParsedFile {
  readonly name: string;
  /** Bytes decoded: the end of the last whole command. */
  readonly parsedUpTo: number;
  readonly commands: readonly AofCommand[];
  readonly total: number;
  /** The bytes decoded, to notice a file rewritten under the same name. */
  readonly head: string;
}

/** Decoding state kept between builds; one per engine. */
export class AofViewCache {
  parsed: ParsedFile | null = null;
}

function decodeFile(bin: string, name: string, previous: ParsedFile | null, max: number): ParsedFile {
  const reuse =
    previous !== null &&
    previous.name === name &&
    previous.parsedUpTo <= bin.length &&
    bin.slice(previous.parsedUpTo - previous.head.length, previous.parsedUpTo) === previous.head;
  const start = reuse ? previous.parsedUpTo : 0;
  const fresh = readAof(bin.slice(start)).commands.map((command) => ({ ...command, offset: command.offset + start }));
  const kept = reuse ? previous.commands.concat(fresh) : fresh;
  const last = fresh[fresh.length - 1];
  const parsedUpTo = last !== undefined ? last.offset + last.length : start;
  return {
    name,
    parsedUpTo,
    commands: kept.length > max ? kept.slice(kept.length - max) : kept,
    total: (reuse ? previous.total : 0) + fresh.length,
    head: bin.slice(Math.max(0, parsedUpTo - 64), parsedUpTo),
  };
}

function commandView(command: AofCommand, source: string, layer: AofLayer, idPrefix: string): AofCommandView {
  return {
    id: `${idPrefix}:${command.offset}`,
    layer,
    offset: command.offset,
    length: command.length,
    text: commandText(command.argv),
    raw: source.slice(command.offset, command.offset + command.length),
  };
}

export function buildAofView(engine: AofEngine, cache: AofViewCache, previous: AofView | null = null, max = AOF_MAX_COMMANDS): AofView {
  const aof = engine.aof;
  const file = aof.state === 'off' ? null : aof.writingTo;
  const row = file === null ? undefined : engine.disk.list().find((entry) => entry.name === file);
  const fileBytes = row?.sizeBytes ?? 0;
  const durableBytes = row?.durableBytes ?? 0;
  const appendfsync = engine.config.get('appendfsync');
  if (
    previous !== null &&
    previous.state === aof.state &&
    previous.file === file &&
    previous.fileBytes === fileBytes &&
    previous.durableBytes === durableBytes &&
    previous.bufferBytes === aof.buffer.length &&
    previous.appendfsync === appendfsync
  ) {
    return previous;
  }

  let fileCommands: AofCommandView[] = [];
  let total = 0;
  if (file !== null) {
    const bin = fileBin(engine, file);
    cache.parsed = decodeFile(bin, file, cache.parsed, max);
    total = cache.parsed.total;
    fileCommands = cache.parsed.commands.map((command) => commandView(command, bin, command.offset + command.length <= durableBytes ? 'durable' : 'cached', file));
  } else {
    cache.parsed = null;
  }
  const buffered = aof.buffer.length === 0 ? [] : readAof(aof.buffer).commands.map((command) => commandView(command, aof.buffer, 'buffer', `buf${fileBytes}`));
  total += buffered.length;
  const all = fileCommands.concat(buffered);
  return {
    state: aof.state,
    appendfsync,
    file,
    fileBytes,
    durableBytes,
    bufferBytes: aof.buffer.length,
    commands: all.length > max ? all.slice(all.length - max) : all,
    totalCommands: total,
  };
}

function fileBin(engine: AofEngine, path: string): string {
  const bytes = engine.disk.read(path);
  return bytes === null ? '' : bytesToBin(bytes);
}

export function buildLifecycleView(engine: LifecycleEngine, previous: LifecycleView | null = null): LifecycleView {
  const fresh: LifecycleView = { running: engine.running, downBecause: engine.downBecause, startupError: engine.startupError, pid: engine.pid };
  return previous !== null &&
    previous.running === fresh.running &&
    previous.downBecause === fresh.downBecause &&
    previous.startupError === fresh.startupError &&
    previous.pid === fresh.pid
    ? previous
    : fresh;
}

// ---- the AOF rewrite, step by step ------------------------------------------------------------------

/**
 * One AOF rewrite (BGREWRITEAOF, an automatic one, or the first when `CONFIG SET appendonly yes`) as
 * the steps a student follows: the parent opens a new incr file and forks; the child writes the
 * dataset as of the fork into `temp-rewriteaof-<pid>.aof` (an RDB preamble, or RESP commands),
 * fsyncs it and renames it `temp-rewriteaof-bg-<pid>.aof`, then exits; at its next tick the parent
 * reaps it, renames that file to the new base, writes the manifest, and retires the old base and
 * incr files (history, deleted at once).
 *
 * Learnt from the event stream by `AofRewriteTracker` (the persistence tracker feeds it), and from
 * the live child while it runs; never from what an earlier build happened to see, so a replay to
 * any moment of the timeline shows exactly what the live run showed there. The parent's reap is the
 * engine's `child.reaped` event: in cron (installed or failed), or at once when the parent stopped
 * the child itself (the AOF switched off, a shutdown).
 */

export type AofRewriteOutcome =
  /** The child is writing the new base. */
  | 'running'
  /** The child renamed its finished file and exited; the parent has not reaped it yet. */
  | 'written'
  /** The parent installed the new base and manifest and retired the old files. */
  | 'installed'
  /** The child failed or was killed; the parent reaped it and removed its temp file. */
  | 'failed'
  /** The parent stopped the rewrite (the AOF switched off): the child and its files are gone. */
  | 'stopped'
  /** Redis went down (crash, shutdown) before the rewrite finished. */
  | 'interrupted';

export type AofRewriteStepId = 'incr' | 'write' | 'rename' | 'install' | 'retire';
export type AofRewriteStepState = 'done' | 'active' | 'pending' | 'failed' | 'skipped';

export interface AofRewriteStep {
  readonly id: AofRewriteStepId;
  readonly state: AofRewriteStepState;
}

export interface AofRewriteView {
  readonly childPid: number;
  readonly startedAtMs: number;
  /** The first rewrite, run as the AOF is switched on: its incr file is a temp one, nothing is retired. */
  readonly first: boolean;
  /** The incr file opened at the fork for the writes made after it (its current name), or null with the AOF off. */
  readonly incrFile: string | null;
  /** What the new base holds: an RDB preamble (aof-use-rdb-preamble yes) or RESP commands. */
  readonly baseFormat: 'rdb' | 'resp';
  readonly tempName: string;
  /** The name the child gives its finished file. */
  readonly finishedName: string;
  readonly writtenBytes: number;
  /** The new base's size: known while the child lives, or once it finished; null for a child gone unfinished. */
  readonly totalBytes: number | null;
  readonly outcome: AofRewriteOutcome;
  /**
   * How the child ended by itself: null while it runs, and when the parent stopped it (its exit on
   * SIGUSR1 is the parent's doing, which `outcome` tells).
   */
  readonly exit: { readonly atMs: number; readonly code: number | null; readonly signal: number | null } | null;
  /** When the parent reaped the child (at once, for a child it stopped). */
  readonly reapedAtMs: number | null;
  /** The new base, once installed. */
  readonly baseFile: string | null;
  /** The old base and incr files moved to history and deleted, in the order Redis removed them. */
  readonly retired: readonly string[];
  /** A failed first rewrite deleted its incr file (the writes it gathered are in the dataset; Redis starts over). */
  readonly incrDropped: boolean;
  readonly steps: readonly AofRewriteStep[];
}

/** What the tracker learnt of the last rewrite. */
interface RewriteRecord {
  readonly childPid: number;
  readonly parentPid: number;
  readonly startedAtMs: number;
  readonly first: boolean;
  /** The incr file opened at the fork, followed through its rename. */
  incrFile: string | null;
  readonly tempName: string;
  readonly finishedName: string;
  writtenBytes: number;
  renamed: boolean;
  exit: { atMs: number; code: number | null; signal: number | null } | null;
  reaped: { atMs: number; outcome: ReapOutcome } | null;
  baseFile: string | null;
  retired: string[];
  /** The incr file a failed first rewrite deleted. */
  incrDropped: boolean;
  interrupted: boolean;
}

/** An incr file's name: `appendonly.aof.2.incr.aof`, or the temp one of a first rewrite, `temp-appendonly.aof.incr`. */
const INCR_NAME = /\.incr(\.aof)?$/;
const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** An RDB file starts with the magic `REDIS`: the hybrid base's preamble. */
export function startsWithRdbMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 5 && bytes[0] === 0x52 && bytes[1] === 0x45 && bytes[2] === 0x44 && bytes[3] === 0x49 && bytes[4] === 0x53;
}

/** Follows the last AOF rewrite through the event stream; one per engine. */
export class AofRewriteTracker {
  private record: RewriteRecord | null = null;
  /** The last incr file created: the fork that follows at the same moment opened it. */
  private lastIncr: { name: string; atMs: number } | null = null;

  observe(event: EngineEvent): void {
    const record = this.record;
    switch (event.type) {
      case 'file.created':
        if (INCR_NAME.test(event.name)) this.lastIncr = { name: event.name, atMs: event.atMs };
        return;
      case 'fork.started': {
        if (event.purpose !== 'aof-rewrite') return;
        const opened = this.lastIncr !== null && this.lastIncr.atMs === event.atMs ? this.lastIncr.name : null;
        this.record = newRecord(event.childPid, event.parentPid, event.atMs, opened);
        this.lastIncr = null;
        return;
      }
      case 'process.crashed':
      case 'server.stopped':
        if (record !== null && record.reaped === null) record.interrupted = true;
        return;
      case 'process.started':
        // A new process has no rewrite going; the last one belonged to the process that died.
        this.record = null;
        return;
    }
    if (record === null) return;
    switch (event.type) {
      case 'file.written':
        if (event.name === record.tempName) record.writtenBytes = Math.max(record.writtenBytes, event.offset + event.length);
        return;
      case 'file.renamed':
        if (event.from === record.tempName) {
          record.renamed = true;
        } else if (event.from === record.finishedName) {
          record.baseFile = event.to;
        } else if (event.from === record.incrFile) {
          record.incrFile = event.to;
        }
        return;
      case 'file.deleted': {
        const reaped = record.reaped;
        if (reaped === null || event.by !== record.parentPid) return;
        if (reaped.outcome === 'ok' && event.atMs === reaped.atMs && event.name !== record.tempName && event.name !== record.finishedName) {
          record.retired.push(event.name);
        } else if (reaped.outcome === 'failed' && event.name === record.incrFile) {
          record.incrDropped = true;
        }
        return;
      }
      case 'child.exited':
        // Exit code 255 is the child obeying the parent's SIGUSR1, as Redis reads it: not its own end.
        if (event.pid === record.childPid && event.exitCode !== SIGUSR1_EXIT_CODE) record.exit = { atMs: event.atMs, code: event.exitCode, signal: event.signal };
        return;
      case 'child.reaped':
        if (event.pid === record.childPid && record.reaped === null) record.reaped = { atMs: event.atMs, outcome: event.outcome };
        return;
    }
  }

  build(engine: RewriteEngine, previous: AofRewriteView | null): AofRewriteView | null {
    const live = engine.aof.child;
    if (live !== null && (this.record === null || this.record.childPid !== live.pid)) {
      // A child whose fork the tracker missed (a long replay keeps only the newest events).
      this.record = newRecord(live.pid, engine.pid, live.startedAtMs, engine.aof.writingTo);
    }
    const record = this.record;
    if (record === null) return null;
    const child = live !== null && live.pid === record.childPid ? live : null;
    const fresh: AofRewriteView = {
      childPid: record.childPid,
      startedAtMs: record.startedAtMs,
      first: record.first,
      incrFile: record.incrFile,
      // What the child writes says it best; once it is gone, the base's name (.rdb or .aof) or the setting.
      baseFormat:
        child !== null
          ? startsWithRdbMagic(child.bytes)
            ? 'rdb'
            : 'resp'
          : record.baseFile !== null
            ? record.baseFile.endsWith('.rdb')
              ? 'rdb'
              : 'resp'
            : engine.config.flag('aof-use-rdb-preamble')
              ? 'rdb'
              : 'resp',
      tempName: record.tempName,
      finishedName: record.finishedName,
      writtenBytes: child?.written ?? record.writtenBytes,
      totalBytes: child !== null ? child.bytes.length : record.renamed ? record.writtenBytes : null,
      outcome: outcomeOf(record, engine),
      exit: record.exit,
      reapedAtMs: record.reaped?.atMs ?? null,
      baseFile: record.baseFile,
      retired: record.retired.slice(),
      incrDropped: record.incrDropped,
      steps: [],
    };
    const view: AofRewriteView = { ...fresh, steps: rewriteSteps(fresh) };
    return previous !== null && sameRewrite(previous, view) ? previous : view;
  }
}

type RewriteEngine = Pick<Engine, 'aof' | 'pid' | 'running' | 'config'>;

function newRecord(childPid: number, parentPid: number, startedAtMs: number, openedIncr: string | null): RewriteRecord {
  return {
    childPid,
    parentPid,
    startedAtMs,
    first: openedIncr !== null && baseName(openedIncr).startsWith('temp-'),
    incrFile: openedIncr,
    tempName: `temp-rewriteaof-${childPid}.aof`,
    finishedName: `temp-rewriteaof-bg-${childPid}.aof`,
    writtenBytes: 0,
    renamed: false,
    exit: null,
    reaped: null,
    baseFile: null,
    retired: [],
    incrDropped: false,
    interrupted: false,
  };
}

function outcomeOf(record: RewriteRecord, engine: RewriteEngine): AofRewriteOutcome {
  const reaped = record.reaped?.outcome ?? null;
  if (reaped === 'ok') return 'installed';
  if (reaped === 'failed') return 'failed';
  // A shutdown stops the child too, then the server goes: Redis went down before the rewrite finished.
  if (record.interrupted || !engine.running) return 'interrupted';
  // Stopped by the parent; or gone with its reap among the events a long replay did not keep.
  if (reaped === 'stopped' || engine.aof.child?.pid !== record.childPid) return 'stopped';
  return record.exit === null ? 'running' : record.exit.code === 0 ? 'written' : 'failed';
}

/** Each step's state, in order, from what happened so far. */
export function rewriteSteps(view: Omit<AofRewriteView, 'steps'>): AofRewriteStep[] {
  const { outcome, exit } = view;
  const childFailed = exit !== null && exit.code !== 0;
  const renamed = exit !== null && exit.code === 0;
  const ended = outcome === 'failed' || outcome === 'stopped' || outcome === 'interrupted';
  const later = (done: boolean, active: boolean): AofRewriteStepState => (done ? 'done' : active ? 'active' : ended ? 'skipped' : 'pending');
  return [
    { id: 'incr', state: view.incrFile === null ? 'skipped' : 'done' },
    {
      id: 'write',
      state: renamed || outcome === 'installed' ? 'done' : childFailed || outcome === 'stopped' || outcome === 'interrupted' ? 'failed' : 'active',
    },
    { id: 'rename', state: later(renamed || outcome === 'installed', false) },
    { id: 'install', state: later(outcome === 'installed', outcome === 'written') },
    { id: 'retire', state: later(outcome === 'installed', false) },
  ];
}

function sameRewrite(a: AofRewriteView, b: AofRewriteView): boolean {
  for (const key of Object.keys(a) as (keyof AofRewriteView)[]) {
    if (key === 'steps' || key === 'retired' || key === 'exit') continue;
    if (a[key] !== b[key]) return false;
  }
  const sameExit = a.exit === b.exit || (a.exit !== null && b.exit !== null && a.exit.atMs === b.exit.atMs && a.exit.code === b.exit.code && a.exit.signal === b.exit.signal);
  return (
    sameExit &&
    a.retired.length === b.retired.length &&
    a.retired.every((name, i) => name === b.retired[i]) &&
    a.steps.every((step, i) => step.state === b.steps[i]?.state)
  );
}
