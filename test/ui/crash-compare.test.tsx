// @vitest-environment jsdom
import { describe, expect, test } from 'vitest';
import { act, screen, within } from '@testing-library/react';
import { renderLab } from './render-lab.tsx';

/** Compare mode from the crash panel: the session or the sample, under five policies, on real engines. */

function textOf(element: Element | null): string {
  return (element?.textContent ?? '').replace(/[\u2066-\u2069\u200e\u200f]/g, '').replace(/\s+/g, ' ').trim();
}

function column(policy: string): HTMLElement {
  const found = document.querySelector<HTMLElement>(`.compare-column[data-policy="${policy}"]`);
  if (found === null) throw new Error(`no column for ${policy}`);
  return found;
}

function figure(policy: string, name: string): string {
  return textOf(column(policy).querySelector(`[data-figure="${name}"] dd`));
}

describe('compare mode', () => {
  test('opens from the crash panel on the sample when the session is empty; Escape closes it and focus returns', async () => {
    const { user } = renderLab();
    const opener = screen.getByRole('button', { name: 'Compare policies' });
    expect(opener).toHaveAttribute('aria-expanded', 'false');
    expect(opener).toHaveAccessibleDescription(/crash them all at the same instant/);
    await user.click(opener);
    const section = screen.getByRole('region', { name: 'Compare mode: one scenario, five policies' });
    expect(within(section).getByRole('heading', { level: 2 })).toHaveFocus();
    expect(opener).toHaveAttribute('aria-expanded', 'true');
    expect(within(section).getByRole('radio', { name: /Your session/ })).toBeDisabled();
    expect(within(section).getByRole('radio', { name: /A sample workload/ })).toBeChecked();
    expect(textOf(screen.getByTestId('compare-when'))).toBe("The sample's 35 commands ran, each at its time; then every server crashed at 09:00:44, 44.9 s after it started.");
    const results = within(section).getByRole('list', { name: 'Results by policy' });
    expect(within(results).getAllByRole('heading', { level: 3 }).map((heading) => heading.textContent)).toEqual([
      'RDB only',
      'AOF always',
      'AOF everysec',
      'AOF no',
      'Hybrid',
    ]);
    // A process crash: RDB only comes back with its snapshot of about 30 s; every AOF policy whole.
    expect(figure('rdb', 'keys')).toBe('2 of 6');
    expect(figure('rdb', 'writes-lost')).toBe('11 of 35');
    expect(figure('rdb', 'loss-window')).toBe('12.9 s');
    expect(figure('rdb', 'loaded-from')).toBe('dump.rdb');
    expect(textOf(column('rdb').querySelector('.compare-reasons li'))).toBe('not in the last snapshot: × 11');
    expect(textOf(column('rdb').querySelector('.compare-keys'))).toBe('Missing: 0:shop:banner');
    expect([...column('aof-no').querySelectorAll('.compare-keys li')].map(textOf)).toEqual([]);
    for (const policy of ['aof-always', 'aof-everysec', 'aof-no', 'hybrid']) {
      expect(figure(policy, 'keys')).toBe('6 of 6');
      expect(figure(policy, 'writes-lost')).toBe('0 of 35');
    }
    const config = (policy: string) => [...column(policy).querySelectorAll('.compare-config li')].map(textOf);
    expect(config('hybrid')).toEqual(['appendonly yes', 'appendfsync everysec', 'aof-use-rdb-preamble yes', 'save 30 1']);
    expect(config('aof-always')).toContain('save ""');

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('region', { name: 'Compare mode: one scenario, five policies' })).toBeNull();
    expect(opener).toHaveFocus();
  });

  test('a power loss from the keyboard: the policies part ways', async () => {
    const { user } = renderLab();
    await user.click(screen.getByRole('button', { name: 'Compare policies' }));
    const power = screen.getByRole('radio', { name: 'Power loss' });
    power.focus();
    await user.keyboard(' ');
    expect(power).toBeChecked();
    expect(figure('aof-always', 'keys')).toBe('6 of 6');
    // everysec: the last INCR, not yet fsynced, came back as the older value.
    expect(textOf(column('aof-everysec').querySelector('.compare-keys'))).toBe('Older or extra: 0:visits');
    expect(figure('aof-everysec', 'keys')).toBe('5 of 6');
    expect(figure('aof-everysec', 'writes-lost')).toBe('1 of 35');
    expect(figure('aof-everysec', 'loss-window')).toBe('300 ms');
    expect(textOf(column('aof-everysec').querySelector('.compare-reasons li'))).toBe('not fsynced: × 1');
    expect(figure('rdb', 'keys')).toBe('2 of 6');
    expect(textOf(screen.getByTestId('narration'))).toContain('AOF always: Writes lost 0 of 35, Keys as before the crash 6 of 6. AOF everysec: Writes lost 1 of 35');
  });

  test('the session: the lines run, with the ones that would change the policy left out and listed', async () => {
    const { user, store } = renderLab();
    act(() => {
      store.getState().runLine('SET a 1');
      store.getState().runLine('CONFIG SET appendonly yes');
      store.getState().advance(2000);
      store.getState().runLine('SET b 2');
      store.getState().runLine('SIM CRASH PROCESS');
      store.getState().runLine('SIM RESTART');
      store.getState().runLine('SET c 3');
    });
    await user.click(screen.getByRole('button', { name: 'Compare policies' }));
    expect(screen.getByRole('radio', { name: /Your session/ })).toBeChecked();
    const left = document.querySelector('.compare-left');
    expect(textOf(left?.querySelector('p') ?? null)).toBe('3 lines were left out because they would change the policy or stop the server:');
    expect([...(left?.querySelectorAll('li') ?? [])].map(textOf)).toEqual(['CONFIG SET appendonly yes', 'SIM CRASH PROCESS', 'SIM RESTART']);
    // SET a, SET b, SET c: the 2 s that passed run too, but are no command of the student's.
    expect(textOf(screen.getByTestId('compare-when'))).toBe("Your session's 3 commands ran, each at the time you ran it; then every server crashed at 09:00:02, 2 s after it started.");
    expect(figure('aof-always', 'keys')).toBe('3 of 3');
    // RDB only never reached its save point (20 s): nothing comes back.
    expect(figure('rdb', 'keys')).toBe('0 of 3');
  });

  test('with the Slow disk switch on: each restart loads at that speed before what it got back is counted', async () => {
    const { user, store } = renderLab();
    await user.click(screen.getByRole('switch', { name: /Slow disk/ }));
    act(() => {
      for (const line of ['SET a 1', 'SET b 2', 'BGSAVE', 'SET c 3']) store.getState().runLine(line);
      store.getState().advance(500);
    });
    await user.click(screen.getByRole('button', { name: 'Compare policies' }));
    expect(textOf(screen.getByTestId('compare-when'))).toMatch(/^Your session's 5 commands ran, each at the time you ran it; then every server crashed at 09:00:00, 500 ms after it started\.$/);
    // The BGSAVE's snapshot (forked before SET c) was on disk by the crash, 500 ms later.
    expect(figure('rdb', 'keys')).toBe('2 of 3');
    expect(figure('rdb', 'loaded-from')).toBe('dump.rdb');
    for (const policy of ['aof-always', 'aof-everysec', 'aof-no', 'hybrid']) {
      expect([policy, figure(policy, 'keys'), figure(policy, 'writes-lost')]).toEqual([policy, '3 of 3', '0 of 3']);
      // The AOF's files read at 2,000 bytes a second: tens of milliseconds, not the instant of a fast disk.
      expect(figure(policy, 'recovery')).toMatch(/^\d+ ms$/);
      expect(figure(policy, 'recovery')).not.toBe('0 ms');
    }
    // What each restart found on disk, each file read or not: the hybrid's AOF, not its dump.rdb.
    const files = [...column('hybrid').querySelectorAll('.compare-files li')].map(textOf);
    expect(files.filter((file) => file.startsWith('appendonlydir/')).every((file) => file.endsWith(' read'))).toBe(true);
    expect(files.filter((file) => !file.startsWith('appendonlydir/'))).toEqual([expect.stringMatching(/^dump\.rdb \d+ B not read$/)]);
  });

  test('in Arabic', async () => {
    const { user } = renderLab({ lang: 'ar' });
    await user.click(screen.getByRole('button', { name: 'قارن السياسات' }));
    const section = screen.getByRole('region', { name: 'وضع المقارنة: سيناريو واحد وخمس سياسات' });
    expect(within(section).getAllByRole('heading', { level: 3 }).map((heading) => heading.textContent)).toEqual([
      'RDB وحده',
      'الـ AOF بسياسة always',
      'الـ AOF بسياسة everysec',
      'الـ AOF بسياسة no',
      'الوضع الهجين',
    ]);
    expect(figure('rdb', 'keys')).toBe('2 من 6');
    expect(textOf(screen.getByTestId('compare-when'))).toBe('نُفّذت أوامر النموذج الـ 35، كلٌّ في وقته، ثم انهار كل خادم الساعة 09:00:44، بعد 44.9 s من بدئه.');
    await user.click(within(section).getByRole('button', { name: /أغلق وضع المقارنة/ }));
    expect(screen.getByRole('button', { name: 'قارن السياسات' })).toHaveFocus();
  });
});
