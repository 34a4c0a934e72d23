/**
 * The data the RDB codec reads and writes: a keyspace as plain values (no engine classes), and
 * the annotated layout of a file for the lab's RDB inspector.
 *
 * Contract: types only. Every key, element, member, field and value is a bin string (bytes.ts).
 * A file read back is a superset of what the writer takes, so `writeRdb(readRdb(bytes), ...)` works.
 */

/** The value of one key, by Redis type. */
export type RdbValue =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'list'; readonly value: readonly string[] }
  | { readonly type: 'set'; readonly value: readonly string[] }
  /** [member, score] pairs; the reader returns them in rank order (score, then member bytes). */
  | { readonly type: 'zset'; readonly value: readonly (readonly [string, number])[] }
  /** [field, value] pairs in stored order. */
  | { readonly type: 'hash'; readonly value: readonly (readonly [string, string])[] };

export type RdbValueType = RdbValue['type'];

/** One key as the writer takes it. */
export type RdbKeyData = RdbValue & {
  readonly key: string;
  /** Absolute expiry, Unix milliseconds. Absent: the key does not expire. */
  readonly expireAtMs?: number | undefined;
};

export interface RdbDbData {
  readonly index: number;
  readonly entries: readonly RdbKeyData[];
}

/** What the writer takes. Empty databases may be listed; they are skipped as Redis skips them. */
export interface RdbKeyspace {
  readonly dbs: readonly RdbDbData[];
}

/** One key as read from a file: its value plus how the file stored it. */
export type RdbEntry = RdbKeyData & {
  /** The RDB_TYPE_* code the value was stored with. */
  readonly rdbType: number;
  /** Its name: 'RDB_TYPE_SET_INTSET', 'RDB_TYPE_LIST_QUICKLIST_2', ... */
  readonly encoding: string;
  /** RDB_OPCODE_IDLE before the key (LRU eviction policies only). */
  readonly lruIdleSeconds?: number;
  /** RDB_OPCODE_FREQ before the key (LFU eviction policies only). */
  readonly lfuFrequency?: number;
};

export interface RdbDb {
  readonly index: number;
  readonly entries: RdbEntry[];
  /** RDB_OPCODE_RESIZEDB's hint, when the file has one. */
  resizeHint?: { readonly dbSize: number; readonly expiresSize: number };
}

export interface RdbAuxField {
  readonly key: string;
  readonly value: string;
}

export interface RdbChecksum {
  /** The 8 bytes after EOF, little-endian. 0 means the writer had rdbchecksum off. */
  readonly stored: bigint;
  /** CRC-64 of every byte from the magic to the EOF opcode. */
  readonly computed: bigint;
  /** 'disabled' when stored is 0; 'mismatch' only when verification was turned off. */
  readonly status: 'ok' | 'disabled' | 'mismatch';
}

export type RdbRegionKind =
  | 'magic'
  | 'aux'
  | 'selectdb'
  | 'resizedb'
  | 'expiry'
  | 'idle'
  | 'freq'
  | 'slot-info'
  | 'type'
  | 'key'
  | 'value'
  | 'eof'
  | 'checksum'
  | 'trailing';

/**
 * A run of bytes of the file and what it is. The regions of a file tile it: they are in file
 * order, contiguous, and cover every byte, so an inspector can colour a hex dump with them.
 */
export interface RdbRegion {
  readonly offset: number;
  readonly length: number;
  readonly kind: RdbRegionKind;
  /**
   * Redis's name for what the bytes are: the RDB_OPCODE_* of a record, the RDB_TYPE_* of a type
   * byte, key and value, 'REDIS' for the magic, 'CRC64' for the checksum, 'trailing' for bytes
   * after the file's end.
   */
  readonly name: string;
  /**
   * Machine-readable facts with stable keys (never prose), e.g. { key: 'redis-ver', value: '7.0.15' }
   * for an AUX field, { db: 0 } for SELECTDB, { encoding: 'RDB_ENC_INT16' } for a string.
   */
  readonly detail: Readonly<Record<string, string | number | boolean>>;
}

/** A whole file, read. */
export interface RdbFile {
  /** The four digits after "REDIS". */
  readonly version: number;
  readonly aux: RdbAuxField[];
  /** Databases in the order the file selects them; each index appears once. */
  readonly dbs: RdbDb[];
  /** Null for versions before 5, which have no checksum. */
  readonly checksum: RdbChecksum | null;
  readonly regions: RdbRegion[];
  /** Bytes the RDB occupies, up to and including the checksum; anything after is 'trailing'. */
  readonly length: number;
  /** Empty aggregates Redis would skip with "rdbLoadObject skipping empty key"; skipped here too. */
  readonly emptyKeysSkipped: number;
  /** What Redis's loader logs as it reads, in file order (kept with or without `regions`). */
  readonly loadNotes: RdbLoadNote[];
}

/** A record Redis's loader logs a line for: an AUX field, or an empty key it skips. */
export type RdbLoadNote =
  | { readonly kind: 'aux'; readonly key: string; readonly value: string }
  | { readonly kind: 'empty-key'; readonly db: number; readonly key: string };
