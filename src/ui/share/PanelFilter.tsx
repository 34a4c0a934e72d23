import { PANEL_IDS } from '../app/panels.ts';
import { lockedPanels } from '../../embed/embed-options.ts';
import { useShell } from './shell-context.tsx';

/**
 * Hides the panels an embedding page did not choose, and the controls of the groups it locked,
 * with a style sheet built from panel ids (only ids from the fixed list reach it, never text from
 * the URL). Panels are found by their `data-panel` attribute, so a new panel needs nothing here.
 */

const CONTROLS = ['button', 'input', 'select', 'textarea', 'form', '[role="switch"]', '[role="slider"]'];
/** What else a locked panel hides: the console's how-to hints and the quick actions' list, which only make sense with a prompt. */
const LOCKED_EXTRAS: Readonly<Record<string, readonly string[]>> = { console: ['.quick-actions', '.hint', '.screen-hint'] };

export function panelFilterCss(shown: readonly string[] | null, locked: readonly string[]): string {
  const rules: string[] = [];
  const hidden = shown === null ? [] : PANEL_IDS.filter((id) => !shown.includes(id));
  if (hidden.length > 0) rules.push(`${hidden.map((id) => `[data-panel="${id}"]`).join(',\n')} { display: none !important; }`);
  const lockedShown = locked.filter((id) => PANEL_IDS.includes(id as (typeof PANEL_IDS)[number]));
  if (lockedShown.length > 0) {
    const selectors = lockedShown.flatMap((id) => [...CONTROLS, ...(LOCKED_EXTRAS[id] ?? [])].map((control) => `[data-panel="${id}"] ${control}`));
    rules.push(`${selectors.join(',\n')} { display: none !important; }`);
  }
  // The skip link leads to the console's command line: without one, it would lead nowhere.
  if (hidden.includes('console') || lockedShown.includes('console')) rules.push('.skip-link { display: none !important; }');
  return rules.join('\n');
}

export function PanelFilter() {
  const { panels, embed } = useShell();
  const css = panelFilterCss(panels, lockedPanels(embed.controls));
  return css === '' ? null : <style data-testid="panel-filter">{css}</style>;
}
