/**
 * Lesson 7's table, held to the lab: each cell that states a fact about a setup is checked here on
 * the engine, with that setup's redis.conf, the same writes and the same crash. The setups are
 * those of Compare policies (the AOF columns log plain commands; "RDB + AOF" is the hybrid one,
 * save points on and an RDB base), plus no persistence at all. A claim's English words are
 * matched too, so a cell cannot drift away from what is measured under it.
 */
import { Engine, type EngineEvent, type RecoveryReport } from '../../src/engine/index.ts';
import { COMPARE_POLICIES, sampleScenario, type ComparePolicyId } from '../../src/store/compare.ts';
import choosing from '../../src/lessons/builtin/choosing.json';
import en from '../../locales/en/lessons.json';
import ar from '../../locales/ar/lessons.json';

const SETUPS = ['none', 'rdb', 'everysec', 'always', 'both'] as const;
type Setup = (typeof SETUPS)[number];
const ROWS = ['powerCut', 'processCrash', 'restart', 'disk', 'cost', 'backups', 'goodFor'] as const;
type Row = (typeof ROWS)[number];

const policyConfig = (id: ComparePolicyId): Record<string, string> => ({ ...COMPARE_POLICIES.find((policy) => policy.id === id)?.config });
const CONFIG: Record<Setup, Record<string, string>> = {
  none: { appendonly: 'no', save: '' },
  rdb: policyConfig('rdb'),
  everysec: policyConfig('aof-everysec'),
  always: policyConfig('aof-always'),
  both: policyConfig('hybrid'),
};

const START_MS = Date.UTC(2026, 0, 1, 9, 0, 0);
const table = choosing.steps.at(-1)?.table;
const cells = en.lessons.choosing.table.rows;
const says = (row: Row, setup: Setup): string => cells[row][setup];

interface Run {
  readonly engine: Engine;
  readonly events: EngineEvent[];
  run(line: string): void;
  at(ms: number): void;
}

function start(setup: Setup, { fsyncMs = 0, diskMbps }: { fsyncMs?: number; diskMbps?: number } = {}): Run {
  const engine = new Engine({ epochMs: START_MS, seed: 7, config: CONFIG[setup], configFile: true });
  const events: EngineEvent[] = [];
  engine.subscribe((event) => events.push(event), ['file.written', 'file.fsynced', 'file.renamed', 'fork.started']);
  const client = engine.newClient();
  const run = (line: string): void => void engine.run(line, client);
  run(`SIM SET fsync-ms ${fsyncMs}`);
  if (diskMbps !== undefined) run(`SIM SET disk-mbps ${diskMbps}`);
  return { engine, events, run, at: (ms) => engine.advanceTo(START_MS + ms) };
}

function crashAndRestart({ engine }: Run, crash: 'process' | 'power'): RecoveryReport {
  engine.crash(crash);
  engine.restart();
  // A load reads at the disk's speed: the report comes when it is done.
  for (let waited = 0; engine.lastRecovery === null && waited < 600_000; waited += 1000) engine.advance(1000);
  const report = engine.lastRecovery;
  if (report === null) throw new Error(`no recovery report: ${engine.startupError}`);
  return report;
}

/** Compare mode's sample workload: a shop's writes over 45 s, a snapshot at about 30 s (save 30 1). */
function sample(setup: Setup, crash: 'process' | 'power', fsyncMs = 0): RecoveryReport {
  const scenario = sampleScenario(START_MS);
  const lab = start(setup, { fsyncMs });
  for (const { atMs, line } of scenario.lines) {
    lab.engine.advanceTo(atMs);
    lab.run(line);
  }
  lab.engine.advanceTo(scenario.crashAtMs);
  return crashAndRestart(lab, crash);
}

/** A write every 90 ms, crashed at every 70 ms from 5 s to 9 s: the widest loss window seen. */
function widestLoss(setup: Setup, crash: 'process' | 'power', fsyncMs: number): { windowMs: number; lost: number } {
  let windowMs = 0;
  let lost = 0;
  for (let crashAtMs = 5000; crashAtMs < 9000; crashAtMs += 70) {
    const lab = start(setup, { fsyncMs });
    for (let t = 0, i = 0; t < crashAtMs; t += 90, i++) {
      lab.at(t);
      lab.run(`SET k:${i} v`);
    }
    lab.at(crashAtMs);
    const report = crashAndRestart(lab, crash);
    windowMs = Math.max(windowMs, report.lossWindowMs);
    lost = Math.max(lost, report.lostCount);
  }
  return { windowMs, lost };
}

