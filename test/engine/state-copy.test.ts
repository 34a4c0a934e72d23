import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { copyState } from '../../src/engine/index.ts';

/**
 * The generic deep copy behind the node's checkpoints: every kind of value the engine's state is
 * made of comes out independent and equal, sharing and cycles kept; what it cannot copy
 * faithfully, it refuses.
 */

function copied<T>(value: T, substitutes?: ReadonlyMap<unknown, unknown>): T {
  const result = copyState(value, substitutes);
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result.copy;
}

class Counter {
  count = 0;
  constructor(readonly name: string) {}
  bump(): number {
    return ++this.count;
  }
  get doubled(): number {
    return this.count * 2;
  }
}

describe('copyState copies', () => {
  test('class instances keep their prototype, so methods and getters work on the copy alone', () => {
    const original = new Counter('a');
    original.bump();
    const copy = copied(original);
    expect(copy).toBeInstanceOf(Counter);
    expect(copy.bump()).toBe(2);
    expect(copy.doubled).toBe(4);
    expect(original.count).toBe(1);
  });

  test('Maps and Sets in insertion order, with object keys copied once', () => {
    const key = { id: 1 };
    const original = { map: new Map<unknown, unknown>([['b', 1], [key, 'k'], ['a', new Set([3, 1, 2])]]), keyAgain: key };
    const copy = copied(original);
    expect([...copy.map.keys()].map((k) => (typeof k === 'string' ? k : 'object'))).toEqual(['b', 'object', 'a']);
    expect([...(copy.map.get('a') as Set<number>)]).toEqual([3, 1, 2]);
    expect(copy.map.has(copy.keyAgain)).toBe(true);
    expect(copy.keyAgain).not.toBe(key);
    (copy.map.get('a') as Set<number>).add(9);
    expect((original.map.get('a') as Set<number>).has(9)).toBe(false);
  });

  test('arrays, holes included', () => {
    const original: unknown[] = new Array(5);
    original[1] = 'x';
    original[3] = { y: 1 };
    const copy = copied(original);
    expect(copy.length).toBe(5);
    expect(0 in copy).toBe(false);
    expect(copy[1]).toBe('x');
    expect(copy[3]).toEqual({ y: 1 });
    expect(copy[3]).not.toBe(original[3]);
  });

  test('typed arrays over one buffer stay views over one copied buffer, at the same offsets', () => {
    const chunk = new Uint8Array(16).map((_, i) => i);
    const head = chunk.subarray(0, 4);
    const tail = chunk.subarray(8, 12);
    const words = new DataView(chunk.buffer, 4, 4);
    const copy = copied({ chunk, head, tail, words });
    expect(copy.head.buffer).toBe(copy.chunk.buffer);
    expect(copy.tail.buffer).toBe(copy.chunk.buffer);
    expect(copy.words.buffer).toBe(copy.chunk.buffer);
    expect([copy.tail.byteOffset, copy.tail.length, copy.words.byteOffset, copy.words.byteLength]).toEqual([8, 4, 4, 4]);
    copy.chunk[9] = 99;
    expect(copy.tail[1]).toBe(99);
    expect(chunk[9]).toBe(9);
    expect(copy.chunk.buffer).not.toBe(chunk.buffer);
  });

  test('shared references and cycles: each object once', () => {
    const shared = { n: 1 };
    const node: { self?: unknown; a: object; b: object; list: object[] } = { a: shared, b: shared, list: [shared] };
    node.self = node;
    const copy = copied(node);
    expect(copy.self).toBe(copy);
    expect(copy.a).toBe(copy.b);
    expect(copy.list[0]).toBe(copy.a);
    expect(copy.a).not.toBe(shared);
  });

  test('a long chain without overflowing the stack', () => {
    let chain: { next: unknown } = { next: null };
    for (let i = 0; i < 50_000; i++) chain = { next: chain };
    let depth = 0;
    for (let link: unknown = copied(chain); link !== null; link = (link as { next: unknown }).next) depth++;
    expect(depth).toBe(50_001);
  });

  test('frozen objects stay frozen; odd property attributes are kept', () => {
    const original = Object.freeze({ a: Object.freeze([1, 2]) });
    const hidden = {};
    Object.defineProperty(hidden, 'secret', { value: 7, enumerable: false, writable: false });
    const copy = copied({ original, hidden });
    expect(Object.isFrozen(copy.original)).toBe(true);
    expect(Object.isFrozen(copy.original.a)).toBe(true);
    expect(Object.getOwnPropertyDescriptor(copy.hidden, 'secret')).toEqual({ value: 7, enumerable: false, writable: false, configurable: false });
  });

  test('substitutes stand in for what must not be copied, such as a closure bound to the original', () => {
    const listeners = new Map([[() => {}, null]]);
    const report = () => 'original';
    const replacement = () => 'copy';
    const copy = copied({ listeners, report, again: report }, new Map<unknown, unknown>([[listeners, new Map()], [report, replacement]]));
    expect(copy.listeners.size).toBe(0);
    expect(copy.report).toBe(replacement);
    expect(copy.again).toBe(replacement);
  });
});

describe('copyState refuses', () => {
  test.each([
    ['a closure', { finish: () => 1 }, 'a function'],
    ['a Map iterator, whose place no copy can read', { cursor: new Map([[1, 2]]).entries() }, 'Map Iterator'],
    ['a generator', { steps: (function* () {})() }, 'Generator'],
    ['a Date', { when: new Date(0) }, 'Date'],
    ['an Error', { error: new Error('x') }, 'Error'],
    ['a WeakMap', { weak: new WeakMap() }, 'WeakMap'],
    ['a Map subclass', { map: new (class extends Map {})() }, 'subclass'],
    ['an accessor property', Object.defineProperty({}, 'live', { get: () => 1, enumerable: true }), 'accessor'],
  ])('%s', (_, value, reason) => {
    const result = copyState(value);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toContain(reason);
  });
});

describe('the engine and its codecs have no JS private #fields, which no generic copy can see', () => {
  const root = resolve(import.meta.dirname, '../..');
  const files = ['src/engine', 'src/codec'].flatMap((dir) =>
    readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
      .map((entry) => relative(root, join(entry.parentPath, entry.name))),
  );

  test.each(files)('%s', (file) => {
    const code = readFileSync(join(root, file), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, ' ')
      .replace(/(^|[^:\\])\/\/.*$/gm, '$1')
      .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`|\/(?![*/])(?:[^/\\\n[]|\\.|\[(?:[^\]\\\n]|\\.)*\])+\/[a-z]*/g, '""');
    expect(code.match(/(?<![\w$'"`])#[A-Za-z_$][\w$]*/g)).toBeNull();
  });
});
