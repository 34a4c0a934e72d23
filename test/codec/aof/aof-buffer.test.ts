// aof_buf as bytes: whatever the commands and annotations, the buffer holds exactly the bytes of
// encodeCommand's RESP strings (and the annotations as written), across growth and clears.
import fc from 'fast-check';
import { encodeCommand } from '../../../src/codec/resp.ts';
import { binToBytes } from '../../../src/codec/bytes.ts';
import { AofBuffer } from '../../../src/codec/aof/aof-buffer.ts';

const SEED = 20261124;
const binArb = (max: number) => fc.uint8Array({ maxLength: max }).map((b) => String.fromCharCode(...b));
const argvArb = fc.array(fc.oneof(binArb(20), binArb(3000), fc.constantFrom('SET', 'SELECT', '', '\r\n')), { minLength: 1, maxLength: 12 });
/** A command, or an annotation line. */
const itemArb = fc.oneof({ weight: 5, arbitrary: argvArb }, { weight: 1, arbitrary: fc.nat().map((n) => `#TS:${n}\r\n`) });

describe('AofBuffer', () => {
  it('holds the RESP bytes of the commands appended since the last clear', () => {
    fc.assert(
      fc.property(fc.array(fc.array(itemArb, { maxLength: 20 }), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 64 }), (rounds, initial) => {
        const buffer = new AofBuffer(initial);
        for (const items of rounds) {
          buffer.clear();
          expect(buffer.length).toBe(0);
          expect(buffer.toBin()).toBe('');
          let expected = '';
          for (const item of items) {
            if (typeof item === 'string') buffer.appendBin(item);
            else buffer.appendCommand(item);
            expected += typeof item === 'string' ? item : encodeCommand(item);
            expect(buffer.length).toBe(expected.length);
          }
          expect(buffer.bytes()).toEqual(binToBytes(expected));
          expect(buffer.toBin()).toBe(expected);
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('spells counts and lengths of every size in decimal', () => {
    const buffer = new AofBuffer(1);
    for (const length of [0, 1, 9, 10, 99, 100, 999, 1000, 65535, 100_000]) {
      buffer.clear();
      const argv = Array.from({ length: length % 13 || 1 }, () => 'v'.repeat(length));
      buffer.appendCommand(argv);
      expect(buffer.toBin()).toBe(encodeCommand(argv));
    }
  });

  it('rebuilds its bin string only after a change', () => {
    const buffer = new AofBuffer();
    buffer.appendCommand(['SET', 'k', 'v']);
    const first = buffer.toBin();
    expect(buffer.toBin()).toBe(first);
    buffer.appendCommand(['DEL', 'k']);
    expect(buffer.toBin()).toBe(first + encodeCommand(['DEL', 'k']));
  });
});
