/**
 * The ledger of acknowledged writes and the report each restart makes of it: which writes came
 * back, which were lost and why (after the snapshot, still in aof_buf, not fsynced, cut at load,
 * in a file that was not read, never persisted); the LOADING state a slow load puts the node in;
 * a power loss that cuts a command in half; CONFIG REWRITE into the lab's redis.conf.
 */
import type { Reply } from '../../src/codec/reply.ts';
import { RECENT_RUNS_EXACT, REPORT_LIST_LIMIT, type LossReason } from '../../src/engine/persistence/recovery-report.ts';
import { err, lab as newLab, OK, recoveryLab, runner } from '../support/engine-kit.ts';

const LOADING_ERROR = err('LOADING Redis is loading the dataset in memory');

const lab = recoveryLab;

describe('RDB only', () => {
  it('brings back the writes before the fork of the last completed save; later ones are lost after the snapshot', () => {
    const { engine, run, report, lost, survived, events } = lab();
    run('SET a 1');
    run('SET b 2');
    run('BGSAVE');
    run('SET c 3'); // after the fork: not in the snapshot, although the save completes later
    engine.advance(1000);
    run('SET d 4');
    engine.advance(5000);
    run('SIM CRASH PROCESS');
    expect(run('SIM RESTART')).toEqual(OK);
    expect(survived()).toEqual(['SET a 1', 'SET b 2']);
    expect(lost()).toEqual(['SET c 3 → after-snapshot', 'SET d 4 → after-snapshot']);
    expect(report()).toMatchObject({
      crash: 'process',
      crashedAtMs: engine.nowMs,
      restartedAtMs: engine.nowMs,
      loadedFrom: 'rdb',
      acknowledged: 4,
      survivedCount: 2,
      lostCount: 2,
      lossWindowMs: 6000,
      recoveryMs: 0,
      files: [{ name: 'dump.rdb', sizeBytes: engine.disk.read('dump.rdb')!.length }],
    });
    expect(events.filter((event) => event.type === 'recovery.reported')).toEqual([{ type: 'recovery.reported', atMs: engine.nowMs, report: report() }]);
  });

  it('with no save at all, everything was held nowhere', () => {
    const { run, report, lost } = lab();
    run('SET a 1');
    run('SHUTDOWN NOSAVE');
    run('SIM RESTART');
    expect(lost()).toEqual(['SET a 1 → no-persistence']);
    expect(report()).toMatchObject({ crash: 'shutdown', loadedFrom: 'none', files: [] });
  });

  it('FLUSHALL with save points saves the emptied dataset: the FLUSHALL itself is in it', () => {
    const { run, survived, report } = lab({ save: '3600 1' });
    run('SET a 1');
    run('FLUSHALL');
    run('SIM CRASH PROCESS');
    run('SIM RESTART');
    expect(survived()).toEqual(['SET a 1', 'FLUSHALL']);
    expect(report().lostCount).toBe(0);
  });

  it('an orphaned BGSAVE child that renames dump.rdb after the crash brings back the writes before its fork', () => {
    const { engine, run, survived, lost, keys } = lab();
    run('SET a 1');
    run('SET c 3');
    run('SIM SET disk-mbps 0.001');
    run('BGSAVE');
    run('SET b 2');
    // The child has sent its one report (after its first key) while its parent lived.
    engine.advance(60);
    run('SIM CRASH PROCESS');
    engine.advance(60_000);
    run('SIM SET disk-mbps 100');
    run('SIM RESTART');
    expect(keys()).toEqual(['a', 'c']);
    expect(survived()).toEqual(['SET a 1', 'SET c 3']);
    expect(lost()).toEqual(['SET b 2 → after-snapshot']);
  });
});

