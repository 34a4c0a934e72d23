import { defineConfig } from '@playwright/test';

/**
 * Browser tests: the built lab served by `vite preview`, driven in Debian's Chromium (never a
 * downloaded browser). Screenshots go to test-results/screenshots/, outside Playwright's own
 * output folder, which it empties at each run.
 */
// LAB_PREVIEW_PORT lets two runs share a machine.
const PORT = Number(process.env.LAB_PREVIEW_PORT ?? 4173);
const OUT_DIR = PORT === 4173 ? 'dist' : `dist-${PORT}`;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'test/browser',
  outputDir: 'test-results/playwright',
  // Axe scans of the full lab take tens of seconds on a busy 2-core machine.
  timeout: 180_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  // Two browsers at once on a 2-core machine: the suite takes half as long, and each test still has room.
  workers: 2,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    browserName: 'chromium',
    // The offline spec allows the service worker; elsewhere it would only precache the whole build
    // in each new context (about 15% of the suite's time spent on nothing the test looks at).
    serviceWorkers: 'block',
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
    // Each port builds into its own folder, so runs sharing a machine never serve each other's build.
    command: `npx vite build --logLevel warn --outDir ${OUT_DIR} && npx vite preview --outDir ${OUT_DIR} --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 180_000,
  },
});
