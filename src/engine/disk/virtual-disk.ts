/**
 * The virtual disk: one directory (Redis's `dir`) as the kernel keeps it, with the two states a
 * crash tells apart.
 *
 * Files are inodes, and the directory maps names to inodes, the way a Unix file system does, so
 * that `rename()` can replace `dump.rdb` in one step while a reader holding the old inode keeps it.
 * Every inode has its bytes as processes see them (the page cache) and how many of those bytes
 * have reached the platter (`durableBytes`, moved by `fsync`). The directory has its cached form
 * and a durable form that `fsyncDir` brings up to date, so a rename is safe from power loss only
 * after the directory is synced, as Redis's rdbSave arranges; a file's own fsync also makes its
 * current name durable, as ext4's journal does.
 *
 * Fault injection (`SIM DISK FULL | EIO | OK`) makes writes and fsyncs fail the way the kernel
 * would: ENOSPC or EIO.
 */

export type DiskFault = 'ok' | 'full' | 'eio';

/** The page cache writes files back in pages of this size. */
export const PAGE_BYTES = 4096;

/** An errno a disk operation can fail with, and its strerror text as Redis prints it. */
export type DiskErrno = 'ENOSPC' | 'EIO' | 'ENOENT';
export const STRERROR: Readonly<Record<DiskErrno, string>> = {
  ENOSPC: 'No space left on device',
  EIO: 'Input/output error',
  ENOENT: 'No such file or directory',
};

export class DiskError extends Error {
  constructor(
    readonly errno: DiskErrno,
    readonly operation: string,
  ) {
    super(`${operation}: ${STRERROR[errno]}`);
  }
}

/**
 * Files keep their bytes in chunks of this size (the first one grows to it by doubling), so an
 * append never copies what a file already holds and a growing AOF never asks for one huge block.
 */
const CHUNK_BYTES = 1 << 20;

interface Inode {
  readonly id: number;
  /**
   * The bytes written so far, `length` of them used: a first chunk of any size (grown by doubling
   * up to CHUNK_BYTES, or a whole file placed at once), then chunks of CHUNK_BYTES.
   */
  chunks: Uint8Array[];
  length: number;
  /** How many leading bytes have been fsynced. */
  durableBytes: number;
  modifiedAtMs: number;
  /** When the oldest byte not yet durable was written (the kernel writes it back 30 s later). */
  dirtySinceMs: number | null;
}

/** A file as a panel shows it. */
export interface FileView {
  readonly name: string;
  readonly sizeBytes: number;
  readonly durableBytes: number;
  /** False while the name exists only in the page cache's directory (created or renamed, no dir fsync yet). */
  readonly nameDurable: boolean;
  readonly modifiedAtMs: number;
}

/** What happened on the disk, reported to the engine's event stream. */
export type DiskChange =
  | { kind: 'created'; name: string }
  | { kind: 'written'; name: string; offset: number; length: number }
  | { kind: 'fsynced'; name: string; durableBytes: number }
  | { kind: 'truncated'; name: string; length: number }
  | { kind: 'renamed'; from: string; to: string; replaced: boolean }
  | { kind: 'deleted'; name: string }
  | { kind: 'dir-fsynced' };

export class VirtualDisk {
  fault: DiskFault = 'ok';
  private readonly entries = new Map<string, Inode>();
  private durableEntries = new Map<string, Inode>();
  private nextInode = 1;

  constructor(private readonly report: (change: DiskChange) => void = () => {}) {}

  /** Creates (or truncates) a file, as open(O_CREAT|O_TRUNC) does. */
  create(name: string, nowMs: number): void {
    if (this.fault === 'eio') throw new DiskError('EIO', 'open');
    const existing = this.entries.get(name);
    if (existing !== undefined) {
      existing.length = 0;
      existing.durableBytes = 0;
      existing.modifiedAtMs = nowMs;
      existing.dirtySinceMs = null;
    } else {
      this.entries.set(name, { id: this.nextInode++, chunks: [new Uint8Array(256)], length: 0, durableBytes: 0, modifiedAtMs: nowMs, dirtySinceMs: null });
    }
    this.report({ kind: 'created', name });
  }

  /** Appends bytes to a file: they land in the page cache. */
  append(name: string, bytes: Uint8Array, nowMs: number): void {
    const inode = this.inode(name, 'write');
    if (this.fault === 'full') throw new DiskError('ENOSPC', 'write');
    if (this.fault === 'eio') throw new DiskError('EIO', 'write');
    const offset = inode.length;
    writeAt(inode, bytes);
    inode.modifiedAtMs = nowMs;
    inode.dirtySinceMs ??= nowMs;
    this.report({ kind: 'written', name, offset, length: bytes.length });
  }

  /** Makes a file's bytes durable. */
  fsync(name: string): void {
    this.fsyncUpTo(name, Infinity);
  }

