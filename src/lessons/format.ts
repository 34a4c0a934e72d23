import type { PanelId } from '../ui/app/panels.ts';

/**
 * The lesson format: a lesson is data — scenario lines plus narration — so an instructor can write
 * one as a JSON file. public/lesson.schema.json publishes the same shape for editors; the
 * validator (./validate.ts) is what the lab trusts, and it says where a file goes wrong.
 *
 * A lesson runs on a fresh node. Entering step n means the lab as it is after, for every earlier
 * step, its `lines`, its question's `reveal` and its `check`, and then step n's own `lines`: what
 * a step's narration says is true whatever the student did before pressing Next.
 */

/**
 * Text shown to the student: a translation key (`lessons.rdb.fork.text`, the built-in lessons'
 * form, looked up in locales/<lang>/lessons.json), or the text itself per language (an
 * instructor's file: `{ "en": "…", "ar": "…" }`; English is required, the fallback).
 * In either, `backticks` mark commands, file names and numbers: shown as left-to-right code. A
 * line that is one backticked island alone (after a newline) shows on a line of its own.
 */
export type LessonText = string | InlineText;

export interface InlineText {
  readonly en: string;
  readonly ar?: string;
}

export interface LessonChoice {
  readonly label: LessonText;
  /**
   * What the question's `check` line prints in the console (as redis-cli prints it: `(integer) 0`,
   * `"before-fork"`, `OK`) when this choice is the right prediction.
   */
  readonly expect: string;
  /** `prefix`: the output only has to begin with `expect` (a long error such as MISCONF). */
  readonly match?: 'exact' | 'prefix';
}

/** Predict, then reveal: the student picks a choice, the lab runs `reveal` and `check`, and the check's real output decides. */
export interface LessonQuestion {
  readonly prompt: LessonText;
  readonly choices: readonly LessonChoice[];
  /** Lines run once the student has answered (the crash, the restart, the time that passes). */
  readonly reveal?: readonly string[];
  /** The line whose console output decides which choice was right. */
  readonly check: string;
  /** Why the answer is what it is, shown after the reveal. */
  readonly explain?: LessonText;
}

/**
 * A comparison the student reads across and down: column headings, then rows, each a row heading
 * and one cell per column. Cells are meant to be short (a few words); backticks make code islands
 * as in narration. Shown after the step's narration.
 */
export interface LessonTable {
  /** What the table compares: its visible title, and its name for screen readers. */
  readonly caption: LessonText;
  /** The heading of each column, in order. */
  readonly columns: readonly LessonText[];
  readonly rows: readonly LessonTableRow[];
  /** A sentence under the table (a caveat, what to do next). */
  readonly note?: LessonText;
}

export interface LessonTableRow {
  readonly heading: LessonText;
  /** One per column, in the columns' order. */
  readonly cells: readonly LessonText[];
}

export interface LessonStep {
  /** Paragraphs of narration, in order. */
  readonly narration: readonly LessonText[];
  /** A table shown after the narration. */
  readonly table?: LessonTable;
  /** Lines run when the step is entered. */
  readonly lines?: readonly string[];
  /** Panels to outline and scroll into view. */
  readonly highlight?: readonly PanelId[];
  readonly question?: LessonQuestion;
}

export interface Lesson {
  /** The published schema's address, for editors; ignored by the lab. */
  readonly $schema?: string;
  /** Lower-case words joined by dashes: `rdb-snapshots`. */
  readonly id: string;
  readonly title: LessonText;
  /** One sentence for the lesson menu. */
  readonly summary?: LessonText;
  readonly steps: readonly LessonStep[];
}

/** Limits the validator enforces (and the schema states). */
export const LESSON_LIMITS = {
  maxSteps: 40,
  maxNarration: 8,
  maxLines: 200,
  maxLineLength: 4096,
  minChoices: 2,
  maxChoices: 6,
  maxTextLength: 4000,
  maxIdLength: 64,
  /** A table's data columns (the row headings are not counted): six still scroll on a phone. */
  maxTableColumns: 6,
  maxTableRows: 12,
  /** A heading or a cell: a few words, not a paragraph. */
  maxTableCellLength: 200,
} as const;

export const LESSON_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function isInlineText(text: LessonText): text is InlineText {
  return typeof text === 'object';
}

/** The lines the lab runs for a step, in order: entering it, then (leaving it, or on reveal) the reveal and the check. */
export function entryLines(step: LessonStep): readonly string[] {
  return step.lines ?? [];
}

export function revealLines(step: LessonStep): readonly string[] {
  return step.question === undefined ? [] : [...(step.question.reveal ?? []), step.question.check];
}

/** Whether a check line's console output is what a choice predicted. */
export function choiceMatches(choice: LessonChoice, output: string): boolean {
  const printed = output.trim();
  const expected = choice.expect.trim();
  return choice.match === 'prefix' ? printed.startsWith(expected) : printed === expected;
}
