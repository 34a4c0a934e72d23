/**
 * Listpacks, the blob of RDB_TYPE_HASH_LISTPACK, RDB_TYPE_ZSET_LISTPACK, RDB_TYPE_SET_LISTPACK and
 * of each PACKED node of RDB_TYPE_LIST_QUICKLIST_2.
 *
 *   uint32 LE total bytes | uint16 LE number of elements (65535: count it) | entries | 0xFF
 *
 * Each entry is an encoding byte with its data, then a backlen: the size of encoding + data in
 * 1–5 bytes, 7 bits each, most significant group first; every byte but the first has its high bit
 * set, so the size can be read from right to left.
 *
 *   0xxxxxxx                    7-bit unsigned int 0–127
 *   10xxxxxx + data             string of 0–63 bytes
 *   110xxxxx yyyyyyyy           13-bit signed int, two's complement over x:y
 *   1110xxxx yyyyyyyy + data    string, 12-bit length x:y
 *   11110000 + u32 LE + data    string, 32-bit length
 *   11110001 + 2 bytes          int16 LE
 *   11110010 + 3 bytes          int24 LE
 *   11110011 + 4 bytes          int32 LE
 *   11110100 + 8 bytes          int64 LE
 *   11111111                    end of the listpack
 *
 * Contract: pure. Elements travel as bin strings; an element that is a canonical integer (Redis's
 * string2ll rules) is stored as the smallest integer entry that holds it, the way Redis does.
 */
import { parseInteger } from '../numbers.ts';
import { ByteReader, type BlobOrigin } from './byte-reader.ts';
import { ByteWriter } from './byte-writer.ts';

const LP_HDR_NUMELE_UNKNOWN = 65535;
const LP_EOF = 0xff;

const LP_ENCODING_6BIT_STR = 0x80;
const LP_ENCODING_13BIT_INT = 0xc0;
const LP_ENCODING_12BIT_STR = 0xe0;
const LP_ENCODING_32BIT_STR = 0xf0;
const LP_ENCODING_16BIT_INT = 0xf1;
const LP_ENCODING_24BIT_INT = 0xf2;
const LP_ENCODING_32BIT_INT = 0xf3;
const LP_ENCODING_64BIT_INT = 0xf4;

/** Longest text that can be a 64-bit integer: "-9223372036854775808". */
const MAX_INT_TEXT = 20;

/** Bytes the backlen of an entry of `size` bytes takes (Redis's thresholds, byte-exact). */
function backlenSize(size: number): number {
  return size <= 127 ? 1 : size < 16383 ? 2 : size < 2097151 ? 3 : size < 268435455 ? 4 : 5;
}

/** Builds a listpack one element at a time, knowing its size as it goes (quicklist nodes split on it). */
export class ListpackBuilder {
  private readonly w = new ByteWriter(64);
  private elements = 0;

  constructor() {
    this.w.u32le(0).u16le(0); // patched by finish()
  }

  get count(): number {
    return this.elements;
  }

  /** The size of the finished listpack so far, terminator included. */
  get byteLength(): number {
    return this.w.length + 1;
  }

  add(element: string): this {
    const w = this.w;
    const start = w.length;
    const int = element.length <= MAX_INT_TEXT ? parseInteger(element) : null;
    if (typeof int === 'bigint') w.u8(LP_ENCODING_64BIT_INT).i64le(int);
    else if (int !== null) writeInt(w, int);
    else {
      const n = element.length;
      if (n <= 63) w.u8(LP_ENCODING_6BIT_STR | n);
      else if (n <= 4095) w.u8(LP_ENCODING_12BIT_STR | (n >> 8)).u8(n & 0xff);
      else w.u8(LP_ENCODING_32BIT_STR).u32le(n);
      w.bin(element);
    }
    writeBacklen(w, w.length - start);
    this.elements++;
    return this;
  }

  finish(): Uint8Array {
    this.w.u8(LP_EOF);
    this.w.patchU32le(0, this.w.length);
    this.w.patchU16le(4, Math.min(this.elements, LP_HDR_NUMELE_UNKNOWN));
    return this.w.finish();
  }
}