  /**
   * Makes durable the bytes a file had when an fsync began (`upTo`): a background fsync does not
   * cover what was written while it ran.
   */
  fsyncUpTo(name: string, upTo: number): void {
    const inode = this.inode(name, 'fsync');
    if (this.fault === 'eio') throw new DiskError('EIO', 'fsync');
    inode.durableBytes = Math.max(inode.durableBytes, Math.min(upTo, inode.length));
    if (inode.durableBytes === inode.length) inode.dirtySinceMs = null;
    this.commitName(name, inode);
    this.report({ kind: 'fsynced', name, durableBytes: inode.durableBytes });
  }

  /**
   * An fsync also makes the file's name durable, as it is now: ext4 commits the file's directory
   * entry in the same journal transaction. So a temp file that was fsynced survives a power cut
   * (Redis never removes a stale `temp-<pid>.rdb`), while a rename made after the file's last
   * fsync still needs `fsyncDir`.
   */
  private commitName(name: string, inode: Inode): void {
    if (this.durableEntries.get(name) === inode) return;
    for (const [other, node] of this.durableEntries) if (node === inode) this.durableEntries.delete(other);
    this.durableEntries.set(name, inode);
  }

  /**
   * The kernel's flusher: dirty data older than `expireMs` (vm.dirty_expire_centisecs, 30 s) is
   * written back. Linux runs it every 5 s (dirty_writeback_centisecs); the engine calls it then.
   */
  writeback(nowMs: number, expireMs = 30_000): void {
    if (this.fault === 'eio') return;
    for (const [name, inode] of this.entries) {
      if (inode.dirtySinceMs !== null && nowMs - inode.dirtySinceMs >= expireMs) this.fsync(name);
    }
  }

  /** Cuts a file to `length` bytes, as ftruncate does (Redis's loader after a short read). */
  truncate(name: string, length: number): void {
    const inode = this.inode(name, 'ftruncate');
    inode.length = Math.min(inode.length, length);
    inode.durableBytes = Math.min(inode.durableBytes, inode.length);
    this.report({ kind: 'truncated', name, length: inode.length });
  }

  /** Atomically points `to` at `from`'s inode, replacing whatever `to` was. */
  rename(from: string, to: string): void {
    const inode = this.inode(from, 'rename');
    const replaced = this.entries.has(to);
    this.entries.delete(from);
    this.entries.set(to, inode);
    this.report({ kind: 'renamed', from, to, replaced });
  }

  unlink(name: string): void {
    if (!this.entries.delete(name)) return;
    this.report({ kind: 'deleted', name });
  }

  /**
   * The machine loses power: the directory is what was last synced, and every file keeps only
   * the bytes that reached the disk. A write cut short can leave half a command at the end.
   */
  powerLoss(): void {
    const survivors = new Map(this.durableEntries);
    for (const [name, inode] of this.entries) if (!survivors.has(name) || survivors.get(name) !== inode) this.report({ kind: 'deleted', name });
    for (const [name, inode] of survivors) {
      if (inode.length !== inode.durableBytes) this.report({ kind: 'truncated', name, length: inode.durableBytes });
      inode.length = inode.durableBytes;
      inode.dirtySinceMs = null;
    }
    this.entries.clear();
    for (const [name, inode] of survivors) this.entries.set(name, inode);
  }

  /** Makes the directory's current names durable (creations, renames, deletions). */
  fsyncDir(): void {
    if (this.fault === 'eio') throw new DiskError('EIO', 'fsync');
    this.durableEntries = new Map(this.entries);
    this.report({ kind: 'dir-fsynced' });
  }

  /**
   * A background fsync that was writing a file back when the power went: it writes the file's
   * dirty pages in order, and had done `fraction` of the pages holding the first `upTo` bytes.
   * A page goes to the platter whole, with whatever the page cache held in it at that moment, so
   * the durable part can end in the middle of a command (later bytes of the last page included).
   */
  writebackCut(name: string, upTo: number, fraction: number): void {
    const inode = this.entries.get(name);
    if (inode === undefined || this.fault === 'eio') return;
    const firstPage = Math.floor(inode.durableBytes / PAGE_BYTES);
    const pages = Math.ceil(Math.min(upTo, inode.length) / PAGE_BYTES) - firstPage;
    const done = Math.floor(Math.max(0, Math.min(1, fraction)) * pages);
    const durable = Math.min(inode.length, (firstPage + done) * PAGE_BYTES);
    if (durable > inode.durableBytes) {
      inode.durableBytes = durable;
      this.report({ kind: 'fsynced', name, durableBytes: durable });
    }
  }

  exists(name: string): boolean {
    return this.entries.has(name);
  }

  /** The inode a name points at: it stays the same through a rename, so it names a file's content. */
  inodeOf(name: string): number | null {
    return this.entries.get(name)?.id ?? null;
  }

  /** A file's length as processes see it, or null when there is no such file. */
  sizeOf(name: string): number | null {
    return this.entries.get(name)?.length ?? null;
  }

  /** The length of an inode that a name in the directory still points at, or null. */
  sizeOfInode(id: number): number | null {
    for (const inode of this.entries.values()) if (inode.id === id) return inode.length;
    return null;
  }

  /** A file's whole content as processes see it, or null when there is no such file. */
  read(name: string): Uint8Array | null {
    const inode = this.entries.get(name);
    return inode === undefined ? null : copyOut(inode, 0, inode.length);
  }

