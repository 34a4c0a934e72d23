import type { Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { createServer, type Server } from 'node:http';
import { expect, test } from './support.ts';

/**
 * The lab inside another site's page: the chrome-less layout from 360 px wide with chosen panels
 * and locked controls, and the postMessage API driven from a page on another origin (a tiny
 * course page served here, on its own port), with Canvas's and H5P's resize messages.
 */

const SCREENSHOTS = 'test-results/screenshots';
const LAB_PORT = Number(process.env.LAB_PREVIEW_PORT ?? 4173);
const LAB = `http://127.0.0.1:${LAB_PORT}`;
// Two more origins for the course pages: LAB_PREVIEW_PORT + 1 and + 2.
const HOST = `http://127.0.0.1:${LAB_PORT + 1}`;
const STRANGER = `http://127.0.0.1:${LAB_PORT + 2}`;

/**
 * A course page: it embeds the lab (the address in its own `?lab=`), records every message it
 * receives, and answers H5P's resizer handshake as h5p-resizer.js does on a real site.
 */
const COURSE_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Course: Redis persistence</title></head>
<body>
<main>
  <h1>Week 3: how Redis keeps data</h1>
  <iframe id="lab" title="Redis Persistence Lab" style="width: 100%; border: 0" height="400"></iframe>
</main>
<script>
  window.received = [];
  const frame = document.getElementById('lab');
  window.addEventListener('message', (event) => {
    if (event.source !== frame.contentWindow) return;
    window.received.push({ origin: event.origin, data: event.data });
    const data = event.data;
    if (data && data.context === 'h5p') {
      const respond = (action) => event.source.postMessage({ context: 'h5p', action }, event.origin);
      if (data.action === 'hello') respond('hello');
      if (data.action === 'prepareResize') {
        frame.style.height = data.clientHeight + 'px';
        respond('resizePrepared');
      }
      if (data.action === 'resize') frame.style.height = data.scrollHeight + 'px';
    }
  });
  window.send = (message) => frame.contentWindow.postMessage(message, '*');
  frame.src = new URLSearchParams(location.search).get('lab');
</script>
</body>
</html>`;

type Received = { origin: string; data: Record<string, unknown> };

const received = (page: Page): Promise<Received[]> => page.evaluate(() => (window as unknown as { received: Received[] }).received);
const ours = async (page: Page) => (await received(page)).filter((m) => m.data?.protocol === 'redis-persistence-lab').map((m) => m.data);
const send = (page: Page, message: unknown) => page.evaluate((m) => (window as unknown as { send: (m: unknown) => void }).send(m), message);
const api = (fields: Record<string, unknown>) => ({ protocol: 'redis-persistence-lab', version: 1, ...fields });

async function coursePage(page: Page, host: string, labQuery: string): Promise<void> {
  await page.goto(`${host}/?lab=${encodeURIComponent(`${LAB}/?${labQuery}`)}`);
}

test.describe('the postMessage API, from a page on another origin', () => {
  // The course pages' ports are fixed: these tests share one worker and its servers.
  test.describe.configure({ mode: 'default' });
  let servers: Server[] = [];

  test.beforeAll(async () => {
    servers = await Promise.all(
      [LAB_PORT + 1, LAB_PORT + 2].map(
        (port) =>
          new Promise<Server>((resolve) => {
            const server = createServer((_request, response) => {
              response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
              response.end(COURSE_PAGE);
            });
            server.listen(port, '127.0.0.1', () => resolve(server));
          }),
      ),
    );
  });

  test.afterAll(async () => {
    for (const server of servers) server.closeAllConnections();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  test('a course page on another origin drives the lab and hears from it', async ({ page }) => {
    await coursePage(page, HOST, `embed=1&panels=console,keyspace,timeline&origin=${encodeURIComponent(HOST)}`);
    const lab = page.frameLocator('#lab');

    // ready, with where the lab is.
    await expect.poll(async () => (await ours(page)).find((m) => m.type === 'ready')).toMatchObject({ type: 'ready', embedded: true, lang: 'en', position: 0 });
    expect((await received(page)).every((m) => m.origin === LAB)).toBe(true);

    // Run a line: the key appears in the frame, and the event comes out.
    await send(page, api({ type: 'run', line: 'SET greeting hello' }));
    await expect(lab.locator('[data-panel="keyspace"] .key-name')).toHaveText(['greeting']);
    await expect
      .poll(async () => (await ours(page)).find((m) => m.type === 'event' && (m.event as { type: string }).type === 'command.executed'))
      .toMatchObject({ event: { type: 'command.executed', argv: ['SET', 'greeting', 'hello'], ok: true } });

    // Pause, then seek back to the fresh node: the key is gone; get-state says where the lab is.
    await send(page, api({ type: 'pause' }));
    await send(page, api({ type: 'seek', position: 0 }));
    await expect(lab.locator('[data-panel="keyspace"] .key-name')).toHaveCount(0);
    await send(page, api({ type: 'get-state' }));
    await expect.poll(async () => (await ours(page)).filter((m) => m.type === 'state').at(-1)).toMatchObject({ position: 0, paused: true });

    // Load a scenario from the lab's library, then crash it: crash comes out.
    await send(page, api({ type: 'load', scenario: 'rdb' }));
    await expect(lab.locator('[data-panel="keyspace"] .key-name')).toHaveCount(5);
    await send(page, api({ type: 'run', line: 'SIM CRASH POWER' }));
    await expect.poll(async () => (await ours(page)).find((m) => m.type === 'crash')).toMatchObject({ kind: 'power' });
    await send(page, api({ type: 'run', line: 'SIM RESTART' }));
    // The scenario itself restarted the server once (a shutdown): the last report is the crash's.
    await expect.poll(async () => (await ours(page)).filter((m) => m.type === 'recovered').at(-1)).toMatchObject({ crash: 'power', loadedFrom: 'rdb' });

    // Set the language: the frame turns Arabic and says so.
    await send(page, api({ type: 'set-language', lang: 'ar' }));
    await expect(lab.locator('html')).toHaveAttribute('lang', 'ar');
    await expect(lab.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect.poll(async () => (await ours(page)).find((m) => m.type === 'language')).toMatchObject({ lang: 'ar' });

    // Messages of any other shape are ignored.
    await send(page, { type: 'run', line: 'SET stranger 1' });
    await send(page, api({ type: 'run', line: 'SET stranger 1', version: 2 }));
    await send(page, { ...api({ type: 'run', line: 'SET stranger 1' }), version: 2 });
    await send(page, api({ type: 'eval', code: 'alert(1)' }));
    await send(page, 'SET stranger 1');
    await send(page, api({ type: 'get-state' }));
    await expect.poll(async () => (await ours(page)).filter((m) => m.type === 'state').length).toBe(2);
    await expect(lab.locator('[data-panel="keyspace"] .key-name', { hasText: 'stranger' })).toHaveCount(0);

    // Sizes: the lab's resize and Canvas's lti.frameResize; H5P's handshake sized the iframe to the content.
    const all = await received(page);
    expect(all.some((m) => m.data?.type === 'resize' && typeof m.data.height === 'number')).toBe(true);
    expect(all.some((m) => m.data?.subject === 'lti.frameResize' && typeof m.data.height === 'number')).toBe(true);
    expect(all.some((m) => m.data?.context === 'h5p' && m.data.action === 'resize')).toBe(true);
    const contentHeight = await lab.locator('html').evaluate((html) => Math.ceil(html.getBoundingClientRect().height));
    await expect.poll(() => page.locator('#lab').evaluate((frame) => Math.round(frame.getBoundingClientRect().height))).toBe(contentHeight);
    await page.screenshot({ path: `${SCREENSHOTS}/embed-course-page.png`, fullPage: true });

    // The full lab opens in a new tab, at the moment the frame shows.
    const opening = page.context().waitForEvent('page');
    await lab.getByRole('link', { name: /افتح المختبر كاملًا/ }).click();
    const full = await opening;
    await expect(full.locator('.app-header')).toBeVisible();
    await expect(full.locator('[data-panel="keyspace"] .key-name')).toHaveCount(5);
    expect(new URL(full.url()).searchParams.get('embed')).toBeNull();
  });

  test('lessons through the API: the page opens one, and hears each step, answer and completion', async ({ page }) => {
    await coursePage(page, HOST, 'embed=1');
    const lab = page.frameLocator('#lab');
    await expect.poll(async () => (await ours(page)).some((m) => m.type === 'ready')).toBe(true);
    await send(page, api({ type: 'open-lesson', lessonId: 'why-persistence', step: 0 }));
    await expect(lab.locator('.lesson-panel')).toBeVisible();
    await expect.poll(async () => (await ours(page)).find((m) => m.type === 'lesson.step')).toMatchObject({ lessonId: 'why-persistence', step: 0 });
    const stepCount = ((await ours(page)).find((m) => m.type === 'lesson.step') as { stepCount: number }).stepCount;
    // The student walks through it, answering each question with its first choice.
    for (let step = 0; step < stepCount; step++) {
      const question = lab.locator('.lesson-question');
      if ((await question.count()) > 0) {
        await question.getByRole('radio').first().check();
        await question.getByRole('button').last().click();
        await expect.poll(async () => (await ours(page)).filter((m) => m.type === 'question.answered').length).toBeGreaterThan(0);
      }
      await lab.locator('[data-lesson-nav="next"]').click();
    }
    await expect.poll(async () => (await ours(page)).find((m) => m.type === 'lesson.completed')).toMatchObject({ lessonId: 'why-persistence' });
    const answered = (await ours(page)).filter((m) => m.type === 'question.answered');
    for (const answer of answered) expect(answer).toMatchObject({ lessonId: 'why-persistence', choice: 0, correct: expect.any(Boolean) });
    expect((await ours(page)).filter((m) => m.type === 'lesson.step').map((m) => m.step)).toEqual(Array.from({ length: stepCount }, (_, i) => i));
  });

  test('a pinned origin: a page on any other origin hears nothing and drives nothing', async ({ page }) => {
    await coursePage(page, STRANGER, `embed=1&origin=${encodeURIComponent(HOST)}`);
    const lab = page.frameLocator('#lab');
    await expect(lab.getByRole('textbox', { name: 'Command' })).toBeVisible();
    await send(page, api({ type: 'run', line: 'SET intruder 1' }));
    await send(page, api({ type: 'get-state' }));
    await page.waitForTimeout(1500);
    expect(await ours(page)).toEqual([]);
    expect((await received(page)).filter((m) => m.data?.subject === 'lti.frameResize' || m.data?.context === 'h5p')).toEqual([]);
    await expect(lab.locator('[data-panel="keyspace"] .key-name')).toHaveCount(0);
  });
});

for (const lang of ['en', 'ar'] as const) {
  test(`${lang}: the embed layout at 360 px, with chosen panels and locked controls`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, reducedMotion: 'reduce' });
    const page = await context.newPage();
    await page.goto(`./?embed=1&lang=${lang}&panels=console,keyspace,timeline&controls=timeline,language`);
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    // No title bar: a slim bar with the name, the language switch and a link to the full lab.
    await expect(page.locator('.app-header')).toHaveCount(0);
    await expect(page.locator('.embed-bar h1')).toBeVisible();
    await expect(page.getByRole('link', { name: lang === 'en' ? /Open the full lab/ : /افتح المختبر كاملًا/ })).toBeVisible();
    // Only the chosen panels.
    const shown = await page.locator('[data-panel]').evaluateAll((panels) => panels.filter((p) => getComputedStyle(p).display !== 'none').map((p) => p.getAttribute('data-panel')));
    expect(shown.sort()).toEqual(['console', 'keyspace', 'timeline']);
    // The console is locked (no command line, no buttons); the timeline's controls are not.
    expect(await page.locator('[data-panel="console"] :is(input, button)').evaluateAll((els) => els.filter((el) => getComputedStyle(el).display !== 'none').length)).toBe(0);
    await expect(page.locator('[data-panel="timeline"] .timeline-transport button').first()).toBeVisible();
    // Nothing sticks out sideways at 360 px.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: `${SCREENSHOTS}/embed-360-${lang}.png`, fullPage: true });

    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });
}

test('controls=none: a lab to watch, driven by the page around it', async ({ browser }) => {
  const page = await (await browser.newContext({ viewport: { width: 800, height: 800 } })).newPage();
  await page.goto('./?embed=1&controls=none&panels=console,keyspace,timeline,snapshot,lifecycle');
  await expect(page.locator('.embed-bar')).toBeVisible();
  await expect(page.getByRole('group', { name: 'Language' })).toHaveCount(0);
  const usable = () =>
    page
      .locator(':is([data-panel="console"], [data-panel="timeline"], [data-panel="snapshot"], [data-panel="lifecycle"]) :is(input, button, select, textarea)')
      .evaluateAll((els) => els.filter((el) => getComputedStyle(el).display !== 'none').map((el) => el.outerHTML.slice(0, 80)));
  expect(await usable()).toEqual([]);
  await page.screenshot({ path: `${SCREENSHOTS}/embed-watch-only.png`, fullPage: true });
});
