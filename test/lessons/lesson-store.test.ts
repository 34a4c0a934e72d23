/**
 * The lesson runner: a step is a place on the lab's tape. Back seeks there, Next continues the
 * plan after a branch, whatever the student did in between, and the state is exactly what a
 * fresh run to that step gives. Events go out for pages that embed the lab; progress survives a
 * reload through storage, and a broken or throwing storage is survived.
 */
import { createLabStore, type LabStore } from '../../src/store/index.ts';
import { createLessonStore, planLines, PROGRESS_STORAGE_KEY, readProgress, type LessonEvent, type ProgressStorage } from '../../src/lessons/lesson-store.ts';
import { BUILTIN_LESSONS } from '../../src/lessons/builtin.ts';
import type { Lesson } from '../../src/lessons/format.ts';

const EPOCH_MS = Date.UTC(2026, 0, 1, 9, 0, 0);
const RDB = BUILTIN_LESSONS.find((lesson) => lesson.id === 'rdb-snapshots') as Lesson;

function memoryStorage(): ProgressStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) };
}

/** What a student sees of the lab: enough to tell two states apart. */
function snapshotOf(lab: LabStore) {
  const state = lab.getState();
  return {
    keys: state.keyspace.dbs.map((db) => db.keys.map((key) => `${key.name}=${key.preview}`)),
    files: state.persistence.disk.files.map((file) => `${file.name}:${file.sizeBytes}/${file.durableBytes}`),
    child: state.persistence.processes.child,
    status: state.persistence.status,
    aof: state.aof,
    nowMs: state.nowMs,
    log: state.serverLog.map((line) => line.text),
  };
}

/** The lab after running the plan to a step on a fresh node, without the runner. */
function freshRunTo(lesson: Lesson, step: number): LabStore {
  const lab = createLabStore({ epochMs: EPOCH_MS });
  for (const line of planLines(lesson, step)) lab.getState().runLine(line);
  return lab;
}

function setUp(storage: ProgressStorage | null = null) {
  const lab = createLabStore({ epochMs: EPOCH_MS });
  const lessons = createLessonStore({ lab, storage });
  const events: LessonEvent[] = [];
  lessons.subscribeEvents((event) => events.push(event));
  return { lab, lessons, events };
}

