// The building blocks of the RDB codec, table-driven, with the vectors of the reference
// (redis-persistence.md §2.3, §2.7, §2.8) and of the ziplist/zipmap format descriptions.
import fc from 'fast-check';
import { binToBytes, bytesToBin } from '../../../src/codec/bytes.ts';
import {
  ByteWriter,
  ListpackBuilder,
  RdbDecodeError,
  crc64,
  intsetDecode,
  intsetEncode,
  listpackDecode,
  listpackEncode,
  lzfCompress,
  lzfDecompress,
  ziplistDecode,
  zipmapDecode,
} from '../../../src/codec/rdb/index.ts';
import { hexBytes } from './rdb-test-kit.ts';

const bytes = (spec: string) => Uint8Array.from(hexBytes(spec));
const origin = (what: string) => ({ what, fileOffset: 100, mapped: true });

describe('crc64 (CRC-64/Jones, init 0, as Redis)', () => {
  it('has the check value 0xe9c6d914c4b8d9ca for "123456789"', () => {
    expect(crc64(binToBytes('123456789'))).toBe(0xe9c6d914c4b8d9can);
  });

  it('is 0 for no bytes and continues across pieces', () => {
    expect(crc64(new Uint8Array())).toBe(0n);
    fc.assert(
      fc.property(fc.uint8Array(), fc.uint8Array(), (a, b) => {
        const ab = new Uint8Array([...a, ...b]);
        expect(crc64(b, crc64(a))).toBe(crc64(ab));
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});

describe('LZF', () => {
  it("decompresses Redis's own stream for 100 × 'a' (§2.3)", () => {
    const out = lzfDecompress(bytes('01 61 61 e0 57 00 01 61 61'), 100);
    expect(out).toEqual(binToBytes('a'.repeat(100)));
  });

  it.each([
    ['a literal run past the end', '05 61 61', 6, 'literal run of 6 bytes overruns the compressed data'],
    ['a back-reference before the start', '00 61 20 05', 4, 'back-reference to 6 bytes back, only 1 decompressed'],
    ['a back-reference cut short', '00 61 e0', 20, 'back-reference cut short'],
    ['more output than declared', '02 61 62 63', 2, 'output exceeds the declared 2 bytes'],
    ['less output than declared', '00 61', 2, 'decompressed to 1 bytes, expected 2'],
    ['an impossible expansion', '00 61', 1000, '2 compressed bytes cannot expand to 1000'],
  ])('refuses %s', (_, stream, length, reason) => {
    expect(lzfDecompress(bytes(stream), length)).toMatchObject({ reason });
  });

  it('compresses any data and reads it back; a tighter limit only decides whether it gives up (fast-check)', () => {
    const data = fc.oneof(
      fc.uint8Array({ maxLength: 2000 }),
      fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 800 })).map(([b, n]) => new Uint8Array(Array.from({ length: n }, () => [...b]).flat())),
      fc.array(fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.constantFrom(...['abc', 'aaaaaaaaaaaaaaaaaaaaaaaa', 'H]babc'].map(binToBytes))), { maxLength: 60 }).map((parts) => new Uint8Array(parts.flatMap((p) => [...p]))),
    );
    fc.assert(
      fc.property(data, fc.nat(), (input, cut) => {
        // Room for every byte as a literal plus a control byte per 32 never runs out.
        const packed = lzfCompress(input, input.length * 2 + 8);
        if (input.length === 0) {
          expect(packed).toBeNull();
          return;
        }
        expect(lzfDecompress(packed!, input.length)).toEqual(input);
        const limit = 1 + (cut % (input.length + 8));
        const tight = lzfCompress(input, limit);
        if (tight !== null) expect(tight).toEqual(packed);
        if (packed!.length > limit) expect(tight).toBeNull();
      }),
      { seed: 11, numRuns: 500 },
    );
  });

  it.each([
    // What the lab wrote before it made liblzf's choices: valid streams, other choices.
    ['abcdefgh'.repeat(12), '076162636465666768e04f07'],
    ['value-7-'.repeat(5), '0776616c75652d372de01707'],
    ['a'.repeat(300), '0061e0ff00e01a00'],
    ['abcabcabcabd'.repeat(8), '02616263c002006460058002e0400b'],
  ])('still reads what older lab versions wrote (%#)', (text, stream) => {
    expect(lzfDecompress(bytes(stream), text.length)).toEqual(binToBytes(text));
  });

  it("compresses as liblzf does: 100 × 'a' gives Redis's own stream (§2.3)", () => {
    expect(lzfCompress(binToBytes('a'.repeat(100)), 96)).toEqual(bytes('01 61 61 e0 57 00 01 61 61'));
  });

  it('gives up when the output would not fit the limit', () => {
    const noise = Uint8Array.from({ length: 64 }, (_, i) => (i * 151 + 7) & 0xff);
    expect(lzfCompress(noise, noise.length - 4)).toBeNull();
    expect(lzfCompress(binToBytes('a'.repeat(100)), 96)?.length).toBeLessThan(10);
  });
});

describe('listpack', () => {
  // §2.11's three listpacks, written by Redis 7.0.15.
  it.each([
    ['hash f,v,f2,42', ['f', 'v', 'f2', '42'], "13000000 0400 81'f'02 81'v'02 82'f2'03 2a01 ff"],
    ['zset a,1,b,2.5', ['a', '1', 'b', '2.5'], "14000000 0400 81'a'02 0101 81'b'02 83'2.5'04 ff"],
    ['list a,b,3', ['a', 'b', '3'], "0f000000 0300 81'a'02 81'b'02 0301 ff"],
  ])('%s encodes as Redis wrote it', (_, elements, spec) => {
    expect(listpackEncode(elements)).toEqual(bytes(spec));
    expect(listpackDecode(bytes(spec), origin('listpack'))).toEqual(elements);
  });

  it.each([
    ['0', '00'],
    ['127', '7f'],
    ['128', 'c0 80'],
    ['-1', 'df ff'],
    ['-4096', 'd0 00'],
    ['4095', 'cf ff'],
    ['4096', 'f1 00 10'],
    ['-32768', 'f1 00 80'],
    ['32768', 'f2 00 80 00'],
    ['-8388608', 'f2 00 00 80'],
    ['8388608', 'f3 00 00 80 00'],
    ['2147483647', 'f3 ff ff ff 7f'],
    ['2147483648', 'f4 00 00 00 80 00 00 00 00'],
    ['-9223372036854775808', 'f4 00 00 00 00 00 00 00 80'],
    ['9223372036854775807', 'f4 ff ff ff ff ff ff ff 7f'],
    ['9223372036854775808', "93 '9223372036854775808'"],
    ['-0', "82 '-0'"],
    ['007', "83 '007'"],
    ['', '80'],
  ])('stores %j as %s', (element, spec) => {
    const entry = bytes(spec);
    const lp = listpackEncode([element]);
    expect(lp.subarray(6, 6 + entry.length)).toEqual(entry);
    expect(listpackDecode(lp, origin('listpack'))).toEqual([element]);
  });

  it('uses 12- and 32-bit string lengths and multi-byte backlens', () => {
    for (const n of [63, 64, 4095, 4096, 16380, 20000]) {
      const s = 'x'.repeat(n);
      const lp = listpackEncode([s, 'y']);
      expect(listpackDecode(lp, origin('listpack'))).toEqual([s, 'y']);
    }
    // 64 bytes: 1110|0000 01000000, then 66 as the backlen.
    expect(listpackEncode(['x'.repeat(64)]).subarray(6, 8)).toEqual(bytes('e0 40'));
    // 200 bytes: entry of 202 bytes, backlen 2 bytes: 202 = 1·128 + 74 → 01 ca.
    const lp = listpackEncode(['x'.repeat(200)]);
    expect(lp.subarray(lp.length - 3, lp.length - 1)).toEqual(bytes('01 ca'));
  });

  it('round-trips any bin strings (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).map(String), fc.uint8Array({ maxLength: 300 }).map(bytesToBin))), (elements) => {
        expect(listpackDecode(listpackEncode(elements), origin('listpack'))).toEqual(elements);
      }),
      { seed: 3, numRuns: 300 },
    );
  });

  it('knows its size as it grows', () => {
    const builder = new ListpackBuilder();
    expect(builder.byteLength).toBe(7);
    builder.add('element-00000');
    expect(builder.byteLength).toBe(7 + 15);
    expect(builder.finish().length).toBe(22);
  });

  it.each([
    ['a wrong total size', "10000000 0100 81'a'02 ff", 'listpack: header says 16 bytes, the blob has 10', 100],
    ['a wrong element count', "0a000000 0200 81'a'02 ff", 'listpack: header says 2 elements, the listpack has 1', 104],
    ['a bad backlen', "0a000000 0100 81'a'03 ff", 'listpack: entry backlen does not encode its size 2', 108],
    ['no terminator', "09000000 0100 81'a'02", 'listpack: unexpected end of listpack reading listpack entry: needs 1 bytes, 0 left', 109],
    ['an invalid encoding byte', '08000000 0100 f5 ff', 'listpack: invalid entry encoding 0xf5', 106],
    ['a string past the end', "0a000000 0100 85'a'02 ff", 'listpack: unexpected end of listpack reading a string entry of 5 bytes: needs 5 bytes, 3 left', 107],
  ])('refuses %s, naming the file offset', (_, spec, message, offset) => {
    const attempt = () => listpackDecode(bytes(spec), origin('listpack'));
    expect(attempt).toThrow(RdbDecodeError);
    expect(attempt).toThrow(expect.objectContaining({ reason: message, offset }));
  });

  it('names the blob byte when the blob was LZF-compressed', () => {
    expect(() => listpackDecode(bytes('08000000 0100 f5 ff'), { what: 'listpack', fileOffset: 50, mapped: false })).toThrow(
      'offset 0x32 (50): listpack: invalid entry encoding 0xf5 (at byte 6 of the LZF-decompressed blob)',
    );
  });
});

