import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, expectNoAxeViolations, openLab, run, lessonText, test, type Lang } from './support.ts';

/**
 * Following a lesson in Chromium, in English and in Arabic: on a phone, the lesson bar that appears
 * once the lesson is scrolled away (the step, Back, Next, the way back to the text; from the
 * keyboard; no sideways scroll; axe); on a laptop, no bar, and a "Look at" panel left off screen
 * marked by an arrow; on a phone, Look at landing on a tall panel's anchor and 44 px targets, even
 * while the panels above it grow, and a restart's outcome card brought into view; the glossary (keyboard, axe, a term leading to its step); the AOF panel showing its log of commands first, the last rewrite folded
 * into one line; a key written after DEBUG POPULATE 1000 in view; file names that wrap only after
 * their `/`.
 */

const SCREENSHOTS = 'test-results/screenshots';
const ROOT = join(import.meta.dirname, '..', '..');

function builtinLesson(id: string): { title: string; steps: unknown[] } {
  return JSON.parse(readFileSync(join(ROOT, 'src/lessons/builtin', `${id}.json`), 'utf8'));
}

function lessonTitle(lang: Lang, id: string): string {
  return lessonText(lang, builtinLesson(id).title);
}

/** The RDB lesson's length, which the phone test's step counts show. */
const RDB_STEPS = builtinLesson('rdb-snapshots').steps.length;

const UI = {
  en: { menu: 'Lessons', next: /^Next/, back: /^Back$/, read: /Read the lesson$/, stepOf: (n: number, of: number) => `Step ${n} of ${of}`, below: '(further down)' },
  ar: { menu: 'الدروس', next: /^التالي/, back: /^رجوع$/, read: /اقرأ الدرس$/, stepOf: (n: number, of: number) => `الخطوة ${n} من ${of}`, below: '(في الأسفل)' },
} as const;

/** Opens a built-in lesson from the menu and walks to `step` (0-based) with the panel's Next. */
async function openLessonAt(page: Page, lang: Lang, id: string, step: number) {
  await page.getByRole('button', { name: UI[lang].menu, exact: true }).click();
  await page.getByRole('button', { name: new RegExp(`^${escapeRegExp(lessonTitle(lang, id))}`) }).click();
  const panel = page.locator('section.lesson-panel');
  for (let index = 0; index < step; index++) await panel.getByRole('button', { name: UI[lang].next }).click();
  return panel;
}

const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

/** The reader scrolls to the page's end: a wheel turn (which tells the lab the reader has taken over), then the jump. */
const scrollToEndByHand = (page: Page) =>
  page.evaluate(() => {
    window.dispatchEvent(new WheelEvent('wheel', { deltaY: 1 }));
    window.scrollTo({ top: document.documentElement.scrollHeight, behavior: 'instant' });
  });

