import type { Page } from '@playwright/test';
import { expect, expectNoAxeViolations, openLab, run, test, type Lang } from './support.ts';

/**
 * An AOF rewrite in a real browser, in English and in Arabic, on a slow disk: the first rewrite as
 * the AOF is switched on, then a BGREWRITEAOF followed step by step — the rewrite child beside the
 * parent sharing its pages (a write copies one), the new incr file taking the writes, the child's
 * temp file growing with its RDB preamble, the rename into the new base, the old files retired —
 * in the processes lane, the disk, the AOF panel's steps and the narration. One axe scan mid-rewrite;
 * screenshots mid-rewrite and after it. The Arabic run asks for reduced motion: the steps stay still.
 */

const SCREENSHOTS = 'test-results/screenshots';

const TEXT = {
  en: {
    job: 'AOF rewrite',
    preamble: 'RDB preamble',
    narratedFork: 'called fork() for an AOF rewrite: child 4244',
    narratedInstalled: 'installed the new base',
    reaped: 'the AOF rewrite succeeded',
    appending: 'new writes go here',
  },
  ar: {
    job: 'إعادة كتابة الـ AOF',
    preamble: 'مقدّمة RDB',
    narratedFork: 'لإعادة كتابة الـ AOF: العملية الابن 4244',
    narratedInstalled: 'وثبّتت الأساس الجديد',
    reaped: 'نجحت إعادة كتابة الـ AOF',
    appending: 'الكتابات الجديدة تذهب إليه',
  },
} as const;

/** The AOF on (its first rewrite done), then a BGREWRITEAOF of 2,000 keys on a slow disk, half written, with a page copied. */
async function midRewrite(page: Page, lang: Lang, reduced: boolean): Promise<void> {
  await run(page, lang, 'DEBUG POPULATE 2000');
  await run(page, lang, 'SIM SET disk-mbps 0.002');
  await run(page, lang, 'CONFIG SET appendonly yes');
  await run(page, lang, 'SIM ADVANCE 30000');
  await expect(page.locator('.aof-rewrite')).toHaveAttribute('data-outcome', 'installed');
  await run(page, lang, 'SET counter 10');
  await run(page, lang, 'BGREWRITEAOF');
  await expect(page.getByRole('status')).toContainText(TEXT[lang].narratedFork);
  if (reduced) {
    // The static form: the step that just became the current one does not flash (its highlight is fully transparent at once).
    await expect(page.locator('.aof-rewrite-step[data-step="write"] .aof-rewrite-step-body')).toHaveCSS('background-color', /^rgba\(\d+, \d+, \d+, 0\)$/);
  }
  await run(page, lang, 'SET key:1 x');
  await run(page, lang, 'SIM ADVANCE 8000');
}

/** The three panels the rewrite shows in, each on its own, at a size one can read. */
async function panelShots(page: Page, lang: Lang, moment: string): Promise<void> {
  for (const panel of ['processes', 'disk', 'aof']) {
    await page.locator(`[data-panel="${panel}"]`).screenshot({ path: `${SCREENSHOTS}/${lang}-aof-rewrite-${moment}-${panel}.png` });
  }
}

for (const lang of ['en', 'ar'] as const) {
  test(`an AOF rewrite step by step, in ${lang === 'en' ? 'English' : 'Arabic'}: the child, the files, the steps, the narration`, async ({ browser }) => {
    const reduced = lang === 'ar';
    const page = await openLab(browser, lang, { paused: true, context: reduced ? { reducedMotion: 'reduce' } : {} });
    await midRewrite(page, lang, reduced);

    // The rewrite child beside the parent, labelled as such, sharing its pages; the write copied one.
    const child = page.locator('.process-child[data-pid="4244"]');
    await expect(child).toHaveAttribute('data-purpose', 'aof-rewrite');
    await expect(child.getByRole('heading')).toContainText('redis-aof-rewrite');
    await expect(child.getByRole('heading')).toContainText(TEXT[lang].job);
    await expect(child).toContainText('temp-rewriteaof-4244.aof');
    await expect(child).toContainText(TEXT[lang].preamble);
    await expect(page.locator('.process-parent .page-grid')).not.toHaveAttribute('data-copied', '0');
    const progress = child.getByRole('progressbar');
    expect(Number(await progress.getAttribute('aria-valuenow'))).toBeGreaterThan(0);

    // The disk: the new incr takes the writes; the temp file grows, an RDB preamble, written by the child.
    const incr = page.locator('.file-row[data-file="appendonlydir/appendonly.aof.2.incr.aof"]');
    await expect(incr.locator('.appending-badge')).toHaveText(TEXT[lang].appending);
    const temp = page.locator('.file-row[data-file="temp-rewriteaof-4244.aof"]');
    await expect(temp.locator('.writer-badge')).toContainText('4244');
    await expect(temp.locator('.aof-role-badge')).toContainText(TEXT[lang].preamble);

    // The steps: the incr opened, the child writing, the rest to come.
    const steps = page.locator('.aof-rewrite-step');
    await expect(steps).toHaveCount(5);
    await expect(page.locator('.aof-rewrite-step[data-step="incr"]')).toHaveAttribute('data-state', 'done');
    await expect(page.locator('.aof-rewrite-step[data-step="write"]')).toHaveAttribute('data-state', 'active');
    await expect(page.locator('.aof-rewrite-step[data-step="install"]')).toHaveAttribute('data-state', 'pending');

    await expectNoAxeViolations(page);
    await page.screenshot({ path: `${SCREENSHOTS}/${lang}-aof-rewrite-mid.png`, fullPage: true });
    await panelShots(page, lang, 'mid');

    // Done: the temp file became the new base in place, the old files are gone, the child reaped.
    await run(page, lang, 'SIM ADVANCE 30000');
    await expect(page.getByRole('status')).toContainText(TEXT[lang].narratedInstalled);
    await expect(child).toHaveCount(0);
    await expect(page.locator('.reaped-note')).toContainText(TEXT[lang].reaped);
    await expect(page.locator('.file-row[data-file="appendonlydir/appendonly.aof.2.base.rdb"]')).toBeVisible();
    await expect(temp).toHaveCount(0);
    await expect(page.locator('.file-row[data-file="appendonlydir/appendonly.aof.1.base.rdb"]')).toHaveCount(0);
    await expect(page.locator('.aof-rewrite')).toHaveAttribute('data-outcome', 'installed');
    await expect(page.locator('.aof-rewrite-step[data-state="done"]')).toHaveCount(5);
    await expect(page.locator('.aof-rewrite-step[data-step="retire"]')).toContainText('appendonly.aof.1.base.rdb');
    await page.screenshot({ path: `${SCREENSHOTS}/${lang}-aof-rewrite-done.png`, fullPage: true });
    await panelShots(page, lang, 'done');
  });
}
