import { createStore, type StoreApi } from 'zustand/vanilla';
import { Engine, DEFAULT_EPOCH_MS, type Client, type EngineEvent } from '../engine/index.ts';
import type { Reply } from '../codec/reply.ts';
import { formatReplyLikeRedisCli } from '../codec/cli-format.ts';
import { buildKeyspaceView, DEFAULT_LIMITS, EMPTY_KEYSPACE, type KeyspaceView, type KeyspaceViewLimits } from './keyspace-view.ts';
import {
  buildPersistenceView,
  DEFAULT_PERSISTENCE_LIMITS,
  PersistenceTracker,
  type PersistenceView,
  type PersistenceViewLimits,
} from './persistence-view.ts';
import { buildInspectorView, type InspectorView } from './inspector-view.ts';
import { AofViewCache, buildAofView, buildLifecycleView, type AofView, type LifecycleView } from './aof-view.ts';
import { buildSurvivalView, EMPTY_SURVIVAL, type SurvivalView } from './survival-view.ts';
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
 * to an earlier position replays the tape's first entries on a fresh node, exactly; while the lab
 * shows the past, the clock plays the tape forward, and running a line there branches: the
 * entries after the position are dropped.
 */

/** What redis-cli prints for a line whose quotes do not balance (nothing is sent). */
export const INVALID_ARGUMENTS = 'Invalid argument(s)';
/** redis-cli's prompt, before the `[db]` and `(TX)` marks. */
const PROMPT_HOST = '127.0.0.1';
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
  /** A blank line: a new prompt, nothing sent. */
  | { readonly kind: 'empty' }
  /** `clear`, which redis-cli handles itself by clearing the screen. */
  | { readonly kind: 'clear' };

