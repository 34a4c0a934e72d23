import type { Browser, BrowserContextOptions, Page } from '@playwright/test';
import LZString from 'lz-string';
import { readFile } from 'node:fs/promises';
import { expect, expectNoAxeViolations, run, test, type Lang } from './support.ts';

/**
 * Sharing in a real browser, in English and in Arabic: a permalink reproduces the same screen;
 * hostile link state shows a translated notice and nothing else; the Share, Embed and Display
 * dialogs work from the keyboard; a lab saved to a file opens again; themes, reduced motion and
 * Arabic-Indic digits; axe scans in every theme; screenshots to look at.
 */

const SCREENSHOTS = 'test-results/screenshots';

const TEXT = {
  en: {
    command: 'Command',
    share: 'Share',
    embed: 'Embed',
    display: 'Display',
    link: 'Link to this moment',
    copy: 'Copy link',
    copied: 'Copied. Paste the link anywhere.',
    copyFailed: /did not let the lab copy/,
    close: 'Close',
    notice: 'The lab state in this link could not be used, so the lab started fresh.',
    save: 'Save the lab as a file',
    open: 'Open a saved lab…',
    dark: 'Dark',
    projector: 'Projector: high contrast, larger text',
    motion: 'Reduce motion',
    pause: 'Pause time',
  },
  ar: {
    command: 'الأمر',
    share: 'مشاركة',
    embed: 'تضمين',
    display: 'العرض',
    link: 'رابط هذه اللحظة',
    copy: 'انسخ الرابط',
    copied: 'نُسخ الرابط. الصقه حيث شئت.',
    copyFailed: /لم يسمح المتصفح للمختبر بالنسخ/,
    close: 'إغلاق',
    notice: 'تعذّر استخدام حالة المختبر التي في هذا الرابط، فبدأ المختبر من جديد.',
    save: 'احفظ المختبر في ملف',
    open: 'افتح مختبرًا محفوظًا…',
    dark: 'داكنة',
    projector: 'جهاز العرض: تباين عالٍ ونص أكبر',
    motion: 'تقليل الحركة',
    pause: 'أوقف الوقت',
  },
} as const;


async function open(browser: Browser, path: string, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await page.goto(path);
  return page;
}

const keyNames = (page: Page) => page.locator('[data-panel="keyspace"] .key-name').allTextContents();
const scrubber = (page: Page) => page.locator('.timeline-scrubber');

async function permalinkOf(page: Page, lang: Lang): Promise<string> {
  await page.getByRole('button', { name: TEXT[lang].share, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: lang === 'en' ? 'Share this moment' : 'شارك هذه اللحظة' });
  await expect(dialog).toBeVisible();
  const link = await dialog.getByRole('textbox', { name: TEXT[lang].link }).inputValue();
  await dialog.getByRole('button', { name: TEXT[lang].close }).click();
  await expect(dialog).toBeHidden();
  return link;
}

