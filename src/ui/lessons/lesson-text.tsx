import type { i18n as I18n } from 'i18next';
import type { ReactNode } from 'react';
import { languageInfo, proseDigits } from '../../i18n/index.ts';
import { isInlineText, type LessonText } from '../../lessons/format.ts';
import { WordsText } from '../WordsText.tsx';

/**
 * Lesson text in the reader's language: a translation key is looked up in the lessons' locale
 * files; inline text (an instructor's file) gives the current language's version, or English.
 * Backticks mark commands, file names and numbers, rendered as left-to-right code islands; the
 * numbers of the prose around them follow the reader's digits (Display → Arabic-Indic).
 */

export function resolveLessonText(text: LessonText, i18n: I18n): string {
  const language = languageInfo(i18n.resolvedLanguage).code;
  // Built-in keys are data (JSON), not literals the typed `t` can check; the tests check them.
  const resolved = isInlineText(text) ? (text[language] ?? text.en) : (i18n.t as unknown as (key: string) => string)(text);
  return keepArticleWithTerm(proseInDigitsChosen(resolved, language));
}

/** The numbers of the prose («بعد 5 ثوانٍ») in the reader's digits; code islands keep Redis's (`save 60 1000`). */
function proseInDigitsChosen(text: string, lng: string): string {
  return text.replace(/(`[^`]*`)|[^`]+/g, (part, code: string | undefined) => code ?? proseDigits(part, lng));
}

/**
 * Arabic prose writes a Latin term after the article «الـ» and a space («الـ AOF»): a line must
 * not break there, leaving the article alone at the end of a line and its term on the next.
 */
function keepArticleWithTerm(text: string): string {
  return text.replace(/الـ (?=\S)/g, 'الـ\u00a0');
}

/**
 * Code islands up to this many characters never break across lines (`20 GB`, `kill -9`,
 * `SIM RESTART --appendonly yes`); a table's narrow cells keep only the shortest ones whole.
 */
const UNBROKEN_CODE_CHARS = 32;
export const UNBROKEN_CODE_CHARS_IN_CELLS = 24;

/** The text's `code` spans, in order. */
export function codeInLessonText(text: string): string[] {
  return [...text.matchAll(/`([^`]+)`/g)].map((match) => match[1] as string);
}

/** The text as said aloud or put in an attribute: backticks dropped. */
export function plainLessonText(text: string): string {
  return text.replace(/`([^`]*)`/g, '$1');
}

/**
 * Text with its `code` spans as `<code dir="ltr">` (isolated, so RTL punctuation stays put). A line
 * of the text that is one code island alone (a file's lines quoted one under the other) shows as
 * its own left-to-right line, so that two long islands never share a line of the prose around them.
 */
export function renderLessonText(text: string, unbrokenChars = UNBROKEN_CODE_CHARS): ReactNode[] {
  const lines = text.split('\n');
  const islands = lines.map((line) => /^`([^`]+)`$/.exec(line.trim())?.[1]);
  return lines.flatMap((line, index) => {
    const island = islands[index];
    const body =
      island === undefined
        ? renderLine(line, unbrokenChars, `${index}-`)
        : [
            <code key={index} dir="ltr" className="lesson-code lesson-code-line">
              {island}
            </code>,
          ];
    if (index === 0) return body;
    // The newline stays in the text (copied, searched, read aloud) but collapses on screen: a line
    // starts a line of its own by being a block (a code line) or after a break (prose after prose).
    const proseAfterProse = island === undefined && islands[index - 1] === undefined;
    return ['\n', proseAfterProse && <br key={`${index}-br`} />, ...body];
  });
}

function renderLine(text: string, unbrokenChars: number, keyPrefix: string): ReactNode[] {
  return text.split(/`([^`]+)`/).map((part, index) =>
    index % 2 === 1 ? (
      <code key={keyPrefix + index} dir="ltr" className={part.length <= unbrokenChars ? 'lesson-code lesson-code-short' : 'lesson-code'}>
        {/* A longer island breaks between its words, not at a word's hyphens. */}
        {part.length <= unbrokenChars ? part : <WordsText text={part} longestWhole={unbrokenChars} />}
      </code>
    ) : (
      part
    ),
  );
}
