/**
 * LZF, the compression of RDB strings (RDB_ENC_LZF).
 *
 * Contract: pure (the compressor's shared hash table never changes what it returns: see
 * `lastSeen`). `lzfDecompress` accepts exactly the streams liblzf's lzf_decompress accepts and
 * reports the first bad input byte instead of throwing. `lzfCompress` writes the very bytes that
 * the liblzf bundled with Redis 7.0 writes, and gives up exactly where it gives up, so a string is
 * stored compressed in the lab's RDB exactly when it is in Redis's, at the same size.
 *
 * The stream is a sequence of chunks, each opened by a control byte c:
 *   000lllll                        => literal run: the next l+1 bytes (1–32) are copied as they are
 *   LLLooooo oooooooo               => back-reference, L = 1–6: copy L+2 bytes from distance o+1
 *   111ooooo LLLLLLLL oooooooo      => back-reference, long: copy 7+L+2 bytes (9–264) from distance o+1
 * The distance counts back from the end of the output so far (1–8192); source and destination may
 * overlap, which is how a run of one repeated byte is encoded.
 */

/** Where and why a stream could not be decompressed. */
export interface LzfFailure {
  /** Index in the compressed input of the chunk at fault. */
  readonly at: number;
  readonly reason: string;
}

const MAX_LITERAL_RUN = 32;
const MAX_DISTANCE = 8192;
const MIN_MATCH = 3;
const MAX_MATCH = 7 + 255 + 2;

/**
 * The most output a stream of `compressedLength` bytes can produce: a 3-byte long back-reference
 * yields 264 bytes, 88 per input byte. A declared length above this is corrupt, and is refused
 * before anything is allocated for it.
 */
export function lzfMaxOutput(compressedLength: number): number {
  return compressedLength * 88;
}

/** Decompresses `input` into exactly `outputLength` bytes, or says why it cannot. */
export function lzfDecompress(input: Uint8Array, outputLength: number): Uint8Array | LzfFailure {
  if (outputLength > lzfMaxOutput(input.length)) {
    return { at: 0, reason: `${input.length} compressed bytes cannot expand to ${outputLength}` };
  }
  const out = new Uint8Array(outputLength);
  const inLength = input.length;
  let ip = 0;
  let op = 0;
  while (ip < inLength) {
    const chunk = ip;
    const ctrl = input[ip++] as number;
    if (ctrl < 32) {
      const run = ctrl + 1;
      if (ip + run > inLength) return { at: chunk, reason: `literal run of ${run} bytes overruns the compressed data` };
      if (op + run > outputLength) return { at: chunk, reason: `output exceeds the declared ${outputLength} bytes` };
      for (let k = 0; k < run; k++) out[op + k] = input[ip + k] as number;
      ip += run;
      op += run;
      continue;
    }
    let length = ctrl >> 5;
    if (length === 7) {
      if (ip >= inLength) return { at: chunk, reason: 'back-reference cut short' };
      length += input[ip++] as number;
    }
    if (ip >= inLength) return { at: chunk, reason: 'back-reference cut short' };
    const distance = ((ctrl & 0x1f) << 8) + (input[ip++] as number) + 1;
    length += 2;
    if (distance > op) return { at: chunk, reason: `back-reference to ${distance} bytes back, only ${op} decompressed` };
    if (op + length > outputLength) return { at: chunk, reason: `output exceeds the declared ${outputLength} bytes` };
    // Byte by byte: the source may overlap the bytes being written.
    for (let k = 0; k < length; k++, op++) out[op] = out[op - distance] as number;
  }
  if (op !== outputLength) return { at: inLength, reason: `decompressed to ${op} bytes, expected ${outputLength}` };
  return out;
}

/*
 * The compressor follows the liblzf that Redis 7.0 bundles, with the settings Redis builds it with:
 * a 2^16-slot table (HLOG 16) keyed by the next three bytes and holding the latest position seen
 * with that key; the "very fast" mode (after a back-reference only the two positions before the
 * next one enter the table); greedy: the one candidate the slot holds is taken if it matches, and
 * the match runs as far as it goes.
 */
const HASH_SLOTS = 1 << 16;

/**
 * The compressor's hash table, shared by every call: slot h holds `stamp + i` for the latest input
 * position i entered under key h. Each call takes stamps above every earlier call's, so a slot from
 * an earlier call reads as a position before the input and is refused, without clearing 256 KiB
 * per string. (liblzf does not clear its table either; a slot left by an earlier string points
 * outside the current one, which it refuses just the same.)
 */
const lastSeen = new Int32Array(HASH_SLOTS);
let stamp = 1;

/**
 * liblzf's slot for the three bytes packed big-endian in `v` (b0 << 16 | b1 << 8 | b2): the first
 * two bytes minus five times the last two, modulo 2^16.
 */
function slotOf(v: number): number {
  return ((v >>> 8) - v * 5) & (HASH_SLOTS - 1);
}

/**
 * Compresses `input`, or returns null where liblzf gives up for an output buffer of `maxOutput`
 * bytes (Redis offers length − 4, keeping a compressed string only when it saves at least 4 bytes).
 */