describe('intset', () => {
  it('encodes {1,2,300000} as §2.7 shows', () => {
    const spec = '04000000 03000000 01000000 02000000 e0930400';
    expect(intsetEncode([300000n, 1n, 2n])).toEqual(bytes(spec));
    expect(intsetDecode(bytes(spec), origin('intset'))).toEqual(['1', '2', '300000']);
  });

  it('takes the width of the widest member', () => {
    expect(intsetEncode([-5n, 7n]).subarray(0, 4)).toEqual(bytes('02000000'));
    expect(intsetEncode([-32769n]).subarray(0, 4)).toEqual(bytes('04000000'));
    expect(intsetEncode([4294967296n, 1n]).subarray(0, 4)).toEqual(bytes('08000000'));
    const values = [-(2n ** 63n), -1n, 0n, 2n ** 63n - 1n];
    expect(intsetDecode(intsetEncode(values), origin('intset'))).toEqual(values.map(String));
  });

  it.each([
    ['an unknown width', '03000000 00000000', 'intset: unknown intset encoding 3 (expected 2, 4 or 8)'],
    ['a length that does not match', '02000000 02000000 0100', 'intset: 2 elements of 2 bytes need 12 bytes, the blob has 10'],
    ['unsorted members', '02000000 02000000 0200 0100', 'intset: element 1 is not above the previous 2'],
    ['duplicate members', '02000000 02000000 0100 0100', 'intset: element 1 is not above the previous 1'],
  ])('refuses %s', (_, spec, reason) => {
    expect(() => intsetDecode(bytes(spec), origin('intset'))).toThrow(expect.objectContaining({ reason }));
  });
});

