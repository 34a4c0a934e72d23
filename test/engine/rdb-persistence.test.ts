/**
 * RDB snapshots in the engine: SAVE, BGSAVE's fork and child, the temp file and the rename, the
 * snapshot as of the fork, copy-on-write pages, save points, failures and MISCONF (reference §1).
 */
import { readRdb, writeRdb } from '../../src/codec/rdb/index.ts';
import { binToUtf8 } from '../../src/codec/bytes.ts';
import type { Engine } from '../../src/engine/index.ts';
import { estimateMemory } from '../../src/engine/memory/usage.ts';
import { rdbFileOf, snapshotOf } from '../../src/engine/persistence/rdb-persistence.ts';
import { err, lab as newLab, START, status } from '../support/engine-kit.ts';

/** A lab without save points unless `config` names its own. */
const lab = (config: Record<string, string> = {}) => newLab({ config: { save: '', ...config } });

/** The keys of a dump, as `db:key=value` strings. */
function dumpKeys(engine: Engine): string[] {
  const bytes = engine.disk.read('dump.rdb');
  if (bytes === null) return [];
  return readRdb(bytes).dbs.flatMap((db) => db.entries.map((e) => `${db.index}:${binToUtf8(e.key)}=${JSON.stringify(e.value)}`));
}

describe('SAVE', () => {
  it('writes temp-<pid>.rdb in the main process, fsyncs, renames it over dump.rdb and syncs the directory', () => {
    const { engine, run, events, log } = lab();
    run('SET a 1');
    const mark = engine.serverLog.length;
    expect(run('SAVE')).toEqual(status('OK'));
    const disk = events.filter((e) => e.type.startsWith('file.') || e.type === 'dir.fsynced').map((e) => `${e.type} ${'by' in e ? e.by : ''}`);
    expect(disk).toEqual(['file.created 4242', 'file.written 4242', 'file.fsynced 4242', 'file.renamed 4242', 'dir.fsynced 4242']);
    expect(log(mark)).toEqual(['4242:M * DB saved on disk']);
    expect(engine.disk.list()).toEqual([{ name: 'dump.rdb', sizeBytes: expect.any(Number), durableBytes: expect.any(Number), nameDurable: true, modifiedAtMs: START }]);
    expect(dumpKeys(engine)).toEqual(['0:a="1"']);
    expect(engine.dirty).toBe(0);
  });

  it('answers a bare ERR when the disk fails, and leaves dump.rdb as it was', () => {
    const { engine, run } = lab();
    run('SET a 1');
    run('SAVE');
    run('SET b 2');
    run('SIM DISK EIO');
    expect(run('SAVE')).toEqual(err('ERR'));
    expect(dumpKeys(engine)).toEqual(['0:a="1"']);
    // A failed SAVE does not set the background save status.
    expect(engine.lastBgsaveStatus).toBe('ok');
  });
});

