// @vitest-environment jsdom
import { describe, expect, test } from 'vitest';
import { act, fireEvent, screen, within } from '@testing-library/react';
import { finishExitAnimations, renderLab } from './render-lab.tsx';

function textOf(element: Element | null): string {
  return (element?.textContent ?? '').replace(/[\u2066-\u2069\u200e]/g, '').replace(/\s+/g, ' ').trim();
}

function explanation(): string {
  return textOf(screen.getByTestId('region-explanation'));
}

describe('the file inspector', () => {
  test('says there is no file until a save', () => {
    renderLab();
    const panel = screen.getByRole('region', { name: 'File inspector' });
    expect(within(panel).getByText('No file on the disk yet. Press BGSAVE or SAVE, or turn the AOF on (CONFIG SET appendonly yes).')).toBeInTheDocument();
  });

  test('shows dump.rdb as annotated hex, and explains each region on keyboard focus', async () => {
    const { store, user } = renderLab();
    act(() => {
      store.getState().runLine('SET greeting hello');
      store.getState().runLine('EXPIRE greeting 1000');
      store.getState().runLine('RPUSH queue a b c');
      store.getState().runLine('SAVE');
    });
    const panel = screen.getByRole('region', { name: 'File inspector' });
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
    const panel = screen.getByRole('region', { name: 'File inspector' });
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
    const panel = screen.getByRole('region', { name: 'File inspector' });
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
    const panel = screen.getByRole('region', { name: 'فاحص الملفات' });
    const list = within(panel).getByRole('listbox', { name: 'مناطق الملف dump.rdb' });
    expect(explanation()).toContain('الكلمة السحرية «REDIS» ثم رقم إصدار الصيغة، 10.');
    await user.click(within(list).getAllByRole('option')[1] as HTMLElement);
    expect(explanation()).toContain('حقل مساعد redis-ver = 7.0.15: إصدار Redis الذي كتب الملف.');
    expect(within(panel).getByRole('region', { name: 'عرض Hex للملف dump.rdb' })).toHaveAttribute('dir', 'ltr');
  });
});

