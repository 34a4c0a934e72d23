/**
 * Durability properties, over thousands of seeded random runs: random workloads (strings, lists,
 * hashes, sets, expiries, transactions, time passing, BGSAVE, BGREWRITEAOF, SAVE) under random
 * configurations (appendonly, appendfsync, the RDB preamble, no-appendfsync-on-rewrite, save
 * points, a slow fsync, a slow disk), then a random crash (kill -9, power loss, SHUTDOWN NOSAVE)
 * and SIM RESTART.
 *
 * Each run is checked two ways. By the engine's own recovery report, and by an independent
 * oracle: a second engine without persistence runs the same commands at the same instants, so the
 * keyspace after any prefix of the workload is known without the ledger. Properties:
 * - the recovered keyspace is the keyspace after a prefix of the workload (never reordered, never
 *   half a command), and that prefix ends exactly at the report's last surviving write;
 * - replaying the report's surviving writes on a fresh engine gives the recovered keyspace;
 * - the ledger is exactly the workload's writes, told apart from the replies by Redis's rules,
 *   and every command that changed the oracle's keyspace is one of them;
 * - appendfsync always: nothing acknowledged is lost, except writes made while a fork child ran
 *   under no-appendfsync-on-rewrite yes (which then behaves as `no`);
 * - everysec: a process crash loses nothing unless writes were postponed behind a slow fsync (then
 *   only from aof_buf, within ~2 s); a power loss loses only the last ~2 s (more with a slow fsync);
 * - no: a power loss loses at most the kernel's writeback window (30 s, plus its 5 s period);
 * - a power loss in the middle of a background fsync can leave half a command: the load cuts it
 *   (aof-load-truncated yes) or refuses (no), with Redis's lines;
 * - RDB only: the recovered keyspace is the keyspace at the fork of the last completed save, less
 *   the keys expired by load time;
 * - a crash during BGSAVE or a rewrite never damages the previous dump.rdb or manifest.
 */
import fc from 'fast-check';
import { parseManifest } from '../../src/codec/aof/index.ts';
import { bytesToBin } from '../../src/codec/bytes.ts';
import { readRdb } from '../../src/codec/rdb/index.ts';
import type { Reply } from '../../src/codec/reply.ts';
import { Engine, exportKeyspace, type Client, type KeyspaceExport } from '../../src/engine/index.ts';
import type { LossReason, RecoveryReport } from '../../src/engine/persistence/recovery-report.ts';

const SEED = 20_260_105;
const START = Date.UTC(2026, 0, 1, 9, 0, 0);
const MANIFEST = 'appendonlydir/appendonly.aof.manifest';
/** The kernel writes back data dirty for 30 s, waking every 5 s. */
const WRITEBACK_WINDOW_MS = 35_000;

// ---- scenarios --------------------------------------------------------------------------------------

type Step = { readonly kind: 'command'; readonly lines: readonly string[] } | { readonly kind: 'advance'; readonly ms: number } | { readonly kind: 'persist'; readonly line: string };

interface Scenario {
  readonly appendonly: boolean;
  readonly appendfsync: 'always' | 'everysec' | 'no';
  readonly preamble: boolean;
  readonly noFsyncOnRewrite: boolean;
  readonly save: string;
  readonly fsyncMs: number;
  readonly diskMbps: number;
  readonly steps: readonly Step[];
  readonly crash: 'process' | 'power' | 'shutdown';
  readonly afterCrashMs: number;
  /** The restart's appendonly, when it differs from the start's (the trap, or its reverse). */
  readonly restartAppendonly: boolean | null;
  /** Restart first with aof-load-truncated no (then, if refused, with yes). */
  readonly refuseTruncated?: boolean;
}

