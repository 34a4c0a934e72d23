import type { Engine } from '../engine/index.ts';
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
  readonly downBecause: 'shutdown' | 'crash-process' | 'crash-power' | 'startup-error' | null;
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
