/**
 * Three AOF behaviours checked against redis-server 7.0.15: `aof-timestamp-enabled` annotations
 * (live, on port 6595), the throttle on automatic rewrites after repeated failures (a recorded
 * run: its retry waits a minute), the upgrade of a pre-7.0 single `appendonly.aof` (the captures
 * of test/codec/aof/fixtures/captures.json), and SAVE refused inside MULTI (live, port 6596).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { binToBytes, bytesToBin } from '../../src/codec/bytes.ts';
import type { Reply } from '../../src/codec/reply.ts';
import { lab, levelAndMessage, START } from '../support/engine-kit.ts';
import { startRealRedis, testPort, waitUntil } from '../support/real-redis.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An AOF file as a list of items: `#TS:<t>` for an annotation (the second replaced, so that runs
 * at different times compare), else the command's words joined by spaces. Written here rather
 * than taken from the codec, so that what is expected does not come from the code under test.
 */
function items(bin: string): { items: string[]; seconds: number[] } {
  const lines = bin.split('\r\n');
  const out: string[] = [];
  const seconds: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    if (line.startsWith('#TS:')) {
      out.push('#TS:<t>');
      seconds.push(Number(line.slice(4)));
      continue;
    }
    const count = Number(line.slice(1));
    const words = Array.from({ length: count }, (_, k) => lines[i + 2 + 2 * k]!);
    out.push(words.join(' '));
    i += 2 * count;
  }
  return { items: out, seconds };
}

const TIMESTAMPS = { appendonly: 'yes', 'aof-timestamp-enabled': 'yes', 'aof-use-rdb-preamble': 'no', appendfsync: 'always', save: '' };

describe('aof-timestamp-enabled yes (live against redis-server 7.0.15)', () => {
  it('annotates the start base, the first write of each second, and the top of a RESP base, as Redis does', async () => {
    const real = await startRealRedis(testPort(6595), Object.entries(TIMESTAMPS).flatMap(([k, v]) => [`--${k}`, v]));
    const realFile = (name: string) => bytesToBin(new Uint8Array(readFileSync(join(real.dir, 'appendonlydir', name))));
    const realSteps: Record<string, { items: string[]; seconds: number[] }> = {};
    const window: Record<string, [number, number]> = {};
    try {
      realSteps['start base'] = items(realFile('appendonly.aof.1.base.aof'));
      // Two writes inside one second, then a rewrite, then a write in a later second.
      await sleep(1050 - (Date.now() % 1000));
      const writesAt = Date.now();
      await real.command(['set', 'a', '1']);
      await real.command(['rpush', 'l', 'x', 'y']);
      window['incr 1'] = [writesAt, Date.now()];
      realSteps['incr 1'] = items(realFile('appendonly.aof.1.incr.aof'));
      const forkAt = Date.now();
      await real.command(['BGREWRITEAOF']);
      await waitUntil(async () => {
        const info = (await real.command(['INFO', 'persistence'])).value as string;
        return info.includes('aof_rewrite_in_progress:0') && info.includes('aof_rewrite_scheduled:0');
      }, 'the rewrite is done');
      window['base 2'] = [forkAt, Date.now()];
      realSteps['base 2'] = items(realFile('appendonly.aof.2.base.aof'));
      await sleep(1100);
      await real.command(['set', 'd', '4']);
      realSteps['incr 2'] = items(realFile('appendonly.aof.2.incr.aof'));
      expect((await real.command(['CONFIG', 'GET', 'aof-timestamp-enabled'])).value).toEqual([
        { type: 'bulk', value: 'aof-timestamp-enabled' },
        { type: 'bulk', value: 'yes' },
      ]);
    } finally {
      await real.stop();
    }
    // The real seconds are the wall clock's at the writes and at the fork.
    for (const step of ['incr 1', 'base 2'] as const) {
      const [from, to] = window[step]!;
      expect(realSteps[step]!.seconds[0]).toBeGreaterThanOrEqual(Math.floor(from / 1000));
      expect(realSteps[step]!.seconds[0]).toBeLessThanOrEqual(Math.floor(to / 1000));
    }

    const { engine, run } = lab({ config: TIMESTAMPS });
    const file = (name: string) => bytesToBin(engine.disk.read(`appendonlydir/${name}`) ?? new Uint8Array());
    const steps: Record<string, { items: string[]; seconds: number[] }> = {};
    steps['start base'] = items(file('appendonly.aof.1.base.aof'));
    engine.advance(50);
    run('set a 1');
    run('rpush l x y');
    steps['incr 1'] = items(file('appendonly.aof.1.incr.aof'));
    const forkSec = Math.floor(engine.nowMs / 1000);
    run('BGREWRITEAOF');
    engine.advance(500);
    steps['base 2'] = items(file('appendonly.aof.2.base.aof'));
    engine.advance(1100);
    run('set d 4');
    steps['incr 2'] = items(file('appendonly.aof.2.incr.aof'));

    // The base's keys come in the dictionary's order, which the lab need not share.
    const sortedBase = (s: { items: string[] }) => [...s.items.slice(0, 2), ...s.items.slice(2).sort()];
    expect(sortedBase(steps['base 2']!)).toEqual(sortedBase(realSteps['base 2']!));
    for (const step of ['start base', 'incr 1', 'incr 2']) expect(steps[step]!.items, step).toEqual(realSteps[step]!.items);
    expect(steps['start base']!.items).toEqual(['#TS:<t>']);
    expect(steps['incr 1']!.items).toEqual(['#TS:<t>', 'SELECT 0', 'set a 1', 'rpush l x y']);
    expect(steps['incr 2']!.items).toEqual(['#TS:<t>', 'SELECT 0', 'set d 4']);
    expect(steps['start base']!.seconds).toEqual([START / 1000]);
    expect(steps['base 2']!.seconds).toEqual([forkSec]);
    expect(steps['incr 2']!.seconds).toEqual([Math.floor(engine.nowMs / 1000)]);
  }, 20_000);

  it('writes no annotation within the same second, nor once switched off; the new incr of a rewrite is not forced one', () => {
    const { engine, run } = lab({ config: TIMESTAMPS });
    const file = (name: string) => items(bytesToBin(engine.disk.read(`appendonlydir/${name}`) ?? new Uint8Array())).items;
    run('set a 1');
    run('BGREWRITEAOF');
    run('set b 2'); // the same second as the annotation in incr 1 (observed: no #TS in incr 2)
    expect(file('appendonly.aof.2.incr.aof')).toEqual(['SELECT 0', 'set b 2']);
    engine.advance(1000);
    run('CONFIG SET aof-timestamp-enabled no');
    run('set c 3');
    expect(file('appendonly.aof.2.incr.aof')).toEqual(['SELECT 0', 'set b 2', 'set c 3']);
    expect(run('CONFIG SET aof-timestamp-enabled maybe')).toEqual({
      type: 'error',
      value: "ERR CONFIG SET failed (possibly related to argument 'aof-timestamp-enabled') - argument must be 'yes' or 'no'",
    });
    // The loader skips the annotations: a restart brings both keys back.
    run('CONFIG SET aof-timestamp-enabled yes');
    engine.advance(1000);
    run('set d 4');
    run('SIM CRASH PROCESS');
    run('SIM RESTART');
    engine.advance(1000);
    expect(run('DBSIZE')).toEqual({ type: 'integer', value: 4 });
    // The first write after a start gets one again (aof_cur_timestamp starts at 0).
    run('set e 5');
    expect(file('appendonly.aof.2.incr.aof').slice(-3)).toEqual(['#TS:<t>', 'SELECT 0', 'set e 5']);
  });
});

