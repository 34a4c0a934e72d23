/// <reference types="vite/client" />
/**
 * The composition root: the only module that wires every layer together. It creates the lab
 * store (one engine), the i18n instance in the detected language, binds the language to
 * `<html lang dir>`, and renders the app.
 */
import '@fontsource/ibm-plex-sans/400.css';
import '@fontsource/ibm-plex-sans/600.css';
import '@fontsource/ibm-plex-sans-arabic/400.css';
import '@fontsource/ibm-plex-sans-arabic/600.css';
import '@fontsource/ibm-plex-mono/400.css';
import '@fontsource/ibm-plex-mono/600.css';
import './styles/global.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { bindLanguageToDocument, createI18n, detectLanguage } from './i18n/index.ts';
import { createLabStore } from './store/index.ts';
import { LabStoreProvider } from './store/react.tsx';
import { App } from './ui/index.ts';

function readStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

const i18n = createI18n(
  detectLanguage({ search: window.location.search, storage: readStorage(), navigatorLanguages: navigator.languages }),
);
bindLanguageToDocument(i18n);
const store = createLabStore();

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <LabStoreProvider store={store}>
        <App />
      </LabStoreProvider>
    </I18nextProvider>
  </StrictMode>,
);
