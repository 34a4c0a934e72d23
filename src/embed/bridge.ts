import type { i18n as I18n } from 'i18next';
import type { LabStore, LoggedEvent } from '../store/index.ts';
import { isLanguageCode, languageInfo } from '../i18n/languages.ts';
import { AutoResize, isH5pMessage } from './auto-resize.ts';
import { envelope, parseInbound, publicEvent, recoverySummary, type InboundMessage, type LabStatus, type OutboundMessage } from './post-message.ts';

/**
 * The lab's side of the postMessage API, wired to a window, the store and i18next. It listens
 * only when the lab is inside a frame, and only to its parent window (and, when the embedding
 * page pinned one, only to that origin, which is also the only one it posts to).
 *
 * Out: `ready` once; `event` for each public engine event a live action produces (not the replay
 * of the past when the timeline seeks: those events already happened); `crash` and `recovered`;
 * `resize` (with Canvas's and H5P's forms, see auto-resize.ts); `language`; and what the lessons
 * report. In: see post-message.ts.
 */

/** What the bridge asks of the lessons, when there are any. */
export interface LessonPort {
  open(lessonId: string, step: number): boolean;
  current(): LabStatus['lesson'];
  /** Calls `post` for each lesson message; returns the unsubscribe. */
  subscribe(post: (message: OutboundMessage) => void): () => void;
}

export interface BridgeOptions {
  readonly win: Window;
  readonly store: LabStore;
  readonly i18n: I18n;
  /** `'*'`, a pinned origin, or null to keep the API closed (an invalid pin). */
  readonly messageOrigin: string | null;
  readonly embedded: boolean;
  readonly lessons?: LessonPort;
}

/** The events `state` has that `previous` did not, or null when the list was rebuilt (a replay from a fresh node). */
function appendedEvents(events: readonly LoggedEvent[], previous: readonly LoggedEvent[]): readonly LoggedEvent[] | null {
  if (events === previous) return [];
  const last = previous[previous.length - 1];
  if (last === undefined) return events;
  const at = events.lastIndexOf(last);
  if (at !== -1) return events.slice(at + 1);
  // Gone: either one action's events overflowed the bounded list (they all follow `last`), or the
  // list was rebuilt from a fresh node (its numbering starts again).
  const first = events[0];
  return first !== undefined && first.seq > last.seq ? events : null;
}

export function startBridge({ win, store, i18n, messageOrigin, embedded, lessons }: BridgeOptions): () => void {
  const parent = win.parent;
  if (parent === win || parent === null || messageOrigin === null) return () => {};
  const post = (message: unknown): void => parent.postMessage(message, messageOrigin);
  const send = (message: OutboundMessage): void => post(envelope(message));

  const status = (): LabStatus => {
    const state = store.getState();
    return {
      lang: languageInfo(i18n.resolvedLanguage ?? i18n.language).code,
      position: state.timeline.position,
      length: state.timeline.length,
      nowMs: state.nowMs,
      paused: state.paused,
      speed: state.speed,
      lesson: lessons?.current() ?? null,
    };
  };

  const handle = (message: InboundMessage): void => {
    const lab = store.getState();
    switch (message.type) {
      case 'run':
        lab.runLine(message.line);
        break;
      case 'play':
        lab.setPaused(false);
        break;
      case 'pause':
        lab.setPaused(true);
        break;
      case 'seek':
        lab.seek(message.position);
        break;
      case 'load':
        lab.loadScenario(message.lines, message.position);
        break;
      case 'set-language':
        void i18n.changeLanguage(message.lang);
        break;
      case 'open-lesson':
        lessons?.open(message.lessonId, message.step);
        break;
      case 'get-state':
        send({ type: 'state', ...status() });
        break;
    }
  };

  const resize = new AutoResize(win.document, { post }, (size) => send({ type: 'resize', ...size }));

  const onMessage = (event: MessageEvent): void => {
    if (event.source !== parent) return;
    if (messageOrigin !== '*' && event.origin !== messageOrigin) return;
    if (isH5pMessage(event.data)) {
      resize.receiveH5p(event.data);
      return;
    }
    const message = parseInbound(event.data);
    if (message !== null) handle(message);
  };

  const unsubscribeStore = store.subscribe((state, previous) => {
    // The store says which events are news: a live action's, a branch from the past included (the
    // tape's length and position alone cannot tell a branch from one entry back from a replay).
    if (state.eventSource !== 'live') return;
    const appended = appendedEvents(state.events, previous.events);
    if (appended === null || appended.length === 0) return;
    for (const { event } of appended) {
      const shown = publicEvent(event);
      if (shown !== null) send({ type: 'event', event: shown });
      if (event.type === 'process.crashed') send({ type: 'crash', atMs: event.atMs, kind: event.kind });
      const recovered = recoverySummary(event);
      if (recovered !== null) send({ type: 'recovered', ...recovered });
    }
  });

  // `languageChanged` also fires when only the digits change (a re-render): say a language once.
  let lastLanguage = status().lang;
  const onLanguage = (lng: string): void => {
    if (!isLanguageCode(lng) || lng === lastLanguage) return;
    lastLanguage = lng;
    send({ type: 'language', lang: lng });
  };
  i18n.on('languageChanged', onLanguage);
  const unsubscribeLessons = lessons?.subscribe(send) ?? (() => {});

  // Size changes: the content reflows with the store, the language, the window, fonts loading.
  let frame: number | null = null;
  const scheduleMeasure = (): void => {
    if (frame !== null) return;
    frame = win.requestAnimationFrame(() => {
      frame = null;
      resize.measure();
    });
  };
  const { ResizeObserver } = win as Window & typeof globalThis;
  const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(scheduleMeasure) : null;
  observer?.observe(win.document.documentElement);
  win.addEventListener('resize', scheduleMeasure);
  win.addEventListener('message', onMessage);

  send({ type: 'ready', embedded, ...status() });
  resize.start();

  return () => {
    win.removeEventListener('message', onMessage);
    win.removeEventListener('resize', scheduleMeasure);
    observer?.disconnect();
    if (frame !== null) win.cancelAnimationFrame(frame);
    unsubscribeStore();
    unsubscribeLessons();
    i18n.off('languageChanged', onLanguage);
  };
}
