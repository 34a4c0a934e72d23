import { defineConfig } from '@playwright/test';

/**
 * Browser tests: the built lab served by `vite preview`, driven in Debian's Chromium (never a
 * downloaded browser). Screenshots go to test-results/screenshots/, outside Playwright's own
 * output folder, which it empties at each run.
 */
// LAB_PREVIEW_PORT lets two runs share a machine.
const PORT = Number(process.env.LAB_PREVIEW_PORT ?? 4173);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'test/browser',
  outputDir: 'test-results/playwright',
  // Axe scans of the full lab take tens of seconds on a busy 2-core machine.
  timeout: 180_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    browserName: 'chromium',
    viewport: { width: 1366, height: 900 },
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  webServer: {
    // `vite build` alone (no tsc): the type check is its own step of `npm test`.
    command: `npx vite build --logLevel warn && npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 180_000,
  },
});
