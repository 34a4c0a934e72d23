/**
 * The byte-level tokenizer under the AOF reader: it walks an AOF file's bytes one item at a time
 * (a command, a `#` annotation, the end, or the reason the loader stops) exactly as
 * redis-server 7.0.15's loader reads them with `fgets` and `strtol`, without turning the file into
 * a string and without allocating anything per command but what the caller asks to decode.
 *
 * Contract: pure; `next()` never throws and never trusts a length before comparing it with the
 * bytes that are left. The reader (aof-reader.ts) gives the items their meaning (MULTI blocks,
 * truncation points); the engine's loader uses the same scanner to replay a file it has already
 * validated, decoding each command's arguments only as it runs them.
 */
import { bytesToBin } from '../bytes.ts';

/** Redis's AOF_ANNOTATION_LINE_MAX_LEN: the loader's fgets buffer. */
export const AOF_LINE_BUFFER = 1024;

/** What `AofScanner.next()` met. */
export const AofItem = {
  /** A complete command: `argc` arguments at `argStart`/`argLength`, from `start` to `pos`. */
  command: 0,
  /** A `#` line the loader skips, from `start` to `pos`. */
  annotation: 1,
  /** The end of the file, between items. */
  end: 2,
  /** The file ends inside the item at `start`: a short read (`failReason`). */
  shortRead: 3,
  /** Bad file format at `failOffset`. */
  badFormat: 4,
  /** `*` followed by a NUL byte: fgets's read error, at `failOffset`. */
  readError: 5,
  /** A negative bulk length at `failOffset`: redis-server 7.0.15 aborts. */
  crash: 6,
} as const;
export type AofItemKind = (typeof AofItem)[keyof typeof AofItem];

const HASH = 0x23;
const STAR = 0x2a;
const DOLLAR = 0x24;
const NEWLINE = 0x0a;
const MINUS = 0x2d;
const PLUS = 0x2b;
/** Up to this many digits a decimal is exact as a double (and far from any C overflow). */
const SAFE_DIGITS = 15;
const LLONG_MAX = 9223372036854775807n;
const LLONG_MIN = -9223372036854775808n;

const isCSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/** The bin string of `bytes[from, to)`: short ones built directly, longer ones by bytesToBin. */
export function binOfRange(bytes: Uint8Array, from: number, to: number): string {
  const b = bytes;
  const a = from;
  // Flat strings in one call each (no subarray, no apply): the common short keys and values are
  // made fastest this way, hash and compare fast, and no substring keeps a whole file alive.
  switch (to - from) {
    case 0:
      return '';
    case 1:
      return String.fromCharCode(b[a]!);
    case 2:
      return String.fromCharCode(b[a]!, b[a + 1]!);
    case 3:
      return String.fromCharCode(b[a]!, b[a + 1]!, b[a + 2]!);
    case 4:
      return String.fromCharCode(b[a]!, b[a + 1]!, b[a + 2]!, b[a + 3]!);
    case 5:
      return String.fromCharCode(b[a]!, b[a + 1]!, b[a + 2]!, b[a + 3]!, b[a + 4]!);
    case 6:
      return String.fromCharCode(b[a]!, b[a + 1]!, b[a + 2]!, b[a + 3]!, b[a + 4]!, b[a + 5]!);
    case 7:
      return String.fromCharCode(b[a]!, b[a + 1]!, b[a + 2]!, b[a + 3]!, b[a + 4]!, b[a + 5]!, b[a + 6]!);
    case 8:
      return String.fromCharCode(b[a]!, b[a + 1]!, b[a + 2]!, b[a + 3]!, b[a + 4]!, b[a + 5]!, b[a + 6]!, b[a + 7]!);
    case 9:
      return String.fromCharCode(b[a]!, b[a + 1]!, b[a + 2]!, b[a + 3]!, b[a + 4]!, b[a + 5]!, b[a + 6]!, b[a + 7]!, b[a + 8]!);
    case 10:
      return String.fromCharCode(b[a]!, b[a + 1]!, b[a + 2]!, b[a + 3]!, b[a + 4]!, b[a + 5]!, b[a + 6]!, b[a + 7]!, b[a + 8]!, b[a + 9]!);
    case 11:
      return String.fromCharCode(b[a]!, b[a + 1]!, b[a + 2]!, b[a + 3]!, b[a + 4]!, b[a + 5]!, b[a + 6]!, b[a + 7]!, b[a + 8]!, b[a + 9]!, b[a + 10]!);
    case 12:
      return String.fromCharCode(b[a]!, b[a + 1]!, b[a + 2]!, b[a + 3]!, b[a + 4]!, b[a + 5]!, b[a + 6]!, b[a + 7]!, b[a + 8]!, b[a + 9]!, b[a + 10]!, b[a + 11]!);
    case 13:
      return String.fromCharCode(b[a]!, b[a + 1]!, b[a + 2]!, b[a + 3]!, b[a + 4]!, b[a + 5]!, b[a + 6]!, b[a + 7]!, b[a + 8]!, b[a + 9]!, b[a + 10]!, b[a + 11]!, b[a + 12]!);
    case 14:
      return String.fromCharCode(b[a]!, b[a + 1]!, b[a + 2]!, b[a + 3]!, b[a + 4]!, b[a + 5]!, b[a + 6]!, b[a + 7]!, b[a + 8]!, b[a + 9]!, b[a + 10]!, b[a + 11]!, b[a + 12]!, b[a + 13]!);
    case 15:
      return String.fromCharCode(b[a]!, b[a + 1]!, b[a + 2]!, b[a + 3]!, b[a + 4]!, b[a + 5]!, b[a + 6]!, b[a + 7]!, b[a + 8]!, b[a + 9]!, b[a + 10]!, b[a + 11]!, b[a + 12]!, b[a + 13]!, b[a + 14]!);
    case 16:
      return String.fromCharCode(b[a]!, b[a + 1]!, b[a + 2]!, b[a + 3]!, b[a + 4]!, b[a + 5]!, b[a + 6]!, b[a + 7]!, b[a + 8]!, b[a + 9]!, b[a + 10]!, b[a + 11]!, b[a + 12]!, b[a + 13]!, b[a + 14]!, b[a + 15]!);
    default:
      return to - from <= 0x8000 ? String.fromCharCode.apply(null, b.subarray(from, to) as unknown as number[]) : bytesToBin(b.subarray(from, to));
  }
}

