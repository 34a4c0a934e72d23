/**
 * The errors of the RDB codec.
 *
 * Contract: every failure to read a file is an `RdbDecodeError` (or one of its two subclasses) that
 * names the byte offset and the reason, `offset 0x1a3 (419): unknown value type 0x1f`, so the lab
 * can point at the byte in its hex view. Corrupt, truncated and unsupported input never surfaces as
 * any other exception. Writing invalid input (an empty set, a NaN score) is an `RdbEncodeError`.
 */

/** A file the reader cannot accept, with the offset of the byte at fault. */
export class RdbDecodeError extends Error {
  override name = 'RdbDecodeError';
  constructor(
    /** Byte offset in the file. */
    readonly offset: number,
    /** What is wrong there, without the offset. */
    readonly reason: string,
  ) {
    super(`offset 0x${offset.toString(16)} (${offset}): ${reason}`);
  }
}

/** A well-formed file holding something the lab does not model (streams, modules, functions, hash field TTLs). */
export class RdbUnsupportedError extends RdbDecodeError {
  override name = 'RdbUnsupportedError';
}

/** The stored CRC-64 differs from the one computed over the file. */
export class RdbChecksumError extends RdbDecodeError {
  override name = 'RdbChecksumError';
  constructor(
    offset: number,
    /** Computed while reading ("expected" in Redis's log line). */
    readonly computed: bigint,
    /** Stored after the EOF opcode ("got" in Redis's log line). */
    readonly stored: bigint,
  ) {
    // Redis's own wording: `Wrong RDB checksum expected: (%llx) but got (%llx). Aborting now.`
    super(offset, `Wrong RDB checksum expected: (${computed.toString(16)}) but got (${stored.toString(16)})`);
  }
}

/** A keyspace the writer cannot put in a file Redis would load. */
export class RdbEncodeError extends Error {
  override name = 'RdbEncodeError';
}
