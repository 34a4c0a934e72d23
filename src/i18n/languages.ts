/**
 * The languages the lab speaks. Direction is data here, on the list, and nowhere else: the one
 * function that writes `<html lang dir>` (apply-document-language.ts) reads it from this list.
 */
export interface Language {
  /** BCP 47 code, as used by i18next, `<html lang>` and `?lang=`. */
  readonly code: 'en' | 'ar';
  /** The language's own name, shown in the switch whatever the current language. */
  readonly label: string;
  readonly dir: 'ltr' | 'rtl';
  /**
   * The locale for Intl formatters. Western digits (`-u-nu-latn`) by default for Arabic too: they
   * are what Redis prints and what code uses, so numbers in prose match numbers in replies.
   */
  readonly intlLocale: string;
}

export const LANGUAGES: readonly Language[] = [
  { code: 'en', label: 'English', dir: 'ltr', intlLocale: 'en-u-nu-latn' },
  { code: 'ar', label: 'العربية', dir: 'rtl', intlLocale: 'ar-u-nu-latn' },
];

export type LanguageCode = Language['code'];

export const DEFAULT_LANGUAGE: LanguageCode = 'en';

export function isLanguageCode(value: unknown): value is LanguageCode {
  return LANGUAGES.some((language) => language.code === value);
}

/** The language for a code; unknown codes (including i18next's `cimode`) get the default. */
export function languageInfo(code: string | undefined): Language {
  const base = code?.toLowerCase().split('-')[0];
  return LANGUAGES.find((language) => language.code === base) ?? (LANGUAGES[0] as Language);
}
