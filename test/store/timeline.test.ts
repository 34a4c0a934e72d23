import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { createLabStore, type LabState, type LabStore } from '../../src/store/index.ts';
import { positionOfEvent, scenarioLines, sliderFromSpeed, speedFromSlider, stepTarget, type TapeEntry } from '../../src/store/timeline.ts';

/**
 * The timeline: every action is on the tape, and a seek anywhere shows exactly what the forward
 * run showed at that position (the engine is deterministic; a seek back replays from a checkpoint or a fresh node).
 */

const EPOCH_MS = Date.UTC(2026, 0, 1, 9, 0, 0);

function newLab(): LabStore {
  return createLabStore({ epochMs: EPOCH_MS });
}

/** What a student sees, without the counters that only identify renders (entry ids, generation). */
function screen(state: LabState) {
  return {
    nowMs: state.nowMs,
    prompt: state.prompt,
    keyspace: state.keyspace,
    persistence: state.persistence,
    aof: state.aof,
    lifecycle: state.lifecycle,
    survival: state.survival,
    config: state.config,
    inspector: state.inspector === null ? null : { ...state.inspector },
    serverLog: state.serverLog,
    events: state.events,
    transcript: state.transcript.map(({ prompt, line, output, atMs }) => ({ prompt, line, output, atMs })),
    timeline: { length: state.timeline.length, endMs: state.timeline.endMs, marks: state.timeline.marks },
  };
}

/** Runs the live clock for `ms` of real time in 100 ms ticks, as the page's timer does. */
function runClock(lab: LabStore, ms: number, wall = { now: 0 }): void {
  lab.getState().startClock(wall.now);
  for (let elapsed = 0; elapsed < ms; elapsed += 100) {
    wall.now += 100;
    lab.getState().tick(wall.now);
  }
  lab.getState().stopClock();
}

describe('the tape', () => {
  test('records typed lines, live ticks and skips, each with its times', () => {
    const lab = newLab();
    lab.getState().runLine('SET a 1');
    runClock(lab, 300);
    lab.getState().advance(10_000);
    lab.getState().runLine('clear');
    lab.getState().runLine('   ');
    const tape = lab.getState().getTape();
    expect(tape.map((entry) => [entry.kind, entry.line, entry.atMs - EPOCH_MS, entry.endMs - EPOCH_MS])).toEqual([
      ['line', 'SET a 1', 0, 0],
      ['tick', 'SIM ADVANCE 100', 0, 100],
      ['tick', 'SIM ADVANCE 100', 100, 200],
      ['tick', 'SIM ADVANCE 100', 200, 300],
      ['skip', 'SIM ADVANCE 10000', 300, 10_300],
    ]);
    expect(lab.getState().timeline).toMatchObject({ length: 5, position: 5, startMs: EPOCH_MS, endMs: EPOCH_MS + 10_300, recording: true });
  });

  test('marks forks, saves, crashes and restarts at their positions', () => {
    const lab = newLab();
    lab.getState().runLine('SET a 1');
    lab.getState().runLine('BGSAVE');
    lab.getState().advance(1000);
    lab.getState().runLine('SIM CRASH PROCESS');
    lab.getState().runLine('SIM RESTART');
    expect(lab.getState().timeline.marks.map(({ position, kind }) => [position, kind])).toEqual([
      [2, 'fork'],
      [3, 'saved'],
      [4, 'crash'],
      [5, 'restart'],
    ]);
  });
});

