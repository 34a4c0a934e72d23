/**
 * Bringing the lesson, or a panel it names, on screen with the keyboard on its heading. Beside the
 * panels on a laptop the lesson is sticky and always in view: only on a phone, where it sits above
 * the panels, does showing it scroll the page.
 */

/** Smooth, unless the reader asked for less motion (the system's setting or the lab's own switch). */
export function scrollBehavior(): ScrollBehavior {
  const reduce = (window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false) || document.documentElement.dataset.motion === 'reduced';
  return reduce ? 'auto' : 'smooth';
}

/** Scrolls `element` to the top of the screen and puts the keyboard on its heading. */
export function showAndFocus(element: HTMLElement, heading: HTMLElement | null): void {
  element.scrollIntoView?.({ block: 'start', behavior: scrollBehavior() });
  focusHeading(heading);
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
