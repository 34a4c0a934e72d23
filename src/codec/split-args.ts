/**
 * Splitting one typed line into arguments, by the rules Redis 7.0 uses both for inline requests on
 * the wire and for lines typed into `redis-cli` (its `sdssplitargs`).
 *
 * Contract: pure; input and output are bin strings (see bytes.ts). A console that receives Unicode
 * text converts it with `utf8ToBin` first, so that `\xHH` escapes and multibyte characters both end
 * up as bytes, exactly as in a terminal. Returns null where Redis reports unbalanced quotes.
 *
 * The rules, as observed on redis-server 7.0.15 and redis-cli 7.0.15:
 * - Arguments are separated by runs of C `isspace` bytes (space, \t, \n, \v, \f, \r); leading and
 *   trailing runs are ignored, so a blank line yields [].
 * - Inside an unquoted argument only space, \t, \n and \r end it; \v and \f are kept as ordinary
 *   bytes (`a\vb` is one argument). A quote inside an unquoted argument opens a quoted part that is
 *   glued on: `a"b c"` is the single argument `ab c`.
 * - Double quotes: `\xHH` (two hex digits, either case) is that byte; `\n \r \t \b \a` are the
 *   control bytes; a backslash before any other byte yields that byte (`\"` → `"`, `\\` → `\`,
 *   `\q` → `q`, `\x4g` → `x4g`).
 * - Single quotes: only `\'` is an escape; every other byte, backslashes included, is literal.
 * - A closing quote must be followed by whitespace or the end of the line, else the line is
 *   rejected (`"a"b` → null), as is a quote that is never closed.
 * - A NUL byte ends the line, because Redis works on C strings. (On the wire a NUL byte before the
 *   newline keeps Redis from ever finding that newline; see resp.ts.)
 */

/** C isspace() in the "C" locale: \t \n \v \f \r and space. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** The byte a backslash escape inside double quotes stands for (other than \xHH). */
function simpleEscape(c: number): string {
  switch (c) {
    case 0x6e: return '\n'; // n
    case 0x72: return '\r'; // r
    case 0x74: return '\t'; // t
    case 0x62: return '\b'; // b
    case 0x61: return '\x07'; // a
    default: return String.fromCharCode(c);
  }
}

/**
 * Splits one line (a bin string, without its line ending) into arguments by Redis's rules.
 *
 * @returns the arguments as bin strings, `[]` for a blank line, or null when quotes are unbalanced
 *   (an unterminated quote, or a closing quote followed by something other than whitespace).
 */
export function splitArgs(line: string): string[] | null {
  const nul = line.indexOf('\0');
  const len = nul < 0 ? line.length : nul;
  const args: string[] = [];
  let i = 0;
  for (;;) {
    while (i < len && isSpace(line.charCodeAt(i))) i++;
    if (i >= len) return args;

    // One argument. Runs of plain bytes are sliced rather than appended one by one.
    let cur = '';
    let runStart = i;
    let quote = 0; // 0, 0x22 (") or 0x27 (')
    for (;;) {
      if (quote === 0) {
        if (i >= len) { cur += line.slice(runStart, i); break; }
        const c = line.charCodeAt(i);
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) { cur += line.slice(runStart, i); break; }
        if (c === 0x22 || c === 0x27) {
          cur += line.slice(runStart, i);
          quote = c;
          runStart = ++i;
          continue;
        }
        i++;
        continue;
      }
      if (i >= len) return null; // the quote is never closed
      const c = line.charCodeAt(i);
      if (c === quote) {
        cur += line.slice(runStart, i);
        i++;
        if (i < len && !isSpace(line.charCodeAt(i))) return null;
        break; // a closed quote always ends the argument
      }
      if (c === 0x5c && i + 1 < len) { // backslash
        const next = line.charCodeAt(i + 1);
        if (quote === 0x22) {
          cur += line.slice(runStart, i);
          let h1 = -1;
          let h2 = -1;
          if (next === 0x78 && i + 3 < len) { // \xHH
            h1 = hexValue(line.charCodeAt(i + 2));
            h2 = hexValue(line.charCodeAt(i + 3));
          }
          if (h1 >= 0 && h2 >= 0) {
            cur += String.fromCharCode(h1 * 16 + h2);
            i += 4;
          } else {
            cur += simpleEscape(next);
            i += 2;
          }
          runStart = i;
          continue;
        }
        if (next === 0x27) { // \' inside single quotes
          cur += line.slice(runStart, i) + "'";
          i += 2;
          runStart = i;
          continue;
        }
      }
      i++;
    }
    args.push(cur);
  }
}
