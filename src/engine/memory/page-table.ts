/**
 * Memory as pages, for copy-on-write after fork().
 *
 * The model does not place bytes; it answers the one question a fork asks: which pages did the
 * parent write while the child still shared them? At fork time the node's memory is cut into
 * `pageSizeBytes` pages (4 KiB by default) and every key lives on a page chosen by a stable hash of
 * its name, big values spreading over as many pages as they fill. A write to a key while a child
 * runs copies that key's pages the first time each is touched: a CoW fault, and the copied bytes
 * are what Redis reports as "Fork CoW".
 */

export interface ForkPages {
  /** Pages the child shares with the parent at fork time. */
  readonly pageCount: number;
  /** Pages the parent has copied since (touched once each). */
  readonly copied: Set<number>;
}

/** FNV-1a over the bin string: stable across runs, so a scenario copies the same pages every time. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export class PageTable {
  pageSizeBytes = 4096;
  /** Non-null while a fork child shares the parent's pages. */
  fork: ForkPages | null = null;

  /** Starts sharing: the parent's `memoryBytes` become shared pages. Returns the page count. */
  startFork(memoryBytes: number): number {
    const pageCount = Math.max(1, Math.ceil(memoryBytes / this.pageSizeBytes));
    this.fork = { pageCount, copied: new Set() };
    return pageCount;
  }

  endFork(): void {
    this.fork = null;
  }

  /** The pages a key of `sizeBytes` occupies: a run starting at its hashed page. */
  pagesOf(db: number, key: string, sizeBytes: number): number[] {
    if (this.fork === null) return [];
    const { pageCount } = this.fork;
    const first = hash(`${db}:${key}`) % pageCount;
    const count = Math.min(pageCount, Math.max(1, Math.ceil(sizeBytes / this.pageSizeBytes)));
    return Array.from({ length: count }, (_, i) => (first + i) % pageCount);
  }

  /** The parent wrote a key: copies its still-shared pages and returns them (empty if none). */
  touch(db: number, key: string, sizeBytes: number): number[] {
    const copiedNow: number[] = [];
    for (const page of this.pagesOf(db, key, sizeBytes)) {
      if (this.fork?.copied.has(page) === false) {
        this.fork.copied.add(page);
        copiedNow.push(page);
      }
    }
    return copiedNow;
  }

  /** Bytes copied since the fork. */
  get cowBytes(): number {
    return (this.fork?.copied.size ?? 0) * this.pageSizeBytes;
  }
}
