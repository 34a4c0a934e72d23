/**
 * Redis 7.0's number parsing and formatting, reproduced byte for byte.
 *
 * Contract: every function takes or returns bin strings (see bytes.ts) and is pure and
 * deterministic. The accepted syntax and the produced text match what a real redis-server 7.0.15 on
 * x86-64 glibc does; the expected values in test/codec/numbers.test.ts were captured from one.
 *
 * - Integers follow Redis's own strict int64 parser (no '+', no leading zeros, no "-0").
 * - Doubles follow glibc strtod (decimal, hex floats, inf/infinity) with Redis's extra checks; text
 *   goes out as printf "%.17g".
 * - INCRBYFLOAT/HINCRBYFLOAT compute in x87 80-bit long double (64-bit mantissa). JavaScript has no
 *   such type, so it is modelled exactly with BigInt: value = (-1)^neg * mant * 2^exp, rounded
 *   half-to-even to 64 significant bits with the x87 exponent range, printed as "%.17Lf".
 */

// ---------------------------------------------------------------------------------------------
// Integers
// ---------------------------------------------------------------------------------------------

const INT64_MAX = 9223372036854775807n;
const INT64_MIN_MAGNITUDE = 9223372036854775808n;

/**
 * Parses a bin string the way Redis's string2ll does (INCR, INCRBY, SET EX, list indexes, ...).
 *
 * Accepts an optional '-' followed by decimal digits without leading zeros ("0" itself is fine),
 * within int64. Rejects "", "-", "-0", "+1", " 1", "1 ", "01" and anything out of range.
 *
 * @returns a number when |value| <= 2^53-1, a bigint beyond that, or null when Redis would reply
 * "value is not an integer or out of range".
 */
export function parseInteger(bin: string): number | bigint | null {
  const len = bin.length;
  // 20 characters is "-9223372036854775808"; anything longer is out of range or has leading zeros.
  if (len === 0 || len > 20) return null;
  let i = 0;
  let c = bin.charCodeAt(0);
  let neg = false;
  if (c === 45 /* '-' */) {
    if (len === 1) return null;
    neg = true;
    i = 1;
    c = bin.charCodeAt(1);
  } else if (c === 48 /* '0' */) {
    return len === 1 ? 0 : null;
  }
  // The first digit must be 1-9: this is what rejects "-0", "-01" and "00".
  if (c < 49 || c > 57) return null;
  const digits = len - i;
  if (digits <= 15) {
    // Hot path: 15 digits always fit a double exactly, so plain arithmetic is exact.
    let v = c - 48;
    for (i++; i < len; i++) {
      const d = bin.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return null;
      v = v * 10 + d;
    }
    return neg ? -v : v;
  }
  if (digits > 19) return null;
  // 16-19 digits: split into a head and a 15-digit tail, each exact as a double.
  const split = len - 15;
  let head = 0;
  for (; i < split; i++) {
    const d = bin.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return null;
    head = head * 10 + d;
  }
  let tail = 0;
  for (; i < len; i++) {
    const d = bin.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return null;
    tail = tail * 10 + d;
  }
  // Exact when the true value is <= 2^53-1; when it is larger the rounded sum is >= 2^53 too.
  const approx = head * 1e15 + tail;
  if (approx <= Number.MAX_SAFE_INTEGER) return neg ? -approx : approx;
  const big = BigInt(head) * 1000000000000000n + BigInt(tail);
  if (neg) return big > INT64_MIN_MAGNITUDE ? null : -big;
  return big > INT64_MAX ? null : big;
}

// ---------------------------------------------------------------------------------------------
// strtod / strtold syntax
// ---------------------------------------------------------------------------------------------

const enum Kind {
  None,
  Decimal,
  Hex,
  Inf,
  NaN,
}

/**
 * What the last scan() found. Module-level scratch rather than a returned object, because
 * parseDouble sits on the ZADD path and should not allocate.
 */
