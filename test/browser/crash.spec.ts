import type { Page } from '@playwright/test';
import { expect, expectNoAxeViolations, openLab, run, test, type Lang } from './support.ts';

/**
 * Crash and recovery in a real browser, in English and in Arabic: a process crash with a write
 * still in aof_buf, a power loss that strikes out the page cache, the fork child killed, each
 * restart told step by step with what survived; compare mode under a power loss. Axe scans and
 * screenshots (laptop and 360 px phone) to look at.
 */

const SCREENSHOTS = 'test-results/screenshots';

const TEXT = {
  en: {
    command: 'Command',
    pause: 'Pause time',
    group: 'Crash and restart commands',
    aofSwitch: 'AOF on',
    killedTitle: /^Redis was killed \(kill -9\) at /,
    powerTitle: /^The power went out at /,
    memoryGone: 'The process and everything in its memory are gone.',
    cacheLost: 'each file keeps only the bytes fsynced',
    restartTitle: /^Restart at .*: Redis's load path$/,
    replayed: /^▸ Replayed \d+ commands from \u2066appendonly\.aof\.1\.incr\.aof\u2069$/,
    ready: /^✓ Ready to accept connections: \d+ keys? in memory\.$/,
    survived: 'What survived',
    narratedRestart: 'The restart, step by step:',
    compare: 'Compare policies',
    compareTitle: 'Compare mode: one scenario, five policies',
    power: 'Power loss',
    results: 'Results by policy',
    childKilled: 'Killed by signal 9',
  },
  ar: {
    command: 'الأمر',
    pause: 'أوقف الوقت',
    group: 'أوامر الانهيار وإعادة التشغيل',
    aofSwitch: 'تشغيل الـ AOF',
    killedTitle: /^قُتل Redis/,
    powerTitle: /^انقطعت الكهرباء الساعة /,
    memoryGone: 'ضاعت العملية وكل ما في ذاكرتها.',
    cacheLost: 'لم يبقَ من كل ملف إلا ما زُومن',
    restartTitle: /^إعادة التشغيل الساعة .*: مسار التحميل في Redis$/,
    replayed: /^▸ أُعيد تنفيذ .* من \u2066appendonly\.aof\.1\.incr\.aof\u2069$/,
    ready: /^✓ جاهز لاستقبال الاتصالات/,
    survived: 'ما الذي نجا',
    narratedRestart: 'إعادة التشغيل خطوة خطوة:',
    compare: 'قارن السياسات',
    compareTitle: 'وضع المقارنة: سيناريو واحد وخمس سياسات',
    power: 'انقطاع الكهرباء',
    results: 'النتائج حسب السياسة',
    childKilled: '9',
  },
} as const;


function crashButton(page: Page, lang: Lang, line: RegExp) {
  return page.getByRole('group', { name: TEXT[lang].group }).getByRole('button', { name: line });
}

/** The AOF on (everysec) with a slow fsync: the second write sits in aof_buf, the first only in the page cache. */
async function aofWithPendingWrites(page: Page, lang: Lang): Promise<void> {
  await page.getByRole('switch', { name: TEXT[lang].aofSwitch }).click();
  await run(page, lang, 'SIM ADVANCE 1000');
  await run(page, lang, 'SIM SET fsync-ms 3000');
  await run(page, lang, 'SET a 1');
  await run(page, lang, 'SET b 2');
  await run(page, lang, 'RPUSH queue job:1 job:2');
}

