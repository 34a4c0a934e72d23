import { describe, expect, test } from 'vitest';
import {
  COMPARE_POLICIES,
  keepsPolicy,
  runComparison,
  runPolicy,
  sampleScenario,
  scenarioFromSession,
  type ComparePolicyId,
  type CompareResult,
  type Scenario,
} from '../../src/store/compare.ts';

/**
 * Compare mode's core: one scenario on a fresh engine per policy, crashed at one instant, restarted,
 * and measured (real engines; the recovery report's figures are checked where the engine gives it).
 */

const START = Date.UTC(2026, 0, 1, 9, 0, 0);

function run(result: CompareResult, id: ComparePolicyId) {
  const found = result.runs.find((candidate) => candidate.policy.id === id);
  if (found === undefined) throw new Error(`no run for ${id}`);
  return found;
}

/** Three writes: two before the save point fires (`save 30 1` → about 30 s), one after; crash at 40 s. */
const AROUND_A_SAVE: Scenario = {
  startMs: START,
  lines: [
    { atMs: START + 1000, line: 'SET a 1' },
    { atMs: START + 5000, line: 'SET b 2' },
    { atMs: START + 35_000, line: 'SET c 3' },
  ],
  crashAtMs: START + 40_000,
};

describe('which lines a compared scenario keeps', () => {
  test.each([
    ['SET a 1', true],
    ['SIM ADVANCE 1000', true],
    ['BGSAVE', true],
    ['CONFIG SET hz 20', true],
    ['SIM CRASH PROCESS', false],
    ['sim restart --appendonly yes', false],
    ['SHUTDOWN NOSAVE', false],
    ['DEBUG SEGFAULT', false],
    ['CONFIG SET appendonly yes', false],
    ['CONFIG SET hz 20 appendfsync always', false],
    ['config set save ""', false],
  ])('%s → %s', (line, kept) => {
    expect(keepsPolicy(line)).toBe(kept);
  });

  test('a session: lines that send nothing are dropped silently, policy changes and crashes are listed', () => {
    const { scenario, left, commands } = scenarioFromSession(
      [
        { kind: 'line', atMs: START, line: 'SET a 1' },
        { kind: 'line', atMs: START + 10, line: 'SET x "unbalanced' },
        { kind: 'line', atMs: START + 20, line: 'CONFIG SET appendonly yes' },
        { kind: 'tick', atMs: START + 30, line: 'SIM ADVANCE 5000' },
        { kind: 'line', atMs: START + 5030, line: 'SIM CRASH POWER' },
        { kind: 'line', atMs: START + 5030, line: 'SIM RESTART' },
        { kind: 'line', atMs: START + 5030, line: 'SET b 2' },
      ],
      START,
      START + 6000,
    );
    expect(scenario.lines.map((entry) => entry.line)).toEqual(['SET a 1', 'SIM ADVANCE 5000', 'SET b 2']);
    expect(left).toEqual(['CONFIG SET appendonly yes', 'SIM CRASH POWER', 'SIM RESTART']);
    expect(scenario.crashAtMs).toBe(START + 6000);
    // The commands run: the time the lab recorded passing is not one of them.
    expect(commands).toBe(2);
  });

  test('the time passing the lab recorded is not counted as commands; a SIM ADVANCE the student typed is', () => {
    const entries = [
      { kind: 'line', atMs: START, line: 'SET a 1' },
      ...Array.from({ length: 50 }, (_, i) => ({ kind: 'tick' as const, atMs: START + i * 100, line: 'SIM ADVANCE 100' })),
      { kind: 'skip', atMs: START + 5000, line: 'SIM ADVANCE 10000' },
      { kind: 'line', atMs: START + 15_000, line: 'SIM ADVANCE 2000' },
      { kind: 'line', atMs: START + 17_000, line: 'SET b 2' },
    ] as const;
    const { scenario, commands } = scenarioFromSession(entries, START, START + 17_000);
    expect(scenario.lines).toHaveLength(54);
    expect(commands).toBe(3);
  });
});

