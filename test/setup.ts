// Shared test set-up. DOM-only set-up runs only where a DOM exists (UI tests under jsdom).
import { format } from 'node:util';
import { afterEach } from 'vitest';

if (typeof window !== 'undefined') {
  await import('@testing-library/jest-dom/vitest');
  const { MotionGlobalConfig } = await import('motion/react');
  MotionGlobalConfig.skipAnimations = true;
  failTestsOnActWarnings();
}

// A React update outside act(...) means a test looked at the page before (or stopped before) React
// had applied it: React only warns, so a test could pass on a half-updated page. Here such a warning
// fails the test it happens in. It is recorded rather than thrown where it happens, since it happens
// inside React's own update path (often in a promise, from an animation frame), where a throw would
// break React instead of the test. This hook is registered first, so it runs after every other
// afterEach (Testing Library's unmount included) and sees every warning up to the unmount; one that
// came outside any test (a hook's) fails the next test rather than pass unseen.
function failTestsOnActWarnings(): void {
  const ACT_WARNING = 'not wrapped in act';
  const actWarnings: string[] = [];
  const consoleError = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    const message = format(...args);
    if (message.includes(ACT_WARNING)) actWarnings.push(message.split('\n')[0] ?? message);
    consoleError(...args);
  };
  afterEach(() => {
    if (actWarnings.length === 0) return;
    const warnings = actWarnings.splice(0);
    throw new Error(`React updated outside act(...) ${warnings.length} time(s) during this test:\n${warnings.join('\n')}`);
  });
}

export {};