describe('the file inspector on the AOF’s files', () => {
  const INCR = 'appendonlydir/appendonly.aof.1.incr.aof';
  const MANIFEST = 'appendonlydir/appendonly.aof.manifest';

  function aofOn(store: ReturnType<typeof renderLab>['store']): void {
    act(() => {
      store.getState().runLine('CONFIG SET appendonly yes');
      store.getState().advance(2000);
      store.getState().runLine('SET greeting hello');
    });
  }

  const commandsOf = (panel: HTMLElement, name: string) =>
    within(within(panel).getByRole('list', { name: `Commands of ${name}` }))
      .getAllByRole('listitem')
      .map((item) => textOf(item.querySelector('code')));

  test('lists every file it can read; the manifest shows the files it lists and its lines', async () => {
    const { store, user } = renderLab();
    aofOn(store);
    const panel = screen.getByRole('region', { name: 'File inspector' });
    const picker = within(panel).getByRole('combobox', { name: 'File' });
    const offered = within(picker).getAllByRole('option').map((option) => option.textContent);
    const onDisk = store.getState().persistence.disk.files.map((file) => file.name);
    expect(offered).toEqual(['Choose a file', ...onDisk]);
    expect(offered).toEqual(expect.arrayContaining([MANIFEST, INCR, 'appendonlydir/appendonly.aof.1.base.rdb']));

    await user.selectOptions(picker, MANIFEST);
    expect(picker).toHaveValue(MANIFEST);
    const listed = within(panel).getByRole('list', { name: `Files listed in ${MANIFEST}` });
    expect(within(listed).getAllByRole('listitem').map((item) => textOf(item))).toEqual([
      'appendonly.aof.1.base.rdb seq 1 · base',
      'appendonly.aof.1.incr.aof seq 1 · incr',
    ]);
    expect(panel.querySelector('.manifest-text')?.textContent).toBe(
      'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
    );
  });

  test('the incr file as the commands Redis replays, growing as writes arrive', async () => {
    const { store, user } = renderLab();
    aofOn(store);
    const panel = screen.getByRole('region', { name: 'File inspector' });
    await user.selectOptions(within(panel).getByRole('combobox', { name: 'File' }), INCR);
    expect(commandsOf(panel, INCR)).toEqual(['SELECT 0', 'SET greeting hello']);
    const summary = panel.querySelectorAll('.file-summary p');
    expect(textOf(summary[0] ?? null)).toMatch(/^appendonlydir\/appendonly\.aof\.1\.incr\.aof · AOF file · \d+ B · 2 commands$/);
    expect(textOf(summary[1] ?? null)).toBe('Redis reads it to the end and replays every command.');
    // No RDB preamble in an incr file: no hex, no regions.
    expect(within(panel).queryByRole('listbox')).toBeNull();

    act(() => {
      store.getState().runLine('INCR visits');
      store.getState().runLine('DEL greeting');
    });
    await finishExitAnimations();
    expect(commandsOf(panel, INCR)).toEqual(['SELECT 0', 'SET greeting hello', 'INCR visits', 'DEL greeting']);
    const size = store.getState().persistence.disk.files.find((file) => file.name === INCR)?.sizeBytes ?? 0;
    expect(textOf(panel.querySelector('.file-summary'))).toContain(`AOF file · ${size} B · 4 commands`);
  });

  test('a long incr file is listed 100 commands at a time', async () => {
    const { store, user } = renderLab();
    aofOn(store);
    act(() => {
      for (let i = 0; i < 150; i++) store.getState().runLine(`INCR n`);
    });
    const panel = screen.getByRole('region', { name: 'File inspector' });
    await user.selectOptions(within(panel).getByRole('combobox', { name: 'File' }), INCR);
    expect(commandsOf(panel, INCR)).toHaveLength(100);
    await user.click(within(panel).getByRole('button', { name: 'Show 52 more commands' }));
    expect(commandsOf(panel, INCR)).toHaveLength(152);
    expect(commandsOf(panel, INCR).at(-1)).toBe('INCR n');
  });

  test('a file a rewrite deleted leaves the list, and the view says so', async () => {
    const { store, user } = renderLab();
    aofOn(store);
    const panel = screen.getByRole('region', { name: 'File inspector' });
    const picker = within(panel).getByRole('combobox', { name: 'File' });
    await user.selectOptions(picker, INCR);
    act(() => {
      store.getState().runLine('BGREWRITEAOF');
      store.getState().advance(2000);
    });
    await finishExitAnimations();
    const offered = within(picker).getAllByRole('option').map((option) => option.textContent);
    expect(offered).not.toContain(INCR);
    expect(offered).toContain('appendonlydir/appendonly.aof.2.incr.aof');
    expect(picker).toHaveValue('');
    expect(within(panel).getByText(`${INCR} is no longer on the disk: this is how it was.`)).toBeInTheDocument();
    // The last bytes it had are still shown.
    expect(commandsOf(panel, INCR)).toEqual(['SELECT 0', 'SET greeting hello']);
  });

  test('the base keeps the RDB view: its regions one tab stop, explained on focus', async () => {
    const { store, user } = renderLab();
    aofOn(store);
    const panel = screen.getByRole('region', { name: 'File inspector' });
    await user.selectOptions(within(panel).getByRole('combobox', { name: 'File' }), 'appendonlydir/appendonly.aof.1.base.rdb');
    const list = within(panel).getByRole('listbox', { name: 'Regions of appendonlydir/appendonly.aof.1.base.rdb' });
    const options = within(list).getAllByRole('option');
    expect(options.filter((option) => option.tabIndex === 0)).toHaveLength(1);
    await user.click(options[0] as HTMLElement);
    await user.keyboard('{End}');
    expect(options.at(-1)).toHaveFocus();
    expect(explanation()).toMatch(/CRC-64/);
    expect(options.map((option) => textOf(option)).some((text) => text.includes('aof-base'))).toBe(true);
  });

  test('in Arabic: the manifest’s entries in Arabic, file names as LTR islands', async () => {
    const { store, user } = renderLab({ lang: 'ar' });
    aofOn(store);
    const panel = screen.getByRole('region', { name: 'فاحص الملفات' });
    await user.selectOptions(within(panel).getByRole('combobox', { name: 'الملف' }), MANIFEST);
    const entries = panel.querySelectorAll('.manifest-files li');
    expect(entries).toHaveLength(2);
    expect(entries[0]?.querySelector('bdi')).toHaveAttribute('dir', 'ltr');
    expect(panel.querySelector('.manifest-text')).toHaveAttribute('dir', 'ltr');
  });
});
