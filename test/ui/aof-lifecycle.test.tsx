// @vitest-environment jsdom
import { describe, expect, test } from 'vitest';
import { act, screen, within } from '@testing-library/react';
import { finishExitAnimations, renderLab } from './render-lab.tsx';

/** The AOF log panel and the crash / restart controls, driven as a learner would. */

function textOf(element: Element | null): string {
  return (element?.textContent ?? '').replace(/[\u2066-\u2069\u200e]/g, '').replace(/\s+/g, ' ').trim();
}

function lastTranscriptLine(): string {
  return textOf(screen.getByRole('list', { name: 'Console output' }).lastElementChild);
}

function aofPanel(): HTMLElement {
  return screen.getByRole('region', { name: 'AOF log (append-only file)' });
}

describe('the AOF log panel', () => {
  test('the switch turns the AOF on through the console; commands appear with their layer', async () => {
    const { user, store } = renderLab();
    const panel = aofPanel();
    expect(within(panel).getByText(/The AOF is off/)).toBeInTheDocument();
    const aofSwitch = within(panel).getByRole('switch', { name: 'AOF on' });
    expect(aofSwitch).toHaveAttribute('aria-checked', 'false');
    await user.click(aofSwitch);
    expect(lastTranscriptLine()).toBe('127.0.0.1:6379> CONFIG SET appendonly yesOK');
    expect(aofSwitch).toHaveAttribute('aria-checked', 'true');
    act(() => {
      store.getState().advance(1000);
      store.getState().runLine('CONFIG SET appendfsync always');
      store.getState().runLine('SET a 1');
    });
    // The first rewrite's child, reaped in that second, leaves the processes lane.
    await finishExitAnimations();
    const log = within(panel).getByRole('list', { name: 'Commands in appendonly.aof.1.incr.aof, newest last' });
    const rows = within(log).getAllByRole('listitem');
    expect(rows.map((row) => textOf(row))).toEqual(['SELECT 0on disk', 'SET a 1on disk']);
    expect(rows[1]).toHaveAttribute('data-layer', 'durable');
  });

  test('the policy buttons run CONFIG SET appendfsync, and say their cost and risk', async () => {
    const { user } = renderLab();
    const panel = aofPanel();
    const always = within(panel).getByRole('button', { name: 'always' });
    expect(within(panel).getByRole('button', { name: 'everysec' })).toHaveAttribute('aria-pressed', 'true');
    expect(always).toHaveAccessibleDescription(/slowest, loses nothing that was acknowledged/);
    await user.click(always);
    expect(lastTranscriptLine()).toBe('127.0.0.1:6379> CONFIG SET appendfsync alwaysOK');
    expect(always).toHaveAttribute('aria-pressed', 'true');
    await user.click(within(panel).getByRole('button', { name: 'no' }));
    expect(within(panel).getByRole('button', { name: 'no' })).toHaveAttribute('aria-pressed', 'true');
  });

  test('page cache and aof_buf layers, and the raw RESP on demand', async () => {
    const { user, store } = renderLab();
    act(() => {
      for (const line of ['CONFIG SET appendonly yes']) store.getState().runLine(line);
      store.getState().advance(1000);
      for (const line of ['CONFIG SET appendfsync no', 'SET a 1', 'CONFIG SET appendfsync everysec', 'SIM SET fsync-ms 3000', 'SET b 2']) store.getState().runLine(line);
      store.getState().advance(1100);
      store.getState().runLine('SET c 3');
      store.getState().runLine('SET d 4');
    });
    const panel = aofPanel();
    const layers = within(panel)
      .getAllByRole('listitem')
      .filter((row) => row.hasAttribute('data-layer'))
      .map((row) => row.getAttribute('data-layer'));
    expect(layers).toContain('cached');
    expect(layers.at(-1)).toBe('buffer');
    expect(within(panel).queryByText(/\*3\\r\\n/)).toBeNull();
    await user.click(within(panel).getByRole('switch', { name: 'Show the RESP bytes' }));
    expect(within(panel).getAllByText((_, el) => el?.classList.contains('aof-raw') === true && el.textContent?.startsWith('*3\\r\\n') === true).length).toBeGreaterThan(0);
  });

  test('in Arabic', () => {
    renderLab({ lang: 'ar' });
    const panel = screen.getByRole('region', { name: 'سجل الـ AOF (ملف الإلحاق فقط)' });
    expect(within(panel).getByRole('switch', { name: 'تشغيل الـ AOF' })).toBeInTheDocument();
  });
});

describe('crash and restart', () => {
  test('a crash shows the banner and why; a restart with appendonly yes brings the data back', async () => {
    const { user, store } = renderLab();
    act(() => {
      store.getState().runLine('CONFIG SET appendonly yes');
      store.getState().advance(1000);
      store.getState().runLine('CONFIG SET appendfsync always');
      store.getState().runLine('SET a 1');
    });
    const group = screen.getByRole('group', { name: 'Crash and restart commands' });
    expect(screen.queryByTestId('server-down')).toBeNull();
    await user.click(within(group).getByRole('button', { name: /^SIM CRASH PROCESS/ }));
    expect(lastTranscriptLine()).toBe('127.0.0.1:6379> SIM CRASH PROCESSOK');
    expect(textOf(screen.getByTestId('server-down'))).toBe(
      'Redis is not running. The process was killed (kill -9): everything in its memory is gone. Commands fail until you restart it.',
    );
    expect(textOf(screen.getByTestId('narration'))).toContain('Redis (pid 4242) was killed');
    const restartAof = within(group).getByRole('button', { name: /^SIM RESTART --appendonly yes/ });
    restartAof.focus();
    await user.keyboard('{Enter}');
    expect(screen.queryByTestId('server-down')).toBeNull();
    // The last narration is the restart's story (the new pid was said with the SIM RESTART line).
    expect(textOf(screen.getByTestId('narration'))).toMatch(/^The restart, step by step: .* What survived: 1 of 1 acknowledged write; 0 lost\.$/);
    // redis-cli connects to the new process with the next command.
    act(() => void store.getState().runLine('GET a'));
    expect(lastTranscriptLine()).toBe('not connected> GET a"1"');
  });

  test('power loss, then a plain restart; the banner in Arabic', async () => {
    const { user } = renderLab({ lang: 'ar' });
    const group = screen.getByRole('group', { name: 'أوامر الانهيار وإعادة التشغيل' });
    await user.click(within(group).getByRole('button', { name: /^SIM CRASH POWER/ }));
    expect(textOf(screen.getByTestId('server-down'))).toContain('انقطعت الكهرباء');
    await user.click(within(group).getByRole('button', { name: /^SIM RESTART\s*إعادة التشغيل بملف/ }));
    expect(screen.queryByTestId('server-down')).toBeNull();
  });
});
