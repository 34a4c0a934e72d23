import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode, type RefObject } from 'react';

/**
 * Whether compare mode is open, shared by its opener (beside the crash buttons) and its section
 * (across the workspace). Opening moves focus to the section's heading; closing returns it to the
 * opener, so a keyboard user never loses their place.
 */

interface CompareOpenState {
  readonly open: boolean;
  setOpen(open: boolean): void;
  /** The button that opened it, to take focus back on close. */
  readonly openerRef: RefObject<HTMLButtonElement | null>;
}

const CompareOpenContext = createContext<CompareOpenState | null>(null);

export function CompareProvider({ children }: { children: ReactNode }) {
  const [open, setOpenState] = useState(false);
  const openerRef = useRef<HTMLButtonElement | null>(null);
  const setOpen = useCallback((next: boolean) => {
    setOpenState(next);
    if (!next) openerRef.current?.focus();
  }, []);
  const value = useMemo(() => ({ open, setOpen, openerRef }), [open, setOpen]);
  return <CompareOpenContext.Provider value={value}>{children}</CompareOpenContext.Provider>;
}

/** Compare mode's open state; outside a provider (a panel rendered alone) it is never open. */
export function useCompareOpen(): CompareOpenState | null {
  return useContext(CompareOpenContext);
}
