// @vitest-environment jsdom
import { describe, expect, test } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import { renderLab } from './render-lab.tsx';

/**
 * The crash controls, the crash drawn, the restart told step by step and the "what survived"
 * card, on a real lab store and engine (no mocks), in English and Arabic.
 */

function textOf(element: Element | null): string {
  return (element?.textContent ?? '').replace(/[\u2066-\u2069\u200e\u200f]/g, '').replace(/\s+/g, ' ').trim();
}

function lastTranscriptLine(): string {
  return textOf(screen.getByRole('list', { name: 'Console output' }).lastElementChild);
}

/** The card's figures as `name value`. */
function figures(card: HTMLElement): string[] {
  return [...card.querySelectorAll('.survival-figure')].map((figure) => `${textOf(figure.querySelector('dt'))} ${textOf(figure.querySelector('dd'))}`);
}

function crashGroup(name = 'Crash and restart commands'): HTMLElement {
  return screen.getByRole('group', { name });
}

describe('the crash controls', () => {
  test('crash, power loss, kill the child, SHUTDOWN and the restarts sit side by side, each running its line', async () => {
    const { user } = renderLab();
    const buttons = within(crashGroup()).getAllByRole('button');
    expect(buttons.map((button) => textOf(button.querySelector('.command-line')))).toEqual([
      'SIM CRASH PROCESS',
      'SIM CRASH POWER',
      'SIM KILLCHILD',
      'SHUTDOWN',
      'SIM RESTART',
      'SIM RESTART --appendonly yes',
    ]);
    await user.click(within(crashGroup()).getByRole('button', { name: /^SHUTDOWN/ }));
    // SHUTDOWN closes the connection: redis-cli prints nothing after it.
    expect(lastTranscriptLine()).toBe('127.0.0.1:6379> SHUTDOWN');
    expect(screen.getByTestId('server-down')).toHaveAttribute('data-reason', 'shutdown');
  });

  test('killing the fork child with no child: quieter, as in the Snapshots panel, and Redis’s answer when pressed; with a child, it kills it', async () => {
    const { user, store } = renderLab();
    const kill = within(crashGroup()).getByRole('button', { name: /^SIM KILLCHILD/ });
    expect(kill).toBeEnabled();
    expect(kill).toHaveClass('is-idle');
    expect(kill).toHaveAccessibleName(/Works while a fork child runs/);
    await user.click(kill);
    expect(lastTranscriptLine()).toBe('127.0.0.1:6379> SIM KILLCHILDError: (error) ERR no child process is running');
    act(() => {
      store.getState().runLine('DEBUG POPULATE 500');
      store.getState().runLine('SIM SET disk-mbps 0.002');
      store.getState().runLine('BGSAVE');
    });
    expect(kill).not.toHaveClass('is-idle');
    expect(kill).not.toHaveAccessibleName(/Works while a fork child runs/);
    kill.focus();
    await user.keyboard('{Enter}');
    expect(lastTranscriptLine()).toBe('127.0.0.1:6379> SIM KILLCHILDOK');
    expect(document.querySelector('.process-child')).toHaveAttribute('data-state', 'exited');
  });
});

