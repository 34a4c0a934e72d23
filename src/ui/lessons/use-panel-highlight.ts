import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { PanelId } from '../app/panels.ts';

/**
 * Outlines the panels a lesson step names and scrolls them into view (when the lesson is beside
 * them). Panels are found by their `data-panel` id (src/ui/app/panels.ts) and marked with
 * `data-lesson-highlight`, whose value is the label the outline shows; a panel not on screen
 * (compare mode closed, an embed without it) is simply skipped. The marks go when the step changes or the lesson closes.
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
    // Scroll only when the lesson sits beside the panels: on a phone it is above them, and
    // scrolling away would hide the narration (the "Look at" buttons go there on request).
    const lesson = document.querySelector('.lesson-panel');
    const beside = lesson !== null && getComputedStyle(lesson).position === 'sticky';
    // After the step's own lines have re-rendered the panels (a restart's card, a new file), so
    // the distance is measured on the layout the reader will see.
    const frame = beside && panels.length > 0 ? requestAnimationFrame(() => showPanels(panels)) : null;
    return () => {
      if (frame !== null) cancelAnimationFrame(frame);
      for (const panel of panels) panel.removeAttribute('data-lesson-highlight');
    };
    // stepKey: a new step re-scrolls even when it names the same panels.
  }, [ids, stepKey, label]);
}

/**
 * Scrolls the page so that every panel the step names is on screen when they fit together, and
 * otherwise the first one (the one the narration is mostly about). A jump, not a smooth scroll:
 * the panels keep changing while a step's lines play out, and a smooth scroll cut short by that
 * stopped with the panel half off the screen.
 */
function showPanels(panels: readonly HTMLElement[]): void {
  const rects = panels.map((panel) => panel.getBoundingClientRect());
  const delta = scrollDeltaToShow(rects, window.innerHeight);
  if (delta !== 0) window.scrollBy({ top: delta, behavior: 'auto' });
}

/** Room left between a shown panel and the window's edge, in CSS pixels (its outline and tag). */
const EDGE_PX = 16;

/**
 * How far to scroll the page (positive: down) to show the panels at `rects` (viewport
 * coordinates, the first one first in importance) in a window `viewportPx` high: all of them if
 * their span fits, else the first; as little as possible, and never past the top of what is shown.
 */
export function scrollDeltaToShow(rects: readonly Pick<DOMRect, 'top' | 'bottom'>[], viewportPx: number): number {
  const first = rects[0];
  if (first === undefined) return 0;
  const spanTop = Math.min(...rects.map((rect) => rect.top));
  const spanBottom = Math.max(...rects.map((rect) => rect.bottom));
  const room = viewportPx - 2 * EDGE_PX;
  const [top, bottom] = spanBottom - spanTop <= room ? [spanTop, spanBottom] : [first.top, first.bottom];
  if (top >= EDGE_PX && bottom <= viewportPx - EDGE_PX) return 0;
  // Above the window, or taller than it: its top comes to the top edge.
  if (top < EDGE_PX || bottom - top > room) return top - EDGE_PX;
  // Below: its bottom comes up to the bottom edge.
  return bottom - (viewportPx - EDGE_PX);
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
