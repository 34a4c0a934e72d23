import type { Page } from '@playwright/test';
import { expect, expectNoAxeViolations, openLab, run, test, type Lang } from './support.ts';

/**
 * RDB snapshots in a real browser, in English and in Arabic: a slow BGSAVE of 2,000 keys, the child
 * beside the parent with its shared pages, a page copied by a write, the temp file growing on the
 * disk, the rename to dump.rdb, and the inspector's regions; an axe scan mid-save and after; and
 * screenshots to look at.
 */

const SCREENSHOTS = 'test-results/screenshots';

/** Values inside sentences are wrapped in invisible isolates (U+2066 … U+2069), so they stay LTR runs in Arabic. */
const TEXT = {
  en: {
    command: 'Command',
    pause: 'Pause time',
    regions: 'Regions of dump.rdb',
    child: 'child process',
    reaped: 'Reaped child 4243',
    stoppedChild: 'Stopped by the parent with SIGUSR1',
    stoppedNote: 'the parent had stopped the background save (SIGUSR1)',
    narratedFork: 'called fork(): child 4243 shares all',
    narratedRename: 'temp-4243.rdb renamed to dump.rdb',
    aux: /Auxiliary field \u2066redis-ver\u2069 = \u20667\.0\.15\u2069/,
    slowDisk: 'Slow disk',
  },
  ar: {
    command: 'الأمر',
    pause: 'أوقف الوقت',
    regions: 'مناطق الملف dump.rdb',
    child: 'العملية الابن',
    reaped: 'استلمت العملية الأم خروج العملية الابن 4243',
    stoppedChild: 'أوقفتها العملية الأم بالإشارة SIGUSR1',
    stoppedNote: 'كانت قد أوقفت الحفظ في الخلفية بالإشارة SIGUSR1',
    narratedFork: 'العملية الابن 4243 تتشارك معه كل صفحات الذاكرة',
    narratedRename: 'أُعيدت تسمية temp-4243.rdb إلى dump.rdb',
    aux: /حقل مساعد \u2066redis-ver\u2069 = \u20667\.0\.15\u2069/,
    slowDisk: 'قرص بطيء',
  },
} as const;


/** Up to the middle of a slow BGSAVE of 2,000 keys, with one page copied by a write. */
async function startSlowSave(page: Page, lang: Lang): Promise<void> {
  await page.getByRole('switch', { name: TEXT[lang].slowDisk }).click();
  await expect(page.getByRole('switch', { name: TEXT[lang].slowDisk })).toHaveAttribute('aria-checked', 'true');
  await page.getByRole('button', { name: /^DEBUG POPULATE 2000/ }).click();
  await page.getByRole('button', { name: /^BGSAVE/ }).click();
  await expect(page.locator('.transcript > li').last()).toContainText('Background saving started');
  await run(page, lang, 'SET key:1 x');
  await run(page, lang, 'SIM ADVANCE 8000');
}