/** The files on disk, by name. */
const fileNames = ({ engine }: Run): string[] => engine.disk.list().map((file) => file.name);
const sizeOf = ({ engine }: Run, name: string): number => engine.disk.sizeOf(name) ?? 0;

describe('lesson 7’s table', () => {
  test('is laid out as this file checks it: five setups, seven rows, one key per cell', () => {
    expect(table?.columns).toEqual(SETUPS.map((setup) => `lessons.choosing.table.columns.${setup}`));
    expect(table?.rows.map((row) => row.heading)).toEqual(ROWS.map((row) => `lessons.choosing.table.rows.${row}.heading`));
    for (const [index, row] of (table?.rows ?? []).entries()) expect(row.cells).toEqual(SETUPS.map((setup) => `lessons.choosing.table.rows.${ROWS[index]}.${setup}`));
    // The same keys in Arabic, row by row.
    for (const row of ROWS) expect(Object.keys(ar.lessons.choosing.table.rows[row]).sort()).toEqual(Object.keys(cells[row]).sort());
  });
});

describe('what a crash loses, in the lab', () => {
  test('no persistence: everything, whichever the crash', () => {
    expect(says('powerCut', 'none')).toBe('everything');
    expect(says('processCrash', 'none')).toBe('everything');
    for (const crash of ['process', 'power'] as const) {
      const report = sample('none', crash);
      expect(report.acknowledged).toBeGreaterThan(0);
      expect(report.lostCount).toBe(report.acknowledged);
      expect(report.loadedFrom).toBe('none');
    }
  });

  test('RDB only: every write since the last completed snapshot\'s fork, whichever the crash', () => {
    for (const row of ['powerCut', 'processCrash'] as const) expect(says(row, 'rdb')).toMatch(/since the last completed snapshot's `fork\(\)`/);
    for (const crash of ['process', 'power'] as const) {
      const report = sample('rdb', crash);
      expect(report.survivedCount).toBeGreaterThan(0);
      expect(report.lostCount).toBeGreaterThan(0);
      expect(new Set(report.lost.map((write) => write.reason))).toEqual(new Set(['after-snapshot']));
    }
  });

  test('AOF always: nothing acknowledged, even on a slow disk', () => {
    for (const row of ['powerCut', 'processCrash'] as const) expect(says(row, 'always')).toBe('nothing acknowledged');
    for (const crash of ['process', 'power'] as const) {
      expect(sample('always', crash).lostCount).toBe(0);
      expect(widestLoss('always', crash, 3000).lost).toBe(0);
    }
  });

  test.each(['everysec', 'both'] as const)('%s: a power cut, about 1 s of writes; more when the disk lags', (setup) => {
    expect(says('powerCut', setup)).toBe('about 1 s of writes (more if the disk lags)');
    expect(sample(setup, 'power').lostCount).toBeGreaterThan(0);
    const quick = widestLoss(setup, 'power', 0);
    expect(quick.windowMs).toBeGreaterThan(500);
    expect(quick.windowMs).toBeLessThanOrEqual(1000);
    // An fsync that takes 3 s: what is not yet on the disk reaches further back than 2 s.
    expect(widestLoss(setup, 'power', 3000).windowMs).toBeGreaterThan(2000);
  });

  test.each(['everysec', 'both'] as const)('%s: a process crash, nothing acknowledged; up to 2 s when the disk lags', (setup) => {
    expect(says('processCrash', setup)).toBe('nothing acknowledged (up to 2 s if the disk lags)');
    expect(sample(setup, 'process').lostCount).toBe(0);
    expect(widestLoss(setup, 'process', 0).lost).toBe(0);
    // The disk busy with the last fsync: writes wait in aof_buf, at most 2 s (checked each 100 ms cron tick).
    const slow = widestLoss(setup, 'process', 3000);
    expect(slow.lost).toBeGreaterThan(0);
    expect(slow.windowMs).toBeGreaterThan(1500);
    expect(slow.windowMs).toBeLessThanOrEqual(2100);
    expect(new Set(sample(setup, 'process', 3000).lost.map((write) => write.reason))).toEqual(new Set(['in-aof-buf']));
  });
});

describe('what each setup is good for, in the lab', () => {
  test('each example asks no more than its column keeps', () => {
    expect(says('goodFor', 'none')).toBe('a cache you can refill from the main database');
    expect(sample('none', 'process').loadedFrom).toBe('none');

    // A cache that comes back with its last snapshot, not empty.
    expect(says('goodFor', 'rdb')).toMatch(/^a cache that should not restart empty; /);
    const rdb = sample('rdb', 'power');
    expect(rdb.loadedFrom).toBe('rdb');
    expect(rdb.survivedCount).toBeGreaterThan(0);

    // Sessions or a cart: a power cut takes writes, but at most about the last second of them.
    expect(says('goodFor', 'everysec')).toBe('sessions or a shopping cart, where losing about a second is tolerable');
    const everysec = sample('everysec', 'power');
    expect(everysec.lostCount).toBeGreaterThan(0);
    expect(everysec.lossWindowMs).toBeLessThanOrEqual(1000);

    // Payments: no acknowledged write vanishes, whichever the crash.
    expect(says('goodFor', 'always')).toMatch(/^payments, where an acknowledged write must never vanish, if every write can wait for the disk; /);
    for (const crash of ['process', 'power'] as const) expect(sample('always', crash).lostCount).toBe(0);

    // The same losses as AOF everysec; dump.rdb is there too (checked under backups).
    expect(says('goodFor', 'both')).toBe('the same as AOF `everysec`, plus `dump.rdb` for backups: what Redis recommends');
    const both = sample('both', 'power');
    expect(both.lostCount).toBe(everysec.lostCount);
    expect(both.lossWindowMs).toBeLessThanOrEqual(1000);
  });
});

describe('what a restart reads, in the lab', () => {
  /** 2,000 keys, then the crash and restart from a disk read at 1 MB/s. */
  function restartAfterWrites(setup: Setup, rewrite: boolean): { report: RecoveryReport; lab: Run } {
    const lab = start(setup, { diskMbps: 1 });
    for (let i = 0; i < 2000; i++) lab.run(`SET user:${i} ${'x'.repeat(40)}`);
    lab.at(1000);
    if (setup === 'rdb') lab.run('SAVE');
    if (rewrite) lab.run('BGREWRITEAOF');
    lab.at(60_000);
    lab.run('SET last 1');
    lab.at(60_100);
    return { report: crashAndRestart(lab, 'process'), lab };
  }

  test('each setup reads the file its cell names; dump.rdb is the fastest load', () => {
    expect(says('restart', 'none')).toBe('nothing: it starts empty');
    const none = restartAfterWrites('none', false).report;
    expect(none).toMatchObject({ loadedFrom: 'none', files: [] });

    expect(says('restart', 'rdb')).toMatch(/^`dump\.rdb`: the fastest load$/);
    const rdb = restartAfterWrites('rdb', false).report;
    expect(rdb.loadedFrom).toBe('rdb');
    expect(rdb.files.map((file) => file.name)).toEqual(['dump.rdb']);

    for (const setup of ['everysec', 'always'] as const) {
      expect(says('restart', setup)).toBe('the AOF, replayed command by command');
      // Even right after a rewrite, the base is commands (aof-use-rdb-preamble no) and reads slower than dump.rdb.
      for (const rewrite of [false, true]) {
        const aof = restartAfterWrites(setup, rewrite).report;
        expect(aof.loadedFrom).toBe('aof');
        expect(aof.files.every((file) => file.name.startsWith('appendonlydir/'))).toBe(true);
        expect(aof.recoveryMs).toBeGreaterThan(rdb.recoveryMs);
      }
    }
  });

  test('RDB + AOF: only the AOF, an RDB base and then the latest commands; dump.rdb, there too, is not read', () => {
    expect(says('restart', 'both')).toBe('only the AOF: an RDB base, then the latest commands');
    const { report, lab } = restartAfterWrites('both', true);
    expect(report.loadedFrom).toBe('aof-with-rdb-preamble');
    expect(report.files.map((file) => file.name)).toEqual(['appendonlydir/appendonly.aof.2.base.rdb', 'appendonlydir/appendonly.aof.2.incr.aof']);
    expect(fileNames(lab)).toContain('dump.rdb');
    // The RDB base loads faster than the same dataset logged as commands.
    expect(report.recoveryMs).toBeLessThan(restartAfterWrites('everysec', true).report.recoveryMs);
  });
});

describe('what is on disk, in the lab', () => {
  /** The same 300 keys, each written three times. */
  function writeRepeatedly(lab: Run): void {
    for (let round = 0; round < 3; round++) for (let i = 0; i < 300; i++) lab.run(`SET user:${i} round-${round}`);
    lab.at(2000);
  }

  test('no persistence: nothing; RDB only: one compact file', () => {
    expect(says('disk', 'none')).toBe('nothing');
    const none = start('none');
    writeRepeatedly(none);
    none.run('SIM ADVANCE 60000');
    expect(fileNames(none)).toEqual([]);

    expect(says('disk', 'rdb')).toBe('one compact file');
    const rdb = start('rdb');
    writeRepeatedly(rdb);
    rdb.at(40_000);
    expect(fileNames(rdb)).toEqual(['dump.rdb']);
    // Compact: the 300 keys once, in a fraction of the bytes the log of their 900 writes takes.
    const aof = start('everysec');
    writeRepeatedly(aof);
    expect(sizeOf(rdb, 'dump.rdb') * 3).toBeLessThan(sizeOf(aof, 'appendonlydir/appendonly.aof.1.incr.aof'));
  });

  test.each(['everysec', 'always'] as const)('AOF %s: a log that grows with every write until it is rewritten', (setup) => {
    expect(says('disk', setup)).toBe('a log that grows until it is rewritten');
    const lab = start(setup);
    const incr = 'appendonlydir/appendonly.aof.1.incr.aof';
    lab.run('SET user:0 a');
    const before = sizeOf(lab, incr);
    lab.run('SET user:0 b');
    expect(sizeOf(lab, incr)).toBeGreaterThan(before);
    writeRepeatedly(lab);
    const grown = fileNames(lab)
      .filter((name) => name.startsWith('appendonlydir/'))
      .reduce((sum, name) => sum + sizeOf(lab, name), 0);
    lab.run('BGREWRITEAOF');
    lab.at(10_000);
    const rewritten = fileNames(lab)
      .filter((name) => name.startsWith('appendonlydir/'))
      .reduce((sum, name) => sum + sizeOf(lab, name), 0);
    expect(rewritten).toBeLessThan(grown / 2);
  });

  test('RDB + AOF: dump.rdb, and an AOF whose base is an RDB file', () => {
    expect(says('disk', 'both')).toBe('`dump.rdb`, and an AOF with a compact base');
    const lab = start('both');
    writeRepeatedly(lab);
    lab.run('BGREWRITEAOF');
    lab.at(40_000);
    expect(fileNames(lab)).toEqual(expect.arrayContaining(['dump.rdb', 'appendonlydir/appendonly.aof.2.base.rdb']));
    const base = lab.engine.disk.read('appendonlydir/appendonly.aof.2.base.rdb') ?? new Uint8Array();
    expect(new TextDecoder().decode(base.subarray(0, 5))).toBe('REDIS');
  });
});

describe('what each setup costs while it runs, in the lab', () => {
  /** 200 writes within 2 s, then the time for a save point to fire (save 30 1) and a rewrite. */
  function costs(setup: Setup): { fsyncsDuringWrites: number; rdbForks: number; rewriteForks: number } {
    const lab = start(setup);
    for (let i = 0; i < 200; i++) {
      lab.at(i * 10);
      lab.run(`SET user:${i} v`);
    }
    const fsyncsDuringWrites = lab.events.filter((event) => event.type === 'file.fsynced').length;
    lab.at(40_000);
    if (setup !== 'none' && setup !== 'rdb') lab.run('BGREWRITEAOF');
    lab.at(45_000);
    const forks = (purpose: string) => lab.events.filter((event) => event.type === 'fork.started' && event.purpose === purpose).length;
    return { fsyncsDuringWrites, rdbForks: forks('rdb'), rewriteForks: forks('aof-rewrite') };
  }

  test('no persistence: none; RDB only: a fork() per snapshot', () => {
    expect(says('cost', 'none')).toBe('none');
    expect(costs('none')).toEqual({ fsyncsDuringWrites: 0, rdbForks: 0, rewriteForks: 0 });
    expect(says('cost', 'rdb')).toBe('a `fork()` per snapshot');
    expect(costs('rdb')).toEqual({ fsyncsDuringWrites: 0, rdbForks: 1, rewriteForks: 0 });
  });

  test('AOF: an fsync before every reply (always) or one a second (everysec); a fork() per rewrite', () => {
    expect(says('cost', 'always')).toBe('an `fsync` before every reply; a `fork()` per rewrite');
    expect(costs('always')).toEqual({ fsyncsDuringWrites: 200, rdbForks: 0, rewriteForks: 1 });
    expect(says('cost', 'everysec')).toBe('an `fsync` a second, in the background; a `fork()` per rewrite');
    const everysec = costs('everysec');
    expect(everysec.fsyncsDuringWrites).toBeLessThanOrEqual(3);
    expect(everysec).toMatchObject({ rdbForks: 0, rewriteForks: 1 });
  });

  test('RDB + AOF: an fsync a second, and forks for both snapshots and rewrites', () => {
    expect(says('cost', 'both')).toBe('an `fsync` a second; a `fork()` per snapshot and per rewrite');
    const both = costs('both');
    expect(both.fsyncsDuringWrites).toBeLessThanOrEqual(3);
    expect(both.rdbForks).toBeGreaterThanOrEqual(1);
    expect(both.rewriteForks).toBe(1);
  });
});

describe('backups, in the lab', () => {
  test('dump.rdb is only ever renamed into place, never written in place: a copy is whole at any time', () => {
    for (const setup of ['rdb', 'both'] as const) {
      expect(says('backups', setup)).toBe('copy `dump.rdb`, even while Redis runs');
      const lab = start(setup);
      for (let i = 0; i < 50; i++) {
        lab.at(i * 2000);
        lab.run(`SET user:${i} v`);
      }
      lab.at(120_000);
      expect(lab.events.some((event) => event.type === 'file.renamed' && event.to === 'dump.rdb')).toBe(true);
      expect(lab.events.filter((event) => event.type === 'file.written' && event.name === 'dump.rdb')).toEqual([]);
    }
  });

  test('the AOF directory changes under a rewrite, and auto-aof-rewrite-percentage 0 pauses rewrites', () => {
    for (const setup of ['everysec', 'always'] as const) expect(says('backups', setup)).toBe('copy `appendonlydir/` with automatic rewrites paused');
    // The note under the table gives the command; it is run here as written.
    const note = en.lessons.choosing.table.note;
    expect(note).toContain('(`aof_rewrite_in_progress:0` in `INFO persistence`)');
    const pause = /^`(CONFIG SET [^`]+)`$/m.exec(note)?.[1];
    expect(pause).toBe('CONFIG SET auto-aof-rewrite-percentage 0');
    const lab = start('everysec');
    lab.run('CONFIG SET auto-aof-rewrite-min-size 1024');
    const aofFiles = () => fileNames(lab).filter((name) => name.startsWith('appendonlydir/'));
    const before = aofFiles();
    // Paused: the log grows far past the rewrite threshold, and its files stay the same.
    lab.run(pause as string);
    for (let i = 0; i < 100; i++) lab.run(`SET user:${i} ${'x'.repeat(40)}`);
    lab.at(5000);
    expect(aofFiles()).toEqual(before);
    // Resumed: the next cron tick rewrites, and the files a copy would have taken are replaced.
    lab.run('CONFIG SET auto-aof-rewrite-percentage 100');
    lab.at(10_000);
    expect(aofFiles()).not.toEqual(before);
    expect(aofFiles()).not.toContain('appendonlydir/appendonly.aof.1.incr.aof');
  });
});
