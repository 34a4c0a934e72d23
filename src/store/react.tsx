import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { LabState, LabStore } from './lab-store.ts';

/**
 * The one bridge between the lab store and React: a provider that injects a store (a fresh one
 * per test, one per page in the app) and hooks that read it through selectors. Selectors must
 * return stable values (a primitive or an object the store already holds), or React re-renders
 * forever.
 */

const LabStoreContext = createContext<LabStore | null>(null);

export function LabStoreProvider({ store, children }: { store: LabStore; children: ReactNode }) {
  return <LabStoreContext.Provider value={store}>{children}</LabStoreContext.Provider>;
}

/** The store itself, for actions (`useLabStoreApi().getState().runLine(...)`) and the clock driver. */
export function useLabStoreApi(): LabStore {
  const store = useContext(LabStoreContext);
  if (store === null) throw new Error('useLab* hooks need a <LabStoreProvider> above them');
  return store;
}

/** One value of the lab's state; the component re-renders only when that value changes. */
export function useLab<T>(selector: (state: LabState) => T): T {
  return useStore(useLabStoreApi(), selector);
}
