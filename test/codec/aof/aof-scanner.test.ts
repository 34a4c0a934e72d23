// The byte-level AOF reader gives exactly the verdicts of the string-based reader it replaced
// (kept as test/codec/aof/reference-reader.ts): the same commands, annotations, open MULTI, end,
// offsets and reasons, on well-formed, cut, bit-flipped and hand-assembled files whose count and
// length lines take every odd form strtol accepts. scanAof and a replaying AofScanner agree with it.
import fc from 'fast-check';
import { encodeCommand } from '../../../src/codec/resp.ts';
import { binToBytes } from '../../../src/codec/bytes.ts';
import { readAof, scanAof, type AofReadResult } from '../../../src/codec/aof/aof-reader.ts';
import { AofItem, AofScanner, binOfRange } from '../../../src/codec/aof/aof-scanner.ts';
import { referenceReadAof } from './reference-reader.ts';

const SEED = 20261124;
const bin = (bytes: number[]) => String.fromCharCode(...bytes);
const bytesArb = (max: number) => fc.uint8Array({ maxLength: max }).map((b) => String.fromCharCode(...b));
const argArb = fc.oneof(fc.constantFrom('SET', 'set', 'MULTI', 'multi', 'Exec', 'EXEC', 'CONFIG', 'nope', 'BOGUS', '', 'a\r\nb'), bytesArb(20));
const commandArb = fc.array(argArb, { minLength: 1, maxLength: 4 }).map(encodeCommand);
/** What strtol and atoi make of odd count and length lines. */
const numberArb = fc.constantFrom(
  '3', '1', '2', '0', '-1', '-0', '+2', ' 2', '\t2', '\v2', '02', '2x', '2 ', 'x', '', '+', '-', '\x002',
  '4294967297', '2147483648', '-2147483649', '999999999999999', '1000000000000000', '9999999999999999',
  '00000000000000000002', '9223372036854775807', '9223372036854775808', '-9223372036854775809', '99999999999999999999',
);
/** Pieces that assemble into anything from a valid file to every kind of broken one. */
const pieceArb = fc.oneof(
  { weight: 6, arbitrary: commandArb },
  { weight: 1, arbitrary: fc.constant('#TS:1795469513\r\n') },
  { weight: 2, arbitrary: numberArb.map((n) => `*${n}\r\n`) },
  { weight: 3, arbitrary: numberArb.map((n) => `$${n}\r\n`) },
  { weight: 2, arbitrary: bytesArb(6) },
  { weight: 1, arbitrary: fc.constantFrom('\r\n', '\n', '*', '$', '#', '\0', 'REDIS') },
);
const fileArb = fc.array(pieceArb, { maxLength: 14 }).map((pieces) => pieces.join(''));

/** Known unless named BOGUS, or CONFIG with the subcommand NOPE: the check sees the first argument. */
const isKnownCommand = (argv: readonly string[]) => argv[0]!.toLowerCase() !== 'bogus' && !(argv[0]!.toLowerCase() === 'config' && argv[1]?.toLowerCase() === 'nope');

/** A result as plain data (errors by class, offset and reason). */
function plain(r: AofReadResult) {
  const { end } = r;
  const error = 'error' in end ? { error: [end.error.constructor.name, end.error.offset, end.error.reason] } : {};
  return { commands: r.commands, annotations: r.annotations, openMulti: r.openMulti, preamble: r.preamble?.length ?? null, end: { ...end, ...error } };
}

function agree(text: string): void {
  for (const options of [{}, { isKnownCommand }]) {
    const expected = referenceReadAof(text, options);
    const got = readAof(text, options);
    expect(plain(got)).toEqual(plain(expected));
    expect(plain(readAof(binToBytes(text), options))).toEqual(plain(expected));

    // scanAof: the same verdict without the arguments, and a scanner replays the same commands.
    const bytes = binToBytes(text);
    const scanned = scanAof(bytes, options);
    expect(plain({ ...scanned, commands: expected.commands })).toEqual(plain(expected));
    expect(scanned.commandCount).toBe(expected.commands.length);
    const replayed: { argv: string[]; offset: number; length: number }[] = [];
    const scanner = new AofScanner(bytes, scanned.tailOffset);
    while (replayed.length < scanned.commandCount) {
      const item = scanner.next();
      if (item === AofItem.annotation) continue;
      expect(item).toBe(AofItem.command);
      replayed.push({ argv: scanner.argv(), offset: scanner.start, length: scanner.pos - scanner.start });
    }
    expect(replayed).toEqual(expected.commands);
  }
}

describe('readAof on bytes agrees with the string-based reader', () => {
  it('on assembled files with odd count and length lines', () => {
    fc.assert(fc.property(fileArb, agree), { seed: SEED, numRuns: 4000 });
  });

  it('on every cut and bit flip of well-formed files', () => {
    const wellFormed = fc.array(fc.oneof({ weight: 5, arbitrary: commandArb }, { weight: 1, arbitrary: fc.constant('#TS:1\r\n') }), { maxLength: 10 });
    fc.assert(
      fc.property(wellFormed, fc.nat(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { maxLength: 3 }), (pieces, cut, flips) => {
        const good = pieces.join('');
        const bytes = [...good].map((c) => c.charCodeAt(0));
        for (const [at, bit] of flips) if (bytes.length !== 0) bytes[at % bytes.length]! ^= 1 << bit;
        agree(bin(bytes).slice(0, bytes.length === 0 ? 0 : cut % (bytes.length + 1)));
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('on random bytes', () => {
    fc.assert(fc.property(bytesArb(120), agree), { seed: SEED, numRuns: 2000 });
  });

  it('on lines longer than the loader’s 1023-byte fgets pieces', () => {
    const digits = '1'.repeat(1030);
    for (const text of [
      `*${digits}\r\n`,
      `*1\r\n$${'0'.repeat(1021)}3\r\nabc\r\n`,
      `*1\r\n$${'0'.repeat(1022)}3\r\nabc\r\n`,
      `*1\r\n$3${' '.repeat(1030)}\r\nabc\r\n`,
      `#${'x'.repeat(2000)}\r\n*1\r\n$4\r\nPING\r\n`,
      `#${'x'.repeat(1022)}*1\r\n$4\r\nPING\r\n`,
      `*1\r\n$40000\r\n${'v'.repeat(40000)}\r\n`,
    ]) {
      agree(text);
    }
  });
});

describe('binOfRange', () => {
  it('is the bin string of the bytes, whatever their length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70 }), fc.nat(), (bytes, at) => {
        const from = bytes.length === 0 ? 0 : at % bytes.length;
        expect(binOfRange(bytes, from, bytes.length)).toBe(String.fromCharCode(...bytes.subarray(from)));
      }),
      { seed: SEED, numRuns: 2000 },
    );
    const big = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7) & 0xff);
    expect(binOfRange(big, 1, big.length)).toBe(Array.from(big.subarray(1), (b) => String.fromCharCode(b)).join(''));
  });
});