const scanned = {
  kind: Kind.None,
  neg: false,
  /** Index of the sign, or of the first digit when there is no sign. */
  start: 0,
  /** One past the last character glibc would consume (strtod's endptr). */
  end: 0,
  /** Mantissa digits: [intStart, intEnd) before the point, [fracStart, fracEnd) after it. */
  intStart: 0,
  intEnd: 0,
  fracStart: 0,
  fracEnd: 0,
  /** Exponent after 'e'/'p', clamped to +-1e9 (far beyond any finite result). */
  exp: 0,
  /** Whether any mantissa digit is non-zero: a zero result is then an underflow (ERANGE). */
  nonzero: false,
};

const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const hexValue = (c: number): number =>
  c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
const lower = (c: number): number => c | 0x20;

/** Case-insensitive match of lowercase ASCII `word` at position i. */
function matchWord(s: string, i: number, word: string): boolean {
  if (i + word.length > s.length) return false;
  for (let k = 0; k < word.length; k++) if (lower(s.charCodeAt(i + k)) !== word.charCodeAt(k)) return false;
  return true;
}

/**
 * Scans the longest prefix of s[i..] that glibc's strtod/strtold would convert, in the C locale,
 * after any leading whitespace has already been skipped by the caller. Fills `scanned`.
 */
function scan(s: string, i: number): Kind {
  const len = s.length;
  scanned.start = i;
  scanned.neg = false;
  scanned.nonzero = false;
  scanned.exp = 0;
  let c = s.charCodeAt(i);
  if (c === 43 /* '+' */ || c === 45 /* '-' */) {
    scanned.neg = c === 45;
    c = s.charCodeAt(++i);
  }
  const l = lower(c);
  if (l === 105 /* 'i' */) {
    if (!matchWord(s, i, 'inf')) return (scanned.kind = Kind.None);
    scanned.end = matchWord(s, i + 3, 'inity') ? i + 8 : i + 3;
    return (scanned.kind = Kind.Inf);
  }
  if (l === 110 /* 'n' */) {
    if (!matchWord(s, i, 'nan')) return (scanned.kind = Kind.None);
    let j = i + 3;
    // "nan(chars)" is consumed whole when the parenthesis closes; otherwise only "nan" is.
    if (s.charCodeAt(j) === 40 /* '(' */) {
      let k = j + 1;
      for (; k < len; k++) {
        const d = s.charCodeAt(k);
        if (!(isDigit(d) || (lower(d) >= 97 && lower(d) <= 122) || d === 95)) break;
      }
      if (s.charCodeAt(k) === 41 /* ')' */) j = k + 1;
    }
    scanned.end = j;
    return (scanned.kind = Kind.NaN);
  }
  // Hex needs "0x" followed by a hex digit, or by '.' and a hex digit; otherwise "0" is decimal.
  if (c === 48 && lower(s.charCodeAt(i + 1)) === 120 /* 'x' */) {
    const a = s.charCodeAt(i + 2);
    if (hexValue(a) >= 0 || (a === 46 && hexValue(s.charCodeAt(i + 3)) >= 0)) return scanHex(s, i + 2);
  }
  let j = i;
  scanned.intStart = j;
  while (j < len && isDigit((c = s.charCodeAt(j)))) {
    if (c !== 48) scanned.nonzero = true;
    j++;
  }
  scanned.intEnd = j;
  scanned.fracStart = scanned.fracEnd = j;
  if (s.charCodeAt(j) === 46 /* '.' */) {
    scanned.fracStart = ++j;
    while (j < len && isDigit((c = s.charCodeAt(j)))) {
      if (c !== 48) scanned.nonzero = true;
      j++;
    }
    scanned.fracEnd = j;
  }
  if (scanned.intEnd === scanned.intStart && scanned.fracEnd === scanned.fracStart) {
    return (scanned.kind = Kind.None);
  }
  scanned.end = scanExponent(s, j, 101 /* 'e' */);
  return (scanned.kind = Kind.Decimal);
}

