// @vitest-environment jsdom
/**
 * The lesson UI in the whole lab (jsdom): the menu opens a lesson; the panel shows its narration
 * with code islands, step x of n, the highlighted panels; a question is answered from the keyboard
 * and revealed; Back and Next move; the aria-live region says the step; lesson 7 ends on its table;
 * a scenario loads; and an
 * instructor's broken file gets its problems listed in the reader's language.
 */
import { describe, expect, test } from 'vitest';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { createI18n, type LanguageCode } from '../../src/i18n/index.ts';
import { createLabStore } from '../../src/store/index.ts';
import { LabStoreProvider } from '../../src/store/react.tsx';
import { createLessonStore } from '../../src/lessons/lesson-store.ts';
import { LessonStoreProvider } from '../../src/lessons/react.tsx';
import { App } from '../../src/ui/index.ts';
import { scrollDeltaToShow } from '../../src/ui/lessons/use-panel-highlight.ts';

const EPOCH_MS = Date.UTC(2026, 0, 1, 9, 0, 0);

function renderWithLessons(lang: LanguageCode = 'en') {
  const lab = createLabStore({ epochMs: EPOCH_MS });
  const lessons = createLessonStore({ lab });
  const i18n = createI18n(lang);
  const user = userEvent.setup();
  const view = render(
    <I18nextProvider i18n={i18n}>
      <LabStoreProvider store={lab}>
        <LessonStoreProvider store={lessons}>
          <App liveClock={false} />
        </LessonStoreProvider>
      </LabStoreProvider>
    </I18nextProvider>,
  );
  return { ...view, lab, lessons, user };
}

/** Every message the aria-live region showed, even one replaced in the same tick (a restart's story follows a verdict). */
function recordAnnouncements(): string[] {
  const said: string[] = [];
  new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) said.push(node.textContent ?? '');
  }).observe(screen.getByTestId('narration'), { childList: true, subtree: true });
  return said;
}

const lessonPanel = () => screen.getByRole('region', { name: /^(Why persistence\?|RDB snapshots|لماذا)/ });