function writeInt(w: ByteWriter, v: number): void {
  if (v >= 0 && v <= 127) w.u8(v);
  else if (v >= -4096 && v <= 4095) {
    const u = v & 0x1fff; // two's complement over 13 bits
    w.u8(LP_ENCODING_13BIT_INT | (u >> 8)).u8(u & 0xff);
  } else if (v >= -0x8000 && v <= 0x7fff) w.u8(LP_ENCODING_16BIT_INT).i16le(v);
  else if (v >= -0x800000 && v <= 0x7fffff) w.u8(LP_ENCODING_24BIT_INT).i24le(v);
  else if (v >= -0x80000000 && v <= 0x7fffffff) w.u8(LP_ENCODING_32BIT_INT).i32le(v);
  else w.u8(LP_ENCODING_64BIT_INT).i64le(BigInt(v));
}

function writeBacklen(w: ByteWriter, size: number): void {
  const n = backlenSize(size);
  for (let group = n - 1; group >= 0; group--) {
    const bits = Math.floor(size / 2 ** (7 * group)) & 0x7f;
    w.u8(group === n - 1 ? bits : bits | 0x80);
  }
}

/** The listpack blob of `elements`. */
export function listpackEncode(elements: readonly string[]): Uint8Array {
  const builder = new ListpackBuilder();
  for (const e of elements) builder.add(e);
  return builder.finish();
}

/** The elements of a listpack blob; integers come back as their decimal text. */
export function listpackDecode(bytes: Uint8Array, origin: BlobOrigin): string[] {
  const r: ByteReader = new ByteReader(bytes, origin);
  const total = r.u32le('listpack total bytes');
  if (total !== bytes.length) r.fail(`header says ${total} bytes, the blob has ${bytes.length}`, 0);
  const declared = r.u16le('listpack length');
  const elements: string[] = [];
  for (;;) {
    const start = r.pos;
    const b = r.u8('listpack entry');
    if (b === LP_EOF) break;
    let element: string;
    if (b < 0x80) element = String(b);
    else if (b < 0xc0) element = readText(r, b & 0x3f);
    else if (b < 0xe0) {
      const u = ((b & 0x1f) << 8) | r.u8('13-bit integer');
      element = String(u >= 4096 ? u - 8192 : u);
    } else if (b < 0xf0) element = readText(r, ((b & 0x0f) << 8) | r.u8('12-bit string length'));
    else if (b === LP_ENCODING_32BIT_STR) element = readText(r, r.u32le('32-bit string length'));
    else if (b === LP_ENCODING_16BIT_INT) element = String(r.i16le('int16'));
    else if (b === LP_ENCODING_24BIT_INT) element = String(r.i24le('int24'));
    else if (b === LP_ENCODING_32BIT_INT) element = String(r.i32le('int32'));
    else if (b === LP_ENCODING_64BIT_INT) element = String(r.i64le('int64'));
    else r.fail(`invalid entry encoding 0x${b.toString(16)}`, start);
    const size = r.pos - start;
    const backlenStart = r.pos;
    const n = backlenSize(size);
    for (let group = n - 1; group >= 0; group--) {
      const expected = (Math.floor(size / 2 ** (7 * group)) & 0x7f) | (group === n - 1 ? 0 : 0x80);
      if (r.u8('entry backlen') !== expected) r.fail(`entry backlen does not encode its size ${size}`, backlenStart);
    }
    elements.push(element);
  }
  if (r.remaining !== 0) r.fail(`${r.remaining} bytes after the end marker`);
  if (declared !== LP_HDR_NUMELE_UNKNOWN && declared !== elements.length) {
    r.fail(`header says ${declared} elements, the listpack has ${elements.length}`, 4);
  }
  return elements;
}

function readText(r: ByteReader, length: number): string {
  // The message is only built for a failure: this runs once per element.
  if (length > r.remaining) r.need(length, `a string entry of ${length} bytes`);
  return r.bin(length, 'a string entry');
}