describe('AOF', () => {
  it('under everysec a process crash loses nothing acknowledged: the page cache survives', () => {
    const { engine, run, report, survived } = lab({ appendonly: 'yes' });
    engine.advance(100);
    run('SET a 1');
    run('MULTI');
    run('INCR n');
    run('INCR n');
    run('EXEC');
    run('SIM CRASH PROCESS');
    run('SIM RESTART');
    expect(survived()).toEqual(['SET a 1', 'INCR n', 'INCR n']);
    expect(report()).toMatchObject({ loadedFrom: 'aof-with-rdb-preamble', acknowledged: 3, lostCount: 0, lossWindowMs: 0 });
    expect(report().files.map((file) => file.name)).toEqual(['appendonlydir/appendonly.aof.1.base.rdb', 'appendonlydir/appendonly.aof.1.incr.aof']);
  });

  it('a write postponed behind a slow fsync was still in aof_buf when the process died', () => {
    const { engine, run, lost, survived } = lab({ appendonly: 'yes' });
    engine.advance(1000);
    run('SIM SET fsync-ms 5000');
    run('SET a 1');
    run('SET b 2');
    run('SIM CRASH PROCESS');
    run('SIM RESTART');
    expect(survived()).toEqual(['SET a 1']);
    expect(lost()).toEqual(['SET b 2 → in-aof-buf']);
  });

  it('a power loss under everysec loses what was only in the page cache', () => {
    const { engine, run, lost, report } = lab({ appendonly: 'yes' });
    engine.advance(1000);
    run('SET a 1'); // a new second: fsynced at once by the background thread
    engine.advance(400);
    run('SET b 2'); // same second: written, not yet fsynced
    run('SIM CRASH POWER');
    run('SIM RESTART');
    expect(lost()).toEqual(['SET b 2 → not-fsynced']);
    expect(report()).toMatchObject({ crash: 'power', lossWindowMs: 0, survivedCount: 1 });
  });

  it('a power loss in the middle of a background fsync leaves half a command; the load cuts it', () => {
    const { engine, run, report, lost, keys, log } = lab({ appendonly: 'yes' });
    engine.advance(1000);
    run('SET small 1');
    engine.advance(1000); // fsynced: the file is durable up to here
    run('SIM SET fsync-ms 1000');
    const durable = engine.disk.sizeOf('appendonlydir/appendonly.aof.1.incr.aof')!;
    run(`SET big ${'x'.repeat(9000)}`); // a new second: one fsync of three pages begins
    engine.advance(400); // a third of the way: one page has reached the platter
    run('SIM CRASH POWER');
    const cut = engine.disk.sizeOf('appendonlydir/appendonly.aof.1.incr.aof')!;
    expect(cut).toBe(4096);
    expect(cut).toBeGreaterThan(durable);
    expect(run('SIM RESTART --aof-load-truncated no')).toEqual(
      err(
        "ERR redis-server did not start: Unexpected end of file reading the append only file appendonly.aof.1.incr.aof. You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.",
      ),
    );
    expect(engine.lastRecovery).toBeNull();
    const from = engine.serverLog.length;
    expect(run('SIM RESTART --aof-load-truncated yes')).toEqual(OK);
    expect(log(from).filter((line) => line.includes('appendonly.aof.1.incr.aof'))).toEqual([
      '4244:M # !!! Warning: short read while loading the AOF file appendonly.aof.1.incr.aof!!!',
      `4244:M # !!! Truncating the AOF appendonly.aof.1.incr.aof at offset ${durable} !!!`,
      '4244:M # AOF appendonly.aof.1.incr.aof loaded anyway because aof-load-truncated is enabled',
      '4244:M * DB loaded from incr file appendonly.aof.1.incr.aof: 0.000 seconds',
      '4244:M * Opening AOF incr file appendonly.aof.1.incr.aof on server start',
    ]);
    expect(engine.disk.sizeOf('appendonlydir/appendonly.aof.1.incr.aof')).toBe(durable);
    expect(keys()).toEqual(['small']);
    expect(lost()).toEqual([`SET big ${'x'.repeat(9000)} → truncated`]);
    expect(report()).toMatchObject({ crash: 'power', acknowledged: 2, survivedCount: 1 });
  });

  it('an acknowledged write that only reached an AOF a restart with appendonly no does not read: the AOF was ignored', () => {
    const { engine, run, lost } = lab({ appendonly: 'yes' });
    engine.advance(100);
    run('SET a 1');
    run('SIM CRASH PROCESS');
    run('SIM RESTART --appendonly no');
    expect(lost()).toEqual(['SET a 1 → aof-ignored']);
  });

  it('CONFIG SET appendonly yes without CONFIG REWRITE: the restart reads dump.rdb and ignores the AOF that holds the later write', () => {
    const { engine, run, lost, survived, report } = lab();
    run('SET a 1');
    run('SAVE');
    run('CONFIG SET appendonly yes');
    engine.advance(1000); // the rewrite makes the first base
    run('SET b 2');
    run('SIM CRASH PROCESS');
    run('SIM RESTART');
    expect(report().loadedFrom).toBe('rdb');
    expect(survived()).toEqual(['SET a 1']);
    expect(lost()).toEqual(['SET b 2 → aof-ignored']);
  });

  it('a write made while a first rewrite runs sits in the temp incr file, which no restart reads before the rewrite ends', () => {
    const { engine, run, lost } = lab();
    run('SET a 1');
    run('SIM SET disk-mbps 0.001');
    run('CONFIG SET appendonly yes');
    run('SET b 2');
    run('SIM CRASH PROCESS');
    run('SIM SET disk-mbps 100');
    run('SIM RESTART --appendonly yes');
    engine.advance(0);
    expect(lost()).toEqual(['SET a 1 → no-persistence', 'SET b 2 → not-loaded']);
  });
});