describe('BGSAVE', () => {
  it('forks a child that writes the snapshot at disk speed, renames it, exits, and is reaped at the next tick', () => {
    const { engine, run, events, log } = lab();
    run('DEBUG POPULATE 100');
    run('SIM SET disk-mbps 0.01'); // 10 bytes per ms: the child takes a while
    const mark = engine.serverLog.length;
    expect(run('BGSAVE')).toEqual(status('Background saving started'));
    const child = engine.rdb.child!;
    expect(child.pid).toBe(4243);
    expect(engine.disk.list().map((f) => f.name)).toEqual(['temp-4243.rdb']);
    expect(run('BGSAVE')).toEqual(err('ERR Background save already in progress'));
    expect(run('SAVE')).toEqual(err('ERR Background save already in progress'));

    engine.advance(100);
    const written = engine.disk.list()[0]!;
    expect(written.name).toBe('temp-4243.rdb');
    expect(written.sizeBytes).toBe(1000);
    expect(written.durableBytes).toBe(0);

    const doneAtMs = START + Math.ceil(child.bytes.length / 10);
    engine.advance(doneAtMs - engine.nowMs + 250);
    expect(engine.disk.list().map((f) => f.name)).toEqual(['dump.rdb']);
    expect(log(mark)).toEqual([
      '4242:M * Background saving started by pid 4243',
      '4243:C * DB saved on disk',
      '4243:C * Fork CoW for RDB: current 0 MB, peak 0 MB, average 0 MB',
      '4242:M * Background saving terminated with success',
    ]);
    const exited = events.find((e) => e.type === 'child.exited');
    const reaped = events.find((e) => e.type === 'bgsave.finished');
    expect(exited?.atMs).toBe(doneAtMs);
    // The parent notices the exit at its first cron tick after it (ticks every 100 ms).
    expect(reaped?.atMs).toBe(Math.floor((doneAtMs - START) / 100) * 100 + 100 + START);
    expect(engine.rdb.child).toBeNull();
    expect(dumpKeys(engine)).toHaveLength(100);
  });

  it('saves the data as of the fork: writes made while the child runs are not in the file', () => {
    const { engine, run } = lab();
    run('SET before fork');
    run('SIM SET disk-mbps 0.01');
    run('BGSAVE');
    run('SET after fork');
    run('SET before changed');
    engine.advance(60_000);
    expect(dumpKeys(engine)).toEqual(['0:before="fork"']);
    // Changes made during the save stay counted for the next one.
    expect(engine.dirty).toBe(2);
  });

  it('saves every type as of the fork: changes made in place to lists, hashes, sets and sorted sets afterwards are not in the file', () => {
    const { engine, run } = lab();
    for (const line of ['RPUSH l a b', 'HSET h f v', 'SADD s x', 'ZADD z 1 m', 'SET n 5', 'SIM SET disk-mbps 0.01', 'BGSAVE']) run(line);
    for (const line of ['RPUSH l c', 'LSET l 0 changed', 'HSET h f changed g w', 'SADD s y', 'ZADD z 2 m 3 k', 'INCR n', 'EXPIRE n 100', 'DEL h']) run(line);
    engine.advance(60_000);
    expect(dumpKeys(engine).sort()).toEqual(['0:h=[["f","v"]]', '0:l=["a","b"]', '0:n="5"', '0:s=["x"]', '0:z=[["m",1]]']);
    expect(readRdb(engine.disk.read('dump.rdb')!).dbs[0]?.entries.every((e) => e.expireAtMs === undefined)).toBe(true);
  });

  it('copies a shared page the first time the parent writes to it, once per page', () => {
    const { engine, run, events } = lab();
    run('DEBUG POPULATE 1000');
    run('SIM SET disk-mbps 0.01');
    run('BGSAVE');
    const fork = events.find((e) => e.type === 'fork.started');
    expect(fork).toMatchObject({ parentPid: 4242, childPid: 4243, purpose: 'rdb', pageSizeBytes: 4096 });
    run('SET key:1 changed');
    run('SET key:1 again');
    run('GET key:2');
    const copies = events.filter((e) => e.type === 'page.copied');
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatchObject({ db: 0, key: 'key:1' });
    expect(engine.pages.cowBytes).toBe(4096);
    const info = (engine.run('INFO persistence', engine.newClient()) as { reply: { value: string } }).reply.value;
    expect(info).toContain('rdb_bgsave_in_progress:1\r\n');
    expect(info).toContain('current_cow_size:4096\r\n');
    expect(info).toContain('current_save_keys_total:1000\r\n');
  });

  it('is only scheduled inside MULTI, and starts at the next cron tick', () => {
    const { engine, run } = lab();
    run('MULTI');
    run('BGSAVE');
    expect(run('EXEC')).toEqual({ type: 'array', value: [status('Background saving scheduled')] });
    expect(engine.rdb.child).toBeNull();
    engine.advance(100);
    expect(engine.rdb.child).not.toBeNull();
  });
});

