import { RedisList } from './list.ts';
import { RedisZSet } from './zset.ts';

/**
 * The value types a key can hold. Strings are bin strings held directly, the common case with no
 * wrapper; the containers are Map/Set/RedisList/RedisZSet. Hash and set members are bin strings too.
 */
export type RedisValue = string | RedisList | Map<string, string> | Set<string> | RedisZSet;

/** What TYPE replies. */
export type RedisType = 'string' | 'list' | 'hash' | 'set' | 'zset';

export function typeOf(value: RedisValue): RedisType {
  if (typeof value === 'string') return 'string';
  if (value instanceof RedisList) return 'list';
  if (value instanceof RedisZSet) return 'zset';
  if (value instanceof Map) return 'hash';
  return 'set';
}

export { RedisList, RedisZSet };