for (const lang of ['en', 'ar'] as const) {
  test.describe(`crash and recovery in ${lang === 'en' ? 'English' : 'Arabic'}`, () => {
    test('a process crash: memory and aof_buf vanish; the restart replays the AOF step by step', async ({ browser }) => {
      const page = await openLab(browser, lang, { paused: true });
      await aofWithPendingWrites(page, lang);
      await crashButton(page, lang, /^SIM CRASH PROCESS/).click();
      const scene = page.getByTestId('crash-scene');
      await expect(scene.getByRole('heading', { level: 3 })).toHaveText(TEXT[lang].killedTitle);
      await expect(scene).toContainText(TEXT[lang].memoryGone);
      await expect(scene.locator('.crash-memory')).toContainText('aof_buf');
      await page.screenshot({ path: `${SCREENSHOTS}/${lang}-crash-process.png`, fullPage: true });
      await page.locator('.lifecycle-panel').screenshot({ path: `${SCREENSHOTS}/${lang}-crash-process-panel.png` });
      await expectNoAxeViolations(page);

      const restart = crashButton(page, lang, /^SIM RESTART --appendonly yes/);
      await restart.focus();
      await page.keyboard.press('Enter');
      const progress = page.getByTestId('restart-progress');
      await expect(progress.getByRole('heading', { level: 3 })).toHaveText(TEXT[lang].restartTitle);
      // The steps come one after another, at a pace a student can follow.
      await expect(progress.locator('[data-step="replay"]')).toHaveText(TEXT[lang].replayed, { timeout: 15_000 });
      await expect(progress.locator('[data-step="outcome"]')).toHaveText(TEXT[lang].ready, { timeout: 15_000 });
      await expect(page.getByTestId('survival-card')).toContainText(TEXT[lang].survived);
      await expect(page.getByRole('status')).toContainText(TEXT[lang].narratedRestart);
      await page.getByTestId('survival-card').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SCREENSHOTS}/${lang}-restart-survived.png`, fullPage: true });
      await page.locator('.lifecycle-panel').screenshot({ path: `${SCREENSHOTS}/${lang}-restart-survived-panel.png` });
      await expectNoAxeViolations(page);
    });

    test('a power loss strikes out what was only in the page cache', async ({ browser }) => {
      // Twice the pixels, so the panel's screenshot shows how each bidi run lands.
      const page = await openLab(browser, lang, { context: { deviceScaleFactor: 2 }, paused: true });
      await aofWithPendingWrites(page, lang);
      await run(page, lang, 'SIM ADVANCE 5000');
      await run(page, lang, 'SET c 3');
      await crashButton(page, lang, /^SIM CRASH POWER/).click();
      const scene = page.getByTestId('crash-scene');
      await expect(scene.getByRole('heading', { level: 3 })).toHaveText(TEXT[lang].powerTitle);
      await expect(scene).toContainText(TEXT[lang].cacheLost);
      const incr = scene.locator('[data-file="appendonlydir/appendonly.aof.1.incr.aof"]');
      await expect(incr.locator('.bar-lost')).toBeVisible();
      expect(Number(await incr.getAttribute('data-lost-bytes'))).toBeGreaterThan(0);
      await page.waitForTimeout(1600);
      await scene.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SCREENSHOTS}/${lang}-crash-power.png`, fullPage: true });
      await page.locator('.lifecycle-panel').screenshot({ path: `${SCREENSHOTS}/${lang}-crash-power-panel.png` });
      await expectNoAxeViolations(page);

      await crashButton(page, lang, /^SIM RESTART --appendonly yes/).click();
      await page.getByTestId('restart-progress').getByRole('button').click(); // show every step now
      await expect(page.getByTestId('restart-progress').locator('[data-step="outcome"]')).toBeVisible();
      await expect(page.getByTestId('survival-card')).toBeVisible();
    });

    test('the fork child killed from the crash panel', async ({ browser }) => {
      const page = await openLab(browser, lang, { paused: true });
      await page.getByRole('button', { name: /^DEBUG POPULATE 2000/ }).click();
      // With no child it is quieter (dashed) but pressable, as in the Snapshots panel.
      const kill = crashButton(page, lang, /^SIM KILLCHILD/);
      await expect(kill).toHaveClass(/is-idle/);
      await run(page, lang, 'SIM SET disk-mbps 0.002');
      await run(page, lang, 'BGSAVE');
      await expect(kill).not.toHaveClass(/is-idle/);
      await kill.focus();
      await page.keyboard.press('Enter');
      const child = page.locator('.process-child');
      await expect(child).toHaveAttribute('data-state', 'exited');
      await expect(child).toContainText(TEXT[lang].childKilled);
      await expect(kill).toHaveClass(/is-idle/);
      await expectNoAxeViolations(page);
    });

    test('on a 360 px phone with reduced motion: the crash drawn and the restart told, the panel no wider than the screen', async ({ browser }) => {
      const page = await openLab(browser, lang, { context: { viewport: { width: 360, height: 800 }, reducedMotion: 'reduce' }, paused: true });
      await aofWithPendingWrites(page, lang);
      await crashButton(page, lang, /^SIM CRASH POWER/).click();
      const scene = page.getByTestId('crash-scene');
      // Reduced motion keeps the meaning: the strike across the process is drawn at once.
      await expect(scene.locator('.strike-line')).toHaveCSS('transform', 'none');
      await expect(scene.locator('.bar-lost').first()).toBeVisible();
      const panelRight = async () => {
        const box = await page.locator('.lifecycle-panel').boundingBox();
        return (box?.x ?? 0) + (box?.width ?? Number.POSITIVE_INFINITY);
      };
      // appendonlydir/… file names wrap rather than widen the panel, and no panel widens the page
      // (in Arabic, the inspector's file list once pushed the whole page 78 px wider).
      expect(await panelRight()).toBeLessThanOrEqual(360);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await page.locator('.lifecycle-panel').screenshot({ path: `${SCREENSHOTS}/${lang}-phone-crash.png` });
      await crashButton(page, lang, /^SIM RESTART --appendonly yes/).click();
      await expect(page.getByTestId('restart-progress').locator('[data-step="outcome"]')).toHaveText(TEXT[lang].ready, { timeout: 15_000 });
      await expect(page.getByTestId('survival-card')).toBeVisible();
      expect(await panelRight()).toBeLessThanOrEqual(360);
      await page.locator('.lifecycle-panel').screenshot({ path: `${SCREENSHOTS}/${lang}-phone-restart.png` });
    });

    test('compare mode: five policies, one power loss', async ({ browser }) => {
      const page = await openLab(browser, lang, { paused: true });
      const opener = page.getByRole('button', { name: TEXT[lang].compare });
      await opener.click();
      const section = page.getByRole('region', { name: TEXT[lang].compareTitle });
      await expect(section.getByRole('heading', { level: 2 })).toBeFocused();
      await section.getByRole('radio', { name: TEXT[lang].power }).check();
      const results = section.getByRole('list', { name: TEXT[lang].results });
      await expect(results.locator('.compare-column')).toHaveCount(5);
      await expect(results.locator('[data-policy="aof-always"] [data-figure="keys"] dd')).toHaveText(/6\D+6/);
      await expect(results.locator('[data-policy="rdb"] [data-figure="keys"] dd')).toHaveText(/2\D+6/);
      await expect(results.locator('[data-policy="aof-everysec"] [data-figure="writes-lost"] dd')).toHaveText(/1\D+35/);
      await section.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SCREENSHOTS}/${lang}-compare.png`, fullPage: true });
      await section.screenshot({ path: `${SCREENSHOTS}/${lang}-compare-section.png` });
      await expectNoAxeViolations(page);
      await page.keyboard.press('Escape');
      await expect(section).toHaveCount(0);
      await expect(opener).toBeFocused();

      const phone = await openLab(browser, lang, { context: { viewport: { width: 360, height: 800 }, reducedMotion: 'reduce' }, paused: true });
      await phone.getByRole('button', { name: TEXT[lang].compare }).click();
      const phoneSection = phone.getByRole('region', { name: TEXT[lang].compareTitle });
      await expect(phoneSection.locator('.compare-column')).toHaveCount(5);
      // Nothing wider than the screen: the columns stack.
      const widths = await phoneSection.locator('.compare-column').evaluateAll((columns) => columns.map((column) => column.getBoundingClientRect().width));
      for (const width of widths) expect(width).toBeLessThanOrEqual(360);
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await phoneSection.screenshot({ path: `${SCREENSHOTS}/${lang}-phone-compare.png` });
    });
  });
}