describe('ziplist (read only)', () => {
  it('reads the two-entry example of the format description: [2, 5]', () => {
    // zlbytes 15, zltail 12, zllen 2, "2" as immediate f3 (prevlen 0), "5" as f6 (prevlen 2), end.
    expect(ziplistDecode(bytes('0f000000 0c000000 0200 00f3 02f6 ff'), origin('ziplist'))).toEqual(['2', '5']);
  });

  it('reads every entry encoding', () => {
    const entries: [string, string][] = [
      ["0b 'Hello World'", 'Hello World'],
      [`40 41 '${'y'.repeat(65)}'`, 'y'.repeat(65)],
      [`80 00000104 '${'z'.repeat(260)}'`, 'z'.repeat(260)],
      ['fe 85', '-123'],
      ['c0 3930', '12345'],
      ['f0 a08601', '100000'],
      ['d0 00943577', '2000000000'],
      ['e0 0000c16ff2862300', '10000000000000000'],
      ['f1', '0'],
      ['fd', '12'],
    ];
    const w = new ByteWriter();
    w.u32le(0).u32le(0).u16le(entries.length);
    let previous = 0;
    let last = 10;
    for (const [spec] of entries) {
      const start = w.length;
      last = start;
      if (previous < 254) w.u8(previous);
      else w.u8(0xfe).u32le(previous); // the 5-byte prevlen form
      w.bytes(bytes(spec));
      previous = w.length - start;
    }
    w.u8(0xff);
    const blob = w.finish();
    new DataView(blob.buffer).setUint32(0, blob.length, true);
    new DataView(blob.buffer).setUint32(4, last, true);
    expect(ziplistDecode(blob, origin('ziplist'))).toEqual(entries.map((e) => e[1]));
  });

  it.each([
    ['a wrong zlbytes', '10000000 0a000000 0000 ff', 'ziplist: header says 16 bytes, the blob has 11'],
    ['a wrong zltail', '0f000000 0b000000 0200 00f3 02f6 ff', 'ziplist: zltail 11 does not point at the last entry (12)'],
    ['a wrong prevlen', '0f000000 0c000000 0200 00f3 03f6 ff', 'ziplist: entry prevlen 3 differs from the previous entry\'s size 2'],
    ['a wrong count', '0f000000 0c000000 0300 00f3 02f6 ff', 'ziplist: header says 3 entries, the ziplist has 2'],
    ['an invalid encoding', '0d000000 0a000000 0100 00c1 ff', 'ziplist: invalid entry encoding 0xc1'],
  ])('refuses %s', (_, spec, reason) => {
    expect(() => ziplistDecode(bytes(spec), origin('ziplist'))).toThrow(expect.objectContaining({ reason }));
  });
});

describe('zipmap (read only)', () => {
  it('reads the example of the format description: foo => bar, hello => world', () => {
    const blob = bytes("02 03'foo' 03 00 'bar' 05 'hello' 05 00 'world' ff");
    expect(zipmapDecode(blob, origin('zipmap'))).toEqual([
      ['foo', 'bar'],
      ['hello', 'world'],
    ]);
  });

  it('skips free bytes and reads 5-byte lengths', () => {
    const long = 'v'.repeat(300);
    const blob = bytes(`01 01 'k' fe 2c010000 02 '${long}' 00 00 ff`);
    expect(zipmapDecode(blob, origin('zipmap'))).toEqual([['k', long]]);
  });

  it('refuses a count that does not match', () => {
    expect(() => zipmapDecode(bytes("03 01'a' 01 00 'b' ff"), origin('zipmap'))).toThrow(
      expect.objectContaining({ reason: 'zipmap: header says 3 pairs, the zipmap has 1' }),
    );
  });
});
