import type { Page } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { expect, test } from './support.ts';

// The other specs block service workers (playwright.config.ts); these tests are about one.
test.use({ serviceWorkers: 'allow' });

/**
 * Hosting: the lab once loaded works with the network gone (its service worker answers from the
 * precache, a permalink's address included); no request of a whole session leaves the page's
 * origin; the same build runs from a sub-path of another host; and a new release reaches a
 * student who has the old one cached, without ever reloading a lab they have open.
 */

const PORT = Number(process.env.LAB_PREVIEW_PORT ?? 4173);
const ORIGIN = `http://127.0.0.1:${PORT}`;
// The build the preview server serves (playwright.config.ts builds one folder per port).
const DIST = PORT === 4173 ? 'dist' : `dist-${PORT}`;

async function run(page: Page, line: string, label = 'Command'): Promise<void> {
  const input = page.getByRole('textbox', { name: label });
  await input.fill(line);
  await input.press('Enter');
  await expect(input).toHaveValue('');
}

const keyNames = (page: Page) => page.locator('[data-panel="keyspace"] .key-name').allTextContents();

/** Waits until the page's service worker is active, its precache filled. */
async function serviceWorkerActive(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return registration.scope;
  });
}

test('once loaded, the lab works offline: reload, a permalink, Arabic and its fonts', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('./?lang=ar');
  expect(await serviceWorkerActive(page)).toBe(`${ORIGIN}/`);
  await run(page, 'SET before 1', 'الأمر');
  // Take a permalink while online, to open it offline.
  await page.getByRole('button', { name: 'مشاركة', exact: true }).click();
  const link = await page.getByRole('textbox', { name: 'رابط هذه اللحظة' }).inputValue();
  await page.keyboard.press('Escape');

  await context.setOffline(true);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await run(page, 'SET offline yes', 'الأمر');
  // The reload kept the tab's session (src/embed/session-keep.ts): the key set before it is back.
  await expect.poll(() => keyNames(page)).toEqual(['before', 'offline']);
  // The self-hosted Arabic face came from the cache too.
  expect(await page.evaluate(async () => (await document.fonts.load('16px "IBM Plex Sans Arabic"', 'مختبر')).length)).toBeGreaterThan(0);

  await page.goto(link);
  await expect.poll(() => keyNames(page)).toEqual(['before']);
  await context.setOffline(false);
});

test('no request of a whole session leaves the page’s origin', async ({ browser }) => {
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const foreign: string[] = [];
  context.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    if (new URL(url).origin !== ORIGIN) foreign.push(url);
  });
  const page = await context.newPage();
  await page.goto('./');
  await serviceWorkerActive(page);
  for (const line of ['SET greeting hello', 'CONFIG SET appendonly yes', 'RPUSH queue a b c', 'BGSAVE', 'SIM ADVANCE 2000', 'BGREWRITEAOF', 'SIM ADVANCE 2000', 'SIM CRASH POWER', 'SIM RESTART']) {
    await run(page, line);
  }
  await page.getByRole('button', { name: 'العربية' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
  for (const name of ['مشاركة', 'تضمين', 'العرض']) {
    await page.getByRole('button', { name, exact: true }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    if (name === 'العرض') {
      await page.getByRole('radio', { name: 'داكنة' }).check();
      await page.getByRole('radio', { name: 'أرقام هندية (٠١٢٣)' }).check();
    }
    if (name === 'مشاركة') await page.getByRole('button', { name: 'انسخ الرابط' }).click();
    await page.keyboard.press('Escape');
  }
  await page.getByRole('button', { name: 'English' }).click();
  await page.reload();
  await run(page, 'DEBUG POPULATE 1000');
  expect(foreign).toEqual([]);
});

/** Serves a folder under a path prefix, as a static host would serve a project site. */
function staticHost(root: string, prefix: string): Promise<{ server: Server; origin: string }> {
  const types: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.svg': 'image/svg+xml',
    '.woff2': 'font/woff2',
    '.woff': 'font/woff',
    '.json': 'application/json',
    '.webmanifest': 'application/manifest+json',
  };
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://host').pathname;
    if (!path.startsWith(prefix)) {
      response.writeHead(404).end();
      return;
    }
    const relative = normalize(path.slice(prefix.length) || 'index.html').replace(/^(\.\.[/\\])+/, '');
    const file = join(root, relative.endsWith('/') || relative === '.' ? 'index.html' : relative);
    readFile(file).then(
      (body) => response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

test('the same build runs from a sub-path of another host, service worker and links included', async ({ browser }) => {
  const { server, origin } = await staticHost(DIST, '/courses/redis/lab/');
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${origin}/courses/redis/lab/`);
    await run(page, 'SET hosted yes');
    await expect.poll(() => keyNames(page)).toEqual(['hosted']);
    expect(await serviceWorkerActive(page)).toBe(`${origin}/courses/redis/lab/`);
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    const link = await page.getByRole('textbox', { name: 'Link to this moment' }).inputValue();
    expect(link.startsWith(`${origin}/courses/redis/lab/?v=1&s=`)).toBe(true);
    await context.setOffline(true);
    await page.goto(link);
    await expect.poll(() => keyNames(page)).toEqual(['hosted']);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('a new release is picked up on a later visit, never in the middle of one', async ({ browser }) => {
  // A copy of the build, so this test can "deploy" a new release over it.
  const site = await mkdtemp(join(tmpdir(), 'lab-release-'));
  await cp(DIST, site, { recursive: true });
  const { server, origin } = await staticHost(site, '/lab/');
  const release = (page: Page) => page.locator('meta[name="lab-release"]').getAttribute('content', { timeout: 1000 }).catch(() => null);
  try {
    const context = await browser.newContext();
    const first = await context.newPage();
    await first.goto(`${origin}/lab/`);
    await serviceWorkerActive(first);
    expect(await release(first)).toBeNull();
    await first.close();

    // The release: index.html changes, and the service worker's precache list says so.
    const index = await readFile(join(site, 'index.html'), 'utf8');
    await writeFile(join(site, 'index.html'), index.replace('<head>', '<head><meta name="lab-release" content="next">'));
    const worker = await readFile(join(site, 'sw.js'), 'utf8');
    expect(worker).toMatch(/url:"index\.html",revision:"[0-9a-f]+"/);
    await writeFile(join(site, 'sw.js'), worker.replace(/(url:"index\.html",revision:")[0-9a-f]+/, '$1next'));

    // The next visit is served at once from the cache, as it was; meanwhile the browser finds the
    // new worker, which installs and waits: the open lab is never swapped under the student.
    const second = await context.newPage();
    await second.goto(`${origin}/lab/`);
    await run(second, 'SET mine 1');
    await expect.poll(() => second.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      await registration?.update();
      return registration?.waiting !== null || registration.installing !== null;
    }), { timeout: 30_000 }).toBe(true);
    // Still the old release, and still the student's lab: no reload happened.
    expect(await release(second)).toBeNull();
    await expect.poll(() => keyNames(second)).toEqual(['mine']);
    await second.close();

    // Every tab of the lab closed: the visit after that opens the new release.
    await expect.poll(async () => {
      const page = await context.newPage();
      await page.goto(`${origin}/lab/`);
      const seen = await release(page);
      await page.close();
      return seen;
    }, { timeout: 30_000 }).toBe('next');
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(site, { recursive: true, force: true });
  }
});
