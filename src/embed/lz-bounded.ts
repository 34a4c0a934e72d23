/**
 * Reads lz-string's URI-safe form (`compressToEncodedURIComponent`) with a ceiling on the text it
 * may produce. lz-string's own decoder has none, and its LZW dictionary lets a short input expand
 * quadratically: a few kilobytes of hostile URL could ask for hundreds of megabytes. This decoder
 * stops as soon as the output would pass `maxChars`, and says whether the input was too large or
 * not a well-formed stream. Compression stays lz-string's (see url-state.ts).
 *
 * The stream: symbols of 6 bits each (one URI-safe character each), read least significant bit
 * first into codes whose width grows with the dictionary. Codes 0 and 1 introduce a literal
 * character of 8 or 16 bits, code 2 ends the stream, and every other code names a dictionary
 * entry; each entry read adds "previous entry + first character of this one" to the dictionary.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
const SYMBOL_BITS = 6;
const LITERAL_8 = 0;
const LITERAL_16 = 1;
const END_OF_STREAM = 2;
const FIRST_ENTRY = 3;

const SYMBOL_VALUE = new Map([...ALPHABET].map((symbol, value) => [symbol, value]));

/** Bits read from the symbols, least significant bit of each symbol's value last (lz-string's order). */
class BitReader {
  private index = 0;
  private value = 0;
  private mask = 0;

  constructor(private readonly symbols: string) {}

  /** `count` bits as a number (first bit read is the lowest), or null past the end or on a foreign symbol. */
  read(count: number): number | null {
    let result = 0;
    for (let bit = 0; bit < count; bit++) {
      if (this.mask === 0) {
        const symbol = this.symbols[this.index++];
        const value = symbol === undefined ? undefined : SYMBOL_VALUE.get(symbol);
        if (value === undefined) return null;
        this.value = value;
        this.mask = 1 << (SYMBOL_BITS - 1);
      }
      if ((this.value & this.mask) !== 0) result |= 1 << bit;
      this.mask >>= 1;
    }
    return result;
  }
}

export type DecompressResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: 'malformed' | 'too-large' };

const MALFORMED: DecompressResult = { ok: false, reason: 'malformed' };

/** The text an lz-string URI component encodes, unless it is malformed or longer than `maxChars`. */
export function decompressBounded(encoded: string, maxChars: number): DecompressResult {
  // A `+` turned into a space by a form encoder still means `+`.
  const reader = new BitReader(encoded.replace(/ /g, '+'));
  const dictionary: string[] = [];
  let codeBits = 2;
  /** Entries that can still be added before the code width grows by one bit. */
  let roomAtWidth = 2;
  const grow = (): void => {
    roomAtWidth--;
    if (roomAtWidth === 0) {
      roomAtWidth = 2 ** codeBits;
      codeBits++;
    }
  };
  const readLiteral = (code: number): string | null => {
    const char = reader.read(code === LITERAL_8 ? 8 : 16);
    return char === null ? null : String.fromCharCode(char);
  };

  const firstCode = reader.read(codeBits);
  if (firstCode === END_OF_STREAM) return { ok: true, text: '' };
  if (firstCode === null || (firstCode !== LITERAL_8 && firstCode !== LITERAL_16)) return MALFORMED;
  const first = readLiteral(firstCode);
  if (first === null) return MALFORMED;
  // Codes 0 to 2 are the markers above; the first entry is code 3, so the length is the next code.
  dictionary[FIRST_ENTRY] = first;
  codeBits = 3;
  roomAtWidth = 4;
  let previous = first;
  const output = [first];
  let length = first.length;

  for (;;) {
    let code = reader.read(codeBits);
    if (code === null) return MALFORMED;
    if (code === END_OF_STREAM) return { ok: true, text: output.join('') };
    if (code === LITERAL_8 || code === LITERAL_16) {
      const literal = readLiteral(code);
      if (literal === null) return MALFORMED;
      code = dictionary.length;
      dictionary[code] = literal;
      grow();
    }
    const known = dictionary[code];
    // The one code not yet in the dictionary that LZW allows: the entry being defined right now.
    const entry = known ?? (code === dictionary.length ? previous + previous.charAt(0) : null);
    if (entry === null) return MALFORMED;
    length += entry.length;
    if (length > maxChars) return { ok: false, reason: 'too-large' };
    output.push(entry);
    dictionary.push(previous + entry.charAt(0));
    grow();
    previous = entry;
  }
}
