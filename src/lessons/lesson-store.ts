import { createStore, type StoreApi } from 'zustand/vanilla';
import type { LabStore } from '../store/lab-store.ts';
import { choiceMatches, entryLines, revealLines, type Lesson } from './format.ts';
import { BUILTIN_LESSONS } from './builtin.ts';

/**
 * The lesson runner: a small vanilla zustand store beside the lab store. It knows which lesson is
 * open, at which step, the student's answers and the lessons completed, and it drives the lab
 * only through the lab store's actions.
 *
 * A step is a place on the lab's tape. The lesson's plan is the list of lines that, run on a fresh
 * node, lead to each step: for every earlier step its lines, its question's reveal and check, then
 * the step's own lines. Moving to a step keeps the longest prefix the tape shares with the plan,
 * seeks there (exactly, by the timeline's replay) and runs the rest: Back is a seek, Next a seek
 * (rarely) plus the step's lines, after a branch. Whatever the student typed or scrubbed on the
 * way, the step's narration is true of what the lab shows.
 *
 * While a lesson is open the clock is paused, so time passes only when a lesson line says so
 * (`SIM ADVANCE`); the student may press play, and the next step starts from the plan again.
 *
 * For pages that embed the lab: `openLesson(id, step)`, `closeLesson()`, the state's `lessonId`,
 * `step`, `stepCount`, and `subscribeEvents(listener)` for `lesson.step`, `lesson.completed` and
 * `question.answered`.
 */

export type LessonEvent =
  | { readonly type: 'lesson.step'; readonly lessonId: string; readonly step: number; readonly stepCount: number }
  | { readonly type: 'lesson.completed'; readonly lessonId: string }
  | { readonly type: 'question.answered'; readonly lessonId: string; readonly step: number; readonly choice: number; readonly correct: boolean };

export interface AnswerRecord {
  readonly choice: number;
  readonly correct: boolean;
}

/** The open step's question, as the student is answering it now. */
export interface QuestionState {
  /** The choice picked (before or after the reveal), or null. */
  readonly choice: number | null;
  readonly revealed: boolean;
  /** The check line's console output, after the reveal. */
  readonly output: string | null;
  /** The choice the check's output matched, or null when it matched none (a lesson that is wrong). */
  readonly rightChoice: number | null;
}

export interface LessonState {
  /** Built-in lessons, then any loaded from a file. */
  readonly lessons: readonly Lesson[];
  readonly lessonId: string | null;
  readonly step: number;
  readonly stepCount: number;
  /** True once the student went past the last step: the lesson shows its end. */
  readonly finished: boolean;
  readonly question: QuestionState | null;
  /** The last answer to each question, by lesson id and step. */
  readonly answers: Readonly<Record<string, Readonly<Record<number, AnswerRecord>>>>;
  /** The furthest step reached in each lesson (where the menu resumes it). */
  readonly reached: Readonly<Record<string, number>>;
  readonly completed: readonly string[];

  /** Opens a lesson at a step (clamped); false for an unknown id. */
  openLesson(id: string, step?: number): boolean;
  closeLesson(): void;
  next(): void;
  back(): void;
  /** Picks a prediction (until the reveal). */
  choose(choice: number): void;
  /** Runs the reveal and the check; the check's real output decides. */
  reveal(): void;
  /** Adds (or replaces, by id) a lesson loaded from a file. */
  addLesson(lesson: Lesson): void;
  /** The open lesson, or null. */
  current(): Lesson | null;
}

export type LessonStore = StoreApi<LessonState> & {
  subscribeEvents(listener: (event: LessonEvent) => void): () => void;
};

/** The part of Web Storage the runner uses. */
export type ProgressStorage = Pick<Storage, 'getItem' | 'setItem'>;

export interface LessonStoreOptions {
  readonly lab: LabStore;
  readonly lessons?: readonly Lesson[];
  /** Where progress is kept; null keeps it in memory only. */
  readonly storage?: ProgressStorage | null;
}

export const PROGRESS_STORAGE_KEY = 'redis-lab.lessons.v1';

