/**
 * Replies formatted exactly as `redis-cli` 7.0 prints them on a terminal (its human, "--no-raw"
 * format), so that the lab's console shows what students would see in a real session.
 *
 * Contract: pure. Verified byte for byte against redis-cli 7.0.15 (test/codec/cli-format.test.ts).
 * The rules:
 * - status: its text, bare (`OK`, `PONG`); error: `(error) ` + its text; integer:
 *   `(integer) 5`; nil bulk and nil array: `(nil)`; empty array: `(empty array)`.
 * - bulk strings are quoted and escaped byte by byte: `\\` and `\"`, `\n \r \t \a \b` for those
 *   control bytes, every other byte outside printable ASCII (0x20–0x7e) as lowercase `\xHH`.
 *   redis-cli judges bytes, not characters, so UTF-8 text shows as escapes: "م" is `"\xd9\x85"`.
 * - status and error texts are written raw, and, being C strings to redis-cli, stop at a NUL byte.
 *   Their bytes reach the terminal unescaped, which shows valid UTF-8 as text.
 * - array items are numbered `1) `, the numbers right-aligned to the width of the largest; a nested
 *   array starts on its parent's line and its following lines are indented by the parent's
 *   indentation plus the parent's number width plus 2.
 */

import { binToBytes } from './bytes.ts';
import type { Reply } from './reply.ts';

const HEX = '0123456789abcdef';
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/; // printable ASCII but " and \
// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;
const utf8Lenient = new TextDecoder('utf-8'); // invalid sequences become U+FFFD, as on a terminal

/** A bin string quoted and escaped the way redis-cli (sdscatrepr) prints a string. */
export function quoteLikeRedisCli(bin: string): string {
  if (PLAIN.test(bin)) return '"' + bin + '"';
  let out = '"';
  for (let i = 0; i < bin.length; i++) {
    const c = bin.charCodeAt(i) & 0xff;
    switch (c) {
      case 0x5c: out += '\\\\'; break;
      case 0x22: out += '\\"'; break;
      case 0x0a: out += '\\n'; break;
      case 0x0d: out += '\\r'; break;
      case 0x09: out += '\\t'; break;
      case 0x07: out += '\\a'; break;
      case 0x08: out += '\\b'; break;
      default:
        out += c >= 0x20 && c <= 0x7e ? String.fromCharCode(c) : '\\x' + HEX[c >> 4]! + HEX[c & 15]!;
    }
  }
  return out + '"';
}

/** Up to the first NUL byte: how C string functions see a status or error text. */
function cString(bin: string): string {
  const nul = bin.indexOf('\0');
  return nul < 0 ? bin : bin.slice(0, nul);
}

function format(reply: Reply, prefix: string, out: string[]): void {
  switch (reply.type) {
    case 'status':
      out.push(cString(reply.value), '\n');
      return;
    case 'error':
      out.push('(error) ', cString(reply.value), '\n');
      return;
    case 'integer':
      out.push('(integer) ', String(reply.value), '\n');
      return;
    case 'bulk':
      out.push(reply.value === null ? '(nil)' : quoteLikeRedisCli(reply.value), '\n');
      return;
    case 'array': {
      const items = reply.value;
      if (items === null) {
        out.push('(nil)\n');
        return;
      }
      if (items.length === 0) {
        out.push('(empty array)\n');
        return;
      }
      const width = String(items.length).length;
      const inner = prefix + ' '.repeat(width + 2);
      for (let i = 0; i < items.length; i++) {
        // The first item continues the line on which the parent already printed this array's number.
        if (i > 0) out.push(prefix);
        out.push(String(i + 1).padStart(width, ' '), ') ');
        format(items[i]!, inner, out);
      }
      return;
    }
  }
}

/**
 * The exact bytes redis-cli 7.0 writes for `reply` on a terminal, as a bin string, without the
 * newline it writes after every reply.
 */
export function formatReplyLikeRedisCliBin(reply: Reply): string {
  const out: string[] = [];
  format(reply, '', out);
  return out.join('').slice(0, -1);
}

/**
 * What a UTF-8 terminal shows when redis-cli 7.0 prints `reply`, as display text: lines separated
 * by "\n", without a final newline. Bulk strings are pure ASCII after escaping; the raw bytes of
 * status and error texts are decoded as UTF-8, invalid sequences showing as U+FFFD.
 */
export function formatReplyLikeRedisCli(reply: Reply): string {
  const bin = formatReplyLikeRedisCliBin(reply);
  if (ASCII.test(bin)) return bin;
  return utf8Lenient.decode(binToBytes(bin));
}

/**
 * Whether redis-cli 7.0, on a terminal, prints this command's reply raw rather than formatted:
 * it does so for the commands whose reply is a text meant to be read as lines (INFO, CLIENT
 * LIST, MEMORY DOCTOR…), deciding by the words typed, before any reply comes.
 */
export function printsRawLikeRedisCli(argv: readonly string[]): boolean {
  const command = (argv[0] ?? '').toLowerCase();
  const sub = (argv[1] ?? '').toLowerCase();
  const argc = argv.length;
  if (command === 'info' || command === 'lolwut') return true;
  if (argc < 2) return false;
  switch (command) {
    case 'debug':
      return sub === 'htstats' || sub === 'htstats-key' || sub === 'client-eviction';
    case 'memory':
      return sub === 'malloc-stats' || sub === 'doctor';
    case 'client':
      return sub === 'list' || sub === 'info';
    case 'proxy':
      return sub === 'info';
    case 'cluster':
      return argc === 2 && (sub === 'nodes' || sub === 'info');
    case 'latency':
      return (argc === 3 && sub === 'graph') || (argc === 2 && sub === 'doctor');
    default:
      return false;
  }
}

/**
 * What a UTF-8 terminal shows when redis-cli 7.0 prints `reply` raw (see printsRawLikeRedisCli),
 * as display text without a final newline: a string or a status as it is, an error's text without
 * `(error)`, an integer's digits, nothing for nil, an array's items one per line. Lines end in
 * "\r\n" on the wire (INFO's); a terminal shows them as lines.
 */
export function formatReplyRawLikeRedisCli(reply: Reply): string {
  const bin = rawBin(reply).replace(/\r\n/g, '\n').replace(/\n$/, '');
  return ASCII.test(bin) ? bin : utf8Lenient.decode(binToBytes(bin));
}

function rawBin(reply: Reply): string {
  switch (reply.type) {
    case 'bulk':
      return reply.value ?? '';
    case 'status':
    case 'error':
      return reply.value;
    case 'integer':
      return String(reply.value);
    case 'array':
      return (reply.value ?? []).map(rawBin).join('\n');
  }
}