for (const lang of ['en', 'ar'] as const) {
  test(`on a phone, in ${lang === 'en' ? 'English' : 'Arabic'}: the lesson bar stands in for Back and Next off screen, and leads back to the text`, async ({ browser }) => {
    // The Arabic run asks for reduced motion: the jumps are instant, the bar the same.
    const page = await openLab(browser, lang, { context: { viewport: { width: 390, height: 844 }, ...(lang === 'ar' && { reducedMotion: 'reduce' as const }) } });
    const ui = UI[lang];
    const panel = await openLessonAt(page, lang, 'rdb-snapshots', 1);
    const bar = page.getByRole('navigation', { name: `${lessonText(lang, 'lessonUi.dock.label').replace('{{title}}', lessonTitle(lang, 'rdb-snapshots'))}` });
    const nav = panel.locator('.lesson-nav');
    // The bar shows exactly when the lesson's own Back and Next are not wholly on screen.
    const expectBarFollowsNav = () =>
      expect
        .poll(async () => {
          const navShown = await nav.evaluate((element) => {
            const box = element.getBoundingClientRect();
            return box.top >= 0 && box.bottom <= window.innerHeight;
          });
          return (await bar.isVisible()) === !navShown;
        })
        .toBe(true);
    // The lesson's Next on screen: no bar.
    await expect(panel.locator('.lesson-step-count')).toHaveText(ui.stepOf(2, RDB_STEPS));
    await nav.scrollIntoViewIfNeeded();
    await expect(bar).toBeHidden();

    // "Look at" goes down to the panel; the bar appears with the step.
    const look = panel.locator('.lesson-look-button').first();
    await expect(look).toHaveAttribute('data-place', 'below');
    await expect(look).toContainText('↓');
    await look.click();
    await expect(page.locator('[data-panel="processes"]')).toBeInViewport();
    await expect(bar).toBeVisible();
    await expect(bar.getByRole('button', { name: ui.read })).toContainText(ui.stepOf(2, RDB_STEPS));
    await expect(bar.getByRole('button', { name: ui.back })).toBeVisible();
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await expectNoAxeViolations(page, ['nav.lesson-dock', 'section.lesson-panel']);
    await page.screenshot({ path: `${SCREENSHOTS}/lesson-bar-phone-${lang}.png` });

    // From the keyboard: Next in the bar goes on a step and back to the text, focus on its title.
    await bar.getByRole('button', { name: ui.next }).focus();
    await page.keyboard.press('Enter');
    await expect(panel.locator('.lesson-step-count')).toHaveText(ui.stepOf(3, RDB_STEPS));
    await expect(panel.getByRole('heading', { level: 2 })).toBeInViewport();
    await expect(panel.getByRole('heading', { level: 2 })).toBeFocused();
    await expectBarFollowsNav();

    // Scrolled far down by hand: the bar again, and "Read the lesson" brings the text back.
    await scrollToEndByHand(page);
    await expect(bar).toBeVisible();
    // The page's end is not hidden under the bar.
    const barTop = (await bar.boundingBox())?.y ?? 0;
    const lastPanel = await page.locator('main .panel').last().boundingBox();
    expect((lastPanel?.y ?? 0) + (lastPanel?.height ?? 0)).toBeLessThanOrEqual(barTop);
    await bar.getByRole('button', { name: ui.read }).click();
    await expect(panel.locator('.lesson-narration')).toBeInViewport();
    await expectBarFollowsNav();
    await nav.scrollIntoViewIfNeeded();
    await expect(bar).toBeHidden();
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await page.context().close();
  });

  test(`on a laptop, in ${lang === 'en' ? 'English' : 'Arabic'}: no bar; a panel that does not fit beside the first is marked by an arrow`, async ({ browser }) => {
    const page = await openLab(browser, lang, { context: { viewport: { width: 1280, height: 800 } } });
    const ui = UI[lang];
    // RDB lesson, step 4: the disk, then the server log, far below it.
    const panel = await openLessonAt(page, lang, 'rdb-snapshots', 3);
    await expect(page.locator('[data-panel="disk"]')).toBeInViewport({ ratio: 0.5 });
    const log = panel.locator('.lesson-look-button').nth(1);
    await expect(log).toHaveAttribute('data-place', 'below');
    await expect(log).toHaveAccessibleName(new RegExp(`${escapeRegExp(ui.below)}$`));
    await expect(panel.locator('.lesson-look-hint')).toHaveText(lessonText(lang, 'lessonUi.panel.lookAtHint'));
    await log.click();
    await expect(page.locator('[data-panel="log"]')).toBeInViewport();
    await expect(log).toHaveAttribute('data-place', 'shown');
    // Now the disk is the one away, above.
    await expect(panel.locator('.lesson-look-button').first()).toHaveAttribute('data-place', 'above');
    await expect(panel.locator('.lesson-look-button').first()).toContainText('↑');
    // The lesson stays beside the panels: never a bar, wherever the page is scrolled.
    await scrollToEndByHand(page);
    await expect(panel).toBeInViewport();
    await expect(page.locator('nav.lesson-dock')).toBeHidden();
    await expectNoAxeViolations(page, ['section.lesson-panel']);
    await page.context().close();
  });

  test(`the glossary, in ${lang === 'en' ? 'English' : 'Arabic'}: from the keyboard, no axe violation, focus back on Escape; a term leads to its step`, async ({ browser }) => {
    const page = await openLab(browser, lang, { context: { viewport: { width: 1280, height: 800 } } });
    const panel = await openLessonAt(page, lang, 'why-persistence', 0);
    const opener = panel.getByRole('button', { name: lessonText(lang, 'lessonUi.glossary.open'), exact: true });
    await opener.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: lessonText(lang, 'lessonUi.glossary.title') });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('term')).toHaveCount(21);
    await page.screenshot({ path: `${SCREENSHOTS}/glossary-${lang}.png` });
    await expectNoAxeViolations(page);
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(opener).toBeFocused();

    // The copy-on-write term: to lesson 2, step 3, its title then holding the keyboard.
    await opener.click();
    const entry = dialog.locator('.glossary-list > div').filter({ hasText: lessonText(lang, 'lessonUi.glossary.terms.copyOnWrite.term') });
    await entry.getByRole('button').click();
    await expect(dialog).toHaveCount(0);
    await expect(panel.getByRole('heading', { level: 2 })).toHaveText(lessonTitle(lang, 'rdb-snapshots'));
    await expect(panel.locator('.lesson-step-count')).toHaveText(UI[lang].stepOf(3, RDB_STEPS));
    await expect(panel.getByRole('heading', { level: 2 })).toBeFocused();
    await expect(page.locator('[data-panel="processes"]')).toHaveAttribute('data-lesson-highlight');
    await page.context().close();
  });

  test(`the AOF lesson, in ${lang === 'en' ? 'English' : 'Arabic'}: the log of commands comes first, the finished rewrite in one line`, async ({ browser }) => {
    const page = await openLab(browser, lang, { context: { viewport: { width: 1280, height: 800 } } });
    await openLessonAt(page, lang, 'aof-log', 1);
    const aof = page.locator('[data-panel="aof"]');
    const rewrite = aof.locator('.aof-rewrite');
    await expect(rewrite).toHaveAttribute('data-outcome', 'installed');
    // The rewrite is one line, below the log; its steps are out of sight until opened.
    await expect(aof.locator('.aof-log')).toBeInViewport();
    await expect(aof.locator('.aof-command', { hasText: 'PEXPIREAT' })).toBeInViewport();
    await expect(rewrite.locator('.aof-rewrite-steps')).toBeHidden();
    const logBox = await aof.locator('.aof-log').boundingBox();
    const rewriteBox = await rewrite.boundingBox();
    expect(rewriteBox?.y ?? 0).toBeGreaterThan((logBox?.y ?? 0) + (logBox?.height ?? 0) - 1);
    // One line: the title's height (two lines of it in Arabic, in the column beside the lesson), not five steps'.
    const titleBox = await rewrite.locator('summary').boundingBox();
    expect(titleBox?.height ?? 0).toBeLessThan(70);
    expect(rewriteBox?.height ?? 0).toBeLessThan((titleBox?.height ?? 0) + 30);
    await rewrite.locator('summary').click();
    await expect(rewrite.locator('.aof-rewrite-steps')).toBeVisible();
    await expectNoAxeViolations(page, ['[data-panel="aof"]']);
    await aof.screenshot({ path: `${SCREENSHOTS}/lesson-aof-log-first-${lang}.png` });
    await page.context().close();
  });
}