describe('a process crash', () => {
  const result = runComparison(AROUND_A_SAVE, 'process');

  test('RDB only brings back the last snapshot: the write after the save is lost', () => {
    const rdb = run(result, 'rdb');
    expect(rdb.keysBefore).toBe(3);
    expect(rdb.keysAfter).toBe(2);
    expect(rdb.keysMissing).toEqual(['0:c']);
    expect(rdb.keysDiffering).toEqual([]);
    expect(rdb.filesAfterCrash.map((file) => file.name)).toEqual(['dump.rdb']);
  });

  test('every AOF policy keeps every acknowledged write: the page cache survives a process crash', () => {
    for (const id of ['aof-always', 'aof-everysec', 'aof-no', 'hybrid'] as const) {
      const aof = run(result, id);
      expect([aof.policy.id, aof.keysAfter, aof.keysMissing, aof.keysDiffering]).toEqual([id, 3, [], []]);
      expect(aof.startupError).toBeNull();
    }
  });

  test('the recovery report: AOF always loses no acknowledged write; RDB only loses the one after the save, and says why', () => {
    const always = run(result, 'aof-always').report;
    expect([always?.acknowledged, always?.lostCount, always?.survivedCount, always?.lossWindowMs]).toEqual([3, 0, 3, 0]);
    const rdb = run(result, 'rdb').report;
    expect(rdb?.loadedFrom).toBe('rdb');
    expect(rdb?.lost.map((write) => [write.argv.join(' '), write.reason])).toEqual([['SET c 3', 'after-snapshot']]);
    // The oldest lost write, SET c at 35 s, 5 s before the crash.
    expect(rdb?.lossWindowMs).toBe(5000);
  });

  test('the hybrid also writes dump.rdb (its save points), which the restart ignores', () => {
    expect(run(result, 'hybrid').filesAfterCrash.map((file) => file.name)).toContain('dump.rdb');
    expect(run(result, 'aof-everysec').filesAfterCrash.map((file) => file.name)).not.toContain('dump.rdb');
  });
});

describe('a power loss', () => {
  test('always keeps everything; no loses what the kernel had not written back; RDB keeps its snapshot', () => {
    const result = runComparison(AROUND_A_SAVE, 'power');
    expect(run(result, 'aof-always').keysMissing).toEqual([]);
    expect(run(result, 'rdb').keysMissing).toEqual(['0:c']);
    // Under `no` nothing is fsynced: the kernel's flusher wrote back what had been dirty for 30 s
    // (a and b, by 35 s), not c.
    expect(run(result, 'aof-no').keysMissing).toEqual(['0:c']);
  });

  test('the sample workload: everysec loses only the write of the last fraction of a second', () => {
    const result = runComparison(sampleScenario(START), 'power');
    const everysec = run(result, 'aof-everysec');
    expect(everysec.keysMissing).toEqual([]);
    // INCR visits at 44.6 s, 0.3 s before the crash, was not yet fsynced.
    expect(everysec.keysDiffering).toEqual(['0:visits']);
    expect(run(result, 'aof-always').keysDiffering).toEqual([]);
    expect(run(result, 'rdb').keysMissing).toEqual(['0:shop:banner']);
    const lost = (id: ComparePolicyId) => run(result, id).report?.lost.map((write) => `${write.argv.join(' ')} (${write.reason})`);
    expect(lost('aof-everysec')).toEqual(['INCR visits (not-fsynced)']);
    expect(lost('aof-always')).toEqual([]);
    // The kernel writes back what has been dirty for 30 s: the last writes since about 35 s are gone.
    expect(run(result, 'aof-no').report?.lostCount).toBeGreaterThan(1);
  });
});

describe('the sample workload', () => {
  test('runs under every policy without errors and crashes them all at 44.9 s', () => {
    const scenario = sampleScenario(START);
    expect(scenario.crashAtMs - scenario.startMs).toBe(44_900);
    const result = runComparison(scenario, 'process');
    expect(result.runs.map((entry) => entry.policy.id)).toEqual(COMPARE_POLICIES.map((policy) => policy.id));
    for (const entry of result.runs) expect(entry.keysBefore).toBe(6);
  });

  test('a policy run is deterministic', () => {
    const policy = COMPARE_POLICIES[0]!;
    expect(runPolicy(policy, sampleScenario(START), 'power')).toEqual(runPolicy(policy, sampleScenario(START), 'power'));
  });
});

/** Hex digits of a running product: a value LZF barely shrinks, so the files keep its size. */
const INCOMPRESSIBLE = Array.from({ length: 1500 }, (_, i) => ((i * 2_654_435_761) >>> 0).toString(16).slice(-4)).join('');

/** The Slow disk switch's speed: `SIM SET disk-mbps 0.002`, 2,000 bytes a second, 2 a millisecond. */
const SLOW_BYTES_PER_MS = 2;

