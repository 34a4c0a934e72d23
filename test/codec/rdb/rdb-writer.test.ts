// The writer: what it writes reads back as the same keyspace (fast-check, seeded), with the
// encodings Redis 7.0's defaults give each value, and it refuses keyspaces Redis could not hold.
import fc from 'fast-check';
import { bytesToBin } from '../../../src/codec/bytes.ts';
import {
  RdbEncodeError,
  readRdb,
  writeRdb,
  type RdbFile,
  type RdbKeyData,
  type RdbWriteOptions,
} from '../../../src/codec/rdb/index.ts';
import { canonical, keyspaceArb } from './rdb-test-kit.ts';

const OPTIONS: RdbWriteOptions = { ctime: 1795469295, usedMem: 1013544 };

const one = (entry: RdbKeyData, options: Partial<RdbWriteOptions> = {}): RdbFile =>
  readRdb(writeRdb({ dbs: [{ index: 0, entries: [entry] }] }, { ...OPTIONS, ...options }));
const encodingOf = (entry: RdbKeyData) => one(entry).dbs[0]!.entries[0]!.encoding;
const range = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));

describe('round trip (fast-check, seeded)', () => {
  it.each<[string, Partial<RdbWriteOptions>]>([
    ['defaults', {}],
    ['rdbcompression no', { rdbcompression: false }],
    ['rdbchecksum no', { rdbchecksum: false }],
    ['both off, aof-base', { rdbcompression: false, rdbchecksum: false, aofBase: true }],
  ])('write → read gives the same keyspace (%s)', (_, options) => {
    fc.assert(
      fc.property(keyspaceArb(), (keyspace) => {
        const bytes = writeRdb(keyspace, { ...OPTIONS, ...options });
        const file = readRdb(bytes);
        expect(canonical(file)).toEqual(canonical(keyspace));
        // The regions tile the file.
        let at = 0;
        for (const r of file.regions) {
          expect(r.offset).toBe(at);
          at += r.length;
        }
        expect(at).toBe(bytes.length);
        expect(file.checksum?.status).toBe(options.rdbchecksum === false ? 'disabled' : 'ok');
      }),
      { seed: 20261123, numRuns: 150 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(keyspaceArb(), (keyspace) => {
        expect(writeRdb(keyspace, OPTIONS)).toEqual(writeRdb(keyspace, OPTIONS));
      }),
      { seed: 5, numRuns: 50 },
    );
  });
});

describe('the file layout', () => {
  it("writes 7.0.15's AUX fields in 7.0's order", () => {
    const file = readRdb(writeRdb({ dbs: [] }, { ctime: 1795469295, usedMem: 3_000_000_000, aofBase: true }));
    expect(file.aux).toEqual([
      { key: 'redis-ver', value: '7.0.15' },
      { key: 'redis-bits', value: '64' },
      { key: 'ctime', value: '1795469295' },
      { key: 'used-mem', value: '3000000000' },
      { key: 'aof-base', value: '1' },
    ]);
    expect(file.version).toBe(10);
  });

  it('an empty dataset is magic + AUX + EOF + CRC: 89 bytes, as 7.0.15 writes it', () => {
    expect(writeRdb({ dbs: [{ index: 3, entries: [] }] }, { ctime: 1795469295, usedMem: 1013544 })).toHaveLength(89);
  });

  it('writes non-empty databases in index order, each with SELECTDB and RESIZEDB', () => {
    const file = readRdb(
      writeRdb(
        {
          dbs: [
            { index: 5, entries: [{ key: 'b', type: 'string', value: '1', expireAtMs: 4102444800000 }, { key: 'c', type: 'string', value: '2' }] },
            { index: 1, entries: [] },
            { index: 0, entries: [{ key: 'a', type: 'string', value: '0' }] },
          ],
        },
        OPTIONS,
      ),
    );
    expect(file.dbs.map((db) => [db.index, db.resizeHint])).toEqual([
      [0, { dbSize: 1, expiresSize: 0 }],
      [5, { dbSize: 2, expiresSize: 1 }],
    ]);
    expect(file.regions.filter((r) => r.kind !== 'aux').map((r) => r.kind)).toEqual(
      ['magic', 'selectdb', 'resizedb', 'type', 'key', 'value', 'selectdb', 'resizedb', 'expiry', 'type', 'key', 'value', 'type', 'key', 'value', 'eof', 'checksum'],
    );
  });

  it('writes 8 zero bytes for the checksum with rdbchecksum off', () => {
    const bytes = writeRdb({ dbs: [] }, { ...OPTIONS, rdbchecksum: false });
    expect([...bytes.subarray(-8)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('encodings, as Redis 7.0 chooses them', () => {
  const stringEncoding = (value: string, options: Partial<RdbWriteOptions> = {}) =>
    one({ key: 'k', type: 'string', value }, options).regions.find((r) => r.kind === 'value')!.detail.encoding;

  it.each([
    ['0', 'RDB_ENC_INT8'],
    ['-128', 'RDB_ENC_INT8'],
    ['128', 'RDB_ENC_INT16'],
    ['-32768', 'RDB_ENC_INT16'],
    ['32768', 'RDB_ENC_INT32'],
    ['2147483647', 'RDB_ENC_INT32'],
    ['-2147483648', 'RDB_ENC_INT32'],
    ['2147483648', 'raw'],
    ['1234567890123', 'raw'],
    ['007', 'raw'],
    ['-0', 'raw'],
    ['+1', 'raw'],
    ['3.14', 'raw'],
    ['a'.repeat(20), 'raw'],
    ['a'.repeat(21), 'RDB_ENC_LZF'],
    ['abcdefghijklmnopqrstuvwxyz', 'raw'],
  ])('string %j → %s', (value, encoding) => {
    expect(stringEncoding(value)).toBe(encoding);
  });

  it('no LZF with rdbcompression off', () => {
    expect(stringEncoding('a'.repeat(100), { rdbcompression: false })).toBe('raw');
  });

  it('keys are encoded like values', () => {
    const file = one({ key: '123', type: 'string', value: 'v' });
    expect(file.regions.find((r) => r.kind === 'key')!.detail).toEqual({ key: '123', encoding: 'RDB_ENC_INT8' });
  });

  it('sets: INTSET for up to 512 integers, else SET', () => {
    expect(encodingOf({ key: 's', type: 'set', value: range(512, String) })).toBe('RDB_TYPE_SET_INTSET');
    expect(encodingOf({ key: 's', type: 'set', value: ['-9223372036854775808', '9223372036854775807'] })).toBe('RDB_TYPE_SET_INTSET');
    expect(encodingOf({ key: 's', type: 'set', value: range(513, String) })).toBe('RDB_TYPE_SET');
    expect(encodingOf({ key: 's', type: 'set', value: ['1', 'a'] })).toBe('RDB_TYPE_SET');
    expect(encodingOf({ key: 's', type: 'set', value: ['1', '007'] })).toBe('RDB_TYPE_SET');
    expect(encodingOf({ key: 's', type: 'set', value: ['9223372036854775808'] })).toBe('RDB_TYPE_SET');
  });

  it('hashes: LISTPACK up to 512 fields of at most 64 bytes, else HASH', () => {
    const pairs = (n: number) => range(n, (i) => `f${i}`).map((f) => [f, 'v'] as const);
    expect(encodingOf({ key: 'h', type: 'hash', value: pairs(512) })).toBe('RDB_TYPE_HASH_LISTPACK');
    expect(encodingOf({ key: 'h', type: 'hash', value: pairs(513) })).toBe('RDB_TYPE_HASH');
    expect(encodingOf({ key: 'h', type: 'hash', value: [['f', 'x'.repeat(64)]] })).toBe('RDB_TYPE_HASH_LISTPACK');
    expect(encodingOf({ key: 'h', type: 'hash', value: [['f', 'x'.repeat(65)]] })).toBe('RDB_TYPE_HASH');
    expect(encodingOf({ key: 'h', type: 'hash', value: [['x'.repeat(65), 'v']] })).toBe('RDB_TYPE_HASH');
  });

  it('sorted sets: LISTPACK up to 128 members of at most 64 bytes, else ZSET_2 from the highest score down', () => {
    const members = (n: number) => range(n, (i) => `m${i}`).map((m, i) => [m, i] as const);
    expect(encodingOf({ key: 'z', type: 'zset', value: members(128) })).toBe('RDB_TYPE_ZSET_LISTPACK');
    expect(encodingOf({ key: 'z', type: 'zset', value: members(129) })).toBe('RDB_TYPE_ZSET_2');
    expect(encodingOf({ key: 'z', type: 'zset', value: [['x'.repeat(64), 1]] })).toBe('RDB_TYPE_ZSET_LISTPACK');
    expect(encodingOf({ key: 'z', type: 'zset', value: [['x'.repeat(65), 1]] })).toBe('RDB_TYPE_ZSET_2');
    const bytes = writeRdb({ dbs: [{ index: 0, entries: [{ key: 'z', type: 'zset', value: members(200) }] }] }, { ...OPTIONS, rdbcompression: false });
    const text = bytesToBin(bytes);
    expect(text.indexOf('\x04m199')).toBeLessThan(text.indexOf('\x04m198'));
    expect(text.indexOf('\x04m100')).toBeLessThan(text.indexOf('\x03m99'));
  });

  it('sorted-set listpack scores are Redis text: integers in full, others %.17g, inf', () => {
    const file = one({ key: 'z', type: 'zset', value: [['a', 0.1], ['b', 3], ['c', Infinity], ['d', -0], ['e', 1e300]] });
    expect(file.dbs[0]!.entries[0]!.value).toEqual([['d', -0], ['a', 0.1], ['b', 3], ['e', 1e300], ['c', Infinity]]);
  });

  it('lists: QUICKLIST_2 with 8 KiB PACKED listpack nodes, split where Redis splits them', () => {
    // rdb-types.rdb's list:big, as real Redis wrote it: 2000 × "element-NNNNN" in nodes of 545, 545, 545, 365.
    const elements = range(2000, (i) => `element-${String(i).padStart(5, '0')}`);
    const file = one({ key: 'l', type: 'list', value: elements });
    expect(file.dbs[0]!.entries[0]!.encoding).toBe('RDB_TYPE_LIST_QUICKLIST_2');
    expect(file.regions.find((r) => r.kind === 'value')!.detail).toEqual({ nodes: 4, lzfBlobs: 4, elements: 2000 });
    expect(file.dbs[0]!.entries[0]!.value).toEqual(elements);
    // An element larger than a node gets a node of its own.
    const big = one({ key: 'l', type: 'list', value: ['a', 'x'.repeat(10000), 'b'] });
    expect(big.regions.find((r) => r.kind === 'value')!.detail.nodes).toBe(3);
  });
});

describe('refusals', () => {
  it.each([
    ['an empty list', { key: 'k', type: 'list', value: [] }, 'key "k": an empty list (Redis deletes a list with its last element)'],
    ['an empty set', { key: 'k', type: 'set', value: [] }, 'key "k": an empty set'],
    ['an empty hash', { key: 'k', type: 'hash', value: [] }, 'key "k": an empty hash'],
    ['an empty zset', { key: 'k', type: 'zset', value: [] }, 'key "k": an empty sorted set'],
    ['a duplicate member', { key: 'k', type: 'set', value: ['a', 'a'] }, 'key "k": duplicate set member'],
    ['a duplicate field', { key: 'k', type: 'hash', value: [['f', '1'], ['f', '2']] }, 'key "k": duplicate hash field'],
    ['a NaN score', { key: 'k', type: 'zset', value: [['m', NaN]] }, 'key "k": a NaN score'],
    ['a fractional expiry', { key: 'k', type: 'string', value: 'v', expireAtMs: 1.5 }, 'expiry of key "k" must be an integer, got 1.5'],
  ] as [string, RdbKeyData, string][])('%s', (_, entry, message) => {
    expect(() => writeRdb({ dbs: [{ index: 0, entries: [entry] }] }, OPTIONS)).toThrow(new RdbEncodeError(message));
  });

  it('duplicate keys and databases, and a clock that is not an integer', () => {
    const k: RdbKeyData = { key: 'k', type: 'string', value: 'v' };
    expect(() => writeRdb({ dbs: [{ index: 0, entries: [k, k] }] }, OPTIONS)).toThrow('duplicate key in database 0');
    expect(() => writeRdb({ dbs: [{ index: 0, entries: [k] }, { index: 0, entries: [] }] }, OPTIONS)).toThrow('database 0 is listed twice');
    expect(() => writeRdb({ dbs: [] }, { ctime: 1.5, usedMem: 0 })).toThrow('ctime must be an integer, got 1.5');
  });
});
