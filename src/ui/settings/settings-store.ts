import { createStore, type StoreApi } from 'zustand/vanilla';
import { setArabicDigits, type DigitStyle } from '../../i18n/format.ts';
import { DIGIT_STYLES, THEMES, type Theme } from '../../embed/url-state.ts';

/**
 * The display settings: the theme (light, dark, projector), the in-app reduced-motion switch (on
 * top of the system's setting, which is always honoured) and the digits used in Arabic. They are
 * the viewer's, not the lab's: remembered in localStorage (when the browser allows it; a sandboxed
 * iframe may not), carried by permalinks, and written on `<html>` as `data-theme` and
 * `data-motion`, where the CSS reads them.
 */

export interface DisplaySettings {
  readonly theme: Theme;
  readonly reducedMotion: boolean;
  readonly digits: DigitStyle;
}

export interface SettingsState extends DisplaySettings {
  setTheme(theme: Theme): void;
  setReducedMotion(reduced: boolean): void;
  setDigits(digits: DigitStyle): void;
}

export type SettingsStore = StoreApi<SettingsState>;

export const SETTINGS_STORAGE_KEY = 'redis-lab.display';
export const DEFAULT_SETTINGS: DisplaySettings = { theme: 'light', reducedMotion: false, digits: 'western' };

type SettingsStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** The remembered settings, each checked; anything unreadable is left at its default. */
export function readStoredSettings(storage: SettingsStorage | null): Partial<DisplaySettings> {
  let stored: unknown;
  try {
    stored = JSON.parse(storage?.getItem(SETTINGS_STORAGE_KEY) ?? 'null');
  } catch {
    return {};
  }
  if (typeof stored !== 'object' || stored === null) return {};
  const { theme, reducedMotion, digits } = stored as Record<string, unknown>;
  return {
    ...((THEMES as readonly unknown[]).includes(theme) && { theme: theme as Theme }),
    ...(typeof reducedMotion === 'boolean' && { reducedMotion }),
    ...((DIGIT_STYLES as readonly unknown[]).includes(digits) && { digits: digits as DigitStyle }),
  };
}

export interface SettingsStoreOptions {
  readonly storage?: SettingsStorage | null;
  /** Settings for this visit only (from a permalink): shown, not remembered until the viewer changes one. */
  readonly visit?: Partial<DisplaySettings>;
}

export function createSettingsStore({ storage = null, visit = {} }: SettingsStoreOptions = {}): SettingsStore {
  const remember = (settings: DisplaySettings): void => {
    try {
      storage?.setItem(SETTINGS_STORAGE_KEY, JSON.stringify(settings));
    } catch {
      // Storage can be full or forbidden (a sandboxed iframe); the setting then lasts this visit.
    }
  };
  return createStore<SettingsState>()((set, get) => {
    const change = (patch: Partial<DisplaySettings>): void => {
      set(patch);
      const { theme, reducedMotion, digits } = get();
      remember({ theme, reducedMotion, digits });
    };
    return {
      ...DEFAULT_SETTINGS,
      ...readStoredSettings(storage),
      ...visit,
      setTheme: (theme) => change({ theme }),
      setReducedMotion: (reducedMotion) => change({ reducedMotion }),
      setDigits: (digits) => change({ digits }),
    };
  });
}

/** Writes the settings where the page reads them: `<html data-theme data-motion>`, the colour scheme, the digits. */
export function applyDisplaySettings(settings: DisplaySettings, doc: Document): void {
  const root = doc.documentElement;
  root.dataset.theme = settings.theme;
  root.dataset.motion = settings.reducedMotion ? 'reduced' : 'system';
  doc.querySelector('meta[name="color-scheme"]')?.setAttribute('content', settings.theme === 'dark' ? 'dark' : 'light');
  setArabicDigits(settings.digits);
}

/**
 * Keeps the page in step with the store. A change of digits re-renders what i18next renders
 * (`languageChanged` is what react-i18next listens to), since every number is formatted at render.
 */
export function bindSettingsToDocument(store: SettingsStore, doc: Document, rerender: () => void): () => void {
  applyDisplaySettings(store.getState(), doc);
  return store.subscribe((settings, previous) => {
    applyDisplaySettings(settings, doc);
    if (settings.digits !== previous.digits) rerender();
  });
}
