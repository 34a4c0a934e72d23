import type { EngineEvent } from '../engine/index.ts';
import { isLanguageCode, type LanguageCode } from '../i18n/languages.ts';
import { TAPE_MAX_ENTRIES } from '../store/timeline.ts';
import { decodeTapeEntry, isLessonPlace } from './url-state.ts';
import { SCENARIOS } from '../lessons/scenarios.ts';

/**
 * The postMessage API between the lab in an iframe and the page that embeds it, version 1
 * (documented in docs/embedding.md). Pure: the shapes, checking what comes in, building what goes
 * out. src/embed/bridge.ts does the wiring to the window and the store.
 *
 * Every message of the API, either way, is an object `{ protocol: 'redis-persistence-lab',
 * version: 1, type, ... }`. Anything else that arrives (another protocol, another version, a
 * missing or wrong field, a line that is not text) is ignored: `parseInbound` returns null.
 */

export const PROTOCOL = 'redis-persistence-lab';
export const PROTOCOL_VERSION = 1;

/** The longest line or scenario the API accepts (as a permalink does). */
const MAX_SCENARIO_LINES = TAPE_MAX_ENTRIES;

// ---- in: from the embedding page --------------------------------------------------------------

export type InboundMessage =
  /** Runs one line as if typed into the console. */
  | { readonly type: 'run'; readonly line: string }
  /** Lets time flow (or plays the past forward), or stops it. */
  | { readonly type: 'play' }
  | { readonly type: 'pause' }
  /** Shows the lab as it was after `position` entries of its tape. */
  | { readonly type: 'seek'; readonly position: number }
  /**
   * A fresh node that runs a scenario's lines, then shows `position` of them (all by default). The
   * message carries `lines`, or `scenario`: the id of one of the lab's own (src/lessons/scenarios.ts).
   */
  | { readonly type: 'load'; readonly lines: readonly string[]; readonly position?: number }
  | { readonly type: 'set-language'; readonly lang: LanguageCode }
  /** Opens a lesson at a step (counting from 0). */
  | { readonly type: 'open-lesson'; readonly lessonId: string; readonly step: number }
  /** Asks for a `state` message. */
  | { readonly type: 'get-state' };

