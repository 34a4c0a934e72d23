import { unzipSync, zipSync } from 'fflate';
import { bytesToBin } from '../codec/bytes.ts';
import { AofManifestError, parseManifest, readAof, type AofCommand, type AofManifest } from '../codec/aof/index.ts';
import { buildInspectorView, bytesOnlyView, MAX_ANNOTATED_BYTES, type InspectorView } from './inspector-view.ts';
import type { FileRowView } from './persistence-view.ts';

/**
 * Files crossing between the student's computer and the lab, as pure functions: what a file
 * opened from the computer is (sniffed from its first bytes, then decoded into the same view the
 * inspector gives a file of the lab's disk), .zip archives both ways, base64 for the
 * `SIM FILE PUT` line, and the lines that put an opened file on the lab's disk and restart from it.
 *
 * Nothing here trusts a file: the size is capped before anything is read, decoders are the
 * codec's total ones, a decode error names its offset and reason, and an archive's entries are
 * checked against the cap by their declared sizes before any of them is inflated.
 */

/** The largest file (or archive, or the sum of an archive's entries) the lab opens. */
export const MAX_OPEN_BYTES = 64 * 1024 * 1024;

// ---- base64 ---------------------------------------------------------------------------------------

const BASE64_DIGITS = new TextEncoder().encode('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');
const PAD = 0x3d; // '='

/** Standard, padded base64 (RFC 4648), as `SIM FILE PUT` takes it. Built as ASCII bytes: fast for MBs. */
export function bytesToBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  let at = 0;
  const whole = bytes.length - (bytes.length % 3);
  for (let i = 0; i < whole; i += 3) {
    const word = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out[at++] = BASE64_DIGITS[word >> 18] as number;
    out[at++] = BASE64_DIGITS[(word >> 12) & 63] as number;
    out[at++] = BASE64_DIGITS[(word >> 6) & 63] as number;
    out[at++] = BASE64_DIGITS[word & 63] as number;
  }
  if (whole < bytes.length) {
    const two = whole + 1 < bytes.length;
    const word = ((bytes[whole] as number) << 16) | (two ? (bytes[whole + 1] as number) << 8 : 0);
    out[at++] = BASE64_DIGITS[word >> 18] as number;
    out[at++] = BASE64_DIGITS[(word >> 12) & 63] as number;
    out[at++] = two ? (BASE64_DIGITS[(word >> 6) & 63] as number) : PAD;
    out[at] = PAD;
  }
  return new TextDecoder().decode(out);
}

// ---- what a file is ------------------------------------------------------------------------------

/** Formats people drop by mistake, told apart by their magic bytes. */
const FOREIGN_MAGIC: readonly { format: string; magic: readonly number[] }[] = [
  { format: 'PNG', magic: [0x89, 0x50, 0x4e, 0x47] },
  { format: 'JPEG', magic: [0xff, 0xd8, 0xff] },
  { format: 'GIF', magic: [0x47, 0x49, 0x46, 0x38] },
  { format: 'PDF', magic: [0x25, 0x50, 0x44, 0x46] },
  { format: 'gzip', magic: [0x1f, 0x8b] },
  { format: 'WebP', magic: [0x52, 0x49, 0x46, 0x46] },
];
const ZIP_MAGIC = [[0x50, 0x4b, 0x03, 0x04], [0x50, 0x4b, 0x05, 0x06]] as const;

const startsWith = (bytes: Uint8Array, magic: readonly number[]): boolean => bytes.length >= magic.length && magic.every((byte, i) => bytes[i] === byte);
const startsWithText = (bytes: Uint8Array, text: string): boolean => startsWith(bytes, [...text].map((c) => c.charCodeAt(0)));

export type SniffedKind =
  | { readonly kind: 'rdb' | 'aof' | 'manifest' | 'zip' | 'empty' }
  | { readonly kind: 'foreign'; readonly format: string }
  | { readonly kind: 'unknown'; readonly head: string };

/**
 * What a file is: its magic bytes first (an image is an image whatever its name), then its
 * extension (a damaged `.rdb` is still shown as an RDB, with the offset where it goes wrong), then
 * its first bytes again (`REDIS` for an RDB, `*` or `#` for RESP, `file ` for a manifest).
 */
