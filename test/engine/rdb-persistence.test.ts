/**
 * RDB snapshots in the engine: SAVE, BGSAVE's fork and child, the temp file and the rename, the
 * snapshot as of the fork, copy-on-write pages, save points, failures and MISCONF (reference §1).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRdb, writeRdb } from '../../src/codec/rdb/index.ts';
import { binToUtf8 } from '../../src/codec/bytes.ts';
import type { Engine, EngineEvent } from '../../src/engine/index.ts';
import { estimateMemory } from '../../src/engine/memory/usage.ts';
import { rdbFileOf, snapshotOf } from '../../src/engine/persistence/rdb-persistence.ts';
import { err, lab as newLab, START, status } from '../support/engine-kit.ts';
import { startRealRedis, testPort, waitUntil } from '../support/real-redis.ts';

/** A lab without save points unless `config` names its own. */
function lab(config: Record<string, string> = {}) {
  const made = newLab({ config: { save: '', ...config } });
  /** One field of INFO persistence. */
  const info = (field: string) => new RegExp(`\\r\\n${field}:([^\\r]*)`).exec((made.run('INFO persistence') as { value: string }).value)?.[1];
  return { ...made, info };
}

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
    // INFO has the figure once the parent has read the child's first report (after its first key).
    engine.advance(100);
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

  it('a killed child reports no copy-on-write figure (rdb_last_cow_size stays), yet its reap times the save', () => {
    // Observed on 7.0.15: a child killed with current_cow_size at 18 MB left rdb_last_cow_size at 0, rdb_last_bgsave_time_sec 8.
    const { engine, run, info } = lab();
    run('DEBUG POPULATE 1000');
    run('SIM SET disk-mbps 0.001');
    run('BGSAVE');
    run('SET key:1 changed');
    engine.advance(2_000);
    expect(info('current_cow_size')).toBe('4096');
    run('SIM KILLCHILD');
    engine.advance(100);
    expect(info('rdb_last_cow_size')).toBe('0');
    expect(info('rdb_last_bgsave_time_sec')).toBe('2');
    expect(info('rdb_last_bgsave_status')).toBe('err');
  });

  it('a power cut during BGSAVE: dump.rdb is intact; a temp file that had an fsync stays behind, cut to its fsynced bytes, and the restart leaves it there', () => {
    const cut = (advanceMs: number) => {
      const { engine, run } = lab();
      run('SET a 1');
      run('SAVE');
      run('CONFIG SET rdbcompression no');
      run('DEBUG POPULATE 50000 key 100'); // a snapshot of about 5.7 MB
      run('SIM SET disk-mbps 1');
      run('BGSAVE');
      engine.advance(advanceMs);
      run('SIM CRASH POWER');
      run('SIM SET disk-mbps 100');
      run('SIM RESTART');
      engine.advance(1000);
      return { files: engine.disk.list().map(({ name, sizeBytes }) => `${name} ${sizeBytes}`), keys: engine.dbs[0]?.size };
    };
    // After 5 s the child had written 5 MB and fsynced the first 4 MB (it fsyncs every 4 MB): the
    // fsync made the file's name durable with its bytes.
    expect(cut(5000)).toEqual({ files: ['dump.rdb 99', 'temp-4243.rdb 4194304'], keys: 1 });
    // After 2 s nothing of it had been fsynced: neither its bytes nor its name survive.
    expect(cut(2000)).toEqual({ files: ['dump.rdb 99'], keys: 1 });
  });

  it("names the failed step as rdbSave does: rdbSaveRio once stdio's 4 KiB buffer has filled, fflush for a smaller file", () => {
    for (const [populate, step] of [
      [1000, 'rdbSaveRio'],
      [3, 'fflush'],
    ] as const) {
      const { engine, run, log } = lab();
      run(`DEBUG POPULATE ${populate}`);
      run('SIM DISK FULL');
      const mark = engine.serverLog.length;
      expect(run('SAVE')).toEqual(err('ERR'));
      run('BGSAVE');
      engine.advance(200);
      expect(log(mark).filter((line) => line.includes('Write error'))).toEqual([
        `4242:M # Write error saving DB on disk(${step}): No space left on device`,
        `4243:C # Write error saving DB on disk(${step}): No space left on device`,
      ]);
      run('SIM DISK OK');
      run('SAVE');
      expect((engine.disk.sizeOf('dump.rdb') ?? 0) > 4096).toBe(step === 'rdbSaveRio');
    }
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
      '4243:C # Write error saving DB on disk(fflush): No space left on device',
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
  /** The child's end as its events tell it, one line each: exit, reap, the parent's unlink, bgsave.finished. */
  const childEnd = (events: readonly EngineEvent[]) =>
    events.flatMap((e) => {
      if (e.type === 'child.exited') return [`exited ${e.pid} code ${e.exitCode} signal ${e.signal}`];
      if (e.type === 'child.reaped') return [`reaped ${e.pid} ${e.purpose} ${e.outcome} code ${e.exitCode} signal ${e.signal}`];
      if (e.type === 'file.deleted') return [`deleted ${e.name} by ${e.by}`];
      if (e.type === 'bgsave.finished') return [`bgsave.finished ${e.childPid} ok ${e.ok}`];
      return [];
    });
  /** A lab whose BGSAVE child (pid 4243, 100 keys at 1 byte a ms) is still writing, 950 ms in. */
  function saving(config: Record<string, string> = {}) {
    const l = lab(config);
    l.run('DEBUG POPULATE 100');
    l.run('SET extra 1');
    l.run('SIM SET disk-mbps 0.001');
    l.run('BGSAVE');
    l.engine.advance(950);
    expect(l.engine.rdb.child?.exit).toBeNull();
    return { ...l, mark: l.engine.serverLog.length, from: l.events.length };
  }

  it('FLUSHALL stops a running BGSAVE with SIGUSR1 and does not wait: the next cron reaps it as stopped, removes its temp file, and counts no failure', () => {
    const { engine, run, events, log, info, mark, from } = saving();
    const second = Math.floor(engine.nowMs / 1000);
    expect(run('FLUSHALL')).toEqual(status('OK'));
    expect(log(mark)).toEqual([`4243:signal-handler (${second}) Received SIGUSR1 in child, exiting now.`]);
    expect(childEnd(events.slice(from))).toEqual(['exited 4243 code 255 signal null']);
    // Still the parent's child until it is reaped: its temp file stays, and so does the save in progress.
    expect(engine.disk.list().map((f) => f.name)).toEqual(['temp-4243.rdb']);
    expect(info('rdb_bgsave_in_progress')).toBe('1');
    expect(run('BGSAVE')).toEqual(err('ERR Background save already in progress'));

    engine.advance(50);
    expect(log(mark).slice(1)).toEqual(['4242:M # Background saving terminated by signal 10']);
    expect(childEnd(events.slice(from))).toEqual([
      'exited 4243 code 255 signal null',
      'reaped 4243 rdb stopped code 255 signal null',
      'deleted temp-4243.rdb by 4242',
      'bgsave.finished 4243 ok false',
    ]);
    expect(engine.rdb.child).toBeNull();
    expect(engine.disk.list()).toEqual([]);
    expect(info('rdb_bgsave_in_progress')).toBe('0');
    expect(info('rdb_last_bgsave_status')).toBe('ok');
    // 101 keys removed, on top of SET extra.
    expect(info('rdb_changes_since_last_save')).toBe('102');
    // Writes still go through: a stopped save is no MISCONF.
    expect(run('SET after 1')).toEqual(status('OK'));
  });

  it('FLUSHALL with save points: the child stops, the parent saves the emptied dataset at once, and the stopped child is still reaped at the next cron', () => {
    const { engine, run, log, info, mark } = saving({ save: '3600 1' });
    const second = Math.floor(engine.nowMs / 1000);
    run('FLUSHALL');
    expect(engine.disk.list().map((f) => f.name)).toEqual(['dump.rdb', 'temp-4243.rdb']);
    engine.advance(50);
    expect(log(mark)).toEqual([
      `4243:signal-handler (${second}) Received SIGUSR1 in child, exiting now.`,
      '4242:M * DB saved on disk',
      '4242:M # Background saving terminated by signal 10',
    ]);
    expect(engine.disk.list().map((f) => f.name)).toEqual(['dump.rdb']);
    expect(dumpKeys(engine)).toEqual([]);
    expect(info('rdb_changes_since_last_save')).toBe('0');
    expect(info('rdb_last_bgsave_status')).toBe('ok');
    // BGSAVE's fork counts, FLUSHALL's save does not.
    expect(info('rdb_saves')).toBe('1');
  });

  it('rdb_last_bgsave_time_sec is set by any reap, in whole unix seconds: forked at .900, reaped at the next second\'s .000, it is 1', () => {
    const { engine, run, info } = lab();
    run('DEBUG POPULATE 100');
    run('SIM SET disk-mbps 0.001');
    expect(info('rdb_last_bgsave_time_sec')).toBe('-1');
    engine.advance(900);
    run('BGSAVE');
    engine.advance(50);
    expect(info('rdb_current_bgsave_time_sec')).toBe('0');
    run('FLUSHALL');
    engine.advance(50);
    expect(engine.nowMs % 1000).toBe(0);
    expect(info('rdb_last_bgsave_time_sec')).toBe('1');
  });

  it('FLUSHDB and DEBUG RELOAD NOSAVE leave a running BGSAVE alone', () => {
    const { engine, run, log, info } = lab({ save: '3600 1' });
    run('DEBUG POPULATE 100');
    run('SAVE'); // a dump.rdb for DEBUG RELOAD NOSAVE to load
    run('SIM SET disk-mbps 0.001');
    run('BGSAVE');
    const mark = engine.serverLog.length;
    expect(run('FLUSHDB')).toEqual(status('OK'));
    expect(run('DEBUG RELOAD NOSAVE')).toEqual(status('OK'));
    engine.advance(500);
    expect(engine.rdb.child?.exit).toBeNull();
    expect(info('rdb_bgsave_in_progress')).toBe('1');
    expect(log(mark).filter((line) => /SIGUSR1|Background saving/.test(line))).toEqual([]);
    expect(engine.disk.list().map((f) => f.name)).toEqual(['dump.rdb', 'temp-4243.rdb']);
  });

  it('a child that already finished but is not reaped yet: FLUSHALL sends nothing it would say, and the cron reaps a success', () => {
    const { engine, run, events, log } = lab();
    run('SET a 1');
    run('SIM SET disk-mbps 0.001');
    run('BGSAVE');
    const child = engine.rdb.child!;
    // Its last byte lands between two cron ticks.
    expect(child.doneAtMs() % 100).not.toBe(0);
    engine.advance(child.doneAtMs() - engine.nowMs);
    expect(child.exit?.code).toBe(0);
    expect(engine.rdb.child).toBe(child);
    const mark = engine.serverLog.length;
    const from = events.length;
    run('FLUSHALL');
    engine.advance(100);
    expect(log(mark)).toEqual(['4242:M * Background saving terminated with success']);
    expect(childEnd(events.slice(from))).toEqual(['reaped 4243 rdb ok code 0 signal null', 'bgsave.finished 4243 ok true']);
  });

  it('SHUTDOWN stops the saving child, removes its temp file at once and exits without waiting for it; the child is gone with its parent', () => {
    for (const [line, saved] of [['SHUTDOWN', true], ['SHUTDOWN NOSAVE', false]] as const) {
      const { engine, run, events, log, mark, from } = saving({ save: '3600 1' });
      const second = Math.floor(engine.nowMs / 1000);
      run(line);
      expect(log(mark)).toEqual([
        '4242:M # User requested shutdown...',
        '4242:M # There is a child saving an .rdb. Killing it!',
        `4243:signal-handler (${second}) Received SIGUSR1 in child, exiting now.`,
        ...(saved ? ['4242:M * Saving the final RDB snapshot before exiting.', '4242:M * DB saved on disk'] : []),
        '4242:M * Removing the pid file.',
        '4242:M # Redis is now ready to exit, bye bye...',
      ]);
      expect(childEnd(events.slice(from))).toEqual(['exited 4243 code 255 signal null', 'deleted temp-4243.rdb by 4242', 'reaped 4243 rdb stopped code 255 signal null']);
      expect(engine.running).toBe(false);
      expect(engine.rdb.child).toBeNull();
      expect(engine.disk.list().map((f) => f.name)).toEqual(saved ? ['dump.rdb'] : []);
    }
  });

  it('a SHUTDOWN abandoned because its save failed leaves the stopped child to the next cron, which reaps it as stopped; SHUTDOWN FORCE then exits anyway', () => {
    const { engine, run, events, log, info, mark, from } = saving({ save: '3600 1' });
    const second = Math.floor(engine.nowMs / 1000);
    run('SIM DISK EIO');
    expect(run('SHUTDOWN')).toEqual(err('ERR Errors trying to SHUTDOWN. Check logs.'));
    expect(engine.running).toBe(true);
    expect(info('rdb_bgsave_in_progress')).toBe('1');
    engine.advance(50);
    expect(log(mark)).toEqual([
      '4242:M # User requested shutdown...',
      '4242:M # There is a child saving an .rdb. Killing it!',
      `4243:signal-handler (${second}) Received SIGUSR1 in child, exiting now.`,
      '4242:M * Saving the final RDB snapshot before exiting.',
      '4242:M # Failed opening the temp RDB file temp-4242.rdb (in server root dir /var/lib/redis) for saving: Input/output error',
      "4242:M # Error trying to save the DB, can't exit.",
      '4242:M # Errors trying to shut down the server. Check the logs for more information.',
      '4242:M # Background saving terminated by signal 10',
    ]);
    expect(childEnd(events.slice(from))).toEqual([
      'exited 4243 code 255 signal null',
      'deleted temp-4243.rdb by 4242',
      'reaped 4243 rdb stopped code 255 signal null',
      'bgsave.finished 4243 ok false',
    ]);
    expect(info('rdb_last_bgsave_status')).toBe('ok');
    const forced = engine.serverLog.length;
    run('SHUTDOWN FORCE');
    expect(log(forced)).toEqual([
      '4242:M # User requested shutdown...',
      '4242:M * Saving the final RDB snapshot before exiting.',
      '4242:M # Failed opening the temp RDB file temp-4242.rdb (in server root dir /var/lib/redis) for saving: Input/output error',
      '4242:M # Error trying to save the DB. Exit anyway.',
      '4242:M * Removing the pid file.',
      '4242:M # Redis is now ready to exit, bye bye...',
    ]);
    expect(engine.running).toBe(false);
  });

  it('the child\'s own lines carry its pid and role C, the SIGUSR1 line of its signal handler too; the parent\'s carry 4242 and M', () => {
    const { engine, run, events } = lab({ appendonly: 'yes' });
    run('DEBUG POPULATE 100');
    run('SIM SET disk-mbps 0.001');
    run('BGSAVE'); // 4243: stopped by FLUSHALL
    run('FLUSHALL');
    engine.advance(100);
    run('DEBUG POPULATE 100');
    run('BGSAVE'); // 4244: finishes
    engine.advance(60_000);
    run('BGREWRITEAOF'); // 4245: stopped by CONFIG SET appendonly no
    run('CONFIG SET appendonly no');
    run('SIM DISK FULL');
    run('BGSAVE'); // 4246: fails on a full disk
    engine.advance(60_000);
    run('SIM DISK OK');
    run('BGSAVE'); // 4247: orphaned by a crash after its first report, fails to report to its dead parent at its end
    engine.advance(100);
    run('SIM CRASH PROCESS');
    engine.advance(60_000);
    const lines = events.filter((e) => e.type === 'log.line');
    const childLines = lines.filter((e) => e.pid !== 4242).map((e) => `${e.pid}:${e.role} ${e.message}`);
    expect(childLines).toEqual([
      `4243:C ${lines.find((e) => e.pid === 4243)?.text}`,
      '4244:C DB saved on disk',
      '4244:C Fork CoW for RDB: current 0 MB, peak 0 MB, average 0 MB',
      `4245:C ${lines.find((e) => e.pid === 4245)?.text}`,
      '4246:C Write error saving DB on disk(fflush): No space left on device',
      '4247:C DB saved on disk',
      '4247:C Fork CoW for RDB: current 0 MB, peak 0 MB, average 0 MB',
      '4247:C Child failed reporting info to parent, exiting. Broken pipe',
    ]);
    expect(childLines[0]).toMatch(/^4243:C 4243:signal-handler \(\d+\) Received SIGUSR1 in child, exiting now\.$/);
    expect(childLines[3]).toMatch(/^4245:C 4245:signal-handler \(\d+\) Received SIGUSR1 in child, exiting now\.$/);
    // Every line's text starts with the pid it is stamped with; the parent's are M, after the startup banner.
    for (const line of lines) expect(line.text.startsWith(`${line.pid}:`), line.text).toBe(true);
    const banner = lines.findIndex((e) => e.message.startsWith('Running mode='));
    expect(lines.slice(banner).filter((e) => e.pid === 4242).every((e) => e.role === 'M')).toBe(true);
  });
});

