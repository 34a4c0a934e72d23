import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import LZString from 'lz-string';
import {
  decodeTapeEntry,
  EMPTY_SNAPSHOT,
  encodeTapeEntry,
  encodeUrlState,
  MAX_ENCODED_CHARS,
  readDocument,
  readStateFile,
  readUrlState,
  stateFileText,
  type LabSnapshot,
  type StateDocumentV0,
  type TapeLine,
} from '../../src/embed/url-state.ts';
import { createLabStore } from '../../src/store/index.ts';
import { realisticSession } from './scenario-fixture.ts';
import { expansionBomb } from './lz-bomb.ts';
import { SCENARIOS } from '../../src/lessons/scenarios.ts';
import { BUILTIN_LESSONS } from '../../src/lessons/builtin.ts';
import { planLines } from '../../src/lessons/lesson-store.ts';

const FULL: LabSnapshot = {
  lang: 'ar',
  lesson: { id: 'rdb-fork', step: 3 },
  tape: [
    { kind: 'line', line: 'SET greeting "Hello, Redis"' },
    { kind: 'tick', line: 'SIM ADVANCE 100' },
    { kind: 'tick', line: 'SIM ADVANCE 100' },
    { kind: 'tick', line: 'SIM ADVANCE 101' },
    { kind: 'skip', line: 'SIM ADVANCE 10000' },
    { kind: 'line', line: 'SIM ADVANCE 5' },
    { kind: 'line', line: '+1 is a line too' },
    { kind: 'line', line: '\\backslash' },
    { kind: 'line', line: 'SET city "القاهرة"' },
  ],
  position: 4,
  panels: ['console', 'disk', 'processes'],
  speed: 2.5,
  reducedMotion: true,
  theme: 'projector',
  digits: 'arabic-indic',
};

/** The query a permalink would carry, compressed from a raw payload text (for hand-made hostile states). */
function payloadQuery(text: string, version = '1'): string {
  return `?v=${version}&s=${LZString.compressToEncodedURIComponent(text)}`;
}

function expectRejected(search: string, reason: 'malformed' | 'too-large' | 'newer-version'): void {
  expect(readUrlState(search)).toEqual({ status: 'rejected', reason });
}

describe('tape entries', () => {
  test('ticks and jumps are compact; typed lines are kept as typed, escaped only where they would be read otherwise', () => {
    expect(FULL.tape.map(encodeTapeEntry)).toEqual([
      'SET greeting "Hello, Redis"',
      '+100',
      '+100',
      '+101',
      '~10000',
      'SIM ADVANCE 5',
      '\\+1 is a line too',
      '\\\\backslash',
      'SET city "القاهرة"',
    ]);
  });

  test('any typed line survives the round trip', () => {
    // eslint-disable-next-line no-control-regex
    const control = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 80 }).filter((line) => line.trim() !== '' && !control.test(line)),
        (line) => {
          expect(decodeTapeEntry(encodeTapeEntry({ kind: 'line', line }))).toEqual({ kind: 'line', line });
        },
      ),
    );
  });

  test('what is not an entry is refused: non-strings, control characters, blank lines, bad time marks', () => {
    for (const bad of [1, null, {}, ['SET a 1'], '', '   ', 'SET a\n1', 'SET a \u0000', '+', '+abc', '+1e3', '~-5', '+1234567890']) {
      expect(decodeTapeEntry(bad), JSON.stringify(bad)).toBeNull();
    }
  });
});