function scanHex(s: string, j: number): Kind {
  const len = s.length;
  let h: number;
  scanned.intStart = j;
  while (j < len && (h = hexValue(s.charCodeAt(j))) >= 0) {
    if (h !== 0) scanned.nonzero = true;
    j++;
  }
  scanned.intEnd = j;
  scanned.fracStart = scanned.fracEnd = j;
  if (s.charCodeAt(j) === 46) {
    scanned.fracStart = ++j;
    while (j < len && (h = hexValue(s.charCodeAt(j))) >= 0) {
      if (h !== 0) scanned.nonzero = true;
      j++;
    }
    scanned.fracEnd = j;
  }
  scanned.end = scanExponent(s, j, 112 /* 'p' */);
  return (scanned.kind = Kind.Hex);
}

/** Consumes "e[+-]digits" (or "p..." for hex) at j when complete; a bare 'e' is left unconsumed. */
function scanExponent(s: string, j: number, letter: number): number {
  if (lower(s.charCodeAt(j)) !== letter) return j;
  let k = j + 1;
  let c = s.charCodeAt(k);
  let neg = false;
  if (c === 43 || c === 45) {
    neg = c === 45;
    c = s.charCodeAt(++k);
  }
  if (!isDigit(c)) return j;
  let e = 0;
  for (; k < s.length && isDigit((c = s.charCodeAt(k))); k++) if (e < 1e9) e = e * 10 + (c - 48);
  scanned.exp = neg ? -e : e;
  return k;
}

// ---------------------------------------------------------------------------------------------
// Exact binary rounding (shared by hex doubles and long doubles)
// ---------------------------------------------------------------------------------------------

/** A binary floating-point format: significand bits, LSB exponent of the smallest subnormal, top exponent. */
interface BinaryFormat {
  readonly precision: number;
  readonly minExp: number;
  readonly maxTop: number;
  /** Decimal magnitudes (value < 10^mag) outside which no finite non-zero result is possible. */
  readonly overflowMag: number;
  readonly underflowMag: number;
}

/** IEEE binary64: 53 bits, subnormals down to 2^-1074, largest finite below 2^1024. */
const BINARY64: BinaryFormat = { precision: 53, minExp: -1074, maxTop: 1023, overflowMag: 310, underflowMag: -324 };
/** x87 extended: 64 bits, subnormals down to 2^-16445, largest finite below 2^16384 (~1.19e4932). */
const X87: BinaryFormat = { precision: 64, minExp: -16445, maxTop: 16383, overflowMag: 4934, underflowMag: -4951 };

/** Number of bits in a non-negative bigint (0 for 0). */
function bitLength(x: bigint): number {
  if (x < 9007199254740992n) {
    const n = Number(x);
    return n < 4294967296 ? 32 - Math.clz32(n) : 64 - Math.clz32(Math.floor(n / 4294967296));
  }
  const hex = x.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0]!, 16)));
}

const pow10Cache: bigint[] = [];
function pow10(k: number): bigint {
  if (k < 64) return (pow10Cache[k] ??= 10n ** BigInt(k));
  return 10n ** BigInt(k);
}

/** Result of rounding: value = mant * 2^exp, or overflow (Infinity). mant 0 means underflow to zero. */
interface Rounded {
  mant: bigint;
  exp: number;
  overflow: boolean;
}

/**
 * Rounds q * 2^e (plus a sticky "something non-zero below q's last bit") to the format,
 * half to even, with gradual underflow. The caller guarantees that q carries at least two bits
 * more than the result keeps whenever `sticky` is set, so the sticky bit never sits on a kept bit.
 */
function roundBinary(q: bigint, e: number, sticky: boolean, fmt: BinaryFormat): Rounded {
  const bl = bitLength(q);
  const lsb = Math.max(e + bl - fmt.precision, fmt.minExp);
  let mant = q;
  let exp = e;
  if (lsb > e) {
    const shift = BigInt(lsb - e);
    mant = q >> shift;
    const rem = q - (mant << shift);
    const half = 1n << (shift - 1n);
    if (rem > half || (rem === half && (sticky || (mant & 1n) === 1n))) mant += 1n;
    exp = lsb;
  }
  const top = exp + bitLength(mant) - 1;
  return { mant, exp, overflow: mant !== 0n && top > fmt.maxTop };
}

/**
 * The scanned mantissa's digits (integer and fraction parts joined), the span without leading and
 * trailing zeros, and where the point was.
 */
