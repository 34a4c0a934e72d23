import { describe, expect, test } from 'vitest';
import { parseInbound, PROTOCOL, publicEvent } from '../../src/embed/post-message.ts';
import { startBridge, type LessonPort } from '../../src/embed/bridge.ts';
import { AutoResize } from '../../src/embed/auto-resize.ts';
import { createLabStore, type LabStore } from '../../src/store/index.ts';
import { createI18n } from '../../src/i18n/index.ts';
import type { EngineEvent } from '../../src/engine/index.ts';

const api = (fields: Record<string, unknown>) => ({ protocol: PROTOCOL, version: 1, ...fields });

describe('messages in', () => {
  test('each command of version 1', () => {
    expect(parseInbound(api({ type: 'run', line: 'SET a 1' }))).toEqual({ type: 'run', line: 'SET a 1' });
    expect(parseInbound(api({ type: 'play' }))).toEqual({ type: 'play' });
    expect(parseInbound(api({ type: 'pause' }))).toEqual({ type: 'pause' });
    expect(parseInbound(api({ type: 'seek', position: 3 }))).toEqual({ type: 'seek', position: 3 });
    expect(parseInbound(api({ type: 'load', lines: ['SET a 1', 'GET a'], position: 1 }))).toEqual({ type: 'load', lines: ['SET a 1', 'GET a'], position: 1 });
    expect(parseInbound(api({ type: 'load', scenario: 'rdb' }))).toMatchObject({ type: 'load', lines: expect.arrayContaining(['BGSAVE']) });
    expect(parseInbound(api({ type: 'set-language', lang: 'ar' }))).toEqual({ type: 'set-language', lang: 'ar' });
    expect(parseInbound(api({ type: 'open-lesson', lessonId: 'rdb-snapshots' }))).toEqual({ type: 'open-lesson', lessonId: 'rdb-snapshots', step: 0 });
    expect(parseInbound(api({ type: 'get-state' }))).toEqual({ type: 'get-state' });
  });

  test.each([
    ['not an object', 'run SET a 1'],
    ['null', null],
    ['an array', [PROTOCOL, 1, 'run']],
    ['no protocol', { version: 1, type: 'play' }],
    ['another protocol', { protocol: 'h5p', version: 1, type: 'play' }],
    ['another version', { protocol: PROTOCOL, version: 2, type: 'play' }],
    ['the version as text', { protocol: PROTOCOL, version: '1', type: 'play' }],
    ['an unknown type', api({ type: 'eval', code: 'alert(1)' })],
    ['a line that is not text', api({ type: 'run', line: 42 })],
    ['a blank line', api({ type: 'run', line: '  ' })],
    ['a line with a newline', api({ type: 'run', line: 'SET a 1\nFLUSHALL' })],
    ['a negative position', api({ type: 'seek', position: -1 })],
    ['a fractional position', api({ type: 'seek', position: 1.5 })],
    ['a position past the scenario', api({ type: 'load', lines: ['PING'], position: 2 })],
    ['a scenario with a non-line', api({ type: 'load', lines: ['PING', { evil: true }] })],
    ['an unknown scenario', api({ type: 'load', scenario: 'nope' })],
    ['an unknown language', api({ type: 'set-language', lang: 'fr' })],
    ['markup as a lesson id', api({ type: 'open-lesson', lessonId: '<img src=x>' })],
  ])('ignores %s', (_name, data) => {
    expect(parseInbound(data)).toBeNull();
  });
});

describe('engine events out', () => {
  test('the public subset, cut to size; the chatty events stay inside', () => {
    const executed: EngineEvent = { type: 'command.executed', atMs: 5, clientId: 1, db: 0, argv: ['SET', 'k', 'v'.repeat(1000)], reply: { type: 'status', value: 'OK' } };
    expect(publicEvent(executed)).toEqual({ type: 'command.executed', atMs: 5, db: 0, argv: ['SET', 'k', 'v'.repeat(256)], ok: true });
    expect(publicEvent({ type: 'process.crashed', atMs: 9, pid: 42, kind: 'power' })).toEqual({ type: 'process.crashed', atMs: 9, pid: 42, kind: 'power' });
    expect(publicEvent({ type: 'time.advanced', atMs: 9, fromMs: 8 })).toBeNull();
    expect(publicEvent({ type: 'page.copied', atMs: 9, page: 1, db: 0, key: 'k' })).toBeNull();
    expect(publicEvent({ type: 'file.written', atMs: 9, by: 1, name: 'x', offset: 0, length: 1 })).toBeNull();
  });
});

