/**
 * The console's quick actions: common writes, each an example line the learner can edit before
 * running. Lines are Redis commands, so they are the same in every language; only the
 * description (console.quick.<id>) is translated.
 */
export interface QuickAction {
  readonly id: 'set' | 'incr' | 'rpush' | 'hset' | 'sadd' | 'zadd' | 'expire' | 'del';
  readonly verb: string;
  readonly example: string;
}

export const QUICK_ACTIONS: readonly QuickAction[] = [
  { id: 'set', verb: 'SET', example: 'SET greeting "Hello, Redis"' },
  { id: 'incr', verb: 'INCR', example: 'INCR page:views' },
  { id: 'rpush', verb: 'RPUSH', example: 'RPUSH queue job:1 job:2 job:3' },
  { id: 'hset', verb: 'HSET', example: 'HSET user:1 name Ada lang en' },
  { id: 'sadd', verb: 'SADD', example: 'SADD tags redis rdb aof' },
  { id: 'zadd', verb: 'ZADD', example: 'ZADD leaderboard 90 ada 85 grace' },
  { id: 'expire', verb: 'EXPIRE', example: 'EXPIRE greeting 30' },
  { id: 'del', verb: 'DEL', example: 'DEL queue' },
];
