/**
 * Reads an RDB file as any Redis from 2.x to 7.4 writes it (RDB versions 1–12) into a plain
 * keyspace, plus an annotated map of its bytes for the lab's RDB inspector.
 *
 * Contract: pure and total. Given any bytes it either returns an `RdbFile` or throws an
 * `RdbDecodeError` naming the offset and the reason; it never throws anything else, never loops
 * without consuming input, and checks every length against the bytes left before allocating for
 * it. It refuses, with an `RdbUnsupportedError`, what the lab does not model: streams, module
 * values and module AUX data, function libraries, and Redis 7.4's hashes with field TTLs.
 *
 * It checks what Redis's loader checks: the magic and version, a non-zero CRC-64 against the
 * bytes, SELECTDB against `databases`, duplicate keys, duplicate set members, hash fields and zset
 * members, NaN scores. Empty aggregates are skipped and counted, as Redis skips them.
 *
 * A loader can ask for less (RdbReadOptions): no byte map, no duplicate-key check, each key and
 * each note (what Redis logs as it reads) handed over as it is met, string keys skipped over
 * unbuilt. A file of a million keys then reads several times faster. What a callback throws goes
 * through the reader untouched, so a loader can stop a read where it wants.
 */
import { bytesToBin, bytesToBinRange } from '../bytes.ts';
import { parseDouble } from '../numbers.ts';
import { ByteReader, type BlobOrigin } from './byte-reader.ts';
import { crc64 } from './crc64.ts';
import { intsetDecode } from './intset.ts';
import { listpackDecode } from './listpack.ts';
import { lzfDecompress } from './lzf.ts';
import {
  QUICKLIST_NODE_CONTAINER_PACKED,
  QUICKLIST_NODE_CONTAINER_PLAIN,
  RDB_64BITLEN,
  RDB_32BITLEN,
  RDB_DOUBLE_NAN,
  RDB_DOUBLE_NEG_INF,
  RDB_DOUBLE_POS_INF,
  RDB_ENCVAL,
  RDB_ENC_INT16,
  RDB_ENC_INT32,
  RDB_ENC_INT8,
  RDB_ENC_LZF,
  RDB_MAGIC,
  RDB_OPCODE_AUX,
  RDB_OPCODE_EOF,
  RDB_OPCODE_EXPIRETIME,
  RDB_OPCODE_EXPIRETIME_MS,
  RDB_OPCODE_FREQ,
  RDB_OPCODE_FUNCTION2,
  RDB_OPCODE_FUNCTION_PRE_GA,
  RDB_OPCODE_IDLE,
  RDB_OPCODE_MODULE_AUX,
  RDB_OPCODE_RESIZEDB,
  RDB_OPCODE_SELECTDB,
  RDB_OPCODE_SLOT_INFO,
  RDB_TYPE_HASH,
  RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_HASH_LISTPACK_EX,
  RDB_TYPE_HASH_LISTPACK_EX_PRE_GA,
  RDB_TYPE_HASH_METADATA,
  RDB_TYPE_HASH_METADATA_PRE_GA,
  RDB_TYPE_HASH_ZIPLIST,
  RDB_TYPE_HASH_ZIPMAP,
  RDB_TYPE_LIST,
  RDB_TYPE_LIST_QUICKLIST,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_LIST_ZIPLIST,
  RDB_TYPE_MODULE_2,
  RDB_TYPE_MODULE_PRE_GA,
  RDB_TYPE_SET,
  RDB_TYPE_SET_INTSET,
  RDB_TYPE_SET_LISTPACK,
  RDB_TYPE_STREAM_LISTPACKS,
  RDB_TYPE_STREAM_LISTPACKS_2,
  RDB_TYPE_STREAM_LISTPACKS_3,
  RDB_TYPE_STRING,
  RDB_TYPE_ZSET,
  RDB_TYPE_ZSET_2,
  RDB_TYPE_ZSET_LISTPACK,
  RDB_TYPE_ZSET_ZIPLIST,
  RDB_VERSION_CHECKSUM,
  RDB_VERSION_MAX,
  prettyByte,
  rdbOpcodeName,
  rdbTypeName,
} from './rdb-constants.ts';
import { RdbChecksumError, RdbDecodeError, RdbUnsupportedError } from './rdb-error.ts';
import type { RdbAuxField, RdbChecksum, RdbDb, RdbEntry, RdbFile, RdbLoadNote, RdbRegion, RdbRegionKind, RdbValue } from './rdb-types.ts';
import { ziplistDecode, zipmapDecode } from './ziplist.ts';