function scannedDigits(s: string): { digits: string; first: number; last: number; point: number } {
  const { intStart, intEnd, fracStart, fracEnd } = scanned;
  const digits = s.slice(intStart, intEnd) + s.slice(fracStart, fracEnd);
  let first = 0;
  while (digits.charCodeAt(first) === 48) first++;
  let last = digits.length - 1;
  while (digits.charCodeAt(last) === 48) last--;
  return { digits, first, last, point: intEnd - intStart };
}

/** The scanned decimal mantissa and exponent, rounded exactly to the format. */
function roundScannedDecimal(s: string, fmt: BinaryFormat): Rounded {
  const { digits, first, last, point } = scannedDigits(s);
  // The value lies in [10^(mag-1), 10^mag).
  const mag = point + scanned.exp - first;
  if (mag > fmt.overflowMag) return { mant: 1n, exp: fmt.maxTop + 1, overflow: true };
  if (mag < fmt.underflowMag) return { mant: 0n, exp: 0, overflow: false };
  const d = BigInt(digits.slice(first, last + 1));
  const e10 = point + scanned.exp - (last + 1);
  if (e10 >= 0) return roundBinary(d * pow10(e10), 0, false, fmt);
  const den = pow10(-e10);
  const bd = bitLength(d);
  const bq = bitLength(den);
  // Enough quotient bits for the precision plus guard bits; near the subnormal range, enough to
  // reach below the smallest subnormal so the sticky bit stays below the rounding position.
  let shift = fmt.precision + 3 + bq - bd;
  if (bd - bq + 1 - fmt.precision <= fmt.minExp + 2) shift = Math.max(shift, 3 - fmt.minExp);
  if (shift < 0) shift = 0;
  const num = d << BigInt(shift);
  const q = num / den;
  return roundBinary(q, -shift, q * den !== num, fmt);
}

/** The scanned hex mantissa and binary exponent, rounded exactly to the format. */
function roundScannedHex(s: string, fmt: BinaryFormat): Rounded {
  if (!scanned.nonzero) return { mant: 0n, exp: 0, overflow: false };
  const { digits, first, last, point } = scannedDigits(s);
  // The top bit is at most 4*(point-first)-1+exp and at least 3 below that.
  const top = 4 * (point - first) - 1 + scanned.exp;
  if (top - 3 > fmt.maxTop + 1) return { mant: 1n, exp: fmt.maxTop + 1, overflow: true };
  if (top < fmt.minExp - 2) return { mant: 0n, exp: 0, overflow: false };
  const h = BigInt('0x' + digits.slice(first, last + 1));
  return roundBinary(h, 4 * (point - 1 - last) + scanned.exp, false, fmt);
}

// ---------------------------------------------------------------------------------------------
// Doubles
// ---------------------------------------------------------------------------------------------

/** A hex-float (or other exactly rounded) result as a JS number. */
function toNumber(r: Rounded, neg: boolean): number {
  // mant < 2^53 and exp within [-1074, 971], so both factors and the product are exact.
  const v = r.overflow ? Infinity : Number(r.mant) * 2 ** r.exp;
  return neg ? -v : v;
}

/**
 * Parses a double the way Redis 7.0's getDoubleFromObject/string2d does: ZADD and ZINCRBY scores,
 * ZUNIONSTORE WEIGHTS, GEO coordinates and radii.
 *
 * glibc strtod syntax (decimal, "0x" hex floats with optional 'p' exponent, inf/infinity in any
 * case, optional sign) over the whole string, plus Redis's checks: not empty, no leading
 * whitespace, no trailing bytes (an embedded NUL counts), not NaN, and no ERANGE overflow or
 * underflow-to-zero ("1e400", "1e-400" are rejected; subnormals such as "5e-324" are accepted).
 *
 * @returns the double (may be +-Infinity or -0), or null for "value is not a valid float".
 */