for (const lang of ['en', 'ar'] as const) {
  test.describe(`${lang === 'en' ? 'English' : 'Arabic'}`, () => {
    test('a permalink reproduces the same screen: keyspace, position, clock, language', async ({ browser }) => {
      const page = await open(browser, `./?lang=${lang}`);
      await page.getByRole('button', { name: TEXT[lang].pause }).click();
      await run(page, lang, 'SET greeting "Hello, Redis"');
      await run(page, lang, 'RPUSH queue job:1 job:2');
      await run(page, lang, 'SIM ADVANCE 5000');
      await run(page, lang, 'HSET user:1 name Ada');
      await run(page, lang, 'SET city "القاهرة"');
      // Step back one line: the shared moment is in the past, with a future after it.
      await page.locator('[data-panel="timeline"] .timeline-transport button').first().click();
      await expect.poll(() => keyNames(page)).not.toContain('city');
      const position = await scrubber(page).inputValue();
      const length = await scrubber(page).getAttribute('max');
      const clock = await page.locator('.clock-time').textContent();
      const keys = (await keyNames(page)).sort();

      const link = await permalinkOf(page, lang);
      expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?v=1&s=[A-Za-z0-9+\-$]+$/);
      // Opened elsewhere, by someone whose browser speaks the other language.
      const other = await open(browser, link, { locale: lang === 'en' ? 'ar' : 'en-US' });
      await expect(other.locator('html')).toHaveAttribute('lang', lang);
      await expect.poll(async () => (await keyNames(other)).sort()).toEqual(keys);
      await expect(scrubber(other)).toHaveValue(position);
      await expect(scrubber(other)).toHaveAttribute('max', length as string);
      await expect(other.locator('.clock-time')).toHaveText(clock as string);
      // The address bar is left as it was opened: the lab never rewrites it as it changes.
      await run(other, lang, 'SET later 1');
      expect(other.url()).toBe(link);
    });

    test('hostile link state: a translated notice, a fresh lab, nothing injected', async ({ browser }) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      const hostile = [
        `?lang=${lang}&v=1&s=%3Cscript%3Ealert(1)%3C%2Fscript%3E`,
        `?lang=${lang}&v=1&s=${LZString.compressToEncodedURIComponent('{"format":"redis-persistence-lab","version":1,"position":0,"lesson":{"id":"<img src=x onerror=alert(1)>","step":0}}')}`,
        `?lang=${lang}&v=1&s=${LZString.compressToEncodedURIComponent('{"format":"redis-persistence-lab","version":1,"position":99}\nSET a 1')}`,
        `?lang=${lang}&v=1&s=${LZString.compressToEncodedURIComponent('{"format":"redis-persistence-lab","version":1,"position":0}\n+100*99999')}`,
        `?lang=${lang}&v=7&s=N4Ig`,
      ];
      for (const query of hostile) {
        await page.goto(`./${query}`);
        const notice = page.getByTestId('url-state-notice');
        await expect(notice).toBeVisible();
        await expect(notice).toContainText(TEXT[lang].notice);
        await expect(page.locator('img[src="x"], script:not([src])')).toHaveCount(0);
        await expect(page.locator('[data-panel="keyspace"] .key-name')).toHaveCount(0);
      }
      // The lab works as usual; the notice can be dismissed.
      await run(page, lang, 'SET works yes');
      await expect.poll(() => keyNames(page)).toEqual(['works']);
      await page.getByTestId('url-state-notice').getByRole('button').click();
      await expect(page.getByTestId('url-state-notice')).toHaveCount(0);
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
    });

    test('markup inside a shared line is shown as text, never run', async ({ browser }) => {
      const page = await open(browser, `./?lang=${lang}`);
      page.on('dialog', () => {
        throw new Error('a dialog opened');
      });
      const state = `{"format":"redis-persistence-lab","version":1,"position":1}\nSET html "<img src=x onerror=alert(1)>"`;
      await page.goto(`./?lang=${lang}&v=1&s=${LZString.compressToEncodedURIComponent(state)}`);
      await expect(page.locator('.transcript')).toContainText('<img src=x onerror=alert(1)>');
      await expect(page.locator('img[src="x"]')).toHaveCount(0);
    });

    test('the Share, Embed and Display dialogs from the keyboard: open, move, close, focus back', async ({ browser }) => {
      // Many key presses, each checked: slow on a busy machine.
      test.setTimeout(360_000);
      const page = await open(browser, `./?lang=${lang}`);
      for (const name of [TEXT[lang].share, TEXT[lang].embed, TEXT[lang].display]) {
        const opener = page.getByRole('button', { name, exact: true });
        // Reached by Tab from the page's start, like every control in the title bar.
        await page.locator('body').focus();
        let reached = false;
        for (let i = 0; i < 15 && !reached; i++) {
          await page.keyboard.press('Tab');
          reached = await opener.evaluate((element) => element === document.activeElement);
        }
        expect(reached, `${name} reachable by Tab`).toBe(true);
        await page.keyboard.press('Enter');
        const dialog = page.getByRole('dialog');
        await expect(dialog).toBeVisible();
        // Focus is inside, and Tab stays inside (a modal dialog: past its last control, focus
        // may rest on the browser's own UI, never on the page behind).
        expect(await dialog.evaluate((element) => element.contains(document.activeElement))).toBe(true);
        for (let i = 0; i < 18; i++) {
          await page.keyboard.press('Tab');
          // Where focus is, and whether it shows: its own outline, or (a visually hidden file input) its label's.
          const where = await dialog.evaluate((element) => {
            const active = document.activeElement as HTMLElement | null;
            if (active === null || active === document.body) return 'browser';
            if (!element.contains(active)) return 'page';
            const shown = (node: Element | null) => node !== null && getComputedStyle(node).outlineStyle !== 'none';
            return shown(active) || shown(active.nextElementSibling) ? 'dialog' : `no visible focus: ${active.outerHTML.slice(0, 80)}`;
          });
          expect(['dialog', 'browser']).toContain(where);
        }
        await page.keyboard.press('Escape');
        await expect(dialog).toHaveCount(0);
        await expect(opener).toBeFocused();
      }
    });

    test('copying the link: the clipboard, or the text selected to copy by hand', async ({ browser }) => {
      const page = await open(browser, `./?lang=${lang}`, { permissions: ['clipboard-read', 'clipboard-write'] });
      await run(page, lang, 'SET copied 1');
      await page.getByRole('button', { name: TEXT[lang].share, exact: true }).click();
      const dialog = page.getByRole('dialog');
      const link = await dialog.getByRole('textbox', { name: TEXT[lang].link }).inputValue();
      await dialog.getByRole('button', { name: TEXT[lang].copy }).click();
      await expect(dialog.getByRole('status')).toHaveText(TEXT[lang].copied);
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);

      // A browser without the Clipboard API: the link is selected, with a word on how to copy it.
      const bare = await browser.newContext();
      await bare.addInitScript(() => Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined }));
      const page2 = await bare.newPage();
      await page2.goto(`./?lang=${lang}`);
      await page2.getByRole('button', { name: TEXT[lang].share, exact: true }).click();
      const dialog2 = page2.getByRole('dialog');
      await dialog2.getByRole('button', { name: TEXT[lang].copy }).click();
      await expect(dialog2.getByRole('status')).toHaveText(TEXT[lang].copyFailed);
      const field = dialog2.getByRole('textbox', { name: TEXT[lang].link });
      await expect(field).toBeFocused();
      const selected = await field.evaluate((element: HTMLTextAreaElement) => element.value.slice(element.selectionStart, element.selectionEnd));
      expect(selected).toBe(await field.inputValue());
    });

    test('a lab saved to a file opens again, the same; a broken file is refused with the reason', async ({ browser }) => {
      const page = await open(browser, `./?lang=${lang}`);
      await page.getByRole('button', { name: TEXT[lang].pause }).click();
      await run(page, lang, 'SET saved yes');
      await run(page, lang, 'RPUSH list a b c');
      await page.getByRole('button', { name: TEXT[lang].share, exact: true }).click();
      const downloading = page.waitForEvent('download');
      await page.getByRole('button', { name: TEXT[lang].save }).click();
      const download = await downloading;
      expect(download.suggestedFilename()).toBe('redis-lab.json');
      const text = await readFile(await download.path(), 'utf8');
      const saved = JSON.parse(text) as { format: string; version: number; tape: string[]; lang: string };
      expect(saved).toMatchObject({ format: 'redis-persistence-lab', version: 1, lang });
      expect(saved.tape).toContain('SET saved yes');

      const other = await open(browser, './?lang=en');
      await other.getByRole('button', { name: 'Share', exact: true }).click();
      await other.getByLabel('Open a saved lab…').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"redis-persistence-lab","version":1,"position":5,"tape":[]}') });
      await expect(other.getByRole('dialog').getByRole('alert')).toContainText('broken.json could not be opened.');
      await other.getByLabel('Open a saved lab…').setInputFiles({ name: 'lab.json', mimeType: 'application/json', buffer: Buffer.from(text) });
      await expect(other.getByRole('dialog')).toHaveCount(0);
      await expect(other.locator('html')).toHaveAttribute('lang', lang);
      await expect.poll(async () => (await keyNames(other)).sort()).toEqual(['list', 'saved']);
    });
  });
}