export function sniffFile(name: string, bytes: Uint8Array): SniffedKind {
  if (bytes.length === 0) return { kind: 'empty' };
  if (ZIP_MAGIC.some((magic) => startsWith(bytes, magic))) return { kind: 'zip' };
  const foreign = FOREIGN_MAGIC.find(({ magic }) => startsWith(bytes, magic));
  if (foreign !== undefined) return { kind: 'foreign', format: foreign.format };
  const lower = name.toLowerCase();
  if (lower.endsWith('.manifest')) return { kind: 'manifest' };
  if (lower.endsWith('.aof')) return { kind: 'aof' };
  if (lower.endsWith('.rdb')) return { kind: 'rdb' };
  if (startsWithText(bytes, 'REDIS')) return { kind: 'rdb' };
  if (startsWithText(bytes, '*') || startsWithText(bytes, '#')) return { kind: 'aof' };
  if (startsWithText(bytes, 'file ')) return { kind: 'manifest' };
  return { kind: 'unknown', head: Array.from(bytes.subarray(0, 8), (byte) => byte.toString(16).padStart(2, '0')).join(' ') };
}

// ---- opened files -----------------------------------------------------------------------------------

/** An AOF file's commands as the loader reads them, and how it ends. */
export interface AofFileView {
  readonly commands: readonly AofCommand[];
  readonly annotations: number;
  /** Bytes of the RDB preamble the file starts with (an RDB base or a hybrid file), or null. */
  readonly preambleBytes: number | null;
  /**
   * How Redis's loader ends the file: read to the end; cut at `validUpTo` (a truncated tail, kept
   * with aof-load-truncated yes); or refused at `offset`.
   */
  readonly end:
    | { readonly kind: 'complete' }
    | { readonly kind: 'truncated'; readonly offset: number; readonly validUpTo: number; readonly reason: string; readonly revertedMulti: boolean }
    | { readonly kind: 'refused'; readonly offset: number; readonly reason: string };
}

export interface ManifestFileView {
  readonly manifest: AofManifest | null;
  /** Redis's own reason for refusing it, with the line it names (1-based) where it names one. */
  readonly error: { readonly line: number | null; readonly reason: string } | null;
}

interface OpenedBase {
  /** Unique among the opened files; also the inspector's file identity. */
  readonly id: string;
  /** The file's own name, without any folder it came in. */
  readonly name: string;
  readonly bytes: Uint8Array;
  /** False above MAX_ANNOTATED_BYTES: only the bytes are shown. */
  readonly annotated: boolean;
}

export type OpenedFile =
  /** An RDB file (dump.rdb, an AOF's .base.rdb): `inspector` as for a file of the lab's disk. */
  | (OpenedBase & { readonly kind: 'rdb'; readonly inspector: InspectorView })
  /** An AOF file; `inspector` annotates its RDB preamble when it has one. */
  | (OpenedBase & { readonly kind: 'aof'; readonly aof: AofFileView | null; readonly inspector: InspectorView | null })
  | (OpenedBase & { readonly kind: 'manifest'; readonly manifest: ManifestFileView });

export type RefusalReason = 'empty' | 'too-large' | 'foreign' | 'unknown' | 'bad-archive' | 'unreadable';

/** A file the lab will not open, and why (the UI words it). */
export interface OpenRefusal {
  readonly name: string;
  readonly reason: RefusalReason;
  /** The foreign format (PNG), the first bytes in hex, or the archive's error. */
  readonly detail: string;
  readonly sizeBytes: number;
}

export interface OpenResult {
  readonly files: readonly OpenedFile[];
  readonly refused: readonly OpenRefusal[];
  /** The id number to start from next time. */
  readonly nextId: number;
}

/** The file's name without the folders it came in (a zip entry, a dropped directory). */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

const refusal = (name: string, reason: RefusalReason, sizeBytes: number, detail = ''): OpenRefusal => ({ name, reason, detail, sizeBytes });

function inspectorFor(id: string, name: string, bytes: Uint8Array, modifiedAtMs: number): InspectorView {
  const row: FileRowView = { id, name, sizeBytes: bytes.length, durableBytes: bytes.length, cachedBytes: 0, nameDurable: true, modifiedAtMs, writerPid: null };
  return buildInspectorView(row, bytes);
}

/** An AOF file's commands (when `annotated`: small enough to decode), and whether it starts with an RDB preamble. */
function readAofFile(bytes: Uint8Array, annotated: boolean): { aof: AofFileView | null; preamble: boolean } {
  const aof = annotated ? aofView(bytes) : null;
  return { aof, preamble: aof === null ? startsWithText(bytes, 'REDIS') : aof.preambleBytes !== null };
}

