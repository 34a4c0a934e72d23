import { readRdb, RdbChecksumError, RdbDecodeError, RdbUnsupportedError, type RdbRegion } from '../codec/rdb/index.ts';
import type { FileRowView } from './persistence-view.ts';
import type { AofFileView, ManifestFileView } from './file-transfer.ts';

/**
 * The file inspector's view model: one file of the virtual disk, its bytes, and the codec's map of
 * what every byte is (regions that tile the file). A file still being written, or damaged, does
 * not decode: the view then carries the reader's error (offset and reason) and the bytes alone.
 *
 * Decoding is the expensive part, so it happens only when the file's content changed, and not at
 * all above `maxAnnotatedBytes` (the hex is still shown; the panel renders a bounded window of it).
 */

/**
 * Annotating means decoding every record with its regions (about a second per 2 MB in a browser
 * tab); above this the inspector shows the hex alone, so a big save never freezes the page.
 */
export const MAX_ANNOTATED_BYTES = 1024 * 1024;

export interface InspectorError {
  readonly kind: 'incomplete' | 'corrupt' | 'unsupported' | 'checksum';
  readonly offset: number;
  readonly reason: string;
}

export interface InspectorView {
  /** The row identity of the file, which follows renames. */
  readonly fileId: string;
  readonly name: string;
  readonly sizeBytes: number;
  readonly modifiedAtMs: number;
  readonly bytes: Uint8Array;
  /** Regions tiling the file, in file order; empty when it did not decode or was too large. */
  readonly regions: readonly RdbRegion[];
  readonly version: number | null;
  readonly keyCount: number;
  readonly checksumStatus: 'ok' | 'disabled' | 'mismatch' | null;
  readonly error: InspectorError | null;
  /** False when the file is above MAX_ANNOTATED_BYTES and was not decoded. */
  readonly annotated: boolean;
  /** True once the file is gone from the directory (deleted, or replaced by a rename). */
  readonly gone: boolean;
  /**
   * An AOF file's commands (`preamble`: the regions annotate the RDB it starts with), or a
   * manifest's entries (./file-transfer.ts); absent for an RDB file.
   */
  readonly readAs?:
    | { readonly kind: 'aof'; readonly aof: AofFileView | null; readonly preamble: boolean }
    | { readonly kind: 'manifest'; readonly manifest: ManifestFileView };
}

/** The file's bytes with no RDB read of them: no regions; `annotated` says whether it was small enough to decode. */
export function bytesOnlyView(file: FileRowView, bytes: Uint8Array, annotated: boolean): InspectorView {
  const { id: fileId, name, modifiedAtMs } = file;
  return { fileId, name, sizeBytes: bytes.length, modifiedAtMs, bytes, gone: false, regions: [], version: null, keyCount: 0, checksumStatus: null, error: null, annotated };
}

export function buildInspectorView(file: FileRowView, bytes: Uint8Array, maxAnnotatedBytes = MAX_ANNOTATED_BYTES): InspectorView {
  if (bytes.length > maxAnnotatedBytes) return bytesOnlyView(file, bytes, false);
  const base = bytesOnlyView(file, bytes, true);
  try {
    const rdb = readRdb(bytes, { verifyChecksum: true });
    return {
      ...base,
      regions: rdb.regions,
      version: rdb.version,
      keyCount: rdb.dbs.reduce((sum, db) => sum + db.entries.length, 0),
      checksumStatus: rdb.checksum?.status ?? null,
      error: null,
      annotated: true,
    };
  } catch (error) {
    if (!(error instanceof RdbDecodeError)) throw error;
    return { ...base, error: describeError(error, bytes.length) };
  }
}

function describeError(error: RdbDecodeError, length: number): InspectorError {
  const kind =
    error instanceof RdbChecksumError
      ? 'checksum'
      : error instanceof RdbUnsupportedError
        ? 'unsupported'
        : // The reader ran out of bytes: the file stops before its end (a child still writing, a cut file).
          /end of|truncated|unexpected end/i.test(error.reason) || error.offset >= length - 1
          ? 'incomplete'
          : 'corrupt';
  return { kind, offset: error.offset, reason: error.reason };
}

/**
 * The key a region belongs to, for the regions that describe one: an expiry, a type byte and a
 * key are followed by the key's name; a value follows it. Null for the file's own records.
 */
export function regionKey(regions: readonly RdbRegion[], index: number): string | null {
  const region = regions[index];
  if (region === undefined) return null;
  const keyOf = (r: RdbRegion | undefined): string | null => (r?.kind === 'key' && typeof r.detail.key === 'string' ? r.detail.key : null);
  switch (region.kind) {
    case 'key':
      return keyOf(region);
    case 'value':
      return keyOf(regions[index - 1]);
    case 'type':
    case 'expiry':
    case 'idle':
    case 'freq':
      // The opcodes that qualify a key come before its type byte, at most three of them.
      for (let i = index + 1; i < Math.min(regions.length, index + 5); i++) {
        const next = regions[i];
        if (next?.kind === 'key') return keyOf(next);
        if (next?.kind === 'value' || next?.kind === 'selectdb' || next?.kind === 'eof') break;
      }
      return null;
    default:
      return null;
  }
}

/** The index of the region holding byte `offset` (regions tile the file, so a binary search). */
export function regionAt(regions: readonly RdbRegion[], offset: number): number {
  let low = 0;
  let high = regions.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const region = regions[mid] as RdbRegion;
    if (offset < region.offset) high = mid - 1;
    else if (offset >= region.offset + region.length) low = mid + 1;
    else return mid;
  }
  return -1;
}
