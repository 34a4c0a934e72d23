/**
 * The vocabulary of the RDB file format, under Redis's own names (rdb.h), so the codec reads like
 * the format description in the reference (§2 of redis-persistence.md).
 *
 * Contract: constants only, plus name lookups for the inspector and for error messages.
 */

/** The version this codec writes: Redis 7.0's. 7.2 writes 11 and 7.4 writes 12. */
export const RDB_VERSION_7_0 = 10;
/** The newest version the reader accepts (Redis 7.4). A loader accepts 1 ≤ version ≤ its own. */
export const RDB_VERSION_MAX = 12;
/** "REDIS" followed by four ASCII digits of the version. */
export const RDB_MAGIC = 'REDIS';
/** Checksums were added in version 5; older files end right after the EOF opcode. */
export const RDB_VERSION_CHECKSUM = 5;

// ---------------------------------------------------------------------------------------------
// Length encoding: the two most significant bits of the first byte select the form.
//
//   00|xxxxxx                      => length 0–63 in the low 6 bits (1 byte)
//   01|xxxxxx xxxxxxxx             => 14-bit length, big-endian (2 bytes)
//   10|000000 + 4 bytes            => 32-bit length, big-endian (5 bytes)
//   10|000001 + 8 bytes            => 64-bit length, big-endian (9 bytes)
//   11|kkkkkk                      => not a length: a special string encoding of kind k follows

/** 00|xxxxxx */
export const RDB_6BITLEN = 0;
/** 01|xxxxxx xxxxxxxx */
export const RDB_14BITLEN = 1;
/** 0x80 + 32-bit big-endian length. */
export const RDB_32BITLEN = 0x80;
/** 0x81 + 64-bit big-endian length. */
export const RDB_64BITLEN = 0x81;
/** 11|kkkkkk: the low 6 bits name a special string encoding (RDB_ENC_*). */
export const RDB_ENCVAL = 3;

// Special string encodings: the low 6 bits of a `11xxxxxx` first byte.

/** 8-bit signed integer. */
export const RDB_ENC_INT8 = 0;
/** 16-bit signed integer, little-endian. */
export const RDB_ENC_INT16 = 1;
/** 32-bit signed integer, little-endian. */
export const RDB_ENC_INT32 = 2;
/** LZF-compressed string: <len compressed> <len original> <compressed bytes>. */
export const RDB_ENC_LZF = 3;

// ---------------------------------------------------------------------------------------------
// Value types: the byte before a key.

/** A string: one RDB string. */
export const RDB_TYPE_STRING = 0;
/** A list as n RDB strings (Redis ≤ 3.0). */
export const RDB_TYPE_LIST = 1;
/** A set as n RDB strings (hashtable-encoded sets). */
export const RDB_TYPE_SET = 2;
/** A sorted set as n × (member, score as length-prefixed text). Legacy. */
export const RDB_TYPE_ZSET = 3;
/** A hash as n × (field, value) (hashtable-encoded hashes). */
export const RDB_TYPE_HASH = 4;
/** A sorted set as n × (member, 8-byte little-endian double). */
export const RDB_TYPE_ZSET_2 = 5;
/** Module value, pre-GA format. */
export const RDB_TYPE_MODULE_PRE_GA = 6;
/** Module value: 64-bit module id then module-defined data. */
export const RDB_TYPE_MODULE_2 = 7;
/** A hash as a zipmap blob (Redis ≤ 2.4). */
export const RDB_TYPE_HASH_ZIPMAP = 9;
/** A list as a ziplist blob (Redis ≤ 3.0). */
export const RDB_TYPE_LIST_ZIPLIST = 10;
/** A set as an intset blob. */
export const RDB_TYPE_SET_INTSET = 11;
/** A sorted set as a ziplist blob of member, score (Redis ≤ 6.2). */
export const RDB_TYPE_ZSET_ZIPLIST = 12;
/** A hash as a ziplist blob of field, value (Redis ≤ 6.2). */
export const RDB_TYPE_HASH_ZIPLIST = 13;
/** A list as n ziplist blobs (Redis 3.2 – 6.2). */
export const RDB_TYPE_LIST_QUICKLIST = 14;
/** A stream (Redis 5 – 6.2). */
export const RDB_TYPE_STREAM_LISTPACKS = 15;
/** A hash as a listpack blob of field, value. */
export const RDB_TYPE_HASH_LISTPACK = 16;
/** A sorted set as a listpack blob of member, score in ascending score order. */
export const RDB_TYPE_ZSET_LISTPACK = 17;
/** A list as n nodes, each a container kind (PLAIN or PACKED) and an RDB string. */
export const RDB_TYPE_LIST_QUICKLIST_2 = 18;
/** A stream (Redis 7.0). */
export const RDB_TYPE_STREAM_LISTPACKS_2 = 19;
/** A set as a listpack blob of members (Redis 7.2+). */
export const RDB_TYPE_SET_LISTPACK = 20;
/** A stream (Redis 7.2+). */
export const RDB_TYPE_STREAM_LISTPACKS_3 = 21;
/** A hash with field TTLs, hashtable form, release-candidate format (Redis 7.4 RC). */
export const RDB_TYPE_HASH_METADATA_PRE_GA = 22;
/** A hash with field TTLs, listpack form, release-candidate format (Redis 7.4 RC). */
export const RDB_TYPE_HASH_LISTPACK_EX_PRE_GA = 23;
/** A hash with field TTLs, hashtable form (Redis 7.4+). */
export const RDB_TYPE_HASH_METADATA = 24;
/** A hash with field TTLs, listpack form (Redis 7.4+). */
export const RDB_TYPE_HASH_LISTPACK_EX = 25;

