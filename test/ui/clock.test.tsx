// @vitest-environment jsdom
import { describe, expect, test } from 'vitest';
import { act, screen } from '@testing-library/react';
import { renderLab } from './render-lab.tsx';

describe('the clock panel', () => {
  test('shows the simulated time in UTC and moves it 10 s ahead on request', async () => {
    const { user, store } = renderLab();
    expect(screen.getByText('09:00:00')).toBeInTheDocument();
    expect(screen.getByText('Thursday, January 1, 2026')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: /^\+10 s\s*Move time 10 seconds ahead$/ }));
    expect(screen.getByText('09:00:10')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Time moved 10 seconds ahead.');
    expect(store.getState().events.at(-1)?.event.type).toBe('time.advanced');
  });

  test('pause stops the live clock; resume lets it flow again', async () => {
    const { user, store } = renderLab();
    act(() => store.getState().startClock(0));
    await user.click(screen.getByRole('button', { name: 'Pause time' }));
    expect(screen.getByText('Time is paused')).toBeInTheDocument();
    act(() => store.getState().tick(2000));
    expect(screen.getByText('09:00:00')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Resume time' }));
    expect(screen.getByRole('status')).toHaveTextContent('Time resumed.');
    act(() => {
      for (let wallMs = 2100; wallMs <= 3000; wallMs += 100) store.getState().tick(wallMs);
    });
    expect(screen.getByText('09:00:01')).toBeInTheDocument();
  });

  test('reset gives a fresh, empty node', async () => {
    const { user, store } = renderLab();
    act(() => void store.getState().runLine('SET a 1'));
    await user.click(screen.getByRole('button', { name: 'Reset the lab' }));
    expect(store.getState().keyspace.totalKeys).toBe(0);
    expect(screen.getByText('No keys yet. Try a quick action, or type SET greeting hello.')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('The lab was reset: a fresh, empty node.');
  });

  test('Arabic: the date in Arabic words, the time in Western digits', () => {
    renderLab({ lang: 'ar' });
    expect(screen.getByText('09:00:00')).toBeInTheDocument();
    expect(screen.getByText('الخميس، 1 يناير 2026')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'أوقف الوقت' })).toBeInTheDocument();
  });
});
