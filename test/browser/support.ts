import { expect, test as base, type Browser, type BrowserContextOptions, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What the browser specs share: opening the lab in a language (in a fresh context, as axe needs),
 * typing a line into the console, and an axe scan that lists every violation by rule and target.
 */

export type Lang = 'en' | 'ar';

/**
 * Playwright's `test`, closing every browser context a test opened once it ends. The tests open
 * their own contexts (axe needs pages made that way), and a context left open keeps its lab
 * running, clock ticking, for the rest of the worker's life: dozens of them starve the machine.
 */
export const test = base.extend<{ closeOpenedContexts: void }>({
  closeOpenedContexts: [
    async ({ browser }, use) => {
      const before = new Set(browser.contexts());
      await use();
      await Promise.all(browser.contexts().filter((context) => !before.has(context)).map((context) => context.close()));
    },
    { auto: true },
  ],
});
export { expect };

const COMMAND_LABEL = { en: 'Command', ar: 'الأمر' } as const;
const PAUSE_LABEL = { en: 'Pause time', ar: 'أوقف الوقت' } as const;

export interface OpenLabOptions {
  readonly context?: BrowserContextOptions;
  /** Pause simulated time at once, so it moves only when the test says so. */
  readonly paused?: boolean;
}

export async function openLab(browser: Browser, lang: Lang, { context = {}, paused = false }: OpenLabOptions = {}): Promise<Page> {
  const page = await (await browser.newContext(context)).newPage();
  await page.goto(`./?lang=${lang}`);
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
  if (paused) await page.getByRole('button', { name: PAUSE_LABEL[lang] }).click();
  return page;
}

/** Types a line into the console and presses Enter; the input empties once it ran. */
export async function run(page: Page, lang: Lang, line: string): Promise<void> {
  const input = page.getByRole('textbox', { name: COMMAND_LABEL[lang] });
  await input.fill(line);
  await input.press('Enter');
  await expect(input).toHaveValue('');
}

/** An axe scan of the page, or of the parts matching `include`, with no violation. */
export async function expectNoAxeViolations(page: Page, include: readonly string[] = []): Promise<void> {
  await animationsSettled(page);
  let builder = new AxeBuilder({ page });
  for (const selector of include) builder = builder.include(selector);
  const results = await builder.analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/**
 * Waits for every finite animation on the page to end. Axe measures colour contrast with the
 * opacity it finds, so a card scanned in the middle of its fade-in would fail for a moment that
 * no student reads. Endless animations (a pulsing marker) are left running.
 */
async function animationsSettled(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    document.getAnimations().every((animation) => animation.playState !== 'running' || animation.effect?.getComputedTiming().iterations === Infinity),
  );
}

const LESSON_STRINGS: Record<Lang, unknown> = {
  en: JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'locales/en/lessons.json'), 'utf8')),
  ar: JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'locales/ar/lessons.json'), 'utf8')),
};

/** A lesson string as the page shows it: looked up in locales/<lang>/lessons.json, backticks dropped. */
export function lessonText(lang: Lang, key: string): string {
  const found = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], LESSON_STRINGS[lang]);
  return (found as string).replace(/`([^`]*)`/g, '$1');
}