describe('the appendonly-yes restart trap, and the way out', () => {
  it('restarting with --appendonly yes ignores dump.rdb: what it held was not loaded', () => {
    const { run, lost, report, keys } = lab();
    run('SET precious 1');
    run('SAVE');
    run('SET later 2');
    run('SIM CRASH PROCESS');
    run('SIM RESTART --appendonly yes');
    expect(keys()).toEqual([]);
    expect(lost()).toEqual(['SET precious 1 → rdb-ignored', 'SET later 2 → no-persistence']);
    expect(report().loadedFrom).toBe('none');
  });

  it('CONFIG SET appendonly yes, the rewrite, CONFIG REWRITE, restart: everything comes back', () => {
    const { engine, run, report, keys, log } = lab();
    run('SET precious 1');
    run('CONFIG SET appendonly yes');
    engine.advance(1000); // the rewrite makes the first base
    run('SET later 2');
    const from = engine.serverLog.length;
    expect(run('CONFIG REWRITE')).toEqual(OK);
    expect(log(from)).toEqual(['4242:M # CONFIG REWRITE executed with success.']);
    expect(engine.startupConfigView).toEqual({ save: '', appendonly: 'yes' });
    run('SIM CRASH PROCESS');
    run('SIM RESTART');
    expect(keys()).toEqual(['later', 'precious']);
    expect(report()).toMatchObject({ loadedFrom: 'aof-with-rdb-preamble', acknowledged: 2, survivedCount: 2, lostCount: 0 });
  });
});

describe('CONFIG REWRITE', () => {
  it('updates the directives redis.conf sets, even to their default, and adds only the ones that differ', () => {
    const { engine, run } = lab({ appendfsync: 'always', hz: '10' });
    run('CONFIG SET appendfsync everysec');
    run('CONFIG SET aof-use-rdb-preamble no');
    run('CONFIG SET hz 10');
    run('CONFIG REWRITE');
    expect(Object.entries(engine.startupConfigView)).toEqual([
      ['save', ''],
      ['appendfsync', 'everysec'],
      ['hz', '10'],
      ['aof-use-rdb-preamble', 'no'],
    ]);
    expect(Object.isFrozen(engine.startupConfigView)).toBe(true);
  });

  it('refuses without a configuration file, as redis-server started with options only does', () => {
    const { run } = newLab();
    expect(run('CONFIG REWRITE')).toEqual(err('ERR The server is running without a config file'));
  });
});