for (const lang of ['en', 'ar'] as const) {
  test.describe(`in ${lang === 'en' ? 'English' : 'Arabic'}`, () => {
    test('a slow BGSAVE: the child, its shared and copied pages, the temp file, the rename, the inspector', async ({ browser }) => {
      const page = await openLab(browser, lang, { paused: true });
      await startSlowSave(page, lang);

      // The child stands beside the parent, sharing its pages; the write copied at least one.
      const child = page.locator('.process-child[data-pid="4243"]');
      await expect(child).toBeVisible();
      await expect(child).toHaveAttribute('data-state', 'writing');
      await expect(child.getByRole('heading')).toContainText(TEXT[lang].child);
      await expect(page.locator('.process-parent .page-grid')).toHaveAttribute('data-copied', '1');
      // 263 pages in at most 256 cells: two pages a cell, so the copied page half-fills its cell.
      await expect(page.locator('.process-parent .page-cell:not(.is-shared)')).toHaveCount(1);
      await expect(child.locator('.page-cell:not(.is-shared)')).toHaveCount(1);
      const progress = child.getByRole('progressbar');
      const written = Number(await progress.getAttribute('aria-valuenow'));
      expect(written).toBeGreaterThan(0);
      expect(written).toBeLessThan(Number(await progress.getAttribute('aria-valuemax')));

      // The temp file grows, cached but not durable, written by the child.
      const temp = page.locator('.file-row[data-file="temp-4243.rdb"]');
      await expect(temp).toBeVisible();
      await expect(temp.locator('.writer-badge')).toContainText('4243');
      await expect(page.locator('.file-row[data-file="dump.rdb"]')).toHaveCount(0);

      // Done: the temp file became dump.rdb, the parent reaped the child.
      await run(page, lang, 'SIM ADVANCE 30000');
      await expect(page.locator('.file-row[data-file="dump.rdb"]')).toBeVisible();
      await expect(temp).toHaveCount(0);
      await expect(child).toHaveCount(0);
      await expect(page.locator('.reaped-note')).toContainText(TEXT[lang].reaped);
      await expect(page.locator('.last-rename')).toContainText('temp-4243.rdb → dump.rdb');

      // The inspector follows dump.rdb: magic first, then AUX fields, explained on focus.
      const regions = page.getByRole('listbox', { name: TEXT[lang].regions });
      await expect(regions).toBeVisible();
      const first = regions.getByRole('option').first();
      await expect(first).toContainText('REDIS0010');
      await first.focus();
      await page.keyboard.press('ArrowDown');
      const second = regions.getByRole('option').nth(1);
      await expect(second).toBeFocused();
      await expect(second).toHaveAttribute('aria-selected', 'true');
      await expect(page.getByTestId('region-explanation')).toContainText(TEXT[lang].aux);
      // The AUX record's bytes are outlined in the hex: opcode 0xfa, then the length of "redis-ver".
      await expect(page.locator('.hex-view .hb.is-active').first()).toHaveText(/^fa 09 72 65 64 69 73/);
      // Hovering a byte explains its region too: byte 0 is the magic.
      await page.locator('.hex-view .hb[data-region="0"]').first().hover();
      await expect(page.getByTestId('region-explanation')).toContainText('REDIS');
    });

    test('the narrator says each step of the save', async ({ browser }) => {
      const page = await openLab(browser, lang, { paused: true });
      await page.getByRole('button', { name: /^DEBUG POPULATE 2000/ }).click();
      await page.getByRole('switch', { name: TEXT[lang].slowDisk }).click();
      await page.getByRole('button', { name: /^BGSAVE/ }).click();
      await expect(page.getByRole('status')).toContainText(TEXT[lang].narratedFork);
      await run(page, lang, 'SIM ADVANCE 30000');
      await expect(page.getByRole('status')).toContainText(TEXT[lang].narratedRename);
    });

    test('FLUSHALL stops the save: the child shown stopped, not failed, until the reap; then a note saying so', async ({ browser }) => {
      const page = await openLab(browser, lang, { paused: true });
      await startSlowSave(page, lang);
      await run(page, lang, 'FLUSHALL');
      const child = page.locator('.process-child[data-pid="4243"]');
      await expect(child).toHaveAttribute('data-state', 'exited');
      await expect(child.locator('.state-badge')).toHaveClass(/state-stopped/);
      await expect(child).toContainText(TEXT[lang].stoppedChild);
      await expect(page.locator('.file-row[data-file="temp-4243.rdb"] .writer-badge')).toHaveCount(0);
      await expectNoAxeViolations(page, ['[data-panel="processes"]', '[data-panel="log"]']);
      await run(page, lang, 'SIM ADVANCE 100');
      await expect(child).toHaveCount(0);
      await expect(page.locator('.reaped-note')).toHaveAttribute('data-outcome', 'stopped');
      await expect(page.locator('.reaped-note')).toContainText(TEXT[lang].stoppedNote);
      await expect(page.locator('.file-row[data-file="temp-4243.rdb"]')).toHaveCount(0);
      await expectNoAxeViolations(page, ['[data-panel="processes"]']);
    });

    test('axe and screenshots: during a save, after it failed on a full disk, and with the inspector open', async ({ browser }) => {
      const page = await openLab(browser, lang, { paused: true });
      await startSlowSave(page, lang);
      await expectNoAxeViolations(page);
      await page.screenshot({ path: `${SCREENSHOTS}/${lang}-bgsave.png`, fullPage: true });
      await run(page, lang, 'SIM DISK FULL');
      await run(page, lang, 'SIM ADVANCE 50');
      // The child failed and waits to be reaped: the panels it changed are scanned again.
      await expect(page.locator('.process-child')).toHaveAttribute('data-state', 'exited');
      await expectNoAxeViolations(page, ['[data-panel="processes"]', '[data-panel="disk"]', '[data-panel="snapshot"]', '[data-panel="log"]']);
      await run(page, lang, 'SIM DISK OK');
      await run(page, lang, 'SIM ADVANCE 1000');
      await run(page, lang, 'SAVE');
      // The inspector on a region of the new dump.rdb: its byte rows are scanned on their own.
      await page.getByRole('listbox').getByRole('option').nth(9).click();
      await expectNoAxeViolations(page, ['[data-panel="inspector"]']);
      await page.screenshot({ path: `${SCREENSHOTS}/${lang}-saved.png`, fullPage: true });

      const phone = await openLab(browser, lang, { context: { viewport: { width: 390, height: 844 }, reducedMotion: 'reduce' }, paused: true });
      await startSlowSave(phone, lang);
      await phone.screenshot({ path: `${SCREENSHOTS}/${lang}-phone-bgsave.png`, fullPage: true });
    });
  });
}