describe('seeking', () => {
  test('back shows the earlier state, forward returns to it, and the clock pauses', () => {
    const lab = newLab();
    lab.getState().runLine('SET a 1');
    lab.getState().runLine('SET b 2');
    lab.getState().runLine('DEL a');
    const now = screen(lab.getState());
    lab.getState().seek(1);
    expect(lab.getState().keyspace.dbs[0]?.keys.map((key) => key.name)).toEqual(['a']);
    expect(lab.getState().transcript.map((entry) => entry.line)).toEqual(['SET a 1']);
    expect(lab.getState().timeline.position).toBe(1);
    expect(lab.getState().paused).toBe(true);
    lab.getState().seek(3);
    expect(screen(lab.getState())).toEqual(now);
  });

  test('a line run in the past branches: the later entries and their marks are dropped', () => {
    const lab = newLab();
    lab.getState().runLine('SET a 1');
    lab.getState().runLine('BGSAVE');
    lab.getState().seek(1);
    lab.getState().runLine('SET c 3');
    expect(lab.getState().getTape().map((entry) => entry.line)).toEqual(['SET a 1', 'SET c 3']);
    expect(lab.getState().timeline).toMatchObject({ length: 2, position: 2, marks: [] });
  });

  test('branch() drops the future without acting', () => {
    const lab = newLab();
    lab.getState().runLine('SET a 1');
    lab.getState().runLine('SET b 2');
    lab.getState().seek(1);
    lab.getState().branch();
    expect(lab.getState().timeline).toMatchObject({ length: 1, position: 1 });
  });

  test('steps go from typed line to typed line, or one second of ticks at most', () => {
    const lab = newLab();
    lab.getState().runLine('SET a 1');
    runClock(lab, 2500);
    lab.getState().runLine('SET b 2');
    // 1 line, 25 ticks, 1 line.
    expect(lab.getState().timeline.length).toBe(27);
    lab.getState().stepBack();
    expect(lab.getState().timeline.position).toBe(26);
    lab.getState().stepBack();
    expect(lab.getState().timeline.position).toBe(16);
    lab.getState().stepForward();
    expect(lab.getState().timeline.position).toBe(26);
  });

  test('seeking to an event lands just after the entry that produced it', () => {
    const lab = newLab();
    lab.getState().runLine('SET a 1');
    lab.getState().runLine('SET b 2');
    const event = lab.getState().events.find((logged) => logged.event.type === 'command.executed' && logged.event.argv[1] === 'a');
    lab.getState().seekToEvent(event?.seq ?? -1);
    expect(lab.getState().timeline.position).toBe(1);
  });

  test('each server log line links to its position; the startup lines to none', () => {
    const lab = newLab();
    expect(lab.getState().serverLog.every((line) => line.position === null)).toBe(true);
    lab.getState().runLine('SET a 1');
    lab.getState().runLine('SAVE');
    expect(lab.getState().serverLog.at(-1)).toEqual({ text: expect.stringContaining('DB saved on disk'), position: 2 });
  });

  test('playing the past replays the tape at its own pace, then the clock goes on live', () => {
    const lab = newLab();
    lab.getState().runLine('SET a 1');
    lab.getState().runLine('SET b 2');
    lab.getState().seek(0);
    lab.getState().setPaused(false);
    const wall = { now: 0 };
    runClock(lab, 600, wall);
    expect(lab.getState().timeline.position).toBe(1);
    runClock(lab, 600, wall);
    expect(lab.getState().timeline).toMatchObject({ position: 2, length: 2 });
    runClock(lab, 200, wall);
    expect(lab.getState().timeline).toMatchObject({ position: 4, length: 4 });
  });

  test('speed scales simulated time: 10× turns 1 s of real time into 10 s', () => {
    const lab = newLab();
    lab.getState().setSpeed(10);
    runClock(lab, 1000);
    expect(lab.getState().nowMs - EPOCH_MS).toBe(10_000);
    lab.getState().setSpeed(1e9);
    expect(lab.getState().speed).toBe(100);
    lab.getState().setSpeed(Number.NaN);
    expect(lab.getState().speed).toBe(1);
  });
});

describe('loading a tape', () => {
  test('replays a scenario and shows the position asked for', () => {
    const lab = newLab();
    lab.getState().loadScenario(['SET a 1', 'RPUSH l x y', 'BGSAVE', 'SIM ADVANCE 1000'], 2);
    expect(lab.getState().timeline).toMatchObject({ length: 4, position: 2 });
    expect(lab.getState().timeline.marks.map((mark) => mark.kind)).toEqual(['fork', 'saved']);
    expect(lab.getState().paused).toBe(true);
  });

  test('a hostile tape cannot hang or break the node: time entries are bounded, bad lines get errors', () => {
    const lab = newLab();
    lab.getState().loadTape([
      { kind: 'tick', line: 'SIM ADVANCE 999999999' },
      { kind: 'skip', line: 'FLUSHALL' },
      { kind: 'line', line: 'NOSUCHCOMMAND "' },
      { kind: 'line', line: 'SET k v' },
    ]);
    expect(lab.getState().nowMs - EPOCH_MS).toBe(100_000);
    expect(lab.getState().keyspace.totalKeys).toBe(1);
  });
});

