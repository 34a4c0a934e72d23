// @vitest-environment jsdom
/**
 * The lesson UI in the whole lab (jsdom): the menu opens a lesson; the panel shows its narration
 * with code islands, step x of n, the highlighted panels; a question is answered from the keyboard
 * and revealed; Back and Next move; the aria-live region says the step; lesson 7 ends on its table;
 * a scenario loads; and an
 * instructor's broken file gets its problems listed in the reader's language.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { createI18n, type LanguageCode } from '../../src/i18n/index.ts';
import { createLabStore } from '../../src/store/index.ts';
import { LabStoreProvider } from '../../src/store/react.tsx';
import { createLessonStore } from '../../src/lessons/lesson-store.ts';
import { LessonStoreProvider } from '../../src/lessons/react.tsx';
import { App } from '../../src/ui/index.ts';
import { panelPlace, partToShow, scrollDeltaToShow } from '../../src/ui/lessons/use-panel-highlight.ts';
import { renderLessonText } from '../../src/ui/lessons/lesson-text.tsx';

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

  test('the lines a step ran say what SIM lines are when the step ran one, and only then', async () => {
    const { user, lessons } = renderWithLessons();
    const note = /^Lines that start with SIM are the lab’s own controls/;
    // Lesson 1's step 2 runs CONFIG SET and SETs only; lesson 2's step 2 slows the disk (SIM SET disk-mbps).
    act(() => void lessons.getState().openLesson('why-persistence', 1));
    expect(within(lessonPanel()).getByText('This step ran:')).toBeInTheDocument();
    expect(within(lessonPanel()).queryByText(note)).toBeNull();
    act(() => void lessons.getState().openLesson('rdb-snapshots', 0));
    await user.click(within(lessonPanel()).getByRole('button', { name: /Next/ }));
    expect(within(lessonPanel()).getByText(note)).toBeInTheDocument();
  });

  test('a new step opens at the top of its narration, wherever the last one was scrolled to, and on screen', async () => {
    const { user, lessons } = renderWithLessons();
    act(() => void lessons.getState().openLesson('rdb-snapshots', 0));
    const panel = lessonPanel();
    panel.scrollTop = 300; // the student read to the end of a long step
    await user.click(within(panel).getByRole('button', { name: /Next/ }));
    expect(within(panel).getByText(/^Step 2 of/)).toBeInTheDocument();
    expect(panel.scrollTop).toBe(0);

    // On a phone the page had been scrolled down to Next, past the top of the lesson: back to it.
    const scrollIntoView = vi.fn();
    panel.scrollIntoView = scrollIntoView;
    panel.getBoundingClientRect = () => ({ top: -640 }) as DOMRect;
    await user.click(within(panel).getByRole('button', { name: /Next/ }));
    expect(within(panel).getByText(/^Step 3 of/)).toBeInTheDocument();
    expect(scrollIntoView).toHaveBeenCalledWith(expect.objectContaining({ block: 'start' }));
  });

  test('a question is answered from the keyboard, then revealed by the lab for real', async () => {
    const { user, lessons } = renderWithLessons();
    act(() => void lessons.getState().openLesson('why-persistence', 2));
    const panel = lessonPanel();
    const group = within(panel).getByRole('group', { name: /Predict.*DBSIZE replies with the number of keys: what does it say now\?/ });
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
    // Reveal is gone: the keyboard is on Next, not dropped to the page.
    expect(within(panel).getByRole('button', { name: /^Next/ })).toHaveFocus();
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
    expect(within(lessonPanel()).getByText('Step 1 of 8')).toBeInTheDocument();
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

  test('the glossary lists the terms in lesson order, and a term takes the student to the step that shows it', async () => {
    const { user, lessons } = renderWithLessons();
    act(() => void lessons.getState().openLesson('why-persistence', 0));
    await user.click(within(lessonPanel()).getByRole('button', { name: 'Terms' }));
    const dialog = screen.getByRole('dialog', { name: 'Terms used in the lessons' });
    const terms = within(dialog).getAllByRole('term');
    expect(terms).toHaveLength(21);
    expect(terms[0]).toHaveTextContent('OOM killer');
    const fsync = terms.find((term) => term.textContent === 'fsync') as HTMLElement;
    expect(within(fsync).getByText('fsync', { selector: 'code' })).toHaveAttribute('dir', 'ltr');
    const entry = fsync.parentElement as HTMLElement;
    expect(entry).toHaveTextContent('Only bytes that went through an fsync survive a power cut.');
    await user.click(within(entry).getByRole('button', { name: 'See it in lesson 4, step 3: The AOF: a log of every write' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect([lessons.getState().lessonId, lessons.getState().step]).toEqual(['aof-log', 2]);
    expect(screen.getByRole('region', { name: 'The AOF: a log of every write' })).toHaveTextContent('Step 3 of 8');
  });

  test('the glossary from the menu, in Arabic: Escape closes only the glossary; a term opens its step and closes the menu', async () => {
    const { user, lessons } = renderWithLessons('ar');
    const menuButton = screen.getByRole('button', { name: 'الدروس' });
    await user.click(menuButton);
    const opener = screen.getByRole('button', { name: 'مصطلحات الدروس' });
    await user.click(opener);
    expect(screen.getByRole('dialog', { name: 'مصطلحات الدروس' })).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    // (Focus going back to the opener is the browser's part: test/browser/lessons.spec.ts.)
    expect(menuButton).toHaveAttribute('aria-expanded', 'true');

    await user.click(opener);
    const truncated = within(screen.getByRole('dialog')).getAllByRole('term').at(-1) as HTMLElement;
    expect(truncated).toHaveTextContent('الـ AOF المبتور (aof-load-truncated)');
    await user.click(within(truncated.parentElement as HTMLElement).getByRole('button', { name: /^شاهده في الدرس 6، الخطوة 5: / }));
    expect(menuButton).toHaveAttribute('aria-expanded', 'false');
    expect([lessons.getState().lessonId, lessons.getState().step]).toEqual(['restart', 4]);
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

  test('Arabic typesetting: «الـ» stays on the line of its Latin term; a short code island never breaks, a long one only between its words', () => {
    const { lessons } = renderWithLessons('ar');
    act(() => void lessons.getState().openLesson('why-persistence', 3));
    const panel = screen.getByRole('region', { name: /^لماذا/ });
    expect(within(panel).getByRole('heading', { level: 2 }).textContent).toBe('لماذا نحتاج إلى الـ\u00a0Persistence (الحفاظ على البيانات)؟');
    expect(within(panel).getByText('Redis is starting', { selector: 'p code' })).toHaveClass('lesson-code-short');
    expect(within(panel).getByText('Ready to accept connections', { selector: 'p code' })).toHaveClass('lesson-code-short');
    act(() => void lessons.getState().openLesson('snapshot-failures', 7));
    const recap = within(document.querySelector('section.lesson-panel') as HTMLElement).getByText('stop-writes-on-bgsave-error', { selector: 'p code .nowrap' });
    const long = recap.closest('code') as HTMLElement;
    expect(long).not.toHaveClass('lesson-code-short');
    expect([...long.querySelectorAll('.nowrap')].map((word) => word.textContent)).toEqual(['CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'no']);
  });

  test('a text line that is one code island alone shows as a line of its own, after the prose that leads to it', () => {
    const { lessons } = renderWithLessons('ar');
    act(() => void lessons.getState().openLesson('aof-rewrite', 3));
    const narration = [...document.querySelectorAll('section.lesson-panel p')].find((p) => p.textContent?.includes('type b'));
    const lines = [...(narration?.querySelectorAll('code.lesson-code-line') ?? [])];
    expect(lines.map((line) => [line.textContent, line.getAttribute('dir')])).toEqual([
      ['file appendonly.aof.2.base.rdb seq 2 type b', 'ltr'],
      ['file appendonly.aof.2.incr.aof seq 2 type i', 'ltr'],
    ]);
    // The text keeps its newlines (copied, read aloud); on screen each code line is a block of its own.
    expect(narration?.textContent).toMatch(/للإضافات:\nfile appendonly\.aof\.2\.base\.rdb seq 2 type b\nfile appendonly/);
    expect(narration?.querySelectorAll('br')).toHaveLength(0);
  });

  test('newlines in lesson text: prose after prose breaks the line; a code line alone is its own block', () => {
    const { container } = render(<p>{renderLessonText('Run `SET a 1`.\nThen read the log:\n`appendonly.aof.1.incr.aof`\nDone.')}</p>);
    expect(container.textContent).toBe('Run SET a 1.\nThen read the log:\nappendonly.aof.1.incr.aof\nDone.');
    expect(container.querySelectorAll('br')).toHaveLength(1);
    expect(container.querySelector('br')?.nextSibling?.textContent).toBe('Then read the log:');
    expect(container.querySelector('.lesson-code-line')?.textContent).toBe('appendonly.aof.1.incr.aof');
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
  test('a panel taller than the window, its anchor (the AOF’s log) far down: its end comes up, the anchor with it', () => {
    // 1,100 px tall, the log 820 px from its top: the top edge would leave the log under the fold.
    const part = partToShow(at(700, 1800), 1520, 900);
    expect(part).toEqual(at(1800 - 868, 1800));
    expect(scrollDeltaToShow([part], 900)).toBe(1800 - 884);
    // Further from the end than a window: the anchor comes to the top edge.
    expect(partToShow(at(0, 3000), 1200, 900)).toEqual(at(1200, 2068));
    // An anchor seen with the panel's top at the top edge, or a panel that fits: the whole panel.
    expect(partToShow(at(700, 1800), 1000, 900)).toEqual(at(700, 1800));
    expect(partToShow(at(100, 800), 700, 900)).toEqual(at(100, 800));
  });
});

describe('scrolling to the panels a step names: the first, and those that fit beside it', () => {
  const at = (top: number, bottom: number) => ({ top, bottom });
  test('the first and the third fit together, the second is far: the first and the third', () => {
    // The AOF panel on screen's lower half, the server log far below, the disk just under the AOF panel.
    expect(scrollDeltaToShow([at(500, 1000), at(4000, 4400), at(1000, 1300)], 900)).toBe(1300 - 884);
  });
  test('where a panel is: shown when enough of it is on screen, else above or below', () => {
    expect(panelPlace(at(100, 400), 900)).toBe('shown');
    // A tall panel: a third of the window of it is enough.
    expect(panelPlace(at(500, 2500), 900)).toBe('shown');
    expect(panelPlace(at(820, 1200), 900)).toBe('below');
    expect(panelPlace(at(-1200, 40), 900)).toBe('above');
  });
});

/**
 * A stand-in for the browser's IntersectionObserver (jsdom has none): a test says what it sees, for
 * an element, as the browser would after a scroll.
 */
