// The codec's fast paths give what the plain ones give: the key-by-key writer writeRdb's bytes
// (whatever its size hint); the reader without its byte map, with onEntry and onNote, skimming
// string keys or handing them over as parts, the same keys, notes and ending; the slicing-by-8 CRC the bitwise one; short-run
// string building what a typed-array view gives; and the shared-table LZF compressor the same
// output whatever ran before it.
import fc from 'fast-check';
import { binToBytes, bytesToBin, bytesToBinRange } from '../../../src/codec/bytes.ts';
import {
  crc64,
  lzfCompress,
  lzfDecompress,
  RdbEncodeError,
  RdbFileWriter,
  readRdb,
  writeRdb,
  type RdbEntry,
  type RdbKeyspace,
  type RdbReadOptions,
  type RdbWriteOptions,
} from '../../../src/codec/rdb/index.ts';
import { keyspaceArb, rdbFile, rdbStr } from './rdb-test-kit.ts';

const OPTIONS: RdbWriteOptions = { ctime: 1700000000, usedMem: 1234567 };

/** The keyspace written with RdbFileWriter, string keys through stringKey. */
function writeByKey(keyspace: RdbKeyspace, options: RdbWriteOptions): Uint8Array {
  const out = new RdbFileWriter(options);
  for (const db of [...keyspace.dbs].sort((a, b) => a.index - b.index)) {
    out.selectDb(db.index, db.entries.length, db.entries.filter((e) => e.expireAtMs !== undefined).length);
    for (const entry of db.entries) {
      if (entry.type === 'string') out.stringKey(entry.key, entry.value, entry.expireAtMs);
      else out.key(entry);
    }
  }
  return out.finish();
}


/** A file the writer made, and a copy with one byte after the header changed: what must hold for both. */
const fileAndDamagedCopy = fc
  .tuple(keyspaceArb(), fc.boolean(), fc.nat(), fc.integer({ min: 0, max: 255 }))
  .map(([keyspace, rdbcompression, at, byte]) => {
    const bytes = writeRdb(keyspace, { ...OPTIONS, rdbcompression });
    const damaged = bytes.slice();
    damaged[9 + (at % (bytes.length - 9))] = byte;
    return [bytes, damaged] as const;
  });
describe('RdbFileWriter', () => {
  it("writes writeRdb's bytes, with every option", () => {
    fc.assert(
      fc.property(keyspaceArb(), fc.boolean(), fc.boolean(), (keyspace, rdbcompression, rdbchecksum) => {
        const options = { ...OPTIONS, rdbcompression, rdbchecksum };
        expect(writeByKey(keyspace, options)).toEqual(writeRdb(keyspace, options));
      }),
      { seed: 11, numRuns: 150 },
    );
  });

  it('writes the same bytes whatever its size hint: none, too small, about right or far too large', () => {
    fc.assert(
      fc.property(keyspaceArb(), fc.boolean(), (keyspace, rdbcompression) => {
        const options = { ...OPTIONS, rdbcompression };
        const expected = writeRdb(keyspace, options);
        for (const sizeHint of [0, 10, expected.length, expected.length + 3, expected.length * 10]) {
          const bytes = writeByKey(keyspace, { ...options, sizeHint });
          expect(bytes).toEqual(expected);
          expect(bytes.length).toBe(expected.length);
        }
      }),
      { seed: 15, numRuns: 60 },
    );
  });

  it('writes a big file across chunks with the right checksum', () => {
    const entries = Array.from({ length: 50_000 }, (_, i) => ({ key: `key:${i}`, type: 'string' as const, value: `value:${i}`.repeat(1 + (i % 5)) }));
    const bytes = writeByKey({ dbs: [{ index: 0, entries }] }, OPTIONS);
    const file = readRdb(bytes);
    expect(file.checksum?.status).toBe('ok');
    expect(file.dbs[0]?.entries.map((e) => e.value)).toEqual(entries.map((e) => e.value));
  });

  it('refuses keys and databases out of order, and counts that do not match RESIZEDB', () => {
    const refuse = (body: (w: RdbFileWriter) => void, message: RegExp) => {
      const w = new RdbFileWriter(OPTIONS);
      expect(() => body(w)).toThrow(RdbEncodeError);
      expect(() => body(new RdbFileWriter(OPTIONS))).toThrow(message);
    };
    refuse((w) => w.stringKey('k', 'v'), /before any database/);
    refuse((w) => (w.selectDb(1, 0, 0), w.selectDb(1, 1, 0)), /ascending order/);
    refuse((w) => (w.selectDb(0, 1, 0), w.stringKey('a', '1'), w.stringKey('b', '2')), /more keys than declared in database 0/);
    refuse((w) => (w.selectDb(0, 2, 0), w.stringKey('a', '1'), w.finish()), /1 keys and 0 expiries declared but not written/);
    refuse((w) => (w.selectDb(0, 1, 0), w.stringKey('a', '1', 5000)), /more expiries than declared/);
    refuse((w) => (w.selectDb(0, 2, 1), w.stringKey('a', '1'), w.selectDb(1, 1, 0)), /declared but not written/);
    refuse((w) => w.selectDb(0, 1, 2), /1 keys with 2 expiries/);
    refuse((w) => (w.finish(), w.finish()), /already finished/);
  });

  it('writes nothing for a database declared empty, as Redis skips one', () => {
    const w = new RdbFileWriter(OPTIONS);
    w.selectDb(0, 0, 0);
    w.selectDb(2, 1, 0);
    w.stringKey('k', 'v');
    expect(w.finish()).toEqual(writeRdb({ dbs: [{ index: 2, entries: [{ key: 'k', type: 'string', value: 'v' }] }] }, OPTIONS));
  });
});