export interface RdbReadOptions {
  /** Verify a non-zero stored checksum (default true). When off, a mismatch shows in `checksum.status`. */
  readonly verifyChecksum?: boolean;
  /** Redis's `databases` (default 16): a SELECTDB of this index or above is refused, as Redis refuses it. */
  readonly databases?: number;
  /**
   * Build `regions`, the annotated byte map (default true). A loader that only wants the keys
   * turns it off: for a big file the map is most of the reader's work and memory. `regions` is
   * then empty; `loadNotes` has what a loader logs.
   */
  readonly regions?: boolean;
  /**
   * Refuse a key met twice in one database (default true). A loader that fills a dictionary may
   * turn it off and find duplicates as it inserts, as Redis's own loader does; duplicates are then
   * returned in file order.
   */
  readonly checkDuplicateKeys?: boolean;
  /**
   * Takes each key as it is read, in file order, instead of its database's `entries` (which stay
   * empty): a loader that installs keys as it goes keeps no second copy of a big keyspace.
   */
  readonly onEntry?: (db: number, entry: RdbEntry) => void;
  /**
   * Takes each load note as it is met (they are in `loadNotes` too). With `onEntry`, a loader
   * knows which keys came before each note, even when the file fails further on.
   */
  readonly onNote?: (note: RdbLoadNote) => void;
  /**
   * Takes the string keys without building them: when given (with no `regions` and no
   * `checkDuplicateKeys`), a string key's name and value are skipped over, checked as a read
   * checks them, and only its database is handed here, not to onEntry. A caller that reads a file
   * once to learn how it ends, and again to take its keys, saves most of the first read.
   */
  readonly onStringSkipped?: (db: number) => void;
  /**
   * Takes the string keys as their parts rather than as entries for onEntry (when given with no
   * `regions` and no `checkDuplicateKeys`): a loader of a million string keys then builds no entry
   * object for each. The LRU idle time and LFU counter of such a key are read and dropped.
   */
  readonly onString?: (db: number, key: string, value: string, expireAtMs: number | undefined) => void;
}

/** Reads a whole RDB file. Throws RdbDecodeError (or a subclass) when it cannot. */
export function readRdb(bytes: Uint8Array, options: RdbReadOptions = {}): RdbFile {
  return new RdbParser(bytes, options).parse();
}

/** How an RDB string was stored. */
type StringEncoding = 'raw' | 'RDB_ENC_INT8' | 'RDB_ENC_INT16' | 'RDB_ENC_INT32' | 'RDB_ENC_LZF';

interface StringParts {
  readonly encoding: StringEncoding;
  /** The string's bytes, unless it was an integer encoding. */
  readonly bytes?: Uint8Array;
  readonly int?: number;
  /** Offset of the string's first byte (its length or encoding byte). */
  readonly start: number;
  /** Offset of the raw bytes (the plain string's data, or the LZF data). */
  readonly dataStart: number;
}

const MODULE = 'a module value: the lab loads no modules';
const STREAM = 'a stream: the lab does not model streams';
const HASH_FIELD_TTL = 'a hash with field TTLs (Redis 7.4): the lab models Redis 7.0, which has none';

/** Value types that are well-formed but that the lab does not model, and why. */
const UNSUPPORTED_TYPES: Readonly<Record<number, string>> = {
  [RDB_TYPE_MODULE_PRE_GA]: MODULE,
  [RDB_TYPE_MODULE_2]: MODULE,
  [RDB_TYPE_STREAM_LISTPACKS]: STREAM,
  [RDB_TYPE_STREAM_LISTPACKS_2]: STREAM,
  [RDB_TYPE_STREAM_LISTPACKS_3]: STREAM,
  [RDB_TYPE_HASH_METADATA_PRE_GA]: HASH_FIELD_TTL,
  [RDB_TYPE_HASH_LISTPACK_EX_PRE_GA]: HASH_FIELD_TTL,
  [RDB_TYPE_HASH_METADATA]: HASH_FIELD_TTL,
  [RDB_TYPE_HASH_LISTPACK_EX]: HASH_FIELD_TTL,
};

const DEFAULT_DATABASES = 16;

/** A database being read, and the keys met in it so far (when duplicates are checked). */
interface DbState {
  readonly db: RdbDb;
  readonly keys: Set<string>;
}

