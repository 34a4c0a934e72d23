import type { LessonStore } from '../lessons/lesson-store.ts';
import type { LessonPort } from './bridge.ts';

/**
 * The lessons as the postMessage bridge and the permalinks see them: open a lesson at a step, say
 * which step is open, and pass on the runner's `lesson.step`, `lesson.completed` and
 * `question.answered` (an LMS records them).
 */
export function lessonPort(lessons: LessonStore): LessonPort {
  return {
    open: (lessonId, step) => lessons.getState().openLesson(lessonId, step),
    current: () => {
      const { lessonId, step, stepCount } = lessons.getState();
      return lessonId === null ? null : { lessonId, step, stepCount };
    },
    subscribe: (post) => lessons.subscribeEvents((event) => post(event)),
  };
}