describe('readRdb without the byte map', () => {
  it('reads the same file, with no regions', () => {
    fc.assert(
      fc.property(keyspaceArb(), fc.boolean(), (keyspace, rdbcompression) => {
        const bytes = writeRdb(keyspace, { ...OPTIONS, rdbcompression });
        const full = readRdb(bytes);
        const lean = readRdb(bytes, { regions: false });
        expect(lean.regions).toEqual([]);
        expect({ ...lean, regions: full.regions }).toEqual(full);
      }),
      { seed: 12, numRuns: 150 },
    );
  });

  it('lists the AUX fields and the empty keys skipped, in file order, as loadNotes', () => {
    const bytes = rdbFile(10, [0xfa, rdbStr('redis-ver'), rdbStr('7.0.15'), 2, rdbStr('empty'), 0, 0xfe, 3, 0, rdbStr('k'), rdbStr('v'), 2, rdbStr('void'), 0, 0xfa, rdbStr('late'), rdbStr('x')]);
    for (const regions of [true, false]) {
      const file = readRdb(bytes, { regions });
      expect(file.loadNotes).toEqual([
        { kind: 'aux', key: 'redis-ver', value: '7.0.15' },
        { kind: 'empty-key', db: 0, key: 'empty' },
        { kind: 'empty-key', db: 3, key: 'void' },
        { kind: 'aux', key: 'late', value: 'x' },
      ]);
      expect(file.emptyKeysSkipped).toBe(2);
      expect(file.dbs.map((db) => [db.index, db.entries.map((e) => e.key)])).toEqual([[3, ['k']]]);
    }
  });

  it('hands each note to onNote as it is met, between the keys, up to a fault', () => {
    const body = [0xfa, rdbStr('redis-ver'), rdbStr('7.0.15'), 2, rdbStr('empty'), 0, 0xfe, 3, 0, rdbStr('k'), rdbStr('v'), 2, rdbStr('void'), 0, 0xfa, rdbStr('late'), rdbStr('x')];
    const events = (bytes: Uint8Array): string[] => {
      const seen: string[] = [];
      try {
        readRdb(bytes, { regions: false, onEntry: (db, e) => seen.push(`key ${db}:${e.key}`), onNote: (n) => seen.push(n.kind === 'aux' ? `aux ${n.key}` : `empty ${n.db}:${n.key}`) });
      } catch (e) {
        seen.push(`fault ${(e as Error).constructor.name}`);
      }
      return seen;
    };
    expect(events(rdbFile(10, body))).toEqual(['aux redis-ver', 'empty 0:empty', 'key 3:k', 'empty 3:void', 'aux late']);
    expect(events(rdbFile(10, [...body.slice(0, 14), 0x1f]))).toEqual(['aux redis-ver', 'empty 0:empty', 'key 3:k', 'empty 3:void', 'fault RdbDecodeError']);
  });

  it('returns duplicate keys in file order when asked not to check them, and refuses them by default', () => {
    const bytes = rdbFile(10, [0, rdbStr('k'), rdbStr('v'), 0, rdbStr('k'), rdbStr('w')]);
    expect(() => readRdb(bytes)).toThrow("RDB has duplicated key 'k' in DB 0");
    const file = readRdb(bytes, { checkDuplicateKeys: false, regions: false });
    expect(file.dbs[0]?.entries.map((e) => [e.key, e.value])).toEqual([
      ['k', 'v'],
      ['k', 'w'],
    ]);
  });

  it('hands each key to onEntry, in file order with its database, instead of the entries', () => {
    fc.assert(
      fc.property(keyspaceArb(), (keyspace) => {
        const bytes = writeRdb(keyspace, OPTIONS);
        const seen: [number, RdbEntry][] = [];
        const streamed = readRdb(bytes, { regions: false, onEntry: (db, entry) => seen.push([db, entry]) });
        expect(streamed.dbs.every((db) => db.entries.length === 0)).toBe(true);
        expect(seen).toEqual(readRdb(bytes).dbs.flatMap((db) => db.entries.map((e) => [db.index, e])));
      }),
      { seed: 13, numRuns: 100 },
    );
  });

  /** How a read of `bytes` ends: 'ok' or the error's message (which names the offset). */
  const outcome = (bytes: Uint8Array, options: RdbReadOptions): string => {
    try {
      readRdb(bytes, options);
      return 'ok';
    } catch (e) {
      return (e as Error).message;
    }
  };
  const LEAN = { regions: false, checkDuplicateKeys: false } as const;
  const SKIMMING = { ...LEAN, onStringSkipped: () => {} } as const;

  it('gives the same errors at the same offsets on cut-short files, skimming string keys or not', () => {
    const bytes = writeRdb({ dbs: [{ index: 0, entries: [{ key: 'key:1', type: 'string', value: 'x'.repeat(100) }, { key: 'n', type: 'string', value: '12' }] }] }, OPTIONS);
    for (let n = 0; n < bytes.length; n++) {
      const full = outcome(bytes.subarray(0, n), {});
      expect(outcome(bytes.subarray(0, n), LEAN)).toBe(full);
      expect(outcome(bytes.subarray(0, n), SKIMMING)).toBe(full);
    }
  });

  it('skimming string keys hands over the other keys, the notes and the ending a full read gives, even for damaged files', () => {
    fc.assert(
      fc.property(fileAndDamagedCopy, (files) => {
        for (const file of files) {
          const read = (skim: boolean) => {
            const seen: string[] = [];
            const options: RdbReadOptions = {
              ...LEAN,
              verifyChecksum: false,
              onEntry: (db, e) => seen.push(e.type === 'string' ? `string ${db}` : `${e.type} ${db}:${e.key}`),
              onNote: (n) => seen.push(`note ${JSON.stringify(n)}`),
              ...(skim ? { onStringSkipped: (db: number) => seen.push(`string ${db}`) } : {}),
            };
            seen.push(outcome(file, options));
            return seen;
          };
          expect(read(true)).toEqual(read(false));
        }
      }),
      { seed: 16, numRuns: 300 },
    );
  });

  it('onString hands over each string key as its parts, and the other keys, notes and ending a full read gives, even for damaged files', () => {
    fc.assert(
      fc.property(fileAndDamagedCopy, (files) => {
        for (const file of files) {
          const read = (parts: boolean) => {
            const seen: string[] = [];
            const string = (db: number, key: string, value: string, expireAtMs: number | undefined) => seen.push(JSON.stringify(['string', db, key, value, expireAtMs ?? null]));
            const options: RdbReadOptions = {
              ...LEAN,
              verifyChecksum: false,
              onEntry: (db, e) => (e.type === 'string' ? string(db, e.key, e.value, e.expireAtMs) : seen.push(`${e.type} ${db}:${e.key}`)),
              onNote: (n) => seen.push(`note ${JSON.stringify(n)}`),
              ...(parts ? { onString: string } : {}),
            };
            seen.push(outcome(file, options));
            return seen;
          };
          expect(read(true)).toEqual(read(false));
        }
      }),
      { seed: 17, numRuns: 300 },
    );
  });

  it('gives the same errors at the same offsets on cut-short files, string keys as parts or not', () => {
    const bytes = writeRdb({ dbs: [{ index: 0, entries: [{ key: 'key:1', type: 'string', value: 'x'.repeat(100), expireAtMs: 1_900_000_000_000 }, { key: 'n', type: 'string', value: '12' }] }] }, OPTIONS);
    for (let n = 0; n < bytes.length; n++) {
      expect(outcome(bytes.subarray(0, n), { ...LEAN, onString: () => {} })).toBe(outcome(bytes.subarray(0, n), {}));
    }
  });

  it('does not skim, nor hand string keys over as parts, when it builds the byte map or checks duplicate keys', () => {
    const bytes = rdbFile(10, [0, rdbStr('k'), rdbStr('v'), 0, rdbStr('k'), rdbStr('w')]);
    const skipped: number[] = [];
    expect(() => readRdb(bytes, { regions: false, onStringSkipped: (db) => skipped.push(db), onString: (db) => skipped.push(db) })).toThrow("RDB has duplicated key 'k' in DB 0");
    const mapped = readRdb(bytes, { checkDuplicateKeys: false, onStringSkipped: (db) => skipped.push(db), onString: (db) => skipped.push(db) });
    expect(mapped.regions.some((r) => r.kind === 'key')).toBe(true);
    expect(skipped).toEqual([]);
  });
});

