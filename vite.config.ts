import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// A relative base lets the built site run from any sub-path of any static host (GitHub Pages).
export default defineConfig({
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    sourcemap: true,
    // One bundle of about 500 kB (React, motion, i18next, the engine and the COMMAND DOCS table it
    // answers with); gzip brings it near 150 kB, and a service worker will keep it offline.
    chunkSizeWarningLimit: 800,
  },
  test: {
    globals: true,
    include: ['test/**/*.test.{ts,tsx}'],
    exclude: ['test/browser/**', 'node_modules/**'],
    setupFiles: ['test/setup.ts'],
    // Engine and codec tests run in plain Node, where no DOM globals exist; UI tests opt into jsdom
    // with a `// @vitest-environment jsdom` docblock.
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
