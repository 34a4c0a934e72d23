import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { LessonState, LessonStore } from './lesson-store.ts';

/**
 * The bridge between the lesson runner and React, as src/store/react.tsx is for the lab: a
 * provider and a selector hook. Without a provider (a test that renders the lab alone) the lesson
 * UI renders nothing, so `useLessonStoreApi` returns null rather than throwing.
 */

const LessonStoreContext = createContext<LessonStore | null>(null);

export function LessonStoreProvider({ store, children }: { store: LessonStore; children: ReactNode }) {
  return <LessonStoreContext.Provider value={store}>{children}</LessonStoreContext.Provider>;
}

export function useLessonStoreApi(): LessonStore | null {
  return useContext(LessonStoreContext);
}

/** One value of the lesson state; only for components rendered under a provider. */
export function useLessons<T>(store: LessonStore, selector: (state: LessonState) => T): T {
  return useStore(store, selector);
}
