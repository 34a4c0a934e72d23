import type { TapeLine } from '../../src/embed/url-state.ts';

/**
 * A realistic long session for size tests: 500 typed lines of what a class does in the lab
 * (strings, hashes, lists, TTLs, snapshots, AOF settings, crashes and restarts), with the live
 * clock's ticks between them (a few per line, 100 ms give or take a millisecond, as a busy tab's
 * timer drifts) and the odd jump of the clock panel. Deterministic (its own small generator).
 */
export function realisticSession(typedLines = 500): TapeLine[] {
  let seed = 20260101;
  const random = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const names = ['ada', 'grace', 'linus', 'alan', 'barbara', 'edsger', 'margaret', 'ken', 'فاطمة', 'خالد'];
  const commands: (() => string)[] = [
    () => `SET user:${Math.floor(random() * 400)}:name "${pick(names)} ${Math.floor(random() * 90)}"`,
    () => `HSET session:${Math.floor(random() * 300)} user ${pick(names)} cart ${Math.floor(random() * 20)}`,
    () => `RPUSH queue:jobs job:${Math.floor(random() * 5000)}`,
    () => `INCRBY counter:${pick(names)} ${1 + Math.floor(random() * 50)}`,
    () => `EXPIRE user:${Math.floor(random() * 400)}:name ${5 + Math.floor(random() * 120)}`,
    () => `ZADD leaderboard ${Math.floor(random() * 10_000)} ${pick(names)}`,
    () => `GET user:${Math.floor(random() * 400)}:name`,
    () => `SADD tags:${pick(names)} redis rdb aof`,
    () => `DEL user:${Math.floor(random() * 400)}:name`,
    () => pick(['BGSAVE', 'SAVE', 'BGREWRITEAOF', 'INFO persistence', 'DBSIZE', 'LASTSAVE']),
    () => `CONFIG SET appendfsync ${pick(['always', 'everysec', 'no'])}`,
    () => pick(['CONFIG SET appendonly yes', 'CONFIG SET save "60 1000"', 'SIM CRASH PROCESS', 'SIM RESTART', 'SIM CRASH POWER']),
  ];
  const tape: TapeLine[] = [];
  for (let i = 0; i < typedLines; i++) {
    tape.push({ kind: 'line', line: pick(commands)() });
    const ticks = Math.floor(random() * 5);
    for (let t = 0; t < ticks; t++) tape.push({ kind: 'tick', line: `SIM ADVANCE ${random() < 0.75 ? 100 : pick([99, 101, 102])}` });
    if (random() < 0.04) tape.push({ kind: 'skip', line: 'SIM ADVANCE 10000' });
  }
  return tape;
}
