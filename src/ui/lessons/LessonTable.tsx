import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { LessonTable, LessonText } from '../../lessons/format.ts';
import { renderLessonText, resolveLessonText, UNBROKEN_CODE_CHARS_IN_CELLS } from './lesson-text.tsx';

/**
 * A step's table, after its narration: a real `<table>` with a caption, column headings and row
 * headings, so a screen reader names the column and the row of every cell it reads. Wider than
 * the lesson panel, it scrolls sideways inside its own box, never the page; the row headings stay
 * in view while it does. The box takes keyboard focus, so it scrolls without a mouse too.
 */
export function LessonTableView({ table }: { table: LessonTable }) {
  const { i18n } = useTranslation();
  const captionId = useId();
  const show = (text: LessonText) => renderLessonText(resolveLessonText(text, i18n), UNBROKEN_CODE_CHARS_IN_CELLS);
  return (
    <div className="lesson-table">
      <div className="lesson-table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
        <table>
          <caption id={captionId}>{show(table.caption)}</caption>
          <thead>
            <tr>
              <td className="lesson-table-corner" />
              {table.columns.map((heading, index) => (
                <th key={index} scope="col">
                  {show(heading)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, index) => (
              <tr key={index}>
                <th scope="row">{show(row.heading)}</th>
                {row.cells.map((cell, column) => (
                  <td key={column}>{show(cell)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {table.note !== undefined && <p className="lesson-table-note">{show(table.note)}</p>}
    </div>
  );
}