export function parseDouble(bin: string): number | null {
  const len = bin.length;
  if (len === 0 || isSpace(bin.charCodeAt(0))) return null;
  const kind = scan(bin, 0);
  if (kind === Kind.None || kind === Kind.NaN || scanned.end !== len) return null;
  if (kind === Kind.Inf) return scanned.neg ? -Infinity : Infinity;
  if (kind === Kind.Decimal) {
    // V8's string-to-number is correctly rounded (half to even), as glibc's strtod is, and the
    // scan has already restricted the text to syntax both read identically.
    const v = Number(bin);
    if (v === Infinity || v === -Infinity || (v === 0 && scanned.nonzero)) return null;
    return v;
  }
  const r = roundScannedHex(bin, BINARY64);
  if (r.overflow || (r.mant === 0n && scanned.nonzero)) return null;
  return toNumber(r, scanned.neg);
}

/**
 * Parses a sorted-set score range bound (ZRANGEBYSCORE, ZCOUNT, ZREMRANGEBYSCORE, ZRANGE BYSCORE)
 * after the caller has removed an optional leading '(' . Redis 7.0 checks these far less strictly
 * than parseDouble: plain strtod, then only "the end pointer is at a NUL byte" and "not NaN". So
 * leading whitespace is skipped (" 1"), "" and "(" mean 0, bytes after an embedded NUL are ignored
 * ("1\0junk" is 1), and overflow/underflow give +-Infinity/0 instead of an error.
 *
 * @returns the bound, or null for "min or max is not a float".
 */
export function parseScoreBound(bin: string): number | null {
  const len = bin.length;
  let i = 0;
  while (i < len && isSpace(bin.charCodeAt(i))) i++;
  const kind = i < len ? scan(bin, i) : Kind.None;
  // With nothing converted strtod's end pointer is the start of the string itself.
  const end = kind === Kind.None ? 0 : scanned.end;
  if (end < len && bin.charCodeAt(end) !== 0) return null;
  switch (kind) {
    case Kind.None:
      return 0;
    case Kind.NaN:
      return null;
    case Kind.Inf:
      return scanned.neg ? -Infinity : Infinity;
    case Kind.Decimal:
      return Number(bin.slice(scanned.start, end));
    case Kind.Hex: {
      const r = roundScannedHex(bin, BINARY64);
      return toNumber(r, scanned.neg);
    }
  }
}

const TWO_POW_25 = 33554432;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * Formats a double the way Redis 7.0 replies with one (addReplyDouble, RESP2): "inf"/"-inf", else
 * printf "%.17g". So 0.1 gives "0.10000000000000001", 1e-5 "1.0000000000000001e-05", -0 "-0".
 * NaN never reaches a reply in Redis; it is formatted as "nan" here.
 */
export function formatDouble(d: number): string {
  if (Number.isInteger(d) && d < 1e17 && d > -1e17) {
    // %.17g prints integers below 1e17 in full. String() is exact up to 2^53 only; above it
    // gives the shortest round-trip text ("25917821091296690" for ...688).
    if (d <= MAX_SAFE && d >= -MAX_SAFE) return d === 0 && 1 / d < 0 ? '-0' : String(d);
    return BigInt(d).toString();
  }
  if (d !== d) return 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  // toExponential(16) gives the 17 significant digits %.17g needs, but rounds exact ties upward
  // where glibc rounds them to even; ties are rare enough to settle exactly in tieDigits().
  const text = d.toExponential(16);
  const neg = d < 0;
  const at = text.indexOf('e');
  let digits = (neg ? text.slice(1, 2) + text.slice(3, at) : text.slice(0, 1) + text.slice(2, at));
  let exp = Number(text.slice(at + 1));
  if (Number.isInteger(d * TWO_POW_25) && !Number.isInteger(d)) {
    const tie = tieDigits(neg ? -d : d);
    if (tie !== null) {
      digits = tie.digits;
      exp = tie.exp;
    }
  }
  return (neg ? '-' : '') + layoutG(digits, exp);
}

/**
 * When x's exact decimal expansion has exactly 18 significant digits ending in 5 (a tie for 17
 * digits), returns the 17 digits rounded half to even, as glibc does; otherwise null.
 * Only called for non-integers with at most 25 fractional bits, the only doubles that can tie.
 */
