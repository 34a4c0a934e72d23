// @vitest-environment jsdom
/**
 * A lesson step's table as the student gets it (jsdom): a real table named by its caption, with
 * column and row headings a screen reader announces with each cell, code islands in its cells,
 * inside a focusable box that scrolls sideways; in English and in Arabic; an instructor's inline
 * text with its English fallback.
 */
import { render, screen, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { createI18n, type LanguageCode } from '../../src/i18n/index.ts';
import { BUILTIN_LESSONS } from '../../src/lessons/builtin.ts';
import type { LessonTable } from '../../src/lessons/format.ts';
import { LessonTableView } from '../../src/ui/lessons/LessonTable.tsx';

const choosingTable = BUILTIN_LESSONS.find((lesson) => lesson.id === 'choosing')?.steps.at(-1)?.table as LessonTable;

function renderTable(table: LessonTable, lang: LanguageCode) {
  return render(
    <I18nextProvider i18n={createI18n(lang)}>
      <LessonTableView table={table} />
    </I18nextProvider>,
  );
}

/** The text of the cell at a row heading and a column heading, found as a screen reader pairs them. */
function cellAt(table: HTMLElement, rowHeading: string, columnHeading: string): HTMLElement {
  const column = within(table)
    .getAllByRole('columnheader')
    .findIndex((header) => header.textContent === columnHeading);
  const row = within(table).getByRole('rowheader', { name: rowHeading }).closest('tr') as HTMLElement;
  return within(row).getAllByRole('cell')[column] as HTMLElement;
}

describe('a lesson step’s table', () => {
  test('lesson 7, in English: caption, five setups, seven questions, the cell at each crossing', () => {
    renderTable(choosingTable, 'en');
    const table = screen.getByRole('table', { name: 'Five setups side by side' });
    expect(table.querySelector('caption')).toHaveTextContent('Five setups side by side');

    const columns = within(table).getAllByRole('columnheader');
    expect(columns.map((header) => header.textContent)).toEqual(['No persistence', 'RDB only', 'AOF everysec', 'AOF always', 'RDB + AOF']);
    for (const header of columns) expect(header).toHaveAttribute('scope', 'col');
    const rows = within(table).getAllByRole('rowheader');
    expect(rows.map((header) => header.textContent)).toEqual([
      'A power cut loses',
      'A process crash (kill -9) loses',
      'At restart, Redis reads',
      'On disk',
      'Cost while running',
      'Backups',
      'Good for',
    ]);
    for (const header of rows) expect(header).toHaveAttribute('scope', 'row');
    // The corner above the row headings is a plain cell, not an empty heading.
    expect(table.querySelector('thead td')).toBeEmptyDOMElement();

    expect(cellAt(table, 'A power cut loses', 'AOF always')).toHaveTextContent('nothing acknowledged');
    expect(cellAt(table, 'A power cut loses', 'RDB only')).toHaveTextContent("every write since the last completed snapshot's fork()");
    expect(cellAt(table, 'At restart, Redis reads', 'RDB + AOF')).toHaveTextContent('only the AOF: an RDB base, then the latest commands');

    // Code islands, as in narration: in a heading and in a cell, left to right.
    const island = within(columns[2] as HTMLElement).getByText('everysec');
    expect(island.tagName).toBe('CODE');
    expect(island).toHaveAttribute('dir', 'ltr');
    expect(within(cellAt(table, 'Backups', 'RDB only')).getByText('dump.rdb').tagName).toBe('CODE');
    expect(within(rows[1] as HTMLElement).getByText('kill -9')).toHaveAttribute('dir', 'ltr');

    // The box that scrolls sideways is named by the caption and reachable from the keyboard.
    const box = screen.getByRole('region', { name: 'Five setups side by side' });
    expect(box).toHaveAttribute('tabindex', '0');
    expect(box).toContainElement(table);
    // The note under the table: how to pause rewrites for a backup, the command on a line of its own.
    const note = document.querySelector('.lesson-table-note') as HTMLElement;
    expect(note).toHaveTextContent(/^Before copying appendonlydir\/, pause automatic rewrites .* Whatever you choose, crash it on purpose/);
    expect(within(note).getByText('CONFIG SET auto-aof-rewrite-percentage 0')).toHaveClass('lesson-code-line');
  });

  test('lesson 7, in Arabic: the same table written for Arabic readers', () => {
    renderTable(choosingTable, 'ar');
    const table = screen.getByRole('table', { name: 'خمسة إعدادات جنبًا إلى جنب' });
    expect(within(table).getAllByRole('columnheader').map((header) => header.textContent)).toEqual([
      'بلا حفظ على القرص',
      'RDB وحده',
      'AOF مع everysec',
      'AOF مع always',
      'RDB مع AOF',
    ]);
    expect(within(table).getAllByRole('rowheader')).toHaveLength(7);
    expect(cellAt(table, 'ما يضيع بانقطاع الكهرباء', 'AOF مع always')).toHaveTextContent('لا شيء مما أُكِّد للعميل');
    expect(within(table).getByText('kill -9')).toHaveAttribute('dir', 'ltr');
  });

  test('an instructor’s table in inline text: the reader’s language, or English where it has none', () => {
    const table: LessonTable = {
      caption: { en: 'Two setups', ar: 'إعدادان' },
      columns: [{ en: 'RDB only', ar: 'RDB وحده' }, { en: 'AOF `always`' }],
      rows: [{ heading: { en: 'Power cut', ar: 'انقطاع الكهرباء' }, cells: [{ en: 'since the last snapshot', ar: 'منذ آخر لقطة' }, { en: 'nothing' }] }],
    };
    renderTable(table, 'ar');
    const shown = screen.getByRole('table', { name: 'إعدادان' });
    expect(within(shown).getAllByRole('columnheader').map((header) => header.textContent)).toEqual(['RDB وحده', 'AOF always']);
    expect(cellAt(shown, 'انقطاع الكهرباء', 'AOF always')).toHaveTextContent('nothing');
    // No note, no paragraph under the table.
    expect(document.querySelector('.lesson-table-note')).toBeNull();
  });
});