describe('permalinks', () => {
  test('every field survives the round trip', () => {
    const result = readUrlState(`?${encodeUrlState(FULL)}`);
    expect(result).toEqual({ status: 'ok', snapshot: FULL, fromVersion: 1 });
  });

  test('a snapshot with nothing set stays empty (the viewer keeps their own settings)', () => {
    expect(readUrlState(`?${encodeUrlState(EMPTY_SNAPSHOT)}`)).toEqual({ status: 'ok', snapshot: EMPTY_SNAPSHOT, fromVersion: 1 });
  });

  test('the state is versioned and URL-safe: v=1, then one s= parameter of URL-safe characters', () => {
    const query = encodeUrlState(FULL);
    expect(query).toMatch(/^v=1&s=[A-Za-z0-9+\-$]+$/);
  });

  test('no state in the URL is not an error', () => {
    expect(readUrlState('')).toEqual({ status: 'none' });
    expect(readUrlState('?lang=ar&embed=1')).toEqual({ status: 'none' });
  });

  test('a realistic 500-line session fits in under 8,000 characters', () => {
    const tape = realisticSession(500);
    expect(tape.filter((entry) => entry.kind === 'line')).toHaveLength(500);
    expect(tape.length).toBeGreaterThan(1000);
    const snapshot: LabSnapshot = { ...EMPTY_SNAPSHOT, lang: 'ar', tape, position: 812, theme: 'dark', speed: 4 };
    const query = encodeUrlState(snapshot);
    expect(query.length).toBeLessThan(8000);
    expect(readUrlState(`?${query}`)).toEqual({ status: 'ok', snapshot, fromVersion: 1 });
  });

  test('a long session of steady ticks stays short: equal ticks share one line', () => {
    const tape: TapeLine[] = Array.from({ length: 20_000 }, () => ({ kind: 'tick', line: 'SIM ADVANCE 100' }));
    const snapshot = { ...EMPTY_SNAPSHOT, tape, position: 20_000 };
    const query = encodeUrlState(snapshot);
    expect(query.length).toBeLessThan(200);
    expect(readUrlState(`?${query}`)).toEqual({ status: 'ok', snapshot, fromVersion: 1 });
  });

  test('a permalink rebuilds the same lab: keyspace, position, clock', () => {
    const original = createLabStore({ epochMs: Date.UTC(2026, 0, 1) });
    const lab = original.getState();
    lab.runLine('SET greeting hello');
    lab.runLine('EXPIRE greeting 5');
    lab.advance(2000);
    lab.runLine('RPUSH queue a b c');
    lab.runLine('BGSAVE');
    lab.startClock(0);
    for (let wall = 100; wall <= 1500; wall += 100) original.getState().tick(wall);
    lab.runLine('HSET user:1 name Ada');
    original.getState().seek(original.getState().timeline.length - 2);

    const state = original.getState();
    const snapshot: LabSnapshot = { ...EMPTY_SNAPSHOT, tape: state.getTape(), position: state.timeline.position };
    const result = readUrlState(`?${encodeUrlState(snapshot)}`);
    if (result.status !== 'ok') throw new Error(`rejected: ${JSON.stringify(result)}`);

    const copy = createLabStore({ epochMs: Date.UTC(2026, 0, 1) });
    copy.getState().loadTape(result.snapshot.tape, result.snapshot.position);
    expect(copy.getState().timeline.position).toBe(state.timeline.position);
    expect(copy.getState().timeline.length).toBe(state.timeline.length);
    expect(copy.getState().nowMs).toBe(state.nowMs);
    expect(copy.getState().keyspace).toEqual(state.keyspace);
    expect(copy.getState().persistence.disk).toEqual(state.persistence.disk);
  });
});

describe('hostile or broken URL state is refused with a reason, never thrown', () => {
  const good = encodeUrlState(FULL);

  test('garbage and truncated states', () => {
    expectRejected('?v=1&s=%%%', 'malformed');
    expectRejected('?v=1&s=<script>alert(1)</script>', 'malformed');
    expectRejected(`?${good.slice(0, good.length - 20)}`, 'malformed');
    expectRejected('?v=1&s=', 'malformed');
    expectRejected(payloadQuery('not json\nSET a 1'), 'malformed');
    expectRejected(payloadQuery('[1,2,3]\nSET a 1'), 'malformed');
    expectRejected('?s=abc', 'malformed');
    expectRejected(`?v=one&${good.slice(4)}`, 'malformed');
  });

  test('random strings never throw', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.constantFrom('0', '1', 'x'), (s, v) => {
        const result = readUrlState(`?v=${v}&s=${encodeURIComponent(s)}`);
        expect(['ok', 'rejected']).toContain(result.status);
      }),
      { numRuns: 300 },
    );
  });

  test('huge states: a long URL, an expansion bomb, a tape beyond the lab’s length', () => {
    expectRejected(`?v=1&s=${'A'.repeat(MAX_ENCODED_CHARS + 1)}`, 'too-large');
    expectRejected(`?v=1&s=${expansionBomb(40_000)}`, 'too-large');
    expectRejected(payloadQuery('{"format":"redis-persistence-lab","version":1,"position":0}\n+100*99999'), 'too-large');
  });

  test('a state from a newer lab', () => {
    expectRejected(`?v=2&${good.slice(4)}`, 'newer-version');
    expectRejected(payloadQuery('{"format":"redis-persistence-lab","version":1,"position":0}', '9'), 'newer-version');
  });

  const header = (fields: Record<string, unknown>): string =>
    JSON.stringify({ format: 'redis-persistence-lab', version: 1, position: 0, ...fields });

  test.each([
    ['position past the tape', header({ position: 3 }) + '\nSET a 1'],
    ['negative position', header({ position: -1 })],
    ['fractional position', header({ position: 0.5 }) + '\nSET a 1'],
    ['position as text', header({ position: '0' })],
    ['script as the language', header({ lang: '<script>alert(1)</script>' })],
    ['markup as a lesson id', header({ lesson: { id: '<img src=x onerror=alert(1)>', step: 0 } })],
    ['a lesson step out of range', header({ lesson: { id: 'fork', step: 5000 } })],
    ['an unknown theme', header({ theme: 'javascript:alert(1)' })],
    ['an unknown panel', header({ panels: ['console', 'evil'] })],
    ['no panel at all', header({ panels: [] })],
    ['a speed out of range', header({ speed: 1e9 })],
    ['a speed that is not a number', header({ speed: 'fast' })],
    ['unknown digits', header({ digits: 'roman' })],
    ['a line with a control character', header({}) + '\nSET a \u0007'],
    ['a wrong format name', JSON.stringify({ format: 'other', version: 1, position: 0 })],
  ])('%s', (_name, payload) => {
    expectRejected(payloadQuery(payload), 'malformed');
  });

  test('a __proto__ key in the header changes nothing', () => {
    const result = readUrlState(payloadQuery('{"format":"redis-persistence-lab","version":1,"position":0,"__proto__":{"polluted":true}}'));
    expect(result.status).toBe('ok');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('markup in a typed line is kept as text: it is data, shown as text by React', () => {
    const line = 'SET html "<img src=x onerror=alert(1)>"';
    const result = readUrlState(payloadQuery(`${header({ position: 1 })}\n${line}`));
    expect(result).toMatchObject({ status: 'ok', snapshot: { tape: [{ kind: 'line', line }] } });
  });
});

