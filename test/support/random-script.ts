/**
 * Seeded random command scripts for the differential tests: a small vocabulary of keys and values
 * so commands collide (type errors, overwrites, expiries), drawn from every command family.
 */
import fc from 'fast-check';

const key = fc.constantFrom('k1', 'k2', 'k3', 'list', 'hash', 'set', 'zset', 'n');
const word = fc.constantFrom('a', 'b', 'c', '1', '2', '-3', '10', '3.5', 'x y', '', 'ü');
const int = fc.integer({ min: -5, max: 12 }).map(String);
const score = fc.constantFrom('1', '2.5', '-1', '0', '+inf', '-inf', '1e3', 'nan', 'abc');
const quote = (text: string) => `"${text}"`;

const line = fc.oneof(
  fc.tuple(fc.constantFrom('SET', 'GETSET', 'APPEND', 'SETNX'), key, word).map(([c, k, v]) => `${c} ${k} ${quote(v)}`),
  fc.tuple(fc.constantFrom('GET', 'STRLEN', 'INCR', 'DECR', 'TYPE', 'EXISTS', 'DEL', 'TTL', 'PERSIST', 'GETDEL', 'LLEN', 'HLEN', 'SCARD', 'ZCARD'), key).map(([c, k]) => `${c} ${k}`),
  fc.tuple(fc.constantFrom('INCRBY', 'DECRBY', 'EXPIRE', 'LINDEX'), key, int).map(([c, k, n]) => `${c} ${k} ${n}`),
  fc.tuple(key, word).map(([k, v]) => `INCRBYFLOAT ${k} ${quote(v)}`),
  fc.tuple(fc.constantFrom('LPUSH', 'RPUSH', 'SADD', 'SREM', 'LPUSHX'), key, fc.array(word, { minLength: 1, maxLength: 3 })).map(
    ([c, k, vs]) => `${c} ${k} ${vs.map(quote).join(' ')}`,
  ),
  fc.tuple(fc.constantFrom('LPOP', 'RPOP'), key, fc.option(int)).map(([c, k, n]) => (n === null ? `${c} ${k}` : `${c} ${k} ${n}`)),
  fc.tuple(key, int, int).map(([k, a, b]) => `LRANGE ${k} ${a} ${b}`),
  fc.tuple(fc.constantFrom('HSET', 'HSETNX'), key, word, word).map(([c, k, f, v]) => `${c} ${k} ${quote(f)} ${quote(v)}`),
  fc.tuple(fc.constantFrom('HGET', 'HDEL', 'HEXISTS'), key, word).map(([c, k, f]) => `${c} ${k} ${quote(f)}`),
  fc.tuple(key, word, int).map(([k, f, n]) => `HINCRBY ${k} ${quote(f)} ${n}`),
  fc.tuple(key, fc.constantFrom('', 'NX', 'XX', 'GT', 'LT', 'CH', 'INCR'), score, word).map(([k, o, s, m]) => `ZADD ${k} ${o} ${s} ${quote(m)}`),
  fc.tuple(fc.constantFrom('ZSCORE', 'ZRANK', 'ZREM', 'SISMEMBER'), key, word).map(([c, k, m]) => `${c} ${k} ${quote(m)}`),
  fc.tuple(key, score, score).map(([k, a, b]) => `ZRANGE ${k} ${a} ${b} BYSCORE WITHSCORES`),
  fc.tuple(key, key).map(([a, b]) => `RENAME ${a} ${b}`),
  fc.constantFrom('DBSIZE', 'KEYS *', 'SELECT 0', 'SELECT 1', 'SMEMBERS set', 'HGETALL hash', 'MULTI', 'EXEC', 'DISCARD', 'NOSUCHCOMMAND x'),
);

/** `count` scripts of `length` lines each, the same for the same seed. */
export function randomScripts(seed: number, count: number, length: number): string[][] {
  return fc.sample(fc.array(line, { minLength: length, maxLength: length }), { seed, numRuns: count });
}
