// The annotated hex dumps of the reference (redis-persistence.md §2.10 and §2.11), both captured
// from a real redis-server 7.0.15, as test vectors: each decodes region by region as annotated,
// and the writer reproduces them byte for byte (§2.11's LZF payload included: the compressor
// makes liblzf's choices).
import { readRdb, writeRdb, type RdbFile, type RdbKeyspace } from '../../../src/codec/rdb/index.ts';
import { listingBytes } from './rdb-test-kit.ts';

// §2.10: `SET foo bar`, then BGSAVE (103 bytes).
const DUMP_1 = listingBytes([
  [0x00, "52 45 44 49 53 30 30 31 30"], //                                                magic REDIS0010
  [0x09, "fa 09 'redis-ver' 06 '7.0.15'"], //                                              AUX
  [0x1b, "fa 0a 'redis-bits' c0 40"], //                                                   AUX INT8 64
  [0x29, "fa 05 'ctime' c2 ef af 04 6b"], //                                               AUX INT32 1795469295
  [0x35, "fa 08 'used-mem' c2 28 77 0f 00"], //                                            AUX INT32 1013544
  [0x44, "fa 08 'aof-base' c0 00"], //                                                     AUX INT8 0
  [0x50, 'fe 00'], //                                                                      SELECTDB 0
  [0x52, 'fb 01 00'], //                                                                   RESIZEDB 1, 0
  [0x55, "00 03 'foo' 03 'bar'"], //                                                       STRING foo = bar
  [0x5e, 'ff'], //                                                                         EOF
  [0x5f, '92 97 81 c2 71 67 6a 6b'], //                                                    CRC64 LE
]);

// §2.11: every encoding 7.0 writes (270 bytes).
const DUMP_2 = listingBytes([
  [0x0000, '52 45 44 49 53 30 30 31 30'],
  [0x0009, "fa 09 'redis-ver' 06 '7.0.15'"],
  [0x001b, "fa 0a 'redis-bits' c0 40"],
  [0x0029, "fa 05 'ctime' c2 08 b0 04 6b"],
  [0x0035, "fa 08 'used-mem' c2 50 20 12 00"],
  [0x0044, "fa 08 'aof-base' c0 00"],
  [0x0050, 'fe 00'],
  [0x0052, 'fb 0b 01'],
  [0x0055, "00 03 'neg' c0 fb"], //                                                        STRING int8 -5
  [0x005c, "00 01 's' 05 'hello'"], //                                                     STRING raw
  [0x0065, "0b 02 'si' 14 |04000000 03000000 01000000 02000000 e0930400|"], //             SET_INTSET
  [0x007e, "00 03 'big' c3 09 40 64 |01 61 61 e0 57 00 01 61 61|"], //                     STRING LZF 9 -> 100
  [0x0090, "02 02 'ss' 02 01 'x' 01 'y'"], //                                              SET
  [0x0099, "10 01 'h' 13 |13000000 0400 81'f'02 81'v'02 82'f2'03 2a01 ff|"], //            HASH_LISTPACK
  [0x00b0, "00 04 'lead' 03 '007'"], //                                                    STRING raw
  [0x00ba, "00 01 'n' c1 39 30"], //                                                       STRING int16
  [0x00c0, "11 01 'z' 14 |14000000 0400 81'a'02 0101 81'b'02 83'2.5'04 ff|"], //           ZSET_LISTPACK
  [0x00d8, 'fc 46 80 45 10 a2 01 00 00'], //                                               EXPIRETIME_MS
  [0x00e1, "00 01 'e' 01 'v'"], //                                                         STRING
  [0x00e6, "12 01 'l' 01 02 0f |0f000000 0300 81'a'02 81'b'02 0301 ff|"], //               LIST_QUICKLIST_2
  [0x00fb, 'fe 01'], //                                                                    SELECTDB 1
  [0x00fd, 'fb 01 00'], //                                                                 RESIZEDB 1, 0
  [0x0100, "00 01 'x' 01 'y'"], //                                                         STRING
  [0x0105, 'ff'], //                                                                       EOF
  [0x0106, '43 8c 96 f0 2c 74 de cf'], //                                                  CRC64 LE
]);

const regionsOf = (file: RdbFile) => file.regions.map((r) => [r.offset, r.length, r.kind, r.name, r.detail] as const);

