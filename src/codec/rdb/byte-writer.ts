/**
 * A growable byte buffer for the RDB encoders, with the few fixed-width writes the format uses.
 *
 * Contract: appends only; `finish()` returns exactly the bytes written. Multi-byte writes name
 * their byte order, because the RDB format mixes both (lengths are big-endian, integers
 * little-endian).
 */
export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  private len = 0;

  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(initialCapacity);
    this.view = new DataView(this.buf.buffer);
  }

  get length(): number {
    return this.len;
  }

  /**
   * Makes room for n bytes and returns where they go. It may replace `buf` and `view`, so a caller
   * reserves first and only then reads them (`this.buf[this.reserve(1)]` would write to the old one).
   */
  private reserve(n: number): number {
    const at = this.len;
    if (at + n > this.buf.length) {
      let capacity = Math.max(this.buf.length * 2, 64);
      while (capacity < at + n) capacity *= 2;
      const grown = new Uint8Array(capacity);
      grown.set(this.buf.subarray(0, at));
      this.buf = grown;
      this.view = new DataView(grown.buffer);
    }
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
    const at = this.reserve(s.length);
    for (let i = 0; i < s.length; i++) this.buf[at + i] = s.charCodeAt(i) & 0xff;
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
