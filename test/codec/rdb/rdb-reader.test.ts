// The reader on hand-made files: every type and opcode Redis 2.x–7.4 can write, and every way it
// refuses a file (with the offset and Redis's own wording where Redis has one).
import { readFileSync } from 'node:fs';
import {
  RdbChecksumError,
  RdbDecodeError,
  RdbUnsupportedError,
  listpackEncode,
  readRdb,
  type RdbFile,
} from '../../../src/codec/rdb/index.ts';
import { hexBytes, rdbBlob, rdbFile, rdbStr } from './rdb-test-kit.ts';

const hex = (spec: string) => Uint8Array.from(hexBytes(spec));
const entries = (file: RdbFile) => file.dbs.flatMap((db) => db.entries.map((e) => ({ db: db.index, ...e })));
const only = (file: RdbFile) => {
  const all = entries(file);
  expect(all).toHaveLength(1);
  return all[0]!;
};
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/real-redis-7.0/${name}`, import.meta.url)));

/** Expects readRdb to throw an RdbDecodeError with this offset and reason. */
function refuses(bytes: Uint8Array, offset: number, reason: string | RegExp, type: abstract new (...args: never[]) => RdbDecodeError = RdbDecodeError): void {
  let error: unknown;
  try {
    readRdb(bytes);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(type);
  const e = error as RdbDecodeError;
  if (typeof reason === 'string') expect(e.reason).toBe(reason);
  else expect(e.reason).toMatch(reason);
  expect(e.offset).toBe(offset);
  expect(e.message).toBe(`offset 0x${offset.toString(16)} (${offset}): ${e.reason}`);
}

describe('value types', () => {
  it('0 STRING, with INT8/16/32 and LZF string encodings', () => {
    const file = readRdb(
      rdbFile(10, [
        0, rdbStr('a'), 0xc0, 0x85, //                          INT8 -123
        0, rdbStr('b'), 0xc1, 0x39, 0x30, //                    INT16 12345
        0, rdbStr('c'), 0xc2, 0x00, 0x00, 0x00, 0x80, //        INT32 -2147483648
        0, rdbStr('d'), hex('c3 09 40 64 01 61 61 e0 57 00 01 61 61'), // LZF 100 × a
        0, 0xc0, 0x07, rdbStr('int key'), //                    a key can be int-encoded too
      ]),
    );
    expect(entries(file).map((e) => [e.key, e.value])).toEqual([
      ['a', '-123'],
      ['b', '12345'],
      ['c', '-2147483648'],
      ['d', 'a'.repeat(100)],
      ['7', 'int key'],
    ]);
  });

  it('1 LIST (≤ 3.0)', () => {
    const e = only(readRdb(rdbFile(6, [1, rdbStr('l'), 3, rdbStr('a'), rdbStr('b'), 0xc0, 3])));
    expect(e).toMatchObject({ key: 'l', type: 'list', value: ['a', 'b', '3'], encoding: 'RDB_TYPE_LIST', rdbType: 1 });
  });

  it('2 SET', () => {
    expect(only(readRdb(rdbFile(10, [2, rdbStr('s'), 2, rdbStr('x'), rdbStr('y')])))).toMatchObject({ type: 'set', value: ['x', 'y'] });
  });

  it('3 ZSET: scores as text, 254/255 for ±inf, in rank order', () => {
    const e = only(readRdb(rdbFile(7, [3, rdbStr('z'), 3, rdbStr('m2'), 0xfe, rdbStr('m1'), rdbStr('1.5'), rdbStr('m0'), 0xff])));
    expect(e).toMatchObject({ type: 'zset', value: [['m0', -Infinity], ['m1', 1.5], ['m2', Infinity]] });
  });

  it('4 HASH', () => {
    expect(only(readRdb(rdbFile(10, [4, rdbStr('h'), 1, rdbStr('f'), rdbStr('v')])))).toMatchObject({ type: 'hash', value: [['f', 'v']] });
  });

  it('5 ZSET_2: binary doubles', () => {
    const e = only(readRdb(rdbFile(10, [5, rdbStr('z'), 2, rdbStr('b'), hex('000000000000f03f'), rdbStr('a'), hex('000000000000f03f')])));
    expect(e.value).toEqual([['a', 1], ['b', 1]]);
  });

  it('9 HASH_ZIPMAP (≤ 2.4)', () => {
    const zipmap = hexBytes("02 03'foo' 03 00 'bar' 05 'hello' 05 00 'world' ff");
    const e = only(readRdb(rdbFile(4, [9, rdbStr('zm'), rdbBlob(zipmap)])));
    expect(e).toMatchObject({ type: 'hash', value: [['foo', 'bar'], ['hello', 'world']], encoding: 'RDB_TYPE_HASH_ZIPMAP' });
  });

  it('10 LIST_ZIPLIST, 12 ZSET_ZIPLIST, 13 HASH_ZIPLIST, 14 LIST_QUICKLIST', () => {
    const zl25 = hexBytes('0f000000 0c000000 0200 00f3 02f6 ff'); // [2, 5]
    const zlPair = hexBytes("10000000 0d000000 0200 00 01'm' 03 f3 ff"); // ['m', '2']
    const file = readRdb(
      rdbFile(9, [10, rdbStr('l'), rdbBlob(zl25), 12, rdbStr('z'), rdbBlob(zlPair), 13, rdbStr('h'), rdbBlob(zlPair), 14, rdbStr('q'), 2, rdbBlob(zl25), rdbBlob(zl25)]),
    );
    expect(entries(file).map((e) => [e.key, e.type, e.value])).toEqual([
      ['l', 'list', ['2', '5']],
      ['z', 'zset', [['m', 2]]],
      ['h', 'hash', [['m', '2']]],
      ['q', 'list', ['2', '5', '2', '5']],
    ]);
  });

  it('11 SET_INTSET, 16 HASH_LISTPACK, 17 ZSET_LISTPACK, 20 SET_LISTPACK (7.2)', () => {
    const file = readRdb(
      rdbFile(11, [
        11, rdbStr('i'), rdbBlob(hexBytes('02000000 02000000 fbff 0700')),
        16, rdbStr('h'), rdbBlob(listpackEncode(['f', '1'])),
        17, rdbStr('z'), rdbBlob(listpackEncode(['b', '2.5', 'a', 'inf'])),
        20, rdbStr('s'), rdbBlob(listpackEncode(['x', '7'])),
      ]),
    );
    expect(entries(file).map((e) => [e.key, e.encoding, e.value])).toEqual([
      ['i', 'RDB_TYPE_SET_INTSET', ['-5', '7']],
      ['h', 'RDB_TYPE_HASH_LISTPACK', [['f', '1']]],
      ['z', 'RDB_TYPE_ZSET_LISTPACK', [['b', 2.5], ['a', Infinity]]],
      ['s', 'RDB_TYPE_SET_LISTPACK', ['x', '7']],
    ]);
  });

  it('18 LIST_QUICKLIST_2 with PLAIN and PACKED nodes', () => {
    const e = only(readRdb(rdbFile(10, [18, rdbStr('l'), 3, 2, rdbBlob(listpackEncode(['a', 'b'])), 1, rdbStr('big'), 2, rdbBlob(listpackEncode(['c']))])));
    expect(e.value).toEqual(['a', 'b', 'big', 'c']);
  });

  it('skips empty aggregates and counts them, as Redis does', () => {
    const file = readRdb(rdbFile(10, [2, rdbStr('empty'), 0, 18, rdbStr('l'), 1, 2, rdbBlob(listpackEncode([])), 0, rdbStr('k'), rdbStr('v')]));
    expect(entries(file).map((e) => e.key)).toEqual(['k']);
    expect(file.emptyKeysSkipped).toBe(2);
  });
});

describe('opcodes', () => {
  it('EXPIRETIME (seconds) and EXPIRETIME_MS qualify the next key only', () => {
    const file = readRdb(
      rdbFile(10, [0xfd, hex('00943577'), 0, rdbStr('sec'), rdbStr('v'), 0xfc, hex('00d8c32cbb030000'), 0, rdbStr('ms'), rdbStr('v'), 0, rdbStr('none'), rdbStr('v')]),
    );
    expect(entries(file).map((e) => [e.key, e.expireAtMs])).toEqual([
      ['sec', 2000000000000],
      ['ms', 4102444800000],
      ['none', undefined],
    ]);
  });

  it('IDLE, FREQ, SELECTDB, RESIZEDB and 7.4\'s SLOT_INFO', () => {
    const file = readRdb(rdbFile(12, [0xf4, 5, 1, 0, 0xfe, 3, 0xfb, 1, 0, 0xf8, 0x40, 0x80, 0, rdbStr('a'), rdbStr('1'), 0xf9, 7, 0, rdbStr('b'), rdbStr('2')]));
    expect(entries(file)).toMatchObject([
      { db: 3, key: 'a', lruIdleSeconds: 128 },
      { db: 3, key: 'b', lfuFrequency: 7 },
    ]);
    expect(file.dbs[0]?.resizeHint).toEqual({ dbSize: 1, expiresSize: 0 });
    expect(file.regions.map((r) => r.kind)).toEqual(['magic', 'slot-info', 'selectdb', 'resizedb', 'idle', 'type', 'key', 'value', 'freq', 'type', 'key', 'value', 'eof', 'checksum']);
  });

  it('reads 32- and 64-bit lengths', () => {
    const file = readRdb(rdbFile(10, [0xfe, 0x80, hex('00000002'), 0xfb, 0x81, hex('0000000000000001'), 0, 0, rdbStr('k'), rdbStr('v')]));
    expect(file.dbs[0]).toMatchObject({ index: 2, resizeHint: { dbSize: 1, expiresSize: 0 } });
  });

  it('files before version 5 have no checksum', () => {
    const file = readRdb(rdbFile(3, [0, rdbStr('k'), rdbStr('v')]));
    expect(file.checksum).toBeNull();
    expect(file.regions.at(-1)?.kind).toBe('eof');
  });

  it('a zero checksum means "not computed"', () => {
    const bytes = rdbFile(10, [0, rdbStr('k'), rdbStr('v')]);
    bytes.fill(0, bytes.length - 8);
    expect(readRdb(bytes).checksum).toMatchObject({ stored: 0n, status: 'disabled' });
  });

  it('bytes after the checksum are left as a trailing region', () => {
    const bytes = new Uint8Array([...rdbFile(10, [0, rdbStr('k'), rdbStr('v')]), 0x2a, 0x2a]);
    const file = readRdb(bytes);
    expect(file.length).toBe(bytes.length - 2);
    expect(file.regions.at(-1)).toMatchObject({ kind: 'trailing', offset: bytes.length - 2, length: 2 });
  });
});

describe('refusals', () => {
  it('a wrong signature or an unknown version, as Redis words them', () => {
    refuses(binToU8('RADIS0010\xff'), 0, 'Wrong signature trying to load DB from file');
    refuses(rdbFile(13, []), 5, "Can't handle RDB format version 13");
    refuses(binToU8('REDIS00x0\xff'), 5, 'version "00x0" is not four digits');
    refuses(binToU8('REDIS'), 0, 'unexpected end of file reading the magic "REDIS" and version: needs 9 bytes, 5 left');
  });

  it('an unknown value type, printed as the lab shows it', () => {
    refuses(rdbFile(10, [0x1f, rdbStr('k')]), 9, 'unknown value type 0x1f');
    let printed = '';
    try {
      readRdb(rdbFile(10, [0x1f]));
    } catch (e) {
      printed = String(e);
    }
    expect(printed).toBe('RdbDecodeError: offset 0x9 (9): unknown value type 0x1f');
  });

  it('a checksum mismatch, naming both values as Redis logs them', () => {
    const bytes = rdbFile(10, [0, rdbStr('k'), rdbStr('v')]);
    bytes[bytes.length - 1]! ^= 0xff;
    const computed = readRdb(bytes, { verifyChecksum: false }).checksum!;
    expect(computed.status).toBe('mismatch');
    refuses(
      bytes,
      bytes.length - 8,
      `Wrong RDB checksum expected: (${computed.computed.toString(16)}) but got (${computed.stored.toString(16)})`,
      RdbChecksumError,
    );
  });

  it('truncation anywhere in a real file', () => {
    const real = fixture('rdb-strings.rdb');
    for (let n = 0; n < real.length; n++) expect(() => readRdb(real.subarray(0, n))).toThrow(RdbDecodeError);
  });

  it('lengths that claim more than the file holds, before allocating', () => {
    refuses(rdbFile(10, [0, rdbStr('k'), 0x80, hex('ffffffff')]), 12, 'string value of 4294967295 bytes runs past the end of the file (9 left)');
    refuses(rdbFile(10, [1, rdbStr('k'), 0x81, hex('000000ffffffffff')]), 12, 'list length 1099511627775 cannot fit in the 9 bytes left');
    refuses(rdbFile(10, [0, rdbStr('k'), 0x81, hex('ffffffffffffffff')]), 12, 'string value length 18446744073709551615 is absurdly large');
    refuses(rdbFile(10, [0, rdbStr('k'), 0xc3, 0x02, 0x80, hex('7fffffff'), 0x00, 0x61]), 19, 'LZF string value: 2 compressed bytes cannot expand to 2147483647');
  });

  it('bad length and string encodings', () => {
    refuses(rdbFile(10, [0xfe, 0x82]), 10, 'invalid length encoding 0x82 for database number');
    refuses(rdbFile(10, [0xfe, 0xc0]), 10, 'expected database number (a length), found the string encoding byte 0xc0');
    refuses(rdbFile(10, [0, 0xc4]), 10, 'unknown string encoding 0xc4 for key');
    refuses(rdbFile(10, [0, rdbStr('k'), hex('c3 03 0a 00 61 e0')]), 17, 'LZF string value: back-reference cut short');
    refuses(rdbFile(10, [0, rdbStr('k'), hex('c3 02 02 00 61')]), 17, 'LZF string value: decompressed to 1 bytes, expected 2');
  });

  it('what Redis refuses on load: SELECTDB past databases, duplicates, NaN scores', () => {
    refuses(rdbFile(10, [0xfe, 16]), 9, 'Data file was created with a Redis server configured to handle more than 16 databases (SELECTDB 16)');
    expect(readRdb(rdbFile(10, [0xfe, 16]), { databases: 32 }).dbs[0]?.index).toBe(16);
    refuses(rdbFile(10, [0, rdbStr('k'), rdbStr('v'), 0, rdbStr('k'), rdbStr('w')]), 15, "RDB has duplicated key 'k' in DB 0");
    refuses(rdbFile(10, [2, rdbStr('s'), 2, rdbStr('x'), rdbStr('x')]), 12, 'Duplicate set members detected');
    refuses(rdbFile(10, [4, rdbStr('h'), 2, rdbStr('f'), rdbStr('1'), rdbStr('f'), rdbStr('2')]), 12, 'Duplicate hash fields detected');
    refuses(rdbFile(10, [17, rdbStr('z'), rdbBlob(listpackEncode(['a', '1', 'a', '2']))]), 12, 'Duplicate zset fields detected');
    refuses(rdbFile(10, [5, rdbStr('z'), 1, rdbStr('m'), hex('000000000000f87f')]), 15, 'Zset with NAN score detected');
    refuses(rdbFile(10, [3, rdbStr('z'), 1, rdbStr('m'), 0xfd]), 15, 'Zset with NAN score detected');
    refuses(rdbFile(10, [17, rdbStr('z'), rdbBlob(listpackEncode(['a', 'x']))]), 12, "zset listpack: score 'x' of member 'a' is not a number");
    refuses(rdbFile(10, [16, rdbStr('h'), rdbBlob(listpackEncode(['a']))]), 12, 'hash blob holds an odd number of entries (1)');
    refuses(rdbFile(10, [18, rdbStr('l'), 1, 3, rdbStr('x')]), 13, 'unknown quicklist node container 3 (expected 1 PLAIN or 2 PACKED)');
  });

  it('errors inside a blob point at the byte in the file', () => {
    const lp = listpackEncode(['a']);
    lp[6] = 0xf5; // the first entry's encoding byte
    // type 11 at 9, key '\x01h' at 10, blob length at 12, blob from 13: entry at 13 + 6.
    refuses(rdbFile(10, [16, rdbStr('h'), rdbBlob(lp)]), 19, 'listpack: invalid entry encoding 0xf5');
  });

  it.each([
    [15, 'a stream: the lab does not model streams (RDB_TYPE_STREAM_LISTPACKS)'],
    [19, 'a stream: the lab does not model streams (RDB_TYPE_STREAM_LISTPACKS_2)'],
    [21, 'a stream: the lab does not model streams (RDB_TYPE_STREAM_LISTPACKS_3)'],
    [22, 'a hash with field TTLs (Redis 7.4): the lab models Redis 7.0, which has none (RDB_TYPE_HASH_METADATA_PRE_GA)'],
    [23, 'a hash with field TTLs (Redis 7.4): the lab models Redis 7.0, which has none (RDB_TYPE_HASH_LISTPACK_EX_PRE_GA)'],
    [24, 'a hash with field TTLs (Redis 7.4): the lab models Redis 7.0, which has none (RDB_TYPE_HASH_METADATA)'],
    [25, 'a hash with field TTLs (Redis 7.4): the lab models Redis 7.0, which has none (RDB_TYPE_HASH_LISTPACK_EX)'],
    [6, 'a module value: the lab loads no modules (RDB_TYPE_MODULE_PRE_GA)'],
  ])('refuses value type %i clearly', (type, why) => {
    refuses(rdbFile(12, [type, rdbStr('mykey'), 0]), 9, `key 'mykey' is ${why}`, RdbUnsupportedError);
  });

  it('refuses module values and module AUX data, naming the module', () => {
    // Module id of "ReJSON-RL" with encoding version 3: 9 six-bit characters, then 10 bits.
    const charset = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    let id = 0n;
    for (const c of 'ReJSON-RL') id = (id << 6n) | BigInt(charset.indexOf(c));
    id = (id << 10n) | 3n;
    const idBytes = new Uint8Array(8);
    new DataView(idBytes.buffer).setBigUint64(0, id);
    refuses(rdbFile(10, [7, rdbStr('doc'), 0x81, idBytes]), 9, "key 'doc' is a module value: the lab loads no modules (RDB_TYPE_MODULE_2 'ReJSON-RL')", RdbUnsupportedError);
    refuses(rdbFile(10, [0xf7, 0x81, idBytes]), 9, "module AUX data of module 'ReJSON-RL' (RDB_OPCODE_MODULE_AUX): the lab loads no modules", RdbUnsupportedError);
  });

  it('refuses function libraries', () => {
    refuses(rdbFile(10, [0xf5, rdbStr('#!lua name=lib')]), 9, 'a function library (RDB_OPCODE_FUNCTION2): the lab has no scripting', RdbUnsupportedError);
  });
});

function binToU8(bin: string): Uint8Array {
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}