/** glibc strtol base 10 on a 64-bit long, of the digits in `bytes[from, to)` (see c-stdio.ts cStrtol). */
function strtolSlow(bytes: Uint8Array, from: number, to: number): bigint {
  let i = from;
  while (i < to && isCSpace(bytes[i]!)) i++;
  let negative = false;
  if (i < to && (bytes[i] === MINUS || bytes[i] === PLUS)) negative = bytes[i++] === MINUS;
  const start = i;
  while (i < to && bytes[i]! >= 0x30 && bytes[i]! <= 0x39) i++;
  if (i === start) return 0n;
  let value = BigInt(bytesToBin(bytes.subarray(start, i)));
  if (negative) value = -value;
  if (value > LLONG_MAX) value = LLONG_MAX;
  if (value < LLONG_MIN) value = LLONG_MIN;
  return value;
}

/**
 * A cursor over one AOF file's bytes. Each `next()` reads one item; the fields describe it until
 * the next call. Arguments are only located: `arg`, `argv` and `name` decode them on demand.
 */
export class AofScanner {
  /** Offset of the item `next()` read last. */
  start = 0;
  /** Where the next item starts (after a short read: where the bytes ran out). */
  pos: number;
  /** The command's argument count, and where each argument's payload is. */
  argc = 0;
  argStart: number[] = [];
  argLength: number[] = [];
  /** After a failure: the byte it names, and why. */
  failOffset = 0;
  failReason = '';
  /** The last name decoded: a file repeats a few command names a million times. */
  private lastName = '';

  constructor(
    readonly bytes: Uint8Array,
    from = 0,
  ) {
    this.pos = from;
  }

  /** The end of the fgets piece at `at`: past its `\n`, or 1023 bytes on, or the end of the file. */
  private pieceEnd(at: number): number {
    const bytes = this.bytes;
    const limit = Math.min(bytes.length, at + AOF_LINE_BUFFER - 1);
    for (let i = at; i < limit; i++) if (bytes[i] === NEWLINE) return i + 1;
    return limit;
  }

  /**
   * strtol of a count or length line `bytes[from, to)` (after its `*` or `$`) when it is the usual
   * plain run of up to 15 digits ending the line; NaN for anything else (spaces, a sign, more
   * digits), which strtolSlow then reads exactly as glibc does.
   */
  private plainNumber(from: number, to: number): number {
    const bytes = this.bytes;
    let value = 0;
    let i = from;
    for (; i < to && i - from <= SAFE_DIGITS; i++) {
      const digit = bytes[i]! - 0x30;
      if (digit < 0 || digit > 9) break;
      value = value * 10 + digit;
    }
    // strtol stops at the first non-digit: whatever follows the digits does not matter.
    if (i > from && i - from <= SAFE_DIGITS && (i === to || bytes[i]! < 0x30 || bytes[i]! > 0x39)) return value;
    return NaN;
  }

