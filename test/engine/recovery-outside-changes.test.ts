/**
 * The recovery report when something other than Redis's own load path changed what a restart
 * finds: a file replaced or removed by hand (SIM FILE PUT / DELETE) is told apart from a tail the
 * loader cut; redis-check-aof --fix keeps the bytes before its cut; and DEBUG RELOAD, which swaps
 * the dataset for dump.rdb (saving it first unless NOSAVE), is accounted for in the next report.
 * Real redis-server 7.0.15 was checked for DEBUG RELOAD (ports 6650-6651): NOSAVE loads dump.rdb
 * as it is, a missing dump.rdb answers "ERR Error trying to load the RDB dump" with the dataset
 * emptied, and the AOF is left as it was, so a restart from the AOF replays what NOSAVE dropped.
 */
import type { Reply } from '../../src/codec/reply.ts';
import { err, OK, recoveryLab } from '../support/engine-kit.ts';

const INCR = 'appendonlydir/appendonly.aof.1.incr.aof';

/** A recovery lab that can also put a file's bytes (SIM FILE PUT) and read them back. */
function lab(config: Record<string, string> = {}) {
  const made = recoveryLab(config);
  /** SIM FILE PUT of these bytes. */
  const put = (name: string, bytes: Uint8Array | string): Reply =>
    made.run(`SIM FILE PUT ${name} ${Buffer.from(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes).toString('base64')}`);
  const file = (name: string): Uint8Array => made.engine.disk.read(name) as Uint8Array;
  return { ...made, put, file };
}

/** Where `needle` starts in a file's bytes. */
function offsetOf(bytes: Uint8Array, needle: string): number {
  const at = Buffer.from(bytes).indexOf(needle, 0, 'latin1');
  expect(at).toBeGreaterThan(0);
  return at;
}

/** A dump.rdb another node saved, holding the one key `other`. */
function foreignDump(): Uint8Array {
  const { run, file } = lab();
  run('SET other 1');
  run('SAVE');
  return file('dump.rdb');
}

