import { isPanelId, PANEL_IDS } from '../ui/app/panels.ts';
import { LANGUAGES } from '../i18n/languages.ts';
import { LESSON_ID_PATTERN, LESSON_LIMITS, type Lesson, type LessonText } from './format.ts';

/**
 * Checks a lesson (parsed JSON of unknown shape) against the lesson format, by hand and without
 * dependencies, and says what is wrong where: each error has a JSON path (`$.steps[2].question`)
 * and a translation key under `lessonUi.errors` with its parameters, so the lab shows it in the
 * student's language. It reports every error it can find, not only the first, in document order.
 *
 * The rules are those of public/lesson.schema.json, plus what a schema cannot say: a translation
 * key must exist, two choices of a question may not predict the same output, and each row of a
 * table has one cell per column.
 */

export type LessonErrorKey =
  | 'notJson'
  | 'wrongType'
  | 'missing'
  | 'unknownProperty'
  | 'badId'
  | 'tooLong'
  | 'tooFew'
  | 'tooMany'
  | 'emptyText'
  | 'badLine'
  | 'unknownPanel'
  | 'unknownKey'
  | 'needsEnglish'
  | 'unknownLanguage'
  | 'badMatch'
  | 'sameExpect'
  | 'cellCount';

export interface LessonError {
  /** Where, as a JSON path from the document's root: `$`, `$.steps[0].lines[3]`. */
  readonly path: string;
  readonly key: LessonErrorKey;
  /** Values for the message: `expected` (a type), `name` (a property), `min`/`max`, `value`. */
  readonly params: Readonly<Record<string, string | number>>;
}

export type LessonValidation = { readonly ok: true; readonly lesson: Lesson } | { readonly ok: false; readonly errors: readonly LessonError[] };

export interface ValidateOptions {
  /** Whether a translation key exists; without it, any key is accepted. */
  readonly isKnownKey?: (key: string) => boolean;
}

/** The most errors reported: past this, more help nobody. */
const MAX_ERRORS = 50;

class Checker {
  readonly errors: LessonError[] = [];

  constructor(private readonly options: ValidateOptions) {}

  report(path: string, key: LessonErrorKey, params: Record<string, string | number> = {}): void {
    if (this.errors.length < MAX_ERRORS) this.errors.push({ path, key, params });
  }

  isObject(value: unknown, path: string): value is Record<string, unknown> {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return true;
    this.report(path, 'wrongType', { expected: 'object', found: typeName(value) });
    return false;
  }

  isArray(value: unknown, path: string, min: number, max: number): value is unknown[] {
    if (!Array.isArray(value)) {
      this.report(path, 'wrongType', { expected: 'array', found: typeName(value) });
      return false;
    }
    if (value.length < min) this.report(path, 'tooFew', { min, count: value.length });
    if (value.length > max) this.report(path, 'tooMany', { max, count: value.length });
    return true;
  }

  isString(value: unknown, path: string, maxLength: number = LESSON_LIMITS.maxTextLength): value is string {
    if (typeof value !== 'string') {
      this.report(path, 'wrongType', { expected: 'string', found: typeName(value) });
      return false;
    }
    if (value.trim() === '') {
      this.report(path, 'emptyText');
      return false;
    }
    if (value.length > maxLength) {
      this.report(path, 'tooLong', { max: maxLength, count: value.length });
      return false;
    }
    return true;
  }

  /** Only the named properties; the required ones present. */
  properties(object: Record<string, unknown>, path: string, required: readonly string[], optional: readonly string[]): void {
    for (const name of required) if (!(name in object)) this.report(path, 'missing', { name });
    for (const name of Object.keys(object)) {
      if (!required.includes(name) && !optional.includes(name)) this.report(childPath(path, name), 'unknownProperty', { name });
    }
  }

  /** A translation key, or inline text per language with English required. */
  text(value: unknown, path: string, maxLength: number = LESSON_LIMITS.maxTextLength): value is LessonText {
    if (typeof value === 'string') {
      if (!this.isString(value, path, LESSON_LIMITS.maxTextLength)) return false;
      if (this.options.isKnownKey !== undefined && !this.options.isKnownKey(value)) {
        this.report(path, 'unknownKey', { value });
        return false;
      }
      return true;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.report(path, 'wrongType', { expected: 'text', found: typeName(value) });
      return false;
    }
    const record = value as Record<string, unknown>;
    let ok = true;
    if (!('en' in record)) {
      this.report(path, 'needsEnglish');
      ok = false;
    }
    for (const [language, text] of Object.entries(record)) {
      const at = childPath(path, language);
      if (!LANGUAGES.some((known) => known.code === language)) {
        this.report(at, 'unknownLanguage', { value: language, known: LANGUAGES.map((known) => known.code).join(', ') });
        ok = false;
      } else if (!this.isString(text, at, maxLength)) {
        ok = false;
      }
    }
    return ok;
  }

  /** A line the console runs: one line of text, not blank, and not `clear` (which the tape does not record). */
  line(value: unknown, path: string): void {
    if (!this.isString(value, path, LESSON_LIMITS.maxLineLength)) return;
    if (/[\r\n]/.test(value) || value.trim().toLowerCase() === 'clear') this.report(path, 'badLine', { value: value.slice(0, 80) });
  }

