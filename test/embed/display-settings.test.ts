// @vitest-environment jsdom
import { afterEach, describe, expect, test } from 'vitest';
import { applyDisplaySettings, bindSettingsToDocument, createSettingsStore, readStoredSettings, SETTINGS_STORAGE_KEY } from '../../src/ui/settings/settings-store.ts';
import { formatNumber, formatUtcTime, setArabicDigits } from '../../src/i18n/format.ts';
import { createI18n } from '../../src/i18n/index.ts';
import { formatBytes, formatBytesExact } from '../../src/ui/format-units.ts';

/** A Storage that keeps items in a map, or throws on every call (a sandboxed iframe). */
function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value), items };
}
const forbidden = {
  getItem: () => {
    throw new DOMException('denied', 'SecurityError');
  },
  setItem: () => {
    throw new DOMException('denied', 'SecurityError');
  },
};

afterEach(() => setArabicDigits('western'));

describe('display settings', () => {
  test('defaults: light, the system’s motion, Western digits', () => {
    expect(createSettingsStore().getState()).toMatchObject({ theme: 'light', reducedMotion: false, digits: 'western' });
  });

  test('remembered in storage, and read back checked', () => {
    const storage = memoryStorage();
    const store = createSettingsStore({ storage });
    store.getState().setTheme('projector');
    store.getState().setReducedMotion(true);
    expect(JSON.parse(storage.items.get(SETTINGS_STORAGE_KEY) as string)).toEqual({ theme: 'projector', reducedMotion: true, digits: 'western' });
    expect(createSettingsStore({ storage }).getState()).toMatchObject({ theme: 'projector', reducedMotion: true });
    expect(readStoredSettings(memoryStorage({ [SETTINGS_STORAGE_KEY]: '{"theme":"<b>","reducedMotion":"yes","digits":"arabic-indic"}' }))).toEqual({ digits: 'arabic-indic' });
    expect(readStoredSettings(memoryStorage({ [SETTINGS_STORAGE_KEY]: 'not json' }))).toEqual({});
  });

  test('storage that throws (a sandboxed frame) is survived: the settings last the visit', () => {
    const store = createSettingsStore({ storage: forbidden });
    expect(() => store.getState().setTheme('dark')).not.toThrow();
    expect(store.getState().theme).toBe('dark');
  });

  test('a permalink’s settings apply for the visit, and are not remembered until the viewer changes one', () => {
    const storage = memoryStorage();
    const store = createSettingsStore({ storage, visit: { theme: 'dark' } });
    expect(store.getState().theme).toBe('dark');
    expect(storage.items.size).toBe(0);
  });

  test('written on <html>: data-theme, data-motion and the colour scheme', () => {
    const meta = document.createElement('meta');
    meta.name = 'color-scheme';
    document.head.append(meta);
    const store = createSettingsStore();
    let rerenders = 0;
    const unbind = bindSettingsToDocument(store, document, () => rerenders++);
    expect(document.documentElement.dataset).toMatchObject({ theme: 'light', motion: 'system' });
    store.getState().setTheme('dark');
    store.getState().setReducedMotion(true);
    expect(document.documentElement.dataset).toMatchObject({ theme: 'dark', motion: 'reduced' });
    expect(meta.content).toBe('dark');
    expect(rerenders).toBe(0);
    store.getState().setDigits('arabic-indic');
    expect(rerenders).toBe(1);
    unbind();
  });
});

describe('digits in Arabic', () => {
  test('Western by default, Arabic-Indic as a setting; English keeps Western digits', () => {
    expect(formatNumber(39875, 'ar')).toBe('39,875');
    applyDisplaySettings({ theme: 'light', reducedMotion: false, digits: 'arabic-indic' }, document);
    expect(formatNumber(39875, 'ar')).toBe('٣٩٬٨٧٥');
    expect(formatNumber(39875, 'en')).toBe('39,875');
    expect(formatUtcTime(Date.UTC(2026, 0, 1, 9, 0, 5), 'ar')).toBe('٠٩:٠٠:٠٥');
  });

  test('i18next’s integer formatter follows the setting', () => {
    const i18n = createI18n('ar');
    setArabicDigits('arabic-indic');
    expect(i18n.t('share.length', { count: 1200 })).toBe('١٬٢٠٠ حرف');
    setArabicDigits('western');
    expect(i18n.t('share.length', { count: 1200 })).toBe('1,200 حرف');
  });

  test('numbers with units stay one left-to-right run, whichever digits', () => {
    setArabicDigits('arabic-indic');
    expect(formatBytesExact(39875, 'ar')).toBe('\u2066٣٩٬٨٧٥ B\u2069');
    expect(formatBytes(4.2 * 1024 * 1024, 'ar')).toBe('\u2066٤٫٢ MB\u2069');
  });
});
