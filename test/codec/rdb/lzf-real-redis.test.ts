// The LZF compressor against the liblzf bundled with Redis 7.0: lzf-corpus.rdb was saved by a real
// redis-server 7.0.15 holding the corpus of lzf-corpus.ts (the fixtures README says how). For
// every string the server stored compressed, the lab writes the very same bytes; for every string
// over 20 bytes it stored raw, the lab gives up too; and the writer reproduces the whole file.
import { readFileSync } from 'node:fs';
import { binToBytes, binToHex, bytesToBin } from '../../../src/codec/bytes.ts';
import { lzfCompress, lzfDecompress, readRdb, writeRdb } from '../../../src/codec/rdb/index.ts';
import { lzfCorpus } from './lzf-corpus.ts';
import { canonical } from './rdb-test-kit.ts';

const bytes = new Uint8Array(readFileSync(new URL('../../fixtures/real-redis-7.0/lzf-corpus.rdb', import.meta.url)));
const file = readRdb(bytes);

/** An RDB length at `at`: 00|6 bits, 01|14 bits, 0x80 + 32 bits; its value and where it ends. */
function lengthAt(at: number): [number, number] {
  const b = bytes[at] as number;
  if (b >> 6 === 0) return [b, at + 1];
  if (b >> 6 === 1) return [((b & 0x3f) << 8) | (bytes[at + 1] as number), at + 2];
  if (b === 0x80) return [new DataView(bytes.buffer, bytes.byteOffset + at + 1, 4).getUint32(0), at + 5];
  throw new Error(`unexpected length byte 0x${b.toString(16)} at ${at}`);
}

interface StoredString {
  readonly key: string;
  readonly value: string;
  /** The LZF data exactly as Redis wrote it, or null for a raw string. */
  readonly lzf: string | null;
}

/** Every string value of the file (db 0), with its LZF data cut from the file's bytes. */
const strings: StoredString[] = file.regions.flatMap((region, i): StoredString[] => {
  const key = file.regions[i + 1];
  const value = file.regions[i + 2];
  if (region.kind !== 'type' || region.name !== 'RDB_TYPE_STRING' || key?.kind !== 'key' || value?.kind !== 'value') return [];
  const name = String(key.detail.key);
  const entry = file.dbs[0]!.entries.find((e) => e.key === name)!;
  if (entry.type !== 'string') throw new Error(`${name} is no string`);
  if (value.detail.encoding !== 'RDB_ENC_LZF') return [{ key: name, value: entry.value, lzf: null }];
  expect(bytes[value.offset]).toBe(0xc3);
  const [compressedLength, at] = lengthAt(value.offset + 1);
  const [, dataAt] = lengthAt(at);
  return [{ key: name, value: entry.value, lzf: bytesToBin(bytes.subarray(dataAt, dataAt + compressedLength)) }];
});
const compressed = strings.filter((s) => s.lzf !== null);
const rawOver20 = strings.filter((s) => s.lzf === null && s.value.length > 20);

/** What Redis's rdbSaveLzfStringObject asks liblzf for: at most length − 4 bytes. */
const labLzf = (value: string) => {
  const out = lzfCompress(binToBytes(value), value.length - 4);
  return out === null ? null : bytesToBin(out);
};

describe('lzf-corpus.rdb (real Redis 7.0.15)', () => {
  it('holds the corpus, and its checksum is right', () => {
    expect(canonical(file)).toEqual(canonical(lzfCorpus()));
    expect(file.checksum?.status).toBe('ok');
  });

  it('has both outcomes in number: strings Redis compressed and long strings it kept raw', () => {
    expect(compressed.length).toBeGreaterThan(200);
    expect(rawOver20.length).toBeGreaterThan(50);
    expect(strings.filter((s) => s.value.length <= 20).every((s) => s.lzf === null)).toBe(true);
  });
});

describe('lzfCompress against the bytes Redis wrote', () => {
  it('writes the same LZF data for every string Redis compressed', () => {
    const differing = compressed.filter((s) => labLzf(s.value) !== s.lzf);
    expect(differing.map((s) => [s.key, binToHex(labLzf(s.value) ?? ''), binToHex(s.lzf!)])).toEqual([]);
    for (const s of compressed) expect(lzfDecompress(binToBytes(s.lzf!), s.value.length)).toEqual(binToBytes(s.value));
  });

  it('gives up on every string over 20 bytes that Redis stored raw', () => {
    expect(rawOver20.filter((s) => labLzf(s.value) !== null).map((s) => s.key)).toEqual([]);
  });

  it("gives up where liblzf's room checks do, even when the whole output would have fitted", () => {
    // With room to spare the same stream comes out, and it is no longer than length − 4: only the
    // checks liblzf makes on the way refused it, and the lab makes the same ones.
    const fitAnyway = rawOver20.filter((s) => {
      const free = lzfCompress(binToBytes(s.value), s.value.length + 64);
      return free !== null && free.length <= s.value.length - 4;
    });
    expect(fitAnyway.length).toBeGreaterThan(0);
  });
});

describe('the RDB writer on the same keyspace', () => {
  it('writes the file Redis wrote, byte for byte (strings and LZF-compressed blobs alike)', () => {
    const aux = Object.fromEntries(file.aux.map((a) => [a.key, a.value]));
    const written = writeRdb(file, { ctime: Number(aux.ctime), usedMem: Number(aux['used-mem']) });
    expect(file.regions.filter((r) => r.detail.lzfBlobs !== undefined).length).toBeGreaterThan(0);
    expect(binToHex(bytesToBin(written))).toBe(binToHex(bytesToBin(bytes)));
  });
});
