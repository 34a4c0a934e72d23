import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { Engine, type Client } from '../../src/engine/index.ts';
import { estimateMemory, PER_CLIENT_BYTES, PER_EXPIRE_BYTES, PER_KEY_BYTES, SCRIPTS_BYTES, STARTUP_BYTES, walkDatasetBytes } from '../../src/engine/memory/usage.ts';

/**
 * used_memory is kept as keys change (each database counts its dataset bytes on every set,
 * delete, in-place change of a container, flush and load), never by walking the keys. The oracle
 * is the walk: over seeded random runs of every command family (every type, expiry lazy and
 * active, RENAME, FLUSHDB/FLUSHALL, DEBUG POPULATE, DEBUG RELOAD with its options, MULTI/EXEC,
 * SAVE/BGSAVE/BGREWRITEAOF, crashes and restarts from the RDB or the AOF, checkpoints carried on
 * with), the figures INFO reads equal the walk's after every line.
 */

const EPOCH_MS = Date.UTC(2026, 0, 1, 9, 0, 0);

/** used_memory, overhead and dataset counted key by key, as the node did before it kept them. */
function walked(engine: Engine) {
  let dataset = 0;
  let overhead = STARTUP_BYTES + SCRIPTS_BYTES + engine.connectedClients * PER_CLIENT_BYTES;
  for (const db of engine.dbs) {
    overhead += db.size * PER_KEY_BYTES + db.expires.size * PER_EXPIRE_BYTES;
    dataset += walkDatasetBytes(db);
  }
  return { used: overhead + dataset, overhead, dataset };
}

function kept(engine: Engine) {
  const { used, overhead, dataset } = estimateMemory(engine);
  return { used, overhead, dataset };
}

const key = fc.constantFrom('a', 'b', 'c', 'l', 'h', 's', 'z', 'key:1', 'key:7');
const word = fc.constantFrom('x', 'yy', '1', '2', '-3', '10', '3.5', 'm', 'longer-member', '');
const words = fc.array(word, { minLength: 1, maxLength: 4 }).map((ws) => ws.map((w) => `"${w}"`).join(' '));
const small = fc.integer({ min: -3, max: 6 });
const bigValue = fc.integer({ min: 1, max: 5000 }).map((n) => 'v'.repeat(n));

