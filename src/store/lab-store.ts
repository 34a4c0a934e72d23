import { createStore, type StoreApi } from 'zustand/vanilla';
import { Engine, DEFAULT_EPOCH_MS, copyState, nodeFootprintBytes, type Client, type EngineEvent, type NodeCheckpoint } from '../engine/index.ts';
import type { Reply } from '../codec/reply.ts';
import { formatReplyLikeRedisCli, formatReplyRawLikeRedisCli, printsRawLikeRedisCli } from '../codec/cli-format.ts';
import { splitArgs } from '../codec/split-args.ts';
import { utf8ToBin } from '../codec/bytes.ts';
import { buildKeyspaceView, DEFAULT_LIMITS, EMPTY_KEYSPACE, recentlyTouchedKeys, type KeyspaceView, type KeyspaceViewLimits } from './keyspace-view.ts';
import {
  buildPersistenceView,
  DEFAULT_PERSISTENCE_LIMITS,
  PersistenceTracker,
  type PersistenceView,
  type PersistenceViewLimits,
} from './persistence-view.ts';
import type { InspectorView } from './inspector-view.ts';
import { buildDiskFileView, diskFileKind } from './file-transfer.ts';
import { AofViewCache, buildAofView, buildLifecycleView, type AofView, type LifecycleView } from './aof-view.ts';
import { buildSurvivalView, EMPTY_SURVIVAL, type Before, type SurvivalView } from './survival-view.ts';
import { CheckpointShelf, DEFAULT_CHECKPOINT_POLICY, entryWorkBytes, type Checkpoint, type CheckpointPolicy } from './checkpoints.ts';
import { buildConfigView, type ConfigView } from './config-view.ts';
import {
  advanceLine,
  advanceMsOf,
  clampSpeed,
  playbackMs,
  positionOfEvent,
  stepTarget,
  TAPE_MAX_ENTRIES,
  type TapeEntry,
  type TapeEntryKind,
} from './timeline.ts';

/**
 * The running lab as a vanilla zustand store: ONE engine and ONE console client, and everything
 * the panels show, derived after each action. The UI never touches the engine: it calls
 * `runLine`, `advance`, `reset` and the clock actions, and reads state.
 *
 * Simulated time flows with real time while the page is visible: the UI layer calls
 * `startClock(wallMs)` / `tick(wallMs)` / `stopClock()` from a timer (the engine itself has no
 * timers). Real elapsed time times `speed` becomes simulated time; a long gap (a throttled or
 * sleeping tab) counts as at most `MAX_TICK_GAP_MS`, so the node never leaps hours ahead.
 *
 * Every action is also recorded on a tape (./timeline.ts) as the line that replays it. Seeking
 * to an earlier position replays the tape's first entries, exactly, from the nearest checkpoint
 * (./checkpoints.ts: a copy of the node and of what the store carries between entries) or from a
 * fresh node; while the lab shows the past, the clock plays the tape forward, and running a line
 * there branches: the entries after the position are dropped.
 */

/** What redis-cli prints for a line whose quotes do not balance (nothing is sent). */
export const INVALID_ARGUMENTS = 'Invalid argument(s)';
/** redis-cli's prompt, before the `[db]` and `(TX)` marks. */
const PROMPT_HOST = '127.0.0.1';
/** redis-cli's prompt while it has no connection (the lab adds the space after every prompt). */
export const NOT_CONNECTED_PROMPT = 'not connected>';
/** What redis-cli 7.0 prints for a command when nothing listens on the port. */
export const connectionRefused = (port: number): string => `Could not connect to Redis at ${PROMPT_HOST}:${port}: Connection refused`;
/** What redis-cli 7.0 prints when the server closed the connection instead of replying (it died running the command). */
export const SERVER_CLOSED_CONNECTION = 'Error: Server closed the connection';
/** linenoise, redis-cli's line editor, keeps 100 lines of history. */
const HISTORY_MAX = 100;
const TRANSCRIPT_MAX = 500;
const EVENT_LOG_MAX = 500;
const MAX_TICK_GAP_MS = 1000;

export type ConsoleOutput =
  /** A reply, as redis-cli prints it (`text`), plus the reply itself for narration. */
  | { readonly kind: 'reply'; readonly reply: Reply; readonly text: string; readonly isError: boolean }
  /** Unbalanced quotes: redis-cli prints `Invalid argument(s)` and sends nothing. */
  | { readonly kind: 'invalid'; readonly text: typeof INVALID_ARGUMENTS }
  /**
   * No reply: redis-cli printed why (`text`). Nothing listens on the port (the server is down), or
   * the server closed the connection while running the command (it died).
   */
  | { readonly kind: 'disconnected'; readonly text: string }
  /** A blank line: a new prompt, nothing sent. */
  | { readonly kind: 'empty' }
  /** `clear`, which redis-cli handles itself by clearing the screen. */
  | { readonly kind: 'clear' }
  /** `quit` or `exit`, which end redis-cli without sending anything; the console starts it again. */
  | { readonly kind: 'cli-restarted' };