describe('SHUTDOWN', () => {
  it('saves the final snapshot when save points exist, and not with NOSAVE', () => {
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

/**
 * A BGSAVE child meeting FLUSHALL, FLUSHDB and SHUTDOWN, on a real redis-server 7.0.15 and on the
 * engine, driven alike: 101 keys, a child slowed down (rdb-key-save-delay on the real server, the
 * disk speed here) so that it is still writing when the command comes, and hz 1 on both, so that
 * the reap (the next cron) comes a second later and the state between the reply and the reap can
 * be read. Compared: the parent's log lines in order, the child's own lines (which a real child
 * writes whenever the scheduler lets it: before, among or after the parent's), INFO persistence's
 * RDB fields and the files, right after the reply and after the reap.
 */
describe('a BGSAVE child stopped, as a real redis-server 7.0.15 stops it', () => {
  const FIELDS = ['rdb_changes_since_last_save', 'rdb_bgsave_in_progress', 'rdb_last_bgsave_status', 'rdb_saves'] as const;
  const cases = [
    { port: testPort(6670), line: 'FLUSHALL', save: '3600 1' },
    { port: testPort(6671), line: 'FLUSHALL', save: '' },
    { port: testPort(6672), line: 'FLUSHDB', save: '3600 1' },
    { port: testPort(6673), line: 'SHUTDOWN', save: '3600 1' },
    { port: testPort(6674), line: 'SHUTDOWN NOSAVE', save: '3600 1' },
  ] as const;

  interface Moment {
    readonly info: Record<string, string>;
    readonly files: string[];
  }
  interface Observed {
    /** The parent's lines after the command, in order, as `M * text`. */
    readonly parent: string[];
    /** The child's lines after the command. */
    readonly child: string[];
    /** Right after the reply (for SHUTDOWN: once the server exited), and after the next cron. */
    readonly afterReply: Moment;
    readonly afterReap: Moment;
  }

  const pidOf = (lines: readonly string[]) => /started by pid (\d+)$/.exec(lines.findLast((line) => line.includes('started by pid')) ?? '')?.[1] ?? '?';
  /** Lines as `M * text`, pids and unix seconds as placeholders, split by who wrote them. */
  function observe(lines: readonly string[], parentPid: string, childPid: string) {
    const plain = (line: string) =>
      line
        .replace(/^\d+:([MC]) \d\d \w{3} \d{4} \d\d:\d\d:\d\d\.\d{3} /, '$1 ')
        .replaceAll(childPid, '<child>')
        .replaceAll(parentPid, '<parent>')
        .replace(/signal-handler \(\d+\)/, 'signal-handler (<s>)');
    return {
      parent: lines.filter((line) => line.startsWith(`${parentPid}:`)).map(plain),
      child: lines.filter((line) => line.startsWith(`${childPid}:`)).map(plain),
    };
  }
  const fieldsOf = (info: string) => Object.fromEntries(FIELDS.map((field) => [field, new RegExp(`\\r\\n${field}:([^\\r]*)`).exec(info)?.[1] ?? '?']));
  const names = (files: readonly string[], parentPid: string, childPid: string) =>
    files.map((name) => name.replaceAll(childPid, '<child>').replaceAll(parentPid, '<parent>')).sort();

  /**
   * The log as whole lines. The parent writes each line in one write(), but a child's signal
   * handler writes its line in six (pid, ":signal-handler (", seconds, ") ", message, newline),
   * so a line of the parent's can land inside the child's: seen on a loaded machine, where both
   * lines then went unrecognised. The parent's lines are taken out first, in order; what remains
   * are the child's.
   */
  function untangle(text: string, parentPid: string): string[] {
    const parentLine = new RegExp(`${parentPid}:M \\d\\d \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{3} [-.*#] [^\\n]*\\n`, 'g');
    const parent = (text.match(parentLine) ?? []).map((line) => line.slice(0, -1));
    return [...parent, ...text.replace(parentLine, '').split('\n').filter((line) => line !== '')];
  }
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** The real server's side; null when its cron reaped the child before the moment after the reply was read. */
  async function observeRealRedis(port: number, line: string, save: string): Promise<Observed | null> {
    // With a pid file, as the lab's node has one (SHUTDOWN logs its removal).
    const pidDir = mkdtempSync(join(tmpdir(), `lab-redis-${port}-pid-`));
    const real = await startRealRedis(port, ['--save', save, '--enable-debug-command', 'yes', '--hz', '1', '--pidfile', join(pidDir, 'redis.pid')]);
    try {
      const logText = () => readFileSync(join(real.dir, 'redis.log'), 'utf8');
      const files = () => readdirSync(real.dir).filter((name) => name !== 'redis.log');
      const info = async () => fieldsOf((await real.command(['INFO', 'persistence'])).value as string);
      await real.command(['DEBUG', 'POPULATE', '100']);
      await real.command(['SET', 'extra', '1']);
      // 100 ms a key: 10 s for the child, so that it is still writing whenever a loaded machine
      // lets the test look (it is stopped long before). The parent's own saves go at full speed:
      // the child keeps the setting it had at the fork.
      await real.command(['CONFIG', 'SET', 'rdb-key-save-delay', '100000']);
      await real.command(['BGSAVE']);
      await real.command(['CONFIG', 'SET', 'rdb-key-save-delay', '0']);
      expect((await info()).rdb_bgsave_in_progress).toBe('1');
      const parentPid = String(real.pid);
      const from = logText().length;
      const childPid = pidOf(untangle(logText(), parentPid));
      // The child must be under way: a SIGUSR1 that comes before it set its handler kills it
      // outright (no line of its own, no temp file yet), which is another story.
      await waitUntil(() => files().includes(`temp-${childPid}.rdb`), `the child ${childPid} creates temp-${childPid}.rdb`);
      await sleep(200);
      const shutdown = line.startsWith('SHUTDOWN');
      let afterReply: Moment;
      let afterReap: Moment;
      if (shutdown) {
        // No reply: the server closes the connection as it exits. The child writes its line when it runs.
        await real.command(line.split(' ')).catch(() => null);
        await real.exited;
        const stopped = (text: string) => text.startsWith(`${childPid}:`) && text.endsWith('Received SIGUSR1 in child, exiting now.');
        await waitUntil(() => untangle(logText(), parentPid).some(stopped), `the stopped child ${childPid} logs its line`);
        afterReply = { info: {}, files: names(files(), parentPid, childPid) };
        afterReap = afterReply;
      } else {
        await real.command(line.split(' '));
        afterReply = { info: await info(), files: names(files(), parentPid, childPid) };
        // The cron that reaps a stopped child (hz 1) may come at any moment: had it come before
        // the files were listed, this was not the moment after the reply. Look again then.
        if ((await info()).rdb_bgsave_in_progress !== '1') return null;
        // The next cron, within a second at hz 1; FLUSHDB leaves nothing to wait for.
        if (line === 'FLUSHALL') await waitUntil(() => logText().includes('Background saving terminated'), 'the cron reaps the stopped child');
        else await sleep(1_100);
        afterReap = { info: await info(), files: names(files(), parentPid, childPid) };
      }
      return { ...observe(untangle(logText().slice(from), parentPid), parentPid, childPid), afterReply, afterReap };
    } finally {
      await real.stop();
      rmSync(pidDir, { recursive: true, force: true });
    }
  }

  async function onRealRedis(port: number, line: string, save: string): Promise<Observed> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const observed = await observeRealRedis(port, line, save);
      if (observed !== null) return observed;
    }
    throw new Error(`${line}: three times the cron reaped the child before the files after the reply were listed`);
  }

  function onEngine(line: string, save: string): Observed {
    const { engine, run, info } = lab({ save, hz: '1' });
    run('DEBUG POPULATE 100');
    run('SET extra 1');
    run('SIM SET disk-mbps 0.001');
    run('BGSAVE');
    engine.advance(300);
    const from = engine.serverLog.length;
    const parentPid = String(engine.pid);
    const childPid = pidOf(engine.serverLog);
    const moment = (): Moment => ({
      info: engine.running ? Object.fromEntries(FIELDS.map((field) => [field, info(field) ?? '?'])) : {},
      files: names(engine.disk.list().map((file) => file.name), parentPid, childPid),
    });
    run(line);
    const afterReply = moment();
    if (engine.running) engine.advance(1_000);
    return { ...observe(engine.serverLog.slice(from), parentPid, childPid), afterReply, afterReap: moment() };
  }

  for (const { port, line, save } of cases) {
    it(`${line}${save === '' ? ' without save points' : ''}: the same log lines, INFO fields and files`, async () => {
      const expected = await onRealRedis(port, line, save);
      const mine = onEngine(line, save);
      expect(mine).toEqual(expected);
      // What the real server did, spelt out.
      const stoppedLine = '<child>:signal-handler (<s>) Received SIGUSR1 in child, exiting now.';
      if (line === 'FLUSHDB') {
        expect(mine.child).toEqual([]);
        expect(mine.afterReap.info.rdb_bgsave_in_progress).toBe('1');
      } else {
        expect(mine.child).toEqual([stoppedLine]);
      }
      if (line === 'FLUSHALL') {
        expect(mine.afterReply.files).toContain('temp-<child>.rdb');
        expect(mine.afterReply.info.rdb_bgsave_in_progress).toBe('1');
        expect(mine.parent.at(-1)).toBe('M # Background saving terminated by signal 10');
        expect(mine.afterReap.files).not.toContain('temp-<child>.rdb');
        expect(mine.afterReap.info.rdb_last_bgsave_status).toBe('ok');
      }
      if (line.startsWith('SHUTDOWN')) {
        expect(mine.parent.slice(0, 2)).toEqual(['M # User requested shutdown...', 'M # There is a child saving an .rdb. Killing it!']);
        expect(mine.afterReap.files).not.toContain('temp-<child>.rdb');
      }
    });
  }
});