class RdbParser {
  private readonly r: ByteReader;
  private readonly regions: RdbRegion[] = [];
  private readonly loadNotes: RdbLoadNote[] = [];
  private readonly dbs = new Map<number, DbState>();
  private readonly verifyChecksum: boolean;
  private readonly databases: number;
  private readonly mapping: boolean;
  private readonly checkDuplicateKeys: boolean;
  private readonly onEntry: ((db: number, entry: RdbEntry) => void) | undefined;
  private readonly onNote: ((note: RdbLoadNote) => void) | undefined;
  private readonly onStringSkipped: ((db: number) => void) | undefined;
  private readonly onString: ((db: number, key: string, value: string, expireAtMs: number | undefined) => void) | undefined;
  /** How the last string read by `readBin` was stored. */
  private lastEncoding: StringEncoding = 'raw';

  constructor(
    private readonly bytes: Uint8Array,
    options: RdbReadOptions,
  ) {
    this.r = new ByteReader(bytes);
    this.verifyChecksum = options.verifyChecksum ?? true;
    this.databases = options.databases ?? DEFAULT_DATABASES;
    this.mapping = options.regions ?? true;
    this.checkDuplicateKeys = options.checkDuplicateKeys ?? true;
    this.onEntry = options.onEntry;
    this.onNote = options.onNote;
    this.onStringSkipped = this.mapping || this.checkDuplicateKeys ? undefined : options.onStringSkipped;
    this.onString = this.mapping || this.checkDuplicateKeys ? undefined : options.onString;
  }

