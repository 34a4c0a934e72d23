import 'i18next';
import type en from '../../locales/en/translation.json';

// Typed keys: `t('console.titel')` is a compile error. English is the source of the key set.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}
