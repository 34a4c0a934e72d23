import { isPanelId, PANEL_IDS, type PanelId } from '../ui/app/panels.ts';

/**
 * What an embedding page asks for in the iframe's URL, read once at start. Pure.
 *
 * - `embed=1`: the chrome-less layout (no title bar; a slim bar with the language switch and a
 *   link to the full lab).
 * - `panels=console,disk`: only these panels show (ids from src/ui/app/panels.ts); unknown ids are
 *   skipped, and a list with no known id shows every panel.
 * - `controls=none|all|console,timeline,actions,language`: which groups of controls a student may
 *   use; the others are hidden (the embedding page can still drive them through postMessage).
 * - `origin=https://course.example`: the one origin whose messages the lab accepts and to which
 *   it posts; anything that is not a plain http(s) origin accepts and posts nothing (fail closed).
 */

export const EMBED_PARAM = 'embed';
export const PANELS_PARAM = 'panels';
export const CONTROLS_PARAM = 'controls';
export const ORIGIN_PARAM = 'origin';

export const CONTROL_GROUPS = ['console', 'timeline', 'actions', 'language'] as const;
export type ControlGroup = (typeof CONTROL_GROUPS)[number];

/** The panels whose controls each group covers. */
export const CONTROL_PANELS: Readonly<Record<ControlGroup, readonly PanelId[]>> = {
  console: ['console'],
  timeline: ['timeline'],
  actions: ['snapshot', 'lifecycle', 'config', 'aof', 'compare'],
  language: [],
};

export interface EmbedOptions {
  readonly embedded: boolean;
  /** The panels to show; null for all. */
  readonly panels: readonly PanelId[] | null;
  /** The control groups a student may use. */
  readonly controls: readonly ControlGroup[];
  /**
   * Where messages may come from and go: `'*'` (any origin, from the parent window only), a pinned
   * origin, or null when the pin was not a valid origin (the API is then closed).
   */
  readonly messageOrigin: string | null;
}

export const DEFAULT_EMBED_OPTIONS: EmbedOptions = {
  embedded: false,
  panels: null,
  controls: CONTROL_GROUPS,
  messageOrigin: '*',
};

/** A comma list's known items, in order, once each. */
function knownItems<T extends string>(text: string, isKnown: (item: string) => item is T): T[] {
  const items = text
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter(isKnown);
  return [...new Set(items)];
}

/** `https://example.org` exactly, or null: an origin has a scheme, a host and maybe a port, nothing else. */
export function normalizeOrigin(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  // `new URL` accepts a path, a query or credentials; an origin has none of them.
  if (url.href !== `${url.origin}/`) return null;
  return url.origin;
}

export function parsePanels(text: string | null): PanelId[] | null {
  if (text === null) return null;
  const panels = knownItems(text, isPanelId);
  return panels.length === 0 ? null : panels;
}

export function parseControls(text: string | null): ControlGroup[] {
  if (text === null || text.trim().toLowerCase() === 'all') return [...CONTROL_GROUPS];
  if (text.trim().toLowerCase() === 'none') return [];
  return knownItems(text, (item): item is ControlGroup => (CONTROL_GROUPS as readonly string[]).includes(item));
}

export function readEmbedOptions(search: string): EmbedOptions {
  const params = new URLSearchParams(search);
  const embed = params.get(EMBED_PARAM);
  const origin = params.get(ORIGIN_PARAM);
  return {
    embedded: embed !== null && embed !== '0' && embed !== 'false',
    panels: parsePanels(params.get(PANELS_PARAM)),
    controls: parseControls(params.get(CONTROLS_PARAM)),
    messageOrigin: origin === null ? '*' : normalizeOrigin(origin),
  };
}

/** The query parameters that ask for these options (empty for the defaults), for the embed dialog's snippet. */
export function embedParams(options: Pick<EmbedOptions, 'embedded' | 'panels' | 'controls'> & { readonly origin?: string | null }): string[] {
  const params: string[] = [];
  if (options.embedded) params.push(`${EMBED_PARAM}=1`);
  if (options.panels !== null && options.panels.length < PANEL_IDS.length) params.push(`${PANELS_PARAM}=${options.panels.join(',')}`);
  if (options.controls.length === 0) params.push(`${CONTROLS_PARAM}=none`);
  else if (options.controls.length < CONTROL_GROUPS.length) params.push(`${CONTROLS_PARAM}=${options.controls.join(',')}`);
  if (options.origin) params.push(`${ORIGIN_PARAM}=${encodeURIComponent(options.origin)}`);
  return params;
}

/** The panels whose controls are hidden under these control groups. */
export function lockedPanels(controls: readonly ControlGroup[]): PanelId[] {
  return CONTROL_GROUPS.filter((group) => !controls.includes(group)).flatMap((group) => CONTROL_PANELS[group]);
}