/**
 * redis-server 7.0.15, `--appendonly yes --auto-aof-rewrite-percentage 1 --auto-aof-rewrite-min-size 10
 * --rdb-key-save-delay 100000000`, one `set key valuevaluevalue`, each rewrite child killed with
 * SIGKILL; then a manual BGREWRITEAOF (killed too). Times are ms after the limit line.
 */
const RECORDED_THROTTLE = [
  '* Starting automatic rewriting of AOF on 6600% growth',
  '* Creating AOF incr file appendonly.aof.2.incr.aof on background rewrite',
  '* Background append only file rewriting started by pid <pid>',
  '# Background AOF rewrite terminated by signal 9',
  '* Starting automatic rewriting of AOF on 6600% growth',
  '* Creating AOF incr file appendonly.aof.3.incr.aof on background rewrite',
  '* Background append only file rewriting started by pid <pid>',
  '# Background AOF rewrite terminated by signal 9',
  '* Starting automatic rewriting of AOF on 6600% growth',
  '* Creating AOF incr file appendonly.aof.4.incr.aof on background rewrite',
  '* Background append only file rewriting started by pid <pid>',
  '# Background AOF rewrite terminated by signal 9',
  '# Background AOF rewrite has repeatedly failed and triggered the limit, will retry in 1 minutes', // t = 0
  '* Starting automatic rewriting of AOF on 6600% growth', // t = 59 696 ms (the next second boundary past 60 s)
  '* Creating AOF incr file appendonly.aof.5.incr.aof on background rewrite',
  '* Background append only file rewriting started by pid <pid>',
  '# Background AOF rewrite terminated by signal 9',
  '# Background AOF rewrite has repeatedly failed and triggered the limit, will retry in 2 minutes',
  // BGREWRITEAOF by hand: not throttled.
  '* Creating AOF incr file appendonly.aof.6.incr.aof on background rewrite',
  '* Background append only file rewriting started by pid <pid>',
  '# Background AOF rewrite terminated by signal 9',
];
const RECORDED_INFO_AFTER_THIRD = 'aof_rewrite_in_progress:0 aof_rewrite_scheduled:0 aof_last_bgrewrite_status:err aof_rewrites:3 aof_rewrites_consecutive_failures:3';

