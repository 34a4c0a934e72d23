// @vitest-environment jsdom
import { describe, expect, test } from 'vitest';
import { act, fireEvent, screen, within } from '@testing-library/react';
import { renderLab } from './render-lab.tsx';

function textOf(element: Element | null): string {
  return (element?.textContent ?? '').replace(/[\u2066-\u2069\u200e]/g, '').replace(/\s+/g, ' ').trim();
}

function explanation(): string {
  return textOf(screen.getByTestId('region-explanation'));
}

describe('the RDB inspector', () => {
  test('says there is no file until a save', () => {
    renderLab();
    const panel = screen.getByRole('region', { name: 'RDB inspector' });
    expect(within(panel).getByText('No .rdb file on the disk yet. Press BGSAVE or SAVE.')).toBeInTheDocument();
  });

  test('shows dump.rdb as annotated hex, and explains each region on keyboard focus', async () => {
    const { store, user } = renderLab();
    act(() => {
      store.getState().runLine('SET greeting hello');
      store.getState().runLine('EXPIRE greeting 1000');
      store.getState().runLine('RPUSH queue a b c');
      store.getState().runLine('SAVE');
    });
    const panel = screen.getByRole('region', { name: 'RDB inspector' });
    expect(within(panel).getByRole('combobox', { name: 'File' })).toHaveValue('dump.rdb');
    expect(textOf(panel.querySelector('.file-summary'))).toMatch(/^RDB version 10 · \d+ B · 2 keys · 17 regions$/);

    // The hex: offset, 16 bytes, ASCII; the magic's bytes belong to region 0.
    const hex = within(panel).getByRole('region', { name: 'Hex dump of dump.rdb' });
    expect(hex).toHaveAttribute('dir', 'ltr');
    const firstRow = hex.querySelectorAll('.hex-row')[1];
    expect(textOf(firstRow?.querySelector('.hex-offset') ?? null)).toBe('00000000');
    expect(textOf(firstRow?.querySelector('.hb[data-region="0"]') ?? null)).toBe('52 45 44 49 53 30 30 31 30');
    expect(textOf(firstRow?.querySelector('.hex-ascii') ?? null)).toMatch(/^REDIS0010/);

    // The regions: one tab stop, arrows move, each region explained.
    const list = within(panel).getByRole('listbox', { name: 'Regions of dump.rdb' });
    const options = within(list).getAllByRole('option');
    expect(options).toHaveLength(17);
    expect(options.filter((option) => option.tabIndex === 0)).toHaveLength(1);
    expect(explanation()).toContain('The magic string “REDIS” and the format version, 10.');
    await user.click(options[0] as HTMLElement);
    await user.keyboard('{ArrowDown}');
    expect(options[1]).toHaveFocus();
    expect(options[1]).toHaveAttribute('aria-selected', 'true');
    expect(explanation()).toContain('Auxiliary field redis-ver = 7.0.15: the version of Redis that wrote the file.');
    expect(textOf(options[1] as HTMLElement)).toContain('AUX field redis-ver = 7.0.15');
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(explanation()).toContain('Auxiliary field ctime = 1767258000: when the snapshot was taken, in Unix seconds (2026-01-01T09:00:00Z).');
    await user.keyboard('{End}');
    expect(options[16]).toHaveFocus();
    expect(explanation()).toMatch(/CRC-64 of every byte before it: 0x[0-9a-f]{16}\. It matches the bytes: the file is intact\./);
    await user.keyboard('{ArrowUp}');
    expect(explanation()).toContain('EOF (0xff): the end of the data.');
    await user.keyboard('{Home}{PageDown}');
    expect(options[10]).toHaveFocus();

    const said = options.map((option) => textOf(option));
    expect(said.find((text) => text.includes('select db'))).toContain('SELECTDB: the keys that follow belong to database 0.');
    expect(said.find((text) => text.includes('db sizes'))).toContain('how many keys this database holds (2) and how many of them have a TTL (1)');
    expect(said.find((text) => text.includes('expiry'))).toContain('the next key, greeting, expires at 2026-01-01T09:16:40Z');
    expect(said.find((text) => text.includes('0x12 list'))).toContain(
      'Value type 0x12 = RDB_TYPE_LIST_QUICKLIST_2: the key that follows, queue, holds a list',
    );
    expect(said.find((text) => text.startsWith('00000') && text.includes('value queue'))).toContain(
      'The value of queue: a list of 3 elements, encoded as RDB_TYPE_LIST_QUICKLIST_2.',
    );
    expect(said.find((text) => text.includes('value greeting'))).toContain('The value of greeting: a string of 5 bytes, after its length.');

    // Pointing at a byte explains its region too.
    fireEvent.mouseOver(hex.querySelector('.hb[data-region="0"]') as Element);
    expect(explanation()).toContain('The magic string');
    // Leaving the dump goes back to the region selected in the list.
    fireEvent.mouseLeave(hex);
    expect(explanation()).toContain('The key greeting: its length, then its 8 bytes.');
  });

  test('renders a window of the file, and more on request', async () => {
    const { store, user } = renderLab();
    act(() => {
      store.getState().runLine('DEBUG POPULATE 300');
      store.getState().runLine('SAVE');
    });
    const panel = screen.getByRole('region', { name: 'RDB inspector' });
    const total = store.getState().inspector?.sizeBytes ?? 0;
    expect(total).toBeGreaterThan(4096);
    // A header row and 64 rows of 16 bytes.
    expect(panel.querySelectorAll('.hex-row')).toHaveLength(65);
    expect(textOf(panel.querySelector('.window-controls .hint'))).toBe(`Showing the first 1,024 bytes of ${total.toLocaleString('en')} B.`);
    const listed = within(panel).getAllByRole('option').length;
    await user.click(within(panel).getByRole('button', { name: /^Show \W?1\.0 KB\W? more$/ }));
    expect(panel.querySelectorAll('.hex-row')).toHaveLength(129);
    expect(within(panel).getAllByRole('option').length).toBeGreaterThan(listed);
  });

  test('a temp file being written: incomplete, with the offset where reading stopped', async () => {
    const { store, user } = renderLab();
    act(() => {
      store.getState().runLine('SIM SET disk-mbps 0.002');
      store.getState().runLine('DEBUG POPULATE 100');
      store.getState().runLine('BGSAVE');
      store.getState().advance(300);
    });
    const panel = screen.getByRole('region', { name: 'RDB inspector' });
    await user.selectOptions(within(panel).getByRole('combobox', { name: 'File' }), 'temp-4243.rdb');
    const note = within(panel).getByRole('note');
    expect(textOf(note)).toMatch(/^This file is incomplete: reading stops at byte 0x[0-9a-f]{8} \(\d+\)\./);
    expect(within(panel).queryByRole('listbox')).toBeNull();
    expect(panel.querySelectorAll('.hex-row')).toHaveLength(1 + Math.ceil(600 / 16));
  });

  test('in Arabic: explanations in Arabic, hex and names as LTR islands', async () => {
    const { store, user } = renderLab({ lang: 'ar' });
    act(() => {
      store.getState().runLine('SET greeting hello');
      store.getState().runLine('SAVE');
    });
    const panel = screen.getByRole('region', { name: 'فاحص ملفات RDB' });
    const list = within(panel).getByRole('listbox', { name: 'مناطق الملف dump.rdb' });
    expect(explanation()).toContain('الكلمة السحرية «REDIS» ثم رقم إصدار الصيغة، 10.');
    await user.click(within(list).getAllByRole('option')[1] as HTMLElement);
    expect(explanation()).toContain('حقل مساعد redis-ver = 7.0.15: إصدار Redis الذي كتب الملف.');
    expect(within(panel).getByRole('region', { name: 'عرض Hex للملف dump.rdb' })).toHaveAttribute('dir', 'ltr');
  });
});
