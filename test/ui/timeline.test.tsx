// @vitest-environment jsdom
import { describe, expect, test, vi } from 'vitest';
import { act, fireEvent, screen, within } from '@testing-library/react';
import { finishExitAnimations, renderLab } from './render-lab.tsx';
import { formatNumber } from '../../src/i18n/index.ts';
import { UNDO_OFFER_MS } from '../../src/ui/timeline/UndoOffer.tsx';

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

  test('reset offers an undo, focused: Enter puts the lab back as it was', async () => {
    const { user, store } = renderLab();
    act(() => {
      store.getState().runLine('SET a 1');
      store.getState().runLine('SET b 2');
    });
    await user.click(screen.getByRole('button', { name: 'Reset the lab' }));
    expect(store.getState().keyspace.totalKeys).toBe(0);
    expect(screen.getByTestId('undo-offer')).toHaveTextContent('The lab was reset.');
    const undo = screen.getByRole('button', { name: 'Undo reset' });
    expect(undo).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(store.getState().keyspace.totalKeys).toBe(2);
    expect(store.getState().timeline).toMatchObject({ position: 2, length: 2 });
    expect(screen.queryByRole('button', { name: 'Undo reset' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Reset the lab' })).toHaveFocus();
    expect(screen.getByRole('status')).toHaveTextContent('Reset undone: the lab is back as it was.');
  });

  test('the undo leaves on Escape, on new work, and on its own after a while unless held', async () => {
    const { user, store } = renderLab();
    const resetButton = screen.getByRole('button', { name: 'Reset the lab' });
    act(() => void store.getState().runLine('SET a 1'));
    await user.click(resetButton);
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('undo-offer')).toBeNull();
    expect(resetButton).toHaveFocus();

    act(() => void store.getState().runLine('SET a 1'));
    await user.click(resetButton);
    act(() => void store.getState().runLine('SET other 1'));
    expect(screen.queryByTestId('undo-offer')).toBeNull();

    vi.useFakeTimers();
    try {
      act(() => void store.getState().runLine('SET a 1'));
      fireEvent.click(resetButton);
      // Focus on it holds it, however long.
      act(() => void vi.advanceTimersByTime(UNDO_OFFER_MS * 3));
      expect(screen.getByTestId('undo-offer')).toBeInTheDocument();
      act(() => resetButton.focus());
      act(() => void vi.advanceTimersByTime(UNDO_OFFER_MS - 1));
      expect(screen.getByTestId('undo-offer')).toBeInTheDocument();
      act(() => void vi.advanceTimersByTime(1));
      expect(screen.queryByTestId('undo-offer')).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  test('Arabic: the undo speaks Arabic', async () => {
    const { user, store } = renderLab({ lang: 'ar' });
    act(() => void store.getState().runLine('SET a 1'));
    await user.click(screen.getByRole('button', { name: 'أعد ضبط المختبر' }));
    expect(screen.getByTestId('undo-offer')).toHaveTextContent('أُعيد ضبط المختبر.');
    await user.click(screen.getByRole('button', { name: 'تراجع عن إعادة الضبط' }));
    expect(store.getState().keyspace.totalKeys).toBe(1);
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

  test('a branch offers an undo, focused: it brings the later moments back; focus returns to the scrubber', async () => {
    const { user, store } = renderLab();
    act(() => {
      store.getState().runLine('SET a 1');
      store.getState().runLine('SET b 2');
      store.getState().runLine('SET c 3');
      store.getState().seek(1);
    });
    await user.click(screen.getByRole('button', { name: 'Branch from here' }));
    expect(screen.getByTestId('undo-offer')).toHaveTextContent('New branch: the 2 later moments were dropped.');
    expect(screen.getByRole('button', { name: 'Undo branch' })).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(store.getState().timeline).toMatchObject({ position: 1, length: 3 });
    expect(store.getState().keyspace.totalKeys).toBe(1);
    expect(screen.getByRole('slider', { name: 'Timeline position' })).toHaveFocus();
    expect(screen.getByRole('status')).toHaveTextContent('Branch undone: the later moments are back.');
    // Typing after a branch ends its undo.
    await user.click(screen.getByRole('button', { name: 'Branch from here' }));
    act(() => void store.getState().runLine('SET d 4'));
    expect(screen.queryByTestId('undo-offer')).toBeNull();
  });

  test('a command typed in the past branches with an undo that leaves the focus in the console', async () => {
    const { user, store } = renderLab();
    act(() => {
      for (const line of ['SET a 1', 'SET b 2', 'SET c 3', 'SET d 4']) store.getState().runLine(line);
      store.getState().seek(1);
    });
    const input = screen.getByRole('textbox', { name: 'Command' });
    // The console says so too, where the student types.
    const console = screen.getByRole('region', { name: /Console/ });
    const note = /^The lab shows moment 1 of 4, in the past: a command run here starts a new branch from it/;
    expect(within(console).getByText(note)).toBeInTheDocument();
    // Under the prompt, and read with it.
    expect(input).toHaveAccessibleDescription(note);
    await user.type(input, 'SET z 9{Enter}');
    expect(input).toHaveFocus();
    expect(within(console).queryByText(note)).toBeNull();
    expect(screen.getByTestId('undo-offer')).toHaveTextContent('New branch: the 3 later moments were dropped.');
    expect(screen.getByRole('status')).toHaveTextContent('New branch: the 3 later moments were dropped.');
    await user.click(screen.getByRole('button', { name: 'Undo branch' }));
    // The focus goes back to the console, where the branch was asked for.
    expect(input).toHaveFocus();
    // Back as it was before the line: moment 1 of 4 shown, the later moments there to go back to.
    expect(store.getState().timeline).toMatchObject({ position: 1, length: 4 });
    expect(store.getState().getTape().map((entry) => entry.line)).toEqual(['SET a 1', 'SET b 2', 'SET c 3', 'SET d 4']);
    expect(screen.getByRole('status')).toHaveTextContent('Branch undone: the later moments are back.');
    expect(screen.queryByTestId('undo-offer')).toBeNull();
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
    // Said, although time was flowing when the event was picked.
    expect(screen.getByRole('status')).toHaveTextContent(/^Moment 2 of 4, /);
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

  test('an Arabic keyboard layout: the same keys, by where they are (K types ن, Shift+/ types ؟); never while typing, and a Latin layout keeps its characters', () => {
    const { store } = renderLab({ lang: 'ar' });
    act(() => {
      store.getState().runLine('SET a 1');
      store.getState().runLine('SET b 2');
    });
    fireEvent.keyDown(document.body, { key: 'ت', code: 'KeyJ' });
    expect(store.getState().timeline.position).toBe(1);
    fireEvent.keyDown(document.body, { key: 'م', code: 'KeyL' });
    expect(store.getState().timeline.position).toBe(2);
    fireEvent.keyDown(document.body, { key: 'ن', code: 'KeyK' });
    expect(store.getState().paused).toBe(false);
    // Shift+K on the Arabic layout types another character: not K's shortcut.
    fireEvent.keyDown(document.body, { key: '٫', code: 'KeyK', shiftKey: true });
    expect(store.getState().paused).toBe(false);
    // AZERTY types ! where QWERTY has /: a Latin character, taken as typed (no shortcut).
    fireEvent.keyDown(document.body, { key: '!', code: 'Slash' });
    expect(document.getElementById('console-input')).not.toHaveFocus();
    fireEvent.keyDown(document.body, { key: 'ظ', code: 'Slash' });
    const input = document.getElementById('console-input') as HTMLInputElement;
    expect(input).toHaveFocus();
    fireEvent.keyDown(input, { key: 'ت', code: 'KeyJ' });
    expect(store.getState().timeline.position).toBe(2);
    input.blur();
    fireEvent.keyDown(document.body, { key: '؟', code: 'Slash', shiftKey: true });
    const dialog = screen.getByRole('dialog', { name: 'اختصارات لوحة المفاتيح' });
    // The list names the keys as printed on the keycaps' Latin side, and says so.
    expect([...dialog.querySelectorAll('dt kbd')].map((kbd) => kbd.textContent)).toEqual(['k', 'j', 'l', 'n', '+', '=', '-', '/', '?']);
    expect(within(dialog).getByText('مع التخطيط العربي للوحة المفاتيح أو غيره، اضغط المفاتيح نفسها: المفتاح الذي عليه K، وهكذا.')).toBeInTheDocument();
  });

  test('the past: its notice names the button as it reads, only while there is one to press, and counts with the thousands separator', async () => {
    const { user, store } = renderLab();
    act(() => store.getState().loadScenario(Array.from({ length: 1201 }, (_, i) => `SET k${i} v`)));
    act(() => store.getState().seek(1));
    const note = () => screen.getByRole('note');
    expect(note()).toHaveTextContent(
      'You are looking at moment 1 of 1,201: the lab as it was then. Running a command here starts a new branch and drops the 1,200 moments after this one. Press “Resume time” to watch it go on.',
    );
    expect(screen.getByRole('button', { name: 'Resume time' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Resume time' }));
    expect(note()).not.toHaveTextContent('Press');
    await user.click(screen.getByRole('button', { name: 'Branch from here' }));
    expect(screen.getByRole('status')).toHaveTextContent('New branch: the 1,200 later moments were dropped.');
  });

  test('Arabic: the past notice names the button «استأنف الوقت», its count in the locale’s digits and grouping', async () => {
    const { store } = renderLab({ lang: 'ar' });
    act(() => store.getState().loadScenario(Array.from({ length: 1201 }, (_, i) => `SET k${i} v`)));
    act(() => store.getState().seek(1));
    // The keys of the later moments leave the keyspace panel.
    await finishExitAnimations();
    expect(screen.getByRole('button', { name: 'استأنف الوقت' })).toBeInTheDocument();
    expect(screen.getByRole('note')).toHaveTextContent(`وحُذفت ${formatNumber(1200, 'ar')} لحظة تليها. اضغط «استأنف الوقت» لتتابع ما جرى بعدها.`);
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
