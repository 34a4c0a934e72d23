import { bytesToBin } from '../../codec/bytes.ts';
import { AofLoadLog, AofManifestError, aofLoadOutcome, manifestErrorLog, parseManifest, readAof, type AofInfo, type AofLogLine } from '../../codec/aof/index.ts';
import type { Engine } from '../engine.ts';
import { loadRdb } from './rdb-load.ts';

/**
 * loadAppendOnlyFiles: Redis 7.0's start with `appendonly yes` (reference §3.9).
 *
 * Only the AOF is read; dump.rdb is ignored even when there is no AOF at all (the restart trap).
 * With no manifest, or one listing nothing, the node starts empty and creates a base and incr 1.
 * Otherwise the base (an RDB, or RESP commands) and then every incr file are replayed in manifest
 * order through a client that gets no replies. A file cut short at the end is truncated on disk
 * and accepted under `aof-load-truncated yes` when it is the last one; anything else that is wrong
 * is fatal, with Redis's log lines, and the node does not start.
 */

/** Returns null when the node may start, else the fatal message (the node's startupError). */
export function loadAppendOnlyFiles(engine: Engine): string | null {
  const aof = engine.aof;
  const manifestBytes = engine.disk.read(aof.path(`${aof.baseName}.manifest`));
  if (manifestBytes === null) {
    aof.createOnStart();
    return null;
  }
  let manifest;
  try {
    manifest = parseManifest(bytesToBin(manifestBytes));
  } catch (caught) {
    if (!(caught instanceof AofManifestError)) throw caught;
    // Redis logs these messages with their newlines, so the block stands out in the log file.
    for (const line of manifestErrorLog(caught)) engine.log('#', line);
    return caught.reason;
  }
  const files = [...(manifest.base === null ? [] : [manifest.base]), ...manifest.incr];
  if (files.length === 0) {
    aof.createOnStart();
    return null;
  }
  // Every file the manifest lists must be there before any is read.
  for (const info of files) {
    if (!engine.disk.exists(aof.path(info.fileName))) {
      const line = AofLoadLog.unableToStat(info.fileName);
      engine.log(line.level as '#', line.text);
      return line.text;
    }
  }
  for (const [i, info] of files.entries()) {
    const failure = loadFile(engine, info, i === files.length - 1);
    if (failure !== null) return failure;
  }
  logLine(engine, AofLoadLog.loadedFromAof(0));
  aof.resumeAfterLoad(manifest);
  return null;
}

function logLine(engine: Engine, line: AofLogLine): void {
  engine.log(line.level as '*' | '#', line.text);
}

/** One file of the manifest, replayed into the keyspace. Returns null, or the fatal message. */
function loadFile(engine: Engine, info: AofInfo, isLastFile: boolean): string | null {
  const aof = engine.aof;
  const path = aof.path(info.fileName);
  const bytes = engine.disk.read(path) as Uint8Array;
  const done = info.type === 'b' ? AofLoadLog.loadedFromBase(info.fileName, 0) : AofLoadLog.loadedFromIncr(info.fileName, 0);
  if (bytes.length === 0) {
    // Empty files are fine (a fresh incr).
    logLine(engine, done);
    return null;
  }
  if (info.type === 'b' && bytesToBin(bytes.subarray(0, 5)) === 'REDIS') {
    logLine(engine, AofLoadLog.readingRdbBase());
    const failure = loadRdb(engine, bytes, 'aof-base', false);
    if (failure !== null) return failure;
    logLine(engine, done);
    return null;
  }
  const read = readAof(bytes, { isKnownCommand: (argv) => engine.knowsCommand(argv) });
  const replayed = read.openMulti >= 0 ? read.commands.slice(0, read.openMulti) : read.commands;
  replay(engine, replayed.map((command) => command.argv));
  const outcome = aofLoadOutcome(info.fileName, read.end, engine.config.flag('aof-load-truncated'), isLastFile);
  for (const line of outcome.log) logLine(engine, line);
  if (outcome.truncateTo !== null) engine.disk.truncate(path, outcome.truncateTo);
  if (outcome.fatal) return outcome.log.at(-1)?.text ?? read.end.kind;
  logLine(engine, done);
  return null;
}

/**
 * Runs the commands as Redis's AOF-loading client does: no replies, MULTI blocks queued and run
 * at EXEC; an error a command answers is logged (== CRITICAL ==) and loading goes on.
 */
function replay(engine: Engine, commands: readonly (readonly string[])[]): void {
  const client = engine.newClient();
  try {
    for (const argv of commands) {
      const reply = engine.execute(client, argv);
      if (reply.type === 'error') {
        const text = reply.value.startsWith('ERR ') ? reply.value.slice(4) : reply.value;
        logLine(engine, AofLoadLog.commandError(text, (argv[0] as string).toLowerCase()));
      }
    }
  } finally {
    engine.closeClient(client);
  }
}
