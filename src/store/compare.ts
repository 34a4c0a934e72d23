import { Engine, DEFAULT_EPOCH_MS, exportKeyspace, type KeyspaceExport } from '../engine/index.ts';
import { splitArgs } from '../codec/split-args.ts';
import { utf8ToBin } from '../codec/bytes.ts';
import { aofManifestOf, readAtRestart, type RecoveryReport } from './survival-view.ts';
import type { TapeEntryKind } from './timeline.ts';

/**
 * Compare mode's pure core: one scenario (lines stamped with simulated time) run on a fresh
 * engine per persistence policy, every engine crashed at the same instant with the same kind of
 * crash, then restarted; what each one got back is measured against what it held just before the
 * crash. Nothing here touches the lab's own engine: the lab stays as the student left it.
 *
 * A restart reads its files at the disk's speed (SIM SET disk-mbps stays in the scenario, since
 * the disk is part of the machine), so each engine is given the simulated time its load takes
 * before what it got back is read: the recovery time is that time.
 *
 * A policy is a redis.conf (the startup config), so each engine starts the way a server with that
 * file would, and the restart reads the same file. Lines that would change the policy under test
 * or stop the server (CONFIG SET appendonly, SIM CRASH, SHUTDOWN …) are left out of the scenario
 * and counted, so the student is told.
 */

export type ComparePolicyId = 'rdb' | 'aof-always' | 'aof-everysec' | 'aof-no' | 'hybrid';
export type CrashKind = 'process' | 'power';

export interface ComparePolicy {
  readonly id: ComparePolicyId;
  /** redis.conf directives beyond Redis's defaults, as the column shows them. */
  readonly config: Readonly<Record<string, string>>;
}

/**
 * Save points short enough that a scenario of a minute or two crosses one: `save 30 1` saves 30 s
 * after the last save once anything changed. Redis's default points (an hour, 5 minutes, a minute
 * with 10,000 changes) would never fire in a lab session, and every RDB column would simply come
 * back empty.
 */
export const COMPARE_SAVE_POINTS = '30 1';

export const COMPARE_POLICIES: readonly ComparePolicy[] = [
  { id: 'rdb', config: { appendonly: 'no', save: COMPARE_SAVE_POINTS } },
  { id: 'aof-always', config: { appendonly: 'yes', appendfsync: 'always', 'aof-use-rdb-preamble': 'no', save: '' } },
  { id: 'aof-everysec', config: { appendonly: 'yes', appendfsync: 'everysec', 'aof-use-rdb-preamble': 'no', save: '' } },
  { id: 'aof-no', config: { appendonly: 'yes', appendfsync: 'no', 'aof-use-rdb-preamble': 'no', save: '' } },
  { id: 'hybrid', config: { appendonly: 'yes', appendfsync: 'everysec', 'aof-use-rdb-preamble': 'yes', save: COMPARE_SAVE_POINTS } },
];

export interface ScenarioLine {
  /** Simulated unix ms at which the line runs (time passes up to it first). */
  readonly atMs: number;
  readonly line: string;
}

export interface Scenario {
  /** Simulated unix ms at which each engine starts. */
  readonly startMs: number;
  readonly lines: readonly ScenarioLine[];
  /** Simulated unix ms of the crash, at or after the last line. */
  readonly crashAtMs: number;
}

/** The words of a typed line, upper-cased; null when the quotes do not balance. */
function words(line: string): string[] | null {
  const argv = splitArgs(utf8ToBin(line));
  return argv === null ? null : argv.map((word) => word.toUpperCase());
}

/** Directives each policy sets: a scenario may not change them, or the columns would not differ by policy alone. */
const POLICY_DIRECTIVES = new Set(['APPENDONLY', 'APPENDFSYNC', 'SAVE', 'AOF-USE-RDB-PREAMBLE']);

/** Whether a typed line sends nothing to the server (blank, `clear`, or quotes that do not balance). */
function sendsNothing(line: string): boolean {
  const argv = words(line);
  return argv === null || argv.length === 0 || (argv.length === 1 && argv[0] === 'CLEAR');
}

/**
 * Whether a line that runs belongs in a compared scenario: not a crash, a restart or a shutdown,
 * and not a change of the policy under test.
 */
