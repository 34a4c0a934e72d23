import whyPersistence from './builtin/why-persistence.json';
import rdbSnapshots from './builtin/rdb-snapshots.json';
import snapshotFailures from './builtin/snapshot-failures.json';
import aofLog from './builtin/aof-log.json';
import aofRewrite from './builtin/aof-rewrite.json';
import restart from './builtin/restart.json';
import choosing from './builtin/choosing.json';
import type { Lesson } from './format.ts';
import { validateLesson } from './validate.ts';

/**
 * The lab's own lessons, in the order a newcomer takes them. Each JSON file is checked by the same
 * validator as an instructor's file (a broken built-in fails loudly at start, and in the tests,
 * which also run every step on a real node).
 */
const FILES: readonly unknown[] = [whyPersistence, rdbSnapshots, snapshotFailures, aofLog, aofRewrite, restart, choosing];

export const BUILTIN_LESSONS: readonly Lesson[] = FILES.map((file) => {
  const result = validateLesson(file);
  if (!result.ok) {
    const first = result.errors[0];
    throw new Error(`A built-in lesson does not fit the lesson format: ${first?.key} at ${first?.path}`);
  }
  return result.lesson;
});

export function isBuiltinLesson(id: string): boolean {
  return BUILTIN_LESSONS.some((lesson) => lesson.id === id);
}
