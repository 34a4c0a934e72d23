/**
 * The AOF rewrite's child from the parent's side: the reap reported as an event of its own
 * (`child.reaped`, shared with BGSAVE's child), the child stopped by `CONFIG SET appendonly no`
 * as Redis 7.0.15 does it (its log lines, its temp files, INFO), and the hybrid base written by
 * BGSAVE's fast path with the very bytes the plain codec path gave. The same stop against a real
 * redis-server is in aof-persistence.test.ts.
 */
import { writeRdb } from '../../src/codec/rdb/index.ts';
import type { EngineEvent } from '../../src/engine/index.ts';
import { estimateMemory, SCRIPTS_BYTES, STARTUP_BYTES } from '../../src/engine/memory/usage.ts';
import { respBase } from '../../src/engine/persistence/aof-persistence.ts';
import { snapshotOf } from '../../src/engine/persistence/rdb-persistence.ts';
import { bytesToBin } from '../../src/codec/bytes.ts';
import { lab as newLab, START, withoutTime } from '../support/engine-kit.ts';

/** A lab without save points, its INFO persistence fields, and the events of the types a test follows. */
function lab(config: Record<string, string> = {}) {
  const l = newLab({ config: { save: '', ...config } });
  const info = (field: string) => new RegExp(`\r\n${field}:([^\r]*)`).exec((l.run('INFO persistence') as { value: string }).value)?.[1];
  const names = () => l.engine.disk.list().map((file) => file.name);
  return { ...l, info, names };
}

type Picked = Extract<EngineEvent, { type: 'child.exited' | 'child.reaped' | 'file.deleted' | 'file.renamed' | 'log.line' }>;

/** The events of a process's children and files, with log lines as their text, from index `from` on. */
function childStory(events: readonly EngineEvent[], from = 0): string[] {
  return events
    .slice(from)
    .filter((e): e is Picked => ['child.exited', 'child.reaped', 'file.deleted', 'file.renamed', 'log.line'].includes(e.type))
    .map((e) => {
      switch (e.type) {
        case 'log.line':
          return `log ${withoutTime(e.text)}`;
        case 'child.exited':
          return `exited ${e.pid} code=${e.exitCode} signal=${e.signal}`;
        case 'child.reaped':
          return `reaped ${e.pid} ${e.purpose} ${e.outcome} code=${e.exitCode} signal=${e.signal}`;
        case 'file.deleted':
          return `deleted ${e.name} by ${e.by}`;
        case 'file.renamed':
          return `renamed ${e.from} -> ${e.to} by ${e.by}`;
      }
    });
}

