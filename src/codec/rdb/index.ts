/**
 * The RDB codec's public API: read any RDB file Redis 7.0–7.4 writes (versions 1–12) into a plain
 * keyspace with an annotated byte map, and write a keyspace as the version-10 file Redis 7.0
 * writes. Everything here is pure: bytes in, bytes out, no clock, no I/O.
 */
export { readRdb, type RdbReadOptions } from './rdb-reader.ts';
export { writeRdb, RdbFileWriter, REDIS_7_0_LIMITS, type RdbWriteOptions } from './rdb-writer.ts';
export { RdbChecksumError, RdbDecodeError, RdbEncodeError, RdbUnsupportedError } from './rdb-error.ts';
export type {
  RdbAuxField,
  RdbChecksum,
  RdbDb,
  RdbDbData,
  RdbEntry,
  RdbFile,
  RdbKeyData,
  RdbKeyspace,
  RdbLoadNote,
  RdbRegion,
  RdbRegionKind,
  RdbValue,
  RdbValueType,
} from './rdb-types.ts';
export * from './rdb-constants.ts';
export { crc64 } from './crc64.ts';
export { lzfCompress, lzfDecompress, lzfMaxOutput, type LzfFailure } from './lzf.ts';
export { ListpackBuilder, listpackDecode, listpackEncode } from './listpack.ts';
export { intsetDecode, intsetEncode } from './intset.ts';
export { ziplistDecode, zipmapDecode } from './ziplist.ts';
export { ByteReader, type BlobOrigin } from './byte-reader.ts';
export { ByteWriter } from './byte-writer.ts';
