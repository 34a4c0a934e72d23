/** The lab's state: one engine behind a vanilla zustand store, and the view models the panels read. */
export { createLabStore, formatPrompt, INVALID_ARGUMENTS, NOT_CONNECTED_PROMPT, SERVER_CLOSED_CONNECTION, connectionRefused } from './lab-store.ts';
export type { LabState, LabStore, LabStoreOptions, TranscriptEntry, ConsoleOutput, LoggedEvent, TimelineMark, TimelineView, LogLineView, DroppedFuture } from './lab-store.ts';
export type { TapeEntry, TapeEntryKind } from './timeline.ts';
export { buildKeyspaceView, recentlyTouchedKeys, EMPTY_KEYSPACE, DEFAULT_LIMITS } from './keyspace-view.ts';
export type { KeyspaceView, DbView, KeyView, KeyspaceViewLimits, TouchedKey } from './keyspace-view.ts';
export { displayBin, quoteBin } from './display-text.ts';
/** A child's exit code when it obeyed the parent's SIGUSR1 (stopped on purpose, not failed). */
export { SIGUSR1_EXIT_CODE } from '../engine/index.ts';
export { buildPersistenceView, PersistenceTracker, DEFAULT_PERSISTENCE_LIMITS, cellPages, cellState } from './persistence-view.ts';
export type {
  PersistenceView,
  PersistenceViewLimits,
  ProcessesView,
  ChildView,
  ChildPurpose,
  ReapedView,
  PageGridView,
  CellState,
  DiskView,
  FileRowView,
  DiskFileRowView,
  AofFileRole,
  RenameView,
  PersistenceStatusView,
} from './persistence-view.ts';
export { buildInspectorView, regionKey, regionAt, MAX_ANNOTATED_BYTES } from './inspector-view.ts';
export type { InspectorView, InspectorError } from './inspector-view.ts';
export type { RdbRegion, RdbRegionKind } from '../codec/rdb/index.ts';
export { buildAofView, buildLifecycleView, commandText, AofViewCache, AOF_MAX_COMMANDS } from './aof-view.ts';
export type {
  AofView,
  AofCommandView,
  AofLayer,
  LifecycleView,
  AofRewriteView,
  AofRewriteOutcome,
  AofRewriteStep,
  AofRewriteStepId,
  AofRewriteStepState,
} from './aof-view.ts';
// The console explains this error of the engine's in the reader's language.
export { LEFT_OUT_ERROR_START } from '../engine/index.ts';