  /** Reads the next item. */
  next(): AofItemKind {
    const bytes = this.bytes;
    const size = bytes.length;
    const start = this.pos;
    this.start = start;
    if (start >= size) return AofItem.end;
    let lineEnd = this.pieceEnd(start);
    const first = bytes[start];
    if (first === HASH) {
      this.pos = lineEnd;
      return AofItem.annotation;
    }
    if (first !== STAR) {
      return this.fail(AofItem.badFormat, start, `expected '*' or '#' at the start of a command, got ${describeByte(bytes, start)}`);
    }
    if (lineEnd - start < 2 || bytes[start + 1] === 0) {
      // Redis tells these apart with feof(): only a line cut by the end of the file is a short read.
      if (lineEnd >= size && bytes[lineEnd - 1] !== NEWLINE) {
        this.pos = lineEnd;
        return this.fail(AofItem.shortRead, start, 'the file ends inside a multibulk count');
      }
      return this.fail(AofItem.readError, start + 1, "a NUL byte right after '*'");
    }
    // C atoi: strtol's value cast to a 32-bit int (a value past int wraps).
    let argc = this.plainNumber(start + 1, lineEnd);
    if (!(argc <= 0x7fffffff)) {
      argc = Number(BigInt.asIntN(32, Number.isNaN(argc) ? strtolSlow(bytes, start + 1, lineEnd) : BigInt(argc)));
    }
    if (argc < 1) {
      const line = bytesToBin(bytes.subarray(start, lineEnd));
      return this.fail(AofItem.badFormat, start, `multibulk count ${JSON.stringify(line.replace(/\r?\n$/, ''))} is not a positive integer`);
    }
    let pos = lineEnd;
    const argStart = this.argStart;
    const argLength = this.argLength;
    for (let j = 0; j < argc; j++) {
      if (pos >= size) return this.short(pos, `the file ends before argument ${j + 1} of ${argc}`);
      const lenStart = pos;
      lineEnd = this.pieceEnd(pos);
      pos = lineEnd;
      if (bytes[lenStart] !== DOLLAR) {
        return this.fail(AofItem.badFormat, lenStart, `expected '$' at the start of argument ${j + 1}, got ${describeByte(bytes, lenStart)}`);
      }
      let len = this.plainNumber(lenStart + 1, lineEnd);
      if (Number.isNaN(len)) {
        const exact = strtolSlow(bytes, lenStart + 1, lineEnd);
        if (exact < 0n) return this.fail(AofItem.crash, lenStart, `negative bulk length ${exact}: redis-server 7.0.15 aborts`);
        if (exact > BigInt(size - pos)) return this.short(pos, `argument ${j + 1} needs ${exact} bytes, ${size - pos} left`);
        len = Number(exact);
      } else if (len > size - pos) {
        return this.short(pos, `argument ${j + 1} needs ${len} bytes, ${size - pos} left`);
      }
      argStart[j] = pos;
      argLength[j] = len;
      pos += len;
      // The payload is read blind; the 2 bytes after it are skipped without being looked at.
      if (size - pos < 2) return this.short(pos, `the file ends before the 2 bytes after argument ${j + 1}`);
      pos += 2;
    }
    this.argc = argc;
    this.pos = pos;
    return AofItem.command;
  }

  private fail(kind: AofItemKind, offset: number, reason: string): AofItemKind {
    this.failOffset = offset;
    this.failReason = reason;
    return kind;
  }

  /** A short read inside the command at `start`, having read up to `pos`. */
  private short(pos: number, reason: string): AofItemKind {
    this.pos = pos;
    return this.fail(AofItem.shortRead, this.start, reason);
  }

  /** Argument `i` of the command just read, as a bin string. */
  arg(i: number): string {
    const from = this.argStart[i]!;
    return binOfRange(this.bytes, from, from + this.argLength[i]!);
  }

  /** The command's name (argument 0), the same string as last time when its bytes repeat. */
  name(): string {
    const bytes = this.bytes;
    const from = this.argStart[0]!;
    const length = this.argLength[0]!;
    const last = this.lastName;
    if (last.length === length) {
      let same = true;
      for (let i = 0; i < length; i++) {
        if (last.charCodeAt(i) !== bytes[from + i]) {
          same = false;
          break;
        }
      }
      if (same) return last;
    }
    return (this.lastName = binOfRange(bytes, from, from + length));
  }

  /** Every argument of the command just read. */
  argv(): string[] {
    const argc = this.argc;
    const argv = new Array<string>(argc);
    argv[0] = this.name();
    for (let i = 1; i < argc; i++) argv[i] = this.arg(i);
    return argv;
  }

  /** True when the command's name is `lower` (lowercase ASCII letters) in any case. */
  nameIs(lower: string): boolean {
    const length = lower.length;
    if (this.argLength[0] !== length) return false;
    const bytes = this.bytes;
    const from = this.argStart[0]!;
    // Only ASCII letters: `| 0x20` maps exactly 'A'–'Z' onto 'a'–'z' and nothing else onto them.
    for (let i = 0; i < length; i++) if ((bytes[from + i]! | 0x20) !== lower.charCodeAt(i)) return false;
    return true;
  }

  /** The item just read, as a bin string (an annotation's line, terminator included). */
  text(): string {
    return bytesToBin(this.bytes.subarray(this.start, this.pos));
  }
}

function describeByte(bytes: Uint8Array, at: number): string {
  return at >= bytes.length ? 'the end of the file' : `byte 0x${bytes[at]!.toString(16).padStart(2, '0')}`;
}
