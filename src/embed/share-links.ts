import type { LanguageCode } from '../i18n/languages.ts';
import type { PanelId } from '../ui/app/panels.ts';
import type { TapeEntry } from '../store/timeline.ts';
import { embedParams, type ControlGroup } from './embed-options.ts';
import { encodeUrlState, type DigitStyle, type LabSnapshot, type LessonPlace, type Theme } from './url-state.ts';

/**
 * What the Share and Embed dialogs hand out, built from the lab as it is: the snapshot, the
 * permalink and the iframe snippet. Pure: the caller passes the page's address and the state.
 */

export interface LiveLab {
  readonly tape: readonly Pick<TapeEntry, 'kind' | 'line'>[];
  readonly position: number;
  readonly speed: number;
  readonly lang: LanguageCode;
  readonly lesson: LessonPlace | null;
  readonly panels: readonly PanelId[] | null;
  readonly display: { readonly theme: Theme; readonly reducedMotion: boolean; readonly digits: DigitStyle };
}

export function captureSnapshot(lab: LiveLab): LabSnapshot {
  return {
    lang: lab.lang,
    lesson: lab.lesson,
    tape: lab.tape.map(({ kind, line }) => ({ kind, line })),
    position: lab.position,
    panels: lab.panels,
    speed: lab.speed,
    reducedMotion: lab.display.reducedMotion,
    theme: lab.display.theme,
    digits: lab.display.digits,
  };
}

/** The lab's own address without query or fragment: it works from any sub-path of any host. */
export function labBaseUrl(href: string): string {
  const url = new URL(href);
  return `${url.origin}${url.pathname}`;
}

/** A link that opens the lab in this state; `params` come first (`embed=1`, `lang=ar`, …). */
export function permalink(baseUrl: string, snapshot: LabSnapshot, params: readonly string[] = []): string {
  return `${baseUrl}?${[...params, encodeUrlState(snapshot)].join('&')}`;
}

export interface EmbedChoice {
  readonly lang: LanguageCode;
  readonly panels: readonly PanelId[] | null;
  readonly controls: readonly ControlGroup[];
  readonly heightPx: number;
  /** The iframe's accessible name, in the chosen language. */
  readonly title: string;
}

/** The iframe's address: the embed layout, the choices as readable parameters, the state. */
export function embedUrl(baseUrl: string, snapshot: LabSnapshot, choice: Pick<EmbedChoice, 'lang' | 'panels' | 'controls'>): string {
  const params = [...embedParams({ embedded: true, panels: choice.panels, controls: choice.controls }), `lang=${choice.lang}`];
  // The readable parameters decide the panels and the language; the state need not repeat them.
  return permalink(baseUrl, { ...snapshot, lang: null, panels: null }, params);
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The HTML an instructor pastes into a course page. */
export function iframeSnippet(src: string, choice: EmbedChoice): string {
  const attributes = [
    `src="${escapeAttribute(src)}"`,
    `title="${escapeAttribute(choice.title)}"`,
    `lang="${choice.lang}"`,
    `width="100%"`,
    `height="${Math.round(choice.heightPx)}"`,
    `style="border: 0; max-width: 100%;"`,
    `loading="lazy"`,
    `allow="clipboard-write"`,
  ];
  return `<iframe ${attributes.join(' ')}></iframe>`;
}
