import { useEffect, useState } from 'react';
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
 * Scrolls the page so that the panels the step names are on screen: the first one (the one the
 * narration is mostly about), with every other one that fits beside it. A jump, not a smooth
 * scroll: the panels keep changing while a step's lines play out, and a smooth scroll cut short by
 * that stopped with the panel half off the screen. A panel left off screen gets an arrow on its
 * "Look at" button (usePanelPlaces).
 */
function showPanels(panels: readonly HTMLElement[]): void {
  const rects: Pick<DOMRect, 'top' | 'bottom'>[] = panels.map((panel) => panel.getBoundingClientRect());
  const anchor = panels[0]?.querySelector<HTMLElement>('[data-lesson-anchor]') ?? null;
  if (rects[0] !== undefined && anchor !== null) rects[0] = partToShow(rects[0], anchor.getBoundingClientRect().top, window.innerHeight);
  const delta = scrollDeltaToShow(rects, window.innerHeight);
  if (delta !== 0) window.scrollBy({ top: delta, behavior: 'auto' });
}

/** Room left between a shown panel and the window's edge, in CSS pixels (its outline and tag). */
const EDGE_PX = 16;
/** How much of a panel's anchor must show, below the window's top edge, to be seen. */
const ANCHOR_SEEN_PX = 240;

/**
 * The part of a panel to bring on screen: all of it, or, for a panel taller than the window (the
 * AOF's in a narrow column) whose anchor, the part steps talk about (the AOF's log), would stay
 * below the fold with the panel's top at the top edge, a window's height that ends at the panel's
 * end, or starts at the anchor when the two are further apart than that.
 */
export function partToShow(panel: Pick<DOMRect, 'top' | 'bottom'>, anchorTop: number, viewportPx: number): Pick<DOMRect, 'top' | 'bottom'> {
  const room = viewportPx - 2 * EDGE_PX;
  if (panel.bottom - panel.top <= room || anchorTop - panel.top + ANCHOR_SEEN_PX <= room) return panel;
  return panel.bottom - anchorTop <= room ? { top: panel.bottom - room, bottom: panel.bottom } : { top: anchorTop, bottom: anchorTop + room };
}

/**
 * How far to scroll the page (positive: down) to show the panels at `rects` (viewport
 * coordinates, the first one first in importance) in a window `viewportPx` high: the first, and
 * each next one in order whose span with those taken still fits the window; as little as
 * possible, and never past the top of what is shown.
 */
export function scrollDeltaToShow(rects: readonly Pick<DOMRect, 'top' | 'bottom'>[], viewportPx: number): number {
  const first = rects[0];
  if (first === undefined) return 0;
  const room = viewportPx - 2 * EDGE_PX;
  let [top, bottom] = [first.top, first.bottom];
  for (const rect of rects.slice(1)) {
    const [spanTop, spanBottom] = [Math.min(top, rect.top), Math.max(bottom, rect.bottom)];
    if (spanBottom - spanTop <= room) [top, bottom] = [spanTop, spanBottom];
  }
  if (top >= EDGE_PX && bottom <= viewportPx - EDGE_PX) return 0;
  // Above the window, or taller than it: its top comes to the top edge.
  if (top < EDGE_PX || bottom - top > room) return top - EDGE_PX;
  // Below: its bottom comes up to the bottom edge.
  return bottom - (viewportPx - EDGE_PX);
}

/** Where a panel is against the window: on screen, or mostly above or below it. */
export type PanelPlace = 'shown' | 'above' | 'below';

/**
 * Whether a panel counts as on screen: enough of it shows to read (half of it, or a third of the
 * window for a panel taller than that); otherwise above or below by where its middle is.
 */
export function panelPlace(rect: Pick<DOMRect, 'top' | 'bottom'>, viewportPx: number): PanelPlace {
  const visiblePx = Math.min(rect.bottom, viewportPx) - Math.max(rect.top, 0);
  if (visiblePx >= Math.min((rect.bottom - rect.top) / 2, viewportPx / 3)) return 'shown';
  return (rect.top + rect.bottom) / 2 > viewportPx / 2 ? 'below' : 'above';
}

const PLACE_THRESHOLDS = Array.from({ length: 21 }, (_, index) => index / 20);

/**
 * Where each of the named panels is now, kept up to date as the page scrolls (an
 * IntersectionObserver: no work on each scroll event). Without one (jsdom), every panel counts as shown.
 */
export function usePanelPlaces(panelIds: readonly string[]): ReadonlyMap<string, PanelPlace> {
  const [places, setPlaces] = useState<ReadonlyMap<string, PanelPlace>>(() => new Map());
  const ids = panelIds.join(',');
  useEffect(() => {
    if (ids === '' || typeof IntersectionObserver === 'undefined') return;
    const byElement = new Map<Element, string>();
    for (const id of ids.split(',')) {
      const panel = document.querySelector(`[data-panel="${id}"]`);
      if (panel !== null) byElement.set(panel, id);
    }
    const observer = new IntersectionObserver(
      (entries) => {
        setPlaces((before) => {
          const after = new Map(before);
          for (const entry of entries) {
            const id = byElement.get(entry.target);
            if (id !== undefined) after.set(id, panelPlace(entry.boundingClientRect, entry.rootBounds?.height ?? window.innerHeight));
          }
          // Unchanged places keep the same map: no re-render for a scroll that moved nothing across.
          return after.size === before.size && [...after].every(([id, place]) => before.get(id) === place) ? before : after;
        });
      },
      { threshold: PLACE_THRESHOLDS },
    );
    for (const panel of byElement.keys()) observer.observe(panel);
    return () => observer.disconnect();
  }, [ids]);
  return places;
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
