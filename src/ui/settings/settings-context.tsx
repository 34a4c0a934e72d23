import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { createSettingsStore, type SettingsState, type SettingsStore } from './settings-store.ts';

/**
 * The display settings for React: a provider (one store per page, from src/main.tsx) and a hook.
 * Without a provider (component tests render the lab alone) a store with the defaults is used.
 */

const SettingsContext = createContext<SettingsStore | null>(null);
let fallback: SettingsStore | null = null;

export function SettingsProvider({ store, children }: { store: SettingsStore; children: ReactNode }) {
  return <SettingsContext.Provider value={store}>{children}</SettingsContext.Provider>;
}

export function useSettingsApi(): SettingsStore {
  const store = useContext(SettingsContext);
  if (store !== null) return store;
  fallback ??= createSettingsStore();
  return fallback;
}

export function useSettings<T>(selector: (state: SettingsState) => T): T {
  return useStore(useSettingsApi(), selector);
}