describe('the ledger', () => {
  it('counts only writes whose replies were released: a crash before beforeSleep acknowledged nothing', () => {
    const { engine, report } = lab({ appendonly: 'yes' });
    const client = engine.newClient();
    engine.execute(client, ['SET', 'a', '1']);
    engine.beforeSleep();
    engine.execute(client, ['SET', 'b', '2']); // the reply never left: the process dies first
    engine.execute(client, ['SIM', 'CRASH', 'PROCESS']);
    engine.beforeSleep();
    engine.execute(client, ['SIM', 'RESTART']);
    expect(report()).toMatchObject({ acknowledged: 1, survivedCount: 1, lostCount: 0 });
  });

  it('does not count writes that changed nothing, reads, or expiry', () => {
    const { engine, run, report } = lab({ appendonly: 'yes' });
    run('SET a 1 PX 100');
    run('SET a 2 NX');
    run('DEL nothing');
    run('GET a');
    engine.advance(1000); // a expires: a DEL is propagated, but no client wrote it
    run('SIM CRASH PROCESS');
    run('SIM RESTART');
    expect(report()).toMatchObject({ acknowledged: 1, survivedCount: 1 });
  });

  it('opens a new window at each report: the next counts only writes since', () => {
    const { run, report, survived } = lab({ appendonly: 'yes' });
    run('SET a 1');
    run('SIM CRASH PROCESS');
    run('SIM RESTART');
    run('SET b 2');
    run('SIM CRASH PROCESS');
    run('SIM RESTART');
    expect(survived()).toEqual(['SET b 2']);
    expect(report().survived[0]?.seq).toBe(2);
    expect(report().acknowledged).toBe(1);
  });

  it('keeps counts exact and lists bounded', () => {
    const { run, report } = lab();
    for (let i = 0; i < 250; i++) run(`SET k${i} ${i}`);
    run('SAVE');
    for (let i = 0; i < 300; i++) run(`INCR n`);
    run('SIM CRASH PROCESS');
    run('SIM RESTART');
    const { survived, lost, survivedCount, lostCount, acknowledged } = report();
    expect({ acknowledged, survivedCount, lostCount }).toEqual({ acknowledged: 550, survivedCount: 250, lostCount: 300 });
    expect(survived).toHaveLength(REPORT_LIST_LIMIT);
    expect(survived.at(-1)?.argv).toEqual(['SET', 'k249', '249']);
    expect(lost).toHaveLength(REPORT_LIST_LIMIT);
    expect(lost.at(-1)?.seq).toBe(550);
    expect(new Set(lost.map((write) => write.reason))).toEqual(new Set<LossReason>(['after-snapshot']));
  });

  it('counts exactly across writes made in the same millisecond, a transaction, and later ones', () => {
    const { run, report } = lab();
    run('SET a 1');
    run('SET b 2');
    run('MULTI');
    run('SET c 3');
    run('SET d 4');
    run('EXEC'); // two writes, one unit of history
    run('SAVE');
    run('SIM ADVANCE 1000');
    run('SET e 5');
    run('INCR n');
    run('SIM ADVANCE 500');
    run('SET f 6');
    run('SIM ADVANCE 2000');
    run('SIM CRASH PROCESS');
    run('SIM RESTART');
    const { acknowledged, survivedCount, lostCount, lossWindowMs, lost } = report();
    expect({ acknowledged, survivedCount, lostCount }).toEqual({ acknowledged: 7, survivedCount: 4, lostCount: 3 });
    // The oldest lost write, SET e, was acknowledged 2500 ms before the crash.
    expect(lossWindowMs).toBe(2500);
    expect(lost.map((write) => write.argv.join(' '))).toEqual(['SET e 5', 'INCR n', 'SET f 6']);
  });

  it('stays bounded under a long steady write load: counts stay exact, an old write’s time reads at most a second early', () => {
    const { engine, report } = lab();
    const write = runner(engine);
    // One write a millisecond, as the headless server sees under a benchmark: a run of its own each.
    const writes = 3 * RECENT_RUNS_EXACT;
    const saveAfter = 1500;
    let firstLostAtMs = 0;
    for (let i = 0; i < writes; i++) {
      if (i === saveAfter) {
        write('SAVE');
        firstLostAtMs = engine.nowMs;
      }
      write('INCR n');
      engine.advance(1);
    }
    // Older runs merged within their second; the newest RECENT_RUNS_EXACT kept apart.
    expect(engine.ledger.acknowledgedRuns).toBeLessThanOrEqual(2 * RECENT_RUNS_EXACT);
    const crashedAtMs = engine.nowMs;
    write('SIM CRASH PROCESS');
    write('SIM RESTART');
    const { acknowledged, survivedCount, lostCount, lossWindowMs } = report();
    expect({ acknowledged, survivedCount, lostCount }).toEqual({ acknowledged: writes, survivedCount: saveAfter, lostCount: writes - saveAfter });
    // The oldest lost write came right after the SAVE, long before the newest runs.
    expect(lossWindowMs).toBeGreaterThanOrEqual(crashedAtMs - firstLostAtMs);
    expect(lossWindowMs).toBeLessThan(crashedAtMs - firstLostAtMs + 1000);
  });

  it('a crash while the next start is still loading leaves the first crash to report', () => {
    const { engine, run, report } = lab();
    run('DEBUG POPULATE 20000');
    run('SAVE');
    run('SET a 1');
    engine.advance(5000);
    run('SIM CRASH PROCESS');
    const crashedAtMs = engine.nowMs;
    run('SIM SET disk-mbps 0.1');
    run('SIM RESTART');
    engine.advance(100);
    run('SIM CRASH POWER');
    run('SIM SET disk-mbps 100');
    run('SIM RESTART');
    engine.advance(100);
    expect(report()).toMatchObject({ crash: 'power', crashedAtMs, acknowledged: 1, lostCount: 1, lossWindowMs: 5000 });
  });
});

