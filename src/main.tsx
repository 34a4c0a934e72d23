/// <reference types="vite/client" />
/**
 * The composition root: the only module that wires every layer together. It reads what the URL
 * asks for (a permalink, the embed options), creates the lab store (one engine), the i18n instance
 * and the display settings, binds them to `<html lang dir data-theme>`, starts the postMessage
 * API when framed, and renders the app.
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
import { bindLanguageToDocument, createI18n, detectLanguage, languageInfo } from './i18n/index.ts';
import { createLabStore } from './store/index.ts';
import { LabStoreProvider } from './store/react.tsx';
import { createLessonStore } from './lessons/lesson-store.ts';
import { LessonStoreProvider } from './lessons/react.tsx';
import { App } from './ui/index.ts';
import { applySnapshot, readBootRequest } from './embed/boot.ts';
import { forgetSession, keepSession, readSession } from './embed/session-keep.ts';
import { captureSnapshot } from './embed/share-links.ts';
import type { LabSnapshot } from './embed/url-state.ts';
import { startBridge } from './embed/bridge.ts';
import { lessonPort } from './embed/lesson-port.ts';
import { bindSettingsToDocument, createSettingsStore } from './ui/settings/settings-store.ts';
import { SettingsProvider } from './ui/settings/settings-context.tsx';
import { ShellProvider } from './ui/share/shell-context.tsx';

function readStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function readSessionStorage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

// What the URL asks for: a permalink's state, the embed options, the language (src/embed/boot.ts);
// without a state in the URL, the session this tab kept across a reload (src/embed/session-keep.ts).
const sessionStorageOrNull = readSessionStorage();
const boot = readBootRequest(window.location.search, () => readSession(sessionStorageOrNull));
const i18n = createI18n(
  boot.lang ?? detectLanguage({ search: window.location.search, storage: readStorage(), navigatorLanguages: navigator.languages }),
);
bindLanguageToDocument(i18n);
// Theme, motion and digits: the viewer's, or a permalink's for this visit.
const settings = createSettingsStore({ storage: readStorage(), visit: boot.display });
bindSettingsToDocument(settings, document, () => i18n.emit('languageChanged', i18n.resolvedLanguage ?? i18n.language));
const store = createLabStore();
// The lesson runner drives the lab through its actions; progress is kept in localStorage.
const lessons = createLessonStore({ lab: store, storage: readStorage() });
if (boot.state.status === 'ok' && !boot.restoredSession) {
  applySnapshot(store, boot.state.snapshot, lessons);
} else if (boot.state.status === 'ok') {
  try {
    applySnapshot(store, boot.state.snapshot, lessons, { pause: false });
  } catch {
    // A kept session that cannot be replayed is forgotten: the page starts fresh rather than not at all.
    forgetSession(sessionStorageOrNull);
    store.getState().reset();
  }
}
// Framed labs keep nothing: the frames of one page share one sessionStorage.
if (!boot.embed.embedded) {
  const capture = (): LabSnapshot => {
    const lab = store.getState();
    const { theme, reducedMotion, digits } = settings.getState();
    const { lessonId, step } = lessons.getState();
    return captureSnapshot({
      tape: lab.getTape(),
      position: lab.timeline.position,
      speed: lab.speed,
      lang: languageInfo(i18n.resolvedLanguage ?? i18n.language).code,
      lesson: lessonId === null ? null : { id: lessonId, step },
      panels: boot.panels,
      display: { theme, reducedMotion, digits },
    });
  };
  const watch = (changed: () => void): (() => void) => {
    const unsubscribers = [settings.subscribe(changed), lessons.subscribe(changed)];
    i18n.on('languageChanged', changed);
    return () => {
      for (const unsubscribe of unsubscribers) unsubscribe();
      i18n.off('languageChanged', changed);
    };
  };
  keepSession({ win: window, storage: sessionStorageOrNull, store, capture, watch });
}
// The postMessage API, when the lab is inside a frame (src/embed/bridge.ts, docs/embedding.md).
startBridge({ win: window, store, i18n, messageOrigin: boot.embed.messageOrigin, embedded: boot.embed.embedded, lessons: lessonPort(lessons) });
const shell = { embed: boot.embed, panels: boot.panels, urlProblem: boot.state.status === 'rejected' ? boot.state.reason : null };

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <SettingsProvider store={settings}>
        <ShellProvider value={shell}>
          <LabStoreProvider store={store}>
            <LessonStoreProvider store={lessons}>
              <App />
            </LessonStoreProvider>
          </LabStoreProvider>
        </ShellProvider>
      </SettingsProvider>
    </I18nextProvider>
  </StrictMode>,
);