describe('timeline helpers', () => {
  test('the speed slider is logarithmic from 0.1× to 100×, 1× a third of the way', () => {
    expect(speedFromSlider(0)).toBeCloseTo(0.1);
    expect(speedFromSlider(1)).toBeCloseTo(100);
    expect(speedFromSlider(1 / 3)).toBeCloseTo(1);
    expect(sliderFromSpeed(10)).toBeCloseTo(2 / 3);
  });

  test('scenario text: one line per action, comments and blank lines skipped', () => {
    expect(scenarioLines('# a cache\nSET a 1\n\n  GET a  \r\n')).toEqual(['SET a 1', 'GET a']);
  });

  test('positionOfEvent and stepTarget at the edges', () => {
    const tape: TapeEntry[] = [
      { kind: 'line', line: 'SET a 1', atMs: 0, endMs: 0, seqEnd: 2 },
      { kind: 'tick', line: 'SIM ADVANCE 100', atMs: 0, endMs: 100, seqEnd: 2 },
    ];
    expect(positionOfEvent(tape, 1)).toBe(1);
    expect(positionOfEvent(tape, 3)).toBe(null);
    expect(stepTarget(tape, 0, -1)).toBe(0);
    expect(stepTarget(tape, 2, 1)).toBe(2);
    expect(stepTarget([], 0, 1)).toBe(0);
  });
});

// ---- the property: any seek shows exactly what the forward run showed ----------------------------------

const action = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('SET a 1', 'INCR n', 'RPUSH l x', 'SADD s m', 'DEL a', 'EXPIRE n 2', 'HSET h f v', 'SELECT 1', 'SET b 2') },
  { weight: 2, arbitrary: fc.constantFrom('BGSAVE', 'BGREWRITEAOF', 'SAVE', 'CONFIG SET appendonly yes', 'CONFIG SET appendfsync always', 'DEBUG RELOAD') },
  { weight: 1, arbitrary: fc.constantFrom('SIM CRASH PROCESS', 'SIM CRASH POWER', 'SIM RESTART', 'SIM RESTART --appendonly yes', 'MULTI', 'EXEC') },
  { weight: 3, arbitrary: fc.constantFrom('tick', 'tick', 'skip') },
);

describe('step back and scrub (property)', () => {
  // From a fresh node every time; and from checkpoints after every entry, thinned to three, so
  // seeks restore checkpoints of every age (./checkpoints.test.ts compares the two ways).
  test.each([
    ['replayed from a fresh node', { everyEntries: Infinity }],
    ['replayed from checkpoints', { everyEntries: 1, maxCount: 3 }],
  ])('every position reached by seeking equals the forward run at that position (%s)', (_, checkpoints) => {
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 30 }), fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), (actions, seeks) => {
        const lab = createLabStore({ epochMs: EPOCH_MS, checkpoints });
        const wall = { now: 0 };
        const seen: ReturnType<typeof screen>[] = [screen(lab.getState())];
        for (const act of actions) {
          if (act === 'tick') runClock(lab, 300, wall);
          else if (act === 'skip') lab.getState().advance(1500);
          else lab.getState().runLine(act);
          // A clock run adds several entries: the screen is known after the last of them.
          seen[lab.getState().timeline.length] = screen(lab.getState());
        }
        const known = seen.flatMap((view, at) => (view === undefined ? [] : [at]));
        for (const pick of [...seeks, 0]) {
          const at = known[pick % known.length] as number;
          lab.getState().seek(at);
          const shown = screen(lab.getState());
          // The forward run's event list had older events too; the replay's is the same list's tail.
          expect({ ...shown, events: null, timeline: shown.timeline }).toEqual({ ...seen[at], events: null, timeline: shown.timeline });
          expect(shown.events).toEqual(seen[at]?.events.slice(-shown.events.length));
        }
        lab.getState().seek(lab.getState().timeline.length);
        expect(screen(lab.getState())).toEqual(seen[lab.getState().timeline.length]);
      }),
      { seed: 20261124, numRuns: 200 },
    );
  });
});
