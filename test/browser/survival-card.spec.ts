import type { Page } from '@playwright/test';
import { expect, expectNoAxeViolations, openLab, run, test, type Lang } from './support.ts';

/**
 * The "what survived" card in a real browser, in English and Arabic: a restart Redis refuses (its
 * AOF cut by hand in the middle of a command, aof-load-truncated no) gets a card that says Redis
 * did not come back and what waits for the fix; after redis-check-aof --fix, the restart's card
 * names the write lost to the file operation. Axe scans, and screenshots to look at.
 */

const SCREENSHOTS = 'test-results/screenshots';
const INCR = 'appendonlydir/appendonly.aof.1.incr.aof';

const TEXT = {
  en: { failed: 'Redis did not come back', survived: 'What survived', reason: 'A file operation (SIM FILE PUT or SIM FILE DELETE)' },
  ar: { failed: 'لم يعد Redis إلى العمل', survived: 'ما الذي نجا', reason: 'استبدلت عمليةٌ على الملفات' },
} as const;

/** The incr file of three SETs, as the lab writes it, cut by hand four bytes before its end. */
function cutIncr(): string {
  const command = (...argv: string[]) => `*${argv.length}\r\n${argv.map((arg) => `$${arg.length}\r\n${arg}\r\n`).join('')}`;
  const whole = command('SELECT', '0') + command('SET', 'a', '1') + command('SET', 'b', '2') + command('SET', 'c', '3');
  return Buffer.from(whole.slice(0, -4), 'latin1').toString('base64');
}

async function refusedRestart(page: Page, lang: Lang): Promise<void> {
  for (const line of ['CONFIG SET appendonly yes', 'SIM ADVANCE 1000', 'CONFIG REWRITE', 'SET a 1', 'SET b 2', 'SET c 3', 'SIM CRASH PROCESS']) {
    await run(page, lang, line);
  }
  await run(page, lang, `SIM FILE PUT ${INCR} ${cutIncr()}`);
  await run(page, lang, 'SIM RESTART --aof-load-truncated no');
}

for (const lang of ['en', 'ar'] as const) {
  test(`${lang}: a refused restart, then the fix and the restart that works`, async ({ browser }) => {
    const page = await openLab(browser, lang, { paused: true });
    await refusedRestart(page, lang);
    const card = page.getByTestId('survival-card');
    await expect(card).toHaveAttribute('data-outcome', 'failed', { timeout: 15_000 });
    await expect(card.getByRole('heading', { level: 3 })).toContainText(TEXT[lang].failed);
    await expect(card.locator('.survival-figure dd')).toHaveText('3');
    await expect(card.locator('.survival-fix')).toHaveAttribute('data-failure', 'aof-truncated');
    await expectNoAxeViolations(page, ['.lifecycle-panel']);
    await card.scrollIntoViewIfNeeded();
    await page.locator('.lifecycle-panel').screenshot({ path: `${SCREENSHOTS}/${lang}-restart-failed-card.png` });

    await page.getByTestId('restart-progress').getByRole('button', { name: /^redis-check-aof --fix/ }).click();
    await expect(page.getByTestId('check-aof-output')).toContainText('All AOF files and manifest are valid');
    await run(page, lang, 'SIM RESTART --aof-load-truncated no');
    await expect(card).toHaveAttribute('data-outcome', 'ready', { timeout: 15_000 });
    await expect(card.getByRole('heading', { level: 3 })).toContainText(TEXT[lang].survived);
    await expect(card.locator('[data-reason="file-replaced"] .loss-reason')).toContainText(TEXT[lang].reason);
    await expectNoAxeViolations(page, ['.lifecycle-panel']);
    await card.scrollIntoViewIfNeeded();
    await page.locator('.lifecycle-panel').screenshot({ path: `${SCREENSHOTS}/${lang}-restart-after-fix-card.png` });
  });
}