function tieDigits(x: number): { digits: string; exp: number } | null {
  // x = m / 2^k exactly; its expansion then has exactly k fractional digits, the last one a 5.
  let k = 0;
  let t = x;
  while (!Number.isInteger(t)) {
    t *= 2;
    k++;
  }
  const e10 = Math.floor(Math.log10(x));
  if (e10 + k + 1 < 17 || e10 + k + 1 > 19) return null;
  const exact = (BigInt(t) * 5n ** BigInt(k)).toString();
  const expOf = exact.length - k - 1;
  const sig = exact.replace(/^0+/, '');
  if (sig.length !== 18 || !sig.endsWith('5')) return null;
  let head = BigInt(sig.slice(0, 17));
  if ((head & 1n) === 1n) head += 1n;
  let digits = head.toString();
  let exp = expOf;
  if (digits.length > 17) {
    digits = digits.slice(0, 17);
    exp++;
  }
  return { digits, exp };
}

/** printf %g layout of 17 significant digits d[0].d[1..] x 10^exp, trailing zeros removed. */
function layoutG(digits: string, exp: number): string {
  let end = digits.length;
  while (end > 1 && digits.charCodeAt(end - 1) === 48) end--;
  const sig = digits.slice(0, end);
  if (exp < -4 || exp >= 17) {
    const mant = sig.length > 1 ? sig[0] + '.' + sig.slice(1) : sig;
    const abs = exp < 0 ? -exp : exp;
    return mant + (exp < 0 ? 'e-' : 'e+') + (abs < 10 ? '0' + abs : String(abs));
  }
  if (exp < 0) return '0.' + '0'.repeat(-exp - 1) + sig;
  if (sig.length <= exp + 1) return sig + '0'.repeat(exp + 1 - sig.length);
  return sig.slice(0, exp + 1) + '.' + sig.slice(exp + 1);
}

// ---------------------------------------------------------------------------------------------
// Long doubles (INCRBYFLOAT, HINCRBYFLOAT)
// ---------------------------------------------------------------------------------------------

/**
 * An x87 80-bit long double: (-1)^neg * mant * 2^exp when finite (mant < 2^64), else +-infinity.
 * NaN is never produced: Redis rejects it on input and reports it as an error on output.
 */
export interface LongDouble {
  readonly neg: boolean;
  readonly finite: boolean;
  readonly mant: bigint;
  readonly exp: number;
}

/** Redis copies the text into a MAX_LONG_DOUBLE_CHARS (5120) buffer with its NUL. */
const MAX_LONG_DOUBLE_TEXT = 5119;

/**
 * Parses a long double the way Redis 7.0's string2ld does (INCRBYFLOAT's stored value and
 * increment, HINCRBYFLOAT's): glibc strtold syntax over the whole string, rejecting "", text longer
 * than 5119 bytes, leading whitespace, trailing bytes, NaN, and ERANGE overflow or
 * underflow-to-zero. The range is the x87 one, so "1e400" and "1e-4950" are fine while "1e4933"
 * and "1e-4952" are not. "inf"/"-infinity" are accepted (the addition then fails).
 *
 * @returns the value, or null for "value is not a valid float".
 */
export function parseLongDouble(bin: string): LongDouble | null {
  const len = bin.length;
  if (len === 0 || len > MAX_LONG_DOUBLE_TEXT || isSpace(bin.charCodeAt(0))) return null;
  const kind = scan(bin, 0);
  if (kind === Kind.None || kind === Kind.NaN || scanned.end !== len) return null;
  const neg = scanned.neg;
  if (kind === Kind.Inf) return { neg, finite: false, mant: 0n, exp: 0 };
  if (!scanned.nonzero) return { neg, finite: true, mant: 0n, exp: 0 };
  const r = kind === Kind.Decimal ? roundScannedDecimal(bin, X87) : roundScannedHex(bin, X87);
  if (r.overflow || r.mant === 0n) return null;
  return { neg, finite: true, mant: r.mant, exp: r.exp };
}

const INFINITY_LD: LongDouble = { neg: false, finite: false, mant: 0n, exp: 0 };