test('the buttons work from the keyboard and run through the console', async ({ browser }) => {
  const page = await openLab(browser, 'en', { paused: true });
  const bgsave = page.getByRole('button', { name: /^BGSAVE/ });
  await bgsave.focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('.transcript > li').last()).toHaveText('127.0.0.1:6379> BGSAVEBackground saving started');
  await page.locator('[data-panel="snapshot"]').getByRole('button', { name: /^SIM KILLCHILD/ }).focus();
  await page.keyboard.press('Space');
  await expect(page.locator('.process-child')).toHaveAttribute('data-state', 'exited');
  await expect(page.locator('.process-child')).toContainText('Killed by signal 9');
  await run(page, 'en', 'SIM ADVANCE 100');
  await expect(page.locator('.reaped-note')).toContainText('the background save failed');
  await page.getByRole('button', { name: 'full (ENOSPC)' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'full (ENOSPC)' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: /^SAVE/ }).click();
  await expect(page.locator('.transcript > li').last()).toContainText('(error) ERR');
});

test('the child slides in from the parent’s side: right of it in English, left of it in Arabic', async ({ browser }) => {
  for (const lang of ['en', 'ar'] as const) {
    const page = await openLab(browser, lang, { paused: true });
    await page.getByRole('button', { name: /^BGSAVE/ }).click();
    const parent = await page.locator('.process-parent').boundingBox();
    const child = await page.locator('.process-child').boundingBox();
    if (parent === null || child === null) throw new Error('no process boxes');
    if (lang === 'en') expect(child.x).toBeGreaterThan(parent.x);
    else expect(child.x).toBeLessThan(parent.x);
  }
});

/** The AOF under everysec on a slow disk, a power loss, and a restart that loads what reached the disk. */
const AOF_TEXT = {
  en: { aofSwitch: 'AOF on', log: /^Commands in appendonly\.aof\.1\.incr\.aof/, down: 'The power went out', narratedCrash: 'Power loss: Redis (pid', restarted: 'Redis started again' },
  ar: { aofSwitch: 'تشغيل الـ AOF', log: /^الأوامر في/, down: 'انقطعت الكهرباء', narratedCrash: 'انقطعت الكهرباء: ضاعت عملية Redis', restarted: 'عاد Redis إلى العمل' },
} as const;

async function aofBeforePowerLoss(page: Page, lang: Lang): Promise<void> {
  await page.getByRole('switch', { name: AOF_TEXT[lang].aofSwitch }).click();
  await run(page, lang, 'SIM ADVANCE 1000');
  await page.getByRole('button', { name: 'everysec' }).click();
  await run(page, lang, 'SIM SET fsync-ms 3000');
  await run(page, lang, 'SET a 1');
  await run(page, lang, 'SIM ADVANCE 5000');
  await run(page, lang, 'SET b 2');
  await run(page, lang, 'SET c 3');
}

for (const lang of ['en', 'ar'] as const) {
  test.describe(`the AOF in ${lang === 'en' ? 'English' : 'Arabic'}`, () => {
    test('power loss under everysec on a slow disk: only what was fsynced comes back', async ({ browser }) => {
      const page = await openLab(browser, lang, { paused: true });
      await aofBeforePowerLoss(page, lang);
      const log = page.getByRole('list', { name: AOF_TEXT[lang].log });
      const rows = log.getByRole('listitem');
      await expect(rows).toHaveCount(4);
      await expect(rows.nth(1)).toHaveAttribute('data-layer', 'durable');
      await expect(rows.nth(2)).toHaveAttribute('data-layer', 'cached');
      await expect(rows.nth(3)).toHaveAttribute('data-layer', 'buffer');
      await expect(rows.nth(3)).toContainText('SET c 3');
      await page.screenshot({ path: `${SCREENSHOTS}/${lang}-aof.png`, fullPage: true });
      await expectNoAxeViolations(page);

      await page.getByRole('button', { name: /^SIM CRASH POWER/ }).click();
      await expect(page.getByTestId('server-down')).toContainText(AOF_TEXT[lang].down);
      await expect(page.getByRole('status')).toContainText(AOF_TEXT[lang].narratedCrash);
      await page.screenshot({ path: `${SCREENSHOTS}/${lang}-power-loss.png`, fullPage: true });
      await expectNoAxeViolations(page);

      const restart = page.getByRole('button', { name: /^SIM RESTART --appendonly yes/ });
      await restart.focus();
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('server-down')).toHaveCount(0);
      await expect(page.getByRole('status')).toContainText(AOF_TEXT[lang].restarted);
      await run(page, lang, 'KEYS *');
      await expect(page.locator('.transcript > li').last()).toContainText('1) "a"');
      await expect(page.locator('.transcript > li').last()).not.toContainText('"b"');
    });
  });
}
