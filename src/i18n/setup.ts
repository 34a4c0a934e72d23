import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { arabicStrings, englishStrings } from './resources.ts';
import { formatNumber } from './format.ts';
import { DEFAULT_LANGUAGE, isLanguageCode, languageInfo, type LanguageCode } from './languages.ts';
import { applyDocumentLanguage } from './apply-document-language.ts';

/**
 * i18next set-up. Both locales are bundled (imported JSON): the lab is hosted statically and must
 * work offline, so nothing is fetched. Each call makes a fresh instance, so tests never share one.
 */

export const LANGUAGE_STORAGE_KEY = 'redis-lab.language';
/** The URL parameter that picks the language: `?lang=ar`. */
export const LANGUAGE_PARAM = 'lang';

export const resources = {
  en: { translation: englishStrings },
  ar: { translation: arabicStrings },
} as const;

export function createI18n(lng: LanguageCode = DEFAULT_LANGUAGE): I18n {
  const instance = i18next.createInstance();
  instance.use(initReactI18next);
  // initAsync false: the resources are in memory, so init completes before the first render.
  void instance.init({
    resources,
    lng,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: ['en', 'ar'],
    initAsync: false,
    returnNull: false,
    // React escapes what it renders; escaping here too would show `&quot;` in replies.
    interpolation: { escapeValue: false },
  });
  // `{{count, integer}}` in the locale files: the language's grouping, and its digits (format.ts).
  instance.services.formatter?.add('integer', (value: unknown, language) => formatNumber(Number(value), language ?? lng));
  return instance;
}

interface LanguageSources {
  readonly search?: string;
  readonly storage?: Pick<Storage, 'getItem'> | null;
  readonly navigatorLanguages?: readonly string[];
}

/** The language to start in: `?lang=`, then the remembered choice, then the browser's, then English. */
export function detectLanguage({ search = '', storage = null, navigatorLanguages = [] }: LanguageSources): LanguageCode {
  const fromUrl = new URLSearchParams(search).get(LANGUAGE_PARAM)?.toLowerCase();
  if (isLanguageCode(fromUrl)) return fromUrl;
  let remembered: string | null = null;
  try {
    remembered = storage?.getItem(LANGUAGE_STORAGE_KEY) ?? null;
  } catch {
    // Storage can throw in sandboxed iframes; the choice is then simply not remembered.
  }
  if (isLanguageCode(remembered)) return remembered;
  for (const tag of navigatorLanguages) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguageCode(base)) return base;
  }
  return DEFAULT_LANGUAGE;
}

/**
 * The browser's side of a language change: `<html lang dir>`, the tab title, the remembered
 * choice, and `?lang=` kept in step when the URL carries it (so a reload keeps the choice).
 */
export function bindLanguageToDocument(instance: I18n, win: Window = window): () => void {
  const apply = (lng: string): void => {
    const language = languageInfo(lng);
    applyDocumentLanguage(language, win.document);
    win.document.title = instance.t('app.title');
  };
  const onChange = (lng: string): void => {
    apply(lng);
    const { code } = languageInfo(lng);
    try {
      win.localStorage.setItem(LANGUAGE_STORAGE_KEY, code);
    } catch {
      // See detectLanguage.
    }
    const url = new URL(win.location.href);
    if (url.searchParams.has(LANGUAGE_PARAM) && url.searchParams.get(LANGUAGE_PARAM) !== code) {
      url.searchParams.set(LANGUAGE_PARAM, code);
      win.history.replaceState(win.history.state, '', url);
    }
  };
  apply(instance.resolvedLanguage ?? instance.language);
  instance.on('languageChanged', onChange);
  return () => instance.off('languageChanged', onChange);
}