describe('the lesson UI', () => {
  test('the menu opens a lesson beside the panels; Next, Back, the highlight and the live region follow', async () => {
    const { user, lab } = renderWithLessons();
    const menuButton = screen.getByRole('button', { name: 'Lessons' });
    expect(menuButton).toHaveAttribute('aria-expanded', 'false');
    await user.click(menuButton);
    expect(menuButton).toHaveAttribute('aria-expanded', 'true');
    await user.click(screen.getByRole('button', { name: /Why persistence\?/ }));
    expect(menuButton).toHaveAttribute('aria-expanded', 'false');

    const panel = lessonPanel();
    expect(within(panel).getByText('Step 1 of 6')).toBeInTheDocument();
    expect(within(panel).getByRole('progressbar', { name: 'Lesson progress' })).toHaveAttribute('aria-valuenow', '1');
    expect(document.querySelector('[data-panel="keyspace"]')).toHaveAttribute('data-lesson-highlight', 'Lesson: look here');

    await user.click(within(panel).getByRole('button', { name: /Next/ }));
    expect(within(panel).getByText('Step 2 of 6')).toBeInTheDocument();
    // Commands are left-to-right code islands in the narration.
    const code = within(panel).getByText('CONFIG SET save ""', { selector: 'p code' });
    expect(code.tagName).toBe('CODE');
    expect(code).toHaveAttribute('dir', 'ltr');
    expect(screen.getByTestId('narration')).toHaveTextContent(/^Step 2 of 6\. First we switch snapshots off/);
    expect(lab.getState().keyspace.totalKeys).toBe(3);
    expect(document.querySelector('[data-panel="disk"]')).toHaveAttribute('data-lesson-highlight');
    expect(document.querySelector('[data-panel="console"]')).not.toHaveAttribute('data-lesson-highlight');

    await user.click(within(panel).getByRole('button', { name: /Back/ }));
    expect(within(panel).getByText('Step 1 of 6')).toBeInTheDocument();
    // Back is gone at the first step; the keyboard stays in the panel, on Next.
    expect(within(panel).queryByRole('button', { name: /Back/ })).toBeNull();
    expect(within(panel).getByRole('button', { name: /Next/ })).toHaveFocus();
  });

  test('a question is answered from the keyboard, then revealed by the lab for real', async () => {
    const { user, lessons } = renderWithLessons();
    act(() => void lessons.getState().openLesson('why-persistence', 2));
    const panel = lessonPanel();
    const group = within(panel).getByRole('group', { name: /Predict.*What does DBSIZE say\?/ });
    const reveal = within(panel).getByRole('button', { name: 'Reveal' });
    expect(reveal).toBeDisabled();
    const said = recordAnnouncements();
    const first = within(group).getByRole('radio', { name: /Redis remembers its keys/ });
    first.focus();
    await user.keyboard(' ');
    expect(first).toBeChecked();
    await user.keyboard('{ArrowDown}');
    const second = within(group).getByRole('radio', { name: /only in memory/ });
    expect(second).toBeChecked();
    await user.click(reveal);
    expect(within(panel).getByText('Right.')).toBeInTheDocument();
    expect(within(panel).getByText('(integer) 0')).toBeInTheDocument();
    expect(within(panel).getByText(/The memory of a process dies with it/)).toBeInTheDocument();
    expect(second).toBeDisabled();
    expect(said.some((text) => text.startsWith('Right. The answer: 0 — the keys were only in memory. The memory of a process dies with it.'))).toBe(true);
  });

  test('a wrong prediction is told apart by words and marks, not colour alone', async () => {
    const { user, lessons } = renderWithLessons();
    act(() => void lessons.getState().openLesson('why-persistence', 2));
    const panel = lessonPanel();
    await user.click(within(panel).getByRole('radio', { name: /Redis remembers its keys/ }));
    await user.click(within(panel).getByRole('button', { name: 'Reveal' }));
    expect(within(panel).getByText('Not quite.')).toBeInTheDocument();
    expect(within(panel).getByText(/The answer:/)).toHaveTextContent('The answer: 0 — the keys were only in memory');
  });

  test('the last step finishes the lesson and offers the next one', async () => {
    const { user, lessons } = renderWithLessons();
    act(() => void lessons.getState().openLesson('why-persistence', 5));
    await user.click(within(lessonPanel()).getByRole('button', { name: /Finish/ }));
    expect(screen.getByRole('heading', { name: 'Lesson complete' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Next lesson: RDB snapshots' }));
    expect(within(lessonPanel()).getByText('Step 1 of 7')).toBeInTheDocument();
    await user.click(within(lessonPanel()).getByRole('button', { name: 'Close the lesson' }));
    expect(screen.queryByRole('region', { name: 'RDB snapshots' })).toBeNull();
  });

  test('lesson 7’s last step shows its table in the lesson panel, after the narration', () => {
    const { lessons } = renderWithLessons();
    act(() => void lessons.getState().openLesson('choosing', 5));
    const panel = screen.getByRole('region', { name: /^Choosing/ });
    expect(within(panel).getByText('Step 6 of 6')).toBeInTheDocument();
    const table = within(panel).getByRole('table', { name: 'Five setups side by side' });
    const narration = panel.querySelector('.lesson-narration') as HTMLElement;
    expect(narration).toHaveTextContent(/^Everything side by side\./);
    expect(narration.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    // The step before has no table.
    act(() => lessons.getState().back());
    expect(within(panel).queryByRole('table')).toBeNull();
  });

  test('a scenario from the library loads on a fresh node and closes the lesson', async () => {
    const { user, lab, lessons } = renderWithLessons();
    act(() => void lessons.getState().openLesson('why-persistence', 1));
    const said = recordAnnouncements();
    await user.click(screen.getByRole('button', { name: 'Lessons' }));
    await user.click(screen.getByRole('button', { name: /^AOF everysec/ }));
    expect(lessons.getState().lessonId).toBeNull();
    expect(lab.getState().aof.state).toBe('on');
    expect(lab.getState().keyspace.totalKeys).toBe(5);
    expect(said).toContain('Scenario loaded: AOF everysec');
    expect(screen.getByRole('button', { name: 'Lessons' })).toHaveFocus();
  });

  test('Escape closes the menu and gives focus back to its button', async () => {
    const { user } = renderWithLessons();
    const menuButton = screen.getByRole('button', { name: 'Lessons' });
    await user.click(menuButton);
    await user.tab();
    await user.keyboard('{Escape}');
    expect(menuButton).toHaveAttribute('aria-expanded', 'false');
    expect(menuButton).toHaveFocus();
  });

  test('an instructor’s file with problems: each listed with its path, in Arabic', async () => {
    const { user } = renderWithLessons('ar');
    await user.click(screen.getByRole('button', { name: 'الدروس' }));
    const bad = JSON.stringify({ id: 'Bad Id', title: { en: 'Mine' }, steps: [{ narration: [{ en: 'x' }], highlight: ['sidebar'] }] });
    await user.upload(screen.getByLabelText('افتح ملف درس…'), new File([bad], 'bad.json', { type: 'application/json' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('هذا الملف ليس درسًا يستطيع المختبر تشغيله (مشكلتان):');
    expect(alert).toHaveTextContent('المعرّف «Bad Id» يجب أن يكون حروفًا لاتينية صغيرة');
    expect(alert).toHaveTextContent('لا توجد لوحة اسمها «sidebar»');
    expect(within(alert).getByText('$.steps[0].highlight[0]')).toHaveAttribute('dir', 'ltr');
  });

  test('Arabic typesetting: «الـ» stays on the line of its Latin term; a short code island never breaks, a long one may', () => {
    const { lessons } = renderWithLessons('ar');
    act(() => void lessons.getState().openLesson('why-persistence', 3));
    const panel = screen.getByRole('region', { name: /^لماذا/ });
    expect(within(panel).getByRole('heading', { level: 2 }).textContent).toBe('لماذا نحتاج إلى الـ\u00a0Persistence؟');
    expect(within(panel).getByText('Redis is starting', { selector: 'p code' })).toHaveClass('lesson-code-short');
    expect(within(panel).getByText('Ready to accept connections', { selector: 'p code' })).not.toHaveClass('lesson-code-short');
  });

  test('an instructor’s good file opens as a lesson, in the language of the page', async () => {
    const { user } = renderWithLessons('ar');
    await user.click(screen.getByRole('button', { name: 'الدروس' }));
    const good = JSON.stringify({
      id: 'mine',
      title: { en: 'Mine', ar: 'درسي' },
      steps: [{ narration: [{ en: 'Run `SET a 1`.', ar: 'نفّذ `SET a 1`.' }], lines: ['SET a 1'] }, { narration: [{ en: 'Done.' }] }],
    });
    await user.upload(screen.getByLabelText('افتح ملف درس…'), new File([good], 'mine.json', { type: 'application/json' }));
    const panel = await screen.findByRole('region', { name: 'درسي' });
    expect(within(panel).getByText('الخطوة 1 من 2')).toBeInTheDocument();
    expect(within(panel).getByText('SET a 1', { selector: 'p code' })).toHaveAttribute('dir', 'ltr');
    await user.click(within(panel).getByRole('button', { name: /التالي/ }));
    // No Arabic text for this step: English is the fallback.
    expect(within(panel).getByText('Done.')).toBeInTheDocument();
  });
});

describe('scrolling to the panels a step names (the lesson beside them, a 900 px window)', () => {
  const at = (top: number, bottom: number) => ({ top, bottom });
  test('panels already on screen: no scroll', () => {
    expect(scrollDeltaToShow([at(100, 400), at(500, 880)], 900)).toBe(0);
  });
  test('two panels that fit together: both come on screen, the lower one up to the bottom edge', () => {
    // The keyspace on screen, the disk below it: 300 px down shows both.
    expect(scrollDeltaToShow([at(560, 880), at(1100, 1400)], 900)).toBe(1400 - 884);
  });
  test('two panels too far apart: the first one, the one the narration is about', () => {
    expect(scrollDeltaToShow([at(3000, 3500), at(-2000, -1500)], 900)).toBe(3500 - 884);
    expect(scrollDeltaToShow([at(-700, -100), at(4000, 4500)], 900)).toBe(-716);
  });
  test('a panel taller than the window: its top comes to the top edge', () => {
    expect(scrollDeltaToShow([at(700, 1900)], 900)).toBe(684);
    expect(scrollDeltaToShow([at(-500, 700)], 900)).toBe(-516);
  });
  test('no panel on screen to show: no scroll', () => {
    expect(scrollDeltaToShow([], 900)).toBe(0);
  });
});
