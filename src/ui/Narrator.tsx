import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLabStoreApi } from '../store/react.tsx';
import { narrateEntry, narrateEvents } from './narration.ts';
import { formatNumber, formatUtcTime } from '../i18n/index.ts';

/**
 * The aria-live narration: one polite status region that says, in the current language, what just
 * happened (a line ran, a key expired, time was paused). Panels announce their own actions through
 * `useAnnounce()`; lines and engine events are narrated from the store.
 */

const AnnounceContext = createContext<(text: string) => void>(() => {});

export function useAnnounce(): (text: string) => void {
  return useContext(AnnounceContext);
}

export function NarratorProvider({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? 'en';
  const store = useLabStoreApi();
  const [message, setMessage] = useState<{ id: number; text: string } | null>(null);

  const announce = useCallback((text: string) => {
    // A new id re-mounts the text, so the same words said twice are announced twice.
    setMessage((previous) => ({ id: (previous?.id ?? 0) + 1, text }));
  }, []);

  useEffect(
    () =>
      store.subscribe((state, previous) => {
        const parts: string[] = [];
        const { timeline } = state;
        if (state.paused && state.eventSource === 'replay' && timeline.position !== previous.timeline.position) {
          // A seek or a step: where the lab now is, not the events replayed to get there.
          announce(
            t('timeline.seeked', { position: formatNumber(timeline.position, lng), length: formatNumber(timeline.length, lng), time: formatUtcTime(state.nowMs, lng) }),
          );
          return;
        }
        if (state.lastRun !== null && state.lastRun !== previous.lastRun) {
          const said = narrateEntry(state.lastRun, t);
          if (said !== null) parts.push(said);
        }
        if (state.events !== previous.events) {
          // Only the events new since the previous state, walked back from the end of the log.
          const seenSeq = previous.events[previous.events.length - 1]?.seq ?? 0;
          let first = state.events.length;
          while (first > 0 && (state.events[first - 1]?.seq ?? 0) > seenSeq) first--;
          parts.push(...narrateEvents(state.events.slice(first).map((logged) => logged.event), t, lng));
        }
        if (parts.length !== 0) announce(parts.join(' '));
      }),
    [store, t, lng, announce],
  );

  return (
    <AnnounceContext.Provider value={announce}>
      {children}
      <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="narration">
        {message !== null && <span key={message.id}>{message.text}</span>}
      </div>
    </AnnounceContext.Provider>
  );
}
