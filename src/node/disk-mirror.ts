/**
 * The headless server's `--dir`: a real directory kept equal to the engine's virtual disk.
 *
 * At start every regular file of the directory is read, to be installed on the virtual disk before
 * the engine loads (so the engine finds dump.rdb, and stale temp files too). What the load itself
 * changed (an AOF created on a first start, a truncated tail cut off, an old-style AOF migrated,
 * history files removed) is then copied over, so the directory starts equal to the virtual disk.
 * While the server runs, each change to the virtual disk is replayed on the real directory as it
 * happens: a created file is created (truncated), written bytes are written at their offset, a
 * truncation is an ftruncate, a rename is a real rename(2), so `ls` shows temp-<pid>.rdb growing
 * during a slow BGSAVE and then dump.rdb replaced in one step. The virtual disk names files inside subdirectories with a slash (`appendonlydir/…`), and
 * so does this mirror. Nothing is ever written outside the directory: a name is made of plain
 * segments only (no empty, `.` or `..` segment, no backslash or NUL).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, truncateSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Engine, EngineEvent } from '../engine/index.ts';

/**
 * The regular files of `dir` and its subdirectories, by their names relative to it (`dump.rdb`,
 * `appendonlydir/appendonly.aof.1.incr.aof`), leaving out the paths in `skip` (the server's log).
 */
export function readDirectoryFiles(dir: string, skip: readonly string[] = []): Record<string, Uint8Array> {
  const skipped = new Set(skip.map((path) => resolve(path)));
  const files: Record<string, Uint8Array> = {};
  const walk = (prefix: string): void => {
    for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
      const name = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) walk(name);
      else if (entry.isFile() && !skipped.has(resolve(dir, name))) files[name] = new Uint8Array(readFileSync(join(dir, name)));
    }
  };
  walk('');
  return files;
}

/**
 * Brings `dir`, whose files were `filesAtStart` when the engine was built, up to the engine's virtual
 * disk, then replays the engine's disk changes on it from then on; returns the function that stops
 * it. A real I/O error is reported (the virtual disk, which the engine trusts, has already changed).
 */
export function mirrorDisk(engine: Engine, dir: string, filesAtStart: Readonly<Record<string, Uint8Array>>, report: (message: string) => void): () => void {
  const pathOf = (name: string): string => {
    const unsafe = /[\\\0]/.test(name) || name.split('/').some((segment) => segment === '' || segment === '.' || segment === '..');
    if (unsafe) throw new Error(`refusing to mirror the file name '${name}'`);
    return join(dir, name);
  };
  const attempt = (what: string, action: () => void): void => {
    try {
      action();
    } catch (error) {
      report(`--dir ${dir}: could not mirror ${what}: ${(error as Error).message}`);
    }
  };

  // The load's own changes: new and changed files first, then the ones it removed, so that an
  // old-style AOF migrated into appendonlydir/ is never missing from both places.
  const current = engine.disk.list();
  for (const file of current) {
    const bytes = engine.disk.view(file.name) ?? new Uint8Array(0);
    const before = filesAtStart[file.name];
    if (before !== undefined && sameBytes(before, bytes)) continue;
    attempt(`${file.name} at start`, () => {
      const path = pathOf(file.name);
      mkdirSync(dirname(path), { recursive: true });
      const fd = openSync(path, 'w');
      try {
        writeSync(fd, bytes);
        if (file.durableBytes === file.sizeBytes) fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    });
  }
  const kept = new Set(current.map((file) => file.name));
  for (const name of Object.keys(filesAtStart)) if (!kept.has(name)) attempt(`the removal of ${name} at start`, () => rmSync(pathOf(name), { force: true }));

  const apply = (event: EngineEvent): void => {
    switch (event.type) {
      case 'file.created': {
        const path = pathOf(event.name);
        mkdirSync(dirname(path), { recursive: true });
        return closeSync(openSync(path, 'w'));
      }
      case 'file.written': {
        const bytes = engine.disk.readRange(event.name, event.offset, event.length);
        if (bytes === null) return;
        const fd = openSync(pathOf(event.name), 'r+');
        try {
          writeSync(fd, bytes, 0, bytes.length, event.offset);
        } finally {
          closeSync(fd);
        }
        return;
      }
      case 'file.fsynced': {
        const fd = openSync(pathOf(event.name), 'r');
        try {
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        return;
      }
      case 'file.renamed': {
        const to = pathOf(event.to);
        mkdirSync(dirname(to), { recursive: true });
        return renameSync(pathOf(event.from), to);
      }
      case 'file.truncated':
        return truncateSync(pathOf(event.name), event.length);
      case 'file.deleted':
        return rmSync(pathOf(event.name), { force: true });
      default:
        return;
    }
  };
  return engine.subscribe((event) => attempt(event.type, () => apply(event)), ['file.created', 'file.written', 'file.fsynced', 'file.truncated', 'file.renamed', 'file.deleted']);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
