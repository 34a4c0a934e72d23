/**
 * Memory for 1,000,000 small string keys (`key:N` → `value:N`), measured in a fresh process with
 * the garbage collector exposed: heapUsed + arrayBuffers after the load, minus before. beforeSleep
 * runs after every 50 commands, as a server's event loop runs it after each batch it reads: it
 * releases the replies, and with them the write ledger's record of each unacknowledged write,
 * which would otherwise count a million replies no client is still waiting for.
 * Run as a script, it prints the figure in bytes as JSON.
 */
import { Engine } from '../src/engine/index.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

const used = () => {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

const keys = Number(process.argv[2] ?? 1_000_000);
const before = used();
const engine = new Engine({ epochMs: 0 });
const client = engine.newClient();
for (let i = 0; i < keys; i++) {
  engine.execute(client, ['SET', `key:${i}`, `value:${i}`]);
  if (i % 50 === 49) engine.beforeSleep();
}
engine.beforeSleep();
const after = used();
if (engine.dbs[0]?.size !== keys) throw new Error('keys missing');
process.stdout.write(JSON.stringify({ keys, bytes: after - before }));
