import type { Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { expect, openLab, run, test, type Lang } from './support.ts';

/**
 * The first screen in a real browser, in English and in Arabic: the console, the keyspace, the
 * live clock, the language switch, an axe scan, and screenshots to look at.
 */

const SCREENSHOTS = 'test-results/screenshots';

const LABELS = {
  en: { command: 'Command', output: 'Console output', keyspace: 'Keyspace', db0: 'Keys in database 0' },
  ar: { command: 'الأمر', output: 'مخرجات الطرفية', keyspace: 'فضاء المفاتيح (Keyspace)', db0: 'المفاتيح في قاعدة البيانات 0' },
} as const;


function lastEntry(page: Page) {
  return page.locator('.transcript > li').last();
}

/** Fills the lab with a bit of everything, as a student would after a few minutes. */
async function playAWhile(page: Page, lang: Lang): Promise<void> {
  await run(page, lang, 'SET greeting "Hello, Redis"');
  await run(page, lang, 'RPUSH queue job:1 job:2 job:3');
  await run(page, lang, 'HSET user:1 name Ada lang en');
  await run(page, lang, 'SADD tags redis rdb aof');
  await run(page, lang, 'ZADD leaderboard 90 ada 85 grace');
  await run(page, lang, 'SELECT 2');
  await run(page, lang, 'INCR visits');
  await run(page, lang, 'SELECT 0');
  await run(page, lang, 'SET city "القاهرة"');
  await run(page, lang, 'GET city');
  await run(page, lang, 'EXPIRE greeting 30');
  await run(page, lang, 'LRANGE queue 0 -1');
  await run(page, lang, 'INCR queue');
  await run(page, lang, 'SET broken "quote');
}

for (const lang of ['en', 'ar'] as const) {
  test.describe(`in ${lang === 'en' ? 'English' : 'Arabic'}`, () => {
    test('the console runs commands and prints redis-cli’s replies', async ({ browser }) => {
      const page = await openLab(browser, lang);
      await expect(page.locator('html')).toHaveAttribute('dir', lang === 'ar' ? 'rtl' : 'ltr');
      await run(page, lang, 'SET greeting hello');
      await expect(lastEntry(page)).toHaveText('127.0.0.1:6379> SET greeting helloOK');
      await run(page, lang, 'GET greeting');
      await expect(lastEntry(page).locator('.reply')).toHaveText('"hello"');
      await run(page, lang, 'RPUSH queue a b');
      await run(page, lang, 'LRANGE queue 0 -1');
      await expect(lastEntry(page).locator('.reply')).toHaveText('1) "a"\n2) "b"');
      await run(page, lang, 'INCR queue');
      await expect(lastEntry(page).locator('.reply-error')).toContainText(
        '(error) WRONGTYPE Operation against a key holding the wrong kind of value',
      );
      await run(page, lang, 'SET x "unbalanced');
      await expect(lastEntry(page).locator('.reply-error')).toContainText('Invalid argument(s)');
      await run(page, lang, 'SELECT 1');
      await run(page, lang, 'PING');
      await expect(lastEntry(page)).toHaveText('127.0.0.1:6379[1]> PINGPONG');
      await run(page, lang, 'SELECT 0');

      // History: ArrowUp brings back the last line.
      const input = page.getByRole('textbox', { name: LABELS[lang].command });
      await input.press('ArrowUp');
      await expect(input).toHaveValue('SELECT 0');
      await input.press('ArrowUp');
      await expect(input).toHaveValue('PING');

      // The screen is an LTR island even in Arabic.
      await expect(page.getByRole('list', { name: LABELS[lang].output }).locator('xpath=ancestor::*[@dir][1]')).toHaveAttribute('dir', 'ltr');
    });

    test('the keyspace shows keys, and a TTL counts down as simulated time flows', async ({ browser }) => {
      const page = await openLab(browser, lang);
      await run(page, lang, 'SET session abc');
      await run(page, lang, 'EXPIRE session 3');
      const row = page.locator('.key-row[data-key="session"]');
      await expect(row.locator('.type-badge')).toHaveText('string');
      const ttlValue = row.locator('.ttl-value');
      const first = Number.parseFloat((await ttlValue.textContent()) ?? '');
      await expect.poll(async () => Number.parseFloat((await ttlValue.textContent()) ?? '')).toBeLessThan(first - 0.5);
      // The key expires by itself after 3 s of simulated time.
      await expect(row).toHaveCount(0, { timeout: 6000 });
      await expect(page.getByRole('status')).toContainText(lang === 'en' ? 'Key session expired.' : 'انتهت صلاحية المفتاح session');
    });

    test('no accessibility violations (axe), with content on screen', async ({ browser }) => {
      const page = await openLab(browser, lang);
      await playAWhile(page, lang);
      const results = await new AxeBuilder({ page }).analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    });

    test('screenshots', async ({ browser }) => {
      const page = await openLab(browser, lang);
      await page.getByRole('button', { name: lang === 'en' ? 'Pause time' : 'أوقف الوقت' }).click();
      await page.screenshot({ path: `${SCREENSHOTS}/${lang}-empty.png`, fullPage: true });
      await playAWhile(page, lang);
      await page.getByRole('textbox', { name: LABELS[lang].command }).focus();
      await page.screenshot({ path: `${SCREENSHOTS}/${lang}-desktop.png`, fullPage: true });

      const phone = await openLab(browser, lang, { context: { viewport: { width: 390, height: 844 }, reducedMotion: 'reduce' } });
      await playAWhile(phone, lang);
      // The AOF's long file names (appendonlydir/appendonly.aof.1.incr.aof) in the disk panel and
      // the inspector's list: everything still fits the phone's width, the page never scrolls sideways.
      await run(phone, lang, 'CONFIG SET appendonly yes');
      await run(phone, lang, 'SIM ADVANCE 2000');
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await phone.screenshot({ path: `${SCREENSHOTS}/${lang}-phone.png`, fullPage: true });
    });
  });
}

test('the page mirrors in Arabic: the console and keyspace sit on the inline start side', async ({ browser }) => {
  const en = await openLab(browser, 'en');
  const ar = await openLab(browser, 'ar');
  const x = async (page: Page, selector: string) => (await page.locator(selector).boundingBox())?.x ?? NaN;
  expect(await x(en, '.console-panel')).toBeLessThan(await x(en, '.processes-panel'));
  expect(await x(en, '.keyspace-panel')).toBeLessThan(await x(en, '.disk-panel'));
  expect(await x(ar, '.console-panel')).toBeGreaterThan(await x(ar, '.processes-panel'));
  expect(await x(ar, '.keyspace-panel')).toBeGreaterThan(await x(ar, '.disk-panel'));
});

test('a laptop shows the processes, the disk and the AOF log beside the console, a wide screen gives the AOF log a column of its own, and the DOM reads in the order shown', async ({ browser }) => {
  type Box = { x: number; y: number; width: number; height: number };
  const GAP_PX = 16;
  for (const lang of ['en', 'ar'] as const) {
    // Inline end: further right in English, further left in Arabic.
    const towardEnd = (from: Box, to: Box) => (lang === 'en' ? to.x > from.x + from.width / 2 : to.x + to.width < from.x + from.width / 2);
    for (const viewport of [{ width: 1366, height: 768 }, { width: 1920, height: 1080 }]) {
      const page = await openLab(browser, lang, { context: { viewport }, paused: true });
      const panels = await page.locator('main section[data-panel]').evaluateAll((sections) =>
        sections.map((section) => {
          const { x, y, width, height } = section.getBoundingClientRect();
          return { id: (section as HTMLElement).dataset.panel ?? '', x, y: y + window.scrollY, width, height };
        }),
      );
      const at = (id: string): Box => {
        const found = panels.find((panel) => panel.id === id);
        if (found === undefined) throw new Error(`no ${id} panel`);
        return found;
      };
      const [consolePanel, processes, disk, aof, log] = ['console', 'processes', 'disk', 'aof', 'log'].map(at) as [Box, Box, Box, Box, Box];
      const where = `${lang} ${viewport.width}×${viewport.height}`;
      // The processes lane starts level with the console, on its inline end side; the disk right under it.
      expect(Math.abs(processes.y - consolePanel.y), where).toBeLessThan(1);
      expect(towardEnd(consolePanel, processes), where).toBe(true);
      expect(Math.abs(disk.y - (processes.y + processes.height + GAP_PX)), where).toBeLessThan(1);
      expect(Math.abs(disk.x - processes.x), where).toBeLessThan(1);
      if (viewport.width < 1600) {
        // The AOF log under the disk, the server log under it.
        expect(Math.abs(aof.y - (disk.y + disk.height + GAP_PX)), where).toBeLessThan(1);
        expect(Math.abs(aof.x - processes.x), where).toBeLessThan(1);
        expect(Math.abs(log.y - (aof.y + aof.height + GAP_PX)), where).toBeLessThan(1);
      } else {
        // A third column: the AOF log level with the console, the content as wide as the screen allows.
        expect(Math.abs(aof.y - consolePanel.y), where).toBeLessThan(1);
        expect(towardEnd(processes, aof), where).toBe(true);
        const mainWidth = await page.locator('main').evaluate((main) => main.getBoundingClientRect().width);
        expect(mainWidth, where).toBeGreaterThan(viewport.width - 100);
      }
      // redis.conf comes under all of them (beside the student's column on a wide screen).
      const lowest = Math.max(...['processes', 'disk', 'aof', 'log', 'info', 'inspector'].map(at).map((panel) => panel.y + panel.height));
      expect(at('config').y, where).toBeGreaterThan(lowest);
      // The DOM's order (Tab order, a screen reader's) is the order on screen: each panel is either
      // below the one before it, or at the top of a column further toward the inline end.
      for (let index = 1; index < panels.length; index++) {
        const [before, next] = [panels[index - 1] as Box & { id: string }, panels[index] as Box & { id: string }];
        const below = next.y >= before.y + before.height - 1;
        expect(below || (towardEnd(before, next) && next.y >= at('console').y - 1), `${where}: ${before.id} then ${next.id}`).toBe(true);
      }
      await page.context().close();
    }
  }
});

test('a phone gets words for a finger (no arrow keys in the console’s hint, "tap" in the inspector, no shortcuts list) and redis.conf’s stacked values captioned', async ({ browser }) => {
  const phone = await openLab(browser, 'ar', { context: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } });
  // What shows: innerText leaves out the words hidden by the stylesheet.
  const shown = (page: Page, selector: string) => page.locator(selector).evaluate((element) => (element as HTMLElement).innerText.trim());
  expect(await shown(phone, '#console-hint')).toBe('زر الإرسال (Enter) في لوحة المفاتيح ينفّذ الأمر.');
  expect(await shown(phone, '[data-panel="inspector"] .panel-intro')).toContain('المس بايتًا');
  expect(await shown(phone, '[data-panel="inspector"] .panel-intro')).not.toContain('بمفاتيح الأسهم');
  await expect(phone.locator('.shortcuts-opener')).toBeHidden();
  // redis.conf's save points stack their two values on a phone: each says which it is.
  await expect(phone.locator('[data-directive="save"] .config-box-caption')).toHaveText(['في redis.conf', 'القيمة الحالية']);
  await expect(phone.locator('[data-directive="save"] .config-box-caption').first()).toBeVisible();
  const laptop = await openLab(browser, 'en');
  expect(await shown(laptop, '#console-hint')).toBe('Enter runs the command. Arrow Up and Arrow Down walk through the commands you ran.');
  await expect(laptop.locator('.shortcuts-opener')).toBeVisible();
});