describe('exported files', () => {
  test('the same content as a permalink, readable JSON with its version', () => {
    const text = stateFileText(FULL);
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect(parsed).toMatchObject({ format: 'redis-persistence-lab', version: 1, lang: 'ar', position: 4, theme: 'projector', motion: 'reduced' });
    expect(parsed.tape).toEqual(FULL.tape.map(encodeTapeEntry));
    expect(readStateFile(text)).toEqual({ status: 'ok', snapshot: FULL, fromVersion: 1 });
  });

  test('the same checks as a permalink', () => {
    expect(readStateFile('{not json')).toEqual({ status: 'rejected', reason: 'malformed' });
    expect(readStateFile('null')).toEqual({ status: 'rejected', reason: 'malformed' });
    expect(readStateFile('[]')).toEqual({ status: 'rejected', reason: 'malformed' });
    expect(readStateFile(JSON.stringify({ format: 'redis-persistence-lab', version: 1, position: 0, tape: [1, 2] }))).toEqual({ status: 'rejected', reason: 'malformed' });
    expect(readStateFile(JSON.stringify({ format: 'redis-persistence-lab', version: 3, position: 0, tape: [] }))).toEqual({ status: 'rejected', reason: 'newer-version' });
    expect(readStateFile(' '.repeat(4_000_001))).toEqual({ status: 'rejected', reason: 'too-large' });
  });
});

describe('migration from older versions', () => {
  // The pre-release shape (version 0): `?state=` held lz-string JSON with the scenario as one text.
  const v0: StateDocumentV0 = { script: '# a comment\nSET a 1\n\nEXPIRE a 10\nGET a\n', at: 2, lang: 'ar', speed: 2 };

  test('a version-0 link still opens, as the same scenario at the same place', () => {
    const result = readUrlState(`?state=${LZString.compressToEncodedURIComponent(JSON.stringify(v0))}&lang=ar`);
    expect(result).toEqual({
      status: 'ok',
      fromVersion: 0,
      snapshot: {
        ...EMPTY_SNAPSHOT,
        lang: 'ar',
        speed: 2,
        position: 2,
        tape: [
          { kind: 'line', line: 'SET a 1' },
          { kind: 'line', line: 'EXPIRE a 10' },
          { kind: 'line', line: 'GET a' },
        ],
      },
    });
  });

  test('a version-0 state without a position shows its end; a file without a version is version 0', () => {
    expect(readDocument({ script: 'SET a 1\nGET a' })).toMatchObject({ status: 'ok', fromVersion: 0, snapshot: { position: 2 } });
    expect(readStateFile(JSON.stringify({ script: 'PING' }))).toMatchObject({ status: 'ok', fromVersion: 0 });
  });

  test('a broken version-0 state is refused like any other', () => {
    expect(readDocument({ script: 42 })).toEqual({ status: 'rejected', reason: 'malformed' });
    expect(readDocument({ script: 'SET a 1', at: 9 })).toEqual({ status: 'rejected', reason: 'malformed' });
    expect(readDocument({ script: 'SET a 1', lang: 'xx' })).toEqual({ status: 'rejected', reason: 'malformed' });
  });
});

describe('the scenario library and the lessons as links', () => {
  test('every scenario and every lesson’s last step makes a short link', () => {
    const lengths: number[] = [];
    for (const scenario of SCENARIOS) {
      const store = createLabStore();
      store.getState().loadScenario(scenario.lines);
      const tape = store.getState().getTape();
      const query = encodeUrlState({ ...EMPTY_SNAPSHOT, lang: 'ar', tape, position: tape.length, theme: 'dark' });
      expect(readUrlState(`?${query}`)).toMatchObject({ status: 'ok', snapshot: { position: tape.length } });
      lengths.push(query.length);
    }
    for (const lesson of BUILTIN_LESSONS) {
      const step = lesson.steps.length - 1;
      const tape = planLines(lesson, step).map((line): TapeLine => ({ kind: 'line', line }));
      const query = encodeUrlState({ ...EMPTY_SNAPSHOT, lang: 'ar', lesson: { id: lesson.id, step }, tape, position: tape.length });
      expect(readUrlState(`?${query}`)).toMatchObject({ status: 'ok', snapshot: { lesson: { id: lesson.id, step } } });
      lengths.push(query.length);
    }
    expect(Math.max(...lengths)).toBeLessThan(2000);
  });
});
