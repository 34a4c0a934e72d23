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
    const { scenario, left } = scenarioFromSession(
      [
        { atMs: START, line: 'SET a 1' },
        { atMs: START + 10, line: 'SET x "unbalanced' },
        { atMs: START + 20, line: 'CONFIG SET appendonly yes' },
        { atMs: START + 30, line: 'SIM ADVANCE 5000' },
        { atMs: START + 5030, line: 'SIM CRASH POWER' },
        { atMs: START + 5030, line: 'SIM RESTART' },
        { atMs: START + 5030, line: 'SET b 2' },
      ],
      START,
      START + 6000,
    );
    expect(scenario.lines.map((entry) => entry.line)).toEqual(['SET a 1', 'SIM ADVANCE 5000', 'SET b 2']);
    expect(left).toEqual(['CONFIG SET appendonly yes', 'SIM CRASH POWER', 'SIM RESTART']);
    expect(scenario.crashAtMs).toBe(START + 6000);
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