  parse(): RdbFile {
    const r: ByteReader = this.r;
    const version = this.readMagic();
    const aux: RdbAuxField[] = [];
    let dbIndex = 0;
    // Opcodes that qualify the next key; they stay pending across other opcodes, as in Redis.
    let expireAtMs: number | undefined;
    let lruIdleSeconds: number | undefined;
    let lfuFrequency: number | undefined;
    let emptyKeysSkipped = 0;
    const mapping = this.mapping;
    /** The database keys go to, once one has been needed since the last SELECTDB. */
    let current: DbState | undefined;

    for (;;) {
      const start = r.pos;
      const op = r.u8('a value type or opcode');
      if (op === RDB_OPCODE_EOF) {
        this.region('eof', start, 'RDB_OPCODE_EOF', {});
        break;
      }
      switch (op) {
        case RDB_OPCODE_AUX: {
          const key = this.readString('AUX field name');
          const value = this.readString('AUX field value');
          aux.push({ key, value });
          this.note({ kind: 'aux', key, value });
          this.region('aux', start, 'RDB_OPCODE_AUX', { key, value });
          continue;
        }
        case RDB_OPCODE_SELECTDB: {
          dbIndex = this.readLength('database number');
          if (dbIndex >= this.databases) {
            r.fail(`Data file was created with a Redis server configured to handle more than ${this.databases} databases (SELECTDB ${dbIndex})`, start);
          }
          current = this.db(dbIndex);
          this.region('selectdb', start, 'RDB_OPCODE_SELECTDB', { db: dbIndex });
          continue;
        }
        case RDB_OPCODE_RESIZEDB: {
          const dbSize = this.readLength('RESIZEDB db size');
          const expiresSize = this.readLength('RESIZEDB expires size');
          this.db(dbIndex).db.resizeHint = { dbSize, expiresSize };
          this.region('resizedb', start, 'RDB_OPCODE_RESIZEDB', { dbSize, expiresSize });
          continue;
        }
        case RDB_OPCODE_EXPIRETIME_MS:
          expireAtMs = Number(r.i64le('EXPIRETIME_MS milliseconds'));
          this.region('expiry', start, 'RDB_OPCODE_EXPIRETIME_MS', { expireAtMs });
          continue;
        case RDB_OPCODE_EXPIRETIME:
          expireAtMs = r.i32le('EXPIRETIME seconds') * 1000;
          this.region('expiry', start, 'RDB_OPCODE_EXPIRETIME', { expireAtMs });
          continue;
        case RDB_OPCODE_IDLE:
          lruIdleSeconds = this.readLength('IDLE seconds');
          this.region('idle', start, 'RDB_OPCODE_IDLE', { seconds: lruIdleSeconds });
          continue;
        case RDB_OPCODE_FREQ:
          lfuFrequency = r.u8('FREQ counter');
          this.region('freq', start, 'RDB_OPCODE_FREQ', { frequency: lfuFrequency });
          continue;
        case RDB_OPCODE_SLOT_INFO: {
          const slot = this.readLength('SLOT_INFO slot id');
          const slotSize = this.readLength('SLOT_INFO slot size');
          const expiresSlotSize = this.readLength('SLOT_INFO expires slot size');
          this.region('slot-info', start, 'RDB_OPCODE_SLOT_INFO', { slot, slotSize, expiresSlotSize });
          continue;
        }
        case RDB_OPCODE_MODULE_AUX: {
          const module = moduleName(this.readBigLength('module id'));
          throw new RdbUnsupportedError(start, `module AUX data of module '${module}' (RDB_OPCODE_MODULE_AUX): the lab loads no modules`);
        }
        case RDB_OPCODE_FUNCTION2:
        case RDB_OPCODE_FUNCTION_PRE_GA:
          throw new RdbUnsupportedError(start, `a function library (${rdbOpcodeName(op)}): the lab has no scripting`);
      }

      // Not an opcode: a value type, a key, a value.
      const typeName = rdbTypeName(op);
      if (typeName === undefined) r.fail(`unknown value type ${prettyByte(op)}`, start);
      if (op === RDB_TYPE_STRING && this.onStringSkipped !== undefined) {
        this.skipBin('key');
        this.skipBin('string value');
        current ??= this.db(dbIndex);
        this.onStringSkipped(dbIndex);
        expireAtMs = lruIdleSeconds = lfuFrequency = undefined;
        continue;
      }
      if (op === RDB_TYPE_STRING && this.onString !== undefined) {
        const key = this.readBin('key');
        const value = this.readBin('string value');
        current ??= this.db(dbIndex);
        this.onString(dbIndex, key, value, expireAtMs);
        expireAtMs = lruIdleSeconds = lfuFrequency = undefined;
        continue;
      }
      if (mapping) this.region('type', start, typeName, typeDetail(op));
      const keyStart = r.pos;
      const key = this.readBin('key');
      if (mapping) this.region('key', keyStart, typeName, { key, encoding: this.lastEncoding });
      const why = op === RDB_TYPE_STRING ? undefined : UNSUPPORTED_TYPES[op];
      if (why !== undefined) {
        const module = op === RDB_TYPE_MODULE_2 ? ` '${moduleName(this.readBigLength('module id'))}'` : '';
        throw new RdbUnsupportedError(start, `key ${quote(key)} is ${why} (${typeName}${module})`);
      }
      const valueStart = r.pos;
      let type: RdbValue['type'];
      let value: RdbValue['value'];
      if (op === RDB_TYPE_STRING) {
        // The common case, without the generic path's objects.
        type = 'string';
        value = this.readBin('string value');
        if (mapping) this.region('value', valueStart, typeName, stringDetail(this.lastEncoding, value.length));
      } else {
        const detail: Record<string, string | number | boolean> = {};
        const read = this.readValue(op, detail);
        if (mapping) this.region('value', valueStart, typeName, detail);
        if (read === null) {
          emptyKeysSkipped++;
          this.note({ kind: 'empty-key', db: dbIndex, key });
          expireAtMs = lruIdleSeconds = lfuFrequency = undefined;
          continue;
        }
        type = read.type;
        value = read.value;
      }

      current ??= this.db(dbIndex);
      if (this.checkDuplicateKeys) {
        const keys = current.keys;
        const before = keys.size;
        keys.add(key);
        if (keys.size === before) r.fail(`RDB has duplicated key ${quote(key)} in DB ${dbIndex}`, keyStart);
      }
      // Built in one literal, in the order of RdbEntry's fields, then the optional ones.
      const entry = { key, type, value, rdbType: op, encoding: typeName } as Mutable<RdbEntry>;
      if (expireAtMs !== undefined) entry.expireAtMs = expireAtMs;
      if (lruIdleSeconds !== undefined) entry.lruIdleSeconds = lruIdleSeconds;
      if (lfuFrequency !== undefined) entry.lfuFrequency = lfuFrequency;
      if (this.onEntry === undefined) current.db.entries.push(entry);
      else this.onEntry(dbIndex, entry);
      expireAtMs = lruIdleSeconds = lfuFrequency = undefined;
    }

    const checksum = version >= RDB_VERSION_CHECKSUM ? this.readChecksum() : null;
    const length = r.pos;
    if (r.remaining > 0) this.region('trailing', length, 'trailing', { length: r.remaining }, this.bytes.length);
    return {
      version,
      aux,
      dbs: [...this.dbs.values()].map((d) => d.db),
      checksum,
      regions: this.regions,
      length,
      emptyKeysSkipped,
      loadNotes: this.loadNotes,
    };
  }

  private note(note: RdbLoadNote): void {
    this.loadNotes.push(note);
    this.onNote?.(note);
  }

  private region(kind: RdbRegionKind, offset: number, name: string, detail: RdbRegion['detail'], end = this.r.pos): void {
    if (this.mapping) this.regions.push({ offset, length: end - offset, kind, name, detail });
  }