test('a permalink with a lesson open reopens it at its step, with the student’s own lines after it', async ({ browser }) => {
  const page = await open(browser, './?lang=en');
  await page.locator('.lesson-menu-button').click();
  await page.locator('.lesson-menu-popover .lesson-item').first().click();
  const panel = page.locator('.lesson-panel');
  await expect(panel).toBeVisible();
  await panel.locator('[data-lesson-nav="next"]').click();
  await expect(panel.locator('.lesson-step-count')).toHaveText(/^Step 2 of \d+$/);
  const title = await panel.locator('h2').first().textContent();
  await run(page, 'en', 'SET mine yes');
  const link = await permalinkOf(page, 'en');

  const other = await open(browser, link);
  const reopened = other.locator('.lesson-panel');
  await expect(reopened.locator('h2').first()).toHaveText(title as string);
  await expect(reopened.locator('.lesson-step-count')).toHaveText(/^Step 2 of \d+$/);
  await expect.poll(() => keyNames(other)).toContain('mine');
});

test('display settings: theme, reduced motion and Arabic-Indic digits apply at once and are remembered', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('./?lang=ar');
  await run(page, 'ar', 'SET n 12345');
  await page.getByRole('button', { name: TEXT.ar.display, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('radio', { name: TEXT.ar.dark }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await dialog.getByRole('switch', { name: TEXT.ar.motion }).click();
  await expect(page.locator('html')).toHaveAttribute('data-motion', 'reduced');
  // CSS animations stop: the running clock's dot no longer breathes.
  const duration = await page.locator('.clock-dot').evaluate((element) => getComputedStyle(element).animationDuration);
  expect(Number.parseFloat(duration)).toBeLessThan(0.001);
  await dialog.getByRole('radio', { name: 'أرقام هندية (٠١٢٣)' }).check();
  await expect(page.locator('.clock-time')).toHaveText(/^[٠-٩]{2}:[٠-٩]{2}:[٠-٩]{2}/);
  // Redis's own replies keep Western digits.
  await expect(page.locator('.transcript .reply').last()).toHaveText('OK');
  await page.keyboard.press('Escape');

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.locator('html')).toHaveAttribute('data-motion', 'reduced');
  await expect(page.locator('.clock-time')).toHaveText(/^[٠-٩]{2}:/);

  // A permalink carries the settings for its visit.
  const link = await permalinkOf(page, 'ar');
  const fresh = await open(browser, link);
  await expect(fresh.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(fresh.locator('.clock-time')).toHaveText(/^[٠-٩]{2}:/);
});

/** A lab with a bit of everything on screen, in a theme, for axe and the screenshots. */
async function busyLab(browser: Browser, lang: Lang, theme: 'light' | 'dark' | 'projector', viewport = { width: 1366, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport, reducedMotion: 'reduce' });
  await context.addInitScript((chosen) => localStorage.setItem('redis-lab.display', JSON.stringify({ theme: chosen, reducedMotion: false, digits: 'western' })), theme);
  const page = await context.newPage();
  await page.goto(`./?lang=${lang}`);
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
  await page.getByRole('button', { name: TEXT[lang].pause }).click();
  for (const line of ['SET greeting "Hello, Redis"', 'RPUSH queue job:1 job:2', 'HSET user:1 name Ada', 'SADD tags redis rdb aof', 'ZADD board 90 ada', 'EXPIRE greeting 30', 'INCR queue', 'CONFIG SET appendonly yes', 'BGSAVE', 'SIM ADVANCE 2000', 'SIM CRASH PROCESS']) {
    await run(page, lang, line);
  }
  return page;
}

// Light and dark in both languages; the projector theme (the same layout, bigger and starker) in
// Arabic, the language whose layout has more to get wrong.
for (const lang of ['en', 'ar'] as const) {
  for (const theme of lang === 'ar' ? (['light', 'dark', 'projector'] as const) : (['light', 'dark'] as const)) {
    test(`axe: no violations, ${lang}, ${theme} theme, and in the Share, Embed and Display dialogs`, async ({ browser }) => {
      const page = await busyLab(browser, lang, theme);
      // A panel's flash (a file just written fades from yellow) is a moment, not the screen: let it end.
      await page.waitForTimeout(1500);
      await expectNoAxeViolations(page);
      await page.screenshot({ path: `${SCREENSHOTS}/theme-${theme}-${lang}.png`, fullPage: true });
      for (const [name, file] of [[TEXT[lang].share, 'share'], [TEXT[lang].embed, 'embed'], [TEXT[lang].display, 'display']] as const) {
        await page.getByRole('button', { name, exact: true }).click();
        await expect(page.getByRole('dialog')).toBeVisible();
        // The page behind a modal dialog is inert and was scanned above: the dialog alone now.
        await expectNoAxeViolations(page, ['dialog[open]']);
        await page.screenshot({ path: `${SCREENSHOTS}/dialog-${file}-${theme}-${lang}.png` });
        await page.keyboard.press('Escape');
        await expect(page.getByRole('dialog')).toHaveCount(0);
      }
    });
  }
}
