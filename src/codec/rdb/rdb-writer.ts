/**
 * Writes a keyspace as the RDB file Redis 7.0 would write for it (version 10), one that a real
 * redis-server 7.0 loads and redis-check-rdb accepts.
 *
 * Contract: pure and deterministic: the same keyspace and options give the same bytes. The file
 * holds, in order: the magic "REDIS0010"; the AUX fields 7.0.15 writes (redis-ver, redis-bits,
 * ctime, used-mem, aof-base; ctime and used-mem come from the caller, as the codec has no clock);
 * for each non-empty database in index order SELECTDB and RESIZEDB, then per key an optional
 * EXPIRETIME_MS, the value type, the key and the value; EOF; the CRC-64 (or 8 zero bytes with
 * rdbchecksum off).
 *
 * Values take the encodings Redis 7.0's defaults give them:
 * - strings: INT8/16/32 for canonical integers that fit 32 bits; LZF above 20 bytes when
 *   rdbcompression is on and it saves at least 4 bytes; else raw. Keys and every blob follow the
 *   same rules, so listpacks and intsets may be LZF-compressed too.
 * - lists: RDB_TYPE_LIST_QUICKLIST_2, PACKED listpack nodes of at most 8 KiB
 *   (list-max-listpack-size -2).
 * - sets: RDB_TYPE_SET_INTSET when every member is an integer and there are at most 512
 *   (set-max-intset-entries), else RDB_TYPE_SET.
 * - hashes: RDB_TYPE_HASH_LISTPACK up to 512 fields with fields and values of at most 64 bytes
 *   (hash-max-listpack-entries / -value), else RDB_TYPE_HASH.
 * - sorted sets: RDB_TYPE_ZSET_LISTPACK up to 128 members of at most 64 bytes
 *   (zset-max-listpack-entries / -value), ascending; else RDB_TYPE_ZSET_2 with binary doubles,
 *   from the highest score down as Redis writes a skiplist.
 * Keys are written in the order given (Redis uses its hash table's order, which no reader relies on).
 * A keyspace Redis could not hold (an empty aggregate, a duplicate key, member or field, a NaN
 * score) is refused with an RdbEncodeError rather than written as a file Redis would reject.
 */
import { binToBytes } from '../bytes.ts';
import { formatDouble, parseInteger } from '../numbers.ts';
import { ByteWriter } from './byte-writer.ts';
import { crc64 } from './crc64.ts';
import { intsetEncode } from './intset.ts';
import { ListpackBuilder, listpackEncode } from './listpack.ts';
import { lzfCompress } from './lzf.ts';
import {
  QUICKLIST_NODE_CONTAINER_PACKED,
  RDB_32BITLEN,
  RDB_64BITLEN,
  RDB_ENC_INT16,
  RDB_ENC_INT32,
  RDB_ENC_INT8,
  RDB_ENC_LZF,
  RDB_MAGIC,
  RDB_OPCODE_AUX,
  RDB_OPCODE_EOF,
  RDB_OPCODE_EXPIRETIME_MS,
  RDB_OPCODE_RESIZEDB,
  RDB_OPCODE_SELECTDB,
  RDB_TYPE_HASH,
  RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_SET,
  RDB_TYPE_SET_INTSET,
  RDB_TYPE_STRING,
  RDB_TYPE_ZSET_2,
  RDB_TYPE_ZSET_LISTPACK,
  RDB_VERSION_7_0,
} from './rdb-constants.ts';
import { RdbEncodeError } from './rdb-error.ts';
import type { RdbKeyData, RdbKeyspace } from './rdb-types.ts';

/** Redis 7.0's defaults for the encoding thresholds. */
export const REDIS_7_0_LIMITS = {
  /** set-max-intset-entries */
  setMaxIntsetEntries: 512,
  /** hash-max-listpack-entries (512 in 7.0, not 128) */
  hashMaxListpackEntries: 512,
  /** hash-max-listpack-value */
  hashMaxListpackValue: 64,
  /** zset-max-listpack-entries */
  zsetMaxListpackEntries: 128,
  /** zset-max-listpack-value */
  zsetMaxListpackValue: 64,
  /** list-max-listpack-size -2: bytes per quicklist node. */
  listMaxListpackBytes: 8192,
} as const;

/** Redis's over-estimate of what one more element adds to a quicklist node's listpack. */
const QUICKLIST_SIZE_ESTIMATE_OVERHEAD = 8;
/** Strings up to this length are tried as integers ("-2147483648" is 11 characters). */
const INT_ENCODING_MAX_LENGTH = 11;
/** Strings longer than this are tried with LZF. */
const LZF_MIN_LENGTH = 20;
/** LZF is kept only when it saves at least this many bytes. */
const LZF_MIN_SAVING = 4;
const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