describe('failures', () => {
  it('a killed child: the parent logs the signal, removes the temp file, and writes get MISCONF (PING too)', () => {
    const { engine, run, log } = lab({ save: '3600 1' });
    run('SET a 1');
    run('SIM SET disk-mbps 0.01');
    run('BGSAVE');
    const mark = engine.serverLog.length;
    expect(run('SIM KILLCHILD')).toEqual(status('OK'));
    engine.advance(100);
    expect(log(mark)).toEqual(['4242:M # Background saving terminated by signal 9']);
    expect(engine.disk.list()).toEqual([]);
    expect(engine.lastBgsaveStatus).toBe('err');
    expect(run('SET b 2').type).toBe('error');
    expect((run('PING') as { value: string }).value).toMatch(/^MISCONF /);
    expect(run('GET a')).toEqual({ type: 'bulk', value: '1' });
    // Turning the protection off lets writes through again.
    run('CONFIG SET stop-writes-on-bgsave-error no');
    expect(run('SET b 2')).toEqual(status('OK'));
  });

  it('a full disk: the child logs the write error and exits 1, the parent logs the error, dump.rdb is untouched', () => {
    const { engine, run, log } = lab();
    run('SET a 1');
    run('SAVE');
    run('SET b 2');
    run('SIM DISK FULL');
    const mark = engine.serverLog.length;
    run('BGSAVE');
    engine.advance(200);
    expect(log(mark)).toEqual([
      '4242:M * Background saving started by pid 4243',
      '4243:C # Write error saving DB on disk(write): No space left on device',
      '4242:M # Background saving error',
    ]);
    expect(engine.disk.list().map((f) => f.name)).toEqual(['dump.rdb']);
    expect(dumpKeys(engine)).toEqual(['0:a="1"']);
    run('SIM DISK OK');
    expect(run('BGSAVE')).toEqual(status('Background saving started'));
    engine.advance(200);
    expect(engine.lastBgsaveStatus).toBe('ok');
    expect(dumpKeys(engine).sort()).toEqual(['0:a="1"', '0:b="2"']);
  });
});

describe('save points', () => {
  it('saves when enough changes happened and strictly more than the seconds passed since the last save', () => {
    const { engine, run, log } = lab({ save: '5 2' });
    run('SET a 1');
    engine.advance(10_000);
    expect(engine.rdb.saves).toBe(0); // one change is not enough
    run('SET b 2');
    const mark = engine.serverLog.length;
    engine.advance(100);
    expect(log(mark)[0]).toBe('4242:M * 2 changes in 5 seconds. Saving...');
    engine.advance(500);
    expect(engine.dirty).toBe(0);
    const savedAt = engine.lastSaveMs;
    run('SET c 3');
    run('SET d 4');
    // Whole seconds, strictly greater: at savedAt + 5 s the point is not yet due.
    engine.setClock(Math.floor(savedAt / 1000) * 1000 + 5_950);
    engine.advance(1);
    expect(engine.rdb.saves).toBe(1);
    engine.advance(200);
    expect(engine.rdb.saves).toBe(2);
  });

  it('waits more than 5 seconds before retrying after a failed BGSAVE', () => {
    const { engine, run } = lab({ save: '1 1' });
    run('SIM DISK FULL');
    run('SET a 1');
    engine.advance(2_100);
    expect(engine.rdb.saves).toBe(1);
    expect(engine.lastBgsaveStatus).toBe('err');
    engine.advance(5_000);
    expect(engine.rdb.saves).toBe(1);
    engine.advance(1_000);
    expect(engine.rdb.saves).toBe(2);
  });
});