  private db(index: number): DbState {
    let found = this.dbs.get(index);
    if (found === undefined) {
      found = { db: { index, entries: [] }, keys: new Set() };
      this.dbs.set(index, found);
    }
    return found;
  }

  private readMagic(): number {
    const r: ByteReader = this.r;
    const magic = bytesToBin(r.take(9, 'the magic "REDIS" and version'));
    if (!magic.startsWith(RDB_MAGIC)) r.fail('Wrong signature trying to load DB from file', 0);
    const digits = magic.slice(5);
    if (!/^[0-9]{4}$/.test(digits)) r.fail(`version "${digits}" is not four digits`, 5);
    const version = Number(digits);
    if (version < 1 || version > RDB_VERSION_MAX) r.fail(`Can't handle RDB format version ${version}`, 5);
    this.region('magic', 0, 'REDIS', { version });
    return version;
  }

  private readChecksum(): RdbChecksum {
    const r: ByteReader = this.r;
    const start = r.pos;
    const computed = crc64(this.bytes.subarray(0, start));
    const stored = r.u64le('the CRC-64 checksum');
    let status: RdbChecksum['status'] = 'ok';
    if (stored === 0n) status = 'disabled';
    else if (stored !== computed) {
      if (this.verifyChecksum) throw new RdbChecksumError(start, computed, stored);
      status = 'mismatch';
    }
    this.region('checksum', start, 'CRC64', { stored: hex64(stored), computed: hex64(computed), status });
    return { stored, computed, status };
  }

  // -------------------------------------------------------------------------------------------
  // Lengths and strings

  /**
   * A length (rdb.h):
   *   00|xxxxxx => 6 bits | 01|xxxxxx xxxxxxxx => 14 bits, big-endian
   *   0x80 + 4 bytes big-endian | 0x81 + 8 bytes big-endian
   */
  private readBigLength(what: string): bigint {
    const r: ByteReader = this.r;
    const start = r.pos;
    const b = r.u8(what);
    switch (b >> 6) {
      case 0:
        return BigInt(b & 0x3f);
      case 1:
        return BigInt(((b & 0x3f) << 8) | r.u8(what));
      case 2:
        if (b === RDB_32BITLEN) return BigInt(r.u32be(what));
        if (b === RDB_64BITLEN) return r.u64be(what);
        return r.fail(`invalid length encoding ${prettyByte(b)} for ${what}`, start);
      default:
        return r.fail(`expected ${what} (a length), found the string encoding byte ${prettyByte(b)}`, start);
    }
  }

  /** readBigLength as a number, without a BigInt for the 6-, 14- and 32-bit forms. */
  private readLength(what: string): number {
    const r: ByteReader = this.r;
    const start = r.pos;
    const b = r.peek(what);
    if (b < 0x40) {
      r.pos++;
      return b;
    }
    if (b < 0x80 && r.remaining >= 2) {
      r.pos += 2;
      return ((b & 0x3f) << 8) | (this.bytes[start + 1] as number);
    }
    if (b === RDB_32BITLEN && r.remaining >= 5) {
      r.pos++;
      return r.u32be(what);
    }
    const n = this.readBigLength(what);
    if (n > BigInt(Number.MAX_SAFE_INTEGER)) r.fail(`${what} ${n} is absurdly large`, start);
    return Number(n);
  }

  /** A count of items each taking at least `minBytesEach`, checked against the bytes left. */
  private readCount(what: string, minBytesEach: number): number {
    const start = this.r.pos;
    const n = this.readLength(what);
    if (n * minBytesEach > this.r.remaining) {
      this.r.fail(`${what} ${n} cannot fit in the ${this.r.remaining} bytes left`, start);
    }
    return n;
  }

