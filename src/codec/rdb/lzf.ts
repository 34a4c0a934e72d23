/**
 * LZF, the compression of RDB strings (RDB_ENC_LZF).
 *
 * Contract: pure (the compressor's shared hash table never changes what it returns: see
 * `lastSeen`). `lzfDecompress` accepts exactly the streams liblzf's lzf_decompress accepts and
 * reports the first bad input byte instead of throwing. `lzfCompress` emits a valid stream of the
 * same format (greedy matching over a hash of 3-byte prefixes); its output is not byte-identical
 * to liblzf's, which no reader needs.
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

const HASH_LOG = 14;

/**
 * The compressor's hash table, shared by every call: slot h holds `stamp + i` for the latest input
 * position i whose 3-byte prefix hashes to h. Each call takes stamps above every earlier call's,
 * so a slot from an earlier call reads as empty without clearing 64 KiB per string.
 */
const lastSeen = new Int32Array(1 << HASH_LOG);
let stamp = 1;

function hash3(b: Uint8Array, i: number): number {
  const v = ((b[i] as number) << 16) | ((b[i + 1] as number) << 8) | (b[i + 2] as number);
  return Math.imul(v, 0x9e3779b1) >>> (32 - HASH_LOG);
}

/**
 * Compresses `input`, or returns null when the result would exceed `maxOutput` bytes (Redis keeps
 * a compressed string only when it saves at least 4 bytes, and asks for no more than that).
 */
export function lzfCompress(input: Uint8Array, maxOutput: number): Uint8Array | null {
  if (maxOutput <= 0) return null;
  const out = new Uint8Array(maxOutput);
  const length = lzfCompressInto(input, input.length, out, maxOutput);
  return length < 0 ? null : out.slice(0, length);
}

/**
 * lzfCompress for the RDB writer's reused buffers: compresses the first `n` bytes of `input` into
 * `out` and returns the compressed length, or -1 when it would exceed `maxOutput` bytes (`out`
 * holds at least that many).
 */
export function lzfCompressInto(input: Uint8Array, n: number, out: Uint8Array, maxOutput: number): number {
  if (maxOutput <= 0) return -1;
  if (stamp > 0x7fffffff - n - 1) {
    lastSeen.fill(0);
    stamp = 1;
  }
  const base = stamp;
  stamp += n + 1;
  let op = 0;
  let literalStart = 0;
  let i = 0;
  while (i + MIN_MATCH <= n) {
    const h = hash3(input, i);
    const candidate = (lastSeen[h] as number) - base;
    lastSeen[h] = base + i;
    const distance = i - candidate;
    if (
      candidate < 0 ||
      distance > MAX_DISTANCE ||
      input[candidate] !== input[i] ||
      input[candidate + 1] !== input[i + 1] ||
      input[candidate + 2] !== input[i + 2]
    ) {
      i++;
      continue;
    }
    const limit = Math.min(MAX_MATCH, n - i);
    let length = MIN_MATCH;
    while (length < limit && input[candidate + length] === input[i + length]) length++;
    op = flushLiterals(input, literalStart, i, out, op, maxOutput);
    if (op < 0) return -1;
    const code = length - 2;
    const offset = distance - 1;
    if (code < 7) {
      if (op + 2 > maxOutput) return -1;
      out[op++] = (code << 5) | (offset >> 8);
    } else {
      if (op + 3 > maxOutput) return -1;
      out[op++] = (7 << 5) | (offset >> 8);
      out[op++] = code - 7;
    }
    out[op++] = offset & 0xff;
    // Remember the positions inside the match too: later repeats can then refer to them.
    for (let j = i + 1; j < i + length && j + MIN_MATCH <= n; j++) lastSeen[hash3(input, j)] = base + j;
    i += length;
    literalStart = i;
  }
  return flushLiterals(input, literalStart, n, out, op, maxOutput);
}

/** Writes input[start, end) as literal runs of at most 32 bytes at `op`; the new op, or -1 past maxOutput. */
function flushLiterals(input: Uint8Array, start: number, end: number, out: Uint8Array, op: number, maxOutput: number): number {
  for (let s = start; s < end; s += MAX_LITERAL_RUN) {
    const run = Math.min(MAX_LITERAL_RUN, end - s);
    if (op + 1 + run > maxOutput) return -1;
    out[op++] = run - 1;
    for (let k = 0; k < run; k++) out[op + k] = input[s + k] as number;
    op += run;
  }
  return op;
}
