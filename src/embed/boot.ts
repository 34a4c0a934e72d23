import type { LabStore } from '../store/index.ts';
import type { LessonStore } from '../lessons/lesson-store.ts';
import { isLanguageCode, type LanguageCode } from '../i18n/languages.ts';
import type { PanelId } from '../ui/app/panels.ts';
import { readEmbedOptions, type EmbedOptions } from './embed-options.ts';
import { readUrlState, STATE_VERSION, type DigitStyle, type LabSnapshot, type StateResult, type Theme } from './url-state.ts';

/**
 * What the page's URL asks for at start, read once by src/main.tsx, and how a snapshot (from a
 * permalink or an imported file) is put back into the lab. Readable parameters an embedding page
 * writes by hand (`lang=`, `panels=`) win over the same fields inside the compressed state.
 */

export interface BootRequest {
  readonly embed: EmbedOptions;
  readonly state: StateResult;
  /** True when `state` is the session this tab kept across a reload, not the URL's. */
  readonly restoredSession: boolean;
  /** The language the URL asks for (`?lang=`, else the state's), or null to detect it as usual. */
  readonly lang: LanguageCode | null;
  readonly panels: readonly PanelId[] | null;
  /** Display settings the state carries, for this visit. */
  readonly display: { theme?: Theme; reducedMotion?: boolean; digits?: DigitStyle };
}

/**
 * `kept` reads the session this tab kept across a reload (./session-keep.ts): asked only when the
 * URL carries no state (a permalink's, even a refused one, always wins) and the lab is not framed
 * (frames of one page share their storage, so two embedded labs would restore each other's work).
 */
export function readBootRequest(search: string, kept: () => LabSnapshot | null = () => null): BootRequest {
  const embed = readEmbedOptions(search);
  const fromUrl = readUrlState(search);
  const session = fromUrl.status === 'none' && !embed.embedded ? kept() : null;
  const state: StateResult = session === null ? fromUrl : { status: 'ok', snapshot: session, fromVersion: STATE_VERSION };
  const snapshot = state.status === 'ok' ? state.snapshot : null;
  const langParam = new URLSearchParams(search).get('lang')?.toLowerCase();
  return {
    embed,
    state,
    restoredSession: session !== null,
    lang: isLanguageCode(langParam) ? langParam : (snapshot?.lang ?? null),
    panels: embed.panels ?? snapshot?.panels ?? null,
    display: snapshot === null ? {} : displayOf(snapshot),
  };
}

/** The display settings a snapshot sets (the others stay the viewer's). */
export function displayOf(snapshot: LabSnapshot): { theme?: Theme; reducedMotion?: boolean; digits?: DigitStyle } {
  return {
    ...(snapshot.theme !== null && { theme: snapshot.theme }),
    ...(snapshot.reducedMotion !== null && { reducedMotion: snapshot.reducedMotion }),
    ...(snapshot.digits !== null && { digits: snapshot.digits }),
  };
}

/**
 * Rebuilds the lab from a snapshot: the lesson opened at its step (an unknown lesson is skipped),
 * then the tape replayed on a fresh node, shown at its position, at its speed. The lesson goes
 * first because opening one moves the lab to the lesson's own plan; the tape then puts back
 * exactly what was shared, the student's own lines included. A lab with a past opens paused, so
 * the moment shown is the moment shared.
 */
export function applySnapshot(store: LabStore, snapshot: LabSnapshot, lessons?: Pick<LessonStore, 'getState'>, { pause = true } = {}): void {
  if (snapshot.lesson !== null) lessons?.getState().openLesson(snapshot.lesson.id, snapshot.lesson.step);
  const lab = store.getState();
  lab.setSpeed(snapshot.speed);
  if (snapshot.tape.length === 0) return;
  lab.loadTape(snapshot.tape, snapshot.position);
  // A session put back after a reload goes on as it was: paused in the past (loadTape does that), running at now.
  if (pause) store.getState().setPaused(true);
}