class FakeIntersectionObserver {
  static all: FakeIntersectionObserver[] = [];
  readonly targets = new Set<Element>();
  constructor(private readonly callback: IntersectionObserverCallback) {
    FakeIntersectionObserver.all.push(this);
  }
  observe(target: Element): void {
    this.targets.add(target);
  }
  unobserve(target: Element): void {
    this.targets.delete(target);
  }
  disconnect(): void {
    this.targets.clear();
  }
  takeRecords(): IntersectionObserverEntry[] {
    return [];
  }
  /** The element at `top`…`bottom` in a window 800 px high. */
  static see(target: Element, top: number, bottom: number): void {
    const entry = {
      target,
      isIntersecting: bottom > 0 && top < 800,
      intersectionRatio: Math.max(0, Math.min(bottom, 800) - Math.max(top, 0)) / (bottom - top),
      boundingClientRect: { top, bottom, height: bottom - top },
      rootBounds: { height: 800 },
    } as unknown as IntersectionObserverEntry;
    for (const observer of FakeIntersectionObserver.all) {
      if (observer.targets.has(target)) act(() => observer.callback([entry], observer as unknown as IntersectionObserver));
    }
  }
}

/** Every element scrollIntoView is called on, in order (jsdom has none; the describe's afterEach removes it). */
function recordScrolls(): Element[] {
  const scrolled: Element[] = [];
  Element.prototype.scrollIntoView = function (this: Element) {
    scrolled.push(this);
  };
  return scrolled;
}