describe('LOADING', () => {
  /** A node restarting on a dump.rdb of 20,000 keys read at 1 MB/s. */
  function slowLoad() {
    const made = lab();
    const { engine, run } = made;
    run('DEBUG POPULATE 20000');
    run('SET a 1');
    run('SAVE');
    run('SIM CRASH PROCESS');
    run('SIM SET disk-mbps 1');
    expect(run('SIM RESTART')).toEqual(OK);
    const size = engine.disk.sizeOf('dump.rdb')!;
    return { ...made, size, loadMs: Math.floor(size / 1000) };
  }

  it('answers -LOADING to every command without the loading flag while the file is read', () => {
    const { engine, run, size, loadMs } = slowLoad();
    expect(loadMs).toBeGreaterThan(300);
    expect(engine.loading).toBe(true);
    for (const line of ['PING', 'GET a', 'DBSIZE', 'SET b 2', 'BGSAVE', 'SAVE', 'BGREWRITEAOF']) expect(run(line)).toEqual(LOADING_ERROR);
    expect(run('ECHO hi')).toEqual({ type: 'bulk', value: 'hi' });
    expect(run('CONFIG GET appendonly')).toEqual({ type: 'array', value: [{ type: 'bulk', value: 'appendonly' }, { type: 'bulk', value: 'no' }] });
    expect(run('SIM TIME').type).toBe('array');
    const client = engine.newClient();
    expect(made(engine.run('MULTI', client))).toEqual(OK);
    expect(made(engine.run('SET b 2', client))).toEqual(LOADING_ERROR);
    expect(made(engine.run('EXEC', client))).toEqual(err('EXECABORT Transaction discarded because of previous errors.'));
    engine.advance(200);
    const info = String(run('INFO persistence').value);
    expect(info).toContain('\r\nloading:1\r\n');
    const start = Math.floor((engine.nowMs - 200) / 1000);
    expect(info.endsWith(
      `module_fork_last_cow_size:0\r\nloading_start_time:${start}\r\nloading_total_bytes:${size}\r\n` +
        `loading_rdb_used_mem:${/loading_rdb_used_mem:(\d+)/.exec(info)![1]}\r\nloading_loaded_bytes:200000\r\n` +
        `loading_loaded_perc:${((200000 / size) * 100).toFixed(2)}\r\nloading_eta_seconds:${Math.floor(engine.nowMs / 1000) === start ? 1 : Math.floor(((Math.floor(engine.nowMs / 1000) - start) * (size - 200000)) / 200001)}\r\n`,
    )).toBe(true);
    expect(Number(/loading_rdb_used_mem:(\d+)/.exec(info)![1])).toBeGreaterThan(0);
    engine.advance(loadMs - 200);
    expect(engine.loading).toBe(false);
    expect(run('GET a')).toEqual({ type: 'bulk', value: '1' });
    expect(String(run('INFO persistence').value)).not.toContain('loading_');
  });

  it('logs the read as it goes: AUX fields at the start, keys and timing when the file has been read', () => {
    const { engine, log, loadMs, report } = slowLoad();
    const from = log().indexOf('4243:M # Server initialized') + 1;
    expect(log(0).slice(from)).toEqual(['4243:M * Loading RDB produced by version 7.0.15', '4243:M * RDB age 0 seconds', expect.stringMatching(/^4243:M \* RDB memory usage when created [\d.]+ Mb$/)]);
    const restartedAtMs = engine.nowMs;
    engine.advance(loadMs);
    expect(log(0).slice(from + 3)).toEqual([
      '4243:M * Done loading RDB, keys loaded: 20001, keys expired: 0.',
      `4243:M * DB loaded from disk: ${(loadMs / 1000).toFixed(3)} seconds`,
      '4243:M * Ready to accept connections',
    ]);
    expect(engine.serverLog.at(-1)).toContain(new Date(restartedAtMs + loadMs).toISOString().slice(11, 23).replace('T', ' '));
    expect(report()).toMatchObject({ restartedAtMs, recoveryMs: loadMs, survivedCount: 1 });
  });

  it('SHUTDOWN while loading never saves the half-loaded dataset', () => {
    const { engine, run } = slowLoad();
    run('CONFIG SET save "60 1"');
    const before = engine.disk.read('dump.rdb');
    run('SHUTDOWN SAVE');
    expect(engine.running).toBe(false);
    expect(Buffer.from(engine.disk.read('dump.rdb')!).equals(Buffer.from(before!))).toBe(true);
    expect(engine.loading).toBe(false);
  });

  it('an AOF load reports each file when it has been read, and stops the node at a corruption when it gets there', () => {
    const { engine, run, log } = lab({ appendonly: 'yes', 'aof-use-rdb-preamble': 'no' });
    for (let i = 0; i < 500; i++) run(`SET key:${i} ${'v'.repeat(100)}`);
    run('BGREWRITEAOF');
    engine.advance(1000);
    for (let i = 0; i < 500; i++) run(`SET key:${i} ${'w'.repeat(100)}`);
    run('SIM CRASH PROCESS');
    const incr = 'appendonlydir/appendonly.aof.2.incr.aof';
    const base = engine.disk.sizeOf('appendonlydir/appendonly.aof.2.base.aof')!;
    const incrSize = engine.disk.sizeOf(incr)!;
    run('SIM SET disk-mbps 0.1');
    run('SIM RESTART');
    const from = log().indexOf('4244:M # Server initialized') + 1;
    engine.advance(Math.floor(base / 100) - 1);
    expect(log().slice(from)).toEqual([]);
    engine.advance(1);
    expect(log().slice(from)).toEqual([`4244:M * DB loaded from base file appendonly.aof.2.base.aof: ${(Math.floor(base / 100) / 1000).toFixed(3)} seconds`]);
    engine.advance(Math.floor((base + incrSize) / 100) - Math.floor(base / 100));
    expect(log().slice(from + 1)).toEqual([
      `4244:M * DB loaded from incr file appendonly.aof.2.incr.aof: ${((Math.floor((base + incrSize) / 100) - Math.floor(base / 100)) / 1000).toFixed(3)} seconds`,
      `4244:M * DB loaded from append only file: ${(Math.floor((base + incrSize) / 100) / 1000).toFixed(3)} seconds`,
      '4244:M * Opening AOF incr file appendonly.aof.2.incr.aof on server start',
      '4244:M * Ready to accept connections',
    ]);
    // Garbage in the middle of the incr file: the node reads up to it, then exits.
    run('SIM CRASH PROCESS');
    const bytes = engine.disk.read(incr)!;
    const garbageAt = bytes.indexOf(0x2a, 2000); // the '*' of a command in the middle
    bytes[garbageAt] = 0x21;
    engine.disk.create(incr, engine.nowMs);
    engine.disk.append(incr, bytes, engine.nowMs);
    run('SIM RESTART');
    engine.advance(Math.floor((base + garbageAt) / 100) - 1);
    expect(engine.running).toBe(true);
    engine.advance(1);
    expect(engine.running).toBe(false);
    expect(engine.startupError).toMatch(/^Bad file format reading the append only file appendonly\.aof\.2\.incr\.aof/);
  });
});