export function keepsPolicy(line: string): boolean {
  const argv = words(line);
  if (argv === null || argv.length === 0) return true;
  const [command, sub] = argv;
  if (command === 'SHUTDOWN') return false;
  if (command === 'SIM' && (sub === 'CRASH' || sub === 'RESTART')) return false;
  if (command === 'DEBUG' && sub === 'SEGFAULT') return false;
  if (command === 'CONFIG' && sub === 'SET') {
    for (let i = 2; i < argv.length; i += 2) if (POLICY_DIRECTIVES.has(argv[i] as string)) return false;
  }
  return true;
}

/** An entry of the lab's tape: a line run as typed (console, button, lesson), or time passing. */
export interface SessionEntry extends ScenarioLine {
  readonly kind: TapeEntryKind;
}

/** A scenario, and what the student is told about it. */
export interface PreparedScenario {
  readonly scenario: Scenario;
  /** Lines left out (they would change the policy or stop the server). */
  readonly left: readonly string[];
  /** The commands it runs: its lines but the time passing the lab recorded as `SIM ADVANCE`. */
  readonly commands: number;
}

/**
 * The lab's own session as a scenario: the lines it ran, each at the simulated time it ran
 * (`SIM ADVANCE` lines carry the time that passed between them), from a node started at
 * `startMs`, crashed at `crashAtMs`. Also returns the lines left out, to tell the student.
 */
export function scenarioFromSession(entries: readonly SessionEntry[], startMs: number, crashAtMs: number): PreparedScenario {
  const sent = entries.filter((entry) => !sendsNothing(entry.line));
  const kept = sent.filter((entry) => keepsPolicy(entry.line));
  const left = sent.filter((entry) => !keepsPolicy(entry.line)).map((entry) => entry.line);
  const lines = kept.map(({ atMs, line }) => ({ atMs, line }));
  const commands = kept.filter((entry) => entry.kind === 'line').length;
  return { scenario: { startMs, lines, crashAtMs: Math.max(crashAtMs, lines[lines.length - 1]?.atMs ?? startMs) }, left, commands };
}

/**
 * The built-in workload: a small shop's writes over 45 simulated seconds, a few a second at first,
 * then a steady trickle, with a counter bumped all along. Under `save 30 1` a snapshot lands at
 * about 30 s, so the crash just before 45 s finds 13 s of writes only in memory and in the AOF.
 * The last write, 0.3 s before the crash, is the second within its second: everysec has not
 * fsynced it yet (the first write of a second is fsynced at once).
 */
export function sampleScenario(startMs = DEFAULT_EPOCH_MS): Scenario {
  const lines: ScenarioLine[] = [];
  const at = (seconds: number, line: string): void => void lines.push({ atMs: startMs + Math.round(seconds * 1000), line });
  at(0.5, 'SET shop:name "Corner Books"');
  at(1, 'HSET book:1 title Dune stock 3');
  at(1.5, 'HSET book:2 title Emma stock 5');
  at(2, 'RPUSH orders order:1');
  at(2.5, 'INCR visits');
  for (let i = 2; i <= 13; i++) {
    const t = 2 + i * 3;
    at(t, `RPUSH orders order:${i}`);
    at(t + 0.4, 'INCR visits');
    if (i % 3 === 0) at(t + 0.8, `HINCRBY book:${(i % 2) + 1} stock -1`);
  }
  at(44.2, 'SET shop:banner "Sale ends tonight"');
  at(44.6, 'INCR visits');
  return { startMs, lines, crashAtMs: startMs + 44_900 };
}

export interface CompareFile {
  readonly name: string;
  readonly sizeBytes: number;
}