describe('the parent reaps its child: one child.reaped event for BGSAVE and the AOF rewrite', () => {
  it('BGSAVE: reaped at the next cron tick, before the parent logs the result', () => {
    const { engine, run, events } = lab();
    run('DEBUG POPULATE 100');
    run('BGSAVE');
    engine.advance(1000);
    expect(childStory(events).filter((line) => !line.startsWith('log 4243:C'))).toEqual([
      'log 4242:M * Background saving started by pid 4243',
      'renamed temp-4243.rdb -> dump.rdb by 4243',
      'exited 4243 code=0 signal=null',
      'reaped 4243 rdb ok code=0 signal=null',
      'log 4242:M * Background saving terminated with success',
    ]);
    const reaped = events.find((e) => e.type === 'child.reaped');
    const exited = events.find((e) => e.type === 'child.exited');
    expect(reaped?.atMs).toBe(Math.floor((exited!.atMs - START) / 100) * 100 + 100 + START);
    // bgsave.finished still closes BGSAVE's reap, for its own listeners.
    expect(events.findIndex((e) => e.type === 'bgsave.finished')).toBeGreaterThan(events.indexOf(reaped!));
  });

  it('a rewrite that succeeds: reaped ok before the parent installs the base', () => {
    const { engine, run, events } = lab({ appendonly: 'yes' });
    run('SET a 1');
    const from = events.length;
    run('BGREWRITEAOF');
    engine.advance(1000);
    expect(childStory(events, from).filter((line) => !line.startsWith('log 4243:C'))).toEqual([
      'renamed appendonlydir/temp-appendonly.aof.manifest -> appendonlydir/appendonly.aof.manifest by 4242',
      'log 4242:M * Creating AOF incr file appendonly.aof.2.incr.aof on background rewrite',
      'log 4242:M * Background append only file rewriting started by pid 4243',
      'renamed temp-rewriteaof-4243.aof -> temp-rewriteaof-bg-4243.aof by 4243',
      'exited 4243 code=0 signal=null',
      'reaped 4243 aof-rewrite ok code=0 signal=null',
      'log 4242:M * Background AOF rewrite terminated with success',
      'renamed temp-rewriteaof-bg-4243.aof -> appendonlydir/appendonly.aof.2.base.rdb by 4242',
      'log 4242:M * Successfully renamed the temporary AOF base file temp-rewriteaof-bg-4243.aof into appendonly.aof.2.base.rdb',
      'renamed appendonlydir/temp-appendonly.aof.manifest -> appendonlydir/appendonly.aof.manifest by 4242',
      // History is listed newest first, as on 7.0.15.
      'log 4242:M * Removing the history file appendonly.aof.1.incr.aof in the background',
      'log 4242:M * Removing the history file appendonly.aof.1.base.rdb in the background',
      'deleted appendonlydir/appendonly.aof.1.incr.aof by 4242',
      'deleted appendonlydir/appendonly.aof.1.base.rdb by 4242',
      'renamed appendonlydir/temp-appendonly.aof.manifest -> appendonlydir/appendonly.aof.manifest by 4242',
      'log 4242:M * Background AOF rewrite finished successfully',
    ]);
  });

  it('a rewrite child killed by SIGKILL, or failing on a full disk: reaped as failed, with how it ended', () => {
    const killed = lab({ appendonly: 'yes' });
    killed.run('DEBUG POPULATE 1000');
    killed.run('SIM SET disk-mbps 0.001');
    killed.run('BGREWRITEAOF');
    killed.run('SIM KILLCHILD');
    killed.engine.advance(100);
    expect(childStory(killed.events).filter((line) => /exited|reaped/.test(line))).toEqual([
      'exited 4243 code=null signal=9',
      'reaped 4243 aof-rewrite failed code=null signal=9',
    ]);

    const full = lab({ appendonly: 'yes' });
    full.run('DEBUG POPULATE 1000');
    full.run('SIM SET disk-mbps 0.01');
    full.run('BGREWRITEAOF');
    full.run('SIM DISK FULL');
    full.engine.advance(1000);
    expect(childStory(full.events).filter((line) => /exited|reaped|terminated/.test(line))).toEqual([
      'exited 4243 code=1 signal=null',
      'reaped 4243 aof-rewrite failed code=1 signal=null',
      'log 4242:M # Background AOF rewrite terminated with error',
    ]);
  });
  it('a failed rewrite still gets its length in INFO, in whole unix seconds, and no CoW figure (as on 7.0.15)', () => {
    const { engine, run, info } = lab({ appendonly: 'yes' });
    run('DEBUG POPULATE 1000');
    run('SIM SET disk-mbps 0.001');
    run('SIM ADVANCE 700'); // the rewrite starts at .700 of a second
    run('BGREWRITEAOF');
    run('SIM ADVANCE 1500');
    expect(info('aof_current_rewrite_time_sec')).toBe('2'); // .700 to 2.200: two seconds ticked over
    run('SET key:1 touched'); // a page copied: the CoW figure a success would report
    expect(engine.pages.cowBytes).toBeGreaterThan(0);
    run('SIM KILLCHILD');
    engine.advance(100);
    expect(info('aof_last_bgrewrite_status')).toBe('err');
    expect(info('aof_last_rewrite_time_sec')).toBe('2');
    expect(info('aof_current_rewrite_time_sec')).toBe('-1');
    expect(info('aof_last_cow_size')).toBe('0');
  });
});