/** The reply of a line run on a given client. */
function made(result: ReturnType<import('../../src/engine/index.ts').Engine['run']>): Reply {
  if (result.kind !== 'reply') throw new Error(result.kind);
  return result.reply;
}

describe('a graceful SHUTDOWN, beside the crashes', () => {
  it('writes and fsyncs aof_buf, so even writes postponed behind a slow fsync survive', () => {
    const { engine, run, log, report } = lab({ appendonly: 'yes' });
    engine.advance(1000);
    run('SIM SET fsync-ms 5000');
    run('SET a 1');
    run('SET b 2'); // postponed in aof_buf: a crash would lose it
    const from = engine.serverLog.length;
    run('SHUTDOWN NOSAVE');
    expect(log(from)).toEqual([
      '4242:M # User requested shutdown...',
      '4242:M * Calling fsync() on the AOF file.',
      '4242:M * Removing the pid file.',
      '4242:M # Redis is now ready to exit, bye bye...',
    ]);
    run('SIM CRASH POWER');
    run('SIM RESTART');
    expect(report()).toMatchObject({ crash: 'power', acknowledged: 2, survivedCount: 2, lostCount: 0 });
  });

  it('kills a running rewrite first, as Redis 7.0.15 logs it', () => {
    const { engine, run, log } = lab({ appendonly: 'yes' });
    run('SET a 1');
    run('SIM SET disk-mbps 0.001');
    run('BGREWRITEAOF');
    const from = engine.serverLog.length;
    run('SHUTDOWN NOSAVE');
    expect(log(from).slice(0, 5)).toEqual([
      '4242:M # User requested shutdown...',
      '4242:M # There is a child rewriting the AOF. Killing it!',
      '4242:M * Killing running AOF rewrite child: 4243',
      `4243:signal-handler (${Math.floor(engine.nowMs / 1000)}) Received SIGUSR1 in child, exiting now.`,
      '4242:M * Calling fsync() on the AOF file.',
    ]);
    expect(engine.disk.list().map((file) => file.name).filter((name) => name.startsWith('temp-'))).toEqual([]);
  });

  it('refuses while the first rewrite of CONFIG SET appendonly yes runs, unless forced', () => {
    const { engine, run, log } = lab();
    run('SET a 1');
    run('SIM SET disk-mbps 0.001');
    run('CONFIG SET appendonly yes');
    expect(run('SHUTDOWN NOSAVE')).toEqual(err('ERR Errors trying to SHUTDOWN. Check logs.'));
    expect(log().slice(-2)).toEqual(["4242:M # Writing initial AOF, can't exit.", '4242:M # Errors trying to shut down the server. Check the logs for more information.']);
    expect(engine.running).toBe(true);
    run('SHUTDOWN NOSAVE FORCE');
    expect(engine.running).toBe(false);
    expect(log()).toContain('4242:M # Writing initial AOF. Exit anyway.');
  });
});

