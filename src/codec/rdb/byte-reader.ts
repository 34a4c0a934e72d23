/**
 * A cursor over bytes for the RDB decoders (the file itself, and the listpack, ziplist, intset and
 * zipmap blobs inside it).
 *
 * Contract: every read checks the remaining bytes first, so a decoder built on it can only fail
 * with an `RdbDecodeError` naming the file offset. A blob is read with its origin: where its bytes
 * start in the file. When the blob was stored raw, errors point at the exact byte in the file;
 * when it was LZF-compressed, they point at the blob's RDB string and say which byte of the
 * decompressed blob is at fault.
 */
import { bytesToBinRange } from '../bytes.ts';
import { RdbDecodeError } from './rdb-error.ts';

/** Where a blob's bytes come from. */
export interface BlobOrigin {
  /** What the blob is, for messages: 'listpack', 'ziplist', ... */
  readonly what: string;
  /** File offset of the blob's first byte (raw) or of its RDB string (LZF-compressed). */
  readonly fileOffset: number;
  /** True when blob byte i is file byte fileOffset + i. */
  readonly mapped: boolean;
}

export class ByteReader {
  pos = 0;
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    private readonly origin?: BlobOrigin,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  /** Throws the decode error for the byte at `at` (the cursor by default). */
  fail(reason: string, at: number = this.pos): never {
    const origin = this.origin;
    if (origin === undefined) throw new RdbDecodeError(at, reason);
    if (origin.mapped) throw new RdbDecodeError(origin.fileOffset + at, `${origin.what}: ${reason}`);
    throw new RdbDecodeError(origin.fileOffset, `${origin.what}: ${reason} (at byte ${at} of the LZF-decompressed blob)`);
  }

  /** Fails unless `n` more bytes are there; `what` names what they would have been. */
  need(n: number, what: string): void {
    if (n > this.remaining) {
      const where = this.origin === undefined ? 'file' : this.origin.what;
      this.fail(`unexpected end of ${where} reading ${what}: needs ${n} bytes, ${this.remaining} left`);
    }
  }

  peek(what: string): number {
    this.need(1, what);
    return this.bytes[this.pos] as number;
  }

  u8(what: string): number {
    this.need(1, what);
    return this.bytes[this.pos++] as number;
  }

  i8(what: string): number {
    this.need(1, what);
    return this.view.getInt8(this.pos++);
  }

  u16le(what: string): number {
    this.need(2, what);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }

  i16le(what: string): number {
    this.need(2, what);
    const v = this.view.getInt16(this.pos, true);
    this.pos += 2;
    return v;
  }

  i24le(what: string): number {
    this.need(3, what);
    const b = this.bytes;
    const p = this.pos;
    this.pos += 3;
    const u = (b[p] as number) | ((b[p + 1] as number) << 8) | ((b[p + 2] as number) << 16);
    return u >= 0x800000 ? u - 0x1000000 : u;
  }

  u32le(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  i32le(what: string): number {
    this.need(4, what);
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }

  u32be(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, false);
    this.pos += 4;
    return v;
  }

  i64le(what: string): bigint {
    this.need(8, what);
    const v = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }

  u64le(what: string): bigint {
    this.need(8, what);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }

  u64be(what: string): bigint {
    this.need(8, what);
    const v = this.view.getBigUint64(this.pos, false);
    this.pos += 8;
    return v;
  }

  f64le(what: string): number {
    this.need(8, what);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** The next `n` bytes as a bin string. */
  bin(n: number, what: string): string {
    this.need(n, what);
    const at = this.pos;
    this.pos = at + n;
    return bytesToBinRange(this.bytes, at, at + n);
  }

  /** The next `n` bytes, as a view (no copy). */
  take(n: number, what: string): Uint8Array {
    this.need(n, what);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}
