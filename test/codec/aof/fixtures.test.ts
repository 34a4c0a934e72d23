// The AOF files the real redis-server 7.0.15 wrote (test/fixtures/real-redis-7.0/README.md, sections
// c, d, e): each reads to the command stream the README lists, the truncated one to the offset the
// real loader cut it at, and every manifest formats back to its own bytes.
import { readFileSync } from 'node:fs';
import { readAof } from '../../../src/codec/aof/aof-reader.ts';
import { redisCheckAof } from '../../../src/codec/aof/check-aof.ts';
import { formatManifest, parseManifest } from '../../../src/codec/aof/manifest.ts';

const root = new URL('../../fixtures/real-redis-7.0/', import.meta.url);
const bin = (path: string) => readFileSync(new URL(path, root)).toString('latin1');
const argvs = (path: string) => {
  const r = readAof(bin(path));
  expect(r.end).toEqual({ kind: 'complete' });
  return r.commands.map((c) => c.argv);
};
/** One command per line, as the README writes them; `"…"` groups words. */
const parse = (lines: string) =>
  lines.trim().split('\n').map((l) => [...l.trim().matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!));

const PHASE_1 = `
SELECT 0
SET str:a hello
SET counter 10
INCR counter
INCRBY counter 5
SET ttl:rel "relative ttl"
PEXPIREAT ttl:rel 4795469887463
SET ttl:ex value PXAT 4795469887476
SET gone x
DEL gone
LPUSH list:l c b a
HSET hash:h f1 v1 f2 v2
SADD set:s x y z
ZADD zset:z 1 a 2 b
SET fl 1.5 KEEPTTL
MULTI
SET tx:1 one
INCR tx:n
EXEC
SELECT 1
SET db1:k v1
LPUSH db1:list x`;

const BASE_2 = `
SELECT 0
SET tx:1 one
SET ttl:rel "relative ttl"
PEXPIREAT ttl:rel 4795469887463
ZADD zset:z 1 a 2 b
SET tx:n 1
RPUSH list:l a b c
SADD set:s y x z
SET counter 16
SET str:a hello
SET ttl:ex value
PEXPIREAT ttl:ex 4795469887476
HMSET hash:h f1 v1 f2 v2
SET fl 1.5
SELECT 1
SET db1:k v1
RPUSH db1:list x`;

const PHASE_2 = (pxat: string) => `
SELECT 0
INCR counter
DEL str:a
LPUSH list:l z
HSET hash:h f3 v3
SADD set:s w
ZADD zset:z 3 c
SET neg x
DEL neg
SET p v PXAT ${pxat}
PERSIST p
SELECT 1
SET db1:k v2
SADD db1:set m`;

/** Commands compared case-insensitively on the name: the README upper-cases what the client typed. */
const normalise = (list: string[][]) => list.map(([name, ...rest]) => [name!.toUpperCase(), ...rest]);