  /**
   * An RDB string: a length and bytes, or 11|kkkkkk with
   *   k = 0 INT8 | 1 INT16 LE | 2 INT32 LE | 3 LZF <len compressed> <len original> <data>
   */
  private readStringParts(what: string): StringParts {
    const r: ByteReader = this.r;
    const start = r.pos;
    const b = r.peek(what);
    if (b >> 6 !== RDB_ENCVAL) {
      const length = this.readLength(`${what} length`);
      if (length > r.remaining) r.fail(`${what} of ${length} bytes runs past the end of the file (${r.remaining} left)`, start);
      const dataStart = r.pos;
      return { encoding: 'raw', bytes: r.take(length, what), start, dataStart };
    }
    r.pos++;
    switch (b & 0x3f) {
      case RDB_ENC_INT8:
        return { encoding: 'RDB_ENC_INT8', int: r.i8(what), start, dataStart: start + 1 };
      case RDB_ENC_INT16:
        return { encoding: 'RDB_ENC_INT16', int: r.i16le(what), start, dataStart: start + 1 };
      case RDB_ENC_INT32:
        return { encoding: 'RDB_ENC_INT32', int: r.i32le(what), start, dataStart: start + 1 };
      case RDB_ENC_LZF: {
        const compressedLength = this.readLength(`${what} LZF compressed length`);
        const length = this.readLength(`${what} LZF original length`);
        if (compressedLength > r.remaining) {
          r.fail(`${what} of ${compressedLength} compressed bytes runs past the end of the file (${r.remaining} left)`, start);
        }
        const dataStart = r.pos;
        const data = r.take(compressedLength, `${what} LZF data`);
        const out = lzfDecompress(data, length);
        if (!(out instanceof Uint8Array)) throw new RdbDecodeError(dataStart + out.at, `LZF ${what}: ${out.reason}`);
        return { encoding: 'RDB_ENC_LZF', bytes: out, start, dataStart };
      }
      default:
        return r.fail(`unknown string encoding ${prettyByte(b)} for ${what}`, start);
    }
  }

  private readString(what: string): string {
    return this.readBin(what);
  }

  /**
   * An RDB string as a bin string, noting its encoding in `lastEncoding`. A raw string with a 6-
   * or 14-bit length that fits in the file is read on the spot; anything else (integers, LZF,
   * long or cut-short strings) takes readStringParts, with its checks and messages.
   */
  private readBin(what: string): string {
    const end = this.shortRawEnd();
    if (end >= 0) {
      const start = this.r.pos;
      this.r.pos = end;
      this.lastEncoding = 'raw';
      return bytesToBinRange(this.bytes, start, end);
    }
    const parts = this.readStringParts(what);
    this.lastEncoding = parts.encoding;
    return partsToBin(parts);
  }

  /** readBin without building the string: the same checks, the same faults. */
  private skipBin(what: string): void {
    const end = this.shortRawEnd();
    if (end >= 0) this.r.pos = end;
    else this.readStringParts(what);
  }

  /**
   * When a raw string with a 6- or 14-bit length that fits in the file starts at the read
   * position: moves the position to its first byte and returns the offset just past its last.
   * Otherwise -1, and the position stays.
   */
  private shortRawEnd(): number {
    const bytes = this.bytes;
    const r: ByteReader = this.r;
    const pos = r.pos;
    const b = pos < bytes.length ? (bytes[pos] as number) : 0xff;
    let start = -1;
    let length = 0;
    if (b < 0x40) {
      start = pos + 1;
      length = b;
    } else if (b < 0x80 && pos + 1 < bytes.length) {
      start = pos + 2;
      length = ((b & 0x3f) << 8) | (bytes[pos + 1] as number);
    }
    if (start < 0 || start + length > bytes.length) return -1;
    r.pos = start;
    return start + length;
  }

  /** A string holding a listpack, ziplist, intset or zipmap, with where its bytes come from. */
  private readBlob(what: string, detail: Record<string, string | number | boolean>): { bytes: Uint8Array; origin: BlobOrigin } {
    const parts = this.readStringParts(what);
    const bytes = parts.bytes ?? asciiBytes(String(parts.int));
    const mapped = parts.encoding === 'raw';
    if (parts.encoding === 'RDB_ENC_LZF') detail.lzfBlobs = ((detail.lzfBlobs as number | undefined) ?? 0) + 1;
    return { bytes, origin: { what, fileOffset: mapped ? parts.dataStart : parts.start, mapped } };
  }

  /** RDB_TYPE_ZSET's score: a length byte and ASCII text, or 253/254/255 for NaN/+inf/−inf. */
  private readTextDouble(): number {
    const r: ByteReader = this.r;
    const start = r.pos;
    const length = r.u8('score length');
    if (length === RDB_DOUBLE_NAN) r.fail('Zset with NAN score detected', start);
    if (length === RDB_DOUBLE_POS_INF) return Infinity;
    if (length === RDB_DOUBLE_NEG_INF) return -Infinity;
    const text = bytesToBin(r.take(length, 'score text'));
    const score = parseDouble(text);
    if (score === null) r.fail(`score ${quote(text)} is not a number`, start);
    return score;
  }

  // -------------------------------------------------------------------------------------------
  // Values

