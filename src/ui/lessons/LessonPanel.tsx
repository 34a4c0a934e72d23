import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Lesson, LessonStep } from '../../lessons/format.ts';
import type { LessonStore, QuestionState } from '../../lessons/lesson-store.ts';
import { useLessonStoreApi, useLessons } from '../../lessons/react.tsx';
import { useAnnounce } from '../Narrator.tsx';
import { codeInLessonText, plainLessonText, renderLessonText, resolveLessonText } from './lesson-text.tsx';
import { GlossaryButton } from './Glossary.tsx';
import { scrollBehavior, showAndFocus, showLessonPanel, showOpenedLesson } from './lesson-scroll.ts';
import { LessonTableView } from './LessonTable.tsx';
import { PANEL_TITLE_KEYS, usePanelHighlight, usePanelPlaces } from './use-panel-highlight.ts';
import type { PanelId } from '../app/panels.ts';

/**
 * The lesson beside the panels: the step's narration and its table, the panels to look at, the
 * lines the step ran, its predict-then-reveal question, and Back / Next with the step count and
 * progress. At the end, the lesson's completion with the next lesson. Each new step's narration is
 * announced in the live region; the panels it names are outlined and scrolled into view. On a phone
 * or a narrow window, where the lesson sits above the panels, a bar at the bottom of the screen
 * (LessonDock) keeps Back, Next and the way back to the text at hand whenever the lesson's own are
 * off screen.
 */
export function LessonPanel() {
  const store = useLessonStoreApi();
  return store === null ? null : <LessonPanelFor store={store} />;
}

function LessonPanelFor({ store }: { store: LessonStore }) {
  const lessonId = useLessons(store, (s) => s.lessonId);
  const lessons = useLessons(store, (s) => s.lessons);
  const lesson = lessons.find((each) => each.id === lessonId) ?? null;
  return lesson === null ? null : <OpenLesson store={store} lesson={lesson} />;
}