test('on a phone, in Arabic: Look at a panel taller than the screen lands on what the step is about (the AOF’s log, the directive it names), not on the panel’s top', async ({ browser }) => {
  const page = await openLab(browser, 'ar', { context: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, reducedMotion: 'reduce' } });
  // The AOF lesson, step 3: which layer each logged command has reached.
  const panel = await openLessonAt(page, 'ar', 'aof-log', 2);
  await panel.locator('.lesson-look-button').first().click();
  const aof = page.locator('[data-panel="aof"]');
  await expect(aof.getByRole('heading', { level: 2 })).toBeFocused();
  await expect(aof.locator('.aof-log li').first()).toBeInViewport();
  await expect(aof.locator('.aof-log li').last()).toBeInViewport();
  // Its recap: the policy the power-cut restart went back to, on its line of redis.conf.
  for (let step = 2; step < 7; step++) await panel.getByRole('button', { name: UI.ar.next }).click();
  await panel.locator('.lesson-look-button').nth(1).click();
  await expect(page.locator('[data-panel="config"] [data-directive="appendfsync"]')).toBeInViewport();
  // A step that names a directive: redis.conf opens at its row, the last of a panel two screens tall.
  await panel.getByRole('button', { name: lessonText('ar', 'lessonUi.panel.close') }).click();
  const restart = await openLessonAt(page, 'ar', 'restart', 4);
  await restart.locator('.lesson-look-button').nth(1).click();
  await expect(page.locator('[data-panel="config"] [data-directive="aof-load-truncated"]')).toBeInViewport();
  // Every control of the lesson a finger can hit: 44 px at least.
  for (const target of await panel.locator('.lesson-look-button, .lesson-nav .button').all()) {
    expect((await target.boundingBox())?.height ?? 0).toBeGreaterThanOrEqual(43.5);
  }
  await page.context().close();
});