describe('the throttle on rewrites that keep failing (a recorded redis-server 7.0.15 run)', () => {
  function failingLab() {
    const l = lab({ config: { appendonly: 'yes', save: '', 'auto-aof-rewrite-percentage': '1', 'auto-aof-rewrite-min-size': '10' } });
    l.run('SIM SET disk-mbps 0.000001'); // the child never finishes on its own
    const from = l.engine.serverLog.length;
    const log = () => l.engine.serverLog.slice(from).map(levelAndMessage).map((line) => line.replace(/by pid \d+$/, 'by pid <pid>'));
    const info = () =>
      ['aof_rewrite_in_progress', 'aof_rewrite_scheduled', 'aof_last_bgrewrite_status', 'aof_rewrites', 'aof_rewrites_consecutive_failures']
        .map((field) => `${field}:${new RegExp(`${field}:([^\\r]*)`).exec((l.run('INFO persistence') as { value: string }).value)?.[1]}`)
        .join(' ');
    /** Lets cron start the next rewrite, then kills its child and lets cron reap it. */
    const killNext = () => {
      for (let i = 0; i < 2000 && l.engine.aof.child === null; i++) l.engine.advance(100);
      expect(l.engine.aof.killChild()).toBe(true);
      l.engine.advance(100);
    };
    return { ...l, log, info, killNext };
  }

  it('after 3 consecutive failures waits 1 minute, then 2; BGREWRITEAOF by hand is not throttled', () => {
    const { engine, run, log, info, killNext } = failingLab();
    run('set key valuevaluevalue');
    killNext();
    killNext();
    killNext();
    expect(info()).toBe(RECORDED_INFO_AFTER_THIRD);
    engine.advance(100);
    const limitedAt = engine.nowMs;
    expect(log().at(-1)).toBe(RECORDED_THROTTLE[12]);
    engine.advance(58_000);
    expect(engine.aof.child).toBeNull();
    killNext();
    const retriedAfter = engine.aof.child === null ? engine.nowMs - limitedAt : 0;
    expect(retriedAfter).toBeGreaterThan(59_000);
    expect(retriedAfter).toBeLessThanOrEqual(61_200);
    engine.advance(100);
    expect(run('BGREWRITEAOF')).toEqual({ type: 'status', value: 'Background append only file rewriting started' });
    expect(engine.aof.killChild()).toBe(true);
    engine.advance(100);
    expect(log()).toEqual(RECORDED_THROTTLE);
    expect(engine.disk.list().filter((f) => f.name.endsWith('.incr.aof')).map((f) => f.name)).toEqual(
      [1, 2, 3, 4, 5, 6].map((seq) => `appendonlydir/appendonly.aof.${seq}.incr.aof`),
    );
  });

  it('doubles the delay up to 60 minutes, and a success resets it', () => {
    const { engine, run, log, killNext } = failingLab();
    run('set key valuevaluevalue');
    for (let i = 0; i < 3; i++) killNext();
    const minutes: number[] = [];
    for (let i = 0; i < 8; i++) {
      engine.advance(200);
      const delay = Number(/will retry in (\d+) minutes$/.exec(log().at(-1) ?? '')?.[1]);
      minutes.push(delay);
      // Nothing starts before the delay is up; the next cron after it does.
      engine.advance(delay * 60_000 - 1500);
      expect(engine.aof.child).toBeNull();
      killNext();
    }
    expect(minutes).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);
    // A rewrite that succeeds ends the throttle: the next failures start counting from zero.
    run('SIM SET disk-mbps 100');
    expect(run('BGREWRITEAOF')).toEqual({ type: 'status', value: 'Background append only file rewriting started' });
    engine.advance(1000);
    expect(log().at(-1)).toBe('* Background AOF rewrite finished successfully');
    expect(engine.aof.consecutiveFailures).toBe(0);
    expect(run('INFO persistence')).toMatchObject({ value: expect.stringContaining('aof_last_bgrewrite_status:ok') });
  });
});

interface UpgradeCase {
  name: string;
  files: Record<string, string>;
  server: { loadTruncated: boolean; started: boolean; log: string[]; keys: Record<string, string[]>; sizesAfter: Record<string, number>; manifestAfter: string | null }[];
}
const captures = JSON.parse(readFileSync(join(import.meta.dirname, '../codec/aof/fixtures/captures.json'), 'utf8')) as {
  cases: (UpgradeCase & { manifest: string | null })[];
};
const upgrades = captures.cases.filter((c) => c.manifest === null && c.server.length > 0);