describe('CONFIG SET appendonly no while the rewrite child runs (as Redis 7.0.15 does it)', () => {
  it('kills the child with SIGUSR1, waits for it there and then, and removes its temp file; nothing counts as a failure', () => {
    const { engine, run, events, log, info, names } = lab({ appendonly: 'yes' });
    run('DEBUG POPULATE 2000');
    run('SIM SET disk-mbps 0.01');
    run('BGREWRITEAOF');
    engine.advance(500);
    expect(names()).toContain('temp-rewriteaof-4243.aof');
    expect(info('aof_rewrite_in_progress')).toBe('1');
    const fromLog = engine.serverLog.length;
    const fromEvent = events.length;
    run('CONFIG SET appendonly no');
    const second = Math.floor(engine.nowMs / 1000);
    expect(log(fromLog)).toEqual([
      '4242:M * Killing running AOF rewrite child: 4243',
      `4243:signal-handler (${second}) Received SIGUSR1 in child, exiting now.`,
    ]);
    // The child exits 255 (SERVER_CHILD_NOERROR_RETVAL), reaped at once; then its file goes.
    expect(childStory(events, fromEvent)).toEqual([
      'log 4242:M * Killing running AOF rewrite child: 4243',
      `log 4243:signal-handler (${second}) Received SIGUSR1 in child, exiting now.`,
      'exited 4243 code=255 signal=null',
      'reaped 4243 aof-rewrite stopped code=255 signal=null',
      'deleted temp-rewriteaof-4243.aof by 4242',
    ]);
    expect(engine.aof.child).toBeNull();
    expect(engine.pages.fork).toBeNull();
    // The AOF's own files stay as they were: the manifest still names base 1, incr 1 and incr 2.
    expect(names()).toEqual([
      'appendonlydir/appendonly.aof.1.base.rdb',
      'appendonlydir/appendonly.aof.1.incr.aof',
      'appendonlydir/appendonly.aof.2.incr.aof',
      'appendonlydir/appendonly.aof.manifest',
    ]);
    expect(
      ['aof_enabled', 'aof_rewrite_in_progress', 'aof_rewrite_scheduled', 'aof_last_rewrite_time_sec', 'aof_current_rewrite_time_sec', 'aof_last_bgrewrite_status', 'aof_rewrites', 'aof_rewrites_consecutive_failures', 'current_cow_size', 'current_save_keys_total', 'aof_current_size'].map(
        (field) => `${field}:${info(field)}`,
      ),
    ).toEqual([
      'aof_enabled:0',
      'aof_rewrite_in_progress:0',
      'aof_rewrite_scheduled:0',
      'aof_last_rewrite_time_sec:-1',
      'aof_current_rewrite_time_sec:-1',
      'aof_last_bgrewrite_status:ok',
      'aof_rewrites:1',
      'aof_rewrites_consecutive_failures:0',
      'current_cow_size:0',
      'current_save_keys_total:0',
      // Printed only while the AOF is on.
      'aof_current_size:undefined',
    ]);
    // No done handler runs later: the parent has nothing left to reap.
    const settled = engine.serverLog.length;
    engine.advance(60_000);
    expect(log(settled).filter((line) => line.includes('AOF'))).toEqual([]);
    expect(info('aof_last_bgrewrite_status')).toBe('ok');
  });

  it('the first rewrite (CONFIG SET appendonly yes, then no): the same lines; the temp incr file stays, and no rewrite is retried', () => {
    const { engine, run, log, names, info } = lab();
    run('DEBUG POPULATE 2000');
    run('SIM SET disk-mbps 0.01');
    run('CONFIG SET appendonly yes');
    run('SET during 1');
    const from = engine.serverLog.length;
    run('CONFIG SET appendonly no');
    expect(log(from)).toEqual([
      '4242:M * Killing running AOF rewrite child: 4243',
      `4243:signal-handler (${Math.floor(engine.nowMs / 1000)}) Received SIGUSR1 in child, exiting now.`,
    ]);
    expect(names()).toEqual(['appendonlydir/temp-appendonly.aof.incr']);
    engine.advance(60_000);
    expect(engine.rdb.totalForks).toBe(1);
    expect(info('aof_rewrite_scheduled')).toBe('0');
  });

  it('a child that already finished its file but is not reaped yet: no SIGUSR1 line, its finished file removed, reaped as stopped with its own exit', () => {
    const { engine, run, events, log, names } = lab({ appendonly: 'yes' });
    run('DEBUG POPULATE 100');
    run('SIM SET disk-mbps 0.003');
    run('BGREWRITEAOF');
    const child = engine.aof.child!;
    // 3 bytes a millisecond: the child is done between two cron ticks.
    const doneAtMs = child.doneAtMs();
    expect((doneAtMs - START) % 100).not.toBe(0);
    engine.advance(doneAtMs - engine.nowMs);
    expect(child.exit).toMatchObject({ code: 0 });
    expect(engine.aof.child).toBe(child);
    expect(names()).toContain('temp-rewriteaof-bg-4243.aof');
    const fromLog = engine.serverLog.length;
    const fromEvent = events.length;
    run('CONFIG SET appendonly no');
    expect(log(fromLog)).toEqual(['4242:M * Killing running AOF rewrite child: 4243']);
    expect(childStory(events, fromEvent)).toEqual([
      'log 4242:M * Killing running AOF rewrite child: 4243',
      'reaped 4243 aof-rewrite stopped code=0 signal=null',
      'deleted temp-rewriteaof-bg-4243.aof by 4242',
    ]);
    expect(names().filter((name) => name.startsWith('temp-'))).toEqual([]);
  });

  it('SHUTDOWN stops the child the same way', () => {
    const { run, events } = lab({ appendonly: 'yes' });
    run('DEBUG POPULATE 2000');
    run('SIM SET disk-mbps 0.01');
    run('BGREWRITEAOF');
    run('SHUTDOWN NOSAVE');
    expect(childStory(events).filter((line) => /exited|reaped|deleted/.test(line))).toEqual([
      'exited 4243 code=255 signal=null',
      'reaped 4243 aof-rewrite stopped code=255 signal=null',
      'deleted temp-rewriteaof-4243.aof by 4242',
    ]);
  });
});

