/**
 * Crashes and restarts: what a process crash and a power loss leave behind, the orphaned BGSAVE
 * child, and the restart along Redis's load path (reference §1.6, §3.6, §3.9, §3.11).
 */
import { lab as newLab } from '../support/engine-kit.ts';

const NOT_RUNNING = { type: 'error', value: 'ERR The server is not running (see the server log)' };

/** A lab without save points whose `run` connects anew for each line: a crash closes every connection. */
function lab(config: Record<string, string> = {}) {
  const { engine, run, log } = newLab({ config: { save: '', ...config } });
  const keys = () => engine.dbs.flatMap((db) => [...db.data.keys()]).sort();
  return { engine, run: (line: string) => run(line, engine.newClient()), keys, log };
}

describe('a process crash', () => {
  it('loses what was in memory; RDB only brings back the last snapshot', () => {
    const { engine, run, keys } = lab();
    run('SET saved 1');
    run('SAVE');
    run('SET unsaved 2');
    expect(run('SIM CRASH PROCESS')).toEqual({ type: 'status', value: 'OK' });
    expect(engine.running).toBe(false);
    expect(run('GET saved')).toEqual(NOT_RUNNING);
    expect(run('SIM RESTART')).toEqual({ type: 'status', value: 'OK' });
    expect(keys()).toEqual(['saved']);
    expect(engine.pid).toBe(4243);
  });

  it('keeps every acknowledged write under appendfsync everysec: the page cache survives', () => {
    const { engine, run, keys } = lab();
    run('CONFIG SET appendonly yes');
    engine.advance(100);
    run('SET a 1');
    run('SET b 2');
    run('SIM CRASH PROCESS');
    run('SIM RESTART --appendonly yes');
    expect(keys()).toEqual(['a', 'b']);
  });

  it('loses what still sat in aof_buf (a write postponed behind a slow fsync)', () => {
    const { engine, run, keys } = lab();
    run('CONFIG SET appendonly yes');
    engine.advance(1000);
    run('SIM SET fsync-ms 5000');
    run('SET a 1');
    run('SET b 2'); // acknowledged, but postponed in aof_buf
    run('SIM CRASH PROCESS');
    run('SIM RESTART --appendonly yes');
    expect(keys()).toEqual(['a']);
  });

  it('an orphaned BGSAVE child with few keys finishes and renames dump.rdb, then fails to report', () => {
    const { engine, run, keys, log } = lab();
    run('SET a 1');
    run('SET c 3');
    run('SIM SET disk-mbps 0.001');
    run('BGSAVE');
    // Its one report, after its first key, reached the parent; no other is due before its end.
    engine.advance(60);
    run('SIM CRASH PROCESS');
    engine.advance(60_000);
    expect(log().slice(-3)).toEqual([
      '4243:C * DB saved on disk',
      '4243:C * Fork CoW for RDB: current 0 MB, peak 0 MB, average 0 MB',
      '4243:C # Child failed reporting info to parent, exiting. Broken pipe',
    ]);
    run('SIM RESTART');
    // The restarted node reads dump.rdb at the same slow disk speed before it has the keys.
    engine.advance(1000);
    expect(keys()).toEqual(['a', 'c']);
  });

  it('an orphaned child whose parent died before its first key was saved exits at its first report, before its rename', () => {
    // As on a real server slowed by rdb-key-save-delay: the report after key 1 is the first to fail.
    const { engine, run, log } = lab();
    run('SET a 1');
    run('SIM SET disk-mbps 0.001');
    run('BGSAVE');
    run('SIM CRASH PROCESS');
    engine.advance(60_000);
    expect(log().slice(-1)).toEqual(['4243:C # Child failed reporting info to parent, exiting. Broken pipe']);
    expect(engine.disk.list().map((file) => file.name)).toEqual(['temp-4243.rdb']);
  });

  it('an orphaned child that reports progress first exits before its rename and leaves temp-<pid>.rdb', () => {
    const { engine, run } = lab();
    run('DEBUG POPULATE 5000');
    run('SIM SET disk-mbps 0.01');
    run('BGSAVE');
    engine.advance(2000);
    run('SIM CRASH PROCESS');
    engine.advance(600_000);
    expect(engine.serverLog.at(-1)).toMatch(/^4243:C .* # Child failed reporting info to parent, exiting\. Broken pipe$/);
    expect(engine.disk.list().map((file) => file.name)).toEqual(['temp-4243.rdb']);
  });
});

describe('a power loss', () => {
  it('keeps only what was fsynced: everysec loses the last second, always loses nothing acknowledged', () => {
    for (const [policy, survivors] of [
      ['everysec', ['a']],
      ['always', ['a', 'b']],
    ] as const) {
      const { engine, run, keys } = lab({ appendfsync: policy });
      run('CONFIG SET appendonly yes');
      engine.advance(1000);
      run('SET a 1'); // a new second: fsynced by the background thread 2 ms later
      engine.advance(10);
      run('SET b 2'); // same second: written, not yet fsynced under everysec
      run('SIM CRASH POWER');
      run(`SIM RESTART --appendonly yes --appendfsync ${policy}`);
      expect(keys()).toEqual(survivors);
    }
  });

  it('takes a renamed dump.rdb back to the old one when the directory was not yet synced', () => {
    const { engine, run } = lab();
    run('SET a 1');
    run('SAVE');
    const durable = engine.disk.list();
    expect(durable.every((file) => file.nameDurable && file.durableBytes === file.sizeBytes)).toBe(true);
    run('SIM CRASH POWER');
    expect(engine.disk.list()).toEqual(durable);
  });
});

describe('restart', () => {
  it('with appendonly yes ignores dump.rdb and starts empty: the restart trap', () => {
    const { run, keys, log } = lab();
    run('SET precious 1');
    run('SAVE');
    run('SHUTDOWN NOSAVE');
    run('SIM RESTART --appendonly yes');
    expect(keys()).toEqual([]);
    expect(log()).toContain('4243:M * Creating AOF base file appendonly.aof.1.base.rdb on server start');
  });

  it('refuses directives it does not model, and values Redis would refuse', () => {
    const { run } = lab();
    run('SIM CRASH PROCESS');
    expect(run('SIM RESTART --maxmemory 1mb')).toEqual({ type: 'error', value: "ERR 'maxmemory' is not a directive the lab models" });
    expect(run('SIM RESTART --appendfsync sometimes').type).toBe('error');
    expect(run('SIM RESTART --save 60 1000 --appendfsync always')).toEqual({ type: 'status', value: 'OK' });
    expect(run('CONFIG GET save')).toEqual({ type: 'array', value: [{ type: 'bulk', value: 'save' }, { type: 'bulk', value: '60 1000' }] });
    expect(run('SIM RESTART').type).toBe('error');
  });

  it('DEBUG SEGFAULT crashes the process with the start of a crash report', () => {
    const { engine, run } = lab();
    run('DEBUG SEGFAULT');
    expect(engine.running).toBe(false);
    expect(engine.serverLog.slice(-3)).toEqual([
      '\n\n=== REDIS BUG REPORT START: Cut & paste starting from here ===',
      expect.stringMatching(/^4242:M .* # Redis 7\.0\.15 crashed by signal: 11, si_code: 2$/),
      '=== REDIS BUG REPORT END. Make sure to include from START to END. ===',
    ]);
  });
});