/** A window inside a frame, with its parent recording what is posted to it. */
function framedWindow() {
  const posted: { message: unknown; origin: string }[] = [];
  const parent = { postMessage: (message: unknown, origin: string) => posted.push({ message, origin }) };
  const handlers = new Map<string, (event: unknown) => void>();
  let height = 500;
  const frames: (() => void)[] = [];
  const win = {
    parent,
    document: {
      documentElement: { getBoundingClientRect: () => ({ height, width: 360 }), clientHeight: 300 },
    },
    addEventListener: (type: string, handler: (event: unknown) => void) => handlers.set(type, handler),
    removeEventListener: (type: string) => handlers.delete(type),
    requestAnimationFrame: (callback: () => void) => frames.push(callback),
    cancelAnimationFrame: () => {},
  };
  return {
    win: win as unknown as Window,
    parent,
    posted,
    ours: () => posted.map((p) => p.message as Record<string, unknown>).filter((m) => m.protocol === PROTOCOL),
    receive: (data: unknown, { origin = 'https://lms.example', source = parent as unknown }: { origin?: string; source?: unknown } = {}) =>
      handlers.get('message')?.({ data, origin, source }),
    resizeTo: (next: number) => {
      height = next;
      handlers.get('resize')?.({});
      for (const frame of frames.splice(0)) frame();
    },
    listening: () => handlers.has('message'),
  };
}