describe('§2.10 annotated hex dump #1 (SET foo bar)', () => {
  it('is 103 bytes', () => expect(DUMP_1.length).toBe(103));

  it('decodes region by region as annotated', () => {
    const file = readRdb(DUMP_1);
    expect(regionsOf(file)).toEqual([
      [0x00, 9, 'magic', 'REDIS', { version: 10 }],
      [0x09, 18, 'aux', 'RDB_OPCODE_AUX', { key: 'redis-ver', value: '7.0.15' }],
      [0x1b, 14, 'aux', 'RDB_OPCODE_AUX', { key: 'redis-bits', value: '64' }],
      [0x29, 12, 'aux', 'RDB_OPCODE_AUX', { key: 'ctime', value: '1795469295' }],
      [0x35, 15, 'aux', 'RDB_OPCODE_AUX', { key: 'used-mem', value: '1013544' }],
      [0x44, 12, 'aux', 'RDB_OPCODE_AUX', { key: 'aof-base', value: '0' }],
      [0x50, 2, 'selectdb', 'RDB_OPCODE_SELECTDB', { db: 0 }],
      [0x52, 3, 'resizedb', 'RDB_OPCODE_RESIZEDB', { dbSize: 1, expiresSize: 0 }],
      [0x55, 1, 'type', 'RDB_TYPE_STRING', { type: 0 }],
      [0x56, 4, 'key', 'RDB_TYPE_STRING', { key: 'foo', encoding: 'raw' }],
      [0x5a, 4, 'value', 'RDB_TYPE_STRING', { encoding: 'raw', length: 3 }],
      [0x5e, 1, 'eof', 'RDB_OPCODE_EOF', {}],
      [0x5f, 8, 'checksum', 'CRC64', { stored: '6b6a6771c2819792', computed: '6b6a6771c2819792', status: 'ok' }],
    ]);
    expect(file.version).toBe(10);
    expect(file.checksum).toEqual({ stored: 0x6b6a6771c2819792n, computed: 0x6b6a6771c2819792n, status: 'ok' });
    expect(file.dbs).toEqual([{ index: 0, resizeHint: { dbSize: 1, expiresSize: 0 }, entries: [{ key: 'foo', type: 'string', value: 'bar', rdbType: 0, encoding: 'RDB_TYPE_STRING' }] }]);
  });

  it('is what the writer writes for the same keyspace, byte for byte', () => {
    const keyspace: RdbKeyspace = { dbs: [{ index: 0, entries: [{ key: 'foo', type: 'string', value: 'bar' }] }] };
    expect(writeRdb(keyspace, { ctime: 1795469295, usedMem: 1013544 })).toEqual(DUMP_1);
  });
});

describe('§2.11 annotated hex dump #2 (all the 7.0 encodings)', () => {
  it('is 270 bytes and its CRC-64 verifies', () => {
    expect(DUMP_2.length).toBe(270);
    expect(readRdb(DUMP_2).checksum?.stored).toBe(0xcfde742cf0968c43n);
  });

  it('decodes every key with the encoding the annotation names', () => {
    const file = readRdb(DUMP_2);
    const keys = file.dbs.flatMap((db) => db.entries.map((e) => [db.index, e.key, e.encoding, e.value, e.expireAtMs] as const));
    expect(keys).toEqual([
      [0, 'neg', 'RDB_TYPE_STRING', '-5', undefined],
      [0, 's', 'RDB_TYPE_STRING', 'hello', undefined],
      [0, 'si', 'RDB_TYPE_SET_INTSET', ['1', '2', '300000'], undefined],
      [0, 'big', 'RDB_TYPE_STRING', 'a'.repeat(100), undefined],
      [0, 'ss', 'RDB_TYPE_SET', ['x', 'y'], undefined],
      [0, 'h', 'RDB_TYPE_HASH_LISTPACK', [['f', 'v'], ['f2', '42']], undefined],
      [0, 'lead', 'RDB_TYPE_STRING', '007', undefined],
      [0, 'n', 'RDB_TYPE_STRING', '12345', undefined],
      [0, 'z', 'RDB_TYPE_ZSET_LISTPACK', [['a', 1], ['b', 2.5]], undefined],
      [0, 'e', 'RDB_TYPE_STRING', 'v', 1795569320006],
      [0, 'l', 'RDB_TYPE_LIST_QUICKLIST_2', ['a', 'b', '3'], undefined],
      [1, 'x', 'RDB_TYPE_STRING', 'y', undefined],
    ]);
    expect(file.dbs.map((db) => db.resizeHint)).toEqual([{ dbSize: 11, expiresSize: 1 }, { dbSize: 1, expiresSize: 0 }]);
  });

  it('annotates each record at the offset of the listing', () => {
    const starts = (kind: string) => readRdb(DUMP_2).regions.filter((r) => r.kind === kind).map((r) => r.offset);
    expect(starts('type')).toEqual([0x55, 0x5c, 0x65, 0x7e, 0x90, 0x99, 0xb0, 0xba, 0xc0, 0xe1, 0xe6, 0x100]);
    expect(starts('expiry')).toEqual([0xd8]);
    expect(starts('selectdb')).toEqual([0x50, 0xfb]);
    expect(starts('eof')).toEqual([0x105]);
    expect(starts('checksum')).toEqual([0x106]);
    const values = readRdb(DUMP_2).regions.filter((r) => r.kind === 'value');
    expect(values.map((r) => r.detail.encoding ?? r.detail.elements)).toEqual([
      'RDB_ENC_INT8', 'raw', 3, 'RDB_ENC_LZF', 2, 2, 'raw', 'RDB_ENC_INT16', 2, 'raw', 3, 'raw',
    ]);
  });

  it('is what the writer writes for the same keyspace, byte for byte, the LZF bytes of "big" included', () => {
    const read = readRdb(DUMP_2);
    const written = writeRdb(read, { ctime: 1795469320, usedMem: 1187920 });
    expect(written).toEqual(DUMP_2);
  });
});