describe('the crash drawn', () => {
  test('a process crash: the process and its memory are gone, every file keeps its bytes', async () => {
    const { user, store } = renderLab();
    act(() => {
      store.getState().runLine('CONFIG SET appendonly yes');
      store.getState().advance(1000);
      store.getState().runLine('SET a 1');
      store.getState().runLine('SET b 2');
    });
    await user.click(within(crashGroup()).getByRole('button', { name: /^SIM CRASH PROCESS/ }));
    const scene = screen.getByTestId('crash-scene');
    expect(scene).toHaveAttribute('data-kind', 'process');
    expect(within(scene).getByRole('heading', { level: 3 })).toHaveTextContent(/^Redis was killed \(kill -9\) at 09:00:01$/);
    expect(textOf(scene.querySelector('.crash-memory'))).toBe('redis-server pid 4242 2 keys in memory');
    expect(within(scene).getByText('gone')).toBeInTheDocument();
    expect(within(scene).getByText(/the page cache survives/)).toBeInTheDocument();
    const files = within(scene).getByRole('list', { name: 'Files in dir after the stop' });
    const rows = within(files).getAllByRole('listitem');
    expect(rows.map((row) => row.getAttribute('data-lost-bytes'))).toEqual(['0', '0', '0']);
    expect(textOf(files)).toContain('appendonlydir/appendonly.aof.1.incr.aof all');
  });

  test('a power loss strikes out the bytes that were only in the page cache, and says so after the drawing', async () => {
    const { user, store } = renderLab();
    act(() => {
      store.getState().runLine('CONFIG SET appendonly yes');
      store.getState().advance(1000);
      store.getState().runLine('SIM SET fsync-ms 3000');
      store.getState().runLine('SET a 1');
      store.getState().advance(5000);
      store.getState().runLine('SET b 2');
    });
    await user.click(within(crashGroup()).getByRole('button', { name: /^SIM CRASH POWER/ }));
    const scene = screen.getByTestId('crash-scene');
    expect(scene).toHaveAttribute('data-kind', 'power');
    const incr = scene.querySelector('[data-file="appendonlydir/appendonly.aof.1.incr.aof"]');
    expect(Number(incr?.getAttribute('data-lost-bytes'))).toBeGreaterThan(0);
    expect(textOf(incr)).toMatch(/\d+ B lost \(only in the page cache\), \d+ B kept/);
    expect(incr?.querySelector('.bar-lost')).not.toBeNull();
    expect(within(scene).getByRole('list', { name: 'Bar legend' })).toHaveTextContent('struck out: lost');
    await waitFor(() => expect(textOf(screen.getByTestId('narration'))).toMatch(/appendonlydir\/appendonly\.aof\.1\.incr\.aof lost \d+ B\./), { timeout: 3000 });
  });

  test('each bar is its file whole: an 88 B manifest kept reads as fully kept beside a 40 KB dump.rdb', async () => {
    const { user, store } = renderLab();
    act(() => {
      for (const line of ['DEBUG POPULATE 2000', 'SAVE', 'CONFIG SET appendonly yes']) store.getState().runLine(line);
      store.getState().advance(1000);
      store.getState().runLine('SET a 1');
    });
    await user.click(within(crashGroup()).getByRole('button', { name: /^SIM CRASH PROCESS/ }));
    const scene = screen.getByTestId('crash-scene');
    expect(within(scene).getByText('Each bar is one whole file, whatever its size.')).toBeInTheDocument();
    const rows = [...scene.querySelectorAll<HTMLElement>('.crash-file')].map((row) => [
      row.dataset.file,
      Number(/([\d,]+) B kept/.exec(textOf(row))?.[1]?.replace(/,/g, '')),
      Number.parseFloat(row.querySelector<HTMLElement>('.bar-durable')?.style.inlineSize ?? ''),
    ]);
    const sizes = rows.map(([, size]) => size as number);
    expect(Math.max(...sizes)).toBeGreaterThan(30_000);
    expect(rows.find(([name]) => name === 'appendonlydir/appendonly.aof.manifest')?.[1]).toBe(88);
    // Every bar full (percent of its own file): nothing was lost, whatever the file's size.
    expect(rows.map(([name, , width]) => [name, width])).toEqual(rows.map(([name]) => [name, 100]));
  });

  test('a power loss: the lost part is the share of that file, not of the largest', async () => {
    const { user, store } = renderLab();
    act(() => {
      for (const line of ['DEBUG POPULATE 2000', 'SAVE', 'CONFIG SET appendonly yes']) store.getState().runLine(line);
      store.getState().advance(1000);
      store.getState().runLine('SIM SET fsync-ms 3000');
      store.getState().runLine('SET a 1');
      store.getState().advance(5000);
      store.getState().runLine('SET b 2');
    });
    await user.click(within(crashGroup()).getByRole('button', { name: /^SIM CRASH POWER/ }));
    const incr = screen.getByTestId('crash-scene').querySelector<HTMLElement>('[data-file="appendonlydir/appendonly.aof.1.incr.aof"]');
    const [lost = 0, kept = 0] = [...textOf(incr).matchAll(/(\d+) B/g)].map((match) => Number(match[1]));
    expect([lost > 0, kept > 0]).toEqual([true, true]);
    // Percent of the bar, to two decimals, as drawn: the incr file's own bytes are the whole bar.
    const share = (selector: string) => Number.parseFloat(incr?.querySelector<HTMLElement>(selector)?.style.inlineSize ?? '');
    expect([share('.bar-durable'), share('.bar-lost')]).toEqual([Number(((kept / (kept + lost)) * 100).toFixed(2)), Number(((lost / (kept + lost)) * 100).toFixed(2))]);
  });

  test('a SHUTDOWN frees the memory after the final save', async () => {
    const { user, store } = renderLab();
    act(() => {
      store.getState().runLine('CONFIG SET save "60 1"');
      store.getState().runLine('SET a 1');
    });
    await user.click(within(crashGroup()).getByRole('button', { name: /^SHUTDOWN/ }));
    const scene = screen.getByTestId('crash-scene');
    expect(scene).toHaveAttribute('data-kind', 'shutdown');
    expect(within(scene).getByText('freed')).toBeInTheDocument();
    // dump.rdb appeared with the stop: the final save.
    expect(textOf(scene.querySelector('[data-file="dump.rdb"]'))).toMatch(/^dump\.rdb written on the way out: \d+ B$/);
  });
});

