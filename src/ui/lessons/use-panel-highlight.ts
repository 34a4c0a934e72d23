import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { PanelId } from '../app/panels.ts';

/**
 * Outlines the panels a lesson step names and scrolls the first into view (when the lesson is beside them). Panels are found by
 * their `data-panel` id (src/ui/app/panels.ts) and marked with `data-lesson-highlight`, whose value
 * is the label the outline shows; a panel not on screen (compare mode closed, an embed without
 * it) is simply skipped. The marks go when the step changes or the lesson closes.
 */
export function usePanelHighlight(panelIds: readonly string[], stepKey: string): void {
  const { t } = useTranslation();
  const label = t('lessonUi.panel.highlightTag');
  const ids = panelIds.join(',');
  useEffect(() => {
    if (ids === '') return;
    const panels = ids
      .split(',')
      .map((id) => document.querySelector<HTMLElement>(`[data-panel="${id}"]`))
      .filter((panel): panel is HTMLElement => panel !== null);
    for (const panel of panels) panel.setAttribute('data-lesson-highlight', label);
    const first = panels[0];
    // Scroll only when the lesson sits beside the panels: on a phone it is above them, and
    // scrolling away would hide the narration (the "Look at" buttons go there on request).
    const lesson = document.querySelector('.lesson-panel');
    const beside = lesson !== null && getComputedStyle(lesson).position === 'sticky';
    if (first !== undefined && beside) {
      const reduce = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
      // Only as far as needed to bring it into view: the lesson panel stays where the reader is.
      first.scrollIntoView?.({ block: 'nearest', behavior: reduce ? 'auto' : 'smooth' });
    }
    return () => {
      for (const panel of panels) panel.removeAttribute('data-lesson-highlight');
    };
    // stepKey: a new step re-scrolls even when it names the same panels.
  }, [ids, stepKey, label]);
}

/** Each panel's title, as its heading says it. */
export const PANEL_TITLE_KEYS = {
  console: 'console.title',
  keyspace: 'keyspace.title',
  snapshot: 'snapshot.title',
  lifecycle: 'lifecycle.title',
  config: 'config.title',
  processes: 'processes.title',
  disk: 'disk.title',
  aof: 'aof.title',
  inspector: 'inspector.title',
  info: 'info.title',
  log: 'log.title',
  timeline: 'timeline.title',
  compare: 'compare.title',
} as const satisfies Record<PanelId, string>;