function aofView(bytes: Uint8Array): AofFileView {
  const read = readAof(bytes);
  const preambleBytes = read.preamble?.length ?? null;
  const base = { commands: read.commands, annotations: read.annotations.length, preambleBytes };
  const end = read.end;
  switch (end.kind) {
    case 'complete':
      return { ...base, end };
    case 'truncated':
      return { ...base, end: { kind: 'truncated', offset: end.offset, validUpTo: end.validUpTo, reason: end.reason, revertedMulti: end.revertedMulti } };
    case 'unknown-command':
    case 'bad-format':
    case 'read-error':
    case 'crash':
    case 'rdb-error':
      return { ...base, end: { kind: 'refused', offset: end.error.offset, reason: end.error.reason } };
  }
}

function manifestView(bytes: Uint8Array): ManifestFileView {
  try {
    return { manifest: parseManifest(bytesToBin(bytes)), error: null };
  } catch (error) {
    if (!(error instanceof AofManifestError)) throw error;
    return { manifest: null, error: { line: error.line, reason: error.reason } };
  }
}

/** Opens one file (not an archive): its view, or why it is refused. */
function openOne(id: string, path: string, bytes: Uint8Array, modifiedAtMs: number): OpenedFile | OpenRefusal {
  const name = baseName(path);
  if (bytes.length > MAX_OPEN_BYTES) return refusal(name, 'too-large', bytes.length);
  const sniffed = sniffFile(name, bytes);
  const annotated = bytes.length <= MAX_ANNOTATED_BYTES;
  const base = { id, name, bytes, annotated };
  switch (sniffed.kind) {
    case 'empty':
      return refusal(name, 'empty', 0);
    case 'foreign':
      return refusal(name, 'foreign', bytes.length, sniffed.format);
    case 'unknown':
      return refusal(name, 'unknown', bytes.length, sniffed.head);
    case 'zip':
      return refusal(name, 'bad-archive', bytes.length, 'an archive inside an archive');
    case 'rdb':
      return { ...base, kind: 'rdb', inspector: inspectorFor(id, name, bytes, modifiedAtMs) };
    case 'aof': {
      const { aof, preamble } = readAofFile(bytes, annotated);
      return { ...base, kind: 'aof', aof, inspector: preamble ? inspectorFor(id, name, bytes, modifiedAtMs) : null };
    }
    case 'manifest':
      return { ...base, kind: 'manifest', manifest: manifestView(bytes) };
  }
}

// ---- files of the lab's disk ----------------------------------------------------------------------

/** How the inspector reads a file of the lab's disk, by its name as the server names it; null: not at all. */
export function diskFileKind(name: string): 'rdb' | 'aof' | 'manifest' | null {
  if (name.endsWith('.manifest')) return 'manifest';
  if (name.endsWith('.aof')) return 'aof';
  if (name.endsWith('.rdb')) return 'rdb';
  return null;
}

/**
 * A file of the lab's disk in the inspector, read as an opened file of its kind is: an RDB as
 * annotated regions; an AOF as its commands (`readAs`), the regions annotating an RDB preamble if
 * it has one; a manifest as the files it lists. Above MAX_ANNOTATED_BYTES nothing is decoded.
 */
export function buildDiskFileView(file: FileRowView, bytes: Uint8Array): InspectorView {
  const kind = diskFileKind(file.name);
  if (kind === 'rdb' || kind === null) return buildInspectorView(file, bytes);
  const annotated = bytes.length <= MAX_ANNOTATED_BYTES;
  const bare = bytesOnlyView(file, bytes, annotated);
  if (kind === 'manifest') return { ...bare, readAs: { kind, manifest: manifestView(bytes) } };
  const { aof, preamble } = readAofFile(bytes, annotated);
  return { ...(preamble ? buildInspectorView(file, bytes) : bare), readAs: { kind, aof, preamble } };
}

/** The entries of a .zip, folders and macOS metadata left out; throws a readable message. */
export function unzipEntries(bytes: Uint8Array, maxBytes = MAX_OPEN_BYTES): { name: string; bytes: Uint8Array }[] {
  let declared = 0;
  const entries = unzipSync(bytes, {
    filter: (file) => {
      if (file.name.endsWith('/') || file.name.startsWith('__MACOSX/') || baseName(file.name).startsWith('._')) return false;
      declared += file.originalSize;
      if (declared > maxBytes) throw new Error(`its files add up to more than ${maxBytes} bytes`);
      return true;
    },
  });
  const found = Object.entries(entries).map(([name, data]) => ({ name, bytes: data }));
  if (found.reduce((sum, entry) => sum + entry.bytes.length, 0) > maxBytes) throw new Error(`its files add up to more than ${maxBytes} bytes`);
  return found;
}

