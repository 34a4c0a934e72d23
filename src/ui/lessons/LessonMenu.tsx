import { useEffect, useId, useRef, useState, type ChangeEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n/index.ts';
import type { LessonStore } from '../../lessons/lesson-store.ts';
import { useLessonStoreApi, useLessons } from '../../lessons/react.tsx';
import { parseLessonFile, type LessonError } from '../../lessons/validate.ts';
import { SCENARIOS, type Scenario } from '../../lessons/scenarios.ts';
import { useLabStoreApi } from '../../store/react.tsx';
import { useAnnounce } from '../Narrator.tsx';
import { GlossaryButton } from './Glossary.tsx';
import { showOpenedLesson } from './lesson-scroll.ts';
import { renderLessonText, resolveLessonText } from './lesson-text.tsx';

/**
 * The lesson menu in the header: a disclosure that opens the list of lessons (with progress), the
 * sandbox's scenario library and Reset, and a file picker for an instructor's lesson, whose
 * problems are listed in the reader's language with their JSON paths. Escape or a click outside
 * closes it, and focus returns to the menu button.
 */
export function LessonMenu() {
  const store = useLessonStoreApi();
  return store === null ? null : <LessonMenuFor store={store} />;
}

/** The published schema, next to the built page (relative: the lab runs from any sub-path). */
const SCHEMA_URL = './lesson.schema.json';

function LessonMenuFor({ store }: { store: LessonStore }) {
  const { t, i18n } = useTranslation();
  const lab = useLabStoreApi();
  const announce = useAnnounce();
  const lessons = useLessons(store, (s) => s.lessons);
  const completed = useLessons(store, (s) => s.completed);
  const reached = useLessons(store, (s) => s.reached);
  const [open, setOpen] = useState(false);
  const [fileErrors, setFileErrors] = useState<readonly LessonError[] | null>(null);
  const [fileProblem, setFileProblem] = useState(false);
  const menuId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);

  const close = (returnFocus: boolean): void => {
    setOpen(false);
    if (returnFocus) buttonRef.current?.focus();
  };

  // A click anywhere else closes the menu, as a menu does.
  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent): void => {
      if (rootRef.current !== null && event.target instanceof Node && !rootRef.current.contains(event.target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    // An Escape the glossary's dialog has handled closes only the dialog.
    if (event.key === 'Escape' && open && !event.defaultPrevented) {
      event.stopPropagation();
      close(true);
    }
  };

  const openLesson = (id: string): void => {
    const done = completed.includes(id);
    store.getState().openLesson(id, done ? 0 : (reached[id] ?? 0));
    close(false);
    showOpenedLesson();
  };

  const loadScenario = (scenario: Scenario): void => {
    store.getState().closeLesson();
    lab.getState().loadScenario(scenario.lines);
    announce(t('lessonUi.scenario.loaded', { name: t(`lessonUi.scenario.${scenario.id}.name`) }));
    close(true);
  };

  const reset = (): void => {
    store.getState().closeLesson();
    lab.getState().reset();
    close(true);
  };

  const onFile = async (event: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file === undefined) return;
    let text: string;
    try {
      text = await file.text();
    } catch {
      setFileErrors(null);
      setFileProblem(true);
      return;
    }
    setFileProblem(false);
    const result = parseLessonFile(text, { isKnownKey: (key) => i18n.exists(key) });
    if (!result.ok) {
      setFileErrors(result.errors);
      return;
    }
    setFileErrors(null);
    store.getState().addLesson(result.lesson);
    store.getState().openLesson(result.lesson.id, 0);
    showOpenedLesson();
    announce(t('lessonUi.menu.fileLoaded', { title: resolveLessonText(result.lesson.title, i18n) }));
    close(false);
  };

  return (
    <div className="lesson-menu" ref={rootRef} onKeyDown={onKeyDown}>
      <button
        type="button"
        className="button lesson-menu-button"
        aria-expanded={open}
        aria-controls={menuId}
        ref={buttonRef}
        onClick={() => setOpen((was) => !was)}
      >
        {t('lessonUi.menu.button')}
        <span aria-hidden="true" className="lesson-menu-caret">
          ▾
        </span>
      </button>
      <div id={menuId} className="lesson-menu-popover" role="region" aria-labelledby={`${menuId}-title`} hidden={!open}>
        <div className="lesson-menu-top">
          <p id={`${menuId}-title`} className="lesson-menu-title">
            {t('lessonUi.menu.title')}
          </p>
          <button type="button" className="button button-quiet" onClick={() => close(true)}>
            {t('lessonUi.menu.close')}
          </button>
        </div>
        <section aria-labelledby={`${menuId}-lessons`}>
          <h2 id={`${menuId}-lessons`}>{t('lessonUi.menu.lessonsHeading')}</h2>
          <p className="hint">{t('lessonUi.menu.lessonsIntro')}</p>
          <ol className="lesson-list">
            {lessons.map((lesson, index) => {
              const done = completed.includes(lesson.id);
              const at = reached[lesson.id];
              return (
                <li key={lesson.id}>
                  <button type="button" className="lesson-item" onClick={() => openLesson(lesson.id)}>
                    <span className="lesson-item-number" aria-hidden="true">
                      {formatNumber(index + 1, i18n.resolvedLanguage ?? 'en')}
                    </span>
                    <span className="lesson-item-text">
                      <span className="lesson-item-title">{resolveLessonText(lesson.title, i18n)}</span>
                      {lesson.summary !== undefined && <span className="lesson-item-summary">{renderLessonText(resolveLessonText(lesson.summary, i18n))}</span>}
                      <span className="lesson-item-meta">
                        {t('lessonUi.menu.steps', { count: lesson.steps.length })}
                        {done ? (
                          <span className="lesson-item-done">
                            <span aria-hidden="true">✓ </span>
                            {t('lessonUi.menu.done')}
                          </span>
                        ) : (
                          at !== undefined && at > 0 && <span className="lesson-item-resume">{t('lessonUi.menu.resume', { step: at + 1 })}</span>
                        )}
                      </span>
                    </span>
                  </button>
                </li>
              );
            })}
          </ol>
          <GlossaryButton store={store} label={t('lessonUi.glossary.menuButton')} onGo={() => close(false)} />
        </section>
        <section aria-labelledby={`${menuId}-sandbox`}>
          <h2 id={`${menuId}-sandbox`}>{t('lessonUi.menu.scenariosHeading')}</h2>
          <p className="hint">{t('lessonUi.menu.scenariosIntro')}</p>
          <ul className="scenario-list">
            {SCENARIOS.map((scenario) => (
              <li key={scenario.id}>
                <button type="button" className="scenario-item" onClick={() => loadScenario(scenario)}>
                  <span className="lesson-item-title">{t(`lessonUi.scenario.${scenario.id}.name`)}</span>
                  <span className="lesson-item-summary">{renderLessonText(t(`lessonUi.scenario.${scenario.id}.description`))}</span>
                </button>
              </li>
            ))}
          </ul>
          <button type="button" className="button" onClick={reset}>
            {t('lessonUi.menu.reset')}
          </button>
        </section>
        <section aria-labelledby={`${menuId}-file`}>
          <h2 id={`${menuId}-file`}>{t('lessonUi.menu.fileHeading')}</h2>
          <p className="hint">
            {t('lessonUi.menu.fileIntro')}{' '}
            <a href={SCHEMA_URL} target="_blank" rel="noreferrer">
              {t('lessonUi.menu.schemaLink')}
            </a>
          </p>
          <label className="button lesson-file-button">
            {t('lessonUi.menu.fileButton')}
            <input type="file" accept=".json,application/json" className="visually-hidden" onChange={(event) => void onFile(event)} />
          </label>
          {fileProblem && (
            <p role="alert" className="lesson-file-errors">
              {t('lessonUi.menu.fileReadError')}
            </p>
          )}
          {fileErrors !== null && <FileErrors errors={fileErrors} />}
        </section>
      </div>
    </div>
  );
}