describe('the bridge', () => {
  const start = (messageOrigin: string | null = '*', lessons?: LessonPort) => {
    const frame = framedWindow();
    const store = createLabStore();
    const i18n = createI18n('en');
    const stop = startBridge({ win: frame.win, store, i18n, messageOrigin, embedded: true, lessons });
    return { ...frame, store, i18n, stop };
  };

  test('says ready, then runs what the parent asks and reports the engine events', () => {
    const { ours, receive, store } = start();
    expect(ours()[0]).toMatchObject({ type: 'ready', embedded: true, lang: 'en', position: 0, length: 0 });
    receive(api({ type: 'run', line: 'SET greeting hello' }));
    expect(store.getState().keyspace.dbs[0]?.keys.map((key) => key.name)).toEqual(['greeting']);
    expect(ours()).toContainEqual(expect.objectContaining({ type: 'event', event: expect.objectContaining({ type: 'command.executed', argv: ['SET', 'greeting', 'hello'], ok: true }) }));
  });

  test('seeks, pauses, plays, loads, switches language, and answers get-state', async () => {
    const { ours, receive, store, i18n } = start();
    receive(api({ type: 'load', lines: ['SET a 1', 'SET b 2', 'SET c 3'] }));
    expect(store.getState().timeline).toMatchObject({ position: 3, length: 3 });
    receive(api({ type: 'seek', position: 1 }));
    expect(store.getState().timeline.position).toBe(1);
    receive(api({ type: 'play' }));
    expect(store.getState().paused).toBe(false);
    receive(api({ type: 'pause' }));
    expect(store.getState().paused).toBe(true);
    receive(api({ type: 'set-language', lang: 'ar' }));
    await Promise.resolve();
    expect(i18n.resolvedLanguage).toBe('ar');
    expect(ours()).toContainEqual(expect.objectContaining({ type: 'language', lang: 'ar' }));
    receive(api({ type: 'get-state' }));
    expect(ours().at(-1)).toMatchObject({ type: 'state', lang: 'ar', position: 1, length: 3, paused: true });
  });

  test('replaying the past is not news: a seek back posts no events, new actions do', () => {
    const { ours, receive } = start();
    receive(api({ type: 'load', lines: ['SET a 1', 'SET b 2'] }));
    const before = ours().filter((m) => m.type === 'event').length;
    receive(api({ type: 'seek', position: 0 }));
    receive(api({ type: 'seek', position: 2 }));
    expect(ours().filter((m) => m.type === 'event')).toHaveLength(before);
    receive(api({ type: 'run', line: 'SET c 3' }));
    expect(ours().filter((m) => m.type === 'event').length).toBeGreaterThan(before);
  });

  describe('a branch from the past is news: its events are posted as any live action’s', () => {
    // The ways a student acts while the lab shows the past, each as the lab's controls do it: a line
    // typed into the console, a button (the crash button runs its line as the console does), and a
    // jump of the clock (+10 s: a `skip` entry on the tape). Acting there drops the later entries.
    const actions: Record<string, { act: (store: LabStore) => void; kind: 'line' | 'skip'; posts: string[] }> = {
      'a typed line': { act: (store) => void store.getState().runLine('SET c 3'), kind: 'line', posts: ['command.executed'] },
      'a button': { act: (store) => void store.getState().runLine('SIM CRASH PROCESS'), kind: 'line', posts: ['process.crashed'] },
      'a clock jump': { act: (store) => store.getState().advance(10_000), kind: 'skip', posts: ['child.exited', 'file.renamed', 'rdb.saved'] },
    };
    // A child is writing its snapshot at position 2, so a clock jump from there has news too.
    const tape = (store: LabStore): void => {
      store.getState().runLine('SET a 1');
      store.getState().runLine('BGSAVE');
      store.getState().advance(10_000);
    };
    // Back to position 2 by the timeline's controls. One entry back is the case the tape's length alone
    // cannot tell from the timeline playing its last entry: the branch ends as long as the tape was.
    const backTo = {
      'one entry back (a step back)': (store: LabStore) => store.getState().stepBack(),
      'two entries back (a seek)': (store: LabStore) => {
        store.getState().runLine('SET b 2');
        store.getState().seek(2);
      },
    };

    for (const [actionName, action] of Object.entries(actions)) {
      for (const [whereName, goBack] of Object.entries(backTo)) {
        test(`${actionName}, from ${whereName}`, () => {
          const { ours, store } = start();
          tape(store);
          goBack(store);
          const { position, length } = store.getState().timeline;
          expect(position).toBe(2);
          expect(length).toBeGreaterThan(position);
          const postedBefore = ours().length;
          const seqBefore = store.getState().events.at(-1)?.seq ?? 0;

          action.act(store);

          // The branch happened: the later entries are gone, and the new one is at the end.
          expect(store.getState().timeline).toMatchObject({ position: 3, length: 3 });
          expect(store.getState().getTape().at(-1)?.kind).toBe(action.kind);
          // Every public event the branch produced was posted, in order, and no other event.
          const produced = store.getState().events.filter((logged) => logged.seq > seqBefore).map((logged) => publicEvent(logged.event));
          const expected = produced.filter((event) => event !== null);
          const posted = ours().slice(postedBefore).filter((message) => message.type === 'event').map((message) => message.event);
          expect(posted).toEqual(expected);
          expect(expected.map((event) => event.type)).toEqual(expect.arrayContaining(action.posts));
        });
      }
    }

    test('while the past plays its last entry back to now, nothing is posted: that is a replay, not a branch', () => {
      const { ours, store } = start();
      tape(store);
      store.getState().stepBack();
      const postedBefore = ours().length;
      store.getState().setSpeed(100);
      store.getState().setPaused(false);
      store.getState().startClock(0);
      store.getState().tick(1000);
      expect(store.getState().timeline).toMatchObject({ position: 3, length: 3 });
      expect(ours().slice(postedBefore).filter((message) => message.type === 'event')).toEqual([]);
    });

    test('the crash button’s branch also posts `crash`', () => {
      const { ours, store } = start();
      tape(store);
      store.getState().stepBack();
      const postedBefore = ours().length;
      actions['a button']?.act(store);
      expect(ours().slice(postedBefore)).toContainEqual(expect.objectContaining({ type: 'crash', kind: 'process' }));
    });
  });

  test('a crash and a restart are announced', () => {
    const { ours, receive } = start();
    receive(api({ type: 'run', line: 'SET a 1' }));
    receive(api({ type: 'run', line: 'SIM CRASH PROCESS' }));
    expect(ours()).toContainEqual(expect.objectContaining({ type: 'crash', kind: 'process' }));
    receive(api({ type: 'run', line: 'SIM RESTART' }));
    expect(ours()).toContainEqual(expect.objectContaining({ type: 'event', event: expect.objectContaining({ type: 'process.started' }) }));
    // Nothing persisted the write (no save, no AOF): the report says it was lost.
    expect(ours()).toContainEqual(expect.objectContaining({ type: 'recovered', crash: 'process', acknowledged: 1, survived: 0, lost: 1 }));
  });

  test('ignores messages of other shapes, and messages from another window', () => {
    const { receive, store } = start();
    receive({ type: 'run', line: 'SET a 1' });
    receive('SET a 1');
    receive(api({ type: 'run', line: 'SET a 1' }), { source: {} });
    expect(store.getState().timeline.length).toBe(0);
  });

  test('a pinned origin: only its messages are heard, and everything is posted to it alone', () => {
    const { receive, store, posted } = start('https://lms.example');
    receive(api({ type: 'run', line: 'SET a 1' }), { origin: 'https://evil.example' });
    expect(store.getState().timeline.length).toBe(0);
    receive(api({ type: 'run', line: 'SET a 1' }), { origin: 'https://lms.example' });
    expect(store.getState().timeline.length).toBe(1);
    expect(new Set(posted.map((p) => p.origin))).toEqual(new Set(['https://lms.example']));
  });

  test('an invalid pin closes the API; a top-level page has none', () => {
    const closed = start(null);
    expect(closed.posted).toEqual([]);
    expect(closed.listening()).toBe(false);
    const frame = framedWindow();
    const topLevel = { ...frame.win, parent: null } as unknown as Window;
    Object.assign(topLevel, { parent: topLevel });
    startBridge({ win: topLevel, store: createLabStore(), i18n: createI18n('en'), messageOrigin: '*', embedded: false });
    expect(frame.posted).toEqual([]);
  });

  test('passes on the lessons’ messages, and opens a lesson when asked', () => {
    const opened: [string, number][] = [];
    let post: ((message: never) => void) | null = null;
    const lessons: LessonPort = {
      open: (id, step) => opened.push([id, step]) > 0,
      current: () => ({ lessonId: 'restart', step: 1, stepCount: 4 }),
      subscribe: (listener) => {
        post = listener as never;
        return () => {};
      },
    };
    const { ours, receive } = start('*', lessons);
    expect(ours()[0]).toMatchObject({ type: 'ready', lesson: { lessonId: 'restart', step: 1, stepCount: 4 } });
    receive(api({ type: 'open-lesson', lessonId: 'restart', step: 2 }));
    expect(opened).toEqual([['restart', 2]]);
    (post as unknown as (message: unknown) => void)({ type: 'question.answered', lessonId: 'restart', step: 2, choice: 1, correct: true });
    expect(ours().at(-1)).toEqual({ protocol: PROTOCOL, version: 1, type: 'question.answered', lessonId: 'restart', step: 2, choice: 1, correct: true });
  });

  test('sizes: its own resize message and Canvas’s lti.frameResize, on each change', () => {
    const { posted, resizeTo } = start();
    const messages = () => posted.map((p) => p.message as Record<string, unknown>);
    expect(messages()).toContainEqual({ subject: 'lti.frameResize', height: 500 });
    expect(messages()).toContainEqual(expect.objectContaining({ protocol: PROTOCOL, type: 'resize', height: 500, width: 360 }));
    resizeTo(812);
    expect(messages()).toContainEqual({ subject: 'lti.frameResize', height: 812 });
    const count = messages().length;
    resizeTo(812);
    expect(messages()).toHaveLength(count);
  });

  test('H5P’s resizer handshake: hello, then prepareResize / resizePrepared / resize', () => {
    const { posted, receive, resizeTo } = start();
    const h5p = () => posted.map((p) => p.message as Record<string, unknown>).filter((m) => m.context === 'h5p');
    expect(h5p()).toEqual([{ context: 'h5p', action: 'hello' }]);
    receive({ context: 'h5p', action: 'hello' });
    expect(h5p().at(-1)).toEqual({ context: 'h5p', action: 'prepareResize', scrollHeight: 500, clientHeight: 300 });
    receive({ context: 'h5p', action: 'resizePrepared' });
    expect(h5p().at(-1)).toEqual({ context: 'h5p', action: 'resize', scrollHeight: 500 });
    resizeTo(640);
    expect(h5p().at(-1)).toEqual({ context: 'h5p', action: 'prepareResize', scrollHeight: 640, clientHeight: 300 });
    // The host's window changed: measure again and start a round.
    receive({ context: 'h5p', action: 'resize' });
    expect(h5p().at(-1)).toMatchObject({ action: 'prepareResize', scrollHeight: 640 });
  });

  test('stopping removes every listener', () => {
    const { stop, listening } = start();
    stop();
    expect(listening()).toBe(false);
  });
});

describe('AutoResize alone', () => {
  test('sends nothing to H5P before the host said hello', () => {
    const sent: unknown[] = [];
    const doc = { documentElement: { getBoundingClientRect: () => ({ height: 100.2, width: 50 }), clientHeight: 80 } } as unknown as Document;
    const sizes: unknown[] = [];
    const resize = new AutoResize(doc, { post: (m) => sent.push(m) }, (size) => sizes.push(size));
    resize.measure();
    expect(sent).toEqual([{ subject: 'lti.frameResize', height: 101 }]);
    expect(sizes).toEqual([{ width: 50, height: 101 }]);
  });
});
