/**
 * Intsets, the blob of RDB_TYPE_SET_INTSET: a sorted array of distinct integers, all of one width.
 *
 *   uint32 LE encoding   2, 4 or 8: bytes per element, the width of the widest element
 *   uint32 LE length     number of elements
 *   elements             signed little-endian, strictly ascending
 *
 * Contract: pure. Members travel as decimal bin strings, the way Redis replies with them.
 */
import { ByteReader, type BlobOrigin } from './byte-reader.ts';
import { ByteWriter } from './byte-writer.ts';

const INTSET_ENC_INT16 = 2;
const INTSET_ENC_INT32 = 4;
const INTSET_ENC_INT64 = 8;
const HEADER_SIZE = 8;

/** The members of an intset blob, ascending. */
export function intsetDecode(bytes: Uint8Array, origin: BlobOrigin): string[] {
  const r: ByteReader = new ByteReader(bytes, origin);
  const encoding = r.u32le('intset encoding');
  if (encoding !== INTSET_ENC_INT16 && encoding !== INTSET_ENC_INT32 && encoding !== INTSET_ENC_INT64) {
    r.fail(`unknown intset encoding ${encoding} (expected 2, 4 or 8)`, 0);
  }
  const length = r.u32le('intset length');
  const expected = HEADER_SIZE + encoding * length;
  if (expected !== bytes.length) {
    r.fail(`${length} elements of ${encoding} bytes need ${expected} bytes, the blob has ${bytes.length}`, 4);
  }
  const members: string[] = [];
  let previous: number | bigint | undefined;
  for (let i = 0; i < length; i++) {
    const at = r.pos;
    const value =
      encoding === INTSET_ENC_INT16 ? r.i16le('intset element') : encoding === INTSET_ENC_INT32 ? r.i32le('intset element') : r.i64le('intset element');
    if (previous !== undefined && value <= previous) r.fail(`element ${value} is not above the previous ${previous}`, at);
    previous = value;
    members.push(String(value));
  }
  return members;
}

/** The intset blob of distinct integers (any order; the blob is sorted). */
export function intsetEncode(values: readonly bigint[]): Uint8Array {
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let encoding = INTSET_ENC_INT16;
  for (const v of sorted) {
    if (v < -0x80000000n || v > 0x7fffffffn) encoding = INTSET_ENC_INT64;
    else if ((v < -0x8000n || v > 0x7fffn) && encoding === INTSET_ENC_INT16) encoding = INTSET_ENC_INT32;
  }
  const w = new ByteWriter(HEADER_SIZE + encoding * sorted.length);
  w.u32le(encoding).u32le(sorted.length);
  for (const v of sorted) {
    if (encoding === INTSET_ENC_INT16) w.i16le(Number(v));
    else if (encoding === INTSET_ENC_INT32) w.i32le(Number(v));
    else w.i64le(v);
  }
  return w.finish();
}