describe('switching the AOF on while a child runs', () => {
  it('kills a BGREWRITEAOF started with the AOF off and starts the first rewrite at once', () => {
    const { engine, run, log } = lab();
    run('SET a 1');
    run('SIM SET disk-mbps 0.001');
    run('BGREWRITEAOF');
    const from = engine.serverLog.length;
    run('CONFIG SET appendonly yes');
    expect(log(from)).toEqual([
      '4242:M # AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now.',
      '4242:M * Killing running AOF rewrite child: 4243',
      `4243:signal-handler (${Math.floor(engine.nowMs / 1000)}) Received SIGUSR1 in child, exiting now.`,
      '4242:M * Creating AOF incr file temp-appendonly.aof.incr on background rewrite',
      '4242:M * Background append only file rewriting started by pid 4244',
    ]);
    run('SIM SET disk-mbps 100');
    engine.advance(600_000);
    expect(engine.aof.state).toBe('on');
  });

  it('schedules the first rewrite behind a BGSAVE, or after the transaction that asked for it', () => {
    const { engine, run, log } = lab();
    run('SIM SET disk-mbps 0.001');
    run('SET a 1');
    run('BGSAVE');
    run('CONFIG SET appendonly yes');
    expect(log().at(-1)).toBe('4242:M # AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.');
    const other = lab();
    const client = other.engine.newClient();
    other.engine.run('MULTI', client);
    other.engine.run('CONFIG SET appendonly yes', client);
    other.engine.run('EXEC', client);
    expect(other.log()).toContain('4242:M # AOF was enabled during a transaction. An AOF background was scheduled to start when possible.');
    other.engine.advance(200);
    expect(other.engine.aof.state).toBe('on');
    expect(engine.aof.rewriteScheduled).toBe(true);
  });
});

