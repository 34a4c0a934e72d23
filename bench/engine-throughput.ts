/**
 * In-process throughput of the engine's hottest commands, the way redis-benchmark exercises a
 * server: SET/GET/INCR over 100,000 random keys, LPUSH to one list, ZADD to one sorted set.
 */
import { Engine } from '../src/engine/index.ts';

export interface ThroughputResult {
  command: string;
  opsPerSecond: number;
}

const KEYSPACE = 100_000;

/**
 * A key as a server hands it over: a flat string read from bytes. A template literal would leave
 * a rope (a V8 cons string) that every Map lookup flattens again, measuring V8 rather than the engine.
 */
const flat = (text: string): string => Buffer.from(text, 'latin1').toString('latin1');

export function measureEngineThroughput(ops = 1_000_000): ThroughputResult[] {
  const engine = new Engine({ epochMs: Date.now() });
  const client = engine.newClient();
  // Argument vectors are built before timing, as a server's parser would hand them over.
  let seed = 12345;
  const nextKey = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return flat(`key:${String(seed % KEYSPACE).padStart(12, '0')}`);
  };
  const workloads: [string, () => string[][]][] = [
    ['SET', () => Array.from({ length: ops }, () => ['SET', nextKey(), 'xxx'])],
    ['GET', () => Array.from({ length: ops }, () => ['GET', nextKey()])],
    ['INCR', () => Array.from({ length: ops }, () => ['INCR', flat(`counter:${nextKey()}`)])],
    ['LPUSH', () => Array.from({ length: ops }, () => ['LPUSH', 'mylist', 'xxx'])],
    ['ZADD', () => Array.from({ length: ops / 10 }, (_, i) => ['ZADD', 'myzset', String(i % 1000), flat(`member:${nextKey()}`)])],
  ];
  const results: ThroughputResult[] = [];
  for (const [command, build] of workloads) {
    const batch = build();
    const started = performance.now();
    for (const argv of batch) engine.execute(client, argv);
    const seconds = (performance.now() - started) / 1000;
    results.push({ command, opsPerSecond: batch.length / seconds });
  }
  return results;
}
