/**
 * Differential runs of command lines against a real redis-server 7.0.15 started with an AOF, for
 * every command family's tests. For each line it compares the reply (through compare.ts, which
 * sorts unordered replies and compares random ones by shape) and the increments of dirty
 * (rdb_changes_since_last_save), keyspace_hits and keyspace_misses; over a run it compares the
 * commands the engine propagated with those the real server appended to its AOF.
 *
 *   const real = realRedisAround(() => startAofRedis(PORT)); // in the describe block
 *   const side = wallClockEngine();                           // once per test, or shared by fast-check runs
 *   await expectSameAsRedis(real(), side, lines);             // replay() and its two expectations
 *
 * The engine's clock follows the wall clock, as the real server's does, so relative expiries
 * agree; runs that set expiries opt into the tolerance of `wallClockExpiries` for the AOF.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { decodeReplies } from '../../src/codec/resp.ts';
import type { Reply } from '../../src/codec/reply.ts';
import { Engine, type Client, type EngineOptions } from '../../src/engine/index.ts';
import { compareWithRedis, type Mismatch } from './compare.ts';
import { startRealRedis, type RealRedis, type RedisConnection } from './real-redis.ts';

/**
 * A real server writing every command to its AOF before replying (appendfsync always), so the
 * AOF can be read as soon as a reply has come. startRealRedis has already had a reply, which
 * proves the event loop runs and the AOF files exist (Redis accepts connections slightly earlier).
 */
export function startAofRedis(port: number, extraArgs: readonly string[] = []): Promise<RealRedis> {
  return startRealRedis(port, ['--appendonly', 'yes', '--appendfsync', 'always', ...extraArgs]);
}

/**
 * A real server for the tests of the enclosing describe block: `start` runs before them, and the
 * server is stopped after them. The function returned gives the server to a test.
 */
export function realRedisAround(start: () => Promise<RealRedis>): () => RealRedis {
  let real: RealRedis | undefined;
  beforeAll(async () => {
    real = await start();
  });
  afterAll(async () => {
    await real?.stop();
  });
  return () => {
    if (real === undefined) throw new Error('the real redis-server did not start');
    return real;
  };
}

/** The engine side of a differential run: the engine, its client and what it propagated so far. */
export interface EngineSide {
  readonly engine: Engine;
  readonly client: Client;
  /** The argv of every command.propagated event, in order; replay() empties it first. */
  readonly propagated: string[][];
}

/**
 * An engine at the wall clock, configured like the real server (`save ""`, so no snapshot resets
 * its dirty counter), recording its propagated commands. `options.config` adds to that config.
 */
export function wallClockEngine(options: EngineOptions = {}): EngineSide {
  const engine = new Engine({ ...options, epochMs: Date.now(), config: { save: '', ...options.config } });
  const propagated: string[][] = [];
  engine.subscribe(
    (event) => {
      if (event.type === 'command.propagated') propagated.push([...event.argv]);
    },
    ['command.propagated'],
  );
  return { engine, client: engine.newClient(), propagated };
}

// ---- replies and counters, line by line -------------------------------------------------------------

const COUNTERS = ['rdb_changes_since_last_save', 'keyspace_hits', 'keyspace_misses'] as const;

/** A line whose increments of dirty, keyspace_hits and keyspace_misses (in that order) differ. */
export interface CounterMismatch {
  line: string;
  counters: { engine: number[]; redis: number[] };
}

export type Difference = Mismatch | CounterMismatch;

export interface DifferentialOptions {
  /**
   * FLUSHALL lines empty both sides directly, outside the comparison (default true): a run starts
   * from scratch without FLUSHALL's own dirty count and AOF entry (realAof leaves those out).
   * False sends them like any other line, to test FLUSHALL itself.
   */
  readonly flushallResets?: boolean;
}

/**
 * Each server's side connection for INFO: on the main connection INFO would be queued inside
 * MULTI. Counters are server-wide, so reading them elsewhere changes nothing.
 */
const observers = new WeakMap<RealRedis, Promise<RedisConnection>>();

async function realCounters(real: RealRedis): Promise<number[]> {
  let observer = observers.get(real);
  if (observer === undefined) observers.set(real, (observer = real.connect()));
  const info = (await (await observer).command(['INFO'])).value as string;
  return COUNTERS.map((name) => Number(new RegExp(`\\r\\n${name}:(\\d+)\\r\\n`).exec(info)?.[1]));
}

const engineCounters = (engine: Engine) => [engine.dirty, engine.stats.keyspaceHits, engine.stats.keyspaceMisses];

/**
 * Runs lines on both sides in order, the engine's clock brought to the wall clock before each.
 * Blank lines and `#` comments are skipped. Returns the reply mismatches and the lines whose
 * counter increments differ.
 */
