// @vitest-environment jsdom
// The redis.conf panel: each persistence directive by its real name with its redis.conf and running
// values; CONFIG SET from the running value, a restart with redis.conf edits, the difference marked.
import { act, fireEvent, screen, within } from '@testing-library/react';
import { renderLab } from './render-lab.tsx';
import { CONFIG_DIRECTIVES } from '../../src/store/config-view.ts';
import { cliArgument, restartLines } from '../../src/ui/config/ConfigPanel.tsx';

function textOf(element: Element | null): string {
  return (element?.textContent ?? '').replace(/[\u2066-\u2069\u200e]/g, '').replace(/\s+/g, ' ').trim();
}

const panel = () => screen.getByRole('region', { name: /^redis\.conf$|redis\.conf/ });
const row = (name: string) => panel().querySelector<HTMLElement>(`[data-directive="${name}"]`) as HTMLElement;
const lines = (store: ReturnType<typeof renderLab>['store']) => store.getState().transcript.map((entry) => entry.line);

describe('the redis.conf panel', () => {
  test('lists every persistence directive with its one-line explanation and both values', () => {
    renderLab();
    const names = Array.from(panel().querySelectorAll('.config-name'), (name) => name.textContent);
    expect(names).toEqual([...CONFIG_DIRECTIVES]);
    expect(within(row('save')).getByRole('textbox', { name: 'save in redis.conf' })).toHaveValue('3600 1 300 100 60 10000');
    expect(within(row('save')).getByRole('textbox', { name: 'save, running value' })).toHaveValue('3600 1 300 100 60 10000');
    expect(within(row('appendfsync')).getByRole('combobox', { name: 'appendfsync, running value' })).toHaveValue('everysec');
    expect(within(row('appendfsync')).getByRole('combobox', { name: 'appendfsync, running value' })).toHaveAccessibleDescription(/^When the AOF reaches the disk/);
    // Read at startup only: the running value cannot be set, and the row says why.
    expect(within(row('rdbchecksum')).getByRole('combobox', { name: 'rdbchecksum, running value' })).toBeDisabled();
    expect(textOf(row('rdbchecksum'))).toContain('Read at startup only: CONFIG SET refuses it.');
    expect(textOf(row('dbfilename'))).toContain('Protected: CONFIG SET refuses it (enable-protected-configs is no).');
  });

  test('a running value is set with CONFIG SET; the row then says it differs from redis.conf', async () => {
    const { store, user } = renderLab();
    await user.selectOptions(within(row('appendfsync')).getByRole('combobox', { name: 'appendfsync, running value' }), 'always');
    expect(lines(store)).toEqual(['CONFIG SET appendfsync always']);
    expect(row('appendfsync')).toHaveClass('is-changed');
    expect(textOf(row('appendfsync'))).toContain('Changed with CONFIG SET: lost at restart unless CONFIG REWRITE.');
    expect(within(row('appendfsync')).getByRole('combobox', { name: 'appendfsync in redis.conf' })).toHaveValue('everysec');

    const save = within(row('save')).getByRole('textbox', { name: 'save, running value' });
    await user.clear(save);
    await user.click(within(row('save')).getByRole('button', { name: 'Set' }));
    expect(lines(store).at(-1)).toBe('CONFIG SET save ""');
    expect(within(row('save')).getByRole('textbox', { name: 'save, running value' })).toHaveValue('');

    // CONFIG REWRITE appears once something differs, and runs in the console.
    await user.click(within(panel()).getByRole('button', { name: /CONFIG REWRITE/ }));
    expect(lines(store).at(-1)).toBe('CONFIG REWRITE');
  });

  test('a value Redis refuses shows its reply beside the directive', async () => {
    const { user } = renderLab();
    const percentage = within(row('auto-aof-rewrite-percentage')).getByRole('textbox', { name: 'auto-aof-rewrite-percentage, running value' });
    await user.clear(percentage);
    await user.type(percentage, 'lots{Enter}');
    expect(textOf(within(row('auto-aof-rewrite-percentage')).getByRole('alert'))).toBe(
      "CONFIG SET refused: (error) ERR CONFIG SET failed (possibly related to argument 'auto-aof-rewrite-percentage') - argument couldn't be parsed into an integer",
    );
  });

  test('a console CONFIG SET shows in the panel too', () => {
    const { store } = renderLab();
    act(() => void store.getState().runLine('CONFIG SET rdbcompression no'));
    expect(within(row('rdbcompression')).getByRole('combobox', { name: 'rdbcompression, running value' })).toHaveValue('no');
    expect(row('rdbcompression')).toHaveClass('is-changed');
  });

  test('redis.conf edits are collected, then a restart applies them: SHUTDOWN, SIM RESTART --name value', async () => {
    const { store, user } = renderLab();
    await user.selectOptions(within(row('appendonly')).getByRole('combobox', { name: 'appendonly in redis.conf' }), 'yes');
    fireEvent.change(within(row('save')).getByRole('textbox', { name: 'save in redis.conf' }), { target: { value: '60 1' } });
    expect(lines(store)).toEqual([]);
    expect(textOf(panel().querySelector('.config-pending p'))).toBe('2 edits to redis.conf, read at the next start.');
    expect(Array.from(panel().querySelectorAll('.config-lines li'), (li) => textOf(li))).toEqual(['SHUTDOWN', 'SIM RESTART --save "60 1" --appendonly yes']);
    await user.click(within(panel()).getByRole('button', { name: 'Restart with these edits' }));
    expect(lines(store)).toEqual(['SHUTDOWN', 'SIM RESTART --save "60 1" --appendonly yes']);
    expect(store.getState().lifecycle.running).toBe(true);
    expect(within(row('appendonly')).getByRole('combobox', { name: 'appendonly, running value' })).toHaveValue('yes');
    expect(within(row('appendonly')).getByRole('combobox', { name: 'appendonly in redis.conf' })).toHaveValue('yes');
    expect(within(row('save')).getByRole('textbox', { name: 'save in redis.conf' })).toHaveValue('60 1');
    expect(panel().querySelector('.config-pending')).toBeNull();
  });

  test('while the server is down, running values cannot be set, and a restart needs no SHUTDOWN', async () => {
    const { store, user } = renderLab();
    act(() => void store.getState().runLine('SIM CRASH PROCESS'));
    expect(textOf(panel())).toContain('redis-server is not running: CONFIG SET needs it. Edit redis.conf and restart.');
    expect(within(row('appendfsync')).getByRole('combobox', { name: 'appendfsync, running value' })).toBeDisabled();
    await user.selectOptions(within(row('appendfsync')).getByRole('combobox', { name: 'appendfsync in redis.conf' }), 'always');
    await user.click(within(panel()).getByRole('button', { name: 'Restart with these edits' }));
    expect(lines(store).slice(1)).toEqual(['SIM RESTART --appendfsync always']);
  });

  test('lines are built as redis-cli reads them', () => {
    expect(cliArgument('everysec')).toBe('everysec');
    expect(cliArgument('')).toBe('""');
    expect(cliArgument('900 1')).toBe('"900 1"');
    expect(cliArgument('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(restartLines(false, [])).toEqual(['SIM RESTART']);
  });

  test('in Arabic', () => {
    renderLab({ lang: 'ar' });
    const arabic = screen.getByRole('region', { name: 'ملف الإعدادات redis.conf' });
    expect(within(arabic).getByRole('combobox', { name: 'appendfsync، القيمة الحالية' })).toHaveAttribute('dir', 'ltr');
    expect(textOf(arabic.querySelector('[data-directive="appendonly"]'))).toContain('سجّل كل كتابة في ملف الـ AOF.');
  });
});
