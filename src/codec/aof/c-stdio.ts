/**
 * The few C library behaviours Redis's AOF code leans on, reproduced on bin strings so that the
 * manifest parser, the loader and redis-check-aof read bytes exactly as the C code does: `fgets`
 * pieces, C strings that end at a NUL byte, and glibc's strtol/atoi/atoll number parsing.
 *
 * Contract: pure helpers for src/codec/aof only.
 */

/** C isspace() in the "C" locale: space, \t, \n, \v, \f, \r. */
export function isCSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** What C string functions see of a bin string: everything before the first NUL. */
export function cString(bin: string): string {
  const nul = bin.indexOf('\0');
  return nul < 0 ? bin : bin.slice(0, nul);
}

/**
 * The next `fgets` piece of `text` from `pos` with a buffer of `size` bytes: up to and including a
 * `\n`, at most size-1 bytes, or up to the end.
 */
export function fgetsPiece(text: string, pos: number, size: number): string {
  // Search only the window: a file without newlines must not cost a scan to its end per piece.
  const span = text.slice(pos, Math.min(text.length, pos + size - 1));
  const nl = span.indexOf('\n');
  return nl >= 0 ? span.slice(0, nl + 1) : span;
}

const LLONG_MAX = 9223372036854775807n;
const LLONG_MIN = -9223372036854775808n;

/**
 * glibc strtol/strtoll base 10 on a 64-bit long from `from`: leading isspace, an optional sign,
 * digits up to the first other byte; saturates at the long range. `end` is where parsing stopped
 * (C's endptr: `from` itself when there are no digits).
 */
export function cStrtol(text: string, from: number): { value: bigint; end: number } {
  let i = from;
  while (i < text.length && isCSpace(text.charCodeAt(i))) i++;
  let negative = false;
  const sign = text.charCodeAt(i);
  if (sign === 0x2d || sign === 0x2b) {
    negative = sign === 0x2d;
    i++;
  }
  const start = i;
  while (i < text.length && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
  if (i === start) return { value: 0n, end: from };
  let value = BigInt(text.slice(start, i));
  if (negative) value = -value;
  if (value > LLONG_MAX) value = LLONG_MAX;
  if (value < LLONG_MIN) value = LLONG_MIN;
  return { value, end: i };
}

/** C atoi: strtol's value cast to a 32-bit int (a value past int wraps). */
export function cAtoi(text: string, from: number): number {
  return Number(BigInt.asIntN(32, cStrtol(text, from).value));
}
