import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { GLOSSARY } from '../../lessons/glossary.ts';
import type { LessonStore } from '../../lessons/lesson-store.ts';
import { useLessons } from '../../lessons/react.tsx';
import { Dialog } from '../share/Dialog.tsx';
import { showOpenedLesson } from './lesson-scroll.ts';
import { renderLessonText, resolveLessonText } from './lesson-text.tsx';

/**
 * The terms the lessons teach, in a dialog: each with its meaning in a sentence or two and a button
 * to the lesson step that shows it, which opens that lesson there (as a link to the step would)
 * and closes the dialog. For the student who meets a word again, or starts with a later lesson.
 */
export function GlossaryButton({ store, label, className = '', onGo }: { store: LessonStore; label: string; className?: string; onGo?: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className={`button ${className}`.trim()} aria-haspopup="dialog" onClick={() => setOpen(true)}>
        {label}
      </button>
      {open && (
        <GlossaryDialog
          store={store}
          onClose={() => setOpen(false)}
          onGo={() => {
            setOpen(false);
            onGo?.();
          }}
        />
      )}
    </>
  );
}

function GlossaryDialog({ store, onClose, onGo }: { store: LessonStore; onClose: () => void; onGo: () => void }) {
  const { t, i18n } = useTranslation();
  const lessons = useLessons(store, (s) => s.lessons);
  return (
    <Dialog title={t('lessonUi.glossary.title')} onClose={onClose}>
      <p>{t('lessonUi.glossary.intro')}</p>
      <dl className="glossary-list">
        {GLOSSARY.map(({ id, lessonId, step }) => {
          const number = lessons.findIndex((lesson) => lesson.id === lessonId);
          const lesson = lessons[number];
          return (
            <div key={id}>
              <dt>{renderLessonText(t(`lessonUi.glossary.terms.${id}.term`))}</dt>
              <dd>
                <p>{renderLessonText(t(`lessonUi.glossary.terms.${id}.text`))}</p>
                {lesson !== undefined && (
                  <button
                    type="button"
                    className="glossary-go"
                    onClick={() => {
                      onGo();
                      store.getState().openLesson(lessonId, step);
                      // After the dialog has handed focus back to its opener: the step is read from the lesson's title.
                      showOpenedLesson();
                    }}
                  >
                    {t('lessonUi.glossary.taughtIn', { number: number + 1, step: step + 1, title: resolveLessonText(lesson.title, i18n) })}
                  </button>
                )}
              </dd>
            </div>
          );
        })}
      </dl>
    </Dialog>
  );
}
