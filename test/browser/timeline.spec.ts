import type { Page } from '@playwright/test';
import { expect, openLab, run, test } from './support.ts';

/**
 * The timeline in a real browser, in English and in Arabic: steps back and forward, the scrubber,
 * a branch from the past, a server log line that seeks, the presenter's shortcuts; screenshots of
 * the past to look at.
 */

const SCREENSHOTS = 'test-results/screenshots';

const TEXT = {
  en: { command: 'Command', stepBack: /Step back/, toNow: 'Back to now', branch: 'Branch from here', scrubber: 'Timeline position', shortcuts: 'Keyboard shortcuts' },
  ar: { command: 'الأمر', stepBack: /خطوة إلى الوراء/, toNow: 'العودة إلى الآن', branch: 'ابدأ فرعًا من هنا', scrubber: 'الموضع على الخط الزمني', shortcuts: 'اختصارات لوحة المفاتيح' },
} as const;


const timeline = (page: Page) => page.locator('[data-panel="timeline"]');
const keyCount = (page: Page) => page.locator('[data-panel="keyspace"] .key-name').count();

for (const lang of ['en', 'ar'] as const) {
  test(`${lang}: step back, scrub, branch and seek from the server log`, async ({ browser }) => {
    const page = await openLab(browser, lang);
    // Time stands still while we act, so the tape holds the typed lines after the first ticks.
    await page.keyboard.press('k');
    const scrubber = timeline(page).getByRole('slider', { name: TEXT[lang].scrubber });
    await run(page, lang, 'SET a 1');
    // The ticks recorded before the pause, if any: read after a typed line, since an empty tape
    // still draws the scrubber with a maximum of 1.
    const base = Number(await scrubber.getAttribute('max')) - 1;
    const at = (typed: number) => String(base + typed);
    await run(page, lang, 'BGSAVE');
    await run(page, lang, 'SIM ADVANCE 1000');
    await run(page, lang, 'SET b 2');
    await run(page, lang, 'SET c 3');
    await expect.poll(() => keyCount(page)).toBe(3);

    await timeline(page).getByRole('button', { name: TEXT[lang].stepBack }).click();
    await expect.poll(() => keyCount(page)).toBe(2);
    await expect(timeline(page).getByRole('note')).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}/timeline-past-${lang}.png`, fullPage: false });

    // A line of the server log takes the lab to the moment it was written: the save, done.
    await page.locator('[data-panel="log"] button', { hasText: 'DB saved on disk' }).click();
    await expect(scrubber).toHaveValue(at(3));
    await expect.poll(() => keyCount(page)).toBe(1);
    // Said beside the log too, with the way back.
    const cue = page.locator('[data-panel="log"]').getByTestId('log-past');
    await expect(cue.getByRole('button', { name: TEXT[lang].toNow })).toBeVisible();
    await page.locator('[data-panel="log"]').screenshot({ path: `${SCREENSHOTS}/timeline-log-past-${lang}.png` });

    // Acting here branches: the later steps go.
    await timeline(page).getByRole('button', { name: TEXT[lang].branch }).click();
    await expect(scrubber).toHaveAttribute('max', at(3));
    await expect(cue).toHaveCount(0);
    await run(page, lang, 'SET z 26');
    await expect(scrubber).toHaveAttribute('max', at(4));
    await expect(timeline(page).getByRole('note')).toHaveCount(0);

    // Presenter shortcuts: j steps back, l forward, ? lists them.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('j');
    await expect(scrubber).toHaveValue(at(3));
    await page.keyboard.press('l');
    await expect(scrubber).toHaveValue(at(4));
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: TEXT[lang].shortcuts });
    await expect(dialog).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}/timeline-shortcuts-${lang}.png` });
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);

    // An Arabic layout types ت, م and ؟ on those keys: the physical key decides.
    const pressArabic = (key: string, code: string, shiftKey = false) =>
      page.evaluate(([key, code, shiftKey]) => void document.body.dispatchEvent(new KeyboardEvent('keydown', { key, code, shiftKey, bubbles: true, cancelable: true })), [key, code, shiftKey] as const);
    await pressArabic('ت', 'KeyJ');
    await expect(scrubber).toHaveValue(at(3));
    await pressArabic('م', 'KeyL');
    await expect(scrubber).toHaveValue(at(4));
    await pressArabic('؟', 'Slash', true);
    await expect(dialog).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);

    // The scrubber, by keyboard: Home goes back to the fresh node.
    await scrubber.focus();
    await page.keyboard.press('Home');
    await expect.poll(() => keyCount(page)).toBe(0);
    await expect(scrubber).toHaveValue('0');
  });
}
