import { createContext, useContext, type ReactNode } from 'react';
import { DEFAULT_EMBED_OPTIONS, type EmbedOptions } from '../../embed/embed-options.ts';
import type { RejectReason } from '../../embed/url-state.ts';
import type { PanelId } from '../app/panels.ts';

/**
 * What the page was opened with, for the components that shape the lab's frame: the embed
 * options, the panels to show (from `?panels=` or the permalink) and why the permalink's state
 * was refused, if it was. Read once at start (src/main.tsx); the defaults are the plain lab.
 */

export interface ShellOptions {
  readonly embed: EmbedOptions;
  readonly panels: readonly PanelId[] | null;
  readonly urlProblem: RejectReason | null;
}

export const DEFAULT_SHELL: ShellOptions = { embed: DEFAULT_EMBED_OPTIONS, panels: null, urlProblem: null };

const ShellContext = createContext<ShellOptions>(DEFAULT_SHELL);

export function ShellProvider({ value, children }: { value: ShellOptions; children: ReactNode }) {
  return <ShellContext.Provider value={value}>{children}</ShellContext.Provider>;
}

export function useShell(): ShellOptions {
  return useContext(ShellContext);
}