type Fields = Record<string, unknown>;

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function get(record: Fields, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

function isCount(value: unknown, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max;
}

/** A line a student could have typed: text, not blank, no control characters, not too long. */
function isTypedLine(value: unknown): value is string {
  return decodeTapeEntry(typeof value === 'string' ? `\\${value}` : value)?.kind === 'line';
}

/** The message, if it is one of the API's; null for anything else. */
export function parseInbound(data: unknown): InboundMessage | null {
  if (!isRecord(data) || get(data, 'protocol') !== PROTOCOL || get(data, 'version') !== PROTOCOL_VERSION) return null;
  switch (get(data, 'type')) {
    case 'run': {
      const line = get(data, 'line');
      return isTypedLine(line) ? { type: 'run', line } : null;
    }
    case 'play':
      return { type: 'play' };
    case 'pause':
      return { type: 'pause' };
    case 'seek': {
      const position = get(data, 'position');
      return isCount(position, TAPE_MAX_ENTRIES) ? { type: 'seek', position } : null;
    }
    case 'load': {
      // A scenario of the lab's library by id, or lines of the page's own.
      const scenario = get(data, 'scenario');
      const lines = typeof scenario === 'string' ? SCENARIOS.find((each) => each.id === scenario)?.lines : get(data, 'lines');
      const position = get(data, 'position');
      if (!Array.isArray(lines) || lines.length > MAX_SCENARIO_LINES || !lines.every(isTypedLine)) return null;
      if (position === undefined) return { type: 'load', lines };
      return isCount(position, lines.length) ? { type: 'load', lines, position } : null;
    }
    case 'set-language': {
      const lang = get(data, 'lang');
      return isLanguageCode(lang) ? { type: 'set-language', lang } : null;
    }
    case 'open-lesson': {
      const lessonId = get(data, 'lessonId');
      const step = get(data, 'step') ?? 0;
      return isLessonPlace(lessonId, step) ? { type: 'open-lesson', lessonId: lessonId as string, step: step as number } : null;
    }
    case 'get-state':
      return { type: 'get-state' };
    default:
      return null;
  }
}

// ---- out: to the embedding page --------------------------------------------------------------

/**
 * The engine events the API passes on, each cut to what an embedding page can use. The chatty
 * ones (every write, fsync, page copy, log line and clock tick) stay inside: the panels show them.
 */
export type PublicEvent =
  | { readonly type: 'command.executed'; readonly atMs: number; readonly db: number; readonly argv: readonly string[]; readonly ok: boolean }
  | { readonly type: 'key.expired'; readonly atMs: number; readonly db: number; readonly key: string }
  | { readonly type: 'db.flushed'; readonly atMs: number; readonly db: number | 'all' }
  | { readonly type: 'config.changed'; readonly atMs: number; readonly name: string; readonly value: string }
  | { readonly type: 'fork.started'; readonly atMs: number; readonly childPid: number; readonly purpose: 'rdb' | 'aof-rewrite' }
  | { readonly type: 'child.exited'; readonly atMs: number; readonly pid: number; readonly exitCode: number | null; readonly signal: number | null }
  | { readonly type: 'rdb.saved'; readonly atMs: number; readonly name: string; readonly sizeBytes: number }
  | { readonly type: 'file.renamed'; readonly atMs: number; readonly from: string; readonly to: string }
  | { readonly type: 'process.crashed'; readonly atMs: number; readonly pid: number; readonly kind: 'process' | 'power' }
  | { readonly type: 'process.started'; readonly atMs: number; readonly pid: number }
  | { readonly type: 'keyspace.loaded'; readonly atMs: number; readonly source: 'rdb' | 'aof'; readonly file: string; readonly keysLoaded: number }
  | { readonly type: 'server.stopped'; readonly atMs: number };

/** Arguments are cut to this many, each to this many characters: a 1 MB SET value is not posted. */
const MAX_ARGS = 16;
const MAX_ARG_CHARS = 256;

/** The public form of an engine event, or null for one the API does not pass on. */
export function publicEvent(event: EngineEvent): PublicEvent | null {
  const { atMs } = event;
  switch (event.type) {
    case 'command.executed':
      return {
        type: event.type,
        atMs,
        db: event.db,
        argv: event.argv.slice(0, MAX_ARGS).map((arg) => arg.slice(0, MAX_ARG_CHARS)),
        ok: event.reply.type !== 'error',
      };
    case 'key.expired':
      return { type: event.type, atMs, db: event.db, key: event.key.slice(0, MAX_ARG_CHARS) };
    case 'db.flushed':
      return { type: event.type, atMs, db: event.db };
    case 'config.changed':
      return { type: event.type, atMs, name: event.name, value: event.value.slice(0, MAX_ARG_CHARS) };
    case 'fork.started':
      return { type: event.type, atMs, childPid: event.childPid, purpose: event.purpose };
    case 'child.exited':
      return { type: event.type, atMs, pid: event.pid, exitCode: event.exitCode, signal: event.signal };
    case 'rdb.saved':
      return { type: event.type, atMs, name: event.name, sizeBytes: event.sizeBytes };
    case 'file.renamed':
      return { type: event.type, atMs, from: event.from, to: event.to };
    case 'process.crashed':
      return { type: event.type, atMs, pid: event.pid, kind: event.kind };
    case 'process.started':
      return { type: event.type, atMs, pid: event.pid };
    case 'keyspace.loaded':
      return { type: event.type, atMs, source: event.source, file: event.file, keysLoaded: event.keysLoaded };
    case 'server.stopped':
      return { type: event.type, atMs };
    default:
      return null;
  }
}

/** What a restart brought back, from the engine's recovery report. */
export interface RecoverySummary {
  readonly atMs: number;
  readonly crash: 'process' | 'power' | 'shutdown';
  readonly loadedFrom: 'rdb' | 'aof' | 'aof-with-rdb-preamble' | 'none';
  /** Writes acknowledged to clients, then how many of them came back and how many were lost. */
  readonly acknowledged: number;
  readonly survived: number;
  readonly lost: number;
  readonly lossWindowMs: number;
}

export function recoverySummary(event: EngineEvent): RecoverySummary | null {
  if (event.type !== 'recovery.reported') return null;
  const { report } = event;
  return {
    atMs: event.atMs,
    crash: report.crash,
    loadedFrom: report.loadedFrom,
    acknowledged: report.acknowledged,
    survived: report.survivedCount,
    lost: report.lostCount,
    lossWindowMs: report.lossWindowMs,
  };
}

export interface LabStatus {
  readonly lang: LanguageCode;
  /** Entries applied, and on the tape. */
  readonly position: number;
  readonly length: number;
  /** Simulated unix ms. */
  readonly nowMs: number;
  readonly paused: boolean;
  readonly speed: number;
  readonly lesson: { readonly lessonId: string; readonly step: number; readonly stepCount: number } | null;
}

export type OutboundMessage =
  /** The lab has started and listens. */
  | ({ readonly type: 'ready'; readonly embedded: boolean } & LabStatus)
  /** The answer to `get-state`. */
  | ({ readonly type: 'state' } & LabStatus)
  | { readonly type: 'event'; readonly event: PublicEvent }
  | { readonly type: 'crash'; readonly atMs: number; readonly kind: 'process' | 'power' }
  | ({ readonly type: 'recovered' } & RecoverySummary)
  /** The lab's content size in CSS pixels, whenever it changes. */
  | { readonly type: 'resize'; readonly width: number; readonly height: number }
  | { readonly type: 'language'; readonly lang: LanguageCode }
  | { readonly type: 'lesson.step'; readonly lessonId: string; readonly step: number; readonly stepCount: number }
  | { readonly type: 'lesson.completed'; readonly lessonId: string }
  /** The student revealed a step's question: the choice they made (counting from 0), and whether it was right. */
  | { readonly type: 'question.answered'; readonly lessonId: string; readonly step: number; readonly choice: number; readonly correct: boolean };

export type Envelope<M> = M & { readonly protocol: typeof PROTOCOL; readonly version: typeof PROTOCOL_VERSION };

export function envelope<M extends OutboundMessage>(message: M): Envelope<M> {
  return { protocol: PROTOCOL, version: PROTOCOL_VERSION, ...message };
}
