/**
 * The headless server's `--dir`: a real directory kept equal to the engine's virtual disk.
 *
 * At start every regular file of the directory is read, to be installed on the virtual disk before
 * the engine loads (so the engine finds dump.rdb, and stale temp files too). While the server runs,
 * each change to the virtual disk is replayed on the real directory as it happens: a created file
 * is created (truncated), written bytes are written at their offset, a rename is a real rename(2),
 * so `ls` shows temp-<pid>.rdb growing during a slow BGSAVE and then dump.rdb replaced in one
 * step. The virtual disk names files inside subdirectories with a slash (`appendonlydir/…`), and
 * so does this mirror. Nothing is ever written outside the directory: a name is made of plain
 * segments only (no empty, `.` or `..` segment, no backslash or NUL).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
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
 * Replays the engine's disk changes on `dir` from now on; returns the function that stops it. A
 * real I/O error is reported (the virtual disk, which the engine trusts, has already changed).
 */
export function mirrorDisk(engine: Engine, dir: string, report: (message: string) => void): () => void {
  const pathOf = (name: string): string => {
    const unsafe = /[\\\0]/.test(name) || name.split('/').some((segment) => segment === '' || segment === '.' || segment === '..');
    if (unsafe) throw new Error(`refusing to mirror the file name '${name}'`);
    return join(dir, name);
  };
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
      case 'file.deleted':
        return rmSync(pathOf(event.name), { force: true });
      default:
        return;
    }
  };
  return engine.subscribe(
    (event) => {
      try {
        apply(event);
      } catch (error) {
        report(`--dir ${dir}: could not mirror ${event.type}: ${(error as Error).message}`);
      }
    },
    ['file.created', 'file.written', 'file.fsynced', 'file.renamed', 'file.deleted'],
  );
}
