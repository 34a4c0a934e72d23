import { binToUtf8 } from '../codec/bytes.ts';

/**
 * Byte strings made readable for the panels. Unlike redis-cli, which escapes every byte above
 * 0x7f, the panels decode UTF-8 (so «مرحبا» reads as text); bytes that are not valid UTF-8 and
 * control characters are escaped as `\xHH`, `\n`, `\t`, so nothing invisible hides in a preview.
 */

const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\x07': '\\a', '\b': '\\b', '"': '\\"', '\\': '\\\\' };

function escapeChar(char: string): string {
  return NAMED_ESCAPES[char] ?? `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

// One pass per rendering, so an escape's own backslash is never escaped again.
/* eslint-disable no-control-regex */
const CONTROL = /[\x00-\x1f\x7f]/g;
const CONTROL_OR_QUOTE = /[\x00-\x1f\x7f"\\]/g;
const CONTROL_OR_HIGH = /[\x00-\x1f\x7f-\xff]/g;
const CONTROL_OR_HIGH_OR_QUOTE = /[\x00-\x1f\x7f-\xff"\\]/g;
/* eslint-enable no-control-regex */

/** A bin string as display text: decoded UTF-8 when valid, escapes otherwise. */
export function displayBin(bin: string): string {
  const text = binToUtf8(bin);
  return text !== null ? text.replace(CONTROL, escapeChar) : bin.replace(CONTROL_OR_HIGH, escapeChar);
}

/** A bin string shown as a quoted value: `"Ada Lovelace"`, with `"` and `\` escaped too. */
export function quoteBin(bin: string): string {
  const text = binToUtf8(bin);
  return `"${text !== null ? text.replace(CONTROL_OR_QUOTE, escapeChar) : bin.replace(CONTROL_OR_HIGH_OR_QUOTE, escapeChar)}"`;
}

/**
 * The first `maxBytes` bytes of a bin string, cut back to a UTF-8 character boundary so a long
 * Arabic or emoji value previews as text rather than as escapes of a split character.
 */
export function headBytes(bin: string, maxBytes: number): string {
  if (bin.length <= maxBytes) return bin;
  let end = maxBytes;
  // 10xxxxxx is a continuation byte: step back to the byte that starts the character.
  for (let back = 0; back < 3 && end > 0 && (bin.charCodeAt(end) & 0xc0) === 0x80; back++) end--;
  return bin.slice(0, end);
}
