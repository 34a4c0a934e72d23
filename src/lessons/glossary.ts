import type { EnglishStrings } from '../i18n/resources.ts';

/**
 * The terms the built-in lessons teach, in the order they teach them, each with the step that
 * shows it (0-based, in a built-in lesson). A student who meets a word again, or who starts with a
 * later lesson, looks it up here and can go to the step that shows it on the lab. The words
 * themselves live in locales/<lang>/lessons.json under `lessonUi.glossary.terms.<id>`, as
 * `term` and `text`, backticks marking code as in narration.
 */
export interface GlossaryTerm {
  /** Also the key of its words: `lessonUi.glossary.terms.<id>`. */
  readonly id: keyof EnglishStrings['lessonUi']['glossary']['terms'];
  readonly lessonId: string;
  readonly step: number;
}

export const GLOSSARY: readonly GlossaryTerm[] = [
  { id: 'oomKiller', lessonId: 'why-persistence', step: 2 },
  { id: 'snapshot', lessonId: 'why-persistence', step: 4 },
  { id: 'persistence', lessonId: 'why-persistence', step: 5 },
  { id: 'bgsave', lessonId: 'rdb-snapshots', step: 1 },
  { id: 'fork', lessonId: 'rdb-snapshots', step: 1 },
  { id: 'copyOnWrite', lessonId: 'rdb-snapshots', step: 2 },
  { id: 'rename', lessonId: 'rdb-snapshots', step: 3 },
  { id: 'savePoint', lessonId: 'rdb-snapshots', step: 5 },
  { id: 'serverCron', lessonId: 'snapshot-failures', step: 2 },
  { id: 'misconf', lessonId: 'snapshot-failures', step: 3 },
  { id: 'aof', lessonId: 'aof-log', step: 0 },
  { id: 'resp', lessonId: 'aof-log', step: 1 },
  { id: 'layers', lessonId: 'aof-log', step: 2 },
  { id: 'fsync', lessonId: 'aof-log', step: 2 },
  { id: 'appendfsync', lessonId: 'aof-log', step: 2 },
  { id: 'crashKinds', lessonId: 'aof-log', step: 3 },
  { id: 'rewrite', lessonId: 'aof-rewrite', step: 1 },
  { id: 'manifest', lessonId: 'aof-rewrite', step: 3 },
  { id: 'preamble', lessonId: 'aof-rewrite', step: 4 },
  { id: 'restartTrap', lessonId: 'restart', step: 1 },
  { id: 'truncated', lessonId: 'restart', step: 4 },
];
