/**
 * The lab's tape: every action since the node started, as the text line that replays it. Typed
 * lines (the console, buttons, lessons, scenarios) are recorded as typed; time passing is recorded
 * as `SIM ADVANCE <ms>`. The engine is deterministic, so replaying the first `n` entries on a fresh
 * node rebuilds the lab exactly as it was after the `n`th action: that is how the timeline steps
 * back, scrubs and branches.
 *
 * A position is a count of entries applied: 0 is the fresh node, `tape.length` is now.
 */

export type TapeEntryKind =
  /** A line run as typed: shown in the console's transcript when replayed. */
  | 'line'
  /**
   * Simulated time following real time (the live clock), one entry per tick. Ticks are never
   * merged: a child's work or an fsync split at other instants would not replay byte for byte.
   */
  | 'tick'
  /** A jump in time from the clock panel (`+10 s`): not shown in the console. */
  | 'skip';

export interface TapeEntry {
  readonly kind: TapeEntryKind;
  readonly line: string;
  /** Simulated unix ms when the entry started. */
  readonly atMs: number;
  /** Simulated unix ms when it ended (later than `atMs` only for time passing). */
  readonly endMs: number;
  /** The last event sequence number it produced (events run from the previous entry's `seqEnd` + 1). */
  readonly seqEnd: number;
}

/** A step back or forward goes to the previous or next typed line, or this much time at most. */
export const STEP_MAX_MS = 1000;
/** The tape keeps this many entries; beyond, the lab is too long to rewind and stops recording it. */
export const TAPE_MAX_ENTRIES = 50_000;
/** Playing the past at 1×, a typed line is shown for this long before the next (time entries take their own length). */
export const LINE_BEAT_MS = 600;
/** The speed control's range: logarithmic, 0.1× to 100×. */
export const MIN_SPEED = 0.1;
export const MAX_SPEED = 100;

/** The most one time entry may hold: a live tick is at most 1 s of real time at 100×. */
export const MAX_TIME_ENTRY_MS = 100_000;

export function advanceLine(ms: number): string {
  return `SIM ADVANCE ${ms}`;
}

/** A time entry's milliseconds; 0 for a line that is not `SIM ADVANCE <ms>` (a hostile permalink, say). */
export function advanceMsOf(line: string): number {
  const match = /^SIM ADVANCE (\d{1,9})$/.exec(line);
  return match === null ? 0 : Math.min(Number(match[1]), MAX_TIME_ENTRY_MS);
}

/** The playback time an entry takes when the past is played (at 1×). */
export function playbackMs(entry: TapeEntry): number {
  return entry.kind === 'line' ? LINE_BEAT_MS : entry.endMs - entry.atMs;
}

/**
 * Where a step lands from `position` (direction −1 or +1): across one typed line or jump, or
 * across the live clock's ticks up to `STEP_MAX_MS` of simulated time.
 */
export function stepTarget(tape: readonly TapeEntry[], position: number, direction: -1 | 1): number {
  // The entry a step in this direction crosses first, from position `at`.
  const crossed = (at: number): TapeEntry | undefined => tape[direction === -1 ? at - 1 : at];
  const first = crossed(position);
  if (first === undefined) return position;
  if (first.kind !== 'tick') return position + direction;
  let at = position;
  let spentMs = 0;
  for (let entry = crossed(at); entry !== undefined && entry.kind === 'tick' && spentMs < STEP_MAX_MS; entry = crossed(at)) {
    spentMs += entry.endMs - entry.atMs;
    at += direction;
  }
  return at;
}

/** The position just after the entry that produced event `seq`, or null when no entry did. */
export function positionOfEvent(tape: readonly TapeEntry[], seq: number): number | null {
  let low = 0;
  let high = tape.length;
  // The first entry whose seqEnd ≥ seq.
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((tape[mid] as TapeEntry).seqEnd < seq) low = mid + 1;
    else high = mid;
  }
  return low < tape.length ? low + 1 : null;
}

export function clampSpeed(speed: number): number {
  if (!Number.isFinite(speed)) return 1;
  return Math.min(MAX_SPEED, Math.max(MIN_SPEED, speed));
}

/** A speed slider's 0…1 position ↔ 0.1×…100×, logarithmic so 1× sits in the middle third. */
export function speedFromSlider(fraction: number): number {
  const f = Math.min(1, Math.max(0, fraction));
  return clampSpeed(MIN_SPEED * (MAX_SPEED / MIN_SPEED) ** f);
}

export function sliderFromSpeed(speed: number): number {
  return Math.log(clampSpeed(speed) / MIN_SPEED) / Math.log(MAX_SPEED / MIN_SPEED);
}

/** A scenario file or URL's lines: comments (`#`) and blank lines are not actions. */
export function scenarioLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}
