/**
 * A start Redis refuses: the engine says which kind of refusal it was (`startupErrorKind`), decided
 * where the loader refuses, while `startupError` stays the line Redis exits with, word for word.
 * The kind is the way back: half a command at the end of the last AOF file is cut off; damage
 * anywhere else in the AOF is not; a file the manifest lists is gone; the manifest cannot be read;
 * an RDB file cannot be read. Some lines say otherwise (a NUL byte after `*` reports a stale errno,
 * "No such file or directory"), which is why the kind is not read back from them.
 */
import { rdbFile, rdbStr } from '../codec/rdb/rdb-test-kit.ts';
import { OK, recoveryLab } from '../support/engine-kit.ts';

const INCR = 'appendonlydir/appendonly.aof.1.incr.aof';
const BASE = 'appendonlydir/appendonly.aof.1.base.rdb';
const MANIFEST = 'appendonlydir/appendonly.aof.manifest';

/** A lab that can put a file's bytes (SIM FILE PUT) and read them back. */
function lab(config: Record<string, string> = {}) {
  const made = recoveryLab(config);
  const put = (name: string, bytes: Uint8Array | string) =>
    made.run(`SIM FILE PUT ${name} ${Buffer.from(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes).toString('base64')}`);
  const file = (name: string): Uint8Array => made.engine.disk.read(name) as Uint8Array;
  /** Restarts, expecting a refusal: its kind and Redis's line. */
  const refused = (line = 'SIM RESTART') => {
    expect(made.run(line)).toMatchObject({ type: 'error' });
    expect(made.engine.running).toBe(false);
    return { kind: made.engine.startupErrorKind, error: made.engine.startupError };
  };
  return { ...made, put, file, refused };
}

/** appendonly yes, two writes in incr 1, then a process crash. */
function aofLab() {
  const made = lab({ appendonly: 'yes' });
  made.engine.advance(100);
  made.run('SET a 1');
  made.run('SET b 2');
  made.run('SIM CRASH PROCESS');
  return made;
}

/** incr 1 as Redis wrote it, with `tail` (RESP by hand) after it. */
function incrWith(made: ReturnType<typeof lab>, tail: string): Uint8Array {
  return new Uint8Array(Buffer.concat([made.file(INCR), Buffer.from(tail, 'latin1')]));
}

