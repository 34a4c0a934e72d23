import type { CommandContext } from './types.ts';
import { RedisList, RedisZSet, type RedisType, type RedisValue } from '../keyspace/values.ts';

/** The JavaScript shape of each Redis type. */
export interface ValueOfType {
  string: string;
  list: RedisList;
  hash: Map<string, string>;
  set: Set<string>;
  zset: RedisZSet;
}

function isType(value: RedisValue, type: RedisType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'list':
      return value instanceof RedisList;
    case 'zset':
      return value instanceof RedisZSet;
    case 'hash':
      return value instanceof Map;
    case 'set':
      return value instanceof Set;
  }
}

/**
 * Looks a key up (after lazy expiry) expecting one type: the value, `undefined` when the key does
 * not exist, or `null` when it holds another type (the caller answers WRONGTYPE). Reads count
 * keyspace hits and misses; writes do not.
 */
export function lookupTyped<T extends RedisType>(
  ctx: CommandContext,
  key: string,
  type: T,
  mode: 'read' | 'write',
): ValueOfType[T] | undefined | null {
  const value = mode === 'read' ? ctx.engine.lookupRead(ctx.db, key) : ctx.engine.lookupWrite(ctx.db, key);
  if (value === undefined) return undefined;
  return isType(value, type) ? (value as ValueOfType[T]) : null;
}
