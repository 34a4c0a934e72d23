import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import LZString from 'lz-string';
import { decompressBounded } from '../../src/embed/lz-bounded.ts';
import { bombLength, expansionBomb } from './lz-bomb.ts';

/**
 * The bounded decoder reads exactly what lz-string writes (checked against lz-string's own
 * compressor on any text), and refuses, without building it, output beyond its ceiling.
 */

describe('decompressBounded', () => {
  test('reads back whatever lz-string compressed: any text, any size', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 600 }), (text) => {
        expect(decompressBounded(LZString.compressToEncodedURIComponent(text), Infinity)).toEqual({ ok: true, text });
      }),
      { numRuns: 400 },
    );
    const lines = Array.from({ length: 2000 }, (_, i) => `SET user:${i % 37} "Ada ${i}" القاهرة`).join('\n');
    expect(decompressBounded(LZString.compressToEncodedURIComponent(lines), Infinity)).toEqual({ ok: true, text: lines });
  });

  test('agrees with lz-string on a space that a form encoder made of a +', () => {
    const texts = Array.from({ length: 4096 }, (_, code) => `SET k ${String.fromCharCode(code)}`);
    const text = texts.find((candidate) => LZString.compressToEncodedURIComponent(candidate).includes('+')) as string;
    const encoded = LZString.compressToEncodedURIComponent(text);
    expect(encoded).toContain('+');
    expect(decompressBounded(encoded.replaceAll('+', ' '), Infinity)).toEqual({ ok: true, text });
  });

  test('stops at the ceiling: a short input that would expand to gigabytes is refused', () => {
    const small = expansionBomb(300);
    expect(decompressBounded(small, Infinity)).toEqual({ ok: true, text: LZString.decompressFromEncodedURIComponent(small) });
    expect(decompressBounded(small, Infinity)).toEqual({ ok: true, text: 'a'.repeat(bombLength(300)) });
    // 40,000 codes: under 100 KB of URL, 800 million characters decoded.
    const bomb = expansionBomb(40_000);
    expect(bomb.length).toBeLessThan(100_000);
    expect(bombLength(40_000)).toBeGreaterThan(800_000_000);
    expect(decompressBounded(bomb, 1_000_000)).toEqual({ ok: false, reason: 'too-large' });
  });

  test('garbage, truncated and foreign-alphabet input are malformed, never a throw', () => {
    const good = LZString.compressToEncodedURIComponent('SET greeting hello');
    expect(decompressBounded(good.slice(0, good.length - 3), Infinity)).toEqual({ ok: false, reason: 'malformed' });
    expect(decompressBounded('<script>alert(1)</script>', Infinity)).toEqual({ ok: false, reason: 'malformed' });
    expect(decompressBounded('', Infinity)).toEqual({ ok: false, reason: 'malformed' });
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (garbage) => {
        const result = decompressBounded(garbage, 10_000);
        if (result.ok) expect(result.text.length).toBeLessThanOrEqual(10_000);
      }),
      { numRuns: 500 },
    );
  });
});
