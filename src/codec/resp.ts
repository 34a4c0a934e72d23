/**
 * RESP2, the wire protocol of Redis 7.0: encoding replies, parsing client requests, encoding
 * commands (the AOF stores commands in the same multibulk form) and decoding replies.
 *
 * Contract: pure; all bytes travel as bin strings (see bytes.ts), so a Node server converts with
 * `buffer.toString('latin1')` on the way in and `Buffer.from(bin, 'latin1')` on the way out.
 *
 * `RequestParser` reproduces how redis-server 7.0.15 cuts its input into commands, including its
 * quirks, all observed by sending raw bytes to the real server (see test/codec/resp.test.ts):
 * - A request starting with `*` is multibulk; anything else is an inline line.
 * - Lines of a multibulk request are found by searching for `\r`; the byte after it is skipped
 *   without being checked, and so are the two bytes after each bulk payload (`$4\r\nPINGxx` works).
 *   `\n`-only line endings are accepted for inline requests only.
 * - Counts and lengths follow Redis's strict integer syntax: no sign `+`, no leading zeros, no
 *   spaces, no `-0`. `*0` and any negative count are an empty request that is silently skipped;
 *   counts above 2^31-1 are rejected. Bulk lengths must be 0…proto-max-bulk-len (512 MB).
 * - Because Redis searches with C string functions, a NUL byte before the line terminator hides
 *   the terminator: the request then waits until the 64 KB limit turns it into an error.
 * - Redis checks the 64 KB limit on unterminated lines after each socket read of at most 16 KB.
 *   The parser models those reads by cutting every fed chunk into 16 KB pieces, so it agrees with
 *   the real server when the chunks are what the socket delivered (a 70 000-byte inline line sent
 *   in one write is accepted, a 90 000-byte one is not).
 * After a protocol error Redis executes the commands that preceded it, replies with the error and
 * closes the connection; the parser returns those commands and then stops.
 */

import type { Reply } from './reply.ts';
import { binSlice } from './bytes.ts';
import { splitArgs } from './split-args.ts';

// ---------------------------------------------------------------------------------------------
// Encoding replies and commands

const CRLF = '\r\n';
const LINE_BREAK = /[\r\n]/g;

/**
 * Appends the RESP2 encoding of `reply` to `parts`, as bin strings: an array's items are joined
 * once, at the end (encodeReply).
 *
 * Status and error texts cannot carry a line break on the wire; like Redis's own formatted
 * errors, any \r or \n in them is turned into a space so that the stream stays well formed.
 */
function writeReply(reply: Reply, parts: string[]): void {
  switch (reply.type) {
    case 'bulk': {
      const v = reply.value;
      if (v === null) parts.push('$-1\r\n');
      else parts.push('$' + v.length + CRLF + v + CRLF);
      return;
    }
    case 'status':
      parts.push('+' + clean(reply.value) + CRLF);
      return;
    case 'integer':
      parts.push(':' + String(reply.value) + CRLF);
      return;
    case 'error':
      parts.push('-' + clean(reply.value) + CRLF);
      return;
    case 'array': {
      const items = reply.value;
      if (items === null) {
        parts.push('*-1\r\n');
        return;
      }
      parts.push('*' + items.length + CRLF);
      for (const item of items) writeReply(item, parts);
      return;
    }
  }
}

function clean(text: string): string {
  return text.indexOf('\r') < 0 && text.indexOf('\n') < 0 ? text : text.replace(LINE_BREAK, ' ');
}

/** The RESP2 encoding of `reply`, as a bin string. */
export function encodeReply(reply: Reply): string {
  switch (reply.type) {
    // The common flat replies skip the parts array.
    case 'bulk':
      return reply.value === null ? '$-1\r\n' : '$' + reply.value.length + CRLF + reply.value + CRLF;
    case 'status':
      return '+' + clean(reply.value) + CRLF;
    case 'integer':
      return ':' + String(reply.value) + CRLF;
    case 'error':
      return '-' + clean(reply.value) + CRLF;
    case 'array': {
      const parts: string[] = [];
      writeReply(reply, parts);
      return parts.join('');
    }
  }
}