  lines(value: unknown, path: string): void {
    if (!this.isArray(value, path, 0, LESSON_LIMITS.maxLines)) return;
    value.forEach((line, index) => this.line(line, `${path}[${index}]`));
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** `$.steps` + `0` → `$.steps[0]`; a name that is not an identifier is quoted. */
function childPath(path: string, name: string | number): string {
  if (typeof name === 'number') return `${path}[${name}]`;
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`;
}

function checkQuestion(check: Checker, value: unknown, path: string): void {
  if (!check.isObject(value, path)) return;
  check.properties(value, path, ['prompt', 'choices', 'check'], ['reveal', 'explain']);
  if ('prompt' in value) check.text(value.prompt, `${path}.prompt`);
  if ('reveal' in value) check.lines(value.reveal, `${path}.reveal`);
  if ('check' in value) check.line(value.check, `${path}.check`);
  if ('explain' in value) check.text(value.explain, `${path}.explain`);
  if (!('choices' in value) || !check.isArray(value.choices, `${path}.choices`, LESSON_LIMITS.minChoices, LESSON_LIMITS.maxChoices)) return;
  const seen = new Map<string, number>();
  value.choices.forEach((choice, index) => {
    const at = `${path}.choices[${index}]`;
    if (!check.isObject(choice, at)) return;
    check.properties(choice, at, ['label', 'expect'], ['match']);
    if ('label' in choice) check.text(choice.label, `${at}.label`);
    if ('match' in choice && choice.match !== 'exact' && choice.match !== 'prefix') {
      check.report(`${at}.match`, 'badMatch', { value: String(choice.match) });
    }
    if ('expect' in choice && check.isString(choice.expect, `${at}.expect`, LESSON_LIMITS.maxLineLength)) {
      // Two choices that predict the same output cannot both be the one answer.
      const expected = choice.expect.trim();
      const earlier = seen.get(expected);
      if (earlier !== undefined) check.report(`${at}.expect`, 'sameExpect', { other: earlier + 1 });
      else seen.set(expected, index);
    }
  });
}

function checkTable(check: Checker, value: unknown, path: string): void {
  if (!check.isObject(value, path)) return;
  check.properties(value, path, ['caption', 'columns', 'rows'], ['note']);
  const cell = LESSON_LIMITS.maxTableCellLength;
  if ('caption' in value) check.text(value.caption, `${path}.caption`);
  let columns: number | null = null;
  if ('columns' in value && check.isArray(value.columns, `${path}.columns`, 1, LESSON_LIMITS.maxTableColumns)) {
    value.columns.forEach((heading, index) => check.text(heading, `${path}.columns[${index}]`, cell));
    columns = value.columns.length;
  }
  if ('rows' in value && check.isArray(value.rows, `${path}.rows`, 1, LESSON_LIMITS.maxTableRows)) {
    value.rows.forEach((row, index) => {
      const at = `${path}.rows[${index}]`;
      if (!check.isObject(row, at)) return;
      check.properties(row, at, ['heading', 'cells'], []);
      if ('heading' in row) check.text(row.heading, `${at}.heading`, cell);
      if (!('cells' in row) || !check.isArray(row.cells, `${at}.cells`, 0, Number.POSITIVE_INFINITY)) return;
      // A cell short or over would sit under the wrong heading: the whole column shifts.
      if (columns !== null && row.cells.length !== columns) check.report(`${at}.cells`, 'cellCount', { count: row.cells.length, columns });
      row.cells.forEach((text, column) => check.text(text, `${at}.cells[${column}]`, cell));
    });
  }
  if ('note' in value) check.text(value.note, `${path}.note`);
}

function checkStep(check: Checker, value: unknown, path: string): void {
  if (!check.isObject(value, path)) return;
  check.properties(value, path, ['narration'], ['table', 'lines', 'highlight', 'question']);
  if ('narration' in value && check.isArray(value.narration, `${path}.narration`, 1, LESSON_LIMITS.maxNarration)) {
    value.narration.forEach((text, index) => check.text(text, `${path}.narration[${index}]`));
  }
  if ('table' in value) checkTable(check, value.table, `${path}.table`);
  if ('lines' in value) check.lines(value.lines, `${path}.lines`);
  if ('highlight' in value && check.isArray(value.highlight, `${path}.highlight`, 0, PANEL_IDS.length)) {
    value.highlight.forEach((panel, index) => {
      const at = `${path}.highlight[${index}]`;
      if (typeof panel !== 'string' || !isPanelId(panel)) check.report(at, 'unknownPanel', { value: String(panel), known: PANEL_IDS.join(', ') });
    });
  }
  if ('question' in value) checkQuestion(check, value.question, `${path}.question`);
}

/** Validates a parsed lesson. */
export function validateLesson(value: unknown, options: ValidateOptions = {}): LessonValidation {
  const check = new Checker(options);
  const root = '$';
  if (check.isObject(value, root)) {
    check.properties(value, root, ['id', 'title', 'steps'], ['$schema', 'summary']);
    if ('$schema' in value) check.isString(value.$schema, `${root}.$schema`);
    if ('id' in value && check.isString(value.id, `${root}.id`, LESSON_LIMITS.maxIdLength) && !LESSON_ID_PATTERN.test(value.id)) {
      check.report(`${root}.id`, 'badId', { value: value.id });
    }
    if ('title' in value) check.text(value.title, `${root}.title`);
    if ('summary' in value) check.text(value.summary, `${root}.summary`);
    if ('steps' in value && check.isArray(value.steps, `${root}.steps`, 1, LESSON_LIMITS.maxSteps)) {
      value.steps.forEach((step, index) => checkStep(check, step, `${root}.steps[${index}]`));
    }
  }
  return check.errors.length === 0 ? { ok: true, lesson: value as Lesson } : { ok: false, errors: check.errors };
}

/** Parses and validates a lesson file's text (what the instructor's file picker reads). */
export function parseLessonFile(text: string, options: ValidateOptions = {}): LessonValidation {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (failure) {
    const reason = failure instanceof Error ? failure.message : String(failure);
    return { ok: false, errors: [{ path: '$', key: 'notJson', params: { value: reason.slice(0, 200) } }] };
  }
  return validateLesson(value, options);
}