test('on a phone: Look at pressed while a step’s lines still run lands on its target once the glide ends; a restart’s outcome comes into view as it appears, the repair button after a refused AOF', async ({ browser }) => {
  // Motion allowed: the page glides, and the lab's lines go on growing the panels above meanwhile.
  const page = await openLab(browser, 'en', { context: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } });
  const panel = await openLessonAt(page, 'en', 'aof-log', 6);
  // The last step runs a power cut and a restart as it opens; Look at is pressed before they end.
  await panel.getByRole('button', { name: UI.en.next }).click();
  await page.waitForTimeout(700);
  await panel.locator('.lesson-look-button').first().click();
  const anchor = page.locator('[data-panel="aof"] [data-lesson-anchor]');
  const anchorTop = async () => (await anchor.boundingBox())?.y ?? -1;
  // It lands 5rem (80 px) below the screen's top, and stays there.
  await expect.poll(anchorTop, { timeout: 10_000 }).toBeCloseTo(80, -1);
  await page.waitForTimeout(500);
  expect(await anchorTop()).toBeCloseTo(80, -1);
  await page.context().close();

  // Watching the crash panel's story while a restart plays: its outcome card would arrive below the screen.
  const lab = await openLab(browser, 'en', { context: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } });
  await run(lab, 'en', 'SET kept 1');
  await run(lab, 'en', 'SIM CRASH PROCESS');
  const lifecycle = lab.locator('[data-panel="lifecycle"]');
  await lifecycle.evaluate((element) => element.scrollIntoView({ block: 'start' }));
  await lifecycle.getByRole('button', { name: /^SIM RESTART Restart with redis\.conf/ }).click();
  const card = lab.getByTestId('survival-card');
  await expect(card).toBeVisible({ timeout: 15_000 });
  await expect.poll(async () => (await card.boundingBox())?.y ?? -1, { timeout: 5_000 }).toBeGreaterThanOrEqual(0);
  // Its title is on screen, above where a lesson's bar would be.
  expect((await card.boundingBox())?.y ?? 9999).toBeLessThan(844 - 96 - 60);
  await lab.context().close();

  // A restart that refuses its AOF, with Look at pressed as the answer is revealed: the page ends
  // on the repair button (and the card below it), not snapped back to the panel's top.
  const lesson = await openLab(browser, 'en', { context: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } });
  const steps = await openLessonAt(lesson, 'en', 'restart', 5);
  await steps.getByRole('radio').first().check();
  await steps.getByRole('button', { name: lessonText('en', 'lessonUi.question.reveal') }).click();
  await lesson.waitForTimeout(300);
  await steps.locator('.lesson-look-button', { hasText: 'Crash and restart' }).click();
  const repair = lesson.locator('.aof-repair');
  const repairTop = async () => ((await repair.count()) === 0 ? -1 : ((await repair.boundingBox())?.y ?? -1));
  // 5rem (80 px) from the screen's top, and still there once everything has settled.
  await expect.poll(repairTop, { timeout: 15_000 }).toBeCloseTo(80, -1);
  await lesson.waitForTimeout(1500);
  expect(await repairTop()).toBeCloseTo(80, -1);
  const button = await repair.getByRole('button').boundingBox();
  expect((button?.y ?? 9999) + (button?.height ?? 0)).toBeLessThan(844 - 96);
  await lesson.context().close();
});

test('a key written after DEBUG POPULATE 1000 is in view, above the first 100; file names wrap only after their /', async ({ browser }) => {
  for (const lang of ['en', 'ar'] as const) {
    const page = await openLab(browser, lang, { paused: true, context: { viewport: { width: 1280, height: 800 } } });
    await run(page, lang, 'DEBUG POPULATE 1000');
    await run(page, lang, 'SET greeting hello');
    const keyspace = page.locator('[data-panel="keyspace"]');
    const greeting = keyspace.locator('.recent-keys .key-row[data-key="greeting"]');
    await expect(greeting).toBeVisible();
    // In the panel's own scrolling box, without scrolling it.
    const box = await keyspace.locator('.keyspace-scroll').boundingBox();
    const row = await greeting.boundingBox();
    expect((row?.y ?? 0) + (row?.height ?? 0)).toBeLessThanOrEqual((box?.y ?? 0) + (box?.height ?? 0));
    await expectNoAxeViolations(page, ['[data-panel="keyspace"]']);

    // A lesson open beside the panels leaves the disk narrow: each part of a name stays on one line.
    await run(page, lang, 'CONFIG SET appendonly yes');
    await run(page, lang, 'SIM ADVANCE 2000');
    await openLessonAt(page, lang, 'aof-rewrite', 0);
    const parts = page.locator('[data-panel="disk"] .file-name .path-part');
    await expect(parts.first()).toBeVisible();
    const lines = await parts.evaluateAll((elements) => elements.map((element) => [element.textContent, element.getClientRects().length]));
    expect(lines.length).toBeGreaterThan(3);
    for (const [part, count] of lines) expect(count, `${part} on one line`).toBe(1);
    await page.locator('[data-panel="disk"]').screenshot({ path: `${SCREENSHOTS}/lesson-disk-names-${lang}.png` });
    await page.context().close();
  }
});

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
