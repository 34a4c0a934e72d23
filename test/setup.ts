// Shared test set-up. DOM-only set-up runs only where a DOM exists (UI tests under jsdom).
if (typeof window !== 'undefined') {
  await import('@testing-library/jest-dom/vitest');
  const { MotionGlobalConfig } = await import('motion/react');
  MotionGlobalConfig.skipAnimations = true;
}
export {};
