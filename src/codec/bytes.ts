/**
 * Byte strings.
 *
 * Redis keys and values are byte strings, not text. Inside the lab a byte string is a JavaScript
 * string whose every UTF-16 code unit is one byte (0–255), the "binary string" that Node calls
 * latin1. Such strings are binary-safe, compare byte by byte exactly as Redis's memcmp does, and are
 * fast Map keys. They are called `bin` in names. Text typed by a person is UTF-8 encoded into a bin
 * string on the way in and decoded on the way out, for display only.
 */

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** Bytes → bin string. */
export function bytesToBin(bytes: Uint8Array): string {
  return bytesToBinRange(bytes, 0, bytes.length);
}

/** Runs up to this long are copied through a reused array rather than a typed-array view. */
const SHORT_RUN = 64;
/** shortRuns[n]: an array of n numbers (one per length, so none is ever resized). */
const shortRuns: number[][] = Array.from({ length: SHORT_RUN + 1 }, (_, n) => new Array<number>(n).fill(0));

/**
 * The bin string of bytes[start, end) (a range the caller has checked), without the typed-array
 * view a `subarray` would allocate: decoders make millions of short strings this way.
 */
export function bytesToBinRange(bytes: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n <= SHORT_RUN) {
    if (n <= 0) return '';
    const run = shortRuns[n] as number[];
    for (let i = 0; i < n; i++) run[i] = bytes[start + i] as number;
    return String.fromCharCode.apply(null, run);
  }
  let out = '';
  const CHUNK = 0x8000; // String.fromCharCode takes its arguments on the stack.
  for (let i = start; i < end; i += CHUNK) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(i + CHUNK, end)) as unknown as number[]);
  }
  return out;
}

/** V8 makes a `slice` of 13 characters or more a view into the string it was cut from. */
const SLICE_VIEW_MIN = 13;

/**
 * s[start, end) as a string of its own, for arguments cut from received bytes. A view would keep
 * the whole received chunk alive for as long as the keyspace holds the key or value, and a map
 * compares views on a slow path on every lookup. Short runs are copied through a reused array; a
 * longer one stays a view (a copy would cost more than it saves, and such values are rare).
 */
export function binSlice(s: string, start: number, end: number): string {
  const n = end - start;
  if (n < SLICE_VIEW_MIN || n > SHORT_RUN) return s.slice(start, end);
  const run = shortRuns[n] as number[];
  for (let i = 0; i < n; i++) run[i] = s.charCodeAt(start + i);
  return String.fromCharCode.apply(null, run);
}

/** Bin string → bytes. Code units above 0xFF cannot occur in a bin string; they are masked. */
export function binToBytes(bin: string): Uint8Array {
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i) & 0xff;
  return out;
}

/** Unicode text → the bin string of its UTF-8 bytes. */
export function utf8ToBin(text: string): string {
  // Pure ASCII is the common case and needs no re-encoding.
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return text;
  return bytesToBin(utf8Encoder.encode(text));
}

/** The bin string's bytes decoded as UTF-8, or null when they are not valid UTF-8. */
export function binToUtf8(bin: string): string | null {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(bin)) return bin;
  try {
    return utf8Decoder.decode(binToBytes(bin));
  } catch {
    return null;
  }
}

/** Lowercase hex of a bin string's bytes. */
export function binToHex(bin: string): string {
  let out = '';
  for (let i = 0; i < bin.length; i++) out += (bin.charCodeAt(i) & 0xff).toString(16).padStart(2, '0');
  return out;
}
