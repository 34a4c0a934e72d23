import { MAX_OPEN_BYTES, type PickedFile } from '../../store/file-transfer.ts';

/**
 * Reading what the student picked or dropped into bytes. A file above the cap is never read (its
 * size is known without reading it): it comes back with its size only, to be refused. A dropped
 * folder (an appendonlydir, or a dir holding one) is walked two levels deep and up to 64 files, so
 * a dropped home directory cannot keep the page busy.
 */

/** A picked file too large to read: only its name and size. */
export interface UnreadFile {
  readonly name: string;
  readonly sizeBytes: number;
  readonly reason: 'too-large' | 'unreadable';
}

export interface ReadResult {
  readonly picked: PickedFile[];
  readonly unread: UnreadFile[];
}

const MAX_DROPPED_FILES = 64;

/** Reads files one by one, skipping (and reporting) those above the cap or failing to read. */
export async function readFiles(files: readonly { file: File; path: string }[]): Promise<ReadResult> {
  const picked: PickedFile[] = [];
  const unread: UnreadFile[] = [];
  for (const { file, path } of files.slice(0, MAX_DROPPED_FILES)) {
    if (file.size > MAX_OPEN_BYTES) {
      unread.push({ name: path, sizeBytes: file.size, reason: 'too-large' });
      continue;
    }
    try {
      picked.push({ name: path, bytes: new Uint8Array(await file.arrayBuffer()), modifiedAtMs: file.lastModified });
    } catch {
      unread.push({ name: path, sizeBytes: file.size, reason: 'unreadable' });
    }
  }
  return { picked, unread };
}

/** The files of an `<input type=file>`. */
export function inputFiles(list: FileList | null): { file: File; path: string }[] {
  return Array.from(list ?? [], (file) => ({ file, path: file.name }));
}

/**
 * The files of a drop: plain files, and the files inside a dropped folder (two levels: a `dir`
 * holding appendonlydir/, or appendonlydir/ itself). Without the entries API, the plain files.
 */
export async function droppedFiles(transfer: DataTransfer): Promise<{ file: File; path: string }[]> {
  const entries = Array.from(transfer.items ?? [], (item) => (item.kind === 'file' && typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null));
  if (entries.length === 0 || entries.some((entry) => entry === null)) return inputFiles(transfer.files);
  const found: { file: File; path: string }[] = [];
  const walk = async (entry: FileSystemEntry, depth: number): Promise<void> => {
    if (found.length >= MAX_DROPPED_FILES) return;
    if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
      found.push({ file, path: entry.fullPath.replace(/^\//, '') });
    } else if (entry.isDirectory && depth < 2) {
      for (const child of await directoryEntries(entry as FileSystemDirectoryEntry)) await walk(child, depth + 1);
    }
  };
  for (const entry of entries) await walk(entry as FileSystemEntry, 0);
  return found;
}

/** All entries of a directory: readEntries gives them in batches until it gives none. */
async function directoryEntries(directory: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = directory.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0 || all.length >= MAX_DROPPED_FILES) return all;
    all.push(...batch);
  }
}