  /** The value of type `type`, or null for an empty aggregate. Fills `detail` for the region. */
  private readValue(type: number, detail: Record<string, string | number | boolean>): RdbValue | null {
    const r: ByteReader = this.r;
    const start = r.pos;
    switch (type) {
      case RDB_TYPE_STRING: {
        const value = this.readBin('string value');
        detail.encoding = this.lastEncoding;
        detail.length = value.length;
        return { type: 'string', value };
      }
      case RDB_TYPE_LIST: {
        const n = this.readCount('list length', 1);
        const value: string[] = [];
        for (let i = 0; i < n; i++) value.push(this.readString('list element'));
        return this.aggregate({ type: 'list', value }, detail);
      }
      case RDB_TYPE_SET: {
        const n = this.readCount('set size', 1);
        const value: string[] = [];
        for (let i = 0; i < n; i++) value.push(this.readString('set member'));
        return this.aggregate({ type: 'set', value: unique(value, r, start, 'Duplicate set members detected') }, detail);
      }
      case RDB_TYPE_ZSET:
      case RDB_TYPE_ZSET_2: {
        const n = this.readCount('zset size', type === RDB_TYPE_ZSET ? 2 : 9);
        const pairs: [string, number][] = [];
        for (let i = 0; i < n; i++) {
          const member = this.readString('zset member');
          const at = r.pos;
          const score = type === RDB_TYPE_ZSET ? this.readTextDouble() : r.f64le('zset score');
          if (Number.isNaN(score)) r.fail('Zset with NAN score detected', at);
          pairs.push([member, score]);
        }
        return this.aggregate(zset(pairs, r, start), detail);
      }
      case RDB_TYPE_HASH: {
        const n = this.readCount('hash size', 2);
        const pairs: [string, string][] = [];
        for (let i = 0; i < n; i++) pairs.push([this.readString('hash field'), this.readString('hash value')]);
        return this.aggregate(hash(pairs, r, start), detail);
      }
      case RDB_TYPE_HASH_ZIPMAP: {
        const { bytes, origin } = this.readBlob('zipmap', detail);
        return this.aggregate(hash(zipmapDecode(bytes, origin), r, start), detail);
      }
      case RDB_TYPE_LIST_ZIPLIST: {
        const { bytes, origin } = this.readBlob('ziplist', detail);
        return this.aggregate({ type: 'list', value: ziplistDecode(bytes, origin) }, detail);
      }
      case RDB_TYPE_SET_INTSET: {
        const { bytes, origin } = this.readBlob('intset', detail);
        return this.aggregate({ type: 'set', value: intsetDecode(bytes, origin) }, detail);
      }
      case RDB_TYPE_SET_LISTPACK: {
        const { bytes, origin } = this.readBlob('listpack', detail);
        const members = unique(listpackDecode(bytes, origin), r, start, 'Duplicate set members detected');
        return this.aggregate({ type: 'set', value: members }, detail);
      }
      case RDB_TYPE_ZSET_ZIPLIST:
      case RDB_TYPE_ZSET_LISTPACK: {
        const what = type === RDB_TYPE_ZSET_ZIPLIST ? 'ziplist' : 'listpack';
        const { bytes, origin } = this.readBlob(what, detail);
        const flat = type === RDB_TYPE_ZSET_ZIPLIST ? ziplistDecode(bytes, origin) : listpackDecode(bytes, origin);
        const pairs: [string, number][] = [];
        for (const [member, scoreText] of pairsOf(flat, r, start, 'zset')) {
          const score = parseDouble(scoreText);
          if (score === null) r.fail(`zset ${what}: score ${quote(scoreText)} of member ${quote(member)} is not a number`, start);
          pairs.push([member, score]);
        }
        return this.aggregate(zset(pairs, r, start), detail);
      }
      case RDB_TYPE_HASH_ZIPLIST:
      case RDB_TYPE_HASH_LISTPACK: {
        const what = type === RDB_TYPE_HASH_ZIPLIST ? 'ziplist' : 'listpack';
        const { bytes, origin } = this.readBlob(what, detail);
        const flat = type === RDB_TYPE_HASH_ZIPLIST ? ziplistDecode(bytes, origin) : listpackDecode(bytes, origin);
        return this.aggregate(hash(pairsOf(flat, r, start, 'hash'), r, start), detail);
      }
      case RDB_TYPE_LIST_QUICKLIST:
      case RDB_TYPE_LIST_QUICKLIST_2: {
        const nodes = this.readCount('quicklist node count', type === RDB_TYPE_LIST_QUICKLIST ? 1 : 2);
        detail.nodes = nodes;
        const value: string[] = [];
        for (let i = 0; i < nodes; i++) {
          let container = QUICKLIST_NODE_CONTAINER_PACKED;
          if (type === RDB_TYPE_LIST_QUICKLIST_2) {
            const at = r.pos;
            container = this.readLength('quicklist node container');
            if (container !== QUICKLIST_NODE_CONTAINER_PLAIN && container !== QUICKLIST_NODE_CONTAINER_PACKED) {
              r.fail(`unknown quicklist node container ${container} (expected 1 PLAIN or 2 PACKED)`, at);
            }
          }
          if (container === QUICKLIST_NODE_CONTAINER_PLAIN) {
            value.push(this.readString('quicklist plain node'));
            continue;
          }
          const what = type === RDB_TYPE_LIST_QUICKLIST ? 'ziplist' : 'listpack';
          const { bytes, origin } = this.readBlob(what, detail);
          const elements = type === RDB_TYPE_LIST_QUICKLIST ? ziplistDecode(bytes, origin) : listpackDecode(bytes, origin);
          // Not push(...elements): a node can hold more elements than the call stack takes arguments.
          for (const e of elements) value.push(e);
        }
        return this.aggregate({ type: 'list', value }, detail);
      }
      default:
        return r.fail(`value type ${prettyByte(type)} has no reader`, start - 1);
    }
  }