// Quicklist node containers (RDB_TYPE_LIST_QUICKLIST_2).

/** The node holds one element as a plain RDB string. */
export const QUICKLIST_NODE_CONTAINER_PLAIN = 1;
/** The node holds a listpack of elements. */
export const QUICKLIST_NODE_CONTAINER_PACKED = 2;

// ---------------------------------------------------------------------------------------------
// Opcodes: special bytes where a value type is expected.

/** Slot info: slot id, slot size, expires slot size (Redis 7.4+, cluster mode). */
export const RDB_OPCODE_SLOT_INFO = 244;
/** A function library: its source code as an RDB string (Redis 7.0+). */
export const RDB_OPCODE_FUNCTION2 = 245;
/** A function library, 7.0 release-candidate format. */
export const RDB_OPCODE_FUNCTION_PRE_GA = 246;
/** Module auxiliary data. */
export const RDB_OPCODE_MODULE_AUX = 247;
/** LRU idle time of the next key, in seconds, as a length. */
export const RDB_OPCODE_IDLE = 248;
/** LFU frequency counter of the next key, one byte. */
export const RDB_OPCODE_FREQ = 249;
/** An auxiliary field: two RDB strings, name and value. */
export const RDB_OPCODE_AUX = 250;
/** Hash table sizes of the current database, two lengths (a hint for the loader). */
export const RDB_OPCODE_RESIZEDB = 251;
/** Expire time of the next key in milliseconds, 8-byte little-endian signed. */
export const RDB_OPCODE_EXPIRETIME_MS = 252;
/** Expire time of the next key in seconds, 4-byte little-endian signed. Read, never written. */
export const RDB_OPCODE_EXPIRETIME = 253;
/** Select the database given as a length. */
export const RDB_OPCODE_SELECTDB = 254;
/** End of the file; the 8-byte checksum follows (version ≥ 5). */
export const RDB_OPCODE_EOF = 255;

// Length bytes of RDB_TYPE_ZSET's text scores that stand for special values.

/** NaN (refused on load). */
export const RDB_DOUBLE_NAN = 253;
/** +inf */
export const RDB_DOUBLE_POS_INF = 254;
/** -inf */
export const RDB_DOUBLE_NEG_INF = 255;

