import type { Page } from '@playwright/test';
import { expect, expectNoAxeViolations, openLab, run, test } from './support.ts';

/**
 * The parent's memory pages in a real browser, in English and in Arabic: drawn before any fork and
 * growing with writes, a write's pages ringed, the same grid shared with BGSAVE's child and copied
 * page by page, and a million-key-scale keyspace kept to a bounded grid; screenshots of each to
 * look at, and the ring under reduced motion.
 */

const SCREENSHOTS = 'test-results/screenshots';

/** Holds the rings of the last write where they are fully drawn, so a screenshot on a slow machine still shows them. */
async function holdRings(page: Page): Promise<void> {
  await page.locator('.page-touch').first().waitFor();
  await page.evaluate(() => {
    for (const ring of document.querySelectorAll('.page-touch')) {
      for (const animation of ring.getAnimations()) {
        animation.pause();
        animation.currentTime = 1000;
      }
    }
  });
}
const SLOW_DISK = { en: 'Slow disk', ar: 'قرص بطيء' } as const;

for (const lang of ['en', 'ar'] as const) {
  test(`the page grid before, during and after a fork, and at 100,000 keys (${lang})`, async ({ browser }) => {
    const page = await openLab(browser, lang, { paused: true });
    const panel = page.locator('.processes-panel');
    const parentGrid = page.locator('.process-parent .page-grid');

    // Before any fork: the parent's own pages, growing as keys are written.
    await expect(parentGrid).toHaveAttribute('data-sharing', 'own');
    const pagesAtStart = Number(await parentGrid.getAttribute('data-pages'));
    await run(page, lang, 'SET greeting hello');
    await run(page, lang, 'RPUSH queue a b c d e f');
    await panel.scrollIntoViewIfNeeded();
    await run(page, lang, `SET blob ${'x'.repeat(20_000)}`);
    await holdRings(page);
    await panel.screenshot({ path: `${SCREENSHOTS}/${lang}-pages-before-fork.png` });
    await expect(parentGrid).not.toHaveAttribute('data-pages', String(pagesAtStart));
    await expect(parentGrid.locator('.page-cell[data-touched="true"]')).toHaveCount(5);
    await expectNoAxeViolations(page, ['.processes-panel']);

    // BGSAVE on a slow disk: the same grid, shared; writes copy pages, in both grids.
    await page.getByRole('switch', { name: SLOW_DISK[lang] }).click();
    await run(page, lang, 'BGSAVE');
    await expect(parentGrid).toHaveAttribute('data-sharing', 'shared');
    await run(page, lang, 'APPEND greeting !');
    await run(page, lang, 'RPUSH queue g');
    await run(page, lang, 'SIM ADVANCE 20');
    await run(page, lang, 'APPEND blob !');
    await expect(parentGrid).not.toHaveAttribute('data-copied', '0');
    await holdRings(page);
    await panel.screenshot({ path: `${SCREENSHOTS}/${lang}-pages-during-bgsave.png` });
    const child = page.locator('.process-child');
    await expect(child.locator('.page-cell.is-copied, .page-cell.is-partly-copied').first()).toBeVisible();
    await expect(child.locator('.page-touch')).toHaveCount(0);

    // 100,000 keys: a bounded grid, each cell a run of pages (the legend says how many).
    await run(page, lang, 'SIM ADVANCE 60000');
    await expect(child).toHaveCount(0);
    await run(page, lang, 'DEBUG POPULATE 100000');
    await expect(parentGrid).toHaveAttribute('data-sharing', 'own');
    const cells = await parentGrid.locator('.page-cell').count();
    expect(cells).toBeLessThanOrEqual(256);
    expect(Number(await parentGrid.getAttribute('data-pages'))).toBeGreaterThan(2000);
    await run(page, lang, 'SET key:42 changed');
    await expect(parentGrid.locator('.page-cell[data-touched="true"]')).toHaveCount(1);
    await holdRings(page);
    await panel.screenshot({ path: `${SCREENSHOTS}/${lang}-pages-100000-keys.png` });
  });
}

test('under reduced motion a write still rings its page, without growing', async ({ browser }) => {
  const page = await openLab(browser, 'en', { paused: true, context: { reducedMotion: 'reduce' } });
  const parentGrid = page.locator('.process-parent .page-grid');
  await run(page, 'en', 'SET greeting hello');
  const ring = parentGrid.locator('.page-touch');
  await expect(ring).toHaveCount(1);
  // No transform at any moment: the ring only fades.
  const transforms = await ring.evaluate(async (element) => {
    const seen = new Set<string>();
    for (let i = 0; i < 10; i++) {
      seen.add(getComputedStyle(element).transform);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return [...seen];
  });
  expect(transforms.every((transform) => transform === 'none')).toBe(true);
});
