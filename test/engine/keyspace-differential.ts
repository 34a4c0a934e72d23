/**
 * Differential runs of keyspace commands (generic and string families) against a real
 * redis-server 7.0.15 started with an AOF: every reply, every increment of dirty,
 * keyspace_hits and keyspace_misses, and the AOF the real server wrote are compared with the
 * engine's. The engine's clock follows the wall clock, so relative expiries agree; absolute times
 * the two computed from their own "now" (PEXPIREAT, SET … PXAT) may differ by the milliseconds
 * between the two executions and are compared within a second.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeReplies } from '../../src/codec/resp.ts';
import type { Reply } from '../../src/codec/reply.ts';
import { Engine, type Client } from '../../src/engine/index.ts';
import { compareWithRedis, type Mismatch } from '../support/compare.ts';
import { startRealRedis, type RealRedis } from '../support/real-redis.ts';

/**
 * A real server writing every command to its AOF before replying. The first reply also proves the
 * event loop is running, so the AOF files exist (Redis accepts connections slightly earlier).
 */
export async function startAofRedis(port: number): Promise<RealRedis> {
  const real = await startRealRedis(port, ['--appendonly', 'yes', '--appendfsync', 'always']);
  await real.command(['PING']);
  return real;
}

/** An engine at the wall clock, with the argv of every propagated command. */
export function wallClockEngine() {
  const engine = new Engine({ epochMs: Date.now() });
  const propagated: string[][] = [];
  engine.subscribe((event) => {
    if (event.type === 'command.propagated') propagated.push([...event.argv]);
  });
  return { engine, client: engine.newClient(), propagated };
}

/** The counters compared after every line: dirty, keyspace hits, keyspace misses. */
async function realCounters(real: RealRedis): Promise<number[]> {
  const info = (await real.command(['INFO'])).value as string;
  return ['rdb_changes_since_last_save', 'keyspace_hits', 'keyspace_misses'].map((name) => Number(new RegExp(`${name}:(\\d+)`).exec(info)?.[1]));
}

const engineCounters = (engine: Engine) => [engine.dirty, engine.stats.keyspaceHits, engine.stats.keyspaceMisses];

export type Difference = Mismatch | { line: string; counters: { engine: number[]; redis: number[] } };

/**
 * Runs lines on both sides, the engine's clock brought to the wall clock before each; FLUSHALL
 * lines empty both directly. Returns the reply mismatches and the lines whose counter increments
 * differ.
 */
export async function differential(real: RealRedis, engine: Engine, client: Client, lines: readonly string[]): Promise<Difference[]> {
  const differences: Difference[] = [];
  for (const line of lines) {
    if (/^\s*flushall\s*$/i.test(line)) {
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

/** The commands the real server has appended to its AOF, minus SELECT and FLUSHALL. */
export function realAof(real: RealRedis): string[][] {
  const text = readFileSync(join(real.dir, 'appendonlydir', 'appendonly.aof.1.incr.aof'), 'latin1');
  return decodeReplies(text)
    .map((reply) => (reply.value as Reply[]).map((word) => word.value as string))
    .filter((argv) => !['select', 'flushall'].includes((argv[0] as string).toLowerCase()));
}

/**
 * MULTI/EXEC removed around blocks that open with a DEL. Redis 7.0 wraps a command together with
 * the expiry DELs it triggered; but whether a key expired lazily inside the command, or was caught
 * a moment earlier by active expiry (a lone DEL), depends on timing. The wrapping itself is tested
 * on the engine's fixed clock.
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

/**
 * The engine's and the real server's AOF entries, made comparable with a plain equality: expiry
 * wrappers removed (see above), and each absolute time computed from "now" (PEXPIREAT, SET … PXAT)
 * replaced by the real server's when the two are within a second.
 */
export function comparableAofs(engineAof: readonly string[][], redisAof: readonly string[][]): [string[][], string[][]] {
  const ours = unwrapExpiryBlocks(engineAof);
  const theirs = unwrapExpiryBlocks(redisAof);
  const aligned = ours.map((argv, n) => {
    const other = theirs[n];
    if (other === undefined || other[0] !== argv[0] || other.length !== argv.length) return argv;
    return argv.map((word, i) => {
      const timed = (i === 2 && argv[0] === 'PEXPIREAT') || (i === 4 && argv[3] === 'PXAT');
      const real = other[i] as string;
      return timed && /^\d+$/.test(word) && /^\d+$/.test(real) && Math.abs(Number(word) - Number(real)) < 1000 ? real : word;
    });
  });
  return [aligned, theirs];
}