export interface PickedFile {
  /** The name as picked or dropped; a path inside a dropped folder or an archive. */
  readonly name: string;
  readonly bytes: Uint8Array;
  /** The file's modification time (unix ms), from the computer. */
  readonly modifiedAtMs: number;
}

/**
 * Opens what the student picked: each file by its kind, each .zip by its entries. `firstId`
 * numbers the files so ids stay unique across several openings.
 */
export function openPickedFiles(picked: readonly PickedFile[], firstId = 1): OpenResult {
  const files: OpenedFile[] = [];
  const refused: OpenRefusal[] = [];
  let nextId = firstId;
  const add = (path: string, bytes: Uint8Array, modifiedAtMs: number): void => {
    const opened = openOne(`opened-${nextId++}`, path, bytes, modifiedAtMs);
    if ('reason' in opened) refused.push(opened);
    else files.push(opened);
  };
  for (const file of picked) {
    if (file.bytes.length > MAX_OPEN_BYTES) {
      refused.push(refusal(baseName(file.name), 'too-large', file.bytes.length));
    } else if (sniffFile(file.name, file.bytes).kind === 'zip') {
      try {
        const entries = unzipEntries(file.bytes);
        if (entries.length === 0) refused.push(refusal(baseName(file.name), 'bad-archive', file.bytes.length, 'it holds no files'));
        for (const entry of entries) add(entry.name, entry.bytes, file.modifiedAtMs);
      } catch (error) {
        refused.push(refusal(baseName(file.name), 'bad-archive', file.bytes.length, error instanceof Error ? error.message : String(error)));
      }
    } else {
      add(file.name, file.bytes, file.modifiedAtMs);
    }
  }
  return { files, refused, nextId };
}

// ---- downloads ----------------------------------------------------------------------------------

/** A file of the lab's disk to archive: its name on the disk, its bytes, when it was last written. */
export interface ArchiveEntry {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly modifiedAtMs?: number;
}

/**
 * A .zip of files of the lab's disk, each under its name on the disk (`appendonlydir/…`), so that
 * unzipping it in `dir` recreates the directory as Redis expects it. Stored, not deflated: the
 * lab's files are small, and a stored archive is the quickest to build.
 */
export function zipFiles(files: readonly ArchiveEntry[]): Uint8Array {
  const tree: Record<string, [Uint8Array, { level: 0; mtime?: number }]> = {};
  for (const file of files) tree[file.name] = [file.bytes, file.modifiedAtMs === undefined ? { level: 0 } : { level: 0, mtime: file.modifiedAtMs }];
  return zipSync(tree);
}

/** The .zip of one directory of the lab's disk, as the disk panel's button builds it. */
export function zipDirectory(dir: string, files: readonly { name: string; modifiedAtMs: number }[], read: (name: string) => Uint8Array | null): Uint8Array {
  return zipFiles(
    files.filter((file) => file.name.startsWith(`${dir}/`)).map((file) => ({ name: file.name, bytes: read(file.name) ?? new Uint8Array(), modifiedAtMs: file.modifiedAtMs })),
  );
}

/** The directories of the lab's disk (the part of a name before its `/`), in name order. */
export function directoriesOf(names: readonly string[]): string[] {
  return [...new Set(names.filter((name) => name.includes('/')).map((name) => name.slice(0, name.indexOf('/'))))].sort();
}

// ---- putting an opened file on the lab's disk -------------------------------------------------------

export interface PutContext {
  readonly running: boolean;
  /** The running node's dbfilename, appenddirname and appendfilename (what a restart reads, unless changed). */
  readonly dbfilename: string;
  readonly appenddirname: string;
  readonly appendfilename: string;
  /** appendonly in redis.conf (what a restart reads), or null when the store does not know it. */
  readonly startupAppendonly: 'yes' | 'no' | null;
  /** Every file name on the lab's disk now. */
  readonly diskFiles: readonly string[];
}

