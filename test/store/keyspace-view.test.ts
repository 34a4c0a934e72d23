import { describe, expect, test } from 'vitest';
import { Db } from '../../src/engine/keyspace/db.ts';
import { RedisList, RedisZSet } from '../../src/engine/index.ts';
import { buildKeyspaceView, DEFAULT_LIMITS, recentlyTouchedKeys } from '../../src/store/keyspace-view.ts';
import { utf8ToBin } from '../../src/codec/bytes.ts';

const NOW_MS = Date.UTC(2026, 0, 1, 9, 0, 0);

function makeDbs(): Db[] {
  return Array.from({ length: 16 }, (_, index) => new Db(index));
}

describe(buildKeyspaceView, () => {
  test('lists non-empty databases, keys sorted, with type, size, preview and expiry', () => {
    const dbs = makeDbs();
    const db0 = dbs[0] as Db;
    db0.set('user:1', 'Ada Lovelace');
    db0.set('queue', new RedisList(['job:1', 'job:2', 'job:3']));
    db0.set('profile', new Map([['name', 'Ada'], ['lang', 'en']]));
    db0.set('tags', new Set(['redis', 'aof']));
    const zset = new RedisZSet();
    zset.set('grace', 85);
    zset.set('ada', 90);
    zset.set('inf', Infinity);
    db0.set('leaderboard', zset);
    db0.expires.set('user:1', NOW_MS + 30_000);
    (dbs[3] as Db).set('counter', '41');

    expect(buildKeyspaceView({ dbs, nowMs: NOW_MS })).toMatchInlineSnapshot(`
      {
        "dbs": [
          {
            "index": 0,
            "keyCount": 5,
            "keys": [
              {
                "expireAtMs": null,
                "id": "0:leaderboard",
                "name": "leaderboard",
                "preview": "{"grace": 85, "ada": 90, "inf": inf}",
                "size": 3,
                "type": "zset",
              },
              {
                "expireAtMs": null,
                "id": "0:profile",
                "name": "profile",
                "preview": "{"name": "Ada", "lang": "en"}",
                "size": 2,
                "type": "hash",
              },
              {
                "expireAtMs": null,
                "id": "0:queue",
                "name": "queue",
                "preview": "["job:1", "job:2", "job:3"]",
                "size": 3,
                "type": "list",
              },
              {
                "expireAtMs": null,
                "id": "0:tags",
                "name": "tags",
                "preview": "{"redis", "aof"}",
                "size": 2,
                "type": "set",
              },
              {
                "expireAtMs": 1767258030000,
                "id": "0:user:1",
                "name": "user:1",
                "preview": ""Ada Lovelace"",
                "size": 12,
                "type": "string",
              },
            ],
            "moreCount": 0,
            "recentKeys": [],
          },
          {
            "index": 3,
            "keyCount": 1,
            "keys": [
              {
                "expireAtMs": null,
                "id": "3:counter",
                "name": "counter",
                "preview": ""41"",
                "size": 2,
                "type": "string",
              },
            ],
            "moreCount": 0,
            "recentKeys": [],
          },
        ],
        "totalKeys": 6,
      }
    `);
  });

  test('shows UTF-8 as text and escapes bytes that are not, and control characters', () => {
    const dbs = makeDbs();
    (dbs[0] as Db).set(utf8ToBin('تحية'), utf8ToBin('مرحبا "يا" عالم'));
    (dbs[0] as Db).set('bin\xff\x00', 'line\nbreak');
    const rows = buildKeyspaceView({ dbs, nowMs: NOW_MS }).dbs[0]?.keys ?? [];
    expect(rows.map((row) => [row.name, row.preview, row.size])).toEqual([
      ['bin\\xff\\x00', '"line\\nbreak"', 10],
      ['تحية', '"مرحبا \\"يا\\" عالم"', 26],
    ]);
  });

  test('previews stay short: a few elements, a few dozen bytes, cut on a character boundary', () => {
    const dbs = makeDbs();
    const db = dbs[0] as Db;
    db.set('long', utf8ToBin('ب'.repeat(100)));
    db.set('list', new RedisList(Array.from({ length: 1000 }, (_, i) => `item-${i}`)));
    const [list, long] = buildKeyspaceView({ dbs, nowMs: NOW_MS }).dbs[0]?.keys ?? [];
    expect(list?.preview).toBe('["item-0", "item-1", "item-2", "item-3", "item-4", …]');
    expect(list?.size).toBe(1000);
    // 64 bytes hold 32 two-byte letters; the preview never shows a half letter as \xd8.
    expect(long?.preview).toBe(`"${'ب'.repeat(32)}"…`);
    expect(long?.size).toBe(200);
  });

  test('leaves out keys past their expiry that are not yet reclaimed', () => {
    const dbs = makeDbs();
    (dbs[0] as Db).set('gone', 'x');
    (dbs[0] as Db).expires.set('gone', NOW_MS - 1);
    (dbs[0] as Db).set('alive', 'x');
    (dbs[0] as Db).expires.set('alive', NOW_MS); // a key is alive at its expiry ms
    const view = buildKeyspaceView({ dbs, nowMs: NOW_MS });
    expect(view.dbs[0]?.keys.map((row) => row.name)).toEqual(['alive']);
  });

  test('caps a huge database and counts the rest, cheaply', () => {
    const dbs = makeDbs();
    const db = dbs[0] as Db;
    for (let i = 0; i < 200_000; i++) db.set(`key:${i}`, 'v');
    const started = performance.now();
    const view = buildKeyspaceView({ dbs, nowMs: NOW_MS });
    const elapsedMs = performance.now() - started;
    expect(view.totalKeys).toBe(200_000);
    expect(view.dbs[0]?.keys).toHaveLength(DEFAULT_LIMITS.maxKeysPerDb);
    expect(view.dbs[0]?.moreCount).toBe(200_000 - DEFAULT_LIMITS.maxKeysPerDb);
    expect(elapsedMs).toBeLessThan(20);
  });

  test('lists the keys used lately that are beyond the first ones, the latest first, each once', () => {
    const dbs = makeDbs();
    const db = dbs[0] as Db;
    for (let i = 0; i < 1_000; i++) db.set(`key:${i}`, 'v');
    db.set('greeting', 'hello');
    db.set('counter', '7');
    db.set('gone', 'x');
    db.expires.set('gone', NOW_MS - 1);
    (dbs[2] as Db).set('elsewhere', '1');
    const recent = [
      { db: 0, key: 'counter' },
      { db: 0, key: 'key:3' }, // among the first ones: listed there, not twice
      { db: 0, key: 'missing' }, // named by a command, but not held
      { db: 0, key: 'gone' }, // past its expiry
      { db: 2, key: 'elsewhere' }, // its database is listed whole
      { db: 0, key: 'greeting' },
    ];
    const view = buildKeyspaceView({ dbs, nowMs: NOW_MS }, undefined, DEFAULT_LIMITS, recent);
    const [db0, db2] = view.dbs;
    expect(db0?.keys).toHaveLength(DEFAULT_LIMITS.maxKeysPerDb);
    expect(db0?.keys.map((row) => row.name)).toContain('key:3');
    expect(db0?.recentKeys.map((row) => [row.name, row.preview])).toEqual([
      ['counter', '"7"'],
      ['greeting', '"hello"'],
    ]);
    // 1,003 keys: 100 listed first, 2 listed as used lately, the expired one among the rest.
    expect(db0?.moreCount).toBe(1_003 - 100 - 2);
    expect(db2?.recentKeys).toEqual([]);
    // At most maxRecentKeys of them.
    const many = Array.from({ length: 30 }, (_, i) => ({ db: 0, key: `key:${500 + i}` }));
    const capped = buildKeyspaceView({ dbs, nowMs: NOW_MS }, undefined, { ...DEFAULT_LIMITS, maxRecentKeys: 4 }, many);
    expect(capped.dbs[0]?.recentKeys.map((row) => row.name)).toEqual(['key:500', 'key:501', 'key:502', 'key:503']);
  });

  test('the keys used lately come from the commands in the event log, reads too, the latest first', () => {
    const executed = (db: number, ...argv: string[]) => ({ event: { type: 'command.executed' as const, atMs: NOW_MS, clientId: 1, db, argv, reply: { type: 'status' as const, value: 'OK' } } });
    const events = [
      executed(0, 'SET', 'a', '1'),
      executed(0, 'MSET', 'b', '1', 'c', '2'),
      { event: { type: 'time.advanced' as const, atMs: NOW_MS, fromMs: NOW_MS - 100 } },
      executed(3, 'get', 'a'),
      executed(0, 'DEBUG', 'POPULATE', '10'),
      executed(0, 'GET', 'a'),
    ];
    expect(recentlyTouchedKeys(events, 10)).toEqual([
      { db: 0, key: 'a' },
      { db: 3, key: 'a' },
      { db: 0, key: 'b' },
      { db: 0, key: 'c' },
    ]);
    expect(recentlyTouchedKeys(events, 2)).toEqual([
      { db: 0, key: 'a' },
      { db: 3, key: 'a' },
    ]);
  });

  test('reuses the previous row objects for keys that did not change', () => {
    const dbs = makeDbs();
    const db = dbs[0] as Db;
    db.set('a', '1');
    db.set('b', '2');
    const before = buildKeyspaceView({ dbs, nowMs: NOW_MS });
    db.set('b', '3');
    const after = buildKeyspaceView({ dbs, nowMs: NOW_MS }, before);
    expect(after.dbs[0]?.keys[0]).toBe(before.dbs[0]?.keys[0]);
    expect(after.dbs[0]?.keys[1]).not.toBe(before.dbs[0]?.keys[1]);
  });
});
