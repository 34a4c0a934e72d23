// The reader given hostile bytes: random, truncated, bit-flipped, overwritten or spliced files
// (fast-check, seeded, thousands of runs). It must return a result or throw an RdbDecodeError,
// never anything else, and never hang. Mutants are also read with checksum verification off, so
// the corruption reaches the value decoders instead of stopping at the CRC.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { RdbDecodeError, listpackEncode, readRdb, writeRdb } from '../../../src/codec/rdb/index.ts';
import { hexBytes, keyspaceArb, rdbBlob, rdbFile, rdbStr } from './rdb-test-kit.ts';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/real-redis-7.0/${name}`, import.meta.url)));

/** Valid files covering every type the reader decodes. */
const CORPUS: Uint8Array[] = [
  fixture('rdb-strings.rdb'),
  fixture('rdb-types.rdb'),
  rdbFile(9, [
    0xfd, hexBytes('00943577'), 10, rdbStr('l'), rdbBlob(hexBytes('0f000000 0c000000 0200 00f3 02f6 ff')),
    12, rdbStr('z'), rdbBlob(hexBytes("10000000 0d000000 0200 00 01'm' 03 f3 ff")),
    9, rdbStr('zm'), rdbBlob(hexBytes("02 03'foo' 03 00 'bar' 05 'hello' 05 00 'world' ff")),
    14, rdbStr('q'), 1, rdbBlob(hexBytes('0f000000 0c000000 0200 00f3 02f6 ff')),
    1, rdbStr('l1'), 2, rdbStr('a'), 0xc1, 0x39, 0x30,
    3, rdbStr('z3'), 2, rdbStr('m'), rdbStr('1.5'), rdbStr('n'), 0xfe,
    20, rdbStr('s'), rdbBlob(listpackEncode(['x', '7', '-100000'])),
    0xf8, 5, 0xf9, 3, 18, rdbStr('q2'), 2, 1, rdbStr('plain'), 2, rdbBlob(listpackEncode(['a', '1'])),
  ]),
  ...fc.sample(keyspaceArb(), { seed: 42, numRuns: 6 }).map((ks, i) => writeRdb(ks, { ctime: 1795469295, usedMem: 1 << 20, rdbcompression: i % 2 === 0 })),
];

/** Reads and swallows only RdbDecodeError; anything else fails the property. */
function readOrDecodeError(bytes: Uint8Array): void {
  for (const verifyChecksum of [true, false]) {
    try {
      readRdb(bytes, { verifyChecksum });
    } catch (e) {
      if (!(e instanceof RdbDecodeError)) throw e;
    }
  }
}

const corpusFile = fc.nat({ max: CORPUS.length - 1 }).map((i) => CORPUS[i]!);

describe('the reader on hostile input', () => {
  it('the corpus itself is valid', () => {
    for (const file of CORPUS) expect(() => readRdb(file)).not.toThrow();
  });

  it('random bytes, with and without a valid header', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.boolean(), (tail, header) => {
        readOrDecodeError(header ? new Uint8Array([...hexBytes("'REDIS0010'"), ...tail]) : tail);
      }),
      { seed: 1, numRuns: 3000 },
    );
  });

  it('every truncation is an RdbDecodeError', () => {
    fc.assert(
      fc.property(corpusFile, fc.double({ min: 0, max: 1, noNaN: true }), (file, cut) => {
        const n = Math.min(file.length - 1, Math.floor(cut * file.length));
        expect(() => readRdb(file.subarray(0, n))).toThrow(RdbDecodeError);
      }),
      { seed: 2, numRuns: 2000 },
    );
  });

  it('bit flips', () => {
    fc.assert(
      fc.property(corpusFile, fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.nat({ max: 7 })), { minLength: 1, maxLength: 8 }), (file, flips) => {
        const bytes = file.slice();
        for (const [at, bit] of flips) bytes[Math.floor(at * bytes.length)]! ^= 1 << bit;
        readOrDecodeError(bytes);
      }),
      { seed: 3, numRuns: 3000 },
    );
  });

  it('overwritten, deleted and inserted runs of bytes', () => {
    fc.assert(
      fc.property(corpusFile, fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.nat({ max: 16 }), fc.uint8Array({ maxLength: 16 }), fc.constantFrom('overwrite', 'delete', 'insert'), (file, where, cut, junk, how) => {
        const at = Math.floor(where * file.length);
        const before = file.subarray(0, at);
        const after = how === 'insert' ? file.subarray(at) : file.subarray(Math.min(file.length, at + (how === 'overwrite' ? junk.length : cut)));
        readOrDecodeError(new Uint8Array([...before, ...(how === 'delete' ? [] : junk), ...after]));
      }),
      { seed: 4, numRuns: 2000 },
    );
  });

  it('huge lengths in every length position', () => {
    const huge = [
      [0x80, 0xff, 0xff, 0xff, 0xff],
      [0x81, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
      [0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
      [0x7f, 0xff],
    ];
    fc.assert(
      fc.property(corpusFile, fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.constantFrom(...huge), (file, where, length) => {
        const at = Math.floor(where * file.length);
        readOrDecodeError(new Uint8Array([...file.subarray(0, at), ...length, ...file.subarray(at + 1)]));
      }),
      { seed: 6, numRuns: 2000 },
    );
  });
});
