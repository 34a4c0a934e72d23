import LZString from 'lz-string';
import { decompressBounded } from './lz-bounded.ts';
import { advanceLine, MAX_SPEED, MIN_SPEED, scenarioLines, TAPE_MAX_ENTRIES, type TapeEntryKind } from '../store/timeline.ts';
import { isLanguageCode, type LanguageCode } from '../i18n/languages.ts';
import type { DigitStyle } from '../i18n/format.ts';
import { isPanelId, PANEL_IDS, type PanelId } from '../ui/app/panels.ts';
import { LESSON_ID_PATTERN, LESSON_LIMITS } from '../lessons/format.ts';

/**
 * A moment of the lab as data: the tape that rebuilds it, the position shown, the language, the
 * lesson and step, the panels, the speed and the display settings. Pure: it reads and writes
 * strings, never the page.
 *
 * Two forms carry it, both versioned:
 * - the permalink's `?v=1&s=<lz-string>`: a JSON header line with every field but the tape, then
 *   one line per tape entry (a run of equal ticks on one line), compressed with lz-string;
 * - an exported file: the same fields as plain JSON, one tape entry per array item.
 * A tape entry is written compactly: `+100` is a tick of the live clock (`SIM ADVANCE 100`),
 * `~10000` a jump of the clock panel, anything else a typed line (`\` first escapes a line that
 * starts with `+`, `~` or `\`).
 *
 * Reading never trusts the input: sizes are capped before and after decompression, every field
 * is checked, and anything wrong rejects the whole state with a reason the UI turns into a notice.
 * Older versions are migrated step by step (MIGRATIONS), because course pages outlive releases.
 */

export const STATE_VERSION = 1;
export const STATE_FORMAT = 'redis-persistence-lab';
/** URL parameters: the version and the compressed state; `state` was the pre-release (version 0) form. */
export const VERSION_PARAM = 'v';
export const STATE_PARAM = 's';
export const LEGACY_STATE_PARAM = 'state';

/** The longest compressed state read from a URL. */
export const MAX_ENCODED_CHARS = 200_000;
/** The longest text a state may decompress to, or an exported file may hold: a bound on memory, whatever the input. */
export const MAX_DECODED_CHARS = 4_000_000;
/** The longest typed line kept in a state (a long SET value, say). */
export const MAX_LINE_CHARS = 16_384;
/** The most equal ticks one permalink line may repeat. */
const MAX_RUN = 99_999;

export const THEMES = ['light', 'dark', 'projector'] as const;
export type Theme = (typeof THEMES)[number];
export const DIGIT_STYLES: readonly DigitStyle[] = ['western', 'arabic-indic'];
export type { DigitStyle };

export interface TapeLine {
  readonly kind: TapeEntryKind;
  readonly line: string;
}

export interface LessonPlace {
  readonly id: string;
  /** Counting from 0. */
  readonly step: number;
}

export interface LabSnapshot {
  /** Null: the viewer's own language. */
  readonly lang: LanguageCode | null;
  readonly lesson: LessonPlace | null;
  readonly tape: readonly TapeLine[];
  /** Entries applied (0 … tape.length). */
  readonly position: number;
  /** The panels shown; null for all. */
  readonly panels: readonly PanelId[] | null;
  readonly speed: number;
  /** Display settings; null keeps the viewer's own. */
  readonly reducedMotion: boolean | null;
  readonly theme: Theme | null;
  readonly digits: DigitStyle | null;
}

export const EMPTY_SNAPSHOT: LabSnapshot = {
  lang: null,
  lesson: null,
  tape: [],
  position: 0,
  panels: null,
  speed: 1,
  reducedMotion: null,
  theme: null,
  digits: null,
};

export type RejectReason =
  /** Not a state this lab can read: garbage, truncated, a wrong field, a line that is not text. */
  | 'malformed'
  /** Beyond the size caps. */
  | 'too-large'
  /** Written by a newer version of the lab. */
  | 'newer-version';

