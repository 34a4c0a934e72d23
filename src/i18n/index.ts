/** The lab's languages: set-up, the language list with direction, and Intl formatters. */
export { LANGUAGES, DEFAULT_LANGUAGE, isLanguageCode, languageInfo } from './languages.ts';
export type { Language, LanguageCode } from './languages.ts';
export { applyDocumentLanguage } from './apply-document-language.ts';
export { createI18n, detectLanguage, bindLanguageToDocument, LANGUAGE_STORAGE_KEY, LANGUAGE_PARAM, resources } from './setup.ts';
export { formatNumber, formatSeconds, formatUtcTime, formatUtcDate, proseDigits } from './format.ts';
