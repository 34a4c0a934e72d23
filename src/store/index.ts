/** The lab's state: one engine behind a vanilla zustand store, and the view models the panels read. */
export { createLabStore, formatPrompt, INVALID_ARGUMENTS } from './lab-store.ts';
export type { LabState, LabStore, LabStoreOptions, TranscriptEntry, ConsoleOutput, LoggedEvent } from './lab-store.ts';
export { buildKeyspaceView, EMPTY_KEYSPACE, DEFAULT_LIMITS } from './keyspace-view.ts';
export type { KeyspaceView, DbView, KeyView, KeyspaceViewLimits } from './keyspace-view.ts';
export { displayBin, quoteBin } from './display-text.ts';