export function lzfCompress(input: Uint8Array, maxOutput: number): Uint8Array | null {
  if (maxOutput <= 0) return null;
  const out = new Uint8Array(maxOutput);
  const length = lzfCompressInto(input, input.length, out, maxOutput);
  return length < 0 ? null : out.slice(0, length);
}

/**
 * lzfCompress for the RDB writer's reused buffers: compresses the first `n` bytes of `input` into
 * `out` and returns the compressed length, or -1 where liblzf returns 0 (nothing to compress, or
 * it ran out of its `maxOutput` bytes; `out` holds at least that many).
 *
 * liblzf's room checks are its own, and they decide whether Redis stores a string compressed, so
 * they are kept as they are: a back-reference needs its bytes and the next run's control byte
 * strictly inside the buffer, a literal byte one free byte, and the last bytes (two at most) three
 * free bytes, whatever they end up taking.
 */
export function lzfCompressInto(input: Uint8Array, n: number, out: Uint8Array, maxOutput: number): number {
  if (n === 0 || maxOutput <= 0) return -1;
  if (stamp > 0x7fffffff - n - 1) {
    lastSeen.fill(0);
    stamp = 1;
  }
  const base = stamp;
  stamp += n + 1;
  // A literal run's control byte is written when the run ends: `op` runs ahead of it by one.
  let op = 1;
  let literals = 0;
  let ip = 0;
  // The three bytes at ip, packed: rolled forward one byte at a time.
  let key = n > 1 ? ((input[0] as number) << 8) | (input[1] as number) : 0;
  while (ip < n - 2) {
    key = ((key << 8) | (input[ip + 2] as number)) & 0xffffff;
    const slot = slotOf(key);
    const ref = (lastSeen[slot] as number) - base;
    lastSeen[slot] = base + ip;
    // liblzf never refers back to the very first byte (its test is ref > start, not >=).
    if (
      ref > 0 &&
      ip - ref <= MAX_DISTANCE &&
      input[ref + 2] === input[ip + 2] &&
      input[ref] === input[ip] &&
      input[ref + 1] === input[ip + 1]
    ) {
      // An empty literal run gives its control byte back to the back-reference.
      const at = literals === 0 ? op - 1 : op;
      if (at + 4 >= maxOutput) return -1;
      if (literals > 0) out[op - literals - 1] = literals - 1;
      op = at;
      const length = matchLength(input, n, ref, ip);
      const code = length - 2;
      const offset = ip - ref - 1;
      if (code < 7) {
        out[op++] = (code << 5) | (offset >> 8);
      } else {
        out[op++] = (7 << 5) | (offset >> 8);
        out[op++] = code - 7;
      }
      out[op++] = offset & 0xff;
      op++;
      literals = 0;
      ip += length;
      if (ip >= n - 2) break;
      // The two positions before the next one enter the table; the rest of the match does not.
      key = ((input[ip - 2] as number) << 16) | ((input[ip - 1] as number) << 8) | (input[ip] as number);
      lastSeen[slotOf(key)] = base + ip - 2;
      key = ((key << 8) | (input[ip + 1] as number)) & 0xffffff;
      lastSeen[slotOf(key)] = base + ip - 1;
      continue;
    }
    if (op >= maxOutput) return -1;
    out[op++] = input[ip++] as number;
    if (++literals === MAX_LITERAL_RUN) {
      out[op - literals - 1] = literals - 1;
      literals = 0;
      op++;
    }
  }
  return finish(input, ip, n, out, op, literals, maxOutput);
}

/**
 * The last bytes (two at most, past the last place a back-reference can start) as literals, then
 * the last run's control byte: liblzf first wants 3 free bytes for them. The compressed length, or
 * -1. A function of its own: left after the loop, a tail first reached once V8 had optimised the
 * loop on a long string sent every later call back to the interpreter (measured: 40-byte strings
 * twice as slow).
 */
function finish(input: Uint8Array, ip: number, n: number, out: Uint8Array, op: number, literals: number, maxOutput: number): number {
  if (op + 3 > maxOutput) return -1;
  for (; ip < n; ip++) {
    out[op++] = input[ip] as number;
    if (++literals === MAX_LITERAL_RUN) {
      out[op - literals - 1] = literals - 1;
      literals = 0;
      op++;
    }
  }
  if (literals === 0) return op - 1;
  out[op - literals - 1] = literals - 1;
  return op;
}

/**
 * How many bytes from `ip` repeat those from `ref` (at least the 3 already compared), as liblzf
 * counts them: at most 264, and short of the input's last two bytes — except that when that limit
 * is over 16 it compares up to byte 19 before looking at the limit, so a match that starts 19 or
 * 20 bytes before the end can take 19 of them.
 */
function matchLength(input: Uint8Array, n: number, ref: number, ip: number): number {
  const room = Math.min(n - ip - 2, MAX_MATCH);
  const limit = room > 16 ? Math.max(room, 19) : Math.max(room, MIN_MATCH);
  let length = MIN_MATCH;
  while (length < limit && input[ref + length] === input[ip + length]) length++;
  return length;
}
