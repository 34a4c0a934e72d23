import type { Page } from '@playwright/test';
import { expect, expectNoAxeViolations, openLab, run, test } from './support.ts';

/**
 * Work is not lost by accident: a reload keeps the tab's session (sessionStorage, the permalink's
 * own form), a permalink still wins over it, two tabs keep their own, whatever is stored is
 * untrusted, and Reset offers an undo.
 */

const SESSION_KEY = 'redis-lab.session';
const keyNames = (page: Page) => page.locator('[data-panel="keyspace"] .key-name').allTextContents();
const position = (page: Page) => page.locator('.timeline-scrubber').inputValue();

test('a reload keeps the session: the tape, the moment shown, and a running lab goes on', async ({ browser }) => {
  // Paused, so that a step back crosses one typed line, not the clock's ticks.
  const page = await openLab(browser, 'en', { paused: true });
  await run(page, 'en', 'SET a 1');
  await run(page, 'en', 'SET b 2');
  await run(page, 'en', 'SET c 3');
  await page.getByRole('button', { name: /Step back/ }).click();
  await expect.poll(() => keyNames(page)).toEqual(['a', 'b']);
  const shown = await position(page);

  await page.reload();
  await expect.poll(() => keyNames(page)).toEqual(['a', 'b']);
  expect(await position(page)).toBe(shown);
  await expect(page.getByRole('note')).toContainText('You are looking at moment');
  await page.getByRole('button', { name: 'Back to now' }).first().click();
  await expect.poll(() => keyNames(page)).toEqual(['a', 'b', 'c']);
  await page.getByRole('button', { name: 'Resume time' }).click();

  await page.reload();
  await expect.poll(() => keyNames(page)).toEqual(['a', 'b', 'c']);
  await expect(page.getByText('Time is flowing')).toBeVisible();
  await run(page, 'en', 'SET d 4');
  await expect.poll(() => keyNames(page)).toEqual(['a', 'b', 'c', 'd']);
});

test('a permalink wins over the kept session; two tabs keep their own', async ({ browser }) => {
  const first = await openLab(browser, 'en');
  await run(first, 'en', 'SET shared 1');
  await first.getByRole('button', { name: 'Share', exact: true }).click();
  const link = await first.getByRole('textbox', { name: 'Link to this moment' }).inputValue();
  await first.keyboard.press('Escape');
  await run(first, 'en', 'SET mine 1');

  const second = await first.context().newPage();
  await second.goto('./?lang=en');
  await expect(second.locator('html')).toHaveAttribute('lang', 'en');
  await run(second, 'en', 'SET other 1');

  await first.reload();
  await second.reload();
  await expect.poll(() => keyNames(first)).toEqual(['mine', 'shared']);
  await expect.poll(() => keyNames(second)).toEqual(['other']);

  await first.goto(link);
  await expect.poll(() => keyNames(first)).toEqual(['shared']);
});

test('whatever is stored is untrusted: garbage, a long undecodable value, a huge one or a newer version start a fresh lab', async ({ browser }) => {
  const page = await (await browser.newContext()).newPage();
  const values = ['v=1&s=garbage!', `v=1&s=${'B'.repeat(190_000)}`, 'x'.repeat(3_000_000), 'v=99&s=AAAA'];
  for (const value of values) {
    await page.goto('./?lang=en');
    await page.evaluate(([key, text]) => sessionStorage.setItem(key as string, text as string), [SESSION_KEY, value]);
    await page.reload();
    await expect(page.getByRole('heading', { level: 2, name: /redis-cli/ })).toBeVisible();
    expect(await keyNames(page)).toEqual([]);
    await expect(page.getByTestId('url-state-notice')).toHaveCount(0);
    await run(page, 'en', 'SET fine 1');
    await expect.poll(() => keyNames(page)).toEqual(['fine']);
    // Forgotten at start, then replaced by the lab's own when the page went on.
    await page.getByRole('button', { name: 'Reset the lab' }).click();
    await page.keyboard.press('Escape');
  }
});

test('Arabic, from the keyboard: Reset, then Enter on the focused undo puts the lab back', async ({ browser }) => {
  const page = await openLab(browser, 'ar', { context: { reducedMotion: 'reduce' } });
  await run(page, 'ar', 'SET kept 1');
  const reset = page.getByRole('button', { name: 'أعد ضبط المختبر' });
  await reset.focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => keyNames(page)).toEqual([]);
  const undo = page.getByRole('button', { name: 'تراجع عن إعادة الضبط' });
  await expect(undo).toBeFocused();
  await expectNoAxeViolations(page, ['.timeline-reset']);
  await page.getByTestId('undo-offer').scrollIntoViewIfNeeded();
  await page.locator('[data-panel="timeline"]').screenshot({ path: 'test-results/screenshots/reset-undo-ar.png' });
  await page.keyboard.press('Enter');
  await expect.poll(() => keyNames(page)).toEqual(['kept']);
  await expect(reset).toBeFocused();
  await expect(page.getByTestId('undo-offer')).toHaveCount(0);
});