export interface TranscriptEntry {
  readonly id: number;
  /** The prompt shown when the line was typed, e.g. `127.0.0.1:6379[2]>`, or `not connected>`. */
  readonly prompt: string;
  readonly line: string;
  readonly output: ConsoleOutput;
  /** Simulated unix ms when the line ran. */
  readonly atMs: number;
}

export interface LoggedEvent {
  /** Position in the lab's event stream, counting from 1; stable across renders. */
  readonly seq: number;
  readonly event: EngineEvent;
}

/** A notable moment on the timeline, for its markers. */
export interface TimelineMark {
  /** The position just after the entry in which it happened. */
  readonly position: number;
  readonly kind: 'fork' | 'saved' | 'crash' | 'restart' | 'shutdown';
  readonly atMs: number;
}

/** A line of the server log, with the position to seek to for the moment it was written. */
export interface LogLineView {
  readonly text: string;
  /** Null for the lines the node wrote while starting, before any action. */
  readonly position: number | null;
}

export interface TimelineView {
  /** Entries on the tape. */
  readonly length: number;
  /** Entries applied: `length` when the lab shows now. */
  readonly position: number;
  /** Simulated ms at the fresh node and after the last entry. */
  readonly startMs: number;
  readonly endMs: number;
  readonly marks: readonly TimelineMark[];
  /** False when the tape is full and the lab no longer records (so it can no longer rewind). */
  readonly recording: boolean;
}

/**
 * Later moments dropped from the tape, kept so that they can be brought back: by the Branch
 * button, or by an action taken while the lab showed the past (which branches first).
 */
export interface DroppedFuture {
  /** Tells one drop from the next. */
  readonly id: number;
  readonly cause: 'branch' | 'action';
  /** The tape before the drop, and the moment that was shown, the speed and the pause switch. */
  readonly tape: readonly Pick<TapeEntry, 'kind' | 'line'>[];
  readonly position: number;
  readonly speed: number;
  readonly paused: boolean;
}

export interface LabState {
  /** The console screen, oldest first (bounded). */
  readonly transcript: readonly TranscriptEntry[];
  /** The last line run, including `clear`, which leaves no trace in the transcript. */
  readonly lastRun: TranscriptEntry | null;
  /** Lines for ArrowUp/ArrowDown, oldest first, without consecutive duplicates (bounded). */
  readonly history: readonly string[];
  /** The prompt for the next line: `not connected>` while the console has no connection to a running server. */
  readonly prompt: string;
  readonly keyspace: KeyspaceView;
  /** Processes, disk, server log and INFO persistence figures (bounded, rebuilt after every action). */
  readonly persistence: PersistenceView;
  /**
   * The file open in the inspector (an RDB, an AOF file, the manifest), or null. With no file
   * picked it follows `dbfilename` (dump.rdb) as soon as there is one; a picked file is followed across renames.
   */
  readonly inspector: InspectorView | null;
  /** The AOF log: the incr file's last commands and aof_buf's, each with where its bytes are. */
  readonly aof: AofView;
  /** Whether the server runs, and why not. */
  readonly lifecycle: LifecycleView;
  /** The last crash and restart: what the process held, what each file kept, the load path's steps. */
  readonly survival: SurvivalView;
  /** The redis.conf panel: each persistence directive's startup and running value. */
  readonly config: ConfigView;
  /** Engine events, oldest first (bounded). The live clock's own `time.advanced` ticks are left out. */
  readonly events: readonly LoggedEvent[];
  /** Simulated unix ms. */
  readonly nowMs: number;
  readonly paused: boolean;
  /** Simulated ms per real ms while the clock runs (0.1 to 100). */
  readonly speed: number;
  /** Counts resets: a new value means a fresh node. */
  readonly generation: number;
  readonly timeline: TimelineView;
  /** The server log's last lines, each linked to its moment on the timeline. */
  readonly serverLog: readonly LogLineView[];
  /**
   * What produced the events the last change appended: `live`, an action (a typed line, a button,
   * the clock, a jump of the clock, at the tape's end or branching from the past, and a tape loaded
   * as if just done), or `replay`, the timeline replaying its tape (a seek, a step, the past
   * playing). The tape's length and position cannot tell a branch from one entry back from the
   * replay of the last entry: both end at the same length.
   */
  readonly eventSource: 'live' | 'replay';
  /** The last later moments dropped by a branch, until the next reset or load. */
  readonly lastDrop: DroppedFuture | null;