describe('the primitives under the fast paths', () => {
  /** CRC-64/Jones one bit at a time, with BigInt: the definition, slowly. */
  function crc64Bitwise(bytes: Uint8Array): bigint {
    const poly = 0x95ac9329ac4bc9b5n;
    let crc = 0n;
    for (const byte of bytes) {
      crc ^= BigInt(byte);
      for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
    }
    return crc;
  }

  it('crc64 (eight bytes a step) matches the bitwise definition at any length and alignment', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.integer({ min: 0, max: 7 }), (data, skip) => {
        const view = data.subarray(Math.min(skip, data.length));
        expect(crc64(view)).toBe(crc64Bitwise(view));
      }),
      { seed: 14, numRuns: 300 },
    );
  });

  it('bytesToBinRange is the bin string of the range, short or long', () => {
    const data = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 131 + (i >> 8)) & 0xff);
    for (const [start, end] of [
      [0, 0],
      [5, 5],
      [3, 4],
      [10, 74],
      [10, 75],
      [0, 70_000],
      [17, 0x8000 + 40],
    ] as const) {
      const expected = Array.from(data.subarray(start, end), (b) => String.fromCharCode(b)).join('');
      expect(bytesToBinRange(data, start, end)).toBe(expected);
    }
    expect(bytesToBin(binToBytes('\x00\xff\x80abc'))).toBe('\x00\xff\x80abc');
  });

  it('lzfCompress gives the same output whatever it compressed before (its hash table is shared)', () => {
    const input = binToBytes('abcabcabcabd'.repeat(40) + 'xyz'.repeat(30));
    const first = lzfCompress(input, input.length);
    for (const other of ['abcabcabcabd'.repeat(90), 'q'.repeat(5000), 'xyzxyz'.repeat(700)]) lzfCompress(binToBytes(other), other.length);
    expect(lzfCompress(input, input.length)).toEqual(first);
    expect(lzfDecompress(first!, input.length)).toEqual(input);
  });
});