interface SavedProgress {
  readonly completed: readonly string[];
  readonly reached: Readonly<Record<string, number>>;
  readonly answers: Readonly<Record<string, Readonly<Record<number, AnswerRecord>>>>;
}

const EMPTY_PROGRESS: SavedProgress = { completed: [], reached: {}, answers: {} };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Progress from storage, keeping only what has the right shape (storage is the user's, and may hold anything). */
export function readProgress(storage: ProgressStorage | null): SavedProgress {
  let parsed: unknown;
  try {
    const text = storage?.getItem(PROGRESS_STORAGE_KEY) ?? null;
    if (text === null) return EMPTY_PROGRESS;
    parsed = JSON.parse(text);
  } catch {
    return EMPTY_PROGRESS;
  }
  if (!isRecord(parsed)) return EMPTY_PROGRESS;
  const completed = Array.isArray(parsed.completed) ? parsed.completed.filter((id): id is string => typeof id === 'string') : [];
  const reached: Record<string, number> = {};
  if (isRecord(parsed.reached)) {
    for (const [id, step] of Object.entries(parsed.reached)) if (Number.isInteger(step) && (step as number) >= 0) reached[id] = step as number;
  }
  const answers: Record<string, Record<number, AnswerRecord>> = {};
  if (isRecord(parsed.answers)) {
    for (const [id, byStep] of Object.entries(parsed.answers)) {
      if (!isRecord(byStep)) continue;
      const kept: Record<number, AnswerRecord> = {};
      for (const [step, answer] of Object.entries(byStep)) {
        if (isRecord(answer) && Number.isInteger(answer.choice) && typeof answer.correct === 'boolean') {
          kept[Number(step)] = { choice: answer.choice as number, correct: answer.correct };
        }
      }
      answers[id] = kept;
    }
  }
  return { completed, reached, answers };
}

function writeProgress(storage: ProgressStorage | null, progress: SavedProgress): void {
  try {
    storage?.setItem(PROGRESS_STORAGE_KEY, JSON.stringify(progress));
  } catch {
    // Full, or forbidden (a private window, an iframe without storage): progress stays in memory.
  }
}

/** The lines that lead from a fresh node to step `step` of a lesson, entered. */
export function planLines(lesson: Lesson, step: number): string[] {
  const lines: string[] = [];
  lesson.steps.forEach((each, index) => {
    if (index < step) lines.push(...entryLines(each), ...revealLines(each));
    else if (index === step) lines.push(...entryLines(each));
  });
  return lines;
}

export function createLessonStore({ lab, lessons = BUILTIN_LESSONS, storage = null }: LessonStoreOptions): LessonStore {
  const listeners = new Set<(event: LessonEvent) => void>();
  const emit = (event: LessonEvent): void => {
    for (const listener of [...listeners]) listener(event);
  };
  const saved = readProgress(storage);
  /** The clock's pause switch before the lesson took it, given back on close. */
  let pausedBefore: boolean | null = null;

  /**
   * Brings the lab to the state after `target` lines from a fresh node: keeps the tape's longest
   * prefix that matches, seeks there, runs the rest. With `dropFuture`, the tape ends there.
   */
  const reach = (target: readonly string[], dropFuture: boolean): void => {
    const labState = lab.getState();
    const tape = labState.getTape();
    const limit = Math.min(tape.length, target.length);
    let common = 0;
    while (common < limit && tape[common]?.kind === 'line' && tape[common]?.line === target[common]) common++;
    if (common === 0 && tape.length > 0) labState.reset();
    else if (labState.timeline.position !== common) labState.seek(common);
    for (const line of target.slice(common)) lab.getState().runLine(line);
    if (dropFuture) lab.getState().branch();
    lab.getState().setPaused(true);
  };

  const store = createStore<LessonState>()((set, get) => {
    const persist = (): void => {
      const { completed, reached, answers } = get();
      writeProgress(storage, { completed, reached, answers });
    };

    const freshQuestion = (lesson: Lesson, step: number): QuestionState | null =>
      lesson.steps[step]?.question === undefined ? null : { choice: null, revealed: false, output: null, rightChoice: null };

    /** Shows step `step` of the open lesson, with the lab brought there. */
    const enter = (lesson: Lesson, step: number, dropFuture: boolean): void => {
      if (pausedBefore === null) pausedBefore = lab.getState().paused;
      reach(planLines(lesson, step), dropFuture);
      const reached = Math.max(get().reached[lesson.id] ?? 0, step);
      set({
        lessonId: lesson.id,
        step,
        stepCount: lesson.steps.length,
        finished: false,
        question: freshQuestion(lesson, step),
        reached: { ...get().reached, [lesson.id]: reached },
      });
      persist();
      emit({ type: 'lesson.step', lessonId: lesson.id, step, stepCount: lesson.steps.length });
    };

    return {
      lessons,
      lessonId: null,
      step: 0,
      stepCount: 0,
      finished: false,
      question: null,
      answers: saved.answers,
      reached: saved.reached,
      completed: saved.completed,

      current() {
        const { lessonId, lessons: all } = get();
        return all.find((lesson) => lesson.id === lessonId) ?? null;
      },

      openLesson(id, step = 0) {
        const lesson = get().lessons.find((each) => each.id === id);
        if (lesson === undefined) return false;
        const at = Math.max(0, Math.min(lesson.steps.length - 1, Number.isInteger(step) ? step : 0));
        // Another lesson (or none) was open: the lesson starts from a fresh node.
        if (get().lessonId !== id) lab.getState().reset();
        enter(lesson, at, true);
        return true;
      },

      closeLesson() {
        if (get().lessonId === null) return;
        set({ lessonId: null, step: 0, stepCount: 0, finished: false, question: null });
        if (pausedBefore !== null) lab.getState().setPaused(pausedBefore);
        pausedBefore = null;
      },

      next() {
        const lesson = get().current();
        if (lesson === null || get().finished) return;
        const { step } = get();
        if (step + 1 < lesson.steps.length) {
          enter(lesson, step + 1, true);
          return;
        }
        // Past the last step: the lesson is done; the lab stays where it is.
        const completed = get().completed.includes(lesson.id) ? get().completed : [...get().completed, lesson.id];
        set({ finished: true, completed });
        persist();
        emit({ type: 'lesson.completed', lessonId: lesson.id });
      },

      back() {
        const lesson = get().current();
        if (lesson === null) return;
        if (get().finished) {
          set({ finished: false });
          return;
        }
        const { step } = get();
        if (step > 0) enter(lesson, step - 1, false);
      },

      choose(choice) {
        const { question } = get();
        const lesson = get().current();
        const choices = lesson?.steps[get().step]?.question?.choices.length ?? 0;
        if (question === null || question.revealed || !(choice >= 0 && choice < choices)) return;
        set({ question: { ...question, choice } });
      },

      reveal() {
        const lesson = get().current();
        const { question, step } = get();
        const spec = lesson?.steps[step]?.question;
        if (lesson === null || spec === undefined || question === null || question.revealed || question.choice === null) return;
        for (const line of spec.reveal ?? []) lab.getState().runLine(line);
        const checked = lab.getState().runLine(spec.check);
        lab.getState().setPaused(true);
        const output = 'text' in checked.output ? checked.output.text : '';
        const right = spec.choices.findIndex((choice) => choiceMatches(choice, output));
        const rightChoice = right === -1 ? null : right;
        const correct = rightChoice === question.choice;
        set({
          question: { ...question, revealed: true, output, rightChoice },
          answers: { ...get().answers, [lesson.id]: { ...get().answers[lesson.id], [step]: { choice: question.choice, correct } } },
        });
        persist();
        emit({ type: 'question.answered', lessonId: lesson.id, step, choice: question.choice, correct });
      },

      addLesson(lesson) {
        const others = get().lessons.filter((each) => each.id !== lesson.id);
        set({ lessons: [...others, lesson] });
      },
    };
  });

  return Object.assign(store, {
    subscribeEvents(listener: (event: LessonEvent) => void): () => void {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  });
}