test('on a touch screen every control a finger can hit is 44 px high at least, in both languages', async ({ browser }) => {
  for (const lang of ['en', 'ar'] as const) {
    const phone = await openLab(browser, lang, { context: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } });
    // A question is open too: its choices are labels a finger taps.
    await phone.getByRole('button', { name: lang === 'en' ? 'Lessons' : 'الدروس', exact: true }).click();
    await phone.locator('.lesson-list > li button').first().click();
    for (let step = 0; step < 2; step++) await phone.locator('section.lesson-panel [data-lesson-nav="next"]').click();
    await expect(phone.locator('.lesson-choice').first()).toBeVisible();
    // And after a crash and a restart: the outcome card's lists, the server log's lines, the timeline's events.
    await run(phone, lang, 'SET kept 1');
    await run(phone, lang, 'SIM CRASH PROCESS');
    await run(phone, lang, 'SIM RESTART');
    await expect(phone.getByTestId('survival-card')).toBeVisible({ timeout: 15_000 });
    await phone.locator('.timeline-events summary').click();
    await expect(phone.locator('.timeline-event').first()).toBeVisible();
    const small = await phone.evaluate(() =>
      [...document.querySelectorAll('button, select, input, summary, a[href], label, [role="option"]')]
        // A radio or checkbox inside its label is hit through the label, which is measured.
        .filter((element) => !(element.matches('[type="radio"], [type="checkbox"]') && element.closest('label') !== null))
        .map((element) => ({ element, box: element.getBoundingClientRect() }))
        .filter(({ box }) => box.width > 0 && box.height > 0 && box.height < 43.5)
        .map(({ element, box }) => `${element.tagName.toLowerCase()}.${[...element.classList].join('.')} ${Math.round(box.height)} px`),
    );
    expect(small, lang).toEqual([]);
    await phone.context().close();
  }
});

