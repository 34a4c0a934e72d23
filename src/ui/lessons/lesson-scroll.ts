/**
 * Bringing the lesson, or a panel it names, on screen with the keyboard on its heading; and an
 * outcome the lab just showed, without the keyboard. Beside the panels on a laptop the lesson is
 * sticky and always in view: only on a phone, where it sits above the panels, does showing it
 * scroll the page.
 */

/** Smooth, unless the reader asked for less motion (the system's setting or the lab's own switch). */
export function scrollBehavior(): ScrollBehavior {
  const reduce = (window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false) || document.documentElement.dataset.motion === 'reduced';
  return reduce ? 'auto' : 'smooth';
}

/** Scrolls `element` to the top of the screen and puts the keyboard on its heading. */
export function showAndFocus(element: HTMLElement, heading: HTMLElement | null): void {
  const behavior = scrollBehavior();
  const startY = window.scrollY;
  element.scrollIntoView?.({ block: 'start', behavior });
  focusHeading(heading);
  if (behavior === 'smooth') landAgainIfMoved(element, startY);
}

/** How far, in CSS pixels, a glide may end from its target before it is corrected. */
const LANDING_SLACK_PX = 8;
/** A glide that has not moved the page by then never began (the target was in place already). */
const GLIDE_START_MS = 150;
/** No glide lasts longer: the watch ends then, whatever happened. */
const GLIDE_MAX_MS = 3000;

/** The watch on the glide under way, if any: a new glide replaces it. */
let stopWatchingGlide: (() => void) | null = null;

/**
 * A glide aims where its target was when it began. What grows above the target meanwhile (a step's
 * lines running, a restart's steps appearing) leaves it short: once the glide ends, the target is
 * brought back to the top at once, unless the reader has taken over the scrolling since.
 */
function landAgainIfMoved(element: HTMLElement, startY: number): void {
  stopWatchingGlide?.();
  const aimedTop = parseFloat(getComputedStyle(element).scrollMarginBlockStart) || 0;
  const readerMoves = ['wheel', 'touchstart', 'pointerdown', 'keydown'] as const;
  const timers = [window.setTimeout(() => window.scrollY === startY && stop(), GLIDE_START_MS), window.setTimeout(() => stop(), GLIDE_MAX_MS)];
  const stop = () => {
    for (const type of readerMoves) window.removeEventListener(type, stop);
    window.removeEventListener('scrollend', onScrollEnd);
    for (const timer of timers) window.clearTimeout(timer);
    stopWatchingGlide = null;
  };
  const onScrollEnd = () => {
    stop();
    if (element.isConnected && Math.abs(element.getBoundingClientRect().top - aimedTop) > LANDING_SLACK_PX) element.scrollIntoView({ block: 'start', behavior: 'auto' });
  };
  for (const type of readerMoves) window.addEventListener(type, stop, { passive: true });
  window.addEventListener('scrollend', onScrollEnd);
  stopWatchingGlide = stop;
}

/**
 * Brings `element` into view on the lab's own account (an outcome that just appeared): a Look at
 * glide under way is not corrected back over it when it ends.
 */
export function bringIntoView(element: HTMLElement, block: ScrollLogicalPosition): void {
  stopWatchingGlide?.();
  element.scrollIntoView?.({ block, behavior: scrollBehavior() });
}

/** The lesson's top on screen (where it is not already beside the panels) and the keyboard on its title. */
export function showLessonPanel(panel: HTMLElement): void {
  const title = panel.querySelector<HTMLElement>('.lesson-header h2');
  if (getComputedStyle(panel).position === 'sticky') focusHeading(title);
  else showAndFocus(panel, title);
}

function focusHeading(heading: HTMLElement | null): void {
  if (heading === null) return;
  heading.tabIndex = -1;
  heading.focus({ preventScroll: true });
}

/** After a lesson was opened from the menu or the glossary: once it is rendered, show it (showLessonPanel). */
export function showOpenedLesson(): void {
  requestAnimationFrame(() => {
    const panel = document.querySelector<HTMLElement>('section.lesson-panel');
    if (panel !== null) showLessonPanel(panel);
  });
}