/** a + b in x87 long double arithmetic (round to nearest even). Infinite inputs give infinity. */
function addLongDouble(a: LongDouble, b: LongDouble): LongDouble {
  if (!a.finite || !b.finite) return INFINITY_LD;
  if (b.mant === 0n) return a.mant === 0n ? { ...a, neg: a.neg && b.neg } : a;
  if (a.mant === 0n) return b;
  // When one operand is far below the other's last bit it cannot change the rounded sum, and
  // skipping it avoids shifting by thousands of bits.
  const topA = a.exp + bitLength(a.mant);
  const topB = b.exp + bitLength(b.mant);
  if (topA - topB > X87.precision + 2) return a;
  if (topB - topA > X87.precision + 2) return b;
  const e = Math.min(a.exp, b.exp);
  const sa = a.mant << BigInt(a.exp - e);
  const sb = b.mant << BigInt(b.exp - e);
  const sum = (a.neg ? -sa : sa) + (b.neg ? -sb : sb);
  // An exact zero sum is +0 in round-to-nearest.
  if (sum === 0n) return { neg: false, finite: true, mant: 0n, exp: 0 };
  const neg = sum < 0n;
  const r = roundBinary(neg ? -sum : sum, e, false, X87);
  if (r.overflow) return { neg, finite: false, mant: 0n, exp: 0 };
  return { neg, finite: true, mant: r.mant, exp: r.exp };
}

/**
 * Formats a finite long double as Redis 7.0 stores and replies INCRBYFLOAT/HINCRBYFLOAT results
 * (ld2string "human" mode): printf "%.17Lf", then trailing zeros and a trailing '.' removed, and
 * "-0" turned into "0". Never uses an exponent: 1e30 prints all 31 digits of its binary value.
 */
export function formatLongDouble(v: LongDouble): string {
  if (!v.finite) return v.neg ? '-inf' : 'inf';
  let text: string;
  if (v.exp >= 0) {
    text = (v.mant << BigInt(v.exp)).toString();
  } else {
    // Scale to 17 fractional digits and round the exact remainder half to even, as glibc does.
    const scaled = v.mant * 100000000000000000n;
    const shift = BigInt(-v.exp);
    let q = scaled >> shift;
    const rem = scaled - (q << shift);
    const half = 1n << (shift - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
    const s = q.toString().padStart(18, '0');
    const frac = s.slice(-17);
    let end = 17;
    while (end > 0 && frac.charCodeAt(end - 1) === 48) end--;
    text = end > 0 ? s.slice(0, -17) + '.' + frac.slice(0, end) : s.slice(0, -17);
  }
  return v.neg && text !== '0' ? '-' + text : text;
}

/** Outcome of incrByFloat; `operand` tells which argument was not a float. */
export type IncrByFloatResult =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly error: 'not-a-float'; readonly operand: 'current' | 'increment' }
  | { readonly ok: false; readonly error: 'nan-or-infinity' };

/**
 * INCRBYFLOAT's arithmetic: parses the stored value (null when the key or field is absent, which
 * counts as 0) and then the increment, adds them in long double, and formats the sum. The current
 * value is checked first, as INCRBYFLOAT does.
 *
 * Replies: 'not-a-float' is "ERR value is not a valid float" for INCRBYFLOAT either way; for
 * HINCRBYFLOAT a bad current value is "ERR hash value is not a float", and HINCRBYFLOAT must parse
 * its increment itself (parseLongDouble) before the type check. 'nan-or-infinity' is
 * "ERR increment would produce NaN or Infinity".
 */
export function incrByFloat(current: string | null, increment: string): IncrByFloatResult {
  const a = current === null ? ZERO_LD : parseLongDouble(current);
  if (a === null) return { ok: false, error: 'not-a-float', operand: 'current' };
  const b = parseLongDouble(increment);
  if (b === null) return { ok: false, error: 'not-a-float', operand: 'increment' };
  const sum = addLongDouble(a, b);
  if (!sum.finite) return { ok: false, error: 'nan-or-infinity' };
  return { ok: true, value: formatLongDouble(sum) };
}

const ZERO_LD: LongDouble = { neg: false, finite: true, mant: 0n, exp: 0 };