function OpenLesson({ store, lesson }: { store: LessonStore; lesson: Lesson }) {
  const { t, i18n } = useTranslation();
  const announce = useAnnounce();
  const step = useLessons(store, (s) => s.step);
  const finished = useLessons(store, (s) => s.finished);
  const question = useLessons(store, (s) => s.question);
  const lessons = useLessons(store, (s) => s.lessons);
  const titleId = useId();
  const count = lesson.steps.length;
  const current = lesson.steps[step] as LessonStep;
  const title = resolveLessonText(lesson.title, i18n);
  const nextRef = useRef<HTMLButtonElement>(null);
  // Callback refs: the finished lesson's panel is another element, and the effects must follow it.
  const [panelElement, setPanelElement] = useState<HTMLElement | null>(null);
  // The bar stands in for the panel's own Back and Next whenever those are off screen (a long step
  // read from its top, the text brought back from a panel), not only when the whole lesson is.
  const [navElement, setNavElement] = useState<HTMLElement | null>(null);
  const away = useScrolledAway(navElement);

  usePanelHighlight(finished ? [] : (current.highlight ?? []), `${lesson.id}:${step}:${finished}`);

  // A new step is read from its start: beside the lab the panel scrolls within itself, and would
  // otherwise open a long step where the last one was left, mid-narration; on a phone, above the
  // panels, the page itself had been scrolled to Next, past the new step's text. A lesson just
  // finished (its short card may be far above a long last step) is brought on screen with the
  // keyboard on its title; a lesson the student opens (the menu, the glossary, "Next lesson") is
  // shown so by what opened it (showOpenedLesson).
  const wasFinishedRef = useRef(finished);
  useEffect(() => {
    if (panelElement === null) return;
    const justFinished = finished && !wasFinishedRef.current;
    wasFinishedRef.current = finished;
    if (justFinished) showLessonPanel(panelElement);
    else showStepStart(panelElement);
  }, [panelElement, lesson.id, step, finished]);

  // Say the new step aloud (not on first render of the same step after a language change).
  const narration = current.narration.map((text) => resolveLessonText(text, i18n));
  const spoken = plainLessonText(narration.join(' '));
  const announcedRef = useRef<string | null>(null);
  useEffect(() => {
    const id = `${lesson.id}:${step}:${finished}`;
    if (announcedRef.current === id) return;
    announcedRef.current = id;
    announce(finished ? t('lessonUi.complete.text', { title }) : t('lessonUi.panel.announceStep', { step: step + 1, count, text: spoken }));
  }, [lesson.id, step, finished, count, spoken, title, t, announce]);

  const back = (): void => {
    const wasOnBack = document.activeElement instanceof HTMLElement && document.activeElement.dataset.lessonNav === 'back';
    store.getState().back();
    // Back disappears at the first step: keep the keyboard in the panel.
    if (wasOnBack && store.getState().step === 0) nextRef.current?.focus();
  };

  if (finished) {
    const index = lessons.findIndex((each) => each.id === lesson.id);
    const following = lessons[index + 1];
    return (
      <section className="panel lesson-panel" aria-labelledby={titleId} ref={setPanelElement}>
        <LessonHeader store={store} titleId={titleId} title={title} />
        <div className="lesson-complete">
          <h3>{t('lessonUi.complete.title')}</h3>
          <p>{t('lessonUi.complete.text', { title })}</p>
        </div>
        <div className="lesson-nav">
          <button type="button" className="button" onClick={() => store.getState().back()}>
            {t('lessonUi.complete.again')}
          </button>
          {following !== undefined && (
            <button
              type="button"
              className="button button-primary"
              onClick={() => {
                store.getState().openLesson(following.id, 0);
                showOpenedLesson();
              }}
            >
              {t('lessonUi.complete.next', { title: resolveLessonText(following.title, i18n) })}
            </button>
          )}
        </div>
      </section>
    );
  }

  const toText = (): void => {
    if (panelElement !== null) showLessonPanel(panelElement);
  };
  // The code the step's words hold (`aof-load-truncated no`, `temp-4243.rdb`): where Look at may land.
  const named = [...narration, current.question === undefined ? '' : resolveLessonText(current.question.prompt, i18n)].flatMap(codeInLessonText);
  return (
    <>
      <section className="panel lesson-panel" aria-labelledby={titleId} ref={setPanelElement}>
        <LessonHeader store={store} titleId={titleId} title={title} />
        <StepProgress step={step} count={count} />
        <div className="lesson-narration">
          {narration.map((text, index) => (
            <p key={index}>{renderLessonText(text)}</p>
          ))}
        </div>
        {current.table !== undefined && <LessonTableView table={current.table} />}
        {(current.highlight?.length ?? 0) > 0 && <LookAt key={`${lesson.id}:${step}`} panels={current.highlight ?? []} named={named} />}
        {(current.lines?.length ?? 0) > 0 && (
          <details className="lesson-lines">
            <summary>{t('lessonUi.panel.ran')}</summary>
            <ol dir="ltr">
              {current.lines?.map((line, index) => (
                <li key={index}>
                  <code>{line.length > 90 ? `${line.slice(0, 90)}…` : line}</code>
                </li>
              ))}
            </ol>
            {current.lines?.some((line) => /^sim /i.test(line)) && <p className="lesson-lines-note">{t('lessonUi.panel.simNote')}</p>}
          </details>
        )}
        {current.question !== undefined && question !== null && (
          // Reveal goes once pressed: the keyboard moves on to Next, while the result is read out and scrolled into view.
          <Question store={store} step={current} state={question} onRevealed={() => nextRef.current?.focus({ preventScroll: true })} />
        )}
        <div className="lesson-nav" ref={setNavElement}>
          {step > 0 && (
            <button type="button" className="button" data-lesson-nav="back" onClick={back}>
              <BackLabel />
            </button>
          )}
          <button type="button" className="button button-primary" data-lesson-nav="next" ref={nextRef} onClick={() => store.getState().next()}>
            <NextLabel last={step + 1 === count} />
          </button>
        </div>
      </section>
      <LessonDock
        away={away}
        title={title}
        step={step}
        count={count}
        onBack={() => {
          store.getState().back();
          toText();
        }}
        onNext={() => {
          store.getState().next();
          toText();
        }}
        onText={toText}
      />
    </>
  );
}