/** One line of a plan: a plain line, or a SIM FILE PUT whose base64 is built only when it runs. */
export type PutStep = { readonly kind: 'line'; readonly line: string } | { readonly kind: 'put'; readonly name: string; readonly bytes: Uint8Array };

export type PutPlan =
  | {
      readonly ok: true;
      /** Load dump.rdb, or an appendonlydir through its manifest. */
      readonly loads: 'rdb' | 'aof';
      /** What to run, in order. */
      readonly steps: readonly PutStep[];
      /** Files the manifest lists (base and incr) that were not opened: the restart will fail on them, as Redis would. */
      readonly missing: readonly string[];
    }
  | { readonly ok: false; readonly reason: 'lone-aof' };

/** The line a step runs. */
export function stepLine(step: PutStep): string {
  return step.kind === 'line' ? step.line : `SIM FILE PUT ${step.name} ${bytesToBase64(step.bytes)}`;
}

const MANIFEST_SUFFIX = '.manifest';

/**
 * The lines that make the node restart from the opened file `shown` (and the files opened with
 * it): stop the server without saving (a save would overwrite the file), copy the file(s) in with
 * SIM FILE PUT, and restart — with appendonly switched to what the file needs when redis.conf says
 * otherwise (or is not known). An RDB becomes `dbfilename`; an AOF set (a manifest and the files it
 * lists) replaces `appenddirname`, its manifest's name choosing appendfilename.
 */
export function planPutOnDisk(opened: readonly OpenedFile[], shown: OpenedFile, context: PutContext): PutPlan {
  const line = (text: string): PutStep => ({ kind: 'line', line: text });
  const stop = context.running ? [line('SHUTDOWN NOSAVE')] : [];
  const manifestFile = shown.kind === 'manifest' ? shown : opened.find((file) => file.kind === 'manifest' && listedFiles(file, false).includes(shown.name));
  if (manifestFile !== undefined) {
    const dataFiles = opened.filter((file) => file !== manifestFile && listedFiles(manifestFile, false).includes(file.name));
    const missing = listedFiles(manifestFile, true).filter((name) => !dataFiles.some((file) => file.name === name));
    const dir = context.appenddirname;
    // The manifest last, as Redis writes it: it names files that must already be there.
    const puts = [...dataFiles, manifestFile].map((file): PutStep => ({ kind: 'put', name: `${dir}/${file.name}`, bytes: file.bytes }));
    const putNames = puts.map((put) => (put.kind === 'put' ? put.name : ''));
    const stale = context.diskFiles.filter((name) => name.startsWith(`${dir}/`) && !putNames.includes(name));
    const stem = manifestFile.name.endsWith(MANIFEST_SUFFIX) ? manifestFile.name.slice(0, -MANIFEST_SUFFIX.length) : '';
    const options = [
      ...(context.startupAppendonly !== 'yes' ? ['--appendonly yes'] : []),
      ...(stem !== '' && stem !== context.appendfilename ? [`--appendfilename ${stem}`] : []),
    ];
    return {
      ok: true,
      loads: 'aof',
      steps: [...stop, ...stale.map((name) => line(`SIM FILE DELETE ${name}`)), ...puts, line(['SIM RESTART', ...options].join(' '))],
      missing,
    };
  }
  if (shown.kind === 'rdb') {
    const restart = context.startupAppendonly !== 'no' ? 'SIM RESTART --appendonly no' : 'SIM RESTART';
    return { ok: true, loads: 'rdb', steps: [...stop, { kind: 'put', name: context.dbfilename, bytes: shown.bytes }, line(restart)], missing: [] };
  }
  return { ok: false, reason: 'lone-aof' };
}

/** The files a manifest lists: every one, or only those the loader reads (the base and the incr files). */
function listedFiles(file: OpenedFile, loadedOnly: boolean): string[] {
  const manifest = file.kind === 'manifest' ? file.manifest.manifest : null;
  if (manifest === null) return [];
  const infos = loadedOnly ? [manifest.base, ...manifest.incr] : [manifest.base, ...manifest.history, ...manifest.incr];
  return infos.filter((info) => info !== null).map((info) => info.fileName);
}

/** A line shown instead of a long SIM FILE PUT: the base64 cut short, with its size. */
export function abbreviateLine(line: string, keep = 24): string {
  const match = /^(SIM FILE PUT \S+ )(\S+)$/.exec(line);
  if (match === null || (match[2] as string).length <= keep) return line;
  return `${match[1] as string}${(match[2] as string).slice(0, keep)}…`;
}
