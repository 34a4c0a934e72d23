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

/**
 * The running lab as a vanilla zustand store: ONE engine and ONE console client, and everything
 * the panels show, derived after each action. The UI never touches the engine: it calls
 * `runLine`, `advance`, `reset` and the clock actions, and reads state.
 *
 * Simulated time flows with real time while the page is visible: the UI layer calls
 * `startClock(wallMs)` / `tick(wallMs)` / `stopClock()` from a timer (the engine itself has no
 * timers). Real elapsed time becomes simulated time one to one; a long gap (a throttled or
 * sleeping tab) counts as at most `MAX_TICK_GAP_MS`, so the node never leaps hours ahead.
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
  /** Engine events, oldest first (bounded). The live clock's own `time.advanced` ticks are left out. */
  readonly events: readonly LoggedEvent[];
  /** Simulated unix ms. */
  readonly nowMs: number;
  readonly paused: boolean;
  /** Counts resets: a new value means a fresh node. */
  readonly generation: number;

  /** Runs one line as typed into redis-cli, and records it. */
  runLine(line: string): TranscriptEntry;
  /** Opens a file of the virtual disk in the inspector; null goes back to following `dbfilename`. */
  inspectFile(name: string | null): void;
  /** Lets `ms` of simulated time pass at once. */
  advance(ms: number): void;
  /** A fresh node and an empty screen; the history and the pause setting stay. */
  reset(): void;
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
  const makeEngine = (): Engine => new Engine({ epochMs: options.epochMs ?? DEFAULT_EPOCH_MS, seed: options.seed });

  let engine = makeEngine();
  let client = engine.newClient();
  let tracker = new PersistenceTracker();
  let aofCache = new AofViewCache();
  /** The inspected file's row identity, or null to follow `dbfilename`. */
  let inspectedId: string | null = null;
  let pending: LoggedEvent[] = [];
  let nextSeq = 1;
  let nextEntryId = 1;
  // While the live clock advances the engine, its `time.advanced` events would flood the log.
  let liveTicking = false;
  let clockRunning = false;
  let lastWallMs = 0;
  let carriedMs = 0;

  const listen = (event: EngineEvent): void => {
    if (liveTicking && event.type === 'time.advanced') return;
    pending.push({ seq: nextSeq++, event });
  };
  let unsubscribe = engine.subscribe(listen);

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

  return createStore<LabState>()((set, get) => {
    /** Publishes what the engine did since the last commit, with the derived panels. */
    const commit = (changes: Partial<LabState>, keyspaceMayHaveChanged: boolean): void => {
      const fresh = pending;
      pending = [];
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
        nowMs: engine.nowMs,
        prompt: formatPrompt(engine.port, client),
      });
    };

    const record = (entry: TranscriptEntry, history: readonly string[]): void => {
      const { transcript } = get();
      commit(
        {
          transcript: entry.output.kind === 'clear' ? [] : appendBounded(transcript, [entry], TRANSCRIPT_MAX),
          lastRun: entry,
          history,
        },
        entry.output.kind === 'reply',
      );
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
      events: [],
      nowMs: engine.nowMs,
    });

    return {
      ...freshView(),
      history: [],
      paused: false,
      generation: 0,

      runLine(line) {
        const { history } = get();
        const entryBase = { id: nextEntryId++, prompt: get().prompt, line, atMs: engine.nowMs };
        let entry: TranscriptEntry;
        if (line.trim().toLowerCase() === 'clear') {
          entry = { ...entryBase, output: { kind: 'clear' } };
        } else {
          const result = engine.run(line, client);
          const output: ConsoleOutput =
            result.kind === 'reply'
              ? { kind: 'reply', reply: result.reply, text: formatReplyLikeRedisCli(result.reply), isError: result.reply.type === 'error' }
              : result.kind === 'invalid'
                ? { kind: 'invalid', text: INVALID_ARGUMENTS }
                : { kind: 'empty' };
          entry = { ...entryBase, output };
        }
        // As redis-cli: blank lines are not remembered, nor a repeat of the line just before.
        const remember = entry.output.kind !== 'empty' && history[history.length - 1] !== line;
        record(entry, remember ? appendBounded(history, [line], HISTORY_MAX) : history);
        return entry;
      },

      inspectFile(name) {
        const { persistence } = get();
        const file = name === null ? undefined : persistence.disk.files.find((row) => row.name === name);
        inspectedId = file?.id ?? null;
        set({ inspector: inspect(persistence, null) });
      },

      advance(ms) {
        if (!(ms > 0)) return;
        engine.advance(Math.floor(ms));
        commit({}, false);
      },

      reset() {
        unsubscribe();
        engine = makeEngine();
        client = engine.newClient();
        pending = [];
        tracker = new PersistenceTracker();
        aofCache = new AofViewCache();
        inspectedId = null;
        unsubscribe = engine.subscribe(listen);
        set({ ...freshView(), generation: get().generation + 1 });
      },

      clearScreen() {
        set({ transcript: [] });
      },

      setPaused(paused) {
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
        carriedMs += Math.min(elapsedMs, MAX_TICK_GAP_MS);
        const wholeMs = Math.floor(carriedMs);
        if (wholeMs === 0) return;
        carriedMs -= wholeMs;
        liveTicking = true;
        try {
          engine.advance(wholeMs);
        } finally {
          liveTicking = false;
        }
        commit({}, false);
      },

      stopClock() {
        clockRunning = false;
      },
    };
  });
}
