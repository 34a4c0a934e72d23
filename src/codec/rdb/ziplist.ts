/**
 * Ziplists, the blob of the types Redis 6.2 and older wrote (RDB_TYPE_LIST_ZIPLIST,
 * RDB_TYPE_ZSET_ZIPLIST, RDB_TYPE_HASH_ZIPLIST, and each node of RDB_TYPE_LIST_QUICKLIST), and
 * zipmaps, the hash blob of Redis 2.4 and older (RDB_TYPE_HASH_ZIPMAP). Redis 7 still loads both
 * and converts them; so does this reader. Nothing writes them any more, so there is no encoder.
 *
 * Contract: pure; decoders only; every inconsistency is an RdbDecodeError.
 *
 * Ziplist:  uint32 LE zlbytes | uint32 LE zltail (offset of the last entry) | uint16 LE zllen
 *           (65535: count it) | entries | 0xFF
 * Entry:    prevlen (1 byte if < 254, else 0xFE + uint32 LE) | encoding | data
 *   00pppppp                         string, 6-bit length
 *   01pppppp qqqqqqqq                string, 14-bit length, big-endian
 *   10000000 + uint32 BE             string, 32-bit length
 *   11000000 int16 LE | 11010000 int32 LE | 11100000 int64 LE | 11110000 int24 LE | 11111110 int8
 *   1111xxxx (xxxx = 0001–1101)      immediate integer xxxx − 1, i.e. 0–12, no data
 *
 * Zipmap:   zmlen (1 byte, the count when < 254) | (len key len free value free-bytes)* | 0xFF
 *           where len is 1 byte if < 254, else 0xFE + uint32 LE.
 */
import { ByteReader, type BlobOrigin } from './byte-reader.ts';

const ZIPLIST_HEADER_SIZE = 10;
const ZIP_END = 0xff;
const ZIP_BIG_PREVLEN = 254;
const ZIPLIST_LENGTH_UNKNOWN = 65535;

const ZIP_INT_16B = 0xc0;
const ZIP_INT_32B = 0xd0;
const ZIP_INT_64B = 0xe0;
const ZIP_INT_24B = 0xf0;
const ZIP_INT_8B = 0xfe;
const ZIP_STR_32B = 0x80;

/** The entries of a ziplist blob; integers come back as their decimal text. */
export function ziplistDecode(bytes: Uint8Array, origin: BlobOrigin): string[] {
  const r: ByteReader = new ByteReader(bytes, origin);
  const zlbytes = r.u32le('ziplist zlbytes');
  if (zlbytes !== bytes.length) r.fail(`header says ${zlbytes} bytes, the blob has ${bytes.length}`, 0);
  const zltail = r.u32le('ziplist zltail');
  const zllen = r.u16le('ziplist zllen');
  const entries: string[] = [];
  let previousSize = 0;
  let lastStart = ZIPLIST_HEADER_SIZE;
  for (;;) {
    const start = r.pos;
    if (r.peek('ziplist entry') === ZIP_END) {
      r.pos++;
      break;
    }
    const p = r.u8('entry prevlen');
    const prevlen = p < ZIP_BIG_PREVLEN ? p : r.u32le('entry prevlen');
    if (prevlen !== previousSize) r.fail(`entry prevlen ${prevlen} differs from the previous entry's size ${previousSize}`, start);
    const encodingAt = r.pos;
    const e = r.u8('entry encoding');
    let entry: string;
    switch (e >> 6) {
      case 0:
        entry = r.bin(e & 0x3f, 'string entry');
        break;
      case 1:
        entry = r.bin(((e & 0x3f) << 8) | r.u8('14-bit string length'), 'string entry');
        break;
      case 2:
        if (e !== ZIP_STR_32B) r.fail(`invalid entry encoding 0x${e.toString(16)}`, encodingAt);
        entry = r.bin(r.u32be('32-bit string length'), 'string entry');
        break;
      default:
        if (e === ZIP_INT_16B) entry = String(r.i16le('int16'));
        else if (e === ZIP_INT_32B) entry = String(r.i32le('int32'));
        else if (e === ZIP_INT_64B) entry = String(r.i64le('int64'));
        else if (e === ZIP_INT_24B) entry = String(r.i24le('int24'));
        else if (e === ZIP_INT_8B) entry = String(r.i8('int8'));
        else if (e > ZIP_INT_24B && e < ZIP_INT_8B) entry = String((e & 0x0f) - 1);
        else r.fail(`invalid entry encoding 0x${e.toString(16)}`, encodingAt);
    }
    previousSize = r.pos - start;
    lastStart = start;
    entries.push(entry);
  }
  if (r.remaining !== 0) r.fail(`${r.remaining} bytes after the end marker`);
  if (zltail !== lastStart) r.fail(`zltail ${zltail} does not point at the last entry (${lastStart})`, 4);
  if (zllen !== ZIPLIST_LENGTH_UNKNOWN && zllen !== entries.length) {
    r.fail(`header says ${zllen} entries, the ziplist has ${entries.length}`, 8);
  }
  return entries;
}

const ZIPMAP_BIGLEN = 254;
const ZIPMAP_END = 0xff;

/** The field, value pairs of a zipmap blob, in order. */
export function zipmapDecode(bytes: Uint8Array, origin: BlobOrigin): [string, string][] {
  const r: ByteReader = new ByteReader(bytes, origin);
  const zmlen = r.u8('zipmap length');
  const readLength = (what: string): number => {
    const at = r.pos;
    const b = r.u8(what);
    if (b < ZIPMAP_BIGLEN) return b;
    if (b === ZIPMAP_BIGLEN) return r.u32le(what);
    return r.fail(`unexpected end marker in place of ${what}`, at);
  };
  const pairs: [string, string][] = [];
  while (r.peek('zipmap entry') !== ZIPMAP_END) {
    const field = r.bin(readLength('field length'), 'field');
    const valueLength = readLength('value length');
    const free = r.u8('free bytes count');
    const value = r.bin(valueLength, 'value');
    r.take(free, 'free bytes');
    pairs.push([field, value]);
  }
  r.pos++;
  if (r.remaining !== 0) r.fail(`${r.remaining} bytes after the end marker`);
  if (zmlen < ZIPMAP_BIGLEN && zmlen !== pairs.length) r.fail(`header says ${zmlen} pairs, the zipmap has ${pairs.length}`, 0);
  return pairs;
}
