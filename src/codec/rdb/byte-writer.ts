/**
 * A growable byte buffer for the RDB encoders, with the few fixed-width writes the format uses.
 *
 * Contract: appends only; `finish()` returns exactly the bytes written. Multi-byte writes name
 * their byte order, because the RDB format mixes both (lengths are big-endian, integers
 * little-endian). A subclass with a hot loop of its own (the RDB writer) may `ensure` room once and
 * then write `buf` at `len` directly.
 */
export class ByteWriter {
  protected buf: Uint8Array;
  protected view: DataView;
  protected len = 0;

  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(initialCapacity);
    this.view = new DataView(this.buf.buffer);
  }

  get length(): number {
    return this.len;
  }

  /**
   * Makes room for n more bytes. It may replace `buf` and `view`, so a caller ensures first and
   * only then reads them.
   */
  protected ensure(n: number): void {
    const needed = this.len + n;
    if (needed <= this.buf.length) return;
    let capacity = Math.max(this.buf.length * 2, 64);
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.buf.subarray(0, this.len));
    this.buf = grown;
    this.view = new DataView(grown.buffer);
  }

  /**
   * Makes room for n bytes and returns where they go. It may replace `buf` and `view`, so a caller
   * reserves first and only then reads them (`this.buf[this.reserve(1)]` would write to the old one).
   */
  private reserve(n: number): number {
    if (this.len + n > this.buf.length) this.ensure(n);
    const at = this.len;
    this.len = at + n;
    return at;
  }

  u8(v: number): this {
    const at = this.reserve(1);
    this.buf[at] = v;
    return this;
  }

  u16le(v: number): this {
    const at = this.reserve(2);
    this.view.setUint16(at, v, true);
    return this;
  }

  i16le(v: number): this {
    const at = this.reserve(2);
    this.view.setInt16(at, v, true);
    return this;
  }

  i24le(v: number): this {
    const at = this.reserve(3);
    this.buf[at] = v & 0xff;
    this.buf[at + 1] = (v >> 8) & 0xff;
    this.buf[at + 2] = (v >> 16) & 0xff;
    return this;
  }

  u32le(v: number): this {
    const at = this.reserve(4);
    this.view.setUint32(at, v, true);
    return this;
  }

  i32le(v: number): this {
    const at = this.reserve(4);
    this.view.setInt32(at, v, true);
    return this;
  }

  u32be(v: number): this {
    const at = this.reserve(4);
    this.view.setUint32(at, v, false);
    return this;
  }

  i64le(v: bigint): this {
    const at = this.reserve(8);
    this.view.setBigInt64(at, v, true);
    return this;
  }

  /** A safe integer as int64 LE, without a BigInt: the low word, then the high word (floored, so negatives are two's complement). */
  i64leNumber(v: number): this {
    const at = this.reserve(8);
    this.view.setUint32(at, v >>> 0, true);
    this.view.setInt32(at + 4, Math.floor(v / 0x100000000), true);
    return this;
  }

  u64le(v: bigint): this {
    const at = this.reserve(8);
    this.view.setBigUint64(at, v, true);
    return this;
  }

  u64be(v: bigint): this {
    const at = this.reserve(8);
    this.view.setBigUint64(at, v, false);
    return this;
  }

  f64le(v: number): this {
    const at = this.reserve(8);
    this.view.setFloat64(at, v, true);
    return this;
  }

  bytes(b: Uint8Array): this {
    const at = this.reserve(b.length);
    this.buf.set(b, at);
    return this;
  }

  /** Appends a bin string's bytes. */
  bin(s: string): this {
    const n = s.length;
    const at = this.reserve(n);
    const buf = this.buf;
    // A Uint8Array store keeps the low 8 bits, which is all a bin string's code unit has.
    for (let i = 0; i < n; i++) buf[at + i] = s.charCodeAt(i);
    return this;
  }

  /** Overwrites a little-endian uint32 already written (a header whose value is known last). */
  patchU32le(at: number, v: number): void {
    this.view.setUint32(at, v, true);
  }

  patchU16le(at: number, v: number): void {
    this.view.setUint16(at, v, true);
  }

  /** The bytes written so far (a view until the next write). */
  written(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  /** A copy of the bytes written. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}
