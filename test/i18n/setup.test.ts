// @vitest-environment jsdom
import { describe, expect, test, beforeEach } from 'vitest';
import {
  applyDocumentLanguage,
  bindLanguageToDocument,
  createI18n,
  detectLanguage,
  formatNumber,
  formatUtcDate,
  formatUtcTime,
  languageInfo,
  LANGUAGE_STORAGE_KEY,
} from '../../src/i18n/index.ts';

function storageWith(value: string | null): Pick<Storage, 'getItem'> {
  return { getItem: () => value };
}

describe(detectLanguage, () => {
  test('?lang= first, then the remembered choice, then the browser, then English', () => {
    expect(detectLanguage({ search: '?lang=ar', storage: storageWith('en') })).toBe('ar');
    expect(detectLanguage({ search: '?lang=AR' })).toBe('ar');
    expect(detectLanguage({ search: '?lang=fr', storage: storageWith('ar') })).toBe('ar');
    expect(detectLanguage({ storage: storageWith('xx'), navigatorLanguages: ['fr-FR', 'ar-EG'] })).toBe('ar');
    expect(detectLanguage({ navigatorLanguages: ['de'] })).toBe('en');
    expect(detectLanguage({})).toBe('en');
  });

  test('survives a storage that throws (a sandboxed iframe)', () => {
    const throwing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(detectLanguage({ storage: throwing })).toBe('en');
  });
});

describe('document language', () => {
  beforeEach(() => {
    localStorage.clear();
    window.history.replaceState(null, '', '/');
  });

  test('applyDocumentLanguage writes <html lang dir>', () => {
    applyDocumentLanguage(languageInfo('ar'));
    expect(document.documentElement.getAttribute('lang')).toBe('ar');
    expect(document.documentElement.getAttribute('dir')).toBe('rtl');
    applyDocumentLanguage(languageInfo('en'));
    expect(document.documentElement.getAttribute('dir')).toBe('ltr');
  });

  test('a language change updates <html>, the title, the stored choice and ?lang=', async () => {
    window.history.replaceState(null, '', '/lab/?lang=en&step=2');
    const i18n = createI18n('en');
    const unbind = bindLanguageToDocument(i18n);
    expect(document.title).toBe('Redis Persistence Lab');
    await i18n.changeLanguage('ar');
    expect(document.documentElement.dir).toBe('rtl');
    expect(document.documentElement.lang).toBe('ar');
    expect(document.title).toBe('مختبر Redis للحفاظ على البيانات');
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('ar');
    expect(window.location.search).toBe('?lang=ar&step=2');
    unbind();
  });
});

describe('translations', () => {
  test('Arabic plurals use all six forms, with Western digits', () => {
    const { t } = createI18n('ar');
    expect([0, 1, 2, 3, 11, 100, 1234, 1200].map((count) => t('keyspace.keys', { count }))).toEqual([
      'لا مفاتيح',
      'مفتاح واحد',
      'مفتاحان',
      '3 مفاتيح',
      '11 مفتاحًا',
      '100 مفتاح',
      '1,234 مفتاحًا',
      '1,200 مفتاح',
    ]);
  });

  test('English plurals', () => {
    const { t } = createI18n('en');
    expect([0, 1, 2, 12_345].map((count) => t('keyspace.keys', { count }))).toEqual(['0 keys', '1 key', '2 keys', '12,345 keys']);
  });
});

describe('formatters', () => {
  const AT_MS = Date.UTC(2026, 0, 1, 9, 0, 5);
  test('numbers and the UTC clock, Western digits in both languages', () => {
    expect(formatNumber(1234567.5, 'ar')).toBe('1,234,567.5');
    expect(formatUtcTime(AT_MS, 'en')).toBe('09:00:05');
    expect(formatUtcTime(AT_MS, 'ar')).toBe('09:00:05');
    expect(formatUtcDate(AT_MS, 'en')).toBe('Thursday, January 1, 2026');
    expect(formatUtcDate(AT_MS, 'ar')).toBe('الخميس، 1 يناير 2026');
  });
});
