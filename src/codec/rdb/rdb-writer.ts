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
 *   rdbcompression is on and liblzf fits it in length − 4 bytes (lzf.ts); else raw. Keys and
 *   every blob follow the same rules, so listpacks and intsets may be LZF-compressed too.
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
 * RdbFileWriter writes the same bytes key by key, for a caller with a keyspace of its own.
 */
import { formatDouble, parseInteger } from '../numbers.ts';
import { ByteWriter } from './byte-writer.ts';
import { crc64 } from './crc64.ts';
import { intsetEncode } from './intset.ts';
import { ListpackBuilder, listpackEncode } from './listpack.ts';
import { lzfCompressInto } from './lzf.ts';
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
/** liblzf gets length − this many bytes of room; where it gives up, the string stays raw. */
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
  /**
   * About how many bytes the file will take, when the caller can tell cheaply (RdbFileWriter): the
   * buffer is then allocated once at that size instead of growing in chunks. Only speed depends on it.
   */
  readonly sizeHint?: number;
}

/** The RDB file of `keyspace`. Throws RdbEncodeError for a keyspace Redis could not hold. */
export function writeRdb(keyspace: RdbKeyspace, options: RdbWriteOptions): Uint8Array {
  const out = new RdbFileWriter(options);
  const seen = new Set<number>();
  for (const db of [...keyspace.dbs].sort((a, b) => a.index - b.index)) {
    requireInteger(db.index, 'database index');
    if (db.index < 0 || db.index > 0xffffffff) throw new RdbEncodeError(`database index ${db.index} is out of range`);
    if (seen.has(db.index)) throw new RdbEncodeError(`database ${db.index} is listed twice`);
    seen.add(db.index);
    const entries = db.entries;
    if (entries.length === 0) continue; // Redis skips empty databases entirely.
    let expires = 0;
    const keys = new Set<string>();
    for (const entry of entries) {
      if (entry.expireAtMs !== undefined) expires++;
      keys.add(entry.key);
    }
    if (keys.size !== entries.length) throw new RdbEncodeError(`duplicate key in database ${db.index}`);
    out.selectDb(db.index, entries.length, expires);
    for (const entry of entries) out.key(entry);
  }
  return out.finish();
}

/**
 * The same file written key by key, for a caller that keeps its keyspace in structures of its own
 * (the engine's dictionaries) and should not first copy it into an `RdbKeyspace`.
 *
 * Contract: the constructor writes the header and the AUX fields; then, for each non-empty
 * database in ascending index order, `selectDb` with its exact key and expiry counts (RESIZEDB),
 * then exactly that many `key` or `stringKey` calls; `finish` writes EOF and the checksum and
 * returns the file. Keys must be distinct within a database: unlike writeRdb, nothing checks it
 * (a dictionary's keys are). Anything else out of order throws an RdbEncodeError.
 */
export class RdbFileWriter {
  private readonly out: RdbEncoder;
  private readonly checksum: boolean;
  private lastDb = -1;
  private keysLeft = 0;
  private expiresLeft = 0;
  private finished = false;

  constructor(options: RdbWriteOptions) {
    requireInteger(options.ctime, 'ctime');
    requireInteger(options.usedMem, 'used-mem');
    this.checksum = options.rdbchecksum ?? true;
    const out = (this.out = new RdbEncoder(options.rdbcompression ?? true, options.sizeHint ?? 0));
    out.bin(RDB_MAGIC + String(RDB_VERSION_7_0).padStart(4, '0'));
    out.aux('redis-ver', '7.0.15');
    out.aux('redis-bits', '64');
    out.aux('ctime', String(options.ctime));
    out.aux('used-mem', String(options.usedMem));
    out.aux('aof-base', options.aofBase === true ? '1' : '0');
  }

  /** SELECTDB and RESIZEDB: `keys` keys follow, `expires` of them with an expiry. A database with no keys writes nothing. */
  selectDb(index: number, keys: number, expires: number): void {
    this.requireOpen();
    this.requireDbComplete();
    requireInteger(index, 'database index');
    if (index < 0 || index > 0xffffffff) throw new RdbEncodeError(`database index ${index} is out of range`);
    if (index <= this.lastDb) throw new RdbEncodeError(`database ${index} after database ${this.lastDb}: databases go in ascending order, once each`);
    requireInteger(keys, 'key count');
    requireInteger(expires, 'expiry count');
    if (keys < 0 || expires < 0 || expires > keys) throw new RdbEncodeError(`database ${index}: ${keys} keys with ${expires} expiries`);
    this.lastDb = index;
    this.keysLeft = keys;
    this.expiresLeft = expires;
    if (keys === 0) return;
    const out = this.out;
    out.u8(RDB_OPCODE_SELECTDB);
    out.rdbLength(index);
    out.u8(RDB_OPCODE_RESIZEDB);
    out.rdbLength(keys);
    out.rdbLength(expires);
  }