  /** Null for an empty aggregate (Redis skips those); the element count goes into `detail`. */
  private aggregate(value: Aggregate, detail: Record<string, string | number | boolean>): RdbValue | null {
    detail.elements = value.value.length;
    return value.value.length === 0 ? null : value;
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

/**
 * Region details that many regions share, made once: a type byte's, and a short raw string
 * value's. Details are read-only, so a file of a million keys needs no million copies of them.
 */
const TYPE_DETAILS: (RdbRegion['detail'] | undefined)[] = [];
const RAW_STRING_DETAILS: (RdbRegion['detail'] | undefined)[] = [];
const SHARED_STRING_DETAIL_MAX = 1024;

function typeDetail(type: number): RdbRegion['detail'] {
  return (TYPE_DETAILS[type] ??= { type });
}

function stringDetail(encoding: StringEncoding, length: number): RdbRegion['detail'] {
  if (encoding !== 'raw' || length > SHARED_STRING_DETAIL_MAX) return { encoding, length };
  return (RAW_STRING_DETAILS[length] ??= { encoding, length });
}

function partsToBin(parts: StringParts): string {
  return parts.bytes !== undefined ? bytesToBin(parts.bytes) : String(parts.int);
}

function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

function unique(items: string[], r: ByteReader, at: number, message: string): string[] {
  if (new Set(items).size !== items.length) r.fail(message, at);
  return items;
}

/** A flat field, value, field, value… list as pairs. */
function pairsOf(flat: readonly string[], r: ByteReader, at: number, what: string): [string, string][] {
  if (flat.length % 2 !== 0) r.fail(`${what} blob holds an odd number of entries (${flat.length})`, at);
  const pairs: [string, string][] = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i] as string, flat[i + 1] as string]);
  return pairs;
}

type Aggregate = Exclude<RdbValue, { type: 'string' }>;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function hash(pairs: [string, string][], r: ByteReader, at: number): Aggregate {
  unique(
    pairs.map((p) => p[0]),
    r,
    at,
    'Duplicate hash fields detected',
  );
  return { type: 'hash', value: pairs };
}

/** Members checked for duplicates, then put in rank order: by score, then by member bytes. */
function zset(pairs: [string, number][], r: ByteReader, at: number): Aggregate {
  unique(
    pairs.map((p) => p[0]),
    r,
    at,
    'Duplicate zset fields detected',
  );
  pairs.sort((a, b) => (a[1] !== b[1] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { type: 'zset', value: pairs };
}

/** A key for a message: printable ASCII as is, other bytes as \xHH, at most 64 bytes shown. */
function quote(bin: string): string {
  let out = '';
  for (let i = 0; i < Math.min(bin.length, 64); i++) {
    const c = bin.charCodeAt(i);
    out += c >= 0x20 && c < 0x7f && c !== 0x27 && c !== 0x5c ? bin[i] : `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return `'${out}${bin.length > 64 ? '…' : ''}'`;
}

function hex64(v: bigint): string {
  return v.toString(16).padStart(16, '0');
}

/** The 9-character name packed in a 64-bit module id (6 bits a character, then 10 bits of version). */
const MODULE_NAME_CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
function moduleName(id: bigint): string {
  let name = '';
  for (let j = 0; j < 9; j++) name += MODULE_NAME_CHARSET[Number((id >> BigInt(64 - 6 * (j + 1))) & 63n)];
  return name;
}
