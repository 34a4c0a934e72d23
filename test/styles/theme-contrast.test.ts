import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * Axe checks text contrast but not the edges of controls. WCAG 2.1 AA (1.4.11) asks 3:1 for the
 * boundary that shows where a field or button is: this reads each theme's custom properties from
 * the stylesheet and checks the control edge against every surface a control sits on.
 */

const CSS = readFileSync(new URL('../../src/styles/global.css', import.meta.url), 'utf8');

/** The custom properties declared directly in the first block whose selector is `selector`. */
function customProperties(selector: string): Map<string, string> {
  const start = CSS.indexOf(`${selector} {`);
  expect(start, `${selector} block`).toBeGreaterThanOrEqual(0);
  const body = CSS.slice(start, CSS.indexOf('\n}', start));
  return new Map([...body.matchAll(/^\s*(--[\w-]+):\s*([^;]+);/gm)].map((m) => [m[1]!, m[2]!.trim()]));
}

function luminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

const light = customProperties(':root');
const THEMES = {
  light,
  dark: new Map([...light, ...customProperties(":root[data-theme='dark']")]),
  projector: new Map([...light, ...customProperties(":root[data-theme='projector']")]),
};
const SURFACES = ['--bg', '--surface', '--surface-raised', '--surface-sunken'];

describe.each(Object.entries(THEMES))('the %s theme', (_name, vars) => {
  it.each(SURFACES)('control edges stand out 3:1 against %s', (surface) => {
    const edge = vars.get('--control-border')!;
    const background = vars.get(surface)!;
    expect(edge).toMatch(/^#[0-9a-f]{6}$/i);
    expect(background).toMatch(/^#[0-9a-f]{6}$/i);
    expect(contrast(edge, background)).toBeGreaterThanOrEqual(3);
  });
});