describe('upgrading an old single-file appendonly.aof (redis-server 7.0.15 captures)', () => {
  it('has the four recorded cases', () => expect(upgrades.map((c) => c.name)).toHaveLength(4));

  const runs = upgrades.flatMap((c) => c.server.map((run) => [`${c.name}, aof-load-truncated ${run.loadTruncated ? 'yes' : 'no'}`, c, run] as const));
  it.each(runs)('%s: SIM RESTART moves it into appendonlydir as the base, as Redis does', (_label, c, run) => {
    const { engine, run: cli } = lab({ config: { save: '' } });
    for (const [name, content] of Object.entries(c.files)) {
      expect(cli(`SIM FILE PUT ${name} ${Buffer.from(binToBytes(content)).toString('base64')}`)).toEqual({ type: 'status', value: 'OK' });
    }
    cli('SIM CRASH PROCESS');
    const from = engine.serverLog.length;
    cli(`SIM RESTART --appendonly yes --aof-load-truncated ${run.loadTruncated ? 'yes' : 'no'}`);
    engine.advance(5000);
    const log = engine.serverLog
      .slice(from)
      .map(levelAndMessage)
      .map((line) =>
        line
          .replace(/\d+\.\d{3} seconds$/, '<t> seconds')
          .replace(/^\* RDB age -?\d+ seconds$/, '* RDB age <n> seconds')
          .replace(/created [\d.]+ Mb$/, 'created <n> Mb'),
      );
    const start = log.indexOf('# Server initialized') + 1;
    const end = log.indexOf('* Ready to accept connections');
    const loadLog = log.slice(start, end === -1 ? undefined : end).filter((line) => !line.startsWith('# Server initialized'));
    expect(loadLog.slice(0, run.log.length)).toEqual(run.log);
    expect(engine.running).toBe(run.started);
    const sizes = Object.fromEntries(engine.disk.list().filter((f) => f.name !== 'redis.conf').map((f) => [f.name, f.sizeBytes]));
    expect(sizes).toEqual(run.sizesAfter);
    const manifest = engine.disk.read('appendonlydir/appendonly.aof.manifest');
    if (run.manifestAfter !== null) expect(bytesToBin(manifest!)).toBe(run.manifestAfter);
    if (run.started) {
      const keys: Record<string, string[]> = {};
      for (const [index, db] of engine.dbs.entries()) {
        if (db.size === 0) continue;
        cli(`SELECT ${index}`);
        keys[`db${index}`] = (cli('KEYS *') as { value: readonly Reply[] }).value.map((r) => r.value as string).sort();
      }
      expect(keys).toEqual(run.keys);
    }
  });

  it('a started node writes on into appendonly.aof.1.incr.aof, and a later restart opens it without migrating again', () => {
    const c = upgrades.find((u) => u.name === 'old-style appendonly.aof (upgrade)')!;
    const { engine, run } = lab({ config: { save: '', appendfsync: 'always' } });
    run(`SIM FILE PUT appendonly.aof ${Buffer.from(binToBytes(c.files['appendonly.aof']!)).toString('base64')}`);
    run('SIM CRASH PROCESS');
    run('SIM RESTART --appendonly yes');
    engine.advance(1000);
    run('SET after 1');
    run('SIM CRASH PROCESS');
    const from = engine.serverLog.length;
    run('SIM RESTART');
    engine.advance(1000);
    const log = engine.serverLog.slice(from).map(levelAndMessage);
    expect(log).not.toContain('* Successfully migrated an old-style AOF file (appendonly.aof) into the AOF directory (appendonlydir).');
    expect(log).toContain('* Opening AOF incr file appendonly.aof.1.incr.aof on server start');
    expect(run('DBSIZE')).toEqual({ type: 'integer', value: 3 });
  });
});

describe('SAVE inside MULTI (live against redis-server 7.0.15)', () => {
  it('is refused at once and makes EXEC abort, as on the real server', async () => {
    const script = [['MULTI'], ['SAVE'], ['SET', 'a', '1'], ['EXEC'], ['GET', 'a']];
    const real = await startRealRedis(testPort(6596));
    const expected: Reply[] = [];
    try {
      for (const argv of script) expected.push(await real.command(argv));
    } finally {
      await real.stop();
    }
    const { run } = lab({ config: { save: '' } });
    expect(script.map((argv) => run(argv.join(' ')))).toEqual(expected);
    expect(expected[1]).toEqual({ type: 'error', value: 'ERR Command not allowed inside a transaction' });
  });
});