describe('a file replaced by hand is not a tail cut at load', () => {
  it('an incr file put back with its last command edited out: the command before it survives, the edited one is lost to the file operation', () => {
    const { engine, run, put, file, keys, lost, survived } = lab({ appendonly: 'yes' });
    engine.advance(100);
    run('SET a 1');
    run('SET b 2');
    run('SIM CRASH PROCESS');
    const bytes = file(INCR);
    expect(put(INCR, bytes.subarray(0, offsetOf(bytes, '*3\r\n$3\r\nSET\r\n$1\r\nb')))).toEqual(OK);
    expect(run('SIM RESTART')).toEqual(OK);
    expect(keys()).toEqual(['a']);
    expect(survived()).toEqual(['SET a 1']);
    expect(lost()).toEqual(['SET b 2 → file-replaced']);
  });

  it('an incr file cut by hand inside a command: the loader then cuts that half too, but the loss is the file operation', () => {
    const { engine, run, put, file, keys, lost, log } = lab({ appendonly: 'yes' });
    engine.advance(100);
    run('SET a 1');
    run('SET b 2');
    run('SIM CRASH PROCESS');
    const bytes = file(INCR);
    put(INCR, bytes.subarray(0, bytes.length - 5));
    const from = engine.serverLog.length;
    expect(run('SIM RESTART')).toEqual(OK);
    expect(log(from)).toContain(`4243:M # !!! Truncating the AOF appendonly.aof.1.incr.aof at offset ${offsetOf(bytes, '*3\r\n$3\r\nSET\r\n$1\r\nb')} !!!`);
    expect(keys()).toEqual(['a']);
    expect(lost()).toEqual(['SET b 2 → file-replaced']);
  });

  it('an incr file replaced by one Redis never wrote: every write it held is lost to the file operation', () => {
    const { engine, run, put, keys, lost, report } = lab({ appendonly: 'yes' });
    engine.advance(100);
    run('SET a 1');
    run('SET b 2');
    run('SIM CRASH PROCESS');
    put(INCR, '*3\r\n$3\r\nSET\r\n$1\r\nz\r\n$1\r\n9\r\n');
    run('SIM RESTART');
    expect(keys()).toEqual(['z']);
    expect(lost()).toEqual(['SET a 1 → file-replaced', 'SET b 2 → file-replaced']);
    expect(report()).toMatchObject({ acknowledged: 2, survivedCount: 0, lostCount: 2 });
  });

  it('the same bytes put back change nothing: the writes survive', () => {
    const { engine, run, put, file, survived, report } = lab({ appendonly: 'yes' });
    engine.advance(100);
    run('SET a 1');
    run('SIM CRASH PROCESS');
    put(INCR, file(INCR));
    run('SIM RESTART');
    expect(survived()).toEqual(['SET a 1']);
    expect(report().lostCount).toBe(0);
  });

  it("a replaced RDB base leaves a hole before the incr file: its writes, and the incr file's after them, are lost to the file operation", () => {
    const { engine, run, put, keys, lost } = lab({ appendonly: 'yes' });
    engine.advance(100);
    run('SET a 1');
    run('BGREWRITEAOF');
    engine.advance(1000);
    run('SET b 2');
    run('SIM CRASH PROCESS');
    put('appendonlydir/appendonly.aof.2.base.rdb', foreignDump());
    run('SIM RESTART');
    expect(keys()).toEqual(['b', 'other']);
    expect(lost()).toEqual(['SET a 1 → file-replaced', 'SET b 2 → file-replaced']);
  });

  it('RDB only: dump.rdb replaced by another one loses what it held to the file operation; later writes were lost after the snapshot anyway', () => {
    const { run, put, keys, lost } = lab();
    run('SET a 1');
    run('SAVE');
    run('SET b 2');
    run('SIM CRASH PROCESS');
    put('dump.rdb', foreignDump());
    run('SIM RESTART');
    expect(keys()).toEqual(['other']);
    expect(lost()).toEqual(['SET a 1 → file-replaced', 'SET b 2 → after-snapshot']);
  });

  it('RDB only: dump.rdb deleted by hand, and the same dump.rdb put back', () => {
    const deleted = lab();
    deleted.run('SET a 1');
    deleted.run('SAVE');
    deleted.run('SHUTDOWN NOSAVE');
    expect(deleted.run('SIM FILE DELETE dump.rdb')).toEqual(OK);
    deleted.run('SIM RESTART');
    expect(deleted.lost()).toEqual(['SET a 1 → file-replaced']);
    expect(deleted.report().loadedFrom).toBe('none');

    const same = lab();
    same.run('SET a 1');
    same.run('SAVE');
    same.run('SHUTDOWN NOSAVE');
    same.put('dump.rdb', same.file('dump.rdb'));
    same.run('SIM RESTART');
    expect(same.survived()).toEqual(['SET a 1']);
  });
});

/** `bytes` with `[from, to)` replaced by `text`. */
function spliced(bytes: Uint8Array, from: number, to: number, text: string): Uint8Array {
  return new Uint8Array(Buffer.concat([bytes.subarray(0, from), Buffer.from(text, 'latin1'), bytes.subarray(to)]));
}

/** A key's value in a database, as GET answers it there (null: no such key). */
function valueIn(engine: ReturnType<typeof lab>['engine'], db: number, key: string): string | null {
  const value = engine.dbs[db]?.data.get(key);
  return value === undefined ? null : (value as string);
}

/** Five writes in incr 1, the third a transaction, then a process crash: the file as Redis left it. */
function fiveWrites() {
  const made = lab({ appendonly: 'yes' });
  made.engine.advance(100);
  made.run('SET a 1');
  made.run('SET b 2');
  const client = made.engine.newClient();
  for (const line of ['MULTI', 'SET t1 x', 'SET t2 y', 'EXEC']) made.engine.run(line, client);
  made.run('SET c 3');
  made.run('SET d 4');
  made.run('SIM CRASH PROCESS');
  return { ...made, bytes: made.file(INCR) };
}

/** Where the command `SET <key> <value>` starts in the file, and where it ends. */
function commandAt(bytes: Uint8Array, key: string, value: string): { from: number; to: number } {
  const text = `*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$${value.length}\r\n${value}\r\n`;
  const from = offsetOf(bytes, text);
  return { from, to: from + text.length };
}