describe("the hybrid base's RDB preamble is written as BGSAVE writes its snapshot", () => {
  /** Every type and encoding, expiries, a key expired but not yet removed, three databases. */
  const LINES = [
    'SET s hello',
    'SET n 12345',
    'SET neg -7',
    `SET long ${'abc'.repeat(200)}`,
    'SET t v PX 100000',
    'RPUSH l a b 3',
    `RPUSH biglist ${Array.from({ length: 300 }, (_, i) => `item-${i}`).join(' ')}`,
    'HSET h f v n 1',
    `HSET bighash ${Array.from({ length: 600 }, (_, i) => `f${i} v${i}`).join(' ')}`,
    'SADD ints 1 2 3',
    'SADD words a b',
    `SADD bigset ${Array.from({ length: 600 }, (_, i) => `m${i}`).join(' ')}`,
    'ZADD z 1 m 2.5 n -3 o',
    `ZADD bigz ${Array.from({ length: 200 }, (_, i) => `${i / 3} z${i}`).join(' ')}`,
    'SET dead x',
    'SELECT 4',
    'SET four 4 EX 60',
    'LPUSH l4 x',
    'SELECT 15',
    'HSET h15 a b',
    'SELECT 0',
  ];

  for (const [rdbcompression, rdbchecksum] of [['yes', 'yes'], ['no', 'yes'], ['yes', 'no'], ['no', 'no']] as const) {
    it(`is byte for byte writeRdb(snapshotOf(…)) with aof-base (rdbcompression ${rdbcompression}, rdbchecksum ${rdbchecksum})`, () => {
      const { engine, run } = lab({ appendonly: 'yes', rdbcompression, rdbchecksum });
      // The base made at the start: an empty dataset, on a node with no client connected yet.
      const startOptions = {
        ctime: Math.floor(START / 1000),
        usedMem: STARTUP_BYTES + SCRIPTS_BYTES,
        rdbcompression: rdbcompression === 'yes',
        rdbchecksum: rdbchecksum === 'yes',
        aofBase: true,
      };
      expect(engine.disk.read('appendonlydir/appendonly.aof.1.base.rdb')).toEqual(writeRdb({ dbs: [] }, startOptions));
      engine.advance(1500);
      for (const line of LINES) run(line);
      engine.dbs[0]!.expires.set('dead', engine.nowMs - 1);
      const options = { ...startOptions, ctime: Math.floor(engine.nowMs / 1000), usedMem: estimateMemory(engine).used };
      const expected = writeRdb(snapshotOf(engine), options);
      run('BGREWRITEAOF');
      engine.advance(2000);
      expect(engine.aof.lastBgrewriteStatus).toBe('ok');
      expect(engine.disk.read('appendonlydir/appendonly.aof.2.base.rdb')).toEqual(expected);
    });
  }

  it('a RESP base (aof-use-rdb-preamble no) is still respBase(snapshotOf(…))', () => {
    const { engine, run } = lab({ appendonly: 'yes', 'aof-use-rdb-preamble': 'no' });
    for (const line of LINES) run(line);
    const expected = respBase(snapshotOf(engine));
    run('BGREWRITEAOF');
    engine.advance(2000);
    expect(bytesToBin(engine.disk.read('appendonlydir/appendonly.aof.2.base.aof')!)).toBe(expected);
  });
});
