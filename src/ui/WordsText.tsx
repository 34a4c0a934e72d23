import { Fragment } from 'react';

/**
 * A command or a line of code that may wrap only between its words: `SIM RESTART` then
 * `--appendonly yes`, never `--append` / `only` at a hyphen. Each word keeps whole (`.nowrap`); a
 * word longer than `longestWhole` may still break anywhere, rather than widen a narrow box (PathText
 * does the same for a file name, at its slashes). The text itself is unchanged.
 */
export function WordsText({ text, longestWhole = Number.POSITIVE_INFINITY }: { text: string; longestWhole?: number }) {
  return (
    <>
      {text.split(' ').map((word, index) => (
        <Fragment key={index}>
          {index > 0 && ' '}
          {word.length <= longestWhole ? <span className="nowrap">{word}</span> : word}
        </Fragment>
      ))}
    </>
  );
}
