import { expect, openLab, run, test, type Lang } from './support.ts';

/**
 * Arabic typesetting that only a browser lays out: a directive's name in redis.conf stays whole
 * (never `stop-writes-on-bgsave-` / `error`) without overflowing its row, on a laptop and a phone;
 * an AOF log row starts where the page's lines start (the command at the right in Arabic, at the
 * left in English); the timeline's crash ✕ and restart ● never cover each other.
 */

const VIEWPORTS = [
  { width: 1366, height: 768 },
  { width: 390, height: 844 },
];

for (const viewport of VIEWPORTS) {
  for (const lang of ['ar', 'en'] as const) {
    test(`${lang} at ${viewport.width} px: every redis.conf directive name on one line, inside its row`, async ({ browser }) => {
      const page = await openLab(browser, lang, { context: { viewport } });
      const names = await page.locator('.config-name').evaluateAll((elements) =>
        elements.map((name) => {
          const row = (name.closest('.config-row') as HTMLElement).getBoundingClientRect();
          const box = name.getBoundingClientRect();
          return {
            name: name.textContent,
            lines: name.getClientRects().length,
            inside: box.left >= row.left - 0.5 && box.right <= row.right + 0.5,
          };
        }),
      );
      expect(names.length).toBeGreaterThan(10);
      for (const name of names) expect(name, name.name ?? '').toMatchObject({ lines: 1, inside: true });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    });
  }
}

for (const lang of ['ar', 'en'] as const satisfies readonly Lang[]) {
  test(`${lang}: an AOF log row starts at the start of the line, its state at the end`, async ({ browser }) => {
    const page = await openLab(browser, lang, { paused: true });
    await run(page, lang, 'CONFIG SET appendonly yes');
    await run(page, lang, 'SIM ADVANCE 2000');
    await run(page, lang, 'SET x 1');
    const row = page.locator('.aof-command').filter({ hasText: 'SET x 1' });
    const edges = await row.evaluate((element, rtl) => {
      const style = getComputedStyle(element);
      const box = element.getBoundingClientRect();
      // Where the command's characters are, not its box (a box may stretch across the row).
      const range = document.createRange();
      range.selectNodeContents(element.querySelector('.aof-text') as HTMLElement);
      const text = range.getBoundingClientRect();
      const where = (element.querySelector('.aof-where') as HTMLElement).getBoundingClientRect();
      // The row's content edges, inside its border and padding.
      const right = box.right - Number.parseFloat(style.borderRightWidth) - Number.parseFloat(style.paddingRight);
      const left = box.left + Number.parseFloat(style.borderLeftWidth) + Number.parseFloat(style.paddingLeft);
      return {
        commandFromStart: rtl ? right - text.right : text.left - left,
        stateAfterCommand: rtl ? where.right <= text.left : where.left >= text.right,
      };
    }, lang === 'ar');
    expect(Math.abs(edges.commandFromStart)).toBeLessThan(1);
    expect(edges.stateAfterCommand).toBe(true);
  });
}

test('ar: a crash and the restart right after it, on a long tape, are marked side by side in order', async ({ browser }) => {
  const page = await openLab(browser, 'ar', { paused: true });
  // A long tape (each line is a moment), then the crash and the restart one moment apart.
  for (let i = 0; i < 120; i++) await run(page, 'ar', `SET k${i} ${i}`);
  await run(page, 'ar', 'SIM CRASH PROCESS');
  await run(page, 'ar', 'SIM RESTART');
  const crash = await page.locator('.timeline-marks .mark-crash').boundingBox();
  const restart = await page.locator('.timeline-marks .mark-restart').boundingBox();
  expect(crash).not.toBeNull();
  expect(restart).not.toBeNull();
  // Right to left in Arabic: the crash first (to the right), the restart after it, not covering it.
  expect(restart!.x + restart!.width).toBeLessThanOrEqual(crash!.x);
});