export type StateResult =
  | { readonly status: 'none' }
  | { readonly status: 'ok'; readonly snapshot: LabSnapshot; readonly fromVersion: number }
  | { readonly status: 'rejected'; readonly reason: RejectReason };

const rejected = (reason: RejectReason): StateResult => ({ status: 'rejected', reason });

// ---- tape entries ----------------------------------------------------------------------------

const TIME_LINE = /^SIM ADVANCE (\d{1,9})$/;
const TICK = /^\+(\d{1,9})$/;
const SKIP = /^~(\d{1,9})$/;
const TICK_RUN = /^\+(\d{1,9})\*(\d{1,5})$/;
// C0 and C1 controls and DEL (a tab is allowed): a line typed into a console never holds one.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;

/** The compact text of one tape entry. */
export function encodeTapeEntry(entry: TapeLine): string {
  if (entry.kind !== 'line') {
    const ms = TIME_LINE.exec(entry.line)?.[1] ?? '0';
    return `${entry.kind === 'tick' ? '+' : '~'}${Number(ms)}`;
  }
  return /^[+~\\]/.test(entry.line) ? `\\${entry.line}` : entry.line;
}

/** A tape entry from its compact text, or null when it is not one. */
export function decodeTapeEntry(text: unknown): TapeLine | null {
  if (typeof text !== 'string' || text.length > MAX_LINE_CHARS + 1 || CONTROL.test(text)) return null;
  const tick = TICK.exec(text);
  if (tick !== null) return { kind: 'tick', line: advanceLine(Number(tick[1])) };
  const skip = SKIP.exec(text);
  if (skip !== null) return { kind: 'skip', line: advanceLine(Number(skip[1])) };
  if (/^[+~]/.test(text)) return null;
  const line = text.startsWith('\\') ? text.slice(1) : text;
  if (line.trim() === '' || line.length > MAX_LINE_CHARS) return null;
  return { kind: 'line', line };
}

// ---- the document: the state as plain JSON ---------------------------------------------------

/** The state as plain data: what an exported file holds, and what a permalink's header and lines spell. */
export interface StateDocument {
  readonly format: typeof STATE_FORMAT;
  readonly version: typeof STATE_VERSION;
  readonly lang?: LanguageCode;
  readonly lesson?: LessonPlace;
  readonly position: number;
  readonly panels?: readonly PanelId[];
  readonly speed?: number;
  readonly motion?: 'reduced' | 'full';
  readonly theme?: Theme;
  readonly digits?: DigitStyle;
  readonly tape: readonly string[];
}