test('switching language rewrites <html lang dir>, and the choice is remembered', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('./');
  await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
  await run(page, 'en', 'SET kept 1');
  await page.getByRole('button', { name: 'العربية' }).click();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
  await expect(page).toHaveTitle('مختبر Redis للحفاظ على البيانات');
  await expect(page.getByRole('heading', { level: 2, name: 'الطرفية redis-cli' })).toBeVisible();
  // The lab itself is untouched by a language change.
  await expect(page.locator('.key-row[data-key="kept"]')).toBeVisible();
  await expect(page.getByRole('button', { name: 'العربية' })).toHaveAttribute('aria-pressed', 'true');

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
  await expect(page).toHaveTitle('Redis Persistence Lab');
});

test('the whole screen works from the keyboard', async ({ browser }) => {
  const page = await openLab(browser, 'en');
  // The skip link comes first and lands in the command line.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to the console' })).toBeFocused();
  await page.keyboard.press('Enter');
  const input = page.getByRole('textbox', { name: 'Command' });
  await expect(input).toBeFocused();
  await page.keyboard.type('INCR visits');
  await page.keyboard.press('Enter');
  await expect(lastEntry(page)).toHaveText('127.0.0.1:6379> INCR visits(integer) 1');
  // Tab onward to a quick action and use it with Space, then run it with Enter.
  const sadd = page.getByRole('button', { name: /^SADD/ });
  for (let i = 0; i < 12 && !(await sadd.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(sadd).toBeFocused();
  await page.keyboard.press('Space');
  await expect(input).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(lastEntry(page)).toHaveText('127.0.0.1:6379> SADD tags redis rdb aof(integer) 3');
  // Pause the clock from the keyboard.
  const pause = page.getByRole('button', { name: 'Pause time' });
  await pause.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Resume time' })).toBeFocused();
});
