import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { hashKey, KeyTable } from '../../src/engine/keyspace/key-table.ts';
import { copyState } from '../../src/engine/state-copy.ts';

/**
 * The keyspace's dictionary must behave exactly as the Map it replaced: the same answers to get,
 * has, set and delete (and to swap and take, their forms that return the old value), the same
 * size, and the same iteration order (insertion order, a replaced value keeping its place, a
 * deleted-then-added key going last). A Map is the oracle, over random
 * runs of operations on a small alphabet of keys (so home slots collide and runs form, and deletes
 * shift keys back) long enough to grow the table, squeeze out holes and shrink it again.
 */

type Op = { kind: 'set'; key: string; value: number } | { kind: 'delete'; key: string } | { kind: 'clear' };

const key = fc.integer({ min: 0, max: 300 }).map((n) => `k${n}`);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('set' as const), key, value: fc.integer() }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('delete' as const), key }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
);

function apply(table: KeyTable<number>, map: Map<string, number>, step: Op): void {
  // Half the time through swap and take, which answer with the value replaced or removed.
  if (step.kind === 'set') {
    if (step.value % 2 === 0) expect(table.swap(step.key, step.value)).toBe(map.get(step.key));
    else expect(table.set(step.key, step.value)).toBe(table);
    map.set(step.key, step.value);
  } else if (step.kind === 'delete') {
    if (step.key.length % 2 === 0) expect(table.take(step.key)).toBe(map.get(step.key));
    else expect(table.delete(step.key)).toBe(map.has(step.key));
    map.delete(step.key);
  } else {
    table.clear();
    map.clear();
  }
}

function expectSame(table: KeyTable<number>, map: Map<string, number>): void {
  expect(table.size).toBe(map.size);
  expect([...table]).toEqual([...map]);
  expect([...table.keys()]).toEqual([...map.keys()]);
}

describe('KeyTable against Map', () => {
  test('every operation answers as a Map does, and the order is the same', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 1500 }), fc.array(key, { maxLength: 40 }), (ops, probes) => {
        const table = new KeyTable<number>();
        const map = new Map<string, number>();
        for (const step of ops) apply(table, map, step);
        expectSame(table, map);
        for (const probe of probes) {
          expect(table.get(probe)).toBe(map.get(probe));
          expect(table.has(probe)).toBe(map.has(probe));
        }
      }),
      { numRuns: 300, seed: 20261124 },
    );
  });

  test('thousands of keys: growth, deletes of every other key, squeezes and shrinking keep every answer', () => {
    const table = new KeyTable<number>();
    const map = new Map<string, number>();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 5000; i++) apply(table, map, { kind: 'set', key: `user:${round}:${i}`, value: i });
      for (let i = 0; i < 5000; i += 2) apply(table, map, { kind: 'delete', key: `user:${round}:${i}` });
      expectSame(table, map);
    }
    for (const k of [...map.keys()]) apply(table, map, { kind: 'delete', key: k });
    apply(table, map, { kind: 'set', key: 'last', value: 1 });
    expectSame(table, map);
    expect(table.get('user:0:1')).toBeUndefined();
  });

  test('two keys with the same full hash are told apart by their bytes', () => {
    // Found by search: hashKey gives both 1948583883.
    const [a, b] = ['k32728', 'k261234'];
    expect(hashKey(a)).toBe(hashKey(b));
    const table = new KeyTable<string>();
    table.set(a, 'A').set(b, 'B');
    expect([table.get(a), table.get(b), table.size]).toEqual(['A', 'B', 2]);
    table.delete(a);
    expect([table.get(a), table.get(b), table.has(b), table.size]).toEqual([undefined, 'B', true, 1]);
  });

  test('keys are byte strings: NUL, high bytes and the empty key are keys like any other', () => {
    const table = new KeyTable<number>();
    const keys = ['', '\0', '\0\0', '\xff', 'a\0b', 'a'];
    keys.forEach((k, i) => table.set(k, i));
    expect(keys.map((k) => table.get(k))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  test('deleting keys while iterating visits every key that is left, once', () => {
    const table = new KeyTable<number>();
    for (let i = 0; i < 200; i++) table.set(`k${i}`, i);
    const visited: number[] = [];
    for (const [, v] of table) {
      visited.push(v);
      if (v % 3 === 0) table.delete(`k${v + 1}`);
    }
    expect(visited).toEqual([...table.keys()].map((k) => Number(k.slice(1))));
    expect(table.size).toBe(200 - 67);
  });

  test('a checkpoint copy is a table of its own with the same keys in the same order', () => {
    const table = new KeyTable<number>();
    for (let i = 0; i < 100; i++) table.set(`k${i}`, i);
    table.delete('k5');
    const copied = copyState(table);
    if (!copied.ok) throw new Error(copied.reason);
    copied.copy.set('new', 1);
    copied.copy.delete('k6');
    expect(table.has('k6')).toBe(true);
    expect(table.has('new')).toBe(false);
    expect([...copied.copy.keys()]).toEqual([...table.keys()].filter((k) => k !== 'k6').concat('new'));
  });
});
