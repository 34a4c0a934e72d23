// @vitest-environment jsdom
import { describe, expect, test } from 'vitest';
import { act, screen, within } from '@testing-library/react';
import { renderLab } from './render-lab.tsx';

function transcriptTexts(): string[] {
  const list = screen.getByRole('list', { name: 'Console output' });
  return within(list)
    .queryAllByRole('listitem')
    .map((item) => item.textContent ?? '');
}

describe('the console', () => {
  test('runs a typed line and shows the prompt, the line and redis-cli’s reply', async () => {
    const { user } = renderLab();
    const input = screen.getByRole('textbox', { name: 'Command' });
    const emptyHint = /^The screen is empty\./;
    expect(screen.getByText(emptyHint)).toBeInTheDocument();
    await user.type(input, 'SET greeting hello{Enter}');
    expect(screen.queryByText(emptyHint)).toBeNull();
    await user.type(input, 'GET greeting{Enter}');
    expect(transcriptTexts()).toEqual(['127.0.0.1:6379> SET greeting helloOK', '127.0.0.1:6379> GET greeting"hello"']);
    expect(input).toHaveValue('');
  });

  test('ArrowUp and ArrowDown walk the history and come back to the line being typed', async () => {
    const { user } = renderLab();
    const input = screen.getByRole('textbox', { name: 'Command' });
    await user.type(input, 'INCR a{Enter}');
    await user.type(input, 'INCR b{Enter}');
    await user.type(input, 'INCR c{Enter}');
    await user.type(input, 'GET');
    await user.keyboard('{ArrowUp}');
    expect(input).toHaveValue('INCR c');
    await user.keyboard('{ArrowUp}{ArrowUp}{ArrowUp}');
    expect(input).toHaveValue('INCR a');
    await user.keyboard('{ArrowDown}');
    expect(input).toHaveValue('INCR b');
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(input).toHaveValue('GET');
    await user.keyboard('{ArrowUp}{Enter}');
    expect(transcriptTexts().at(-1)).toBe('127.0.0.1:6379> INCR c(integer) 2');
  });

  test('an error reply is marked as an error by colour class, icon and a hidden label', async () => {
    const { user } = renderLab();
    const input = screen.getByRole('textbox', { name: 'Command' });
    await user.type(input, 'RPUSH list a{Enter}');
    await user.type(input, 'INCR list{Enter}');
    const error = screen.getByTestId('reply-error');
    expect(error).toHaveClass('reply-error');
    expect(error).toHaveTextContent('Error: (error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(error.querySelector('svg')).not.toBeNull();
    expect(screen.getByRole('status')).toHaveTextContent('INCR failed: WRONGTYPE Operation against a key holding the wrong kind of value');
  });

  test('while the server is down: redis-cli’s not connected prompt, its refusal marked as an error; SIM lines still run', async () => {
    const { user, store } = renderLab();
    act(() => void store.getState().runLine('SIM CRASH PROCESS'));
    const input = screen.getByRole('textbox', { name: 'Command' });
    expect(document.querySelector('.prompt-row .prompt')).toHaveTextContent(/^not connected>$/);
    await user.type(input, 'GET a{Enter}');
    // The hidden "Error:" is for screen readers (the reply's text is redis-cli's own).
    expect(transcriptTexts().at(-1)).toBe('not connected> GET aError: Could not connect to Redis at 127.0.0.1:6379: Connection refused');
    expect(screen.getByTestId('reply-error')).toHaveTextContent('Error: Could not connect to Redis at 127.0.0.1:6379: Connection refused');
    expect(screen.getByRole('status')).toHaveTextContent('GET failed: Could not connect to Redis at 127.0.0.1:6379: Connection refused');
    await user.type(input, 'SIM RESTART{Enter}');
    expect(transcriptTexts().at(-1)).toBe('not connected> SIM RESTARTOK');
    await user.type(input, 'PING{Enter}');
    expect(transcriptTexts().at(-1)).toBe('not connected> PINGPONG');
    expect(document.querySelector('.prompt-row .prompt')).toHaveTextContent(/^127\.0\.0\.1:6379>$/);
  });

  test('unbalanced quotes print Invalid argument(s), with an explanation', async () => {
    const { user, store } = renderLab();
    await user.type(screen.getByRole('textbox', { name: 'Command' }), 'SET greeting "hello{Enter}');
    expect(screen.getByTestId('reply-error')).toHaveTextContent('Invalid argument(s)');
    expect(screen.getByText('A quote was opened and never closed, so redis-cli sent nothing.')).toBeInTheDocument();
    expect(store.getState().keyspace.totalKeys).toBe(0);
  });

  test('quit ends redis-cli, as it does in a terminal: the console says so, and starts a new connection on database 0', async () => {
    const { user } = renderLab();
    const input = screen.getByRole('textbox', { name: 'Command' });
    await user.type(input, 'SELECT 4{Enter}');
    await user.type(input, 'quit{Enter}');
    const said = 'redis-cli ends on quit or exit, sending nothing. The console started it again: a new connection, on database 0, and no transaction open.';
    expect(within(screen.getByRole('list', { name: 'Console output' })).getByText(said)).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent(said);
    expect(document.querySelector('.prompt-row .prompt')).toHaveTextContent(/^127\.0\.0\.1:6379>$/);
  });

  test('an EXEC dropped by WATCH prints (nil), as redis-cli does, and the console says why', async () => {
    const { user } = renderLab();
    const input = screen.getByRole('textbox', { name: 'Command' });
    for (const line of ['WATCH k', 'SET k 2', 'MULTI', 'SET k 1', 'EXEC']) await user.type(input, `${line}{Enter}`);
    expect(transcriptTexts().at(-1)).toMatch(/^127\.0\.0\.1:6379\(TX\)> EXEC\(nil\)EXEC ran nothing: a key watched with WATCH changed/);
  });

  test('narrates each line in the aria-live region', async () => {
    const { user } = renderLab();
    await user.type(screen.getByRole('textbox', { name: 'Command' }), 'SET greeting hello{Enter}');
    expect(screen.getByRole('status')).toHaveTextContent('SET ran: OK');
    await user.type(screen.getByRole('textbox', { name: 'Command' }), 'RPUSH l a b c{Enter}');
    await user.type(screen.getByRole('textbox', { name: 'Command' }), 'LRANGE l 0 -1{Enter}');
    expect(screen.getByRole('status')).toHaveTextContent('LRANGE ran: a list of 3 elements');
  });

  test('a quick action fills the command line, and Enter runs it', async () => {
    const { user } = renderLab();
    await user.click(screen.getByRole('button', { name: /^RPUSH/ }));
    const input = screen.getByRole('textbox', { name: 'Command' });
    expect(input).toHaveValue('RPUSH queue job:1 job:2 job:3');
    expect(input).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(transcriptTexts()).toEqual(['127.0.0.1:6379> RPUSH queue job:1 job:2 job:3(integer) 3']);
  });

  test('clear and Ctrl+L empty the screen', async () => {
    const { user } = renderLab();
    const input = screen.getByRole('textbox', { name: 'Command' });
    await user.type(input, 'INCR n{Enter}');
    await user.type(input, 'clear{Enter}');
    expect(transcriptTexts()).toEqual([]);
    await user.type(input, 'INCR n{Enter}');
    await user.keyboard('{Control>}l{/Control}');
    expect(transcriptTexts()).toEqual([]);
  });

  test('the prompt shows (TX) inside MULTI', async () => {
    const { user } = renderLab();
    const input = screen.getByRole('textbox', { name: 'Command' });
    await user.type(input, 'MULTI{Enter}');
    await user.type(input, 'INCR n{Enter}');
    await user.type(input, 'EXEC{Enter}');
    expect(transcriptTexts()).toEqual([
      '127.0.0.1:6379> MULTIOK',
      '127.0.0.1:6379(TX)> INCR nQUEUED',
      '127.0.0.1:6379(TX)> EXEC1) (integer) 1',
    ]);
  });

  test('in Arabic the screen stays left to right and the narration is Arabic', async () => {
    const { user } = renderLab({ lang: 'ar' });
    const input = screen.getByRole('textbox', { name: 'الأمر' });
    await user.type(input, 'SET greeting hello{Enter}');
    expect(screen.getByRole('list', { name: 'مخرجات الطرفية' }).closest('[dir]')).toHaveAttribute('dir', 'ltr');
    expect(screen.getByRole('status')).toHaveTextContent('نُفّذ SET، والرد: OK');
  });

  test('a command Redis has and the lab leaves out: its English error, said again in Arabic (not repeated in English)', async () => {
    const hint = 'هذا الأمر موجود في Redis 7.0، لكن المختبر لا يشغّله: يكتفي بما تحتاجه دروس الحفاظ على البيانات.';
    const arabic = renderLab({ lang: 'ar' });
    await arabic.user.type(screen.getByRole('textbox', { name: 'الأمر' }), 'ZPOPMIN z{Enter}');
    expect(screen.getByTestId('reply-error')).toHaveTextContent("ERR This lab does not run 'ZPOPMIN', a Redis 7.0 command it leaves out");
    expect(screen.getByText(hint)).toHaveAttribute('dir', 'rtl');
    await arabic.user.type(screen.getByRole('textbox', { name: 'الأمر' }), 'NOSUCH{Enter}');
    expect(screen.getAllByText(hint)).toHaveLength(1);
    arabic.unmount();

    const english = renderLab();
    await english.user.type(screen.getByRole('textbox', { name: 'Command' }), 'ZPOPMIN z{Enter}');
    expect(screen.queryByText(/leaves it out, keeping to what its persistence lessons need/)).toBeNull();
  });
});

describe('very long lines', () => {
  test('a long typed line and a long reply are cut on screen, and say how much is not shown', () => {
    const { store } = renderLab();
    const value = 'v'.repeat(30_000);
    act(() => void store.getState().runLine(`SET big ${value}`));
    act(() => void store.getState().runLine('GET big'));
    const items = screen.getAllByRole('listitem').filter((item) => item.classList.contains('entry'));
    expect(items[0]?.textContent).toContain('(29,768 more characters not shown)');
    expect(items[1]?.textContent).toContain('more characters not shown');
    // The engine keeps the whole value.
    expect(store.getState().transcript[1]?.output).toMatchObject({ kind: 'reply', text: `"${value}"` });
  });
});
