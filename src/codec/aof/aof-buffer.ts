/**
 * aof_buf as bytes: commands encoded straight into one growing byte array in the RESP multibulk
 * form the AOF stores (`*N\r\n$len\r\narg\r\n…`, what encodeCommand in resp.ts spells as a string).
 *
 * Contract: pure. Arguments are bin strings (one byte per code unit). `bytes()` is a view of the
 * buffered bytes, valid until the next append or clear; nothing is allocated per command once the
 * array has grown to the size of a batch, and the array is reused after each clear.
 */
const CR = 0x0d;
const LF = 0x0a;
const STAR = 0x2a;
const DOLLAR = 0x24;
/** Room for a `$len\r\n` header and the trailing `\r\n`, besides the payload. */
const HEADER_ROOM = 24;

export class AofBuffer {
  private data: Uint8Array;
  private used = 0;
  /** The buffered bytes as a bin string, cached until the buffer changes. */
  private binCache: string | null = '';

  constructor(initialBytes = 4096) {
    this.data = new Uint8Array(initialBytes);
  }

  /** How many bytes are buffered. */
  get length(): number {
    return this.used;
  }

  /** The buffered bytes (a view: copy them before the next append or clear). */
  bytes(): Uint8Array {
    return this.data.subarray(0, this.used);
  }

  /** The buffered bytes as a bin string. */
  toBin(): string {
    if (this.binCache === null) {
      let out = '';
      const CHUNK = 0x8000; // String.fromCharCode takes its arguments on the stack.
      for (let i = 0; i < this.used; i += CHUNK) {
        out += String.fromCharCode.apply(null, this.data.subarray(i, Math.min(this.used, i + CHUNK)) as unknown as number[]);
      }
      this.binCache = out;
    }
    return this.binCache;
  }

  clear(): void {
    this.used = 0;
    this.binCache = '';
  }

  /** One command, as `*N\r\n` and a `$len\r\narg\r\n` per argument. */
  appendCommand(argv: readonly string[]): void {
    this.binCache = null;
    // One reservation for the whole command: the hot path of every logged write.
    let room = HEADER_ROOM;
    for (let i = 0; i < argv.length; i++) room += argv[i]!.length + HEADER_ROOM;
    this.reserve(room);
    this.header(STAR, argv.length);
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]!;
      const length = arg.length;
      this.header(DOLLAR, length);
      const data = this.data;
      const at = this.used;
      // A Uint8Array stores each code unit modulo 256: a bin string's bytes exactly.
      for (let j = 0; j < length; j++) data[at + j] = arg.charCodeAt(j);
      data[at + length] = CR;
      data[at + length + 1] = LF;
      this.used = at + length + 2;
    }
  }

  /** A bin string as it is (an annotation line). */
  appendBin(text: string): void {
    this.binCache = null;
    this.reserve(text.length);
    const data = this.data;
    const at = this.used;
    for (let j = 0; j < text.length; j++) data[at + j] = text.charCodeAt(j);
    this.used = at + text.length;
  }

  /** Writes `<prefix><n>\r\n` at the end (room for it reserved). */
  private header(prefix: number, n: number): void {
    const data = this.data;
    let at = this.used;
    data[at++] = prefix;
    let digits = 1;
    for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    for (let i = digits - 1, rest = n; i >= 0; i--, rest = Math.floor(rest / 10)) data[at + i] = 0x30 + (rest % 10);
    at += digits;
    data[at] = CR;
    data[at + 1] = LF;
    this.used = at + 2;
  }

  /** Room for `extra` more bytes after the used ones. */
  private reserve(extra: number): void {
    if (this.used + extra <= this.data.length) return;
    const grown = new Uint8Array(Math.max(this.data.length * 2, this.used + extra));
    grown.set(this.data.subarray(0, this.used));
    this.data = grown;
  }
}
