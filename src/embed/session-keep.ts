import type { LabStore } from '../store/index.ts';
import { encodeUrlState, MAX_ENCODED_CHARS, readUrlState, type LabSnapshot } from './url-state.ts';

/**
 * The lab kept across a reload of its tab: the moment (tape, position, display settings, …) in
 * sessionStorage, written in the permalink's own form (`v=1&s=…`) and read back through the
 * permalink's own checks. Pure: the caller passes the storage.
 *
 * sessionStorage belongs to one tab, so two lab tabs never overwrite each other's session (a
 * duplicated tab starts from a copy, then goes its own way). Whatever is stored is read as
 * untrusted input, as a link would be: another script of the origin, or the student, can write it.
 */

export const SESSION_STORAGE_KEY = 'redis-lab.session';
/** The longest stored text read: the permalink's cap, plus room for its `v=1&s=`. */
export const MAX_SESSION_CHARS = MAX_ENCODED_CHARS + 16;

type SessionStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** A session worth keeping: one where something was done, not only time passing by itself. */
export function worthKeeping(snapshot: LabSnapshot): boolean {
  return snapshot.tape.some((entry) => entry.kind !== 'tick');
}

/** The session kept in this tab, or null when there is none or it cannot be read (it is then forgotten). */
export function readSession(storage: SessionStorage | null): LabSnapshot | null {
  let text: string | null;
  try {
    text = storage?.getItem(SESSION_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
  if (text === null) return null;
  // Checked before any parsing: a huge value costs nothing more than its length.
  const result = text.length <= MAX_SESSION_CHARS ? readUrlState(`?${text}`) : null;
  if (result?.status === 'ok') return result.snapshot;
  forgetSession(storage);
  return null;
}

/**
 * Keeps the session, or forgets it when nothing is worth keeping or it is too large to be read
 * back (a reload then starts fresh rather than at an older moment). Returns whether it is kept.
 */
export function writeSession(storage: SessionStorage | null, snapshot: LabSnapshot): boolean {
  if (!worthKeeping(snapshot)) {
    forgetSession(storage);
    return false;
  }
  const text = encodeUrlState(snapshot);
  if (text.length > MAX_SESSION_CHARS) {
    forgetSession(storage);
    return false;
  }
  try {
    storage?.setItem(SESSION_STORAGE_KEY, text);
    return storage !== null;
  } catch {
    // Storage full or forbidden (a sandboxed frame): a reload then starts fresh.
    forgetSession(storage);
    return false;
  }
}

export function forgetSession(storage: SessionStorage | null): void {
  try {
    storage?.removeItem(SESSION_STORAGE_KEY);
  } catch {
    // Nothing to do: storage that cannot be written holds nothing of ours.
  }
}

/** How often a changed session is written while the tab is open (a reload writes it at once). */
export const SESSION_SAVE_INTERVAL_MS = 1500;

export interface SessionKeeperOptions {
  readonly win: Pick<Window, 'addEventListener' | 'removeEventListener' | 'setInterval' | 'clearInterval'> & {
    readonly document: Pick<Document, 'visibilityState' | 'addEventListener' | 'removeEventListener'>;
  };
  readonly storage: SessionStorage | null;
  readonly store: LabStore;
  /** The lab as it is now, as a snapshot (src/embed/share-links.ts `captureSnapshot`). */
  readonly capture: () => LabSnapshot;
  /** Calls `changed` when something the store does not hold changes (language, display, lesson); returns the unsubscribe. */
  readonly watch?: (changed: () => void) => () => void;
}

/**
 * Writes the session when the page goes away (a reload, a closed tab, a hidden tab) and, every
 * `SESSION_SAVE_INTERVAL_MS`, after a change worth a write. The live clock's own ticks are not
 * such a change (the next write takes them along): encoding the tape on every tick would cost a
 * long lab its smoothness for nothing. Returns the stop.
 */
export function keepSession({ win, storage, store, capture, watch }: SessionKeeperOptions): () => void {
  let dirty = false;
  const save = (): void => {
    dirty = false;
    writeSession(storage, capture());
  };
  const unsubscribeStore = store.subscribe((state, previous) => {
    const { timeline } = state;
    const grewByTicksOnly =
      timeline.length > previous.timeline.length &&
      timeline.position === timeline.length &&
      state.generation === previous.generation &&
      store.getState().getTape().at(-1)?.kind === 'tick';
    const changed = timeline !== previous.timeline || state.speed !== previous.speed || state.generation !== previous.generation;
    if (changed && !grewByTicksOnly) dirty = true;
  });
  const unwatch = watch?.(() => (dirty = true)) ?? (() => {});
  const timer = win.setInterval(() => {
    if (dirty) save();
  }, SESSION_SAVE_INTERVAL_MS);
  const onHidden = (): void => {
    if (win.document.visibilityState === 'hidden') save();
  };
  win.addEventListener('pagehide', save);
  win.document.addEventListener('visibilitychange', onHidden);
  return () => {
    unsubscribeStore();
    unwatch();
    win.clearInterval(timer);
    win.removeEventListener('pagehide', save);
    win.document.removeEventListener('visibilitychange', onHidden);
  };
}