export interface CompareRun {
  readonly policy: ComparePolicy;
  /**
   * Keys held just before the crash (less any whose TTL ran out while the restart loaded), and
   * after the restart (all databases).
   */
  readonly keysBefore: number;
  readonly keysAfter: number;
  /** Keys that were there before the crash and are missing after the restart, as `db:key`. */
  readonly keysMissing: readonly string[];
  /** Keys that came back with another value (an older one) or that should not be there. */
  readonly keysDiffering: readonly string[];
  /** Keys that came back exactly as they were before the crash. */
  readonly keysIntact: number;
  /** The files on disk just after the crash: what the restart had to work with. */
  readonly filesAfterCrash: readonly CompareFile[];
  /** Whether the restart read each of those files (same order); null when it did not start. */
  readonly filesRead: readonly boolean[] | null;
  /** The simulated instant the restart had read its files (the crash's own when they load at once). */
  readonly loadedAtMs: number;
  /** Why the server did not start again, or null. */
  readonly startupError: string | null;
  /** The engine's account of the restart: each acknowledged write kept or lost, and why. */
  readonly report: RecoveryReport | null;
}

export interface CompareResult {
  readonly crash: CrashKind;
  readonly crashAtMs: number;
  readonly runs: readonly CompareRun[];
}

/** `db0` and `key` as one display name, for the keys still alive at `atMs`. */
function keyNames(dump: KeyspaceExport, atMs: number): Map<string, string> {
  const names = new Map<string, string>();
  for (const [db, keys] of Object.entries(dump)) {
    for (const [key, value] of Object.entries(keys)) {
      if (value.expireAtMs === undefined || atMs <= value.expireAtMs) names.set(`${db.slice(2)}:${key}`, JSON.stringify(value));
    }
  }
  return names;
}

/**
 * Lets simulated time pass until the load under way is over, and no longer: to each instant the
 * disk has read what the load's next step needs (always later than now while it loads).
 */
function finishLoading(engine: Engine): void {
  for (let resumeAtMs = engine.loadResumesAtMs; resumeAtMs !== null; resumeAtMs = engine.loadResumesAtMs) {
    engine.advanceTo(Math.max(resumeAtMs, engine.nowMs + 1));
  }
}

function keyspaceOf(engine: Engine): KeyspaceExport {
  return exportKeyspace(engine.dbs, engine.nowMs);
}

/** Runs the scenario on a fresh engine under one policy, crashes it, restarts it, and measures. */
export function runPolicy(policy: ComparePolicy, scenario: Scenario, crash: CrashKind, seed = 7): CompareRun {
  const engine = new Engine({ epochMs: scenario.startMs, seed, config: policy.config, configFile: true });
  const client = engine.newClient();
  for (const { atMs, line } of scenario.lines) {
    engine.advanceTo(atMs);
    engine.run(line, client);
  }
  engine.advanceTo(scenario.crashAtMs);
  const held = keyspaceOf(engine);
  // A server a scenario line stopped cannot crash as a process; the power can still go.
  if (engine.running || crash === 'power') engine.crash(crash);
  const filesAfterCrash = engine.disk.list().map((file) => ({ name: file.name, sizeBytes: file.sizeBytes }));
  engine.restart();
  // On a slow disk the restart is still LOADING: what survived is known once it has read its files.
  finishLoading(engine);
  const after = keyNames(keyspaceOf(engine), engine.nowMs);
  // Measured against the keys held at the crash that are still alive now: one whose TTL ran out
  // while the restart loaded would be gone without any crash.
  const before = keyNames(held, engine.nowMs);
  const report = engine.lastRecovery;
  const keysMissing = [...before.keys()].filter((key) => !after.has(key));
  const keysDiffering = [...after.entries()].filter(([key, value]) => before.get(key) !== value).map(([key]) => key);
  return {
    policy,
    keysBefore: before.size,
    keysAfter: after.size,
    keysMissing,
    keysDiffering,
    keysIntact: [...before].filter(([key, value]) => after.get(key) === value).length,
    filesAfterCrash,
    filesRead: report === null ? null : readAtRestart(filesAfterCrash, report, aofManifestOf(engine)),
    loadedAtMs: engine.nowMs,
    startupError: engine.startupError,
    report,
  };
}

/** The scenario under every policy, crashed the same way at the same instant. */
export function runComparison(scenario: Scenario, crash: CrashKind, policies: readonly ComparePolicy[] = COMPARE_POLICIES): CompareResult {
  return { crash, crashAtMs: scenario.crashAtMs, runs: policies.map((policy) => runPolicy(policy, scenario, crash)) };
}