  /** One key of any type. Throws RdbEncodeError for a value Redis could not hold. */
  key(entry: RdbKeyData): void {
    this.count(entry.key, entry.expireAtMs);
    this.out.entry(entry);
  }

  /** One string key: `key(entry)` without building the entry. */
  stringKey(key: string, value: string, expireAtMs?: number): void {
    this.count(key, expireAtMs);
    const out = this.out;
    if (expireAtMs !== undefined) out.expiry(key, expireAtMs);
    out.u8(RDB_TYPE_STRING);
    out.string(key);
    out.string(value);
  }

  /** EOF and the CRC-64 (or 8 zero bytes with rdbchecksum off); the whole file. */
  finish(): Uint8Array {
    this.requireOpen();
    this.requireDbComplete();
    this.finished = true;
    const out = this.out;
    out.u8(RDB_OPCODE_EOF);
    out.u64le(0n);
    const file = out.finish();
    const end = file.length - 8;
    if (this.checksum) new DataView(file.buffer, file.byteOffset, file.byteLength).setBigUint64(end, crc64(file.subarray(0, end)), true);
    return file;
  }

  private count(key: string, expireAtMs: number | undefined): void {
    this.requireOpen();
    if (this.keysLeft === 0) {
      throw new RdbEncodeError(this.lastDb < 0 ? `key ${JSON.stringify(key)} before any database` : `more keys than declared in database ${this.lastDb}`);
    }
    this.keysLeft--;
    if (expireAtMs !== undefined && this.expiresLeft-- === 0) throw new RdbEncodeError(`more expiries than declared in database ${this.lastDb}`);
  }

  private requireDbComplete(): void {
    if (this.keysLeft !== 0 || this.expiresLeft !== 0) {
      throw new RdbEncodeError(`database ${this.lastDb}: ${this.keysLeft} keys and ${this.expiresLeft} expiries declared but not written`);
    }
  }

  private requireOpen(): void {
    if (this.finished) throw new RdbEncodeError('the file is already finished');
  }
}

/** The first chunk's size (unless a size hint asks for more), and the most a later one takes (unless one write needs more). */
const FIRST_CHUNK = 4096;
const MAX_CHUNK = 1 << 22;
/** A first chunk the file fills to at least this fraction is returned as a view, not copied. */
const KEEP_FILLED = 0.75;

/**
 * The RDB encodings on a growable buffer; hot paths write `buf` at `len` directly. A big file is
 * written in chunks that are joined once at the end, rather than in one buffer doubled and copied
 * as it grows: a file of many megabytes is then copied once, not about twice; and not at all when
 * a size hint made the first chunk big enough.
 */
class RdbEncoder extends ByteWriter {
  private readonly chunks: Uint8Array[] = [];
  private chunkedBytes = 0;
  /** The bytes of a long string, and its LZF output; reused, grown as needed. */
  private scratchIn = new Uint8Array(256);
  private scratchOut = new Uint8Array(256);

  constructor(
    private readonly compression: boolean,
    sizeHint: number,
  ) {
    super(Math.max(FIRST_CHUNK, Math.ceil(sizeHint)));
  }

