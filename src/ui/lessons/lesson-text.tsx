import type { i18n as I18n } from 'i18next';
import type { ReactNode } from 'react';
import { languageInfo } from '../../i18n/index.ts';
import { isInlineText, type LessonText } from '../../lessons/format.ts';

/**
 * Lesson text in the reader's language: a translation key is looked up in the lessons' locale
 * files; inline text (an instructor's file) gives the current language's version, or English.
 * Backticks mark commands, file names and numbers, rendered as left-to-right code islands.
 */

export function resolveLessonText(text: LessonText, i18n: I18n): string {
  if (isInlineText(text)) {
    const language = languageInfo(i18n.resolvedLanguage).code;
    return text[language] ?? text.en;
  }
  // Built-in keys are data (JSON), not literals the typed `t` can check; the tests check them.
  return (i18n.t as unknown as (key: string) => string)(text);
}

/** The text as said aloud or put in an attribute: backticks dropped. */
export function plainLessonText(text: string): string {
  return text.replace(/`([^`]*)`/g, '$1');
}

/** Text with its `code` spans as `<code dir="ltr">` (isolated, so RTL punctuation stays put). */
export function renderLessonText(text: string): ReactNode[] {
  return text.split(/`([^`]+)`/).map((part, index) =>
    index % 2 === 1 ? (
      <code key={index} dir="ltr" className="lesson-code">
        {part}
      </code>
    ) : (
      part
    ),
  );
}
