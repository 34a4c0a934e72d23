/**
 * The lesson validator: a good lesson passes (keys or inline text), and each kind of bad lesson
 * is refused with the JSON path of the problem and its translation key — which exists in both
 * languages. The published schema agrees with the format on the panels, the limits and the
 * properties.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLessonFile, validateLesson, type LessonErrorKey } from '../../src/lessons/validate.ts';
import { LESSON_LIMITS } from '../../src/lessons/format.ts';
import { BUILTIN_LESSONS } from '../../src/lessons/builtin.ts';
import { PANEL_IDS } from '../../src/ui/app/panels.ts';
import en from '../../locales/en/lessons.json';
import ar from '../../locales/ar/lessons.json';

const GOOD = {
  id: 'my-first-lesson',
  title: { en: 'My lesson', ar: 'درسي' },
  summary: { en: 'A short one.' },
  steps: [
    { narration: [{ en: 'Write a key with `SET a 1`.', ar: 'اكتب مفتاحًا بالأمر `SET a 1`.' }], lines: ['SET a 1'], highlight: ['keyspace', 'console'] },
    {
      narration: [{ en: 'Crash it.' }],
      question: {
        prompt: { en: 'How many keys after a restart?' },
        choices: [
          { label: { en: 'None' }, expect: '(integer) 0' },
          { label: { en: 'One' }, expect: '(integer) 1' },
          { label: { en: 'An error' }, expect: '(error)', match: 'prefix' },
        ],
        reveal: ['SIM CRASH PROCESS', 'SIM RESTART'],
        check: 'DBSIZE',
        explain: { en: 'Nothing was saved.' },
      },
    },
    {
      narration: [{ en: 'Two setups side by side.' }],
      table: {
        caption: { en: 'What a crash loses', ar: 'ما يضيع بالانهيار' },
        columns: [{ en: 'RDB only' }, { en: 'AOF `always`' }],
        rows: [
          { heading: { en: 'Power cut' }, cells: [{ en: 'since the last snapshot' }, { en: 'nothing acknowledged' }] },
          { heading: { en: 'On disk' }, cells: [{ en: '`dump.rdb`' }, { en: '`appendonlydir/`' }] },
        ],
        note: { en: 'Crash it on purpose before you rely on it.' },
      },
    },
  ],
};

/** The good lesson with one change at a path (a function gets the copy to mutate). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each case breaks the lesson its own way
type Editable = any;

function broken(change: (lesson: Editable) => void): unknown {
  const copy: Editable = structuredClone(GOOD);
  change(copy);
  return copy;
}

function errorsOf(value: unknown, isKnownKey?: (key: string) => boolean): { path: string; key: LessonErrorKey }[] {
  const result = validateLesson(value, { isKnownKey });
  if (result.ok) return [];
  return result.errors.map(({ path, key }) => ({ path, key }));
}

describe('validateLesson', () => {
  test('accepts a lesson with inline text in both languages', () => {
    const result = validateLesson(GOOD);
    expect(result.ok).toBe(true);
  });

  test('accepts the built-in lessons, whose keys all exist', () => {
    const known = (key: string) => key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], en) !== undefined;
    for (const lesson of BUILTIN_LESSONS) expect(validateLesson(lesson, { isKnownKey: known }).ok, lesson.id).toBe(true);
  });

  test.each<[string, () => unknown, { path: string; key: LessonErrorKey }]>([
    ['a lesson that is not an object', () => [GOOD], { path: '$', key: 'wrongType' }],
    ['a missing id', () => broken((l) => delete l.id), { path: '$', key: 'missing' }],
    ['an id with capitals', () => broken((l) => (l.id = 'My Lesson')), { path: '$.id', key: 'badId' }],
    ['an unknown property', () => broken((l) => (l.author = 'me')), { path: '$.author', key: 'unknownProperty' }],
    ['no steps', () => broken((l) => (l.steps = [])), { path: '$.steps', key: 'tooFew' }],
    ['steps that are not a list', () => broken((l) => (l.steps = { 0: {} })), { path: '$.steps', key: 'wrongType' }],
    ['a step without narration', () => broken((l) => delete l.steps[0].narration), { path: '$.steps[0]', key: 'missing' }],
    ['empty narration text', () => broken((l) => (l.steps[0].narration = [{ en: '  ' }])), { path: '$.steps[0].narration[0].en', key: 'emptyText' }],
    ['text with no English', () => broken((l) => (l.title = { ar: 'درسي' })), { path: '$.title', key: 'needsEnglish' }],
    ['text in a language the lab lacks', () => broken((l) => (l.title = { en: 'Mine', fr: 'Le mien' })), { path: '$.title.fr', key: 'unknownLanguage' }],
    ['text that is a number', () => broken((l) => (l.title = 42)), { path: '$.title', key: 'wrongType' }],
    ['a line with a newline in it', () => broken((l) => (l.steps[0].lines = ['SET a 1\nSET b 2'])), { path: '$.steps[0].lines[0]', key: 'badLine' }],
    ['a blank line', () => broken((l) => (l.steps[0].lines = ['   '])), { path: '$.steps[0].lines[0]', key: 'emptyText' }],
    ['clear, which the tape does not record', () => broken((l) => (l.steps[0].lines = ['clear'])), { path: '$.steps[0].lines[0]', key: 'badLine' }],
    ['a line that is too long', () => broken((l) => (l.steps[0].lines = ['SET a ' + 'x'.repeat(LESSON_LIMITS.maxLineLength)])), { path: '$.steps[0].lines[0]', key: 'tooLong' }],
    ['an unknown panel', () => broken((l) => (l.steps[0].highlight = ['keyspace', 'sidebar'])), { path: '$.steps[0].highlight[1]', key: 'unknownPanel' }],
    ['a question without a check', () => broken((l) => delete l.steps[1].question.check), { path: '$.steps[1].question', key: 'missing' }],
    ['a question with one choice', () => broken((l) => l.steps[1].question.choices.splice(1)), { path: '$.steps[1].question.choices', key: 'tooFew' }],
    ['a question with seven choices', () => broken((l) => (l.steps[1].question.choices = Array.from({ length: 7 }, (_, i) => ({ label: { en: `${i}` }, expect: `(integer) ${i}` })))), { path: '$.steps[1].question.choices', key: 'tooMany' }],
    ['two choices expecting the same output', () => broken((l) => (l.steps[1].question.choices[1].expect = ' (integer) 0')), { path: '$.steps[1].question.choices[1].expect', key: 'sameExpect' }],
    ['a choice with an unknown match', () => broken((l) => (l.steps[1].question.choices[0].match = 'regex')), { path: '$.steps[1].question.choices[0].match', key: 'badMatch' }],
    ['a choice with no label', () => broken((l) => delete l.steps[1].question.choices[0].label), { path: '$.steps[1].question.choices[0]', key: 'missing' }],
    ['reveal lines that are not a list', () => broken((l) => (l.steps[1].question.reveal = 'SIM CRASH PROCESS')), { path: '$.steps[1].question.reveal', key: 'wrongType' }],
    ['too many steps', () => broken((l) => (l.steps = Array.from({ length: LESSON_LIMITS.maxSteps + 1 }, () => ({ narration: [{ en: 'x' }] })))), { path: '$.steps', key: 'tooMany' }],
    ['a table without a caption', () => broken((l) => delete l.steps[2].table.caption), { path: '$.steps[2].table', key: 'missing' }],
    ['a table row with a cell too few', () => broken((l) => l.steps[2].table.rows[1].cells.pop()), { path: '$.steps[2].table.rows[1].cells', key: 'cellCount' }],
    ['a table row with a cell too many', () => broken((l) => l.steps[2].table.rows[0].cells.push({ en: 'extra' })), { path: '$.steps[2].table.rows[0].cells', key: 'cellCount' }],
    ['a table with no columns', () => broken((l) => (l.steps[2].table.columns = [])), { path: '$.steps[2].table.columns', key: 'tooFew' }],
    ['a table with too many columns', () => broken((l) => (l.steps[2].table.columns = Array.from({ length: LESSON_LIMITS.maxTableColumns + 1 }, (_, i) => ({ en: `setup ${i}` })))), { path: '$.steps[2].table.columns', key: 'tooMany' }],
    ['a table with too many rows', () => broken((l) => (l.steps[2].table.rows = Array.from({ length: LESSON_LIMITS.maxTableRows + 1 }, () => l.steps[2].table.rows[0]))), { path: '$.steps[2].table.rows', key: 'tooMany' }],
    ['a table row without a heading', () => broken((l) => delete l.steps[2].table.rows[0].heading), { path: '$.steps[2].table.rows[0]', key: 'missing' }],
    ['a cell that is a paragraph', () => broken((l) => (l.steps[2].table.rows[0].cells[1] = { en: 'x'.repeat(LESSON_LIMITS.maxTableCellLength + 1) })), { path: '$.steps[2].table.rows[0].cells[1].en', key: 'tooLong' }],
    ['a cell that is a number', () => broken((l) => (l.steps[2].table.rows[0].cells[0] = 3)), { path: '$.steps[2].table.rows[0].cells[0]', key: 'wrongType' }],
    ['cells that are not a list', () => broken((l) => (l.steps[2].table.rows[0].cells = 'everything')), { path: '$.steps[2].table.rows[0].cells', key: 'wrongType' }],
    ['an unknown property of a table', () => broken((l) => (l.steps[2].table.footer = { en: 'x' })), { path: '$.steps[2].table.footer', key: 'unknownProperty' }],
  ])('refuses %s', (_, make, expected) => {
    expect(errorsOf(make())).toContainEqual(expected);
  });

  test('a key it does not know is refused when the lab can tell', () => {
    const lesson = broken((l) => (l.title = 'lessons.nope.title'));
    expect(validateLesson(lesson).ok).toBe(true);
    expect(errorsOf(lesson, () => false)).toEqual([{ path: '$.title', key: 'unknownKey' }]);
  });

  test('reports every problem, in document order', () => {
    const lesson = broken((l) => {
      l.id = 'Bad';
      l.steps[0].highlight = ['nowhere'];
      l.steps[1].question.check = '';
    });
    expect(errorsOf(lesson).map((error) => error.path)).toEqual(['$.id', '$.steps[0].highlight[0]', '$.steps[1].question.check']);
  });

  test('a file that is not JSON is refused with the parser’s reason', () => {
    const result = parseLessonFile('{ "id": "x", ');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatchObject({ path: '$', key: 'notJson' });
    expect(parseLessonFile(JSON.stringify(GOOD)).ok).toBe(true);
  });

  test('every error key has a message in English and in Arabic', () => {
    const keys: LessonErrorKey[] = [
      'notJson',
      'wrongType',
      'missing',
      'unknownProperty',
      'badId',
      'tooLong',
      'tooFew',
      'tooMany',
      'emptyText',
      'badLine',
      'unknownPanel',
      'unknownKey',
      'needsEnglish',
      'unknownLanguage',
      'badMatch',
      'sameExpect',
      'cellCount',
    ];
    for (const key of keys) {
      expect(typeof en.lessonUi.errors[key]).toBe('string');
      expect(typeof ar.lessonUi.errors[key]).toBe('string');
    }
    // A row's cell count and the table's column count, in both languages.
    for (const messages of [en.lessonUi.errors, ar.lessonUi.errors]) expect(messages.cellCount).toMatch(/\{\{count, integer\}\}.*\{\{columns, integer\}\}/);
  });
});

describe('public/lesson.schema.json', () => {
  const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../../public/lesson.schema.json'), 'utf8'));

  test('names the same panels, limits and properties as the format', () => {
    expect(schema.$defs.panel.enum).toEqual([...PANEL_IDS]);
    expect(schema.properties.steps.maxItems).toBe(LESSON_LIMITS.maxSteps);
    expect(schema.$defs.question.properties.choices.minItems).toBe(LESSON_LIMITS.minChoices);
    expect(schema.$defs.question.properties.choices.maxItems).toBe(LESSON_LIMITS.maxChoices);
    expect(schema.$defs.step.properties.narration.maxItems).toBe(LESSON_LIMITS.maxNarration);
    expect(schema.$defs.lines.maxItems).toBe(LESSON_LIMITS.maxLines);
    expect(Object.keys(schema.properties).sort()).toEqual(['$schema', 'id', 'steps', 'summary', 'title']);
    expect(Object.keys(schema.$defs.step.properties).sort()).toEqual(['highlight', 'lines', 'narration', 'question', 'table']);
    expect(Object.keys(schema.$defs.table.properties).sort()).toEqual(['caption', 'columns', 'note', 'rows']);
    expect(Object.keys(schema.$defs.tableRow.properties).sort()).toEqual(['cells', 'heading']);
    expect(schema.$defs.table.properties.columns.maxItems).toBe(LESSON_LIMITS.maxTableColumns);
    expect(schema.$defs.table.properties.rows.maxItems).toBe(LESSON_LIMITS.maxTableRows);
    expect(schema.$defs.tableRow.properties.cells.maxItems).toBe(LESSON_LIMITS.maxTableColumns);
    expect(schema.$defs.cellText.oneOf[1].properties.en.maxLength).toBe(LESSON_LIMITS.maxTableCellLength);
    expect(Object.keys(schema.$defs.question.properties).sort()).toEqual(['check', 'choices', 'explain', 'prompt', 'reveal']);
    expect(new RegExp(schema.properties.id.pattern).test('my-first-lesson')).toBe(true);
    expect(new RegExp(schema.properties.id.pattern).test('My lesson')).toBe(false);
  });
});