const TYPE_NAMES: Readonly<Record<number, string>> = {
  [RDB_TYPE_STRING]: 'RDB_TYPE_STRING',
  [RDB_TYPE_LIST]: 'RDB_TYPE_LIST',
  [RDB_TYPE_SET]: 'RDB_TYPE_SET',
  [RDB_TYPE_ZSET]: 'RDB_TYPE_ZSET',
  [RDB_TYPE_HASH]: 'RDB_TYPE_HASH',
  [RDB_TYPE_ZSET_2]: 'RDB_TYPE_ZSET_2',
  [RDB_TYPE_MODULE_PRE_GA]: 'RDB_TYPE_MODULE_PRE_GA',
  [RDB_TYPE_MODULE_2]: 'RDB_TYPE_MODULE_2',
  [RDB_TYPE_HASH_ZIPMAP]: 'RDB_TYPE_HASH_ZIPMAP',
  [RDB_TYPE_LIST_ZIPLIST]: 'RDB_TYPE_LIST_ZIPLIST',
  [RDB_TYPE_SET_INTSET]: 'RDB_TYPE_SET_INTSET',
  [RDB_TYPE_ZSET_ZIPLIST]: 'RDB_TYPE_ZSET_ZIPLIST',
  [RDB_TYPE_HASH_ZIPLIST]: 'RDB_TYPE_HASH_ZIPLIST',
  [RDB_TYPE_LIST_QUICKLIST]: 'RDB_TYPE_LIST_QUICKLIST',
  [RDB_TYPE_STREAM_LISTPACKS]: 'RDB_TYPE_STREAM_LISTPACKS',
  [RDB_TYPE_HASH_LISTPACK]: 'RDB_TYPE_HASH_LISTPACK',
  [RDB_TYPE_ZSET_LISTPACK]: 'RDB_TYPE_ZSET_LISTPACK',
  [RDB_TYPE_LIST_QUICKLIST_2]: 'RDB_TYPE_LIST_QUICKLIST_2',
  [RDB_TYPE_STREAM_LISTPACKS_2]: 'RDB_TYPE_STREAM_LISTPACKS_2',
  [RDB_TYPE_SET_LISTPACK]: 'RDB_TYPE_SET_LISTPACK',
  [RDB_TYPE_STREAM_LISTPACKS_3]: 'RDB_TYPE_STREAM_LISTPACKS_3',
  [RDB_TYPE_HASH_METADATA_PRE_GA]: 'RDB_TYPE_HASH_METADATA_PRE_GA',
  [RDB_TYPE_HASH_LISTPACK_EX_PRE_GA]: 'RDB_TYPE_HASH_LISTPACK_EX_PRE_GA',
  [RDB_TYPE_HASH_METADATA]: 'RDB_TYPE_HASH_METADATA',
  [RDB_TYPE_HASH_LISTPACK_EX]: 'RDB_TYPE_HASH_LISTPACK_EX',
};

const OPCODE_NAMES: Readonly<Record<number, string>> = {
  [RDB_OPCODE_SLOT_INFO]: 'RDB_OPCODE_SLOT_INFO',
  [RDB_OPCODE_FUNCTION2]: 'RDB_OPCODE_FUNCTION2',
  [RDB_OPCODE_FUNCTION_PRE_GA]: 'RDB_OPCODE_FUNCTION_PRE_GA',
  [RDB_OPCODE_MODULE_AUX]: 'RDB_OPCODE_MODULE_AUX',
  [RDB_OPCODE_IDLE]: 'RDB_OPCODE_IDLE',
  [RDB_OPCODE_FREQ]: 'RDB_OPCODE_FREQ',
  [RDB_OPCODE_AUX]: 'RDB_OPCODE_AUX',
  [RDB_OPCODE_RESIZEDB]: 'RDB_OPCODE_RESIZEDB',
  [RDB_OPCODE_EXPIRETIME_MS]: 'RDB_OPCODE_EXPIRETIME_MS',
  [RDB_OPCODE_EXPIRETIME]: 'RDB_OPCODE_EXPIRETIME',
  [RDB_OPCODE_SELECTDB]: 'RDB_OPCODE_SELECTDB',
  [RDB_OPCODE_EOF]: 'RDB_OPCODE_EOF',
};

/** Redis's name of a value type code, or undefined for a code no Redis version defines. */
export function rdbTypeName(type: number): string | undefined {
  return TYPE_NAMES[type];
}

/** Redis's name of an opcode, or undefined. */
export function rdbOpcodeName(opcode: number): string | undefined {
  return OPCODE_NAMES[opcode];
}

/** A byte as `0x1f`, the way errors and the inspector show it. */
export function prettyByte(byte: number): string {
  return `0x${byte.toString(16).padStart(2, '0')}`;
}