describe('an edit in the middle of an incr file keeps the writes after it', () => {
  it('one byte changed in the middle: the writes after it are still there, shifted by nothing, and survive; only the edited one is lost', () => {
    const { engine, run, put, bytes, keys, survived, lost, report } = fiveWrites();
    const b = commandAt(bytes, 'b', '2');
    put(INCR, spliced(bytes, b.to - 3, b.to - 2, '9'));
    expect(run('SIM RESTART')).toEqual(OK);
    // The AOF really loaded them: the keys and their values are back.
    expect(keys()).toEqual(['a', 'b', 'c', 'd', 't1', 't2']);
    expect(['a', 'b', 'c', 'd', 't1', 't2'].map((key) => valueIn(engine, 0, key))).toEqual(['1', '9', '3', '4', 'x', 'y']);
    expect(survived()).toEqual(['SET a 1', 'SET t1 x', 'SET t2 y', 'SET c 3', 'SET d 4']);
    expect(lost()).toEqual(['SET b 2 → file-replaced']);
    expect(report()).toMatchObject({ acknowledged: 6, survivedCount: 5, lostCount: 1 });
  });

  it('an edit that changes the length: the writes after it survive at their new offsets', () => {
    const { engine, run, put, bytes, keys, survived, lost } = fiveWrites();
    const b = commandAt(bytes, 'b', '2');
    put(INCR, spliced(bytes, b.from, b.to, '*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$12\r\nlonger value\r\n'));
    expect(run('SIM RESTART')).toEqual(OK);
    expect(keys()).toEqual(['a', 'b', 'c', 'd', 't1', 't2']);
    expect(valueIn(engine, 0, 'b')).toBe('longer value');
    expect(valueIn(engine, 0, 'd')).toBe('4');
    expect(survived()).toEqual(['SET a 1', 'SET t1 x', 'SET t2 y', 'SET c 3', 'SET d 4']);
    expect(lost()).toEqual(['SET b 2 → file-replaced']);
  });

  it('a command deleted from the middle, and one a person inserted: only the deleted write is lost', () => {
    const deleted = fiveWrites();
    const c = commandAt(deleted.bytes, 'c', '3');
    deleted.put(INCR, spliced(deleted.bytes, c.from, c.to, ''));
    deleted.run('SIM RESTART');
    expect(deleted.keys()).toEqual(['a', 'b', 'd', 't1', 't2']);
    expect(deleted.survived()).toEqual(['SET a 1', 'SET b 2', 'SET t1 x', 'SET t2 y', 'SET d 4']);
    expect(deleted.lost()).toEqual(['SET c 3 → file-replaced']);

    const inserted = fiveWrites();
    const d = commandAt(inserted.bytes, 'd', '4');
    inserted.put(INCR, spliced(inserted.bytes, d.from, d.from, '*3\r\n$3\r\nSET\r\n$4\r\nmine\r\n$1\r\n0\r\n'));
    inserted.run('SIM RESTART');
    expect(inserted.keys()).toEqual(['a', 'b', 'c', 'd', 'mine', 't1', 't2']);
    expect(inserted.report()).toMatchObject({ acknowledged: 6, survivedCount: 6, lostCount: 0 });
  });

  it('an edit inside a transaction loses the whole transaction, and nothing after it', () => {
    const { engine, run, put, bytes, survived, lost } = fiveWrites();
    const t2 = commandAt(bytes, 't2', 'y');
    put(INCR, spliced(bytes, t2.to - 3, t2.to - 2, 'z'));
    run('SIM RESTART');
    expect(valueIn(engine, 0, 't2')).toBe('z');
    expect(survived()).toEqual(['SET a 1', 'SET b 2', 'SET c 3', 'SET d 4']);
    expect(lost()).toEqual(['SET t1 x → file-replaced', 'SET t2 y → file-replaced']);
  });

  it('an edit of the last command: every write before it survives, the edited one is lost', () => {
    const { engine, run, put, bytes, survived, lost } = fiveWrites();
    put(INCR, spliced(bytes, bytes.length - 3, bytes.length - 2, '8'));
    run('SIM RESTART');
    expect(valueIn(engine, 0, 'd')).toBe('8');
    expect(survived()).toEqual(['SET a 1', 'SET b 2', 'SET t1 x', 'SET t2 y', 'SET c 3']);
    expect(lost()).toEqual(['SET d 4 → file-replaced']);
  });

  it('two edits, one after the other: each loses only its own write', () => {
    const { engine, run, put, file, bytes, survived, lost } = fiveWrites();
    const b = commandAt(bytes, 'b', '2');
    put(INCR, spliced(bytes, b.from, b.to, '*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$3\r\n222\r\n'));
    const once = file(INCR);
    const c = commandAt(once, 'c', '3');
    put(INCR, spliced(once, c.from, c.to, ''));
    run('SIM RESTART');
    expect(valueIn(engine, 0, 'b')).toBe('222');
    expect(valueIn(engine, 0, 'c')).toBeNull();
    expect(survived()).toEqual(['SET a 1', 'SET t1 x', 'SET t2 y', 'SET d 4']);
    expect(lost()).toEqual(['SET b 2 → file-replaced', 'SET c 3 → file-replaced']);
  });

  it('the edited file goes on: writes appended after the restart come back from it at the next one', () => {
    const { run, put, bytes, keys, survived, report } = fiveWrites();
    const b = commandAt(bytes, 'b', '2');
    put(INCR, spliced(bytes, b.from, b.to, ''));
    run('SIM RESTART');
    run('SET e 5');
    run('SIM CRASH PROCESS');
    run('SIM RESTART');
    expect(keys()).toEqual(['a', 'c', 'd', 'e', 't1', 't2']);
    expect(survived()).toEqual(['SET e 5']);
    expect(report()).toMatchObject({ acknowledged: 1, lostCount: 0 });
  });

  it('an edited SELECT sends the unchanged commands after it to another database: they are lost to the file operation until the next SELECT', () => {
    const { engine, run, put, file, keys, survived, lost } = lab({ appendonly: 'yes' });
    engine.advance(100);
    const client = engine.newClient();
    const on = (line: string) => engine.run(line, client);
    on('SET a 1');
    on('SELECT 1');
    on('SET b 2');
    on('SET c 3');
    on('SELECT 0');
    on('SET d 4');
    run('SIM CRASH PROCESS');
    const bytes = file(INCR);
    const select1 = offsetOf(bytes, '*2\r\n$6\r\nSELECT\r\n$1\r\n1\r\n');
    put(INCR, spliced(bytes, select1 + 20, select1 + 21, '2'));
    run('SIM RESTART');
    // The bytes of SET b and SET c are Redis's, but they now run in database 2.
    expect([valueIn(engine, 1, 'b'), valueIn(engine, 2, 'b'), valueIn(engine, 2, 'c'), valueIn(engine, 0, 'd')]).toEqual([null, '2', '3', '4']);
    expect(keys()).toEqual(['a', 'b', 'c', 'd']);
    expect(survived()).toEqual(['SET a 1', 'SET d 4']);
    expect(lost()).toEqual(['SET b 2 → file-replaced', 'SET c 3 → file-replaced']);
  });

  it('SIM FILE DELETE of an incr file (its manifest line taken out by hand): its writes are lost to the file operation, the base keeps the rest', () => {
    const { engine, run, put, file, keys, survived, lost } = lab({ appendonly: 'yes' });
    engine.advance(100);
    run('SET a 1');
    run('BGREWRITEAOF');
    engine.advance(1000);
    run('SET b 2');
    run('SIM CRASH PROCESS');
    const manifest = Buffer.from(file('appendonlydir/appendonly.aof.manifest')).toString('latin1');
    expect(manifest).toContain('appendonly.aof.2.incr.aof');
    expect(run('SIM FILE DELETE appendonlydir/appendonly.aof.2.incr.aof')).toEqual(OK);
    put('appendonlydir/appendonly.aof.manifest', manifest.replace(/^file appendonly\.aof\.2\.incr\.aof.*\n/m, ''));
    expect(run('SIM RESTART')).toEqual(OK);
    expect(keys()).toEqual(['a']);
    expect(survived()).toEqual(['SET a 1']);
    expect(lost()).toEqual(['SET b 2 → file-replaced']);
  });
});