  /** Room for n more bytes in `buf`, which becomes a fresh chunk when the current one is full. */
  protected override ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    this.chunks.push(this.buf.subarray(0, this.len));
    this.chunkedBytes += this.len;
    this.buf = new Uint8Array(Math.max(Math.min(this.buf.length * 2, MAX_CHUNK), n));
    this.view = new DataView(this.buf.buffer);
    this.len = 0;
  }

  override get length(): number {
    return this.chunkedBytes + this.len;
  }

  /** Every byte written so far (a copy here: the bytes span chunks). */
  override written(): Uint8Array {
    return this.finish();
  }

  /**
   * Every byte written: the chunks joined in a buffer of exactly their size, or the one chunk
   * itself (a view of it) when it is mostly full, so a well-hinted file is never copied.
   */
  override finish(): Uint8Array {
    if (this.chunks.length === 0 && this.len >= this.buf.length * KEEP_FILLED) return this.buf.subarray(0, this.len);
    const file = new Uint8Array(this.chunkedBytes + this.len);
    let at = 0;
    for (const chunk of this.chunks) {
      file.set(chunk, at);
      at += chunk.length;
    }
    file.set(this.buf.subarray(0, this.len), at);
    return file;
  }

  aux(key: string, value: string): void {
    this.u8(RDB_OPCODE_AUX);
    this.string(key);
    this.string(value);
  }

  /**
   *   00|xxxxxx => < 64 | 01|xxxxxx xxxxxxxx => < 16384, big-endian
   *   0x80 + 4 bytes big-endian | 0x81 + 8 bytes big-endian
   */
  rdbLength(n: number): void {
    if (n > 0xffffffff) {
      this.u8(RDB_64BITLEN).u64be(BigInt(n));
      return;
    }
    this.ensure(5);
    this.len = writeLength(this.buf, this.len, n);
  }

  /** An RDB string: integer-encoded, LZF-compressed or raw, as Redis 7.0 chooses. */
  string(bin: string): void {
    const n = bin.length;
    if (n <= INT_ENCODING_MAX_LENGTH && n > 0) {
      // Only a leading digit or '-' can start an integer; most keys and values fail here.
      const c = bin.charCodeAt(0);
      if (c === 45 || (c >= 48 && c <= 57)) {
        const v = parseInteger(bin);
        if (typeof v === 'number' && v >= INT32_MIN && v <= INT32_MAX) {
          this.int(v);
          return;
        }
      }
    }
    if (this.compression && n > LZF_MIN_LENGTH && this.lzfString(bin)) return;
    this.ensure(n + 5);
    const buf = this.buf;
    const at = writeLength(buf, this.len, n);
    // A Uint8Array store keeps the low 8 bits, which is all a bin string's code unit has.
    for (let i = 0; i < n; i++) buf[at + i] = bin.charCodeAt(i);
    this.len = at + n;
  }

  /** 11|000000 INT8, 11|000001 INT16 LE, 11|000010 INT32 LE */
  private int(v: number): void {
    this.ensure(5);
    const buf = this.buf;
    let p = this.len;
    if (v >= -0x80 && v <= 0x7f) {
      buf[p++] = 0xc0 | RDB_ENC_INT8;
      buf[p++] = v;
    } else if (v >= -0x8000 && v <= 0x7fff) {
      buf[p++] = 0xc0 | RDB_ENC_INT16;
      buf[p++] = v;
      buf[p++] = v >> 8;
    } else {
      buf[p++] = 0xc0 | RDB_ENC_INT32;
      buf[p++] = v;
      buf[p++] = v >> 8;
      buf[p++] = v >> 16;
      buf[p++] = v >> 24;
    }
    this.len = p;
  }

  /** A long string LZF-compressed, when that saves enough; false (nothing written) when not. */
  private lzfString(bin: string): boolean {
    const n = bin.length;
    if (this.scratchIn.length < n) this.scratchIn = new Uint8Array(Math.max(n, this.scratchIn.length * 2));
    const input = this.scratchIn;
    for (let i = 0; i < n; i++) input[i] = bin.charCodeAt(i);
    return this.lzf(input, n);
  }

  /** 11|000011 <len compressed> <len original> <data>, when liblzf fits it in n − 4 bytes. */
  private lzf(input: Uint8Array, n: number): boolean {
    const maxOutput = n - LZF_MIN_SAVING;
    if (this.scratchOut.length < maxOutput) this.scratchOut = new Uint8Array(Math.max(maxOutput, this.scratchOut.length * 2));
    const compressed = this.scratchOut;
    const size = lzfCompressInto(input, n, compressed, maxOutput);
    if (size < 0) return false;
    this.u8(0xc0 | RDB_ENC_LZF);
    this.rdbLength(size);
    this.rdbLength(n);
    this.bytes(compressed.subarray(0, size));
    return true;
  }

  /** An RDB string of raw bytes (a blob, or a long string): LZF when on and worth it, else raw. */
  blob(b: Uint8Array): void {
    if (this.compression && b.length > LZF_MIN_LENGTH && this.lzf(b, b.length)) return;
    this.rdbLength(b.length);
    this.bytes(b);
  }

  expiry(key: string, expireAtMs: number): void {
    requireInteger(expireAtMs, `expiry of key ${JSON.stringify(key)}`);
    this.u8(RDB_OPCODE_EXPIRETIME_MS).i64leNumber(expireAtMs);
  }

  entry(entry: RdbKeyData): void {
    if (entry.expireAtMs !== undefined) this.expiry(entry.key, entry.expireAtMs);
    const L = REDIS_7_0_LIMITS;
    switch (entry.type) {
      case 'string':
        this.u8(RDB_TYPE_STRING);
        this.string(entry.key);
        this.string(entry.value);
        return;
      case 'list': {
        if (entry.value.length === 0) refuse(entry, 'an empty list (Redis deletes a list with its last element)');
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
        this.u8(RDB_TYPE_LIST_QUICKLIST_2);
        this.string(entry.key);
        this.rdbLength(nodes.length);
        for (const lp of nodes) {
          this.rdbLength(QUICKLIST_NODE_CONTAINER_PACKED);
          this.blob(lp);
        }
        return;
      }
      case 'set': {
        const members = entry.value;
        if (members.length === 0) refuse(entry, 'an empty set');
        requireDistinct(members, `key ${JSON.stringify(entry.key)}: duplicate set member`);
        const ints = members.length <= L.setMaxIntsetEntries ? integersOf(members) : null;
        if (ints !== null) {
          this.u8(RDB_TYPE_SET_INTSET);
          this.string(entry.key);
          this.blob(intsetEncode(ints));
          return;
        }
        this.u8(RDB_TYPE_SET);
        this.string(entry.key);
        this.rdbLength(members.length);
        for (const m of members) this.string(m);
        return;
      }
      case 'hash': {
        const pairs = entry.value;
        if (pairs.length === 0) refuse(entry, 'an empty hash');
        requireDistinct(
          pairs.map((p) => p[0]),
          `key ${JSON.stringify(entry.key)}: duplicate hash field`,
        );
        const small =
          pairs.length <= L.hashMaxListpackEntries && pairs.every(([f, v]) => f.length <= L.hashMaxListpackValue && v.length <= L.hashMaxListpackValue);
        this.u8(small ? RDB_TYPE_HASH_LISTPACK : RDB_TYPE_HASH);
        this.string(entry.key);
        if (small) {
          this.blob(listpackEncode(pairs.flat()));
          return;
        }
        this.rdbLength(pairs.length);
        for (const [field, value] of pairs) {
          this.string(field);
          this.string(value);
        }
        return;
      }
      case 'zset': {
        const pairs = [...entry.value];
        if (pairs.length === 0) refuse(entry, 'an empty sorted set');
        requireDistinct(
          pairs.map((p) => p[0]),
          `key ${JSON.stringify(entry.key)}: duplicate sorted set member`,
        );
        if (pairs.some((p) => Number.isNaN(p[1]))) refuse(entry, 'a NaN score');
        // Rank order: by score, then by member bytes (bin strings compare bytewise).
        pairs.sort((a, b) => (a[1] !== b[1] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
        const small = pairs.length <= L.zsetMaxListpackEntries && pairs.every(([m]) => m.length <= L.zsetMaxListpackValue);
        this.u8(small ? RDB_TYPE_ZSET_LISTPACK : RDB_TYPE_ZSET_2);
        this.string(entry.key);
        if (small) {
          // Scores as Redis's text: integers in full ("3"), others %.17g, "inf"/"-inf".
          this.blob(listpackEncode(pairs.flatMap(([m, s]) => [m, formatDouble(s)])));
          return;
        }
        this.rdbLength(pairs.length);
        for (let i = pairs.length - 1; i >= 0; i--) {
          const [member, score] = pairs[i] as readonly [string, number];
          this.string(member);
          this.f64le(score);
        }
        return;
      }
    }
  }
}

/** Writes an RDB length of at most 32 bits at `at` (room for 5 bytes ensured); returns the end. */
function writeLength(buf: Uint8Array, at: number, n: number): number {
  if (n < 0x40) {
    buf[at] = n;
    return at + 1;
  }
  if (n < 0x4000) {
    buf[at] = 0x40 | (n >> 8);
    buf[at + 1] = n;
    return at + 2;
  }
  buf[at] = RDB_32BITLEN;
  buf[at + 1] = n >>> 24;
  buf[at + 2] = n >>> 16;
  buf[at + 3] = n >>> 8;
  buf[at + 4] = n;
  return at + 5;
}

function refuse(entry: RdbKeyData, why: string): never {
  throw new RdbEncodeError(`key ${JSON.stringify(entry.key)}: ${why}`);
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