const line: fc.Arbitrary<string> = fc.oneof(
  // Strings, their expiries and their in-place rewrites (new strings each time).
  fc.tuple(key, word).map(([k, v]) => `SET ${k} "${v}"`),
  fc.tuple(key, bigValue).map(([k, v]) => `SET ${k} ${v}`),
  fc.tuple(key, word, fc.constantFrom('EX 1', 'PX 40', 'KEEPTTL', 'GET', 'NX', 'XX', 'PXAT 1')).map(([k, v, o]) => `SET ${k} "${v}" ${o}`),
  fc.tuple(fc.constantFrom('SETEX', 'PSETEX'), key, fc.integer({ min: 1, max: 900 }), word).map(([c, k, n, v]) => `${c} ${k} ${n} "${v}"`),
  fc.tuple(fc.constantFrom('GETSET', 'APPEND', 'SETNX'), key, word).map(([c, k, v]) => `${c} ${k} "${v}"`),
  fc.tuple(key, fc.integer({ min: 0, max: 40 }), word).map(([k, o, v]) => `SETRANGE ${k} ${o} "${v}"`),
  fc.tuple(fc.constantFrom('INCR', 'DECR', 'GETDEL', 'GET', 'EXISTS', 'TTL', 'PERSIST', 'DEL', 'UNLINK', 'TYPE'), key).map(([c, k]) => `${c} ${k}`),
  fc.tuple(fc.constantFrom('INCRBY', 'DECRBY', 'INCRBYFLOAT'), key, small).map(([c, k, n]) => `${c} ${k} ${n}`),
  fc.tuple(key, word, key, word).map(([k1, v1, k2, v2]) => `MSET ${k1} "${v1}" ${k2} "${v2}"`),
  fc.tuple(key, word, key, word).map(([k1, v1, k2, v2]) => `MSETNX ${k1} "${v1}" ${k2} "${v2}"`),
  fc.tuple(key, fc.constantFrom('EX 1', 'PX 30', 'PERSIST', '')).map(([k, o]) => `GETEX ${k} ${o}`),
  // Expiry, relative and absolute (some in the past: the key goes at once).
  fc.tuple(fc.constantFrom('EXPIRE', 'PEXPIRE'), key, fc.integer({ min: -1, max: 1500 })).map(([c, k, n]) => `${c} ${k} ${n}`),
  fc.tuple(fc.constantFrom('EXPIREAT', 'PEXPIREAT'), key, fc.constantFrom(1, 1767258000, 1767258000500)).map(([c, k, n]) => `${c} ${k} ${n}`),
  // Lists.
  fc.tuple(fc.constantFrom('LPUSH', 'RPUSH', 'LPUSHX', 'RPUSHX'), key, words).map(([c, k, vs]) => `${c} ${k} ${vs}`),
  fc.tuple(fc.constantFrom('LPOP', 'RPOP'), key, fc.option(fc.integer({ min: 0, max: 5 }))).map(([c, k, n]) => (n === null ? `${c} ${k}` : `${c} ${k} ${n}`)),
  fc.tuple(key, small, word).map(([k, i, v]) => `LSET ${k} ${i} "${v}"`),
  fc.tuple(key, small, word).map(([k, n, v]) => `LREM ${k} ${n} "${v}"`),
  fc.tuple(key, small, small).map(([k, a, b]) => `LTRIM ${k} ${a} ${b}`),
  fc.tuple(key, fc.constantFrom('BEFORE', 'AFTER'), word, word).map(([k, w, p, v]) => `LINSERT ${k} ${w} "${p}" "${v}"`),
  // Hashes.
  fc.tuple(fc.constantFrom('HSET', 'HMSET'), key, word, word, word, word).map(([c, k, f1, v1, f2, v2]) => `${c} ${k} "${f1}" "${v1}" "${f2}" "${v2}"`),
  fc.tuple(key, word, word).map(([k, f, v]) => `HSETNX ${k} "${f}" "${v}"`),
  fc.tuple(key, words).map(([k, fs]) => `HDEL ${k} ${fs}`),
  fc.tuple(fc.constantFrom('HINCRBY', 'HINCRBYFLOAT'), key, word, small).map(([c, k, f, n]) => `${c} ${k} "${f}" ${n}`),
  // Sets.
  fc.tuple(fc.constantFrom('SADD', 'SREM'), key, words).map(([c, k, ms]) => `${c} ${k} ${ms}`),
  fc.tuple(key, fc.option(fc.integer({ min: 0, max: 5 }))).map(([k, n]) => (n === null ? `SPOP ${k}` : `SPOP ${k} ${n}`)),
  // Sorted sets.
  fc.tuple(key, fc.constantFrom('', 'NX', 'XX', 'GT', 'LT', 'CH', 'INCR'), fc.constantFrom('1', '2.5', '-1', '+inf'), word).map(([k, o, s, m]) => `ZADD ${k} ${o} ${s} "${m}"`),
  fc.tuple(key, small, word).map(([k, n, m]) => `ZINCRBY ${k} ${n} "${m}"`),
  fc.tuple(key, words).map(([k, ms]) => `ZREM ${k} ${ms}`),
  // The keyspace as a whole.
  fc.tuple(fc.constantFrom('RENAME', 'RENAMENX'), key, key).map(([c, a, b]) => `${c} ${a} ${b}`),
  fc.constantFrom('SELECT 0', 'SELECT 1', 'SELECT 2', 'FLUSHDB', 'FLUSHALL', 'MULTI', 'EXEC', 'DISCARD'),
  fc.tuple(fc.integer({ min: 0, max: 40 }), fc.constantFrom('', 'key', 'p'), fc.constantFrom('', '0', '3', '50')).map(([n, p, s]) =>
    p === '' ? `DEBUG POPULATE ${n}` : `DEBUG POPULATE ${n} ${p} ${s}`,
  ),
  fc.constantFrom('DEBUG RELOAD', 'DEBUG RELOAD NOSAVE', 'DEBUG RELOAD MERGE', 'DEBUG RELOAD MERGE NOFLUSH', 'DEBUG RELOAD NOFLUSH NOSAVE', 'DEBUG RELOAD MERGE NOFLUSH NOSAVE'),
  // Persistence, time, crashes and restarts.
  fc.constantFrom('SAVE', 'BGSAVE', 'BGREWRITEAOF', 'CONFIG SET appendonly yes', 'CONFIG SET appendonly no'),
  fc.integer({ min: 1, max: 2500 }).map((ms) => `SIM ADVANCE ${ms}`),
);