/**
 * Whether the element is not wholly on screen, as an IntersectionObserver sees it; never without
 * one (jsdom).
 */
function useScrolledAway(element: HTMLElement | null): boolean {
  const [away, setAway] = useState(false);
  useEffect(() => {
    if (element === null || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        const last = entries[entries.length - 1];
        // A sliver at the screen's edge is not a button one can press: away until wholly on screen.
        if (last !== undefined) setAway(!last.isIntersecting || (last.intersectionRatio ?? 1) < 0.99);
      },
      { threshold: [0, 0.99] },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return away;
}

function showStepStart(panel: HTMLElement): void {
  panel.scrollTop = 0;
  if (panel.getBoundingClientRect().top < 0) panel.scrollIntoView?.({ block: 'start', behavior: scrollBehavior() });
}

/** The words and arrow of a Back button, in the panel and in the bar. */
function BackLabel() {
  const { t } = useTranslation();
  return (
    <>
      <span aria-hidden="true" className="lesson-arrow lesson-arrow-back">
        ←
      </span>
      {t('lessonUi.panel.back')}
    </>
  );
}

/** Next, or Finish on the last step, with its arrow. */
function NextLabel({ last }: { last: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      {last ? t('lessonUi.panel.finish') : t('lessonUi.panel.next')}
      <span aria-hidden="true" className="lesson-arrow">
        →
      </span>
    </>
  );
}

/**
 * The lesson's Back and Next when the panel's own are off screen, as a bar fixed at the bottom of
 * the screen: the step, Back, Next, and a button back to the text. Back and Next also bring the
 * text back, for the new step is read there. Hidden (out of the tab order and of what is read)
 * while the panel's own are on screen; never shown beside the panels on a laptop (CSS), where the
 * lesson stays in view.
 */
function LessonDock({
  away,
  title,
  step,
  count,
  onBack,
  onNext,
  onText,
}: {
  away: boolean;
  title: string;
  step: number;
  count: number;
  onBack: () => void;
  onNext: () => void;
  onText: () => void;
}) {
  const { t } = useTranslation();
  return (
    <nav className="lesson-dock" aria-label={t('lessonUi.dock.label', { title })} hidden={!away}>
      {step > 0 && (
        <button type="button" className="button lesson-dock-back" onClick={onBack}>
          <BackLabel />
        </button>
      )}
      <button type="button" className="button button-quiet lesson-dock-text" onClick={onText}>
        <span className="lesson-dock-step">{t('lessonUi.panel.stepOf', { step: step + 1, count })}</span>{' '}
        <span className="lesson-dock-read">
          <span aria-hidden="true">↑ </span>
          {t('lessonUi.dock.toText')}
        </span>
      </button>
      <button type="button" className="button button-primary lesson-dock-next" onClick={onNext}>
        <NextLabel last={step + 1 === count} />
      </button>
    </nav>
  );
}

function LessonHeader({ store, titleId, title }: { store: LessonStore; titleId: string; title: string }) {
  const { t } = useTranslation();
  return (
    <div className="panel-header lesson-header">
      <div className="lesson-header-top">
        <p className="lesson-kicker">{t('lessonUi.panel.label')}</p>
        <GlossaryButton store={store} label={t('lessonUi.glossary.open')} className="button-quiet" />
        <button type="button" className="button button-quiet" onClick={() => store.getState().closeLesson()}>
          {t('lessonUi.panel.close')}
        </button>
      </div>
      <h2 id={titleId}>{title}</h2>
    </div>
  );
}

/** "Step 3 of 7" in words, and as a row of segments (the words carry the meaning). */
function StepProgress({ step, count }: { step: number; count: number }) {
  const { t } = useTranslation();
  const words = t('lessonUi.panel.stepOf', { step: step + 1, count });
  return (
    <div className="lesson-progress">
      <p className="lesson-step-count">{words}</p>
      <div
        className="lesson-progress-bar"
        role="progressbar"
        aria-label={t('lessonUi.panel.progress')}
        aria-valuemin={1}
        aria-valuemax={count}
        aria-valuenow={step + 1}
        aria-valuetext={words}
      >
        {Array.from({ length: count }, (_, index) => (
          <span key={index} className={index < step ? 'segment segment-done' : index === step ? 'segment segment-current' : 'segment'} />
        ))}
      </div>
    </div>
  );
}

/**
 * The highlighted panels by their titles: a button scrolls to one and moves focus to its heading.
 * A panel off screen says so by an arrow (up or down) and in words for screen readers, and a line
 * says what the arrows mean: the panels that do not fit beside the first are a press away.
 */
function LookAt({ panels, named }: { panels: readonly PanelId[]; named: readonly string[] }) {
  const { t } = useTranslation();
  const places = usePanelPlaces(panels);
  const offScreen = panels.some((id) => (places.get(id) ?? 'shown') !== 'shown');
  // Once shown, the hint stays for the step: taken away while the page scrolls to a panel, it
  // would move everything below it up and leave that panel's top off screen.
  const [hinted, setHinted] = useState(false);
  if (offScreen && !hinted) setHinted(true);
  return (
    <div className="lesson-look">
      <span>{t('lessonUi.panel.lookAt')}</span>
      <ul>
        {panels.map((id) => {
          const place = places.get(id) ?? 'shown';
          return (
            <li key={id}>
              <button type="button" className="lesson-look-button" data-place={place} onClick={() => focusPanel(id, named)}>
                {t(PANEL_TITLE_KEYS[id])}
                {place !== 'shown' ? (
                  <>
                    <span aria-hidden="true" className="lesson-look-where">
                      {place === 'below' ? '↓' : '↑'}
                    </span>
                    {' '}
                    <span className="visually-hidden">({t(`lessonUi.panel.${place}`)})</span>
                  </>
                ) : (
                  // Its arrow's room is kept for the step, like the hint: a button shrinking mid-scroll moves the panels.
                  hinted && (
                    <span aria-hidden="true" className="lesson-look-where lesson-look-where-idle">
                      ↓
                    </span>
                  )
                )}
              </button>
            </li>
          );
        })}
      </ul>
      {(offScreen || hinted) && <p className="lesson-look-hint">{t('lessonUi.panel.lookAtHint')}</p>}
    </div>
  );
}

/** What the lesson bar and a little margin take from the bottom of a phone's screen, in CSS pixels. */
const BAR_PX = 96;
/** How much of an anchor must show above the bar, with its panel's top at the screen's top, to be seen. */
const ANCHOR_SEEN_PX = 240;

/**
 * The part of a panel that the step's code names: a redis.conf directive (`aof-load-truncated`,
 * `aof-load-truncated no`, `CONFIG SET appendfsync always`) or a file on the disk, the first named
 * in the narration's order.
 */
function namedPart(panel: HTMLElement, named: readonly string[]): HTMLElement | null {
  const parts = [...panel.querySelectorAll<HTMLElement>('[data-directive], [data-file]')];
  for (const code of named) {
    const words = code.split(' ');
    const found = parts.find((part) => {
      const name = part.dataset.directive ?? part.dataset.file;
      return name === code || (name !== undefined && words.includes(name));
    });
    if (found !== undefined) return found;
  }
  return null;
}

/**
 * Goes to a panel with the keyboard on its heading. A panel taller than the screen (on a phone)
 * opens where the step points, when that would lie below the fold with the panel's top at the
 * screen's top: the directive or file the narration names, or else the panel's
 * `data-lesson-anchor`, the part steps talk about (the AOF's log, the story of a restart).
 */
function focusPanel(id: string, named: readonly string[]): void {
  const panel = document.querySelector<HTMLElement>(`[data-panel="${id}"]`);
  if (panel === null) return;
  const heading = panel.querySelector<HTMLElement>('h2, h3');
  const anchor = namedPart(panel, named) ?? panel.querySelector<HTMLElement>('[data-lesson-anchor]');
  const anchorOffset = anchor === null ? 0 : anchor.getBoundingClientRect().top - panel.getBoundingClientRect().top;
  const anchorBelowFold = anchor !== null && anchorOffset + ANCHOR_SEEN_PX > window.innerHeight - BAR_PX;
  showAndFocus(anchorBelowFold ? anchor : panel, heading);
}

/** Predict, then reveal: a radio group, the Reveal button, then what the lab answered and why. */
function Question({ store, step, state, onRevealed }: { store: LessonStore; step: LessonStep; state: QuestionState; onRevealed: () => void }) {
  const { t, i18n } = useTranslation();
  const announce = useAnnounce();
  const name = useId();
  const resultRef = useRef<HTMLDivElement>(null);
  // The answer and its why appear below the choices, often below the fold of the lesson panel:
  // bring them up, as little as needed, so the explanation is read, not missed.
  useEffect(() => {
    if (state.revealed) resultRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [state.revealed]);
  const spec = step.question;
  if (spec === undefined) return null;
  const labels = spec.choices.map((choice) => resolveLessonText(choice.label, i18n));
  const correct = state.revealed && state.rightChoice !== null && state.rightChoice === state.choice;

  const reveal = (): void => {
    store.getState().reveal();
    const after = store.getState().question;
    if (after === null || !after.revealed) return;
    const verdict = after.rightChoice === null ? t('lessonUi.question.noMatch') : after.rightChoice === after.choice ? t('lessonUi.question.right') : t('lessonUi.question.wrong');
    const answer = after.rightChoice === null ? '' : t('lessonUi.question.answer', { answer: plainLessonText(labels[after.rightChoice] ?? '') });
    const why = spec.explain === undefined ? '' : plainLessonText(resolveLessonText(spec.explain, i18n));
    // Each part a sentence of its own when read aloud (a choice's label has no full stop).
    announce([verdict, answer, why].filter(Boolean).map((part) => (/[.!?؟]$/.test(part) ? part : `${part}.`)).join(' '));
    onRevealed();
  };

  let result: ReactNode = null;
  if (state.revealed) {
    result = (
      <div ref={resultRef} className={correct ? 'lesson-result lesson-result-right' : 'lesson-result lesson-result-wrong'}>
        <p className="lesson-verdict">
          <span aria-hidden="true" className="lesson-verdict-mark">
            {correct ? '✓' : '✗'}
          </span>
          {state.rightChoice === null ? t('lessonUi.question.noMatch') : correct ? t('lessonUi.question.right') : t('lessonUi.question.wrong')}
        </p>
        <p>{renderLessonText(t('lessonUi.question.labSaid', { line: `\`${spec.check}\`` }))}</p>
        <pre className="lesson-output" dir="ltr">
          {state.output}
        </pre>
        {state.rightChoice !== null && <p className="lesson-answer">{renderLessonText(t('lessonUi.question.answer', { answer: labels[state.rightChoice] ?? '' }))}</p>}
        {spec.explain !== undefined && <p>{renderLessonText(resolveLessonText(spec.explain, i18n))}</p>}
      </div>
    );
  }

  return (
    <div className="lesson-question">
      <fieldset>
        <legend>
          <span className="lesson-question-kicker">{t('lessonUi.question.heading')}</span>
          <span className="lesson-question-prompt">{renderLessonText(resolveLessonText(spec.prompt, i18n))}</span>
        </legend>
        {!state.revealed && <p className="hint">{t('lessonUi.question.hint')}</p>}
        <div className="lesson-choices">
          {labels.map((label, index) => {
            const mark = state.revealed && index === state.rightChoice ? 'right' : state.revealed && index === state.choice ? 'picked' : null;
            return (
              <label key={index} className={mark === null ? 'lesson-choice' : `lesson-choice lesson-choice-${mark}`}>
                <input
                  type="radio"
                  name={name}
                  value={index}
                  checked={state.choice === index}
                  disabled={state.revealed}
                  onChange={() => store.getState().choose(index)}
                />
                <span>{renderLessonText(label)}</span>
                {mark === 'right' && (
                  <span className="lesson-choice-mark" aria-hidden="true">
                    ✓
                  </span>
                )}
              </label>
            );
          })}
        </div>
      </fieldset>
      {!state.revealed && (
        <div className="lesson-reveal-row">
          <button type="button" className="button button-primary" disabled={state.choice === null} onClick={reveal}>
            {t('lessonUi.question.reveal')}
          </button>
          <p className="hint">{t('lessonUi.question.skipNote')}</p>
        </div>
      )}
      {result}
    </div>
  );
}
