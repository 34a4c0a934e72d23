/**
 * Runs the same command lines through the engine and a real redis-server and lists where their
 * replies differ. Replies whose order Redis leaves unspecified are sorted first; replies that are
 * random or clock-dependent are compared by shape only (same reply type, same array length).
 */
import { splitArgs } from '../../src/codec/split-args.ts';
import { utf8ToBin } from '../../src/codec/bytes.ts';
import type { Reply } from '../../src/codec/reply.ts';
import type { Client, Engine } from '../../src/engine/index.ts';
import type { RealRedis } from './real-redis.ts';
import { SHAPE_ONLY, UNORDERED, UNORDERED_PAIRS } from './reply-contract.ts';

export interface Mismatch {
  line: string;
  engine: Reply;
  redis: Reply;
}

function sortReply(reply: Reply, pairs: boolean): Reply {
  if (reply.type !== 'array' || reply.value === null) return reply;
  if (!pairs) return { type: 'array', value: [...reply.value].sort(compareReplies) };
  const grouped: Reply[][] = [];
  for (let i = 0; i < reply.value.length; i += 2) grouped.push(reply.value.slice(i, i + 2));
  grouped.sort((a, b) => compareReplies(a[0] as Reply, b[0] as Reply));
  return { type: 'array', value: grouped.flat() };
}

function compareReplies(a: Reply, b: Reply): number {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function shape(reply: Reply): unknown {
  if (reply.type === 'array') return { type: 'array', items: reply.value?.map(shape) ?? null };
  return reply.type;
}

/** The normal form of a reply to `argv`, fit for an exact comparison. */
export function normalise(argv: readonly string[], reply: Reply): unknown {
  const name = (argv[0] ?? '').toLowerCase();
  if (SHAPE_ONLY.has(name)) return shape(reply);
  if (UNORDERED.has(name)) return sortReply(reply, false);
  if (UNORDERED_PAIRS.has(name)) return sortReply(reply, true);
  return reply;
}

const stringify = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

/** Runs every line on both sides, in order, and returns the lines whose replies differ. */
export async function compareWithRedis(real: RealRedis, engine: Engine, client: Client, lines: readonly string[]): Promise<Mismatch[]> {
  const mismatches: Mismatch[] = [];
  for (const line of lines) {
    const argv = splitArgs(utf8ToBin(line));
    if (argv === null || argv.length === 0) continue;
    const expected = await real.command(argv);
    const result = engine.run(line, client);
    const actual: Reply = result.kind === 'reply' ? result.reply : { type: 'error', value: `(${result.kind})` };
    // Integer replies may be number or bigint; compare them by their decimal text.
    if (stringify(normalise(argv, actual)) !== stringify(normalise(argv, expected))) {
      mismatches.push({ line, engine: actual, redis: expected });
    }
  }
  return mismatches;
}