export interface RdbWriteOptions {
  /** The AUX `ctime`: Unix time of the save, in seconds. */
  readonly ctime: number;
  /** The AUX `used-mem`: bytes of memory in use at the save. */
  readonly usedMem: number;
  /** Redis's `rdbcompression` (default true): LZF for long strings and blobs. */
  readonly rdbcompression?: boolean;
  /** Redis's `rdbchecksum` (default true): the CRC-64 after EOF, else 8 zero bytes. */
  readonly rdbchecksum?: boolean;
  /** The AUX `aof-base`: true when the file is the base of a multi-part AOF (default false). */
  readonly aofBase?: boolean;
}

/** The RDB file of `keyspace`. Throws RdbEncodeError for a keyspace Redis could not hold. */
export function writeRdb(keyspace: RdbKeyspace, options: RdbWriteOptions): Uint8Array {
  requireInteger(options.ctime, 'ctime');
  requireInteger(options.usedMem, 'used-mem');
  const out = new RdbWriter(options.rdbcompression ?? true);
  out.w.bin(RDB_MAGIC + String(RDB_VERSION_7_0).padStart(4, '0'));
  out.aux('redis-ver', '7.0.15');
  out.aux('redis-bits', '64');
  out.aux('ctime', String(options.ctime));
  out.aux('used-mem', String(options.usedMem));
  out.aux('aof-base', options.aofBase === true ? '1' : '0');

  const seen = new Set<number>();
  for (const db of [...keyspace.dbs].sort((a, b) => a.index - b.index)) {
    requireInteger(db.index, 'database index');
    if (db.index < 0 || db.index > 0xffffffff) throw new RdbEncodeError(`database index ${db.index} is out of range`);
    if (seen.has(db.index)) throw new RdbEncodeError(`database ${db.index} is listed twice`);
    seen.add(db.index);
    if (db.entries.length === 0) continue; // Redis skips empty databases entirely.
    out.w.u8(RDB_OPCODE_SELECTDB);
    out.length(db.index);
    out.w.u8(RDB_OPCODE_RESIZEDB);
    out.length(db.entries.length);
    out.length(db.entries.filter((e) => e.expireAtMs !== undefined).length);
    requireDistinct(
      db.entries.map((e) => e.key),
      `duplicate key in database ${db.index}`,
    );
    for (const entry of db.entries) out.entry(entry);
  }

  out.w.u8(RDB_OPCODE_EOF);
  out.w.u64le(options.rdbchecksum ?? true ? crc64(out.w.written()) : 0n);
  return out.w.finish();
}

class RdbWriter {
  readonly w = new ByteWriter(4096);

  constructor(private readonly compression: boolean) {}

  aux(key: string, value: string): void {
    this.w.u8(RDB_OPCODE_AUX);
    this.string(key);
    this.string(value);
  }

  /**
   *   00|xxxxxx => < 64 | 01|xxxxxx xxxxxxxx => < 16384, big-endian
   *   0x80 + 4 bytes big-endian | 0x81 + 8 bytes big-endian
   */
  length(n: number): void {
    const w = this.w;
    if (n < 0x40) w.u8(n);
    else if (n < 0x4000) w.u8(0x40 | (n >> 8)).u8(n & 0xff);
    else if (n <= 0xffffffff) w.u8(RDB_32BITLEN).u32be(n);
    else w.u8(RDB_64BITLEN).u64be(BigInt(n));
  }

  /** An RDB string: integer-encoded, LZF-compressed or raw, as Redis 7.0 chooses. */
  string(bin: string): void {
    if (bin.length <= INT_ENCODING_MAX_LENGTH) {
      const v = parseInteger(bin);
      if (typeof v === 'number' && v >= INT32_MIN && v <= INT32_MAX) {
        const w = this.w;
        // 11|000000 INT8, 11|000001 INT16 LE, 11|000010 INT32 LE
        if (v >= -0x80 && v <= 0x7f) w.u8(0xc0 | RDB_ENC_INT8).u8(v & 0xff);
        else if (v >= -0x8000 && v <= 0x7fff) w.u8(0xc0 | RDB_ENC_INT16).i16le(v);
        else w.u8(0xc0 | RDB_ENC_INT32).i32le(v);
        return;
      }
    }
    if (this.compression && bin.length > LZF_MIN_LENGTH) this.bytes(binToBytes(bin));
    else {
      this.length(bin.length);
      this.w.bin(bin);
    }
  }

  /** An RDB string of raw bytes (a blob, or a long string): LZF when on and worth it, else raw. */
  bytes(b: Uint8Array): void {
    if (this.compression && b.length > LZF_MIN_LENGTH) {
      const compressed = lzfCompress(b, b.length - LZF_MIN_SAVING);
      if (compressed !== null) {
        // 11|000011 <len compressed> <len original> <data>
        this.w.u8(0xc0 | RDB_ENC_LZF);
        this.length(compressed.length);
        this.length(b.length);
        this.w.bytes(compressed);
        return;
      }
    }
    this.length(b.length);
    this.w.bytes(b);
  }