const stringKey = fc.constantFrom('a', 'b', 'c');
const value = fc.integer({ min: 0, max: 99 }).map(String);
const writeLine = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(stringKey, value).map(([k, v]) => `SET ${k} ${v}`) },
  { weight: 3, arbitrary: stringKey.map((k) => `INCR ${k}`) },
  { weight: 2, arbitrary: value.map((v) => `LPUSH l ${v}`) },
  { weight: 1, arbitrary: fc.constantFrom('a', 'b', 'l', 'h', 's').map((k) => `DEL ${k}`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('a', 'b', 'l'), fc.integer({ min: 1, max: 4 })).map(([k, s]) => `EXPIRE ${k} ${s}`) },
  { weight: 1, arbitrary: fc.tuple(stringKey, fc.integer({ min: 50, max: 3000 })).map(([k, ms]) => `PEXPIRE ${k} ${ms}`) },
  { weight: 1, arbitrary: fc.tuple(stringKey, value, fc.integer({ min: 100, max: 5000 })).map(([k, v, ms]) => `SET ${k} ${v} PX ${ms}`) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: 3 }), value).map(([f, v]) => `HSET h f${f} ${v}`) },
  { weight: 1, arbitrary: value.map((v) => `SADD s ${v}`) },
  { weight: 1, arbitrary: stringKey.map((k) => `APPEND ${k} x`) },
  // Big values make files cross 4 KiB pages, so a power loss can cut a command in half.
  { weight: 1, arbitrary: fc.tuple(stringKey, fc.integer({ min: 500, max: 3000 })).map(([k, n]) => `SET ${k} ${'x'.repeat(n)}`) },
);
const commandStep = fc.oneof(
  { weight: 12, arbitrary: writeLine.map((line) => [line]) },
  { weight: 1, arbitrary: fc.constantFrom(['SELECT 0'], ['SELECT 1'], ['GET a'], ['FLUSHDB']) },
  { weight: 2, arbitrary: fc.array(writeLine, { minLength: 1, maxLength: 3 }).map((lines) => ['MULTI', ...lines, 'EXEC']) },
);
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 10, arbitrary: commandStep.map((lines) => ({ kind: 'command' as const, lines })) },
  {
    weight: 4,
    arbitrary: fc
      .oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 400 }) }, { weight: 2, arbitrary: fc.integer({ min: 400, max: 3000 }) }, { weight: 1, arbitrary: fc.integer({ min: 3000, max: 45_000 }) })
      .map((ms) => ({ kind: 'advance' as const, ms })),
  },
  { weight: 1, arbitrary: fc.constantFrom('BGSAVE', 'BGREWRITEAOF', 'SAVE').map((line) => ({ kind: 'persist' as const, line })) },
);
/** Steps that also switch the AOF on and off at run time, and restarts that change appendonly. */
const anyStep: fc.Arbitrary<Step> = fc.oneof(
  { weight: 15, arbitrary: step },
  { weight: 1, arbitrary: fc.constantFrom('CONFIG SET appendonly yes', 'CONFIG SET appendonly no').map((line) => ({ kind: 'persist' as const, line })) },
);

function scenario(overrides: { appendonly?: boolean; appendfsync?: Scenario['appendfsync']; anything?: boolean } = {}): fc.Arbitrary<Scenario> {
  const anything = overrides.anything === true;
  return fc.record({
    appendonly: overrides.appendonly === undefined ? fc.boolean() : fc.constant(overrides.appendonly),
    appendfsync: overrides.appendfsync === undefined ? fc.constantFrom('always', 'everysec', 'no') : fc.constant(overrides.appendfsync),
    preamble: fc.boolean(),
    noFsyncOnRewrite: fc.boolean(),
    save: fc.constantFrom('', '', '2 1', '5 3'),
    fsyncMs: fc.constantFrom(0, 0, 300, 1500),
    diskMbps: fc.constantFrom(100, 0.002, 0.001),
    steps: fc.array(anything ? anyStep : step, { minLength: 1, maxLength: 30 }),
    crash: fc.constantFrom('process', 'power', 'shutdown'),
    afterCrashMs: fc.constantFrom(0, 500, 60_000),
    restartAppendonly: anything ? fc.constantFrom(null, null, true, false) : fc.constant(null),
  });
}

// ---- one run ------------------------------------------------------------------------------------------

/** A keyspace as it is at `atMs`: keys whose expiry has passed are gone. */
const logical = (keyspace: KeyspaceExport, atMs: number): KeyspaceExport => {
  const out: KeyspaceExport = {};
  for (const [db, keys] of Object.entries(keyspace)) {
    const alive = Object.entries(keys).filter(([, key]) => key.expireAtMs === undefined || atMs <= key.expireAtMs);
    if (alive.length !== 0) out[db] = Object.fromEntries(alive);
  }
  return out;
};
/** Every key, expired or not, with its expiry time. */
const raw = (engine: Engine): KeyspaceExport => exportKeyspace(engine.dbs, -Infinity);
const text = (keyspace: KeyspaceExport): string => JSON.stringify(keyspace);