/** The lesson's own Back and Next, whose place decides whether the bar shows. */
const navOf = (panel: HTMLElement): Element => panel.querySelector('.lesson-nav') as Element;

describe('following a lesson on a phone: the lesson bar, and where the panels are', () => {
  beforeEach(() => {
    FakeIntersectionObserver.all = [];
    vi.stubGlobal('IntersectionObserver', FakeIntersectionObserver);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    // jsdom has no scrollIntoView: the tests that follow where it goes put their own.
    delete (Element.prototype as Partial<Element>).scrollIntoView;
  });

  test('with the lesson’s Back and Next off screen, a bar at the bottom offers the step, Back, Next and the way back to the text', async () => {
    const scrolled = recordScrolls();
    const { user, lessons } = renderWithLessons();
    act(() => void lessons.getState().openLesson('why-persistence', 0));
    const panel = lessonPanel();
    // The lesson on screen: no bar (hidden, out of the tab order and of what is read).
    expect(screen.queryByRole('navigation', { name: 'Lesson: Why persistence?' })).toBeNull();

    FakeIntersectionObserver.see(navOf(panel), -2400, -2360);
    const bar = screen.getByRole('navigation', { name: 'Lesson: Why persistence?' });
    expect(within(bar).getByRole('button', { name: 'Step 1 of 6 Read the lesson' })).toBeInTheDocument();
    expect(within(bar).queryByRole('button', { name: /Back/ })).toBeNull();

    // Next: the next step, and the text brought back, the keyboard on the lesson's title.
    await user.click(within(bar).getByRole('button', { name: /^Next/ }));
    expect(within(panel).getByText('Step 2 of 6')).toBeInTheDocument();
    expect(scrolled.at(-1)).toBe(panel);
    expect(within(panel).getByRole('heading', { level: 2 })).toHaveFocus();
    expect(within(bar).getByRole('button', { name: /^Step 2 of 6/ })).toBeInTheDocument();

    await user.click(within(bar).getByRole('button', { name: /Back/ }));
    expect(within(panel).getByText('Step 1 of 6')).toBeInTheDocument();
    scrolled.length = 0;
    await user.click(within(bar).getByRole('button', { name: /Read the lesson/ }));
    expect(scrolled).toEqual([panel]);
    expect(within(panel).getByText('Step 1 of 6')).toBeInTheDocument();

    // The lesson's text on screen, its Next still below it: the bar stays.
    FakeIntersectionObserver.see(navOf(panel), 900, 940);
    expect(screen.getByRole('navigation', { name: 'Lesson: Why persistence?' })).toBeInTheDocument();
    // A sliver of Next at the screen's edge is no button to press: the bar stays.
    FakeIntersectionObserver.see(navOf(panel), 790, 830);
    expect(screen.getByRole('navigation', { name: 'Lesson: Why persistence?' })).toBeInTheDocument();
    // Next on screen: the bar goes.
    FakeIntersectionObserver.see(navOf(panel), 600, 640);
    expect(screen.queryByRole('navigation', { name: 'Lesson: Why persistence?' })).toBeNull();
  });

  test('the last step’s Finish in the bar ends the lesson and brings its panel back', async () => {
    const scrollIntoView = vi.fn();
    Element.prototype.scrollIntoView = scrollIntoView;
    const { user, lessons } = renderWithLessons();
    act(() => void lessons.getState().openLesson('why-persistence', 5));
    FakeIntersectionObserver.see(navOf(lessonPanel()), -3000, -2960);
    await user.click(within(screen.getByRole('navigation', { name: 'Lesson: Why persistence?' })).getByRole('button', { name: /^Finish/ }));
    expect(screen.getByRole('heading', { name: 'Lesson complete' })).toBeInTheDocument();
    expect(scrollIntoView).toHaveBeenCalled();
    expect(screen.queryByRole('navigation', { name: /^Lesson:/ })).toBeNull();
  });

  test('the panel’s own Finish at the end of a long last step: the short card that replaces it comes on screen, the keyboard on the title', async () => {
    const scrolled = recordScrolls();
    const { user, lessons } = renderWithLessons();
    act(() => void lessons.getState().openLesson('choosing', 5));
    await user.click(within(document.querySelector('section.lesson-panel') as HTMLElement).getByRole('button', { name: /^Finish/ }));
    const panel = screen.getByRole('region', { name: 'Choosing: RDB, AOF or both' });
    expect(within(panel).getByRole('heading', { name: 'Lesson complete' })).toBeInTheDocument();
    expect(scrolled.at(-1)).toBe(panel);
    expect(within(panel).getByRole('heading', { level: 2 })).toHaveFocus();
  });

  test('in Arabic: the bar’s names, and a panel off screen marked by an arrow and in words', () => {
    const { lessons } = renderWithLessons('ar');
    act(() => void lessons.getState().openLesson('why-persistence', 1));
    const panel = lessonPanel();
    FakeIntersectionObserver.see(navOf(panel), -2400, -2360);
    const bar = screen.getByRole('navigation', { name: /^الدرس: لماذا نحتاج إلى الـ/ });
    expect(within(bar).getByRole('button', { name: 'الخطوة 2 من 6 اقرأ الدرس' })).toBeInTheDocument();
    expect(within(bar).getByRole('button', { name: /^رجوع/ })).toBeInTheDocument();

    // Step 2 names the keyspace and the disk: the disk far below, the keyspace on screen.
    FakeIntersectionObserver.see(document.querySelector('[data-panel="keyspace"]') as Element, 100, 600);
    FakeIntersectionObserver.see(document.querySelector('[data-panel="disk"]') as Element, 1400, 1800);
    const look = panel.querySelector('.lesson-look') as HTMLElement;
    expect(within(look).getByRole('button', { name: 'القرص (في الأسفل)' })).toHaveAttribute('data-place', 'below');
    expect(within(look).getByRole('button', { name: 'فضاء المفاتيح (Keyspace)' })).toHaveAttribute('data-place', 'shown');
    expect(look).toHaveTextContent('الاسم الذي بجانبه سهم خارج الشاشة الآن: اضغطه لتنتقل إلى تلك اللوحة.');
    // On screen now: no arrow; the hint stays for the step (taken away mid-scroll, it would move the panels).
    FakeIntersectionObserver.see(document.querySelector('[data-panel="disk"]') as Element, 300, 700);
    expect(within(look).getByRole('button', { name: 'القرص' })).toHaveAttribute('data-place', 'shown');
    expect(look.querySelector('.lesson-look-hint')).not.toBeNull();
  });

  test('in English: a panel above the window gets an up arrow and says so', () => {
    const { lessons } = renderWithLessons();
    act(() => void lessons.getState().openLesson('why-persistence', 1));
    FakeIntersectionObserver.see(document.querySelector('[data-panel="keyspace"]') as Element, -900, -200);
    const look = lessonPanel().querySelector('.lesson-look') as HTMLElement;
    const button = within(look).getByRole('button', { name: 'Keyspace (further up)' });
    expect(button).toHaveTextContent(/^Keyspace↑ \(further up\)$/);
    expect(look).toHaveTextContent('A name with an arrow is off screen: press it to go to that panel.');
  });
});
