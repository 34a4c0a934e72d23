/**
 * The AOF codec's public API: Redis 7.0's multi-part AOF manifest, the reader of AOF files with
 * the loader's exact end-of-file classification and log lines (and the byte scanner under it, for
 * a loader that replays as it decodes), aof_buf's byte encoder, and redis-check-aof. Pure: bytes
 * in, results out.
 */
export {
  AofManifestError,
  ManifestErrorReason,
  MANIFEST_MAX_LINE,
  formatManifest,
  formatManifestLine,
  manifestErrorLog,
  parseManifest,
  type AofFileType,
  type AofInfo,
  type AofManifest,
} from './manifest.ts';
export {
  AOF_LINE_BUFFER,
  AofDecodeError,
  AofLoadLog,
  aofLoadOutcome,
  readAof,
  scanAof,
  type AofAnnotation,
  type AofCommand,
  type AofEnd,
  type AofLoadOutcome,
  type AofLogLine,
  type AofReadOptions,
  type AofReadResult,
  type AofScanResult,
} from './aof-reader.ts';
export { AofItem, AofScanner, binOfRange, type AofItemKind } from './aof-scanner.ts';
export { AofBuffer } from './aof-buffer.ts';
export { looksLikeManifest, redisCheckAof, type CheckAofFileReport, type CheckAofOptions, type CheckAofResult, type ReadAofFile } from './check-aof.ts';