describe('the lesson runner', () => {
  test('opening a lesson at a step builds exactly the lab a fresh run of its plan gives, paused', () => {
    const { lab, lessons } = setUp();
    expect(lessons.getState().openLesson('rdb-snapshots', 3)).toBe(true);
    expect(lessons.getState()).toMatchObject({ lessonId: 'rdb-snapshots', step: 3, stepCount: RDB.steps.length });
    expect(snapshotOf(lab)).toEqual(snapshotOf(freshRunTo(RDB, 3)));
    expect(lab.getState().paused).toBe(true);
    expect(lab.getState().getTape().map((entry) => entry.line)).toEqual(planLines(RDB, 3));
  });

  test('an unknown lesson is refused; a step out of range is clamped', () => {
    const { lessons } = setUp();
    expect(lessons.getState().openLesson('no-such-lesson', 0)).toBe(false);
    expect(lessons.getState().lessonId).toBeNull();
    lessons.getState().openLesson('why-persistence', 99);
    expect(lessons.getState().step).toBe(5);
  });

  test('Back seeks to the previous step exactly, keeping the tape; Next branches and goes on', () => {
    const { lab, lessons } = setUp();
    lessons.getState().openLesson('rdb-snapshots', 0);
    for (let step = 1; step <= 4; step++) lessons.getState().next();
    const lengthAtFour = lab.getState().timeline.length;
    lessons.getState().back();
    expect(lessons.getState().step).toBe(3);
    expect(snapshotOf(lab)).toEqual(snapshotOf(freshRunTo(RDB, 3)));
    // A seek, not a rebuild: the future is still on the tape, to scrub to.
    expect(lab.getState().timeline.length).toBe(lengthAtFour);
    expect(lab.getState().timeline.position).toBe(planLines(RDB, 3).length);
    lessons.getState().back();
    lessons.getState().next();
    lessons.getState().next();
    expect(lessons.getState().step).toBe(4);
    expect(snapshotOf(lab)).toEqual(snapshotOf(freshRunTo(RDB, 4)));
    expect(lab.getState().timeline.position).toBe(lab.getState().timeline.length);
  });

  test('what the student typed during a step is dropped when they go on: the next step is the plan’s', () => {
    const { lab, lessons } = setUp();
    lessons.getState().openLesson('rdb-snapshots', 1);
    lab.getState().runLine('FLUSHALL');
    lab.getState().runLine('SIM ADVANCE 60000');
    lab.getState().setPaused(false);
    lessons.getState().next();
    expect(snapshotOf(lab)).toEqual(snapshotOf(freshRunTo(RDB, 2)));
    expect(lab.getState().paused).toBe(true);
  });

  test('a tape rewritten from its start (the student scrubbed to 0 and typed) is rebuilt from the plan', () => {
    const { lab, lessons } = setUp();
    lessons.getState().openLesson('rdb-snapshots', 2);
    lab.getState().seek(0);
    lab.getState().runLine('SET other 1');
    lessons.getState().next();
    expect(snapshotOf(lab)).toEqual(snapshotOf(freshRunTo(RDB, 3)));
  });

  test('a question: a choice, the reveal runs the lines and the check, and the check’s output decides', () => {
    const { lab, lessons, events } = setUp();
    lessons.getState().openLesson('rdb-snapshots', 4);
    expect(lessons.getState().question).toEqual({ choice: null, revealed: false, output: null, rightChoice: null });
    lessons.getState().reveal();
    expect(lessons.getState().question?.revealed, 'no reveal before a choice').toBe(false);
    lessons.getState().choose(1);
    lessons.getState().reveal();
    expect(lessons.getState().question).toEqual({ choice: 1, revealed: true, output: '"hello"', rightChoice: 0 });
    expect(lab.getState().transcript.at(-1)?.line).toBe('GET greeting');
    lessons.getState().choose(0);
    expect(lessons.getState().question?.choice, 'no change after the reveal').toBe(1);
    expect(lessons.getState().answers['rdb-snapshots']?.[4]).toEqual({ choice: 1, correct: false });
    expect(events.at(-1)).toEqual({ type: 'question.answered', lessonId: 'rdb-snapshots', step: 4, choice: 1, correct: false });
  });

  test('going on without answering runs the reveal anyway, so the next step is the same', () => {
    const { lab, lessons } = setUp();
    lessons.getState().openLesson('why-persistence', 2);
    lessons.getState().next();
    expect(snapshotOf(lab)).toEqual(snapshotOf(freshRunTo(BUILTIN_LESSONS[0] as Lesson, 3)));
    expect(lab.getState().keyspace.totalKeys).toBe(0);
  });

  test('events: lesson.step on every step, lesson.completed after the last', () => {
    const { lessons, events } = setUp();
    lessons.getState().openLesson('why-persistence', 4);
    lessons.getState().next();
    lessons.getState().back();
    lessons.getState().next();
    lessons.getState().next();
    expect(events).toEqual([
      { type: 'lesson.step', lessonId: 'why-persistence', step: 4, stepCount: 6 },
      { type: 'lesson.step', lessonId: 'why-persistence', step: 5, stepCount: 6 },
      { type: 'lesson.step', lessonId: 'why-persistence', step: 4, stepCount: 6 },
      { type: 'lesson.step', lessonId: 'why-persistence', step: 5, stepCount: 6 },
      { type: 'lesson.completed', lessonId: 'why-persistence' },
    ]);
    expect(lessons.getState()).toMatchObject({ finished: true, completed: ['why-persistence'] });
    const unsubscribe = lessons.subscribeEvents(() => {
      throw new Error('not called after unsubscribing');
    });
    unsubscribe();
    lessons.getState().openLesson('rdb-snapshots', 0);
  });

  test('closing gives the clock back as it was and leaves the lab as the lesson left it', () => {
    const { lab, lessons } = setUp();
    expect(lab.getState().paused).toBe(false);
    lessons.getState().openLesson('why-persistence', 1);
    const keys = lab.getState().keyspace.totalKeys;
    lessons.getState().closeLesson();
    expect(lessons.getState()).toMatchObject({ lessonId: null, step: 0, stepCount: 0 });
    expect(lab.getState().paused).toBe(false);
    expect(lab.getState().keyspace.totalKeys).toBe(keys);
  });

  test('progress is kept in storage and read back by the next page', () => {
    const storage = memoryStorage();
    const first = setUp(storage);
    first.lessons.getState().openLesson('why-persistence', 4);
    first.lessons.getState().choose(1);
    first.lessons.getState().reveal();
    first.lessons.getState().next();
    first.lessons.getState().next();
    first.lessons.getState().openLesson('rdb-snapshots', 2);
    const second = setUp(storage);
    expect(second.lessons.getState()).toMatchObject({
      completed: ['why-persistence'],
      reached: { 'why-persistence': 5, 'rdb-snapshots': 2 },
      answers: { 'why-persistence': { 4: { choice: 1, correct: true } } },
    });
  });

  test('storage that throws, or holds junk, is survived', () => {
    const throwing: ProgressStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    const { lessons } = setUp(throwing);
    lessons.getState().openLesson('why-persistence', 5);
    lessons.getState().next();
    expect(lessons.getState().completed).toEqual(['why-persistence']);
    const junk = memoryStorage();
    junk.items.set(PROGRESS_STORAGE_KEY, '{"completed":[1,"aof-log"],"reached":{"x":-1,"y":2},"answers":{"z":{"3":{"choice":"a"}}}}');
    expect(readProgress(junk)).toEqual({ completed: ['aof-log'], reached: { y: 2 }, answers: { z: {} } });
    junk.items.set(PROGRESS_STORAGE_KEY, 'not json');
    expect(readProgress(junk)).toEqual({ completed: [], reached: {}, answers: {} });
  });

  test('an instructor’s lesson is added, opened, and replaces an earlier one with its id', () => {
    const { lab, lessons } = setUp();
    const mine: Lesson = { id: 'mine', title: { en: 'Mine' }, steps: [{ narration: [{ en: 'One.' }], lines: ['SET x 1'] }, { narration: [{ en: 'Two.' }], lines: ['SET y 2'] }] };
    lessons.getState().addLesson(mine);
    lessons.getState().addLesson({ ...mine, title: { en: 'Mine, again' } });
    expect(lessons.getState().lessons.filter((lesson) => lesson.id === 'mine')).toHaveLength(1);
    expect(lessons.getState().openLesson('mine', 1)).toBe(true);
    expect(lab.getState().keyspace.totalKeys).toBe(2);
    expect(lessons.getState().current()?.title).toEqual({ en: 'Mine, again' });
  });
});