export interface TranscriptEntry {
  readonly id: number;
  /** The prompt shown when the line was typed, e.g. `127.0.0.1:6379[2]>`. */
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

export interface LabState {
  /** The console screen, oldest first (bounded). */
  readonly transcript: readonly TranscriptEntry[];
  /** The last line run, including `clear`, which leaves no trace in the transcript. */
  readonly lastRun: TranscriptEntry | null;
  /** Lines for ArrowUp/ArrowDown, oldest first, without consecutive duplicates (bounded). */
  readonly history: readonly string[];
  /** The prompt for the next line. */
  readonly prompt: string;
  readonly keyspace: KeyspaceView;
  /** Processes, disk, server log and INFO persistence figures (bounded, rebuilt after every action). */
  readonly persistence: PersistenceView;
  /**
   * The file open in the RDB inspector, or null. With no file picked it follows `dbfilename`
   * (dump.rdb) as soon as there is one; a picked file is followed across renames.
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
}

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
  let aofCache = new AofViewCache();
  /** The inspected file's row identity, or null to follow `dbfilename`. */
  let inspectedId: string | null = null;
  let pending: LoggedEvent[] = [];
  let nextSeq = 1;
  let nextEntryId = 1;
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
    aofCache = new AofViewCache();
    position = 0;
    startMs = engine.nowMs;
    logLines = startupLog();
    unsubscribe = engine.subscribe(listen);
  };
  logLines = startupLog();

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
    if (previous !== null && !previous.gone && previous.fileId === file.id && previous.sizeBytes === file.sizeBytes && previous.modifiedAtMs === file.modifiedAtMs) {
      // A rename changes the name only.
      return previous.name === file.name ? previous : { ...previous, name: file.name };
    }
    return buildInspectorView(file, engine.disk.read(file.name) ?? new Uint8Array());
  };

  const initialPersistence = (): PersistenceView => buildPersistenceView(engine, tracker, null, persistenceLimits);

  /** Runs a line on the node as the console does, giving what the console shows. */
  const execute = (line: string): ConsoleOutput => {
    const result = engine.run(line, client);
    return result.kind === 'reply'
      ? { kind: 'reply', reply: result.reply, text: formatReplyLikeRedisCli(result.reply), isError: result.reply.type === 'error' }
      : result.kind === 'invalid'
        ? { kind: 'invalid', text: INVALID_ARGUMENTS }
        : { kind: 'empty' };
  };

  /**
   * Applies one tape entry to the node; a typed line returns its transcript entry. Time entries
   * advance the clock directly, as the clock panel does, not as a console command.
   */
  const apply = (entry: Pick<TapeEntry, 'kind' | 'line'>): TranscriptEntry | null => {
    if (entry.kind === 'line') {
      const entryBase = { id: nextEntryId++, prompt: formatPrompt(engine.port, client), line: entry.line, atMs: engine.nowMs };
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

  /** Records an action that just ran on the live node (the position being the tape's end). */
  const recordEntry = (kind: TapeEntryKind, line: string, atMs: number, fresh: readonly LoggedEvent[]): void => {
    if (tape.length >= TAPE_MAX_ENTRIES) return;
    tape.push({ kind, line, atMs, endMs: engine.nowMs, seqEnd: nextSeq - 1 });
    position = tape.length;
    markEvents(fresh, position);
  };

  /** What the redis.conf panel reads: the running config and redis.conf. */
  const configSource = () => ({ running: engine.running, config: engine.config, startup: engine.startupConfigView });

  return createStore<LabState>()((set, get) => {
    /** Publishes what the engine did since the last commit, with the derived panels. */
    const commit = (changes: Partial<LabState>, keyspaceMayHaveChanged: boolean, fresh: readonly LoggedEvent[]): void => {
      const state = get();
      const rebuild = keyspaceMayHaveChanged || fresh.some((logged) => changesKeyspace(logged.event));
      tracker.observe(fresh.map((logged) => logged.event));
      const persistence = buildPersistenceView(engine, tracker, state.persistence, persistenceLimits);
      set({
        ...changes,
        events: appendBounded(state.events, fresh, EVENT_LOG_MAX),
        keyspace: rebuild ? buildKeyspaceView(engine, state.keyspace, limits) : state.keyspace,
        persistence,
        inspector: persistence === state.persistence ? state.inspector : inspect(persistence, state.inspector),
        aof: buildAofView(engine, aofCache, state.aof),
        lifecycle: buildLifecycleView(engine, state.lifecycle),
        survival: buildSurvivalView(engine, fresh, state, client.id),
        config: buildConfigView(configSource(), state.config),
        nowMs: engine.nowMs,
        prompt: formatPrompt(engine.port, client),
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
      if (position < tape.length) dropFuture();
      const atMs = engine.nowMs;
      const shown = apply({ kind, line });
      const fresh = takePending();
      recordEntry(kind, line, atMs, fresh);
      followLog(fresh, position);
      return { shown, fresh };
    };

    const dropFuture = (): void => {
      tape = tape.slice(0, position);
      marks = marks.filter((mark) => mark.position <= position);
    };

    /** What a new lab shows, at start and after a reset (history and the pause switch are the user's). */
    const freshView = () => ({
      transcript: [],
      lastRun: null,
      prompt: formatPrompt(engine.port, client),
      keyspace: EMPTY_KEYSPACE,
      persistence: initialPersistence(),
      inspector: null,
      aof: buildAofView(engine, aofCache),
      lifecycle: buildLifecycleView(engine),
      survival: EMPTY_SURVIVAL,
      config: buildConfigView(configSource()),
      events: [],
      nowMs: engine.nowMs,
      timeline: timelineView(),
      serverLog: logLines,
    });

    /**
     * Moves the node to `target` entries of the tape: forward by applying the next entries, back
     * by replaying from a fresh node. Only the last screenful of console lines is rebuilt.
     */
    const moveTo = (target: number, marking = false): void => {
      const goal = Math.max(0, Math.min(tape.length, Math.floor(target)));
      if (goal === position) return;
      const replaying = goal < position;
      const state = get();
      let transcript: readonly TranscriptEntry[] = state.transcript;
      let events: readonly LoggedEvent[] = state.events;
      if (replaying) {
        freshNode();
        set({ ...freshView() });
        transcript = [];
        events = [];
      }
      const shown: TranscriptEntry[] = [];
      const fresh: LoggedEvent[] = [];
      while (position < goal) {
        const entry = tape[position] as TapeEntry;
        const atMs = engine.nowMs;
        const ran = apply(entry);
        if (ran !== null) shown.push(ran);
        // The same figures as when it was recorded (the node is deterministic); a loaded tape gets them here.
        tape[position] = { ...entry, atMs, endMs: engine.nowMs, seqEnd: nextSeq - 1 };
        position++;
        const produced = takePending();
        followLog(produced, position);
        if (marking) markEvents(produced, position);
        // Only the newest events survive the bound: keep the work of collecting them bounded too.
        for (const logged of produced) fresh.push(logged);
        if (fresh.length > EVENT_LOG_MAX * 2) fresh.splice(0, fresh.length - EVENT_LOG_MAX);
      }
      set({ transcript: appendBounded(transcript, shown.slice(-TRANSCRIPT_MAX), TRANSCRIPT_MAX), events });
      commit({ lastRun: null }, true, fresh);
    };

    return {
      ...freshView(),
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
        const before = position;
        moveTo(target);
        if (position < before) set({ paused: true });
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
        dropFuture();
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