describe('redis-check-aof --fix after a refused start', () => {
  it('keeps what Redis wrote before its cut: those writes come back, the half-written one is reported as not fsynced', () => {
    const { engine, run, keys, survived, lost, report } = lab({ appendonly: 'yes' });
    engine.advance(1000);
    run('SET small 1');
    engine.advance(1000);
    run('SIM SET fsync-ms 1000');
    run(`SET big ${'x'.repeat(9000)}`); // one fsync of three pages begins
    engine.advance(400); // one page has reached the platter when the power goes
    run('SIM CRASH POWER');
    expect(run('SIM RESTART --aof-load-truncated no')).toMatchObject({ type: 'error' });
    expect(engine.lastRecovery).toBeNull();
    expect(engine.ledger.acknowledgedInWindow).toBe(2);
    run('SIM CHECK-AOF --fix');
    expect(run('SIM RESTART --aof-load-truncated no')).toEqual(OK);
    expect(keys()).toEqual(['small']);
    expect(survived()).toEqual(['SET small 1']);
    expect(lost()).toEqual([`SET big ${'x'.repeat(9000)} → not-fsynced`]);
    expect(report()).toMatchObject({ crash: 'power', acknowledged: 2, survivedCount: 1 });
  });
});

describe('DEBUG RELOAD', () => {
  it('saves first: the writes before it survive the next crash, the ones after it are lost after the snapshot', () => {
    const { run, keys, survived, lost } = lab();
    run('SET a 1');
    expect(run('DEBUG RELOAD')).toEqual(OK);
    run('SET b 2');
    run('SIM CRASH PROCESS');
    run('SIM RESTART');
    expect(keys()).toEqual(['a']);
    expect(survived()).toEqual(['SET a 1']);
    expect(lost()).toEqual(['SET b 2 → after-snapshot']);
  });

  it('NOSAVE rolls memory back to dump.rdb: a later SAVE does not hold the writes it dropped', () => {
    const { engine, run, keys, survived, lost, report } = lab();
    run('SET a 1');
    run('SAVE');
    engine.advance(1000);
    run('SET b 2');
    expect(run('DEBUG RELOAD NOSAVE')).toEqual(OK);
    expect(keys()).toEqual(['a']);
    engine.advance(1000);
    run('SET c 3');
    run('SAVE');
    engine.advance(1000);
    run('SIM CRASH PROCESS');
    run('SIM RESTART');
    expect(keys()).toEqual(['a', 'c']);
    expect(survived()).toEqual(['SET a 1', 'SET c 3']);
    expect(lost()).toEqual(['SET b 2 → after-snapshot']);
    expect(report()).toMatchObject({ acknowledged: 3, survivedCount: 2, lostCount: 1, lossWindowMs: 2000 });
  });

  it('NOSAVE with no dump.rdb empties memory, as Redis 7.0.15 does: what was written before is lost after the (missing) snapshot', () => {
    const { run, keys, survived, lost } = lab();
    run('SET a 1');
    expect(run('DEBUG RELOAD NOSAVE')).toEqual(err('ERR Error trying to load the RDB dump'));
    expect(keys()).toEqual([]);
    run('SET b 2');
    run('SAVE');
    run('SIM CRASH PROCESS');
    run('SIM RESTART');
    expect(keys()).toEqual(['b']);
    expect(survived()).toEqual(['SET b 2']);
    expect(lost()).toEqual(['SET a 1 → after-snapshot']);
  });

  it('NOSAVE leaves the AOF as it was: a restart from the AOF replays the write memory had dropped', () => {
    const { engine, run, keys, survived, report } = lab({ appendonly: 'yes' });
    engine.advance(100);
    run('SET a 1');
    run('SAVE');
    run('SET b 2');
    run('DEBUG RELOAD NOSAVE');
    expect(keys()).toEqual(['a']);
    run('SIM CRASH PROCESS');
    run('SIM RESTART');
    expect(keys()).toEqual(['a', 'b']);
    expect(survived()).toEqual(['SET a 1', 'SET b 2']);
    expect(report().lostCount).toBe(0);
  });

  it('but an AOF rewrite after NOSAVE writes its base from memory: the dropped write is gone', () => {
    const { engine, run, keys, lost, survived } = lab({ appendonly: 'yes' });
    engine.advance(100);
    run('SET a 1');
    run('SAVE');
    run('SET b 2');
    run('DEBUG RELOAD NOSAVE');
    run('BGREWRITEAOF');
    engine.advance(1000);
    run('SET c 3');
    run('SIM CRASH PROCESS');
    run('SIM RESTART');
    expect(keys()).toEqual(['a', 'c']);
    expect(survived()).toEqual(['SET a 1', 'SET c 3']);
    expect(lost()).toEqual(['SET b 2 → after-snapshot']);
  });
});
