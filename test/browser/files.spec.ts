import { readdirSync, readFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import { expect, expectNoAxeViolations, openLab, run, test } from './support.ts';

/**
 * Files between the student's computer and the lab, in a real browser, in English and Arabic: a
 * real Redis dump.rdb opened with the file picker and shown in the inspector; put on the lab's disk
 * and the node restarted from it; dump.rdb downloaded byte for byte; a directive changed in the
 * redis.conf panel; a .zip of an appendonlydir dropped on the inspector; axe scans of these panels;
 * screenshots (laptop and 360 px) to look at.
 */

const SCREENSHOTS = 'test-results/screenshots';
const FIXTURES = 'test/fixtures/real-redis-7.0';

const TEXT = {
  en: {
    command: 'Command',
    pause: 'Pause time',
    opened: 'From your computer',
    put: 'Put it on the lab’s disk and restart',
    done: 'Done: redis-server restarted from the files you put on its disk.',
    download: 'Download dump.rdb',
    running: 'appendfsync, running value',
    changed: 'Changed with CONFIG SET',
    inspector: 'File inspector',
    config: 'redis.conf',
    disk: 'Disk',
    drop: 'Drop RDB or AOF files here',
    manifest: 'AOF manifest',
  },
  ar: {
    command: 'الأمر',
    pause: 'أوقف الوقت',
    opened: 'من جهازك',
    put: 'ضعه على قرص المختبر وأعد التشغيل',
    done: 'تمّ: أُعيد تشغيل redis-server من الملفات التي وضعتها على قرصه.',
    download: 'تنزيل dump.rdb',
    running: 'appendfsync، القيمة الحالية',
    changed: 'غُيّرت بالأمر CONFIG SET',
    inspector: 'فاحص الملفات',
    config: 'ملف الإعدادات redis.conf',
    disk: 'القرص',
    drop: 'أفلت ملفات RDB أو AOF هنا',
    manifest: 'ملف الفهرس (manifest)',
  },
} as const;


for (const lang of ['en', 'ar'] as const) {
  test.describe(`in ${lang === 'en' ? 'English' : 'Arabic'}`, () => {
    test('open a real dump.rdb, put it on the disk and restart, download it, change a directive', async ({ browser }) => {
      const page = await openLab(browser, lang, { context: { viewport: { width: 1366, height: 900 }, acceptDownloads: true }, paused: true });
      const inspector = page.getByRole('region', { name: TEXT[lang].inspector });

      // Open with the file picker: shown in the inspector, nothing sent to the node.
      await inspector.getByTestId('open-file-input').setInputFiles(`${FIXTURES}/rdb-types.rdb`);
      const opened = inspector.getByRole('group', { name: TEXT[lang].opened });
      await expect(opened.locator('.file-summary')).toContainText(/RDB|10/);
      await expect(opened.getByRole('listbox')).toBeVisible();
      await expect(page.locator('.transcript > li')).toHaveCount(0);
      await opened.scrollIntoViewIfNeeded();
      await inspector.screenshot({ path: `${SCREENSHOTS}/files-opened-${lang}.png` });

      // Put it on the lab's disk and restart: the lines run in the console, the node holds its keys.
      await opened.getByRole('button', { name: TEXT[lang].put }).click();
      await expect(opened.getByRole('status')).toHaveText(TEXT[lang].done);
      await expect(page.locator('.transcript .typed').last()).toHaveText('SIM RESTART');
      // rdb-types.rdb holds 10 keys in db 0 (and one in db 2).
      await run(page, lang, 'DBSIZE');
      await expect(page.locator('.transcript > li').last()).toContainText('(integer) 10');

      // Download dump.rdb from the disk panel: the very bytes put there.
      const disk = page.getByRole('region', { name: TEXT[lang].disk });
      const [download] = await Promise.all([page.waitForEvent('download'), disk.getByRole('button', { name: TEXT[lang].download }).click()]);
      expect(download.suggestedFilename()).toBe('dump.rdb');
      expect(new Uint8Array(readFileSync(await download.path()))).toEqual(new Uint8Array(readFileSync(`${FIXTURES}/rdb-types.rdb`)));
      await disk.scrollIntoViewIfNeeded();
      await disk.screenshot({ path: `${SCREENSHOTS}/files-disk-${lang}.png`, animations: 'disabled' });

      // The redis.conf panel: CONFIG SET from the running value; the row says it now differs.
      const config = page.getByRole('region', { name: TEXT[lang].config });
      await config.getByRole('combobox', { name: TEXT[lang].running }).selectOption('always');
      await expect(page.locator('.transcript .typed').last()).toHaveText('CONFIG SET appendfsync always');
      const row = config.locator('[data-directive="appendfsync"]');
      await expect(row).toHaveClass(/is-changed/);
      await expect(row).toContainText(TEXT[lang].changed);
      await config.scrollIntoViewIfNeeded();
      await config.screenshot({ path: `${SCREENSHOTS}/files-config-${lang}.png` });

      await expectNoAxeViolations(page, ['[data-panel="inspector"]', '[data-panel="config"]', '.disk-panel']);
      await page.context().close();
    });

    test('a .zip of an appendonlydir dropped on the inspector; the panels at 360 px', async ({ browser }) => {
      const page = await openLab(browser, lang, { context: { viewport: { width: 360, height: 900 }, acceptDownloads: true }, paused: true });
      const inspector = page.getByRole('region', { name: TEXT[lang].inspector });
      const dir = `${FIXTURES}/aof-multipart/appendonlydir`;
      const zip = [...zipSync(Object.fromEntries(readdirSync(dir).map((name) => [`appendonlydir/${name}`, new Uint8Array(readFileSync(`${dir}/${name}`))])))];
      const transfer = await page.evaluateHandle((bytes) => {
        const data = new DataTransfer();
        data.items.add(new File([new Uint8Array(bytes)], 'appendonlydir.zip', { type: 'application/zip' }));
        return data;
      }, zip);
      await inspector.dispatchEvent('dragenter', { dataTransfer: transfer });
      await expect(inspector.locator('.drop-overlay')).toHaveText(TEXT[lang].drop);
      await inspector.dispatchEvent('drop', { dataTransfer: transfer });
      const opened = inspector.getByRole('group', { name: TEXT[lang].opened });
      await opened.getByRole('button', { name: 'appendonly.aof.manifest' }).click();
      await expect(opened).toContainText(TEXT[lang].manifest);
      await expect(opened.getByRole('list', { name: /appendonly\.aof\.manifest/ }).getByRole('listitem')).toHaveCount(2);
      await opened.scrollIntoViewIfNeeded();
      await inspector.screenshot({ path: `${SCREENSHOTS}/files-dropped-360-${lang}.png` });

      const config = page.getByRole('region', { name: TEXT[lang].config });
      await config.scrollIntoViewIfNeeded();
      await config.screenshot({ path: `${SCREENSHOTS}/files-config-360-${lang}.png` });
      // Nothing wider than the screen.
      const wider = await page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        return Array.from(document.querySelectorAll('[data-panel="inspector"] *, [data-panel="config"] *'))
          .filter((element) => {
            const box = element.getBoundingClientRect();
            return box.width > 0 && (box.right > width + 1 || box.left < -1);
          })
          .map((element) => `${element.tagName.toLowerCase()}.${element.className}`)
          .slice(0, 5);
      });
      expect(wider).toEqual([]);
      await expectNoAxeViolations(page, ['[data-panel="inspector"]', '[data-panel="config"]']);
      await page.context().close();
    });

    for (const width of [1366, 390]) {
      test(`the lab's own manifest and incr file in the inspector, the incr file growing as writes arrive (${width} px)`, async ({ browser }) => {
        const page = await openLab(browser, lang, { context: { viewport: { width, height: 900 } } });
        const inspector = page.getByRole('region', { name: TEXT[lang].inspector });
        const picker = inspector.getByRole('combobox');
        const incr = 'appendonlydir/appendonly.aof.1.incr.aof';
        await run(page, lang, 'CONFIG SET appendonly yes');
        await expect(picker.locator('option', { hasText: incr })).toHaveCount(1);
        await run(page, lang, 'SET greeting hello');

        await picker.selectOption('appendonlydir/appendonly.aof.manifest');
        await expect(inspector.locator('.manifest-files li')).toHaveCount(2);
        await expect(inspector.locator('.manifest-text')).toHaveText(/type b\s+file appendonly\.aof\.1\.incr\.aof seq 1 type i/);
        await inspector.scrollIntoViewIfNeeded();
        await inspector.screenshot({ path: `${SCREENSHOTS}/inspector-manifest-${width}-${lang}.png` });

        await picker.selectOption(incr);
        const commands = inspector.getByRole('list', { name: new RegExp(incr.replace(/\./g, '\\.')) }).locator('code');
        await expect(commands).toHaveText(['SELECT 0', 'SET greeting hello']);
        await run(page, lang, 'INCR visits');
        await expect(commands).toHaveText(['SELECT 0', 'SET greeting hello', 'INCR visits']);
        await inspector.screenshot({ path: `${SCREENSHOTS}/inspector-incr-${width}-${lang}.png` });
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
        await expectNoAxeViolations(page, ['[data-panel="inspector"]']);
        await page.context().close();
      });
    }
  });
}