/** AROUND_A_SAVE with a 6,000-character value, and, on a slow disk, the Slow disk switch first. */
function bigWrites(slow: boolean): Scenario {
  const lines = [
    { atMs: START + 1000, line: 'SET a 1' },
    { atMs: START + 2000, line: `SET big ${INCOMPRESSIBLE}` },
    { atMs: START + 5000, line: 'SET b 2' },
    { atMs: START + 35_000, line: 'SET c 3' },
  ];
  return { startMs: START, lines: slow ? [{ atMs: START, line: 'SIM SET disk-mbps 0.002' }, ...lines] : lines, crashAtMs: START + 40_000 };
}

describe('on a slow disk (the Slow disk switch)', () => {
  test.each(['process', 'power'] as const)('a %s crash: every restart is given the time its load takes, and gets back what it does on a fast disk', (crash) => {
    const slow = runComparison(bigWrites(true), crash);
    const fast = runComparison(bigWrites(false), crash);
    for (const id of COMPARE_POLICIES.map((policy) => policy.id)) {
      const [onSlow, onFast] = [run(slow, id), run(fast, id)];
      expect([id, onSlow.startupError, onSlow.report === null]).toEqual([id, null, false]);
      const outcome = (entry: typeof onSlow) => [id, entry.keysBefore, entry.keysMissing, entry.keysDiffering, entry.keysIntact];
      expect(outcome(onSlow)).toEqual(outcome(onFast));
      expect([id, onSlow.report?.lost.map((write) => write.reason)]).toEqual([id, onFast.report?.lost.map((write) => write.reason)]);
    }
    expect(run(slow, 'rdb').keysMissing).toEqual(['0:c']);
    expect(run(slow, 'aof-always').keysIntact).toBe(4);
  });

  test('the recovery time is the time the load took: the bytes it read at 2 bytes a millisecond', () => {
    const result = runComparison(bigWrites(true), 'process');
    for (const entry of result.runs) {
      const report = entry.report;
      if (report === null) throw new Error(`no report for ${entry.policy.id}`);
      const readBytes = report.files.reduce((sum, file) => sum + file.sizeBytes, 0);
      expect(readBytes).toBeGreaterThan(5000);
      expect([entry.policy.id, report.recoveryMs]).toEqual([entry.policy.id, Math.floor(readBytes / SLOW_BYTES_PER_MS)]);
      expect([entry.policy.id, entry.loadedAtMs - result.crashAtMs]).toEqual([entry.policy.id, report.recoveryMs]);
    }
    // On the fast disk (100 MB/s) the same files load within the instant of the crash.
    for (const entry of runComparison(bigWrites(false), 'process').runs) {
      expect([entry.policy.id, entry.report?.recoveryMs, entry.loadedAtMs]).toEqual([entry.policy.id, 0, START + 40_000]);
    }
  });

  test('a key whose TTL runs out while the restart loads is not counted as lost', () => {
    const expiring = (slow: boolean): Scenario => {
      const scenario = bigWrites(slow);
      return { ...scenario, lines: [...scenario.lines, { atMs: START + 39_000, line: 'SET session s PX 2000' }] };
    };
    // Fast: the key is there at the crash and comes back. Slow: the load takes over 2.5 s, past its TTL.
    const fast = run(runComparison(expiring(false), 'process'), 'aof-always');
    expect([fast.keysBefore, fast.keysIntact, fast.keysMissing]).toEqual([5, 5, []]);
    const slow = run(runComparison(expiring(true), 'process'), 'aof-always');
    expect(slow.loadedAtMs).toBeGreaterThan(START + 41_000);
    expect([slow.keysBefore, slow.keysIntact, slow.keysMissing]).toEqual([4, 4, []]);
    // The engine's report still counts the write as kept: its bytes came back, then its TTL ran out.
    expect(slow.report?.lostCount).toBe(0);
  });
});

describe('which files each restart read', () => {
  test('RDB only reads dump.rdb; the AOF path reads the manifest and its files, and not the hybrid\'s dump.rdb', () => {
    const result = runComparison(AROUND_A_SAVE, 'process');
    const marks = (id: ComparePolicyId) => {
      const entry = run(result, id);
      return entry.filesAfterCrash.map((file, index) => `${file.name} ${entry.filesRead?.[index] === true ? 'read' : 'not read'}`);
    };
    expect(marks('rdb')).toEqual(['dump.rdb read']);
    expect(marks('hybrid')).toEqual([
      'appendonlydir/appendonly.aof.1.base.rdb read',
      'appendonlydir/appendonly.aof.1.incr.aof read',
      'appendonlydir/appendonly.aof.manifest read',
      'dump.rdb not read',
    ]);
  });
});