describe('AOF files written by redis-server 7.0.15', () => {
  it('aof-multipart: the incr of phase 1, the rewritten RESP base and the incr of phase 2', () => {
    expect(normalise(argvs('aof-multipart/before-rewrite/appendonlydir/appendonly.aof.1.incr.aof'))).toEqual(parse(PHASE_1));
    expect(argvs('aof-multipart/before-rewrite/appendonlydir/appendonly.aof.1.base.aof')).toEqual([]);
    expect(normalise(argvs('aof-multipart/appendonlydir/appendonly.aof.2.base.aof'))).toEqual(parse(BASE_2));
    expect(normalise(argvs('aof-multipart/appendonlydir/appendonly.aof.2.incr.aof'))).toEqual(parse(PHASE_2('2795469896005')));
  });

  it('gives each command its offset and length', () => {
    const r = readAof(bin('aof-multipart/before-rewrite/appendonlydir/appendonly.aof.1.incr.aof'));
    expect(r.commands.slice(0, 3).map((c) => c.argv)).toEqual([['SELECT', '0'], ['SET', 'str:a', 'hello'], ['SET', 'counter', '10']]);
    let at = 0;
    for (const c of r.commands) {
      expect(c.offset).toBe(at);
      at += c.length;
    }
    expect(at).toBe(796);
    expect(r.openMulti).toBe(-1);
  });

  it('aof-hybrid: the RDB base is a preamble with no tail; the incr is RESP', () => {
    const base = readAof(readFileSync(new URL('aof-hybrid/appendonlydir/appendonly.aof.2.base.rdb', root)));
    expect(base.end).toEqual({ kind: 'complete' });
    expect(base.preamble?.length).toBe(335);
    expect(base.preamble?.aux.find((a) => a.key === 'aof-base')?.value).toBe('1');
    expect(base.commands).toEqual([]);
    const incr = normalise(argvs('aof-hybrid/appendonlydir/appendonly.aof.2.incr.aof'));
    expect(incr.length).toBe(14);
    expect(incr[9]!.slice(0, 4)).toEqual(['SET', 'p', 'v', 'PXAT']);
    expect(normalise(argvs('aof-hybrid/before-rewrite/appendonlydir/appendonly.aof.1.incr.aof')).map((c) => c[0])).toEqual(parse(PHASE_1).map((c) => c[0]));
  });

  it('aof-truncated.aof: a short read, cut at 760 as the real loader did', () => {
    const r = readAof(bin('aof-truncated.aof'));
    expect(r.end).toMatchObject({ kind: 'truncated', validUpTo: 760, revertedMulti: false, offset: 760 });
    expect(normalise(r.commands.map((c) => c.argv))).toEqual(parse(PHASE_1).slice(0, -1));
  });

  it('aof-truncated.aof: redis-check-aof says what the README recorded, and --fix cuts at 760', () => {
    const files = new Map([['aof-truncated.aof', bin('aof-truncated.aof')]]);
    const check = redisCheckAof('aof-truncated.aof', (p) => files.get(p) ?? null);
    expect(check.stdout).toBe(
      'Start checking Old-Style AOF\n' +
        '0x             307: Expected \\r\\n, got: 0d00\n' +
        'AOF analyzed: filename=aof-truncated.aof, size=778, ok_up_to=760, ok_up_to_line=159, diff=18\n' +
        'AOF aof-truncated.aof is not valid. Use the --fix option to try fixing it.\n',
    );
    expect(check.exitCode).toBe(1);
    const fix = redisCheckAof('aof-truncated.aof', (p) => files.get(p) ?? null, { fix: true });
    expect(fix.exitCode).toBe(0);
    expect(fix.truncated).toEqual([{ path: 'aof-truncated.aof', length: 760 }]);
    expect(fix.stdout.endsWith('Continue? [y/N]: Successfully truncated AOF aof-truncated.aof\n')).toBe(true);
  });

  it.each([
    'aof-multipart/appendonlydir/appendonly.aof.manifest',
    'aof-multipart/before-rewrite/appendonlydir/appendonly.aof.manifest',
    'aof-hybrid/appendonlydir/appendonly.aof.manifest',
    'aof-hybrid/before-rewrite/appendonlydir/appendonly.aof.manifest',
  ])('%s formats back byte for byte', (path) => {
    const text = bin(path);
    const m = parseManifest(text);
    expect(m.base?.type).toBe('b');
    expect(m.incr.length).toBe(1);
    expect(formatManifest(m)).toBe(text);
  });

  // The expected text is the real tool's output on these files, verbatim.
  it('redis-check-aof on the hybrid manifest: the RDB checker lines and both files valid', () => {
    const dir = 'aof-hybrid/appendonlydir/';
    const check = redisCheckAof(`${dir}appendonly.aof.manifest`, (p) => (p.startsWith(dir) ? bin(p) : null));
    expect(check.exitCode).toBe(0);
    expect(check.stdout).toBe(
      [
        'Start checking Multi Part AOF',
        'Start to check BASE AOF (RDB format).',
        '[offset 0] Checking RDB file appendonly.aof.2.base.rdb',
        "[offset 27] AUX FIELD redis-ver = '7.0.15'",
        "[offset 41] AUX FIELD redis-bits = '64'",
        "[offset 53] AUX FIELD ctime = '1795469912'",
        "[offset 68] AUX FIELD used-mem = '1509072'",
        "[offset 80] AUX FIELD aof-base = '1'",
        '[offset 82] Selecting DB ID 0',
        '[offset 290] Selecting DB ID 1',
        '[offset 335] Checksum OK',
        '[offset 335] \\o/ RDB looks OK! \\o/',
        '[info] 13 keys read',
        '[info] 2 expires',
        '[info] 0 already expired',
        'RDB preamble is OK, proceeding with AOF tail...',
        'AOF analyzed: filename=appendonly.aof.2.base.rdb, size=335, ok_up_to=335, ok_up_to_line=1, diff=0',
        'BASE AOF appendonly.aof.2.base.rdb is valid',
        'Start to check INCR files.',
        'AOF analyzed: filename=appendonly.aof.2.incr.aof, size=443, ok_up_to=443, ok_up_to_line=95, diff=0',
        'INCR AOF appendonly.aof.2.incr.aof is valid',
        'All AOF files and manifest are valid',
        '',
      ].join('\n'),
    );
  });
});
