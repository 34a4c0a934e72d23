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
