/**
 * CRC-64/Jones as Redis computes it for the RDB checksum: polynomial 0xad93d23594c935a9, reflected
 * input and output, initial value 0, no final XOR. The check value of "123456789" is
 * 0xe9c6d914c4b8d9ca.
 *
 * Contract: pure. The running value is a bigint at the API only; inside, the 64-bit register is
 * two 32-bit halves, so a large file is checksummed without one BigInt operation per byte.
 */

/** The polynomial bit-reversed, as the reflected (LSB-first) algorithm uses it: 0x95ac9329ac4bc9b5. */
const POLY_REFLECTED_HI = 0x95ac9329;
const POLY_REFLECTED_LO = 0xac4bc9b5;

/** T[b] = the register after shifting byte b through 8 steps of the reflected algorithm. */
const TABLE_HI = new Uint32Array(256);
const TABLE_LO = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let hi = 0;
  let lo = n;
  for (let bit = 0; bit < 8; bit++) {
    const lsb = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi = hi >>> 1;
    if (lsb) {
      hi = (hi ^ POLY_REFLECTED_HI) >>> 0;
      lo = (lo ^ POLY_REFLECTED_LO) >>> 0;
    }
  }
  TABLE_HI[n] = hi;
  TABLE_LO[n] = lo;
}

const MASK32 = 0xffffffffn;

/**
 * The CRC-64 of `bytes`, continuing from `crc` (0 to start, as Redis does), so a file can be
 * checksummed in pieces: crc64(b, crc64(a)) === crc64(a ++ b).
 */
export function crc64(bytes: Uint8Array, crc = 0n): bigint {
  let hi = Number((crc >> 32n) & MASK32);
  let lo = Number(crc & MASK32);
  for (let i = 0; i < bytes.length; i++) {
    // crc = T[(crc ^ byte) & 0xff] ^ (crc >> 8), on the two halves.
    const index = (lo ^ (bytes[i] as number)) & 0xff;
    lo = ((TABLE_LO[index] as number) ^ ((lo >>> 8) | (hi << 24))) >>> 0;
    hi = ((TABLE_HI[index] as number) ^ (hi >>> 8)) >>> 0;
  }
  return (BigInt(hi) << 32n) | BigInt(lo);
}