describe('the restart, step by step, and what survived', () => {
  test('RDB only: dump.rdb read, its keys counted, then the card compares before and after', async () => {
    const { user, store } = renderLab();
    act(() => {
      store.getState().runLine('SET a 1');
      store.getState().runLine('SAVE');
      store.getState().runLine('SET b 2');
    });
    await user.click(within(crashGroup()).getByRole('button', { name: /^SIM CRASH PROCESS/ }));
    await user.click(within(crashGroup()).getByRole('button', { name: /^SIM RESTART\s*Restart with redis\.conf/ }));
    const progress = screen.getByTestId('restart-progress');
    expect(screen.queryByTestId('crash-scene')).toBeNull();
    const steps = within(progress).getByRole('list', { name: 'Steps of the restart' });
    expect(within(steps).getAllByRole('listitem').map(textOf)).toEqual(['▸ Read dump.rdb: 1 key loaded', '✓ Ready to accept connections: 1 key in memory.']);
    const card = await screen.findByTestId('survival-card');
    expect(within(card).getByRole('heading', { level: 3 })).toHaveTextContent('What survived after a process crash');
    expect(within(card).getByText('Loaded from dump.rdb')).toBeInTheDocument();
    expect(figures(card)).toEqual(['Acknowledged 2', 'Kept 1', 'Lost 1', 'Loss window 0 ms of writes', 'Recovery time 0 ms']);
    // The lost write, struck out (not only coloured), under its reason in words.
    const lost = within(card).getByRole('region', { name: 'not in the last snapshot' });
    expect(within(lost).getByText(/Not in the last completed snapshot \(written after its fork\(\)\)/)).toBeInTheDocument();
    const struck = lost.querySelector('del');
    expect(struck).toHaveTextContent('SET b 2');
    expect(textOf(lost.querySelector('li'))).toBe('lost: SET b 2 09:00:00');
    expect(within(card).getByText('The 1 write kept')).toBeInTheDocument();
    expect(within(card).getByRole('heading', { level: 4, name: 'Files on disk when Redis started' })).toBeInTheDocument();
    expect(textOf(card.querySelector('.survival-file-list'))).toBe('dump.rdb 99 B read');
    await waitFor(() => expect(textOf(screen.getByTestId('narration'))).toMatch(/^The restart, step by step: Read dump\.rdb: 1 key loaded\./));
    expect(textOf(screen.getByTestId('narration'))).toContain('What survived: 1 of 2 acknowledged writes; 1 lost.');
  });

  test('the AOF: its RDB base read, then the incr file replayed command by command', async () => {
    const { user, store } = renderLab();
    act(() => {
      store.getState().runLine('CONFIG SET appendonly yes');
      store.getState().advance(1000);
      store.getState().runLine('SET a 1');
      store.getState().runLine('RPUSH l x y');
      store.getState().runLine('INCR n');
    });
    await user.click(within(crashGroup()).getByRole('button', { name: /^SIM CRASH PROCESS/ }));
    await user.click(within(crashGroup()).getByRole('button', { name: /^SIM RESTART --appendonly yes/ }));
    const steps = within(screen.getByTestId('restart-progress')).getAllByRole('listitem');
    expect(steps.map((step) => step.getAttribute('data-step'))).toEqual(['rdb', 'replay', 'outcome']);
    expect(textOf(steps[0] ?? null)).toBe('▸ Read the RDB base appendonly.aof.1.base.rdb: 0 keys');
    // SELECT 0, then the three writes.
    expect(textOf(steps[1] ?? null)).toBe('▸ Replayed 4 commands from appendonly.aof.1.incr.aof');
    expect(textOf(steps[2] ?? null)).toBe('✓ Ready to accept connections: 3 keys in memory.');
  });

  test('a slow disk keeps the node LOADING: the steps arrive as the files are read, then the recovery time', async () => {
    const { user, store } = renderLab();
    act(() => {
      store.getState().runLine('CONFIG SET appendonly yes');
      store.getState().advance(1000);
      store.getState().runLine('DEBUG POPULATE 300');
      store.getState().runLine('BGREWRITEAOF');
      store.getState().advance(2000);
      for (let i = 0; i < 20; i++) store.getState().runLine(`SET k${i} ${i}`);
      store.getState().runLine('SIM CRASH PROCESS');
      store.getState().runLine('SIM SET disk-mbps 0.002');
    });
    await user.click(within(crashGroup()).getByRole('button', { name: /^SIM RESTART --appendonly yes/ }));
    const progress = screen.getByTestId('restart-progress');
    expect(progress).toHaveAttribute('data-outcome', 'loading');
    expect(textOf(progress.querySelector('[data-step="loading"]'))).toBe('Loading… until it is done, commands are answered with -LOADING.');
    act(() => void store.getState().runLine('GET k1'));
    // redis-cli connects while Redis loads (it accepts connections), and gets LOADING.
    expect(lastTranscriptLine()).toBe('not connected> GET k1Error: (error) LOADING Redis is loading the dataset in memory');
    act(() => store.getState().advance(10_000));
    expect(progress).toHaveAttribute('data-outcome', 'ready');
    expect(within(progress).getAllByRole('listitem').map(textOf)).toEqual([
      '▸ Read the RDB base appendonly.aof.2.base.rdb: 300 keys',
      // SELECT, then the 20 writes: the lab's own SIM ADVANCE and GET while loading are not replays.
      '▸ Replayed 21 commands from appendonly.aof.2.incr.aof',
      '✓ Ready to accept connections: 320 keys in memory.',
    ]);
    const card = await screen.findByTestId('survival-card');
    expect(figures(card)).toEqual(['Acknowledged 20', 'Kept 20', 'Lost 0', 'Loss window none', 'Recovery time 3.1 s']);
  });

  test('the restart trap: appendonly yes on a server that only had dump.rdb starts empty', async () => {
    const { user, store } = renderLab();
    act(() => {
      store.getState().runLine('SET a 1');
      store.getState().runLine('SAVE');
    });
    await user.click(within(crashGroup()).getByRole('button', { name: /^SIM CRASH PROCESS/ }));
    await user.click(within(crashGroup()).getByRole('button', { name: /^SIM RESTART --appendonly yes/ }));
    const steps = within(screen.getByTestId('restart-progress')).getAllByRole('listitem');
    expect(textOf(steps[0] ?? null)).toBe('▸ No AOF yet: Redis created appendonly.aof.1.base.rdb, a base holding an empty dataset. With appendonly yes it never reads dump.rdb.');
    expect(textOf(steps.at(-1) ?? null)).toBe('✓ Ready to accept connections: 0 keys in memory.');
    // The card: the write is in dump.rdb, which was on disk and not read (the files the start created were not there yet).
    const card = await screen.findByTestId('survival-card');
    const group = within(card).getByRole('region', { name: 'dump.rdb not read' });
    expect(textOf(group.querySelector('.loss-reason'))).toBe(
      'In dump.rdb, but the restart did not read it: with appendonly yes Redis loads only the AOF and ignores dump.rdb, even when there is no AOF yet.',
    );
    expect(textOf(card.querySelector('.survival-file-list'))).toMatch(/^dump\.rdb \d+ B not read$/);
    // Said in sentences, one full stop each (the step that has its own gets no second).
    await waitFor(() =>
      expect(textOf(screen.getByTestId('narration'))).toBe(
        'The restart, step by step: No AOF yet: Redis created appendonly.aof.1.base.rdb, a base holding an empty dataset. With appendonly yes it never reads dump.rdb. Ready to accept connections: 0 keys in memory. What survived: 0 of 1 acknowledged write; 1 lost.',
      ),
    );
  });

  test('appendonly yes by CONFIG SET only: the restart reads dump.rdb, and the card says the AOF was not read, and why', async () => {
    const { user, store } = renderLab();
    act(() => {
      store.getState().runLine('SET a 1');
      store.getState().runLine('SAVE');
      store.getState().runLine('CONFIG SET appendonly yes');
      store.getState().advance(1000);
      store.getState().runLine('SET b 2');
      store.getState().runLine('SET c 3');
    });
    await user.click(within(crashGroup()).getByRole('button', { name: /^SIM CRASH PROCESS/ }));
    await user.click(within(crashGroup()).getByRole('button', { name: /^SIM RESTART\s*Restart with redis\.conf/ }));
    const card = await screen.findByTestId('survival-card');
    expect(within(card).getByText('Loaded from dump.rdb')).toBeInTheDocument();
    expect(figures(card).slice(0, 3)).toEqual(['Acknowledged 3', 'Kept 1', 'Lost 2']);
    const group = within(card).getByRole('region', { name: 'AOF not read' });
    expect(textOf(group.querySelector('.loss-reason'))).toBe(
      'In the AOF, but the restart did not read it: with appendonly no in redis.conf Redis loads only dump.rdb and ignores the AOF. CONFIG SET appendonly yes changes the running server only; CONFIG REWRITE also writes it into redis.conf.',
    );
    expect([...group.querySelectorAll('del')].map(textOf)).toEqual(['SET b 2', 'SET c 3']);
    // Every file on disk when Redis started, the AOF's too, each said read or not.
    const files = [...card.querySelectorAll('.survival-file-list li')].map((row) => [textOf(row.querySelector('.file-name')), textOf(row.querySelector('.file-read'))]);
    expect(files).toEqual([
      ['appendonlydir/appendonly.aof.1.base.rdb', 'not read'],
      ['appendonlydir/appendonly.aof.1.incr.aof', 'not read'],
      ['appendonlydir/appendonly.aof.manifest', 'not read'],
      ['dump.rdb', 'read'],
    ]);
  });

  test('the narration says "Redis started again" once: with the line, not again with the steps', async () => {
    const { user, store } = renderLab();
    const region = screen.getByTestId('narration');
    const said: string[] = [];
    const observer = new MutationObserver(() => {
      const text = textOf(region);
      if (text !== '' && said.at(-1) !== text) said.push(text);
    });
    observer.observe(region, { childList: true, subtree: true, characterData: true });
    act(() => {
      store.getState().runLine('SET a 1');
      store.getState().runLine('SAVE');
      store.getState().runLine('SIM CRASH PROCESS');
    });
    await user.click(within(crashGroup()).getByRole('button', { name: /^SIM RESTART\s*Restart with redis\.conf/ }));
    await waitFor(() => expect(said.at(-1)).toMatch(/^The restart, step by step: /));
    observer.disconnect();
    expect(said.filter((text) => text.includes('Redis started again as pid 4243.'))).toEqual(['SIM ran: OK Loaded 1 key from dump.rdb. Redis started again as pid 4243.']);
    expect(said.at(-1)).toBe('The restart, step by step: Read dump.rdb: 1 key loaded. Ready to accept connections: 1 key in memory. What survived: 1 of 1 acknowledged write; 0 lost.');
  });

  test('a corrupt AOF refused: redis-check-aof --fix cuts it, and the next restart loads what was before the damage', async () => {
    const { user, store } = renderLab();
    act(() => {
      store.getState().runLine('CONFIG SET appendonly yes');
      store.getState().advance(1000);
      store.getState().runLine('SET a 1');
      store.getState().runLine('SIM CRASH PROCESS');
      // Garbage between two good commands of the incr file, as a bad disk or a bad copy leaves it.
      const damaged = '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\ngarbage\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n';
      store.getState().runLine(`SIM FILE PUT appendonlydir/appendonly.aof.1.incr.aof ${btoa(damaged)}`);
    });
    await user.click(within(crashGroup()).getByRole('button', { name: /^SIM RESTART --appendonly yes/ }));
    const progress = screen.getByTestId('restart-progress');
    expect(progress).toHaveAttribute('data-outcome', 'failed');
    expect(textOf(progress.querySelector('[data-step="outcome"]'))).toMatch(/^✕ Redis refused to start: Bad file format reading the append only file appendonly\.aof\.1\.incr\.aof/);
    // The card says Redis did not come back, and what waits for the fix (test/ui/survival-card.test.tsx).
    expect(await screen.findByTestId('survival-card')).toHaveAttribute('data-outcome', 'failed');
    const fix = within(progress).getByRole('button', { name: /^redis-check-aof --fix appendonlydir\/appendonly\.aof\.manifest/ });
    await user.click(fix);
    expect(lastTranscriptLine()).toMatch(/^not connected> SIM CHECK-AOF --fix 1\) Start checking Multi Part AOF.*All AOF files and manifest are valid$/);
    const output = screen.getByTestId('check-aof-output');
    expect(output).toHaveTextContent('This will shrink the AOF appendonly.aof.1.incr.aof from 86 bytes, with 36 bytes, to 50 bytes');
    expect(textOf(screen.getByTestId('narration'))).toBe('Continue? [y/N]: Successfully truncated AOF appendonly.aof.1.incr.aof All AOF files and manifest are valid');
    expect(fix).toBeDisabled();
    await user.click(within(crashGroup()).getByRole('button', { name: /^SIM RESTART --appendonly yes/ }));
    expect(screen.getByTestId('restart-progress')).toHaveAttribute('data-outcome', 'ready');
    act(() => void store.getState().runLine('KEYS *'));
    expect(lastTranscriptLine()).toBe('not connected> KEYS *1) "a"');
  });

  test('in Arabic: the crash, the steps and the card', async () => {
    const { user, store } = renderLab({ lang: 'ar' });
    act(() => {
      store.getState().runLine('SET a 1');
      store.getState().runLine('SET b 1');
      store.getState().runLine('SAVE');
    });
    const group = crashGroup('أوامر الانهيار وإعادة التشغيل');
    await user.click(within(group).getByRole('button', { name: /^SIM CRASH POWER/ }));
    const scene = screen.getByTestId('crash-scene');
    expect(within(scene).getByRole('heading', { level: 3 })).toHaveTextContent(/^انقطعت الكهرباء الساعة 09:00:00$/);
    expect(textOf(scene.querySelector('.crash-memory'))).toBe('redis-server pid 4242 مفتاحان في الذاكرة');
    await user.click(within(group).getByRole('button', { name: /^SIM RESTART\s*إعادة التشغيل بملف/ }));
    const steps = within(screen.getByTestId('restart-progress')).getByRole('list', { name: 'خطوات إعادة التشغيل' });
    expect(within(steps).getAllByRole('listitem').map(textOf)).toEqual(['▸ قُرئ dump.rdb: حُمّل منه مفتاحان', '✓ جاهز لاستقبال الاتصالات: في الذاكرة مفتاحان.']);
    const card = await screen.findByTestId('survival-card');
    expect(within(card).getByRole('heading', { level: 3 })).toHaveTextContent('ما الذي نجا بعد انقطاع الكهرباء');
    expect(figures(card).slice(0, 3)).toEqual(['أُكّدت للعميل 2', 'نجت 2', 'ضاعت 0']);
    expect(within(card).getByText('لم تضِع أي كتابة مؤكَّدة.')).toBeInTheDocument();
    expect(within(card).getByRole('heading', { level: 4, name: 'الملفات على القرص عند بدء Redis' })).toBeInTheDocument();
    expect(textOf(card.querySelector('.survival-file-list'))).toMatch(/^dump\.rdb \d+ B قُرئ$/);
  });

  test('in Arabic: the restart trap lists dump.rdb, not read, and the narration counts the writes with their plural', async () => {
    const { user, store } = renderLab({ lang: 'ar' });
    act(() => {
      for (const line of ['SET a 1', 'SET b 2', 'SAVE', 'SET c 3']) store.getState().runLine(line);
    });
    const group = crashGroup('أوامر الانهيار وإعادة التشغيل');
    await user.click(within(group).getByRole('button', { name: /^SIM CRASH PROCESS/ }));
    await user.click(within(group).getByRole('button', { name: /^SIM RESTART --appendonly yes/ }));
    const card = await screen.findByTestId('survival-card');
    expect(textOf(card.querySelector('.survival-files .empty-state'))).toBe('');
    expect(textOf(card.querySelector('.survival-file-list'))).toMatch(/^dump\.rdb \d+ B لم يُقرأ$/);
    expect(textOf(within(card).getByRole('region', { name: 'لم يُقرأ dump.rdb' }).querySelector('.loss-reason'))).toBe(
      'موجودة في dump.rdb، لكن إعادة التشغيل لم تقرأه: مع appendonly yes يحمّل Redis الـ AOF وحده ويتجاهل dump.rdb، حتى لو لم يكن هناك AOF بعد.',
    );
    await waitFor(() => expect(textOf(screen.getByTestId('narration'))).toContain('ما الذي نجا: 0 من 3 كتابات مؤكَّدة؛ وضاع 3.'));
  });
});