  entry(entry: RdbKeyData): void {
    const w = this.w;
    if (entry.expireAtMs !== undefined) {
      requireInteger(entry.expireAtMs, `expiry of key ${JSON.stringify(entry.key)}`);
      w.u8(RDB_OPCODE_EXPIRETIME_MS).i64le(BigInt(entry.expireAtMs));
    }
    const L = REDIS_7_0_LIMITS;
    const refuse = (why: string): never => {
      throw new RdbEncodeError(`key ${JSON.stringify(entry.key)}: ${why}`);
    };
    switch (entry.type) {
      case 'string':
        w.u8(RDB_TYPE_STRING);
        this.string(entry.key);
        this.string(entry.value);
        return;
      case 'list': {
        if (entry.value.length === 0) refuse('an empty list (Redis deletes a list with its last element)');
        const nodes: Uint8Array[] = [];
        let node = new ListpackBuilder();
        for (const element of entry.value) {
          if (node.count > 0 && node.byteLength + element.length + QUICKLIST_SIZE_ESTIMATE_OVERHEAD > L.listMaxListpackBytes) {
            nodes.push(node.finish());
            node = new ListpackBuilder();
          }
          node.add(element);
        }
        nodes.push(node.finish());
        w.u8(RDB_TYPE_LIST_QUICKLIST_2);
        this.string(entry.key);
        this.length(nodes.length);
        for (const lp of nodes) {
          this.length(QUICKLIST_NODE_CONTAINER_PACKED);
          this.bytes(lp);
        }
        return;
      }
      case 'set': {
        const members = entry.value;
        if (members.length === 0) refuse('an empty set');
        requireDistinct(members, `key ${JSON.stringify(entry.key)}: duplicate set member`);
        const ints = members.length <= L.setMaxIntsetEntries ? integersOf(members) : null;
        if (ints !== null) {
          w.u8(RDB_TYPE_SET_INTSET);
          this.string(entry.key);
          this.bytes(intsetEncode(ints));
          return;
        }
        w.u8(RDB_TYPE_SET);
        this.string(entry.key);
        this.length(members.length);
        for (const m of members) this.string(m);
        return;
      }
      case 'hash': {
        const pairs = entry.value;
        if (pairs.length === 0) refuse('an empty hash');
        requireDistinct(
          pairs.map((p) => p[0]),
          `key ${JSON.stringify(entry.key)}: duplicate hash field`,
        );
        const small =
          pairs.length <= L.hashMaxListpackEntries && pairs.every(([f, v]) => f.length <= L.hashMaxListpackValue && v.length <= L.hashMaxListpackValue);
        w.u8(small ? RDB_TYPE_HASH_LISTPACK : RDB_TYPE_HASH);
        this.string(entry.key);
        if (small) {
          this.bytes(listpackEncode(pairs.flat()));
          return;
        }
        this.length(pairs.length);
        for (const [field, value] of pairs) {
          this.string(field);
          this.string(value);
        }
        return;
      }
      case 'zset': {
        const pairs = [...entry.value];
        if (pairs.length === 0) refuse('an empty sorted set');
        requireDistinct(
          pairs.map((p) => p[0]),
          `key ${JSON.stringify(entry.key)}: duplicate sorted set member`,
        );
        if (pairs.some((p) => Number.isNaN(p[1]))) refuse('a NaN score');
        // Rank order: by score, then by member bytes (bin strings compare bytewise).
        pairs.sort((a, b) => (a[1] !== b[1] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
        const small = pairs.length <= L.zsetMaxListpackEntries && pairs.every(([m]) => m.length <= L.zsetMaxListpackValue);
        w.u8(small ? RDB_TYPE_ZSET_LISTPACK : RDB_TYPE_ZSET_2);
        this.string(entry.key);
        if (small) {
          // Scores as Redis's text: integers in full ("3"), others %.17g, "inf"/"-inf".
          this.bytes(listpackEncode(pairs.flatMap(([m, s]) => [m, formatDouble(s)])));
          return;
        }
        this.length(pairs.length);
        for (let i = pairs.length - 1; i >= 0; i--) {
          const [member, score] = pairs[i] as readonly [string, number];
          this.string(member);
          w.f64le(score);
        }
        return;
      }
    }
  }
}

/** The members as 64-bit integers when every one is a canonical integer, else null. */
function integersOf(members: readonly string[]): bigint[] | null {
  const out: bigint[] = [];
  for (const m of members) {
    const v = parseInteger(m);
    if (v === null) return null;
    out.push(BigInt(v));
  }
  return out;
}

function requireDistinct(items: readonly string[], message: string): void {
  if (new Set(items).size !== items.length) throw new RdbEncodeError(message);
}

function requireInteger(v: number, what: string): void {
  if (!Number.isSafeInteger(v)) throw new RdbEncodeError(`${what} must be an integer, got ${v}`);
}