  /** Runs one line as typed into redis-cli, and records it. */
  runLine(line: string): TranscriptEntry;
  /** Opens a file of the virtual disk in the inspector; null goes back to following `dbfilename`. */
  inspectFile(name: string | null): void;
  /** A copy of a file of the virtual disk as processes see it (for a download), or null. */
  readDiskFile(name: string): Uint8Array | null;
  /** Lets `ms` of simulated time pass at once. */
  advance(ms: number): void;
  /** A fresh node and an empty screen; the history and the pause setting stay. */
  reset(): void;
  /** A fresh node that runs `lines` (a scenario), then shows `position` of them (all by default). */
  loadScenario(lines: readonly string[], position?: number): void;
  /** A fresh node that replays a tape (as `getTape()` gave it, e.g. from a permalink), then shows `position` entries. */
  loadTape(entries: readonly Pick<TapeEntry, 'kind' | 'line'>[], position?: number): void;
  /** The tape's entries (the lines that replay the lab). */
  getTape(): readonly TapeEntry[];
  /** Shows the lab as it was after `position` entries of the tape (clamped); the clock pauses on a seek back. */
  seek(position: number): void;
  stepBack(): void;
  stepForward(): void;
  /** Seeks to the moment an event (by its `seq`) happened. */
  seekToEvent(seq: number): void;
  /** Drops the entries after the position shown, so the next action continues from here. */
  branch(): void;
  setSpeed(speed: number): void;
  /** Clears the console screen, as redis-cli's `clear` and Ctrl+L do. */
  clearScreen(): void;
  setPaused(paused: boolean): void;
  /** Starts following real time from `wallMs` (a monotonic ms reading such as performance.now()). */
  startClock(wallMs: number): void;
  /** Advances simulated time by the real time since the previous call, unless paused. */
  tick(wallMs: number): void;
  stopClock(): void;
}

export type LabStore = StoreApi<LabState>;

export interface LabStoreOptions {
  /** Simulated unix ms at start (and after each reset). */
  readonly epochMs?: number;
  readonly seed?: number;
  readonly limits?: Partial<KeyspaceViewLimits>;
  readonly persistenceLimits?: Partial<PersistenceViewLimits>;
  /** Where the timeline keeps checkpoints (tests space them closely so that seeks use them). */
  readonly checkpoints?: Partial<CheckpointPolicy>;
}

/**
 * What the store carries from one entry to the next besides the node, folded up from the events:
 * a checkpoint keeps it with the node. The tracker and the AOF view's cache are mutable, so a
 * checkpoint holds copies and a restore copies them again. The tracker is the one the events alone
 * made (see `eventTracker`), as a replay from scratch has it.
 */
interface Fold {
  readonly nextSeq: number;
  readonly tracker: PersistenceTracker;
  readonly aofCache: AofViewCache;
  readonly logLines: readonly LogLineView[];
  /** The event log's tail, and the console lines the tape's entries printed (what a replay shows). */
  readonly events: readonly LoggedEvent[];
  readonly shown: readonly TranscriptEntry[];
  readonly survival: SurvivalView;
}

type LabCheckpoint = Checkpoint<NodeCheckpoint<Client>, Fold>;

/** redis-cli's prompt: `127.0.0.1:6379`, then `[n]` when a database other than 0 is selected, `(TX)` inside MULTI. */
export function formatPrompt(port: number, client: Pick<Client, 'db' | 'multi'>): string {
  return `${PROMPT_HOST}:${port}${client.db !== 0 ? `[${client.db}]` : ''}${client.multi !== null ? '(TX)' : ''}>`;
}

function appendBounded<T>(list: readonly T[], items: readonly T[], max: number): readonly T[] {
  if (items.length === 0) return list;
  const joined = list.concat(items);
  return joined.length > max ? joined.slice(joined.length - max) : joined;
}

/** Events after which the keyspace view must be rebuilt (other than running a line, which always does). */
function changesKeyspace(event: EngineEvent): boolean {
  return event.type === 'key.expired' || event.type === 'db.flushed' || event.type === 'command.executed';
}