export function toDocument(snapshot: LabSnapshot): StateDocument {
  return {
    format: STATE_FORMAT,
    version: STATE_VERSION,
    ...(snapshot.lang !== null && { lang: snapshot.lang }),
    ...(snapshot.lesson !== null && { lesson: { id: snapshot.lesson.id, step: snapshot.lesson.step } }),
    position: snapshot.position,
    ...(snapshot.panels !== null && { panels: [...snapshot.panels] }),
    ...(snapshot.speed !== 1 && { speed: snapshot.speed }),
    ...(snapshot.reducedMotion !== null && { motion: snapshot.reducedMotion ? 'reduced' : 'full' }),
    ...(snapshot.theme !== null && { theme: snapshot.theme }),
    ...(snapshot.digits !== null && { digits: snapshot.digits }),
    tape: snapshot.tape.map(encodeTapeEntry),
  };
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(record: Json, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

function oneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

/** A lesson's place, as the lessons' own validator allows it. */
export function isLessonPlace(id: unknown, step: unknown): boolean {
  return (
    typeof id === 'string' &&
    id.length <= LESSON_LIMITS.maxIdLength &&
    LESSON_ID_PATTERN.test(id) &&
    typeof step === 'number' &&
    Number.isInteger(step) &&
    step >= 0 &&
    step < LESSON_LIMITS.maxSteps
  );
}

/**
 * The version-0 (pre-release) state, the first shape links were written in: the scenario as one
 * text, the position as `at`, the language and the speed. Kept so those links still open.
 */
export interface StateDocumentV0 {
  readonly script: string;
  readonly at?: number;
  readonly lang?: string;
  readonly speed?: number;
}

/** Migrations by the version they start from: MIGRATIONS[n] turns a version n document into version n + 1. */
const MIGRATIONS: readonly ((document: Json) => Json)[] = [
  (v0) => {
    const script = field(v0, 'script');
    const lines = typeof script === 'string' ? scenarioLines(script) : null;
    const at = field(v0, 'at');
    return {
      format: STATE_FORMAT,
      version: 1,
      ...(field(v0, 'lang') !== undefined && { lang: field(v0, 'lang') }),
      ...(field(v0, 'speed') !== undefined && { speed: field(v0, 'speed') }),
      position: at === undefined ? (lines?.length ?? 0) : at,
      // A script that is not text leaves a tape that is not a list, which validation rejects.
      tape: lines === null ? null : lines.map((line) => encodeTapeEntry({ kind: 'line', line })),
    };
  },
];

/** The version a plain-data state declares: 0 when it has none (the pre-release shape). */
function versionOf(document: Json): number | null {
  const version = field(document, 'version');
  if (version === undefined) return 0;
  return typeof version === 'number' && Number.isInteger(version) && version >= 0 ? version : null;
}

/** Checks a plain-data state of any version, migrating it to the current one first. */
export function readDocument(value: unknown): StateResult {
  if (!isRecord(value)) return rejected('malformed');
  const fromVersion = versionOf(value);
  if (fromVersion === null) return rejected('malformed');
  if (fromVersion > STATE_VERSION) return rejected('newer-version');
  let document = value;
  for (let version = fromVersion; version < STATE_VERSION; version++) document = (MIGRATIONS[version] as (d: Json) => Json)(document);
  const snapshot = validateCurrent(document);
  return snapshot === null ? rejected('malformed') : { status: 'ok', snapshot, fromVersion };
}

/** A current-version document as a snapshot, or null if any field is wrong. */
function validateCurrent(document: Json): LabSnapshot | null {
  if (field(document, 'format') !== STATE_FORMAT || field(document, 'version') !== STATE_VERSION) return null;
  const rawTape = field(document, 'tape');
  if (!Array.isArray(rawTape) || rawTape.length > TAPE_MAX_ENTRIES) return null;
  const tape: TapeLine[] = [];
  for (const text of rawTape) {
    const entry = decodeTapeEntry(text);
    if (entry === null) return null;
    tape.push(entry);
  }
  const position = field(document, 'position');
  if (typeof position !== 'number' || !Number.isInteger(position) || position < 0 || position > tape.length) return null;

  const lang = field(document, 'lang');
  if (lang !== undefined && !isLanguageCode(lang)) return null;

  const lesson = field(document, 'lesson');
  let lessonPlace: LessonPlace | null = null;
  if (lesson !== undefined) {
    if (!isRecord(lesson)) return null;
    const id = field(lesson, 'id');
    const step = field(lesson, 'step');
    if (!isLessonPlace(id, step)) return null;
    lessonPlace = { id: id as string, step: step as number };
  }

  const panels = field(document, 'panels');
  let panelIds: PanelId[] | null = null;
  if (panels !== undefined) {
    if (!Array.isArray(panels) || panels.length === 0 || panels.length > PANEL_IDS.length) return null;
    if (!panels.every((id): id is PanelId => typeof id === 'string' && isPanelId(id))) return null;
    if (new Set(panels).size !== panels.length) return null;
    panelIds = panels;
  }

  const speed = field(document, 'speed') ?? 1;
  if (typeof speed !== 'number' || !Number.isFinite(speed) || speed < MIN_SPEED || speed > MAX_SPEED) return null;

  const motion = field(document, 'motion');
  if (motion !== undefined && motion !== 'reduced' && motion !== 'full') return null;
  const theme = field(document, 'theme');
  if (theme !== undefined && !oneOf(THEMES, theme)) return null;
  const digits = field(document, 'digits');
  if (digits !== undefined && !oneOf(DIGIT_STYLES, digits)) return null;

  return {
    lang: lang ?? null,
    lesson: lessonPlace,
    tape,
    position,
    panels: panelIds,
    speed,
    reducedMotion: motion === undefined ? null : motion === 'reduced',
    theme: theme ?? null,
    digits: digits ?? null,
  };
}

// ---- the exported file -----------------------------------------------------------------------

/** The exported file's text: the document as indented JSON. */
export function stateFileText(snapshot: LabSnapshot): string {
  return `${JSON.stringify(toDocument(snapshot), null, 2)}\n`;
}

/** Reads an exported file's text (any version). */
export function readStateFile(text: string): StateResult {
  if (text.length > MAX_DECODED_CHARS) return rejected('too-large');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return rejected('malformed');
  }
  return readDocument(value);
}

// ---- the permalink ---------------------------------------------------------------------------

/** The tape's lines in a permalink: consecutive equal ticks share one line (`+100*12`). */
function tapeLines(tape: readonly string[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i < tape.length; ) {
    const text = tape[i] as string;
    let run = 1;
    if (text.startsWith('+')) while (run < MAX_RUN && tape[i + run] === text) run++;
    lines.push(run > 1 ? `${text}*${run}` : text);
    i += run;
  }
  return lines;
}

/** A permalink's tape lines back to one entry each, or null past the tape's size. */
function expandTapeLines(lines: readonly string[]): string[] | null {
  const tape: string[] = [];
  for (const line of lines) {
    const run = TICK_RUN.exec(line);
    const count = run === null ? 1 : Number(run[2]);
    if (tape.length + count > TAPE_MAX_ENTRIES) return null;
    const entry = run === null ? line : `+${run[1]}`;
    for (let i = 0; i < count; i++) tape.push(entry);
  }
  return tape;
}

/** The query parameters (`v=1&s=…`) that carry a snapshot; other parameters are the caller's. */
export function encodeUrlState(snapshot: LabSnapshot): string {
  const { tape, ...header } = toDocument(snapshot);
  const text = [JSON.stringify(header), ...tapeLines(tape)].join('\n');
  // lz-string's URI alphabet needs no escaping (URLSearchParams would write `+` as `%2B`); a `+`
  // read back as a space is restored by the decoder.
  return `${VERSION_PARAM}=${STATE_VERSION}&${STATE_PARAM}=${LZString.compressToEncodedURIComponent(text)}`;
}

/** The state a URL's query carries, if any (`search` as in `location.search`). */
export function readUrlState(search: string): StateResult {
  const params = new URLSearchParams(search);
  const current = params.get(STATE_PARAM);
  const legacy = params.get(LEGACY_STATE_PARAM);
  if (current === null && legacy === null) return { status: 'none' };
  const version = current !== null ? params.get(VERSION_PARAM) : '0';
  if (version === null || !/^\d{1,4}$/.test(version)) return rejected('malformed');
  if (Number(version) > STATE_VERSION) return rejected('newer-version');
  const encoded = (current ?? legacy) as string;
  if (encoded.length > MAX_ENCODED_CHARS) return rejected('too-large');
  const decoded = decompressBounded(encoded, MAX_DECODED_CHARS);
  if (!decoded.ok) return rejected(decoded.reason);
  const { text } = decoded;
  if (version === '0') return readStateFile(text);
  const [headerLine, ...lines] = text.split('\n');
  let header: unknown;
  try {
    header = JSON.parse(headerLine ?? '');
  } catch {
    return rejected('malformed');
  }
  if (!isRecord(header) || field(header, 'version') !== Number(version)) return rejected('malformed');
  const tape = expandTapeLines(lines);
  if (tape === null) return rejected('too-large');
  return readDocument({ ...header, tape });
}
