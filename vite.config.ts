import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * Offline: a service worker (Workbox, generated at build) precaches the whole build (scripts,
 * styles, the self-hosted fonts' woff2 files, icons), so once loaded the lab works with the
 * network gone, and every navigation (a permalink's `?v=1&s=…` included) is answered with the
 * cached index.html. Updates use the `prompt` type without a prompt: a new worker installs in the
 * background and waits, and takes over on the next visit (all the lab's tabs closed), never in
 * the middle of a lesson; `autoUpdate` would reload an open lab and lose what the student did.
 */
const offline = VitePWA({
  registerType: 'prompt',
  injectRegister: 'script-defer',
  manifest: {
    name: 'Redis Persistence Lab',
    short_name: 'Redis Lab',
    description: 'An interactive, bilingual lab that shows how Redis 7.0 keeps data through a crash.',
    start_url: './',
    scope: './',
    display: 'standalone',
    background_color: '#f3f4f7',
    theme_color: '#b4232c',
    icons: [{ src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
  },
  workbox: {
    globPatterns: ['**/*.{js,css,html,svg,woff2,json,webmanifest}'],
    navigateFallback: 'index.html',
    cleanupOutdatedCaches: true,
    maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
    sourcemap: false,
  },
});

// A relative base lets the built site run from any sub-path of any static host (GitHub Pages).
export default defineConfig({
  base: './',
  plugins: [react(), offline],
  build: {
    outDir: 'dist',
    sourcemap: true,
    // One bundle of about 500 kB (React, motion, i18next, the engine and the COMMAND DOCS table it
    // answers with); gzip brings it near 150 kB, and a service worker will keep it offline.
    chunkSizeWarningLimit: 800,
  },
  test: {
    globals: true,
    exclude: ['test/browser/**', 'node_modules/**'],
    setupFiles: ['test/setup.ts'],
    // Engine and codec tests run in plain Node, where no DOM globals exist; UI tests opt into jsdom
    // with a `// @vitest-environment jsdom` docblock.
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      // The pure layers and what drives them hold no global state between files, so each worker
      // imports them once for all its files (about a third less time than a fresh import per file).
      {
        extends: true,
        test: {
          name: 'node',
          include: ['test/{architecture,codec,differential,engine,lessons,node,store,styles}/**/*.test.ts'],
          isolate: false,
        },
      },
      // React, i18next and the DOM keep state in modules: each file gets its own.
      { extends: true, test: { name: 'dom', include: ['test/{ui,embed,i18n}/**/*.test.{ts,tsx}'] } },
    ],
  },
});
