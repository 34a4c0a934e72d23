import { describe, expect, test } from 'vitest';
import { createLabStore } from '../../src/store/index.ts';
import { encodeUrlState, EMPTY_SNAPSHOT, MAX_ENCODED_CHARS, type LabSnapshot } from '../../src/embed/url-state.ts';
import { readBootRequest } from '../../src/embed/boot.ts';
import {
  keepSession,
  MAX_SESSION_CHARS,
  readSession,
  SESSION_SAVE_INTERVAL_MS,
  SESSION_STORAGE_KEY,
  worthKeeping,
  writeSession,
} from '../../src/embed/session-keep.ts';

/** The session kept across a reload: the permalink's form and checks, and never trusted. */

class MemoryStorage {
  readonly items = new Map<string, string>();
  writes = 0;
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.writes++;
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

const MOMENT: LabSnapshot = {
  ...EMPTY_SNAPSHOT,
  lang: 'ar',
  tape: [
    { kind: 'line', line: 'SET a 1' },
    { kind: 'tick', line: 'SIM ADVANCE 100' },
    { kind: 'line', line: 'SET b 2' },
  ],
  position: 2,
  speed: 2.5,
  theme: 'dark',
  reducedMotion: true,
  digits: 'arabic-indic',
};

describe('writing and reading the kept session', () => {
  test('a moment comes back whole, in the permalink’s own form', () => {
    const storage = new MemoryStorage();
    expect(writeSession(storage, MOMENT)).toBe(true);
    expect(storage.getItem(SESSION_STORAGE_KEY)).toBe(encodeUrlState(MOMENT));
    expect(readSession(storage)).toEqual(MOMENT);
  });

  test('a lab where only the clock ran is not kept, and forgets an older session', () => {
    const storage = new MemoryStorage();
    writeSession(storage, MOMENT);
    const ticking: LabSnapshot = { ...EMPTY_SNAPSHOT, tape: [{ kind: 'tick', line: 'SIM ADVANCE 100' }], position: 1 };
    expect(worthKeeping(ticking)).toBe(false);
    expect(writeSession(storage, ticking)).toBe(false);
    expect(storage.getItem(SESSION_STORAGE_KEY)).toBeNull();
  });

  test('whatever else is stored is refused and forgotten, without throwing', () => {
    const hostile = [
      '',
      'garbage',
      'v=1&s=garbage!',
      'v=9&s=N4Ig',
      `v=1&s=${'A'.repeat(MAX_SESSION_CHARS)}`,
      'x'.repeat(MAX_SESSION_CHARS + 1),
      'v=1',
      '%E0%A4%A',
    ];
    for (const text of hostile) {
      const storage = new MemoryStorage();
      storage.setItem(SESSION_STORAGE_KEY, text);
      expect(readSession(storage)).toBeNull();
      expect(storage.getItem(SESSION_STORAGE_KEY)).toBeNull();
    }
  });

  test('a huge value is refused by its length, before any parsing', () => {
    const storage = new MemoryStorage();
    storage.setItem(SESSION_STORAGE_KEY, `v=1&s=${'A'.repeat(50 * MAX_ENCODED_CHARS)}`);
    expect(readSession(storage)).toBeNull();
  });

  test('storage that throws, or none at all, leaves the lab without a session', () => {
    const throwing = {
      getItem: (): string | null => {
        throw new Error('SecurityError');
      },
      setItem: (): void => {
        throw new Error('QuotaExceededError');
      },
      removeItem: (): void => {
        throw new Error('SecurityError');
      },
    };
    expect(readSession(throwing)).toBeNull();
    expect(writeSession(throwing, MOMENT)).toBe(false);
    expect(readSession(null)).toBeNull();
    expect(writeSession(null, MOMENT)).toBe(false);
  });
});

describe('at start: the URL wins over the kept session', () => {
  const kept = () => MOMENT;
  const link = encodeUrlState({ ...EMPTY_SNAPSHOT, tape: [{ kind: 'line', line: 'SET shared 1' }], position: 1 });

  test('with no state in the URL, the kept session is the lab’s, with its language and display', () => {
    const boot = readBootRequest('?', kept);
    expect(boot).toMatchObject({ restoredSession: true, lang: 'ar', display: { theme: 'dark', reducedMotion: true, digits: 'arabic-indic' } });
    expect(boot.state).toMatchObject({ status: 'ok', snapshot: MOMENT });
    // `?lang=` still wins for the language.
    expect(readBootRequest('?lang=en', kept)).toMatchObject({ restoredSession: true, lang: 'en' });
  });

  test('a permalink, even a refused one, wins; a framed lab never reads the session', () => {
    let asked = 0;
    const counting = () => {
      asked++;
      return MOMENT;
    };
    expect(readBootRequest(`?${link}`, counting)).toMatchObject({ restoredSession: false, state: { status: 'ok', snapshot: { position: 1 } } });
    expect(readBootRequest('?v=1&s=garbage!', counting)).toMatchObject({ restoredSession: false, state: { status: 'rejected' } });
    expect(readBootRequest('?embed=1', counting)).toMatchObject({ restoredSession: false, state: { status: 'none' } });
    expect(asked).toBe(0);
  });
});

describe('keeping the session while the lab runs', () => {
  function fakeWindow() {
    const listeners = new Map<string, () => void>();
    const intervals: (() => void)[] = [];
    const doc = {
      visibilityState: 'visible' as DocumentVisibilityState,
      addEventListener: (type: string, listener: () => void) => listeners.set(`document:${type}`, listener),
      removeEventListener: (type: string) => listeners.delete(`document:${type}`),
    };
    const win = {
      document: doc,
      addEventListener: (type: string, listener: () => void) => listeners.set(type, listener),
      removeEventListener: (type: string) => listeners.delete(type),
      setInterval: (callback: () => void, ms: number) => {
        expect(ms).toBe(SESSION_SAVE_INTERVAL_MS);
        return intervals.push(callback);
      },
      clearInterval: (id: number) => {
        intervals[id - 1] = () => {};
      },
    };
    const fire = (type: string) => listeners.get(type)?.();
    const interval = () => intervals.forEach((callback) => callback());
    return { win: win as never, fire, interval, doc, listeners };
  }

  test('a typed line is written at the next interval; the clock’s own ticks are not; leaving the page writes all', () => {
    const store = createLabStore();
    const storage = new MemoryStorage();
    const { win, fire, interval, doc, listeners } = fakeWindow();
    const capture = (): LabSnapshot => ({ ...EMPTY_SNAPSHOT, tape: store.getState().getTape(), position: store.getState().timeline.position });
    const stop = keepSession({ win, storage, store, capture });

    store.getState().runLine('SET a 1');
    interval();
    expect(readSession(storage)?.tape.map((entry) => entry.line)).toEqual(['SET a 1']);
    const writes = storage.writes;

    store.getState().startClock(0);
    for (let wall = 100; wall <= 500; wall += 100) store.getState().tick(wall);
    interval();
    expect(storage.writes).toBe(writes);

    fire('pagehide');
    expect(readSession(storage)?.tape).toHaveLength(store.getState().getTape().length);

    store.getState().seek(1);
    doc.visibilityState = 'hidden';
    fire('document:visibilitychange');
    expect(readSession(storage)?.position).toBe(1);

    stop();
    expect(listeners.size).toBe(0);
  });

  test('a change outside the store (language, display, lesson) is written too', () => {
    const store = createLabStore();
    store.getState().runLine('SET a 1');
    const storage = new MemoryStorage();
    const { win, interval } = fakeWindow();
    let theme: LabSnapshot['theme'] = 'light';
    let notify = () => {};
    keepSession({
      win,
      storage,
      store,
      capture: () => ({ ...EMPTY_SNAPSHOT, theme, tape: store.getState().getTape(), position: 1 }),
      watch: (changed) => {
        notify = changed;
        return () => {};
      },
    });
    theme = 'projector';
    notify();
    interval();
    expect(readSession(storage)?.theme).toBe('projector');
  });
});