/** The RESP2 multibulk encoding of a command (`*N\r\n$len\r\narg\r\n…`), as the AOF stores it. */
export function encodeCommand(argv: readonly string[]): string {
  let out = '*' + argv.length + CRLF;
  for (const arg of argv) out += '$' + arg.length + CRLF + arg + CRLF;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parsing requests

/** Redis's PROTO_INLINE_MAX_SIZE: longest unterminated inline line or count line. */
export const PROTO_INLINE_MAX_SIZE = 64 * 1024;
/** Default of the `proto-max-bulk-len` setting: the longest bulk argument a client may send. */
export const PROTO_MAX_BULK_LEN_DEFAULT = 512 * 1024 * 1024;
/** Redis reads a socket at most this many bytes at a time (PROTO_IOBUF_LEN); see the 64 KB check. */
const READ_SIZE = 16 * 1024;
/** Largest multibulk count Redis accepts (INT_MAX). */
const MAX_MULTIBULK = 2147483647;
/** Argument arrays are sized up front up to this count, as Redis sizes argv. */
const ARGV_PREALLOC_MAX = 1024;

/** Protocol error texts of Redis 7.0, as the `value` of an error reply (without the leading '-'). */
export const ProtocolError = {
  invalidMultibulkLength: 'ERR Protocol error: invalid multibulk length',
  invalidBulkLength: 'ERR Protocol error: invalid bulk length',
  tooBigMbulkCount: 'ERR Protocol error: too big mbulk count string',
  tooBigBulkCount: 'ERR Protocol error: too big bulk count string',
  tooBigInline: 'ERR Protocol error: too big inline request',
  unbalancedQuotes: 'ERR Protocol error: unbalanced quotes in request',
  /** `expected '$', got 'x'`, where \r and \n show as a space, as in every Redis error. */
  expectedDollar: (got: string): string =>
    "ERR Protocol error: expected '$', got '" + (got === '\r' || got === '\n' ? ' ' : got) + "'",
} as const;

/** Options of a {@link RequestParser}. */
export interface RequestParserOptions {
  /** The `proto-max-bulk-len` setting; defaults to 512 MB. */
  protoMaxBulkLen?: number;
}

/** What the parser waits for when the buffered bytes end mid-request. */
const Wait = {
  None: 0,
  /** At least `need` bytes from the start of the pending data. */
  Bytes: 1,
  /** A line terminator (`term`) in data yet to come; the pending data holds none. */
  Line: 2,
} as const;
type Wait = (typeof Wait)[keyof typeof Wait];

/** Whether s[from, to) is a valid C long long by Redis's strict rules; its value, or NaN. */
function parseStrictInt(s: string, from: number, to: number): number {
  const n = to - from;
  if (n <= 0) return NaN;
  let i = from;
  let negative = false;
  if (s.charCodeAt(i) === 0x2d) { // '-'
    negative = true;
    i++;
    if (i === to) return NaN;
  }
  const first = s.charCodeAt(i);
  if (first === 0x30) return n === 1 ? 0 : NaN; // "0" only; no leading zeros and no "-0"
  if (first < 0x31 || first > 0x39) return NaN;
  const digits = to - i;
  if (digits > 19) return NaN;
  let value = 0;
  for (let j = i; j < to; j++) {
    const c = s.charCodeAt(j) - 0x30;
    if (c < 0 || c > 9) return NaN;
    value = value * 10 + c;
  }
  // Within 19 digits only the int64 overflow remains to check, done on the text for exactness.
  if (digits === 19) {
    const limit = negative ? '9223372036854775808' : '9223372036854775807';
    if (s.slice(i, to) > limit) return NaN;
  }
  return negative ? -value : value;
}

/**
 * Incremental parser of the requests one client sends, as redis-server 7.0 parses them.
 *
 * Feed it the bytes in the chunks they arrive in; it returns each complete command as an argv
 * array of bin strings. Empty requests (a blank inline line, `*0`, `*-1`) yield nothing. On a
 * protocol error `feed` still returns the commands that came before it, and `error` is set; the
 * server must execute those commands, reply with `-` + error, and close the connection. The parser
 * ignores everything fed after an error.
 *
 * Work is linear in the input: a large bulk argument is collected as a list of chunks and joined
 * once, and an unterminated line is only searched in the newly arrived bytes.
 */
export class RequestParser {
  /** The `proto-max-bulk-len` setting in force; CONFIG SET may change it. */
  protoMaxBulkLen: number;

  private errorText: string | null = null;

  // The data being parsed and the offset of its first unconsumed byte.
  private buf = '';
  private pos = 0;
  /** Offset in `buf` where the newest chunk begins, for the 16 KB read model. */
  private chunkStart = 0;
  /** Cache for the next NUL byte: the first NUL in buf[nulFrom…] is at nulAt (-1: none). */
  private nulFrom = 0;
  private nulAt = -2;

  // Unconsumed data kept between feeds while waiting.
  private wait: Wait = Wait.None;
  private pending: string[] = [];
  private pendingLen = 0;
  private need = 0;
  private term = '';
  /** A NUL byte precedes any terminator in the pending line, so it can never end. */
  private blocked = false;

  // The multibulk request in progress: arguments still expected, and the current bulk length.
  private remaining = 0;
  private bulkLen = -1;
  private argv: string[] = [];
  private argc = 0;
  /** The number of the line shortNumberLine just read. */
  private shortNumber = 0;

  constructor(options: RequestParserOptions = {}) {
    this.protoMaxBulkLen = options.protoMaxBulkLen ?? PROTO_MAX_BULK_LEN_DEFAULT;
  }

  /** The protocol error (an error reply's value, e.g. `ERR Protocol error: …`), or null. */
  get error(): string | null {
    return this.errorText;
  }

  /** Bytes received but not yet consumed as whole commands, like Redis's query buffer. */
  get bufferedBytes(): number {
    return this.pendingLen + (this.buf.length - this.pos);
  }

  /**
   * Adds a chunk of received bytes (a bin string) and returns the commands it completes, in
   * order. Pass `out` to have them appended to an existing array instead.
   */
  feed(chunk: string, out: string[][] = []): string[][] {
    if (this.errorText !== null || chunk.length === 0) return out;
    if (this.wait === Wait.None) {
      this.setBuffer(chunk, 0);
    } else if (this.wait === Wait.Bytes) {
      this.pending.push(chunk);
      this.pendingLen += chunk.length;
      if (this.pendingLen < this.need) return out;
      this.resume(chunk);
    } else {
      // Only the new chunk can hold the terminator; decide without joining unless it does.
      if (!this.blocked) {
        const t = chunk.indexOf(this.term);
        const z = chunk.indexOf('\0');
        if (z >= 0 && (t < 0 || z < t)) this.blocked = true;
        else if (t >= 0) {
          this.pending.push(chunk);
          this.pendingLen += chunk.length;
          this.resume(chunk);
          this.parse(out);
          return out;
        }
      }
      this.pending.push(chunk);
      this.pendingLen += chunk.length;
      if (this.pendingLen > PROTO_INLINE_MAX_SIZE) this.fail(this.tooBigError());
      return out;
    }
    this.parse(out);
    return out;
  }

  /** Joins the pending data with the chunk just pushed onto it and makes that the buffer. */
  private resume(chunk: string): void {
    const joined = this.pending.length === 1 ? this.pending[0]! : this.pending.join('');
    this.pending = [];
    this.pendingLen = 0;
    this.wait = Wait.None;
    this.blocked = false;
    this.setBuffer(joined, joined.length - chunk.length);
  }

  private setBuffer(buf: string, chunkStart: number): void {
    this.buf = buf;
    this.pos = 0;
    this.chunkStart = chunkStart;
    this.nulFrom = 0;
    this.nulAt = -2;
  }

  private fail(text: string): void {
    this.errorText = text;
    this.buf = '';
    this.pos = 0;
    this.pending = [];
    this.pendingLen = 0;
    this.argv = [];
  }

  /** The error for an unterminated line that grew too big, by what the line is. */
  private tooBigError(): string {
    if (this.remaining > 0) return ProtocolError.tooBigBulkCount;
    return this.term === '\r' ? ProtocolError.tooBigMbulkCount : ProtocolError.tooBigInline;
  }

  /** Keeps buf[pos…] for the next feed, to complete once `need` bytes (or a line) are there. */
  private suspend(wait: Wait, need: number, term: string): void {
    const tail = this.buf.slice(this.pos);
    this.wait = wait;
    this.need = need;
    this.term = term;
    this.pending = [tail];
    this.pendingLen = tail.length;
    this.blocked = false;
    this.buf = '';
    this.pos = 0;
  }

  /** First NUL at or after `from`, or -1; cached so that each byte is scanned at most once. */
  private nextNul(from: number): number {
    if (this.nulAt === -2 || (this.nulAt >= 0 && this.nulAt < from) || from < this.nulFrom) {
      this.nulFrom = from;
      this.nulAt = this.buf.indexOf('\0', from);
    }
    return this.nulAt;
  }

  /**
   * Finds the terminator of the line starting at `start` as Redis does (a preceding NUL hides
   * it), applies the 64 KB limit, and returns its offset; -1 when the parser must wait (it has
   * then suspended) or failed.
   */
  private findLine(start: number, term: string): number {
    let t = this.buf.indexOf(term, start);
    if (t >= 0) {
      const z = this.nextNul(start);
      if (z >= 0 && z < t) t = -1;
    }
    if (t < 0) {
      this.term = term;
      if (this.buf.length - start > PROTO_INLINE_MAX_SIZE) {
        this.fail(this.tooBigError());
        return -1;
      }
      // A NUL before any terminator means this line can never end.
      const blocked = this.nextNul(start) >= 0;
      this.suspend(Wait.Line, 0, term);
      this.blocked = blocked;
      return -1;
    }
    if (t - start > PROTO_INLINE_MAX_SIZE) {
      // The terminator is there now, but was it there after each 16 KB read? The first read
      // boundary at which the line exceeded the limit decides.
      const over = start + PROTO_INLINE_MAX_SIZE + 1 - this.chunkStart;
      const boundary = this.chunkStart + Math.max(1, Math.ceil(over / READ_SIZE)) * READ_SIZE;
      if (boundary <= t) {
        this.term = term;
        this.fail(this.tooBigError());
        return -1;
      }
    }
    return t;
  }

  /**
   * The usual count or length line, `*` or `$` then 1 to 9 digits without a leading zero, then
   * '\r', read in one pass: the offset of its '\r', its number left in shortNumber. -1 sends any
   * other line down the general path (findLine, parseStrictInt); for these lines both agree, as
   * digits hold no NUL and stay far below the inline limit.
   */
  private shortNumberLine(pos: number, marker: number): number {
    const buf = this.buf;
    if (buf.charCodeAt(pos) !== marker) return -1;
    const first = buf.charCodeAt(pos + 1);
    if (!(first >= 0x31 && first <= 0x39)) return -1; // NaN past the end too
    let value = first - 0x30;
    const last = Math.min(buf.length, pos + 11);
    for (let i = pos + 2; i < last; i++) {
      const c = buf.charCodeAt(i);
      if (c === 0x0d) {
        this.shortNumber = value;
        return i;
      }
      if (c < 0x30 || c > 0x39) return -1;
      value = value * 10 + (c - 0x30);
    }
    return -1;
  }

  private parse(out: string[][]): void {
    const buf = this.buf;
    while (this.errorText === null) {
      const pos = this.pos;
      if (pos >= buf.length) {
        this.buf = '';
        this.pos = 0;
        return;
      }

      if (this.remaining === 0) {
        if (buf.charCodeAt(pos) !== 0x2a) {
          // Inline request.
          const t = this.findLine(pos, '\n');
          if (t < 0) return;
          const end = t > pos && buf.charCodeAt(t - 1) === 0x0d ? t - 1 : t;
          const args = splitArgs(buf.slice(pos, end));
          if (args === null) {
            this.fail(ProtocolError.unbalancedQuotes);
            return;
          }
          this.pos = t + 1;
          if (args.length > 0) out.push(args);
          continue;
        }
        // Multibulk count line.
        const short = this.shortNumberLine(pos, 0x2a);
        const t = short >= 0 ? short : this.findLine(pos, '\r');
        if (t < 0) return;
        if (t + 1 >= buf.length) {
          this.suspend(Wait.Bytes, t + 2 - pos, '');
          return;
        }
        const count = short >= 0 ? this.shortNumber : parseStrictInt(buf, pos + 1, t);
        if (!(count <= MAX_MULTIBULK)) { // NaN too
          this.fail(ProtocolError.invalidMultibulkLength);
          return;
        }
        this.pos = t + 2;
        if (count > 0) {
          this.remaining = count;
          this.bulkLen = -1;
          // Sized up front, as Redis sizes argv (up to 1024 slots, then it grows): appending
          // argument by argument costs more than the parsing around it.
          this.argv = count <= ARGV_PREALLOC_MAX ? new Array<string>(count) : [];
          this.argc = 0;
        }
        continue;
      }

      if (this.bulkLen < 0) {
        // Bulk length line.
        const short = this.shortNumberLine(pos, 0x24);
        const t = short >= 0 ? short : this.findLine(pos, '\r');
        if (t < 0) return;
        if (t + 1 >= buf.length) {
          this.suspend(Wait.Bytes, t + 2 - pos, '');
          return;
        }
        if (buf.charCodeAt(pos) !== 0x24) {
          this.fail(ProtocolError.expectedDollar(buf[pos]!));
          return;
        }
        const len = short >= 0 ? this.shortNumber : parseStrictInt(buf, pos + 1, t);
        if (!(len >= 0 && len <= this.protoMaxBulkLen)) {
          this.fail(ProtocolError.invalidBulkLength);
          return;
        }
        this.bulkLen = len;
        this.pos = t + 2;
        continue;
      }

      // Bulk payload plus the two bytes after it, which Redis skips unchecked.
      const end = pos + this.bulkLen;
      if (end + 2 > buf.length) {
        this.suspend(Wait.Bytes, this.bulkLen + 2, '');
        return;
      }
      this.argv[this.argc++] = binSlice(buf, pos, end);
      this.pos = end + 2;
      this.bulkLen = -1;
      if (--this.remaining === 0) {
        out.push(this.argv);
        this.argv = [];
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Decoding replies

/**
 * Incremental parser of RESP2 replies (what a client reads), for tests and tools. Integers that a
 * double cannot hold exactly come back as bigint, as in the Reply model. Throws on bytes that are
 * not RESP2.
 */
export class ReplyParser {
  private buf = '';

  /** Adds a chunk (a bin string) and returns the replies it completes. */
  feed(chunk: string): Reply[] {
    this.buf += chunk;
    const replies: Reply[] = [];
    let pos = 0;
    for (;;) {
      const r = readReply(this.buf, pos);
      if (r === null) break;
      replies.push(r.reply);
      pos = r.next;
    }
    this.buf = this.buf.slice(pos);
    return replies;
  }

  /** Bytes of an incomplete reply still buffered. */
  get bufferedBytes(): number {
    return this.buf.length;
  }
}

/**
 * Decodes a bin string holding whole RESP2 replies. Throws if the bytes are not RESP2 or end
 * inside a reply.
 */
export function decodeReplies(bin: string): Reply[] {
  const parser = new ReplyParser();
  const replies = parser.feed(bin);
  if (parser.bufferedBytes > 0) throw new Error('RESP: incomplete reply');
  return replies;
}

function readLine(buf: string, pos: number): { line: string; next: number } | null {
  const t = buf.indexOf('\r\n', pos);
  return t < 0 ? null : { line: buf.slice(pos, t), next: t + 2 };
}

function readInt(text: string): number | bigint {
  if (!/^-?\d+$/.test(text)) throw new Error(`RESP: bad integer ${JSON.stringify(text)}`);
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

/** One reply starting at `pos`, or null when it is not complete yet. */
function readReply(buf: string, pos: number): { reply: Reply; next: number } | null {
  if (pos >= buf.length) return null;
  const head = readLine(buf, pos + 1);
  if (head === null) return null;
  const { line, next } = head;
  switch (buf[pos]) {
    case '+':
      return { reply: { type: 'status', value: line }, next };
    case '-':
      return { reply: { type: 'error', value: line }, next };
    case ':':
      return { reply: { type: 'integer', value: readInt(line) }, next };
    case '$': {
      const len = Number(readInt(line));
      if (len < 0) return { reply: { type: 'bulk', value: null }, next };
      if (next + len + 2 > buf.length) return null;
      if (buf.slice(next + len, next + len + 2) !== '\r\n') throw new Error('RESP: bulk not followed by CRLF');
      return { reply: { type: 'bulk', value: buf.slice(next, next + len) }, next: next + len + 2 };
    }
    case '*': {
      const count = Number(readInt(line));
      if (count < 0) return { reply: { type: 'array', value: null }, next };
      const items: Reply[] = [];
      let at = next;
      for (let i = 0; i < count; i++) {
        const r = readReply(buf, at);
        if (r === null) return null;
        items.push(r.reply);
        at = r.next;
      }
      return { reply: { type: 'array', value: items }, next: at };
    }
    default:
      throw new Error(`RESP: unexpected type byte ${JSON.stringify(buf[pos])}`);
  }
}