export function createLabStore(options: LabStoreOptions = {}): LabStore {
  const limits: KeyspaceViewLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const persistenceLimits: PersistenceViewLimits = { ...DEFAULT_PERSISTENCE_LIMITS, ...options.persistenceLimits };
  // The lab's node has a redis.conf (the panel shows it; SIM RESTART --directive edits it), so CONFIG REWRITE works.
  const makeEngine = (): Engine => new Engine({ epochMs: options.epochMs ?? DEFAULT_EPOCH_MS, seed: options.seed, configFile: true });

  let engine = makeEngine();
  let client = engine.newClient();
  let tracker = new PersistenceTracker();
  /**
   * The same tracker, fed the same events but never used to build a view (a build may memoise in
   * its tracker, so the one the panels use depends on how often they were built): what a replay
   * from scratch has before its one build, and what checkpoints keep.
   */
  let eventTracker = new PersistenceTracker();
  let aofCache = new AofViewCache();
  /** The inspected file's row identity, or null to follow `dbfilename`. */
  let inspectedId: string | null = null;
  let pending: LoggedEvent[] = [];
  let nextSeq = 1;
  let nextEntryId = 1;
  let nextDropId = 1;
  // Entries whose `time.advanced` events would flood the log (the live clock's ticks) set this.
  let muteTimeEvents = false;
  let clockRunning = false;
  let lastWallMs = 0;
  let carriedMs = 0;

  // The tape, its marks and how much of it is applied (see ./timeline.ts).
  let tape: TapeEntry[] = [];
  let marks: TimelineMark[] = [];
  let position = 0;
  let startMs = engine.nowMs;
  /** While the past plays, playback time owed to the next entry. */
  let playbackCarryMs = 0;
  /** The server log as the store saw it, each line with its position (bounded). */
  let logLines: LogLineView[] = [];
  /** The survival card, folded entry by entry (see `foldEntry`). */
  let survival: SurvivalView = EMPTY_SURVIVAL;
  /** The last console lines the tape's entries printed, which `clear` does not touch: what a replay shows. */
  let shownTail: readonly TranscriptEntry[] = [];
  const checkpointPolicy: CheckpointPolicy = { ...DEFAULT_CHECKPOINT_POLICY, ...options.checkpoints };
  const shelf = new CheckpointShelf<NodeCheckpoint<Client>, Fold>(checkpointPolicy);

  const startupLog = (): LogLineView[] => engine.serverLog.slice(-persistenceLimits.logLines).map((text) => ({ text, position: null }));

  const listen = (event: EngineEvent): void => {
    if (muteTimeEvents && event.type === 'time.advanced') return;
    pending.push({ seq: nextSeq++, event });
  };
  let unsubscribe = engine.subscribe(listen);

  /** A fresh node: the engine, its console client and the trackers that follow it. */
  const freshNode = (): void => {
    unsubscribe();
    engine = makeEngine();
    client = engine.newClient();
    pending = [];
    nextSeq = 1;
    tracker = new PersistenceTracker();
    eventTracker = new PersistenceTracker();
    aofCache = new AofViewCache();
    position = 0;
    startMs = engine.nowMs;
    logLines = startupLog();
    survival = EMPTY_SURVIVAL;
    shownTail = [];
    unsubscribe = engine.subscribe(listen);
    shelf.restored();
  };
  logLines = startupLog();

  /**
   * Puts the node, and what the store carries, back as they were at a checkpoint, by copying it
   * (the checkpoint itself never runs); a fresh node for null, or when a copy cannot be made.
   * Returns the checkpoint restored, or null for a fresh node.
   */
  const restore = (checkpoint: LabCheckpoint | null): LabCheckpoint | null => {
    const node = checkpoint === null ? null : checkpoint.node.engine.checkpoint(checkpoint.node.held);
    const trackerCopy = checkpoint === null ? null : copyState(checkpoint.fold.tracker);
    const eventTrackerCopy = checkpoint === null ? null : copyState(checkpoint.fold.tracker);
    const cacheCopy = checkpoint === null ? null : copyState(checkpoint.fold.aofCache);
    if (checkpoint === null || node === null || trackerCopy?.ok !== true || eventTrackerCopy?.ok !== true || cacheCopy?.ok !== true) {
      freshNode();
      return null;
    }
    const { fold } = checkpoint;
    unsubscribe();
    engine = node.engine;
    client = node.held;
    pending = [];
    nextSeq = fold.nextSeq;
    tracker = trackerCopy.copy;
    eventTracker = eventTrackerCopy.copy;
    aofCache = cacheCopy.copy;
    position = checkpoint.position;
    logLines = fold.logLines as LogLineView[];
    survival = fold.survival;
    shownTail = fold.shown;
    unsubscribe = engine.subscribe(listen);
    shelf.restored();
    return checkpoint;
  };

  const keyCount = (): number => {
    let keys = 0;
    for (const db of engine.dbs) keys += db.size;
    return keys;
  };

  /** Just before an entry: what the process holds and the files as they are, for the survival card. */
  const before = (): Before => ({
    keyspace: { totalKeys: keyCount() },
    aof: { bufferBytes: engine.aof.buffer.length },
    persistence: { disk: { files: engine.disk.list() } },
    survival,
  });

  /**
   * The inspector for the file it shows now: rebuilt only when that file's content changed (or
   * another file is to be shown), so a clock tick costs nothing while the disk is quiet.
   */
  const inspect = (persistence: PersistenceView, previous: InspectorView | null): InspectorView | null => {
    const { files, dbfilename } = persistence.disk;
    const file = inspectedId !== null ? files.find((row) => row.id === inspectedId) : files.find((row) => row.name === dbfilename);
    if (file === undefined) {
      if (previous === null || inspectedId === null) return null;
      return previous.gone ? previous : { ...previous, gone: true };
    }
    const sameKind = previous !== null && diskFileKind(previous.name) === diskFileKind(file.name);
    if (previous !== null && !previous.gone && previous.fileId === file.id && previous.sizeBytes === file.sizeBytes && previous.modifiedAtMs === file.modifiedAtMs && sameKind) {
      // A rename changes the name only (a rewrite's temp .aof becoming the base .rdb is read anew).
      return previous.name === file.name ? previous : { ...previous, name: file.name };
    }
    return buildDiskFileView(file, engine.disk.read(file.name) ?? new Uint8Array());
  };

  const initialPersistence = (): PersistenceView => buildPersistenceView(engine, tracker, null, persistenceLimits);

  /**
   * The console's redis-cli holds a connection: the server runs and is the process it connected
   * to (a crash, a SHUTDOWN or a restart ends it). Unlike redis-cli after a `kill -9` from another
   * terminal, which learns of it only from the next command ("Error: Server closed the connection"),
   * the console knows at once: every crash and restart in the lab is a line it ran.
   */
  const connected = (): boolean => engine.running && engine.listClients().includes(client);
  const promptNow = (): string => (connected() ? formatPrompt(engine.port, client) : NOT_CONNECTED_PROMPT);

  /** redis-cli connects again for the next command and selects the database it was using. */
  const reconnect = (): void => {
    const { db } = client;
    client = engine.newClient();
    client.db = db;
  };

  /**
   * Runs a line on the node as the console does, giving what the console shows. Without a
   * connection, redis-cli connects first; while nothing listens, it says so and sends nothing. The
   * lab's own SIM lines act on the machine, not through the connection: they work while it is down.
   */
  const execute = (line: string): ConsoleOutput => {
    const argv = splitArgs(utf8ToBin(line));
    // The command the line names, lower-cased (null for a blank line or unbalanced quotes).
    const command = argv === null || argv.length === 0 ? null : (argv[0] as string).toLowerCase();
    if (command === 'quit' || command === 'exit') {
      // redis-cli exits, whatever follows the word (checked on redis-cli 7.0.15); started again it
      // is a new connection, on database 0 (or none while the server is down).
      if (connected()) engine.closeClient(client);
      if (engine.running) client = engine.newClient();
      return { kind: 'cli-restarted' };
    }
    let sent = connected();
    if (!sent && command !== null && command !== 'sim') {
      if (!engine.running) return { kind: 'disconnected', text: connectionRefused(engine.port) };
      reconnect();
      sent = true;
    }
    const result = engine.run(line, client);
    if (result.kind === 'invalid') return { kind: 'invalid', text: INVALID_ARGUMENTS };
    if (result.kind === 'empty') return { kind: 'empty' };
    // The connection ended while the server ran the command (it died): no reply came. redis-cli expects that of SHUTDOWN and prints nothing.
    if (sent && !connected() && command !== 'sim' && command !== 'shutdown') return { kind: 'disconnected', text: SERVER_CLOSED_CONNECTION };
    const text = argv !== null && printsRawLikeRedisCli(argv) ? formatReplyRawLikeRedisCli(result.reply) : formatReplyLikeRedisCli(result.reply);
    return { kind: 'reply', reply: result.reply, text, isError: result.reply.type === 'error' };
  };

  /**
   * Applies one tape entry to the node; a typed line returns its transcript entry. Time entries
   * advance the clock directly, as the clock panel does, not as a console command.
   */
  const apply = (entry: Pick<TapeEntry, 'kind' | 'line'>): TranscriptEntry | null => {
    if (entry.kind === 'line') {
      const entryBase = { id: nextEntryId++, prompt: promptNow(), line: entry.line, atMs: engine.nowMs };
      return { ...entryBase, output: execute(entry.line) };
    }
    muteTimeEvents = entry.kind === 'tick';
    try {
      engine.advance(advanceMsOf(entry.line));
    } finally {
      muteTimeEvents = false;
    }
    return null;
  };

  const timelineView = (): TimelineView => ({
    length: tape.length,
    position,
    startMs,
    endMs: tape.length === 0 ? startMs : (tape[tape.length - 1] as TapeEntry).endMs,
    marks,
    recording: tape.length < TAPE_MAX_ENTRIES,
  });

  /** The moments worth a marker among an entry's events. */
  const markEvents = (events: readonly LoggedEvent[], at: number): void => {
    for (const { event } of events) {
      const kind: TimelineMark['kind'] | null =
        event.type === 'fork.started'
          ? 'fork'
          : event.type === 'rdb.saved'
            ? 'saved'
            : event.type === 'process.crashed'
              ? 'crash'
              : event.type === 'process.started'
                ? 'restart'
                : event.type === 'server.stopped'
                  ? 'shutdown'
                  : null;
      if (kind !== null) marks.push({ position: at, kind, atMs: event.atMs });
    }
  };

  /** The log lines among fresh events, each linked to the position after the entry that wrote it. */
  const followLog = (events: readonly LoggedEvent[], at: number | null): void => {
    const added: LogLineView[] = [];
    for (const { event } of events) if (event.type === 'log.line') added.push({ text: event.text, position: at });
    if (added.length > 0) logLines = appendBounded(logLines, added, persistenceLimits.logLines) as LogLineView[];
  };

  /** Records an action that just ran on the live node (the position being the tape's end); false when the tape is full. */
  const recordEntry = (kind: TapeEntryKind, line: string, atMs: number, fresh: readonly LoggedEvent[]): boolean => {
    if (tape.length >= TAPE_MAX_ENTRIES) return false;
    tape.push({ kind, line, atMs, endMs: engine.nowMs, seqEnd: nextSeq - 1 });
    position = tape.length;
    markEvents(fresh, position);
    return true;
  };

  /**
   * Folds an entry's events into what the store carries, the same way whether the entry is being
   * recorded or replayed: the persistence tracker, the survival card (from `prior`, taken just
   * before the entry), the server log. Returns the entry's replay work (./checkpoints.ts).
   */
  const foldEntry = (produced: readonly LoggedEvent[], prior: Before): number => {
    const events = produced.map((logged) => logged.event);
    tracker.observe(events);
    eventTracker.observe(events);
    survival = buildSurvivalView(engine, produced, prior, client.id);
    followLog(produced, position);
    return entryWorkBytes(produced, prior.keyspace.totalKeys, keyCount());
  };

  /**
   * After an entry brought the node to `position`: a checkpoint when one is due there. A node
   * that is not quiet is tried again after the next entry; one too big to copy is skipped.
   */
  const maybeCheckpoint = (workBytes: number, tails: () => Pick<Fold, 'events' | 'shown'>, spacing?: number): void => {
    if (!shelf.passed(position, workBytes, spacing) || !engine.quiet) return;
    const bytes = nodeFootprintBytes(engine);
    const node = bytes <= checkpointPolicy.maxNodeBytes ? engine.checkpoint(client) : null;
    const trackerCopy = node === null ? null : copyState(eventTracker);
    const cacheCopy = node === null ? null : copyState(aofCache);
    if (node === null || trackerCopy?.ok !== true || cacheCopy?.ok !== true) {
      shelf.declined();
      return;
    }
    const fold: Fold = { nextSeq, tracker: trackerCopy.copy, aofCache: cacheCopy.copy, logLines, survival, ...tails() };
    shelf.add({ position, node, fold, bytes });
  };

  /** What the redis.conf panel reads: the running config and redis.conf. */
  const configSource = () => ({ running: engine.running, config: engine.config, startup: engine.startupConfigView });

  return createStore<LabState>()((set, get) => {
    /**
     * Publishes what the engine did since the last commit (its events already folded in), with the
     * derived panels; `state` holds the views to reuse parts of and the event log to extend.
     */
    const commit = (changes: Partial<LabState>, keyspaceMayHaveChanged: boolean, fresh: readonly LoggedEvent[], state: LabState = get()): void => {
      const rebuild = keyspaceMayHaveChanged || fresh.some((logged) => changesKeyspace(logged.event));
      const persistence = buildPersistenceView(engine, tracker, state.persistence, persistenceLimits);
      const events = appendBounded(state.events, fresh, EVENT_LOG_MAX);
      set({
        eventSource: 'live',
        ...changes,
        events,
        // The keys the latest commands named stay listed in a database too big to list whole.
        keyspace: rebuild ? buildKeyspaceView(engine, state.keyspace, limits, recentlyTouchedKeys(events, limits.maxRecentKeys)) : state.keyspace,
        persistence,
        inspector: persistence === state.persistence ? state.inspector : inspect(persistence, state.inspector),
        aof: buildAofView(engine, aofCache, state.aof),
        lifecycle: buildLifecycleView(engine, state.lifecycle),
        survival,
        config: buildConfigView(configSource(), state.config),
        nowMs: engine.nowMs,
        prompt: promptNow(),
        timeline: timelineView(),
        serverLog: logLines,
      });
    };

    /** Takes the events produced since the last call. */
    const takePending = (): LoggedEvent[] => {
      const fresh = pending;
      pending = [];
      return fresh;
    };

    /** Runs an action at the tape's end (branching first if the lab shows the past) and records it. */
    const act = (kind: TapeEntryKind, line: string): { shown: TranscriptEntry | null; fresh: LoggedEvent[] } => {
      if (position < tape.length) dropFuture('action');
      const atMs = engine.nowMs;
      const prior = before();
      const shown = apply({ kind, line });
      const fresh = takePending();
      const recorded = recordEntry(kind, line, atMs, fresh);
      const workBytes = foldEntry(fresh, prior);
      if (shown !== null) shownTail = appendBounded(shownTail, [shown], TRANSCRIPT_MAX);
      if (recorded) maybeCheckpoint(workBytes, () => ({ events: appendBounded(get().events, fresh, EVENT_LOG_MAX), shown: shownTail }));
      return { shown, fresh };
    };

    const dropFuture = (cause: DroppedFuture['cause']): void => {
      const { speed, paused } = get();
      const kept = tape.map((entry) => ({ kind: entry.kind, line: entry.line }));
      set({ lastDrop: { id: nextDropId++, cause, tape: kept, position, speed, paused } });
      tape = tape.slice(0, position);
      marks = marks.filter((mark) => mark.position <= position);
      shelf.dropAfter(position);
    };

    /** What a new lab shows, at start and after a reset (history and the pause switch are the user's). */
    const freshView = () => ({
      transcript: [],
      lastRun: null,
      prompt: promptNow(),
      keyspace: EMPTY_KEYSPACE,
      persistence: initialPersistence(),
      inspector: null,
      aof: buildAofView(engine, aofCache),
      lifecycle: buildLifecycleView(engine),
      survival: EMPTY_SURVIVAL,
      config: buildConfigView(configSource()),
      events: [],
      eventSource: 'live' as const,
      lastDrop: null,
      nowMs: engine.nowMs,
      timeline: timelineView(),
      serverLog: logLines,
    });

    /**
     * Moves the node to `target` entries of the tape: back by replaying from the nearest
     * checkpoint at or before it (a fresh node if none), forward by applying the next entries,
     * from a checkpoint on the way when there is one. Only the last screenful of console lines
     * is rebuilt.
     */
    const moveTo = (target: number, marking = false): void => {
      const goal = Math.max(0, Math.min(tape.length, Math.floor(target)));
      if (goal === position) return;
      const from = shelf.nearest(goal);
      const restoring = goal < position || (from !== null && from.position > position);
      let state = get();
      let transcript: readonly TranscriptEntry[] = state.transcript;
      if (restoring) {
        const restored = restore(from);
        // A restored node's panels are built against a fresh node's, as a replay from scratch does.
        state = { ...state, ...freshPanels, events: restored === null ? [] : restored.fold.events };
        transcript = shownTail;
      }
      const shownBefore = shownTail;
      const shown: TranscriptEntry[] = [];
      const fresh: LoggedEvent[] = [];
      const spacing = shelf.spacingFor(goal - position);
      while (position < goal) {
        const entry = tape[position] as TapeEntry;
        const atMs = engine.nowMs;
        const prior = before();
        const ran = apply(entry);
        if (ran !== null) shown.push(ran);
        // The same figures as when it was recorded (the node is deterministic); a loaded tape gets them here.
        tape[position] = { ...entry, atMs, endMs: engine.nowMs, seqEnd: nextSeq - 1 };
        position++;
        const produced = takePending();
        const workBytes = foldEntry(produced, prior);
        if (marking) markEvents(produced, position);
        // Only the newest events and lines survive the bounds: keep the work of collecting them bounded too.
        for (const logged of produced) fresh.push(logged);
        if (fresh.length > EVENT_LOG_MAX * 2) fresh.splice(0, fresh.length - EVENT_LOG_MAX);
        if (shown.length > TRANSCRIPT_MAX * 2) shown.splice(0, shown.length - TRANSCRIPT_MAX);
        const tails = () => ({ events: appendBounded(state.events, fresh, EVENT_LOG_MAX), shown: appendBounded(shownBefore, shown, TRANSCRIPT_MAX) });
        maybeCheckpoint(workBytes, tails, spacing);
      }
      shownTail = appendBounded(shownBefore, shown, TRANSCRIPT_MAX);
      // A tape loaded runs as if just done (its moments are marked): its events are news, a replay's are not.
      commit({ lastRun: null, transcript: appendBounded(transcript, shown, TRANSCRIPT_MAX), eventSource: marking ? 'live' : 'replay' }, true, fresh, state);
    };

    /** A fresh node's panels: a restored node's are rebuilt against them, exactly as after a replay from scratch. */
    const freshPanels = freshView();

    return {
      ...freshPanels,
      history: [],
      paused: false,
      speed: 1,
      generation: 0,

      runLine(line) {
        const { history } = get();
        let entry: TranscriptEntry;
        let fresh: LoggedEvent[] = [];
        if (line.trim().toLowerCase() === 'clear') {
          entry = { id: nextEntryId++, prompt: get().prompt, line, atMs: engine.nowMs, output: { kind: 'clear' } };
        } else if (line.trim() === '') {
          entry = { id: nextEntryId++, prompt: get().prompt, line, atMs: engine.nowMs, output: { kind: 'empty' } };
        } else {
          const ran = act('line', line);
          entry = ran.shown as TranscriptEntry;
          fresh = ran.fresh;
        }
        // As redis-cli: blank lines are not remembered, nor a repeat of the line just before.
        const remember = entry.output.kind !== 'empty' && history[history.length - 1] !== line;
        const { transcript } = get();
        commit(
          {
            transcript: entry.output.kind === 'clear' ? [] : appendBounded(transcript, [entry], TRANSCRIPT_MAX),
            lastRun: entry,
            history: remember ? appendBounded(history, [line], HISTORY_MAX) : history,
          },
          entry.output.kind === 'reply',
          fresh,
        );
        return entry;
      },

      readDiskFile(name) {
        return engine.disk.read(name);
      },

      inspectFile(name) {
        const { persistence } = get();
        const file = name === null ? undefined : persistence.disk.files.find((row) => row.name === name);
        inspectedId = file?.id ?? null;
        set({ inspector: inspect(persistence, null) });
      },

      advance(ms) {
        if (!(ms > 0)) return;
        commit({}, false, act('skip', advanceLine(Math.floor(ms))).fresh);
      },

      reset() {
        freshNode();
        shelf.clear();
        tape = [];
        marks = [];
        inspectedId = null;
        set({ ...freshView(), generation: get().generation + 1 });
      },

      loadScenario(lines, at) {
        get().loadTape(
          lines.filter((line) => line.trim() !== '').map((line) => ({ kind: 'line', line })),
          at,
        );
      },

      loadTape(entries, at) {
        get().reset();
        // Recorded as if it had just been done, then shown from `at`; the screen is built once.
        tape = entries.slice(0, TAPE_MAX_ENTRIES).map((entry) => ({ kind: entry.kind, line: entry.line, atMs: 0, endMs: 0, seqEnd: 0 }));
        moveTo(tape.length, true);
        if (at !== undefined && at < tape.length) {
          moveTo(at);
          set({ paused: true });
        }
      },

      getTape() {
        return tape;
      },

      seek(target) {
        // Paused first, as a step back is: the narration says a move into the past once paused.
        if (target < position) set({ paused: true });
        moveTo(target);
      },

      stepBack() {
        set({ paused: true });
        moveTo(stepTarget(tape, position, -1));
      },

      stepForward() {
        set({ paused: true });
        moveTo(stepTarget(tape, position, 1));
      },

      seekToEvent(seq) {
        const at = positionOfEvent(tape, seq);
        if (at !== null) get().seek(at);
      },

      branch() {
        if (position === tape.length) return;
        dropFuture('branch');
        set({ timeline: timelineView() });
      },

      setSpeed(speed) {
        set({ speed: clampSpeed(speed) });
      },

      clearScreen() {
        set({ transcript: [] });
      },

      setPaused(paused) {
        playbackCarryMs = 0;
        set({ paused });
      },

      startClock(wallMs) {
        clockRunning = true;
        lastWallMs = wallMs;
        carriedMs = 0;
      },

      tick(wallMs) {
        if (!clockRunning) return;
        const elapsedMs = wallMs - lastWallMs;
        lastWallMs = wallMs;
        // Paused time is not owed: resuming continues from the moment of the pause.
        if (get().paused || !(elapsedMs > 0)) return;
        const scaledMs = Math.min(elapsedMs, MAX_TICK_GAP_MS) * get().speed;
        if (position < tape.length) {
          playPast(scaledMs);
          return;
        }
        carriedMs += scaledMs;
        const wholeMs = Math.floor(carriedMs);
        if (wholeMs === 0) return;
        carriedMs -= wholeMs;
        commit({}, false, act('tick', advanceLine(wholeMs)).fresh);
      },

      stopClock() {
        clockRunning = false;
      },
    };

    /** The clock runs while the lab shows the past: the tape's next entries play at their own pace. */
    function playPast(playMs: number): void {
      playbackCarryMs += playMs;
      let target = position;
      while (target < tape.length) {
        const cost = playbackMs(tape[target] as TapeEntry);
        if (playbackCarryMs < cost) break;
        playbackCarryMs -= cost;
        target++;
      }
      if (target === tape.length) playbackCarryMs = 0;
      if (target !== position) moveTo(target);
    }
  });
}