interface CommandRecord {
  /**
   * The writes the step made, as "<db> <command>", told from the replies by Redis's rules alone:
   * a command that answered an error wrote nothing; DEL, EXPIRE, PEXPIRE and SADD wrote only when
   * they answered more than 0; the others always write. In MULTI … EXEC, each queued command by
   * its own reply in EXEC's.
   */
  readonly writes: readonly string[];
  readonly atMs: number;
  /** The oracle's keyspace (raw) after the step. */
  readonly after: KeyspaceExport;
  /** The step changed the keyspace as it stood at that instant. */
  readonly changed: boolean;
  readonly childRan: boolean;
}

interface Outcome {
  readonly engine: Engine;
  readonly report: RecoveryReport | null;
  readonly records: readonly CommandRecord[];
  /** The keyspace (raw) of the last RDB save completed when the restart opened dump.rdb, or null. */
  readonly lastSnapshot: KeyspaceExport | null;
  /** The restart failed: the node's startup error. */
  readonly startupError: string | null;
  /** A restart with aof-load-truncated no refused the file, with this error. */
  readonly refused: string | null;
  readonly restartedAtMs: number;
}

function run(s: Scenario): Outcome {
  const config = {
    save: s.save,
    appendonly: s.appendonly ? 'yes' : 'no',
    appendfsync: s.appendfsync,
    'aof-use-rdb-preamble': s.preamble ? 'yes' : 'no',
    'no-appendfsync-on-rewrite': s.noFsyncOnRewrite ? 'yes' : 'no',
  };
  const engine = new Engine({ epochMs: START, config });
  const oracle = new Engine({ epochMs: START, config: { save: '' } });
  const line = (client: Client, text: string) => engine.run(text, client);
  const admin = engine.newClient();
  for (const setting of [`SIM SET fsync-ms ${s.fsyncMs}`, `SIM SET disk-mbps ${s.diskMbps}`]) {
    expect(line(admin, setting)).toEqual({ kind: 'reply', reply: { type: 'status', value: 'OK' } });
  }

  // The keyspace each RDB save holds: at the fork for BGSAVE, at the moment for SAVE (and FLUSHALL's).
  const atFork = new Map<number, KeyspaceExport>();
  let lastSnapshot: KeyspaceExport | null = null;
  engine.subscribe(
    (event) => {
      if (event.type === 'fork.started' && event.purpose === 'rdb') atFork.set(event.childPid, raw(engine));
      if (event.type === 'rdb.saved') lastSnapshot = event.pid === engine.pid && engine.running ? raw(engine) : (atFork.get(event.pid) ?? null);
    },
    ['fork.started', 'rdb.saved'],
  );

  const client = engine.newClient();
  const oracleClient = oracle.newClient();
  const records: CommandRecord[] = [];
  let db = 0;
  for (const step of s.steps) {
    if (step.kind === 'advance') {
      engine.advance(step.ms);
      oracle.advance(step.ms);
    } else if (step.kind === 'persist') {
      line(client, step.line);
    } else {
      const childRan = engine.hasChild();
      const before = text(logical(raw(oracle), oracle.nowMs));
      const replies = step.lines.map((text) => {
        oracle.run(text, oracleClient);
        const result = line(client, text);
        if (result.kind !== 'reply') throw new Error(`no reply to ${text}`);
        return result.reply;
      });
      const after = raw(oracle);
      let writes: string[];
      if (step.lines.length === 1) {
        const only = step.lines[0] as string;
        if (only.startsWith('SELECT ')) db = Number(only.slice(7));
        writes = wrote(only, replies[0] as Reply) ? [`${db} ${only}`] : [];
      } else {
        const exec = replies.at(-1) as Reply;
        const results = exec.type === 'array' ? (exec.value as Reply[]) : [];
        writes = step.lines.slice(1, -1).filter((queued, i) => results[i] !== undefined && wrote(queued, results[i] as Reply)).map((queued) => `${db} ${queued}`);
      }
      records.push({ writes, atMs: engine.nowMs, after, changed: text(logical(after, oracle.nowMs)) !== before, childRan });
    }
  }

  // The crash, and what it must not damage.
  const childAtCrash = engine.hasChild();
  const dumpBefore = engine.disk.read('dump.rdb');
  const manifestBefore = engine.disk.read(MANIFEST);
  if (s.crash === 'shutdown') {
    line(admin, 'SHUTDOWN NOSAVE');
    // A first rewrite still running refuses a plain shutdown (the dataset is not on disk yet).
    if (engine.running) {
      expect(engine.serverLog.at(-2)).toMatch(/# Writing initial AOF, can't exit\.$/);
      line(admin, 'SHUTDOWN NOSAVE FORCE');
    }
  } else {
    line(admin, `SIM CRASH ${s.crash.toUpperCase()}`);
  }
  expect(engine.running).toBe(false);
  engine.advance(s.afterCrashMs);
  if (childAtCrash) checkUndamaged(engine, s, dumpBefore, manifestBefore);

  const restartedAtMs = engine.nowMs;
  // The loader opens dump.rdb now: an orphan renaming a newer one while it reads comes too late.
  const snapshotAtRestart: KeyspaceExport | null = lastSnapshot;
  const load = () => {
    for (let waited = 0; engine.loading && waited < 600_000; waited += 100) engine.advance(100);
    expect(engine.loading).toBe(false);
  };
  let refused: string | null = null;
  if (s.refuseTruncated === true) {
    line(admin, 'SIM RESTART --aof-load-truncated no');
    load();
    if (!engine.running) {
      refused = engine.startupError;
      line(admin, 'SIM RESTART --aof-load-truncated yes');
    }
  } else {
    line(admin, s.restartAppendonly === null ? 'SIM RESTART' : `SIM RESTART --appendonly ${s.restartAppendonly ? 'yes' : 'no'}`);
  }
  load();
  return { engine, report: engine.lastRecovery, records, lastSnapshot: snapshotAtRestart, startupError: engine.running ? null : engine.startupError, refused, restartedAtMs };
}

/** dump.rdb is the one from before, or (a process crash's orphan renamed it) a whole new snapshot; the manifest is untouched. */
function checkUndamaged(engine: Engine, s: Scenario, dumpBefore: Uint8Array | null, manifestBefore: Uint8Array | null): void {
  const dump = engine.disk.read('dump.rdb');
  if (dumpBefore !== null) {
    expect(dump).not.toBeNull();
    const same = Buffer.from(dump!).equals(Buffer.from(dumpBefore));
    if (s.crash !== 'process') expect(same).toBe(true);
    else if (!same) expect(() => readRdb(dump!)).not.toThrow();
  }
  if (manifestBefore !== null) {
    const manifest = engine.disk.read(MANIFEST);
    expect(manifest).not.toBeNull();
    expect(Buffer.from(manifest!).equals(Buffer.from(manifestBefore))).toBe(true);
    const parsed = parseManifest(bytesToBin(manifest!));
    for (const info of [...(parsed.base === null ? [] : [parsed.base]), ...parsed.incr]) expect(engine.disk.exists(`appendonlydir/${info.fileName}`)).toBe(true);
  }
}

/** Whether a command wrote, from its reply alone (see CommandRecord.writes). */
function wrote(text: string, reply: Reply): boolean {
  if (reply.type === 'error') return false;
  const name = (text.split(' ')[0] as string).toUpperCase();
  if (['DEL', 'EXPIRE', 'PEXPIRE', 'SADD'].includes(name)) return reply.type === 'integer' && Number(reply.value) > 0;
  return name !== 'SELECT' && name !== 'GET';
}

/**
 * The ledger is exactly the workload's writes, in order; a step that changed the keyspace made at
 * least one. Returns, for each ledger write, the index of the step that made it.
 */
function matchLedger(report: RecoveryReport, records: readonly CommandRecord[]): number[] {
  const ledger = [...report.survived, ...report.lost].map((write) => `${write.db} ${write.argv.join(' ')}`);
  expect(ledger).toHaveLength(report.acknowledged);
  expect(ledger).toEqual(records.flatMap((record) => record.writes));
  for (const record of records) if (record.changed) expect(record.writes.length, `a step changed the keyspace without a write`).toBeGreaterThan(0);
  return records.flatMap((record, index) => record.writes.map(() => index));
}

/** The surviving writes replayed on a fresh engine, each at its instant and in its database. */
function replaySurvivors(report: RecoveryReport): Engine {
  const engine = new Engine({ epochMs: START, config: { save: '' } });
  const client = engine.newClient();
  for (const write of report.survived) {
    if (write.atMs > engine.nowMs) engine.setClock(write.atMs);
    engine.execute(client, ['SELECT', String(write.db)]);
    engine.execute(client, write.argv);
  }
  return engine;
}

/** The checks every run gets; returns what the policy checks need. */
function checkRun(s: Scenario, outcome: Outcome): { report: RecoveryReport; lostRecords: CommandRecord[] } | null {
  const { engine, report, records } = outcome;
  expect(outcome.startupError).toBeNull();
  expect(report).not.toBeNull();
  const r = report!;
  expect(r.survivedCount + r.lostCount).toBe(r.acknowledged);
  expect(r.survived).toHaveLength(r.survivedCount);
  expect(r.lost).toHaveLength(r.lostCount);
  if (outcome.refused === null) expect(r.restartedAtMs).toBe(outcome.restartedAtMs);
  expect(r.crash).toBe(s.crash);
  const loadedAtMs = engine.nowMs;
  const recovered = exportKeyspace(engine.dbs, loadedAtMs);

  // The independent oracle: the keyspace is the workload's after the last surviving write.
  const indexes = matchLedger(r, records);
  const lastSurvivor = r.survivedCount === 0 ? -1 : (indexes[r.survivedCount - 1] as number);
  const prefix = lastSurvivor < 0 ? {} : (records[lastSurvivor] as CommandRecord).after;
  expect(recovered).toEqual(logical(prefix, loadedAtMs));

  // The report's own account: its survivors replayed give the same keyspace.
  expect(exportKeyspace(replaySurvivors(r).dbs, loadedAtMs)).toEqual(recovered);

  // Loss window and reasons agree with the lost writes.
  if (r.lostCount === 0) expect(r.lossWindowMs).toBe(0);
  else expect(r.lossWindowMs).toBe(r.crashedAtMs - (r.lost[0] as { atMs: number }).atMs);
  const fixedConfig = s.restartAppendonly === null && !s.steps.some((step) => step.kind === 'persist' && step.line.startsWith('CONFIG'));
  const possible: readonly LossReason[] = s.appendonly ? ['in-aof-buf', 'not-fsynced', 'truncated', 'no-persistence'] : ['after-snapshot', 'no-persistence'];
  if (fixedConfig) for (const lost of r.lost) expect(possible).toContain(lost.reason);
  if (s.crash !== 'power') for (const lost of r.lost) expect(lost.reason).not.toBe('not-fsynced');
  return { report: r, lostRecords: r.lost.map((_, i) => records[indexes[r.survivedCount + i] as number] as CommandRecord) };
}

// ---- the properties ----------------------------------------------------------------------------------

const RUNS = 800;
/** Generous: the runs are quick, but a busy 2-core machine can slow them several times over. */
const PROPERTY_TIMEOUT_MS = 180_000;

describe('durability of acknowledged writes, over random workloads, configurations and crashes', () => {
  it('the recovered keyspace is always a prefix of history, the one the report names (any configuration)', { timeout: PROPERTY_TIMEOUT_MS }, () => {
    fc.assert(
      fc.property(scenario({ anything: true }), (s) => {
        checkRun(s, run(s));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('appendfsync always: nothing acknowledged is lost, except while a child ran with no-appendfsync-on-rewrite yes', { timeout: PROPERTY_TIMEOUT_MS }, () => {
    fc.assert(
      fc.property(scenario({ appendonly: true, appendfsync: 'always' }), (s) => {
        const checked = checkRun(s, run(s));
        if (checked === null) return;
        for (const record of checked.lostRecords) {
          expect(s.noFsyncOnRewrite && record.childRan, `lost under always: ${record.writes.join('; ')}`).toBe(true);
        }
        if (checked.report.lostCount !== 0) expect(checked.report.lossWindowMs).toBeLessThanOrEqual(WRITEBACK_WINDOW_MS);
      }),
      { seed: SEED + 1, numRuns: RUNS },
    );
  });

  it('appendfsync everysec: a process crash loses only postponed writes; a power loss only the last seconds', { timeout: PROPERTY_TIMEOUT_MS }, () => {
    fc.assert(
      fc.property(scenario({ appendonly: true, appendfsync: 'everysec' }), (s) => {
        const checked = checkRun(s, run(s));
        if (checked === null) return;
        const { report } = checked;
        const suspended = s.noFsyncOnRewrite && checked.lostRecords.some((record) => record.childRan);
        if (s.crash !== 'power') {
          // The page cache survives: only what sat in aof_buf, postponed behind a slow fsync, for at most 2 s (and a cron tick).
          if (s.fsyncMs === 0) expect(report.lostCount).toBe(0);
          for (const lost of report.lost) expect(lost.reason).toBe('in-aof-buf');
          expect(report.lossWindowMs).toBeLessThanOrEqual(2100);
        } else if (!suspended) {
          // Fsynced once a second (plus a cron tick); a slow fsync delays the next one, and postpones writes up to 2 s.
          expect(report.lossWindowMs).toBeLessThanOrEqual(s.fsyncMs === 0 ? 2000 : 3300 + 2 * s.fsyncMs);
        } else {
          expect(report.lossWindowMs).toBeLessThanOrEqual(WRITEBACK_WINDOW_MS + 3300 + 2 * s.fsyncMs);
        }
      }),
      { seed: SEED + 2, numRuns: RUNS },
    );
  });

  it('appendfsync no: a power loss loses at most the writeback window; a process crash nothing', { timeout: PROPERTY_TIMEOUT_MS }, () => {
    fc.assert(
      fc.property(scenario({ appendonly: true, appendfsync: 'no' }), (s) => {
        const checked = checkRun(s, run(s));
        if (checked === null) return;
        if (s.crash === 'power') expect(checked.report.lossWindowMs).toBeLessThanOrEqual(WRITEBACK_WINDOW_MS);
        else expect(checked.report.lostCount).toBe(0);
      }),
      { seed: SEED + 3, numRuns: RUNS },
    );
  });

  it('a power loss in the middle of a background fsync: the load cuts the half command, or refuses under aof-load-truncated no', { timeout: PROPERTY_TIMEOUT_MS }, () => {
    // Big writes fill several 4 KiB pages; a new second starts a slow fsync of them; the power goes while it runs.
    const bigWrite = fc.tuple(stringKey, fc.integer({ min: 1000, max: 6000 })).map(([k, n]): Step => ({ kind: 'command', lines: [`SET ${k} ${'y'.repeat(n)}`] }));
    const partial = fc
      .record({
        base: scenario({ appendonly: true, appendfsync: 'everysec' }),
        fsyncMs: fc.integer({ min: 500, max: 3000 }),
        writes: fc.array(bigWrite, { minLength: 2, maxLength: 8 }),
        last: bigWrite,
        fraction: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
      })
      .map(({ base, fsyncMs, writes, last, fraction }): Scenario => ({
        ...base,
        noFsyncOnRewrite: false,
        diskMbps: 100,
        fsyncMs,
        steps: [...base.steps.filter((step) => step.kind !== 'persist'), ...writes, { kind: 'advance', ms: fsyncMs + 2000 }, last, { kind: 'advance', ms: Math.max(1, Math.floor(fraction * fsyncMs)) }],
        crash: 'power',
        afterCrashMs: 0,
        refuseTruncated: true,
      }));
    let cut = 0;
    fc.assert(
      fc.property(partial, (s) => {
        const outcome = run(s);
        const checked = checkRun(s, outcome);
        expect(checked).not.toBeNull();
        const truncated = outcome.engine.serverLog.some((entry) => entry.includes('# !!! Truncating the AOF appendonly.aof.1.incr.aof at offset'));
        // Refused exactly when the file ended in the middle of a command, and then cut on the way in.
        expect(outcome.refused !== null).toBe(truncated);
        if (outcome.refused !== null) {
          cut++;
          expect(outcome.refused).toBe(
            "Unexpected end of file reading the append only file appendonly.aof.1.incr.aof. You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.",
          );
          expect(checked!.report.lost.map((lost) => lost.reason)).toContain('truncated');
        }
      }),
      { seed: SEED + 5, numRuns: RUNS / 2 },
    );
    // The cut in the middle of a command is what this property is about: it must have happened often.
    expect(cut).toBeGreaterThan(RUNS / 10);
  });

  it('RDB only: the keyspace at the fork of the last completed save, less the keys expired by load time', { timeout: PROPERTY_TIMEOUT_MS }, () => {
    fc.assert(
      fc.property(scenario({ appendonly: false }), (s) => {
        const outcome = run(s);
        const checked = checkRun(s, outcome);
        expect(checked).not.toBeNull();
        const loadedAtMs = outcome.engine.nowMs;
        expect(exportKeyspace(outcome.engine.dbs, loadedAtMs)).toEqual(logical(outcome.lastSnapshot ?? {}, loadedAtMs));
        const reasons = new Set(checked!.report.lost.map((lost) => lost.reason));
        expect([...reasons]).toEqual(reasons.size === 0 ? [] : [outcome.lastSnapshot === null ? 'no-persistence' : 'after-snapshot']);
      }),
      { seed: SEED + 4, numRuns: RUNS },
    );
  });
});
