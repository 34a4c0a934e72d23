/**
 * The survival view of a restart that failed: no report, but what waits on disk for the fix —
 * how many acknowledged writes, the files as the failed start left them, and the kind of error,
 * which decides the way back. The redis-check-aof way out names the tool and the lab's line; the
 * tool itself runs once, when that line runs. And of any restart: the files in dir when it began,
 * each read by its load or not.
 */
import { describe, expect, test } from 'vitest';
import { createLabStore } from '../../src/store/index.ts';
import { readAtRestart, type RestartView } from '../../src/store/survival-view.ts';

const EPOCH_MS = Date.UTC(2026, 0, 1, 9, 0, 0);
const INCR = 'appendonlydir/appendonly.aof.1.incr.aof';

/** A lab with no save points, and with the AOF on (its first rewrite done, written into redis.conf) when asked. */
function newLab({ appendonly = false } = {}) {
  const store = createLabStore({ epochMs: EPOCH_MS });
  const run = (line: string) => store.getState().runLine(line);
  run('CONFIG SET save ""');
  if (appendonly) {
    run('CONFIG SET appendonly yes');
    store.getState().advance(1000);
  }
  run('CONFIG REWRITE');
  const restart = (): RestartView => {
    const view = store.getState().survival.restart;
    expect(view).not.toBeNull();
    return view as RestartView;
  };
  /** SIM FILE PUT of text bytes. */
  const put = (name: string, text: string) => run(`SIM FILE PUT ${name} ${Buffer.from(text, 'latin1').toString('base64')}`);
  return { store, run, restart, put };
}

/** Three writes in the AOF, then, while the server is down, its file cut by hand in the middle of the last one. */
function halfWrittenAof() {
  const lab = newLab({ appendonly: true });
  lab.run('SET a 1');
  lab.run('SET b 2');
  lab.run('SET c 3');
  lab.run('SIM CRASH PROCESS');
  const bytes = lab.store.getState().readDiskFile(INCR) as Uint8Array;
  lab.put(INCR, Buffer.from(bytes.subarray(0, bytes.length - 5)).toString('latin1'));
  return lab;
}

describe('a restart that fails', () => {
  test('has no report: three acknowledged writes wait, with the files as they are and the way back for an AOF that ends in half a command', () => {
    const { run, restart, store } = halfWrittenAof();
    const sizes = store.getState().persistence.disk.files.map((file) => [file.name, file.sizeBytes]);
    run('SIM RESTART --aof-load-truncated no');
    expect(restart()).toMatchObject({
      outcome: 'failed',
      report: null,
      repair: { command: 'redis-check-aof --fix appendonlydir/appendonly.aof.manifest', line: 'SIM CHECK-AOF --fix' },
      waiting: { failure: 'aof-truncated', acknowledged: 3 },
    });
    expect(restart().failure).toMatch(/^Unexpected end of file reading the append only file appendonly\.aof\.1\.incr\.aof\. /);
    // Redis changed nothing on disk: the files are the ones the crash left.
    expect(restart().waiting?.files.map((file) => [file.name, file.sizeBytes])).toEqual(sizes);
  });

  test('after the fix, the next restart reports what came back, and the waiting part is gone', () => {
    const { run, restart } = halfWrittenAof();
    run('SIM RESTART --aof-load-truncated no');
    const fixed = run('SIM CHECK-AOF --fix');
    expect(fixed.output).toMatchObject({ kind: 'reply', isError: false });
    run('SIM RESTART --aof-load-truncated no');
    expect(restart()).toMatchObject({ outcome: 'ready', waiting: null, repair: null });
    expect(restart().report).toMatchObject({ acknowledged: 3, survivedCount: 2, lostCount: 1, lost: [{ argv: ['SET', 'c', '3'], reason: 'file-replaced' }] });
  });

  test('a corrupt middle, a NUL byte, a missing file, a bad manifest, a bad dump.rdb: each its own way back', () => {
    const corrupt = newLab({ appendonly: true });
    corrupt.run('SET a 1');
    corrupt.run('SIM CRASH PROCESS');
    corrupt.put(INCR, '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\ngarbage\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n');
    corrupt.run('SIM RESTART');
    expect(corrupt.restart().waiting).toMatchObject({ failure: 'aof-corrupt', acknowledged: 1 });

    // A NUL byte after '*': Redis's line names a stale errno, as if the file were gone, but it is
    // there and damaged; the kind is the engine's, not read from that line.
    const nul = newLab({ appendonly: true });
    nul.run('SET a 1');
    nul.run('SIM CRASH PROCESS');
    nul.put(INCR, '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*\0\r\n');
    nul.run('SIM RESTART');
    expect(nul.restart().failure).toBe('Unrecoverable error reading the append only file appendonly.aof.1.incr.aof: No such file or directory');
    expect(nul.restart().waiting).toMatchObject({ failure: 'aof-corrupt', acknowledged: 1 });

    const missing = newLab({ appendonly: true });
    missing.run('SIM CRASH PROCESS');
    missing.run(`SIM FILE DELETE ${INCR}`);
    missing.run('SIM RESTART');
    expect(missing.restart().waiting).toMatchObject({ failure: 'aof-missing', acknowledged: 0 });

    const manifest = newLab({ appendonly: true });
    manifest.run('SIM CRASH PROCESS');
    manifest.put('appendonlydir/appendonly.aof.manifest', 'file appendonly.aof.1.base.rdb seq 1 type x\n');
    manifest.run('SIM RESTART');
    expect(manifest.restart()).toMatchObject({ failure: 'Unknown AOF file type', waiting: { failure: 'aof-manifest' } });

    const rdb = newLab();
    rdb.run('SET a 1');
    rdb.run('SAVE');
    rdb.run('SIM CRASH PROCESS');
    rdb.put('dump.rdb', 'REDIS0010 not an rdb at all');
    rdb.run('SIM RESTART');
    expect(rdb.restart()).toMatchObject({ repair: null, waiting: { failure: 'rdb', acknowledged: 1 } });
  });
});