describe('the AOF', () => {
  it('the last file ends in half a command, with aof-load-truncated no: aof-truncated', () => {
    const made = aofLab();
    const bytes = made.file(INCR);
    made.put(INCR, bytes.subarray(0, bytes.length - 5));
    expect(made.refused('SIM RESTART --aof-load-truncated no')).toEqual({
      kind: 'aof-truncated',
      error:
        "Unexpected end of file reading the append only file appendonly.aof.1.incr.aof. You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.",
    });
  });

  it.each([
    ['a bad byte', 'garbage\r\n', 'Bad file format reading the append only file appendonly.aof.1.incr.aof: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>'],
    ['an unknown command', '*1\r\n$3\r\nFOO\r\n', "Unknown command 'FOO' reading the append only file appendonly.aof.1.incr.aof"],
    // The line names a missing file, yet the file is there: damaged.
    ['a NUL byte after *', '*\0\r\n', 'Unrecoverable error reading the append only file appendonly.aof.1.incr.aof: No such file or directory'],
    ['a negative bulk length', '*2\r\n$3\r\nGET\r\n$-5\r\n', 'Redis 7.0.15 crashed by signal: 6, si_code: -6'],
  ])('%s in the middle of the last file: aof-corrupt', (_, damage, error) => {
    const made = aofLab();
    made.put(INCR, incrWith(made, `${damage}*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$1\r\n3\r\n`));
    expect(made.refused()).toEqual({ kind: 'aof-corrupt', error });
  });

  it('half a command at the end of a file that is not the last: aof-corrupt, with aof-load-truncated yes or no', () => {
    const made = lab({ appendonly: 'yes' });
    made.engine.advance(100);
    made.run('SET a 1');
    // A rewrite whose child dies leaves incr 1 and the incr 2 it opened both in the manifest.
    made.run('SIM SET disk-mbps 1');
    made.run('BGREWRITEAOF');
    made.run('SIM KILLCHILD');
    made.engine.advance(1000);
    made.run('SET b 2');
    made.run('SIM CRASH PROCESS');
    expect(Buffer.from(made.file(MANIFEST)).toString('latin1')).toContain('file appendonly.aof.2.incr.aof seq 2 type i');
    const bytes = made.file(INCR);
    made.put(INCR, bytes.subarray(0, bytes.length - 5));
    expect(made.refused('SIM RESTART --aof-load-truncated yes')).toEqual({ kind: 'aof-corrupt', error: 'Fatal error: the truncated file is not the last file' });
    // Redis cut the file before it refused: cut it again for the same case with the option off.
    made.put(INCR, bytes.subarray(0, bytes.length - 5));
    const refusal = made.refused('SIM RESTART --aof-load-truncated no');
    expect(refusal.kind).toBe('aof-corrupt');
    expect(refusal.error).toMatch(/^Unexpected end of file reading the append only file appendonly\.aof\.1\.incr\.aof\. /);
  });

  it('a file the manifest lists is gone: aof-missing', () => {
    const made = aofLab();
    made.run(`SIM FILE DELETE ${INCR}`);
    expect(made.refused()).toEqual({ kind: 'aof-missing', error: 'Unable to obtain the AOF file appendonly.aof.1.incr.aof length. stat: No such file or directory' });
  });

  it('a manifest that cannot be read: aof-manifest', () => {
    const made = aofLab();
    made.put(MANIFEST, 'file appendonly.aof.1.base.rdb seq 1 type x\n');
    expect(made.refused()).toEqual({ kind: 'aof-manifest', error: 'Unknown AOF file type' });
  });

  it('an RDB base that cannot be read: rdb', () => {
    const made = aofLab();
    made.put(BASE, 'REDIS0010 not an rdb at all');
    expect(made.refused()).toMatchObject({ kind: 'rdb' });
    expect(made.engine.serverLog.at(-1)).toMatch(/Internal error in RDB reading offset/);
  });

  it('a command that stops the node as it is replayed: other', () => {
    const made = aofLab();
    made.put(INCR, incrWith(made, '*2\r\n$5\r\nDEBUG\r\n$8\r\nSEGFAULT\r\n'));
    expect(made.refused()).toEqual({ kind: 'other', error: 'see the server log' });
  });
});

describe('dump.rdb (appendonly no)', () => {
  it('a file that is not an RDB: rdb', () => {
    const made = lab();
    made.run('SET a 1');
    made.run('SAVE');
    made.run('SIM CRASH PROCESS');
    made.put('dump.rdb', 'REDIS0010 not an rdb at all');
    expect(made.refused()).toMatchObject({ kind: 'rdb' });
  });

  it('a key twice (the "Duplicated key" panic): rdb', () => {
    const made = lab();
    made.run('SHUTDOWN NOSAVE');
    made.put('dump.rdb', rdbFile(10, [0xfe, 0, 0, rdbStr('k'), rdbStr('v'), 0, rdbStr('k'), rdbStr('w')]));
    expect(made.refused()).toEqual({ kind: 'rdb', error: 'Duplicated key found in RDB file' });
  });
});

it('a start that succeeds clears the kind with the error', () => {
  const made = aofLab();
  const bytes = made.file(INCR);
  made.run(`SIM FILE DELETE ${INCR}`);
  expect(made.refused().kind).toBe('aof-missing');
  made.put(INCR, bytes);
  expect(made.run('SIM RESTART')).toEqual(OK);
  expect([made.engine.startupError, made.engine.startupErrorKind]).toEqual([null, null]);
});

describe('the memory of a process that ended', () => {
  it('a refused start holds none of the keys it read before the damage: redis-server exited', () => {
    const made = aofLab();
    made.put(INCR, incrWith(made, 'garbage\r\n'));
    made.refused();
    // `SET a 1` and `SET b 2` were replayed before the bad byte, then the process was gone.
    expect(made.engine.dbs.map((db) => db.size)).toEqual(new Array(16).fill(0));
  });

  it('SHUTDOWN ends the process: its keys leave memory (dump.rdb keeps what SAVE wrote)', () => {
    const made = lab();
    made.run('SET a 1');
    made.run('SHUTDOWN SAVE');
    expect(made.engine.dbs[0]?.size).toBe(0);
    expect(made.run('SIM RESTART')).toEqual(OK);
    expect(made.engine.dbs[0]?.size).toBe(1);
  });
});
