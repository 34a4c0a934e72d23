/**
 * The glossary's terms point at real steps of the built-in lessons, steps that do say the word
 * (in their narration or their question), and in the order the lessons come; every term has its
 * words in both languages, and the locale files hold no term the glossary does not list.
 */
import { describe, expect, test } from 'vitest';
import { BUILTIN_LESSONS } from '../../src/lessons/builtin.ts';
import { GLOSSARY } from '../../src/lessons/glossary.ts';
import { arabicStrings, englishStrings } from '../../src/i18n/resources.ts';

/** A word each term's step must say, in English: the step teaches the term there. */
const SAID_IN_STEP: Record<(typeof GLOSSARY)[number]['id'], string> = {
  persistence: 'persistence',
  oomKiller: 'OOM killer',
  snapshot: 'snapshot',
  bgsave: 'BGSAVE',
  fork: 'fork()',
  copyOnWrite: 'copy-on-write',
  rename: 'rename',
  savePoint: 'dirty counter',
  serverCron: 'serverCron',
  misconf: 'stop-writes-on-bgsave-error',
  aof: 'append-only file',
  resp: 'RESP',
  layers: 'page cache',
  fsync: 'fsync',
  crashKinds: 'kill -9',
  appendfsync: 'appendfsync',
  rewrite: 'BGREWRITEAOF',
  manifest: 'manifest',
  preamble: 'aof-use-rdb-preamble',
  restartTrap: 'appendonly yes',
  truncated: 'aof-load-truncated',
};

/** A step's English words: its narration and its question's prompt. */
function stepText(lessonId: string, step: number): string {
  const lesson = BUILTIN_LESSONS.find((each) => each.id === lessonId);
  const entered = lesson?.steps[step];
  if (entered === undefined) throw new Error(`no step ${step} in lesson ${lessonId}`);
  const keys = [...entered.narration, ...(entered.question === undefined ? [] : [entered.question.prompt])];
  return keys.map((key) => lookUp(englishStrings, key as string)).join(' ');
}

function lookUp(strings: object, key: string): string {
  const found = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], strings);
  if (typeof found !== 'string') throw new Error(`no string at ${key}`);
  return found;
}

describe('the glossary', () => {
  test.each(GLOSSARY.map((term) => [term.id, term] as const))('%s points at a step that says it', (_id, term) => {
    expect(stepText(term.lessonId, term.step).toLowerCase()).toContain(SAID_IN_STEP[term.id].toLowerCase());
  });

  test('its terms come in the order the lessons teach them', () => {
    const places = GLOSSARY.map((term) => BUILTIN_LESSONS.findIndex((lesson) => lesson.id === term.lessonId) * 100 + term.step);
    expect(places).toEqual([...places].sort((a, b) => a - b));
    expect(new Set(GLOSSARY.map((term) => term.id)).size).toBe(GLOSSARY.length);
  });

  test('every term has its words in both languages, and the locales hold no other term', () => {
    for (const strings of [englishStrings, arabicStrings]) {
      const terms = strings.lessonUi.glossary.terms as Record<string, { term: string; text: string }>;
      expect(Object.keys(terms).sort()).toEqual(GLOSSARY.map((term) => term.id).sort());
      for (const { term, text } of Object.values(terms)) {
        expect(term.trim()).not.toBe('');
        expect(text.length).toBeGreaterThan(40);
        // Backticks pair up: every code island is closed.
        expect((term.match(/`/g) ?? []).length % 2).toBe(0);
        expect((text.match(/`/g) ?? []).length % 2).toBe(0);
      }
    }
  });
});