/** An instructor's file's problems, translated, each with where it is. */
function FileErrors({ errors }: { errors: readonly LessonError[] }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  // The list may start below the fold of the menu: bring it up.
  useEffect(() => {
    // A block body: Chromium's scrollIntoView may return a promise, which an effect must not return.
    ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, [errors]);
  return (
    <div role="alert" className="lesson-file-errors" ref={ref}>
      <p>{t('lessonUi.menu.fileErrors', { count: errors.length })}</p>
      <ul>
        {errors.map((error, index) => (
          <li key={index}>
            {renderLessonText(t('lessonUi.errors.at', { path: `\`${error.path}\`` }))} {errorMessage(error, t)}
          </li>
        ))}
      </ul>
    </div>
  );
}

type Translate = ReturnType<typeof useTranslation>['t'];

const TYPE_NAMES: ReadonlySet<string> = new Set(['object', 'array', 'string', 'text', 'number', 'boolean', 'null', 'undefined']);

function errorMessage(error: LessonError, t: Translate): string {
  // The keys are built from the error's kind: looked up untyped, and checked by the lessons' tests.
  const translate = t as unknown as (key: string, options?: Record<string, unknown>) => string;
  const params: Record<string, string | number> = { ...error.params };
  // Type names are words of the reader's language.
  for (const name of ['expected', 'found'] as const) {
    const value = params[name];
    if (typeof value === 'string' && TYPE_NAMES.has(value)) params[name] = translate(`lessonUi.types.${value}`);
  }
  return translate(`lessonUi.errors.${error.key}`, params);
}