/** The server goes down and starts again, reading the RDB or the AOF (restarts can also fail). */
const downAndUp = fc
  .tuple(fc.constantFrom('SIM CRASH PROCESS', 'SIM CRASH POWER', 'SHUTDOWN NOSAVE', 'SHUTDOWN SAVE'), fc.constantFrom('', ' --appendonly yes', ' --appendonly no'))
  .map(([down, options]) => [down, `SIM RESTART${options}`, 'SIM ADVANCE 2000']);

/** Lines, or (rarely) a checkpoint of the node that the run then carries on with. */
const step = fc.oneof({ weight: 40, arbitrary: line.map((text) => [text]) }, { weight: 1, arbitrary: downAndUp }, { weight: 1, arbitrary: fc.constant(['checkpoint']) });

describe('used_memory kept as keys change', () => {
  test('equals the walk of every key after every line of random runs', () => {
    const runs = fc.sample(fc.array(step, { minLength: 120, maxLength: 120 }), { seed: 20_261_124, numRuns: 40 });
    let checked = 0;
    let carriedOn = 0;
    for (const steps of runs) {
      const script = steps.flat();
      let engine = new Engine({ epochMs: EPOCH_MS, configFile: true, config: { save: '' } });
      let client: Client = engine.newClient();
      for (const text of script) {
        if (text === 'checkpoint') {
          const copy = engine.checkpoint(client);
          if (copy === null) continue;
          engine = copy.engine;
          client = copy.held;
          carriedOn++;
        } else {
          engine.run(text, client);
          // A crash or restart dropped the connection: a new one, as redis-cli would reconnect.
          if (/^(SIM CRASH|SIM RESTART|SHUTDOWN)/.test(text)) client = engine.newClient();
        }
        expect(kept(engine), `after ${text}`).toEqual(walked(engine));
        checked++;
      }
      // INFO reads the same figures (asked on a connection of its own: the run's may be in a MULTI).
      if (engine.running && !engine.loading) {
        const reply = engine.run('INFO memory', engine.newClient());
        const text = reply.kind === 'reply' && reply.reply.type === 'bulk' ? String(reply.reply.value) : '';
        expect(Number(/used_memory:(\d+)/.exec(text)?.[1])).toBe(walked(engine).used);
      }
    }
    expect(checked).toBeGreaterThan(4000);
    expect(carriedOn).toBeGreaterThan(20);
  });

  test('a loaded dataset is counted as it goes in: containers, expiries and keys from DEBUG POPULATE', () => {
    const engine = new Engine({ epochMs: EPOCH_MS, config: { save: '' } });
    const client = engine.newClient();
    for (const text of ['RPUSH l a b c', 'HSET h f v g w', 'SADD s 1 2 3', 'ZADD z 1 a 2 b', 'SET big ' + 'x'.repeat(3000), 'PEXPIRE big 100000', 'DEBUG POPULATE 500', 'SAVE']) {
      engine.run(text, client);
    }
    const before = kept(engine);
    expect(before).toEqual(walked(engine));
    engine.restart();
    while (engine.loading) engine.advance(100);
    // A restart has no client yet; the dataset and the keys' overhead are as they were.
    expect(kept(engine)).toEqual(walked(engine));
    expect(kept(engine).dataset).toBe(before.dataset);
  });
});