  /**
   * A file's whole content without a copy when its bytes are in one piece (a file installed or
   * placed whole, or a small one): valid until the file is next written. Otherwise a copy.
   */
  view(name: string): Uint8Array | null {
    const inode = this.entries.get(name);
    if (inode === undefined) return null;
    const first = inode.chunks[0] as Uint8Array;
    return inode.length <= first.length ? first.subarray(0, inode.length) : copyOut(inode, 0, inode.length);
  }

  /** A copy of `length` bytes at `offset` (what one write added), without copying the whole file. */
  readRange(name: string, offset: number, length: number): Uint8Array | null {
    const inode = this.entries.get(name);
    if (inode === undefined) return null;
    return copyOut(inode, offset, Math.min(offset + length, inode.length));
  }

  /** Puts a whole file in place at once, durable: a file that was already on disk at start. */
  install(name: string, bytes: Uint8Array, nowMs: number): void {
    const inode: Inode = { id: this.nextInode++, chunks: [bytes.slice()], length: bytes.length, durableBytes: bytes.length, modifiedAtMs: nowMs, dirtySinceMs: null };
    this.entries.set(name, inode);
    this.durableEntries.set(name, inode);
  }

  /**
   * Copies a whole file in from outside the server (SIM FILE PUT: a student's `cp` then `sync`):
   * created or truncated in place, written, fsynced, and its name durable, all at once. Faults
   * apply as they would to any writer.
   */
  place(name: string, bytes: Uint8Array, nowMs: number): void {
    if (this.fault === 'eio') throw new DiskError('EIO', 'open');
    if (this.fault === 'full' && bytes.length > 0) throw new DiskError('ENOSPC', 'write');
    this.create(name, nowMs);
    const inode = this.entries.get(name) as Inode;
    inode.chunks = [bytes.slice()];
    inode.length = bytes.length;
    if (bytes.length > 0) this.report({ kind: 'written', name, offset: 0, length: bytes.length });
    this.fsync(name);
    this.durableEntries.set(name, inode);
  }

  /** Removes a file from outside the server (SIM FILE DELETE: `rm` then `sync`); false if there is none. */
  remove(name: string): boolean {
    if (!this.entries.has(name)) return false;
    this.unlink(name);
    this.durableEntries.delete(name);
    return true;
  }

  /** The directory listing, sorted by name. */
  list(): FileView[] {
    return [...this.entries]
      .map(([name, inode]) => ({
        name,
        sizeBytes: inode.length,
        durableBytes: inode.durableBytes,
        nameDurable: this.durableEntries.get(name) === inode,
        modifiedAtMs: inode.modifiedAtMs,
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  private inode(name: string, operation: string): Inode {
    const inode = this.entries.get(name);
    if (inode === undefined) throw new DiskError('ENOENT', operation);
    return inode;
  }
}

/**
 * Writes `bytes` at the end of the file's `length` bytes (after a truncate, over what was cut).
 * The first chunk grows by doubling up to CHUNK_BYTES; after it come whole chunks. A file placed
 * whole (install, place) keeps its bytes in one first chunk of any size; appends go on after it.
 */
function writeAt(inode: Inode, bytes: Uint8Array): void {
  let from = 0;
  while (from < bytes.length) {
    const chunks = inode.chunks;
    const first = chunks[0] as Uint8Array;
    const at = inode.length;
    let chunk: Uint8Array;
    let offset: number;
    if (at < first.length || (chunks.length === 1 && first.length < CHUNK_BYTES)) {
      if (at + (bytes.length - from) > first.length && first.length < CHUNK_BYTES) {
        const grown = new Uint8Array(Math.min(CHUNK_BYTES, Math.max(first.length * 2, at + bytes.length - from)));
        grown.set(first.subarray(0, Math.min(at, first.length)));
        chunks[0] = grown;
      }
      chunk = chunks[0] as Uint8Array;
      offset = at;
    } else {
      const index = 1 + Math.floor((at - first.length) / CHUNK_BYTES);
      offset = (at - first.length) % CHUNK_BYTES;
      while (chunks.length <= index) chunks.push(new Uint8Array(CHUNK_BYTES));
      chunk = chunks[index] as Uint8Array;
    }
    const n = Math.min(bytes.length - from, chunk.length - offset);
    chunk.set(bytes.subarray(from, from + n), offset);
    from += n;
    inode.length += n;
  }
}

/** A copy of the file's bytes [from, to). */
function copyOut(inode: Inode, from: number, to: number): Uint8Array {
  const out = new Uint8Array(Math.max(0, to - from));
  let chunkStart = 0;
  for (const chunk of inode.chunks) {
    const chunkEnd = chunkStart + chunk.length;
    const a = Math.max(from, chunkStart);
    const b = Math.min(to, chunkEnd);
    if (a < b) out.set(chunk.subarray(a - chunkStart, b - chunkStart), a - from);
    chunkStart = chunkEnd;
    if (chunkStart >= to) break;
  }
  return out;
}