describe('a rewrite opening the next incr file', () => {
  it('fsyncs the old one as it closes it (the BIO close job of 7.0.15): a power loss cannot leave a hole before a later incr', () => {
    const { engine, run, keys, report } = lab({ appendonly: 'yes', appendfsync: 'no' });
    run('SET a 1'); // appendfsync no: only in the page cache
    run('SIM SET disk-mbps 0.001');
    run('BGREWRITEAOF');
    const old = engine.disk.list().find((file) => file.name === 'appendonlydir/appendonly.aof.1.incr.aof')!;
    expect(old.durableBytes).toBe(old.sizeBytes);
    run('SIM CRASH POWER');
    run('SIM SET disk-mbps 100');
    run('SIM RESTART');
    expect(keys()).toEqual(['a']);
    expect(report()).toMatchObject({ survivedCount: 1, lostCount: 0 });
  });

  it('an empty incr file is read without a line, as Redis says nothing of an empty file', () => {
    const { engine, run, log } = lab({ appendonly: 'yes' });
    run('SIM CRASH PROCESS');
    const from = engine.serverLog.length;
    run('SIM RESTART');
    expect(log(from).filter((line) => line.includes('DB loaded from'))).toEqual([
      '4243:M * DB loaded from base file appendonly.aof.1.base.rdb: 0.000 seconds',
      '4243:M * DB loaded from append only file: 0.000 seconds',
    ]);
  });
});
