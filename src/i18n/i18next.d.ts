import 'i18next';
import type { EnglishStrings } from './resources.ts';

// Typed keys: `t('console.titel')` is a compile error. English is the source of the key set.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: EnglishStrings };
  }
}