describe('FLUSHALL and SHUTDOWN', () => {
  it('FLUSHALL ends a running BGSAVE and removes its temp file', () => {
    const { engine, run } = lab();
    run('SET a 1');
    run('SIM SET disk-mbps 0.001');
    run('BGSAVE');
    run('FLUSHALL');
    expect(engine.rdb.child).toBeNull();
    expect(engine.disk.list()).toEqual([]);
  });

  it('SHUTDOWN saves the final snapshot when save points exist, and not with NOSAVE', () => {
    const saving = lab({ save: '3600 1' });
    saving.run('SET a 1');
    const mark = saving.engine.serverLog.length;
    saving.run('SHUTDOWN');
    expect(saving.log(mark)).toEqual([
      '4242:M # User requested shutdown...',
      '4242:M * Saving the final RDB snapshot before exiting.',
      '4242:M * DB saved on disk',
      '4242:M * Removing the pid file.',
      '4242:M # Redis is now ready to exit, bye bye...',
    ]);
    expect(dumpKeys(saving.engine)).toEqual(['0:a="1"']);

    const skipping = lab({ save: '3600 1' });
    skipping.run('SET a 1');
    skipping.run('SHUTDOWN NOSAVE');
    expect(skipping.engine.disk.list()).toEqual([]);
  });

  it('SHUTDOWN is abandoned when its save fails, unless FORCE', () => {
    const { engine, run } = lab({ save: '3600 1' });
    run('SIM DISK EIO');
    expect(run('SHUTDOWN')).toEqual(err('ERR Errors trying to SHUTDOWN. Check logs.'));
    expect(engine.running).toBe(true);
    run('SHUTDOWN FORCE');
    expect(engine.running).toBe(false);
  });
});

describe('the file', () => {
  it('is, byte for byte, writeRdb of the keyspace (every type, expiries, several databases, keys already expired left out), whatever the options, also as an AOF base', () => {
    for (const [rdbcompression, rdbchecksum] of [['yes', 'yes'], ['no', 'yes'], ['yes', 'no'], ['no', 'no']] as const) {
      const { engine, run } = lab({ rdbcompression, rdbchecksum });
      const lines = ['SET s hello', 'SET n 12345', `SET long ${'abc'.repeat(100)}`, 'SET t v PX 100000', 'RPUSH l a b 3', 'HSET h f v', 'SADD ints 1 2 3', 'SADD s2 a b'];
      for (const line of [...lines, 'ZADD z 1 m 2.5 n', 'SET dead x', 'SELECT 4', 'SET four 4 EX 60', 'HSET big ' + Array.from({ length: 600 }, (_, i) => `f${i} v${i}`).join(' ')]) run(line);
      engine.dbs[0]?.expires.set('dead', engine.nowMs - 1); // expired, not yet removed
      run('SELECT 0');
      const options = { ctime: Math.floor(engine.nowMs / 1000), usedMem: estimateMemory(engine).used, rdbcompression: rdbcompression === 'yes', rdbchecksum: rdbchecksum === 'yes' };
      const expected = writeRdb(snapshotOf(engine), options);
      expect(snapshotOf(engine).dbs[0]?.entries.map((e) => e.key)).not.toContain('dead');
      run('SAVE');
      expect(engine.disk.read('dump.rdb')).toEqual(expected);
      run('SIM SET disk-mbps 1000');
      run('BGSAVE');
      engine.advance(2000);
      expect(engine.disk.read('dump.rdb')).toEqual(writeRdb(snapshotOf(engine), { ...options, ctime: Math.floor((engine.nowMs - 2000) / 1000) }));
      const now = { ...options, ctime: Math.floor(engine.nowMs / 1000), usedMem: estimateMemory(engine).used };
      expect(rdbFileOf(engine, true)).toEqual(writeRdb(snapshotOf(engine), { ...now, aofBase: true }));
    }
  });
});

describe('the fork cost', () => {
  it('grows with memory, as latest_fork_usec reports', () => {
    const small = lab();
    small.run('SIM SET fork-us-per-gb 1000000');
    small.run('BGSAVE');
    const large = lab();
    large.run('SIM SET fork-us-per-gb 1000000');
    large.run('DEBUG POPULATE 20000 key 100');
    large.run('BGSAVE');
    expect(large.engine.rdb.latestForkUsec).toBeGreaterThan(small.engine.rdb.latestForkUsec * 2);
  });
});