export async function differential(
  real: RealRedis,
  engine: Engine,
  client: Client,
  lines: readonly string[],
  options: DifferentialOptions = {},
): Promise<Difference[]> {
  const flushallResets = options.flushallResets ?? true;
  const differences: Difference[] = [];
  for (const line of lines) {
    if (/^\s*(#|$)/.test(line)) continue;
    if (flushallResets && /^\s*flushall\s*$/i.test(line)) {
      await real.command(['FLUSHALL']);
      engine.flush('all');
      continue;
    }
    const realBefore = await realCounters(real);
    const engineBefore = engineCounters(engine);
    engine.advanceTo(Date.now());
    differences.push(...(await compareWithRedis(real, engine, client, [line])));
    const realDelta = (await realCounters(real)).map((value, i) => value - (realBefore[i] as number));
    const engineDelta = engineCounters(engine).map((value, i) => value - (engineBefore[i] as number));
    if (engineDelta.join() !== realDelta.join()) differences.push({ line, counters: { engine: engineDelta, redis: realDelta } });
  }
  return differences;
}

// ---- the AOF ----------------------------------------------------------------------------------------

export interface AofReadOptions {
  /** Keep FLUSHALL entries (default: left out, being the resets of differential()). */
  readonly keepFlushall?: boolean;
}

/** The commands the real server has appended to its AOF so far, minus SELECT (and FLUSHALL). */
export function realAof(real: RealRedis, options: AofReadOptions = {}): string[][] {
  const dropped = options.keepFlushall === true ? ['select'] : ['select', 'flushall'];
  const text = readFileSync(join(real.dir, 'appendonlydir', 'appendonly.aof.1.incr.aof'), 'latin1');
  return decodeReplies(text)
    .map((reply) => (reply.value as Reply[]).map((word) => word.value as string))
    .filter((argv) => !dropped.includes((argv[0] as string).toLowerCase()));
}

export interface AofComparison {
  /**
   * The run sets expiries while both clocks follow the wall clock (default false: exact
   * comparison). Then two things depend on timing, not on the engine:
   * - Redis 7.0 wraps a command in MULTI/EXEC with the expiry DELs it triggered, but whether a key
   *   expired lazily inside the command or was caught a moment earlier by active expiry (a lone
   *   DEL) depends on when serverCron ran; blocks that open with a DEL are unwrapped on both sides
   *   (the wrapping itself is tested on the engine's fixed clock);
   * - absolute times computed from "now" (PEXPIREAT, SET … PXAT) differ by the milliseconds
   *   between the two executions; within a second, the engine's is replaced by the real one.
   */
  readonly wallClockExpiries?: boolean;
  /** A family's own view applied to both sides last, for what it knows is random (SPOP's members). */
  readonly view?: (aof: readonly string[][]) => string[][];
}

/**
 * MULTI/EXEC removed around blocks that open with a DEL (see AofComparison.wallClockExpiries).
 */
function unwrapExpiryBlocks(aof: readonly string[][]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < aof.length; i++) {
    const argv = aof[i] as string[];
    const end = argv[0] === 'MULTI' && aof[i + 1]?.[0] === 'DEL' ? aof.findIndex((a, j) => j > i && a[0] === 'EXEC') : -1;
    if (end === -1) {
      out.push([...argv]);
      continue;
    }
    out.push(...aof.slice(i + 1, end).map((a) => [...a]));
    i = end;
  }
  return out;
}

/** The engine's entries with each absolute time replaced by the real server's when within a second. */
function alignClockTimes(ours: readonly string[][], theirs: readonly string[][]): string[][] {
  return ours.map((argv, n) => {
    const other = theirs[n];
    if (other === undefined || other[0] !== argv[0] || other.length !== argv.length) return [...argv];
    return argv.map((word, i) => {
      const timed = (i === 2 && argv[0] === 'PEXPIREAT') || (i === 4 && argv[3] === 'PXAT');
      const real = other[i] as string;
      return timed && /^\d+$/.test(word) && /^\d+$/.test(real) && Math.abs(Number(word) - Number(real)) < 1000 ? real : word;
    });
  });
}

/** The engine's and the real server's AOF entries, made comparable with a plain equality. */
export function comparableAofs(
  engineAof: readonly string[][],
  redisAof: readonly string[][],
  options: AofComparison = {},
): { engine: string[][]; redis: string[][] } {
  let ours = engineAof.map((argv) => [...argv]);
  let theirs = redisAof.map((argv) => [...argv]);
  if (options.wallClockExpiries === true) {
    theirs = unwrapExpiryBlocks(theirs);
    ours = alignClockTimes(unwrapExpiryBlocks(ours), theirs);
  }
  const view = options.view ?? ((aof: readonly string[][]) => aof.map((argv) => [...argv]));
  return { engine: view(ours), redis: view(theirs) };
}

// ---- a whole run ----------------------------------------------------------------------------------

export interface Replay {
  readonly differences: Difference[];
  /** What each side wrote to its AOF during the run, made comparable. */
  readonly aof: { engine: string[][]; redis: string[][] };
}

/**
 * Runs lines through differential(), after emptying side.propagated, and returns its differences
 * with the AOF entries both sides wrote meanwhile.
 */
export async function replay(
  real: RealRedis,
  side: EngineSide,
  lines: readonly string[],
  options: DifferentialOptions & AofReadOptions & AofComparison = {},
): Promise<Replay> {
  side.propagated.length = 0;
  const aofBefore = realAof(real, options).length;
  const differences = await differential(real, side.engine, side.client, lines, options);
  return { differences, aof: comparableAofs(side.propagated, realAof(real, options).slice(aofBefore), options) };
}

/** replay() and what every differential test expects of it: no difference, the same AOF. */
export async function expectSameAsRedis(
  real: RealRedis,
  side: EngineSide,
  lines: readonly string[],
  options: DifferentialOptions & AofReadOptions & AofComparison = {},
): Promise<void> {
  const { differences, aof } = await replay(real, side, lines, options);
  expect(differences).toEqual([]);
  expect(aof.engine).toEqual(aof.redis);
}
