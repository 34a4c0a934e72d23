// @vitest-environment jsdom
import { describe, expect, test } from 'vitest';
import { act, fireEvent, screen, within } from '@testing-library/react';
import { renderLab } from './render-lab.tsx';

describe('the timeline bar: the clock', () => {
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

describe('the timeline bar: going back in time', () => {
  test('step back shows the lab as it was, says so, and Back to now returns', async () => {
    const { user, store } = renderLab();
    act(() => {
      store.getState().runLine('SET a 1');
      store.getState().runLine('SET b 2');
    });
    await user.click(screen.getByRole('button', { name: /Step back/ }));
    expect(store.getState().timeline).toMatchObject({ position: 1, length: 2 });
    expect(store.getState().keyspace.totalKeys).toBe(1);
    expect(screen.getByRole('note')).toHaveTextContent('You are looking at moment 1 of 2');
    expect(screen.getByRole('status')).toHaveTextContent('Moment 1 of 2, 09:00:00 UTC.');
    expect(screen.getByRole('slider', { name: 'Timeline position' })).toHaveAttribute('aria-valuetext', 'Moment 1 of 2, 09:00:00 UTC');
    await user.click(within(screen.getByRole('note')).getByRole('button', { name: 'Back to now' }));
    expect(store.getState().keyspace.totalKeys).toBe(2);
    expect(screen.queryByRole('note')).toBeNull();
  });

  test('Branch from here drops the later steps', async () => {
    const { user, store } = renderLab();
    act(() => {
      store.getState().runLine('SET a 1');
      store.getState().runLine('SET b 2');
      store.getState().runLine('SET c 3');
      store.getState().seek(1);
    });
    await user.click(screen.getByRole('button', { name: 'Branch from here' }));
    expect(store.getState().timeline).toMatchObject({ position: 1, length: 1 });
    expect(screen.getByRole('status')).toHaveTextContent('New branch: the 2 later moments were dropped.');
  });

  test('an event in the list and a line of the server log each take the lab back to their moment', async () => {
    const { user, store } = renderLab();
    act(() => {
      store.getState().runLine('SET a 1');
      store.getState().runLine('BGSAVE');
      store.getState().advance(1000);
      store.getState().runLine('SET b 2');
    });
    await user.click(screen.getByText(/Latest events/));
    await user.click(screen.getByRole('button', { name: /called fork\(\)/ }));
    expect(store.getState().timeline.position).toBe(2);
    act(() => store.getState().seek(4));
    await user.click(screen.getByRole('button', { name: /DB saved on disk/ }));
    expect(store.getState().timeline.position).toBe(3);
  });

  test('speed: the slider is logarithmic and says the speed', () => {
    const { store } = renderLab();
    const slider = screen.getByRole('slider', { name: 'Speed' });
    expect(slider).toHaveAttribute('aria-valuetext', '1 times real time');
    fireEvent.change(slider, { target: { value: '300' } });
    expect(store.getState().speed).toBeCloseTo(100);
    expect(screen.getByText('100×')).toBeInTheDocument();
  });

  test('presenter shortcuts: j and l step, k pauses, ? lists them; keys typed in the console stay there', async () => {
    const { user, store } = renderLab();
    act(() => {
      store.getState().runLine('SET a 1');
      store.getState().runLine('SET b 2');
    });
    await user.keyboard('j');
    expect(store.getState().timeline.position).toBe(1);
    await user.keyboard('l');
    expect(store.getState().timeline.position).toBe(2);
    await user.keyboard('k');
    expect(store.getState().paused).toBe(false);
    await user.keyboard('?');
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(within(dialog).getByText('Step back')).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Close' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    await user.click(screen.getByRole('textbox', { name: /command/i }));
    await user.keyboard('j');
    expect(store.getState().timeline.position).toBe(2);
  });

  test('Arabic: the past is described in Arabic, with its plural', () => {
    const { store } = renderLab({ lang: 'ar' });
    act(() => {
      store.getState().runLine('SET a 1');
      store.getState().runLine('SET b 2');
      store.getState().runLine('SET c 3');
      store.getState().seek(1);
    });
    expect(screen.getByRole('note')).toHaveTextContent('وحُذفت اللحظتان اللتان تليانها');
    expect(screen.getByRole('button', { name: 'ابدأ فرعًا من هنا' })).toBeInTheDocument();
  });
});