/** Each file in dir when the node started, and whether its load read it. */
function filesRead(restart: RestartView): string[] {
  const report = restart.report;
  if (report === null) throw new Error('no report');
  const read = readAtRestart(restart.files, report, restart.aofManifest);
  return restart.files.map((file, index) => `${file.name} ${file.sizeBytes} ${read[index] === true ? 'read' : 'not read'}`);
}

describe('the files in dir when a restart began, and which it read', () => {
  test('appendonly set by CONFIG SET only: the restart reads dump.rdb and not the AOF, whose write it says the restart ignored', () => {
    const { run, restart, store } = newLab();
    run('SET a 1');
    run('SAVE');
    run('CONFIG SET appendonly yes');
    store.getState().advance(1000);
    run('SET b 2');
    run('SIM CRASH PROCESS');
    const sizes = new Map(store.getState().persistence.disk.files.map((file) => [file.name, file.sizeBytes]));
    run('SIM RESTART');
    expect(restart().aofManifest).toBeNull();
    expect(filesRead(restart())).toEqual([
      `appendonlydir/appendonly.aof.1.base.rdb ${sizes.get('appendonlydir/appendonly.aof.1.base.rdb')} not read`,
      `appendonlydir/appendonly.aof.1.incr.aof ${sizes.get('appendonlydir/appendonly.aof.1.incr.aof')} not read`,
      'appendonlydir/appendonly.aof.manifest 88 not read',
      `dump.rdb ${sizes.get('dump.rdb')} read`,
    ]);
    expect(restart().report?.lost.map((write) => `${write.argv.join(' ')} → ${write.reason}`)).toEqual(['SET b 2 → aof-ignored']);
  });

  test('the restart trap: dump.rdb was on disk and not read; the AOF files the start created were not there when it began', () => {
    const { run, restart, store } = newLab();
    run('SET a 1');
    run('SAVE');
    run('SIM CRASH PROCESS');
    run('SIM RESTART --appendonly yes');
    expect(restart().aofManifest).toBe('appendonlydir/appendonly.aof.manifest');
    expect(filesRead(restart())).toEqual([`dump.rdb ${store.getState().persistence.disk.files.find((file) => file.name === 'dump.rdb')?.sizeBytes} not read`]);
    expect(store.getState().persistence.disk.files.map((file) => file.name)).toContain('appendonlydir/appendonly.aof.manifest');
    expect(restart().report?.lost.map((write) => write.reason)).toEqual(['rdb-ignored']);
  });

  test('the AOF path reads the manifest, then the files it lists; an old-style appendonly.aof is read once moved into the directory', () => {
    const { run, restart } = newLab({ appendonly: true });
    run('SET a 1');
    run('SIM CRASH PROCESS');
    run('SIM RESTART');
    expect(filesRead(restart()).map((line) => line.replace(/ \d+ /, ' '))).toEqual([
      'appendonlydir/appendonly.aof.1.base.rdb read',
      'appendonlydir/appendonly.aof.1.incr.aof read',
      'appendonlydir/appendonly.aof.manifest read',
    ]);
    const movedIn = { files: [{ name: 'appendonlydir/appendonly.aof', sizeBytes: 30 }] };
    expect(readAtRestart([{ name: 'appendonly.aof', sizeBytes: 30 }], movedIn, 'appendonlydir/appendonly.aof.manifest')).toEqual([true]);
  });
});
