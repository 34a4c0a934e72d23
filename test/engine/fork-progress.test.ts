/**
 * INFO persistence's figures of a running fork child (current_fork_perc, current_save_keys_*,
 * current_cow_*), as Redis 7.0 prints them: only what the parent has read of the child's progress
 * reports. The child reports after its first key, then after keys 1025, 2049, … when a second has
 * passed since its last report; the parent reads the reports once a second in serverCron; the
 * figures are the same for a BGSAVE child and an AOF-rewrite child, and are cleared when the parent
 * reaps the child. Observed on 7.0.15 (5000 keys, rdb-key-save-delay 500: the parent read 1 key,
 * then 2049, then 4097, at 0.02, 40.98 and 81.94 %; 21 keys being rewritten: 1 key, 4.76 %, for
 * the whole rewrite; a rewrite child orphaned at 1.2 s exited at its next report, leaving
 * temp-rewriteaof-<pid>.aof). The child's own, finer progress (`written`) is what the lab draws.
 */
import { rdbFileOf } from '../../src/engine/persistence/rdb-persistence.ts';
import { lab as newLab, START } from '../support/engine-kit.ts';

type Job = 'BGSAVE' | 'BGREWRITEAOF';

const FIELDS = ['current_cow_peak', 'current_cow_size', 'current_cow_size_age', 'current_fork_perc', 'current_save_keys_processed', 'current_save_keys_total'];

function lab(job: Job) {
  const made = newLab({ config: { save: '', appendonly: job === 'BGREWRITEAOF' ? 'yes' : 'no' } });
  const { engine, run } = made;
  const fields = (text: string) => Object.fromEntries(text.split('\r\n').map((line) => line.split(':') as [string, string]));
  /** The fork child's figures in INFO persistence, `name=value`. */
  const progress = () => {
    const all = fields((run('INFO persistence') as { value: string }).value);
    return FIELDS.map((name) => `${name.replace('current_', '')}=${all[name]}`).join(' ');
  };
  const info = (name: string) => fields((run('INFO persistence') as { value: string }).value)[name];
  /** Starts `job` with the disk speed at which the child writes its file in `durationMs`. */
  const start = (durationMs: number) => {
    const sizeBytes = rdbFileOf(engine, job === 'BGREWRITEAOF').length;
    run(`SIM SET disk-mbps ${sizeBytes / (durationMs * 1000)}`);
    run(job);
    const child = engine.rdb.child ?? engine.aof.child;
    expect(child?.bytes.length).toBe(sizeBytes);
    return child!;
  };
  /** Lets time pass up to `ms` after START. */
  const at = (ms: number) => engine.advanceTo(START + ms);
  return { ...made, progress, info, start, at };
}

describe.each<Job>(['BGSAVE', 'BGREWRITEAOF'])('INFO persistence while %s runs', (job) => {
  it('with fewer than 1024 keys: one report, after the first key, read at the next once-a-second look', () => {
    const { engine, run, progress, info, start, at } = lab(job);
    run('CONFIG SET rdbcompression no');
    run('DEBUG POPULATE 20 key 2000');
    at(500);
    // 20 keys in 4 s: the first key is written at 0.7 s, the parent reads its reports at 1.1 s, 2.1 s, …
    const child = start(4000);
    run('SET key:3 changed'); // a page copied before the report: its CoW figure counts it
    expect(info(job === 'BGSAVE' ? 'rdb_bgsave_in_progress' : 'aof_rewrite_in_progress')).toBe('1');
    expect(progress()).toBe('cow_peak=0 cow_size=0 cow_size_age=0 fork_perc=0.00 save_keys_processed=0 save_keys_total=20');
    at(1099);
    expect(progress()).toBe('cow_peak=0 cow_size=0 cow_size_age=0 fork_perc=0.00 save_keys_processed=0 save_keys_total=20');
    at(1100);
    expect(progress()).toBe('cow_peak=4096 cow_size=4096 cow_size_age=0 fork_perc=5.00 save_keys_processed=1 save_keys_total=20');
    run('SET key:7 changed'); // copied after the report: the parent is not told
    expect(engine.pages.cowBytes).toBe(8192);
    at(4400);
    // The child is almost done, and the parent still knows of its first key only.
    expect(child.written / child.bytes.length).toBeGreaterThan(0.95);
    expect(progress()).toBe('cow_peak=4096 cow_size=4096 cow_size_age=3 fork_perc=5.00 save_keys_processed=1 save_keys_total=20');
    // Reaped at the tick after its exit (4.5 s): the figures go with it.
    at(4600);
    expect(engine.rdb.child ?? engine.aof.child).toBeNull();
    expect(progress()).toBe('cow_peak=0 cow_size=0 cow_size_age=0 fork_perc=0.00 save_keys_processed=0 save_keys_total=0');
  });

  it('with more keys: a report after keys 1, 2049 and 4097, when a second had passed (1025 and 3073 came too soon)', () => {
    const { engine, run, progress, start, at } = lab(job);
    run('DEBUG POPULATE 5000');
    // 5000 keys in 2.5 s: key 1025 at 0.51 s, 2049 at 1.02 s, 3073 at 1.54 s, 4097 at 2.05 s.
    const child = start(2500);
    at(99);
    expect(progress()).toBe('cow_peak=0 cow_size=0 cow_size_age=0 fork_perc=0.00 save_keys_processed=0 save_keys_total=5000');
    at(100);
    expect(progress()).toBe('cow_peak=0 cow_size=0 cow_size_age=0 fork_perc=0.02 save_keys_processed=1 save_keys_total=5000');
    run('SET key:1 changed');
    at(1099);
    expect(progress()).toBe('cow_peak=0 cow_size=0 cow_size_age=1 fork_perc=0.02 save_keys_processed=1 save_keys_total=5000');
    at(1100);
    expect(progress()).toBe('cow_peak=4096 cow_size=4096 cow_size_age=0 fork_perc=40.98 save_keys_processed=2049 save_keys_total=5000');
    at(2100);
    expect(progress()).toBe('cow_peak=4096 cow_size=4096 cow_size_age=0 fork_perc=81.94 save_keys_processed=4097 save_keys_total=5000');
    expect(child.exit).toBeNull();
    at(2600);
    expect(engine.rdb.child ?? engine.aof.child).toBeNull();
    expect(progress()).toBe('cow_peak=0 cow_size=0 cow_size_age=0 fork_perc=0.00 save_keys_processed=0 save_keys_total=0');
  });

  it('a report the child sends between two of its steps is read at the tick that follows it', () => {
    const { run, progress, start, at } = lab(job);
    run('DEBUG POPULATE 5000');
    at(1050);
    // Key 1 is written 1 ms after the fork; the parent reads at 1.1 s, before the child's own step then.
    start(5000);
    at(1100);
    expect(progress()).toContain('save_keys_processed=1 ');
  });

  it('a child stopped by the disk before its next report sends none', () => {
    const { run, progress, start, at } = lab(job);
    run('DEBUG POPULATE 5000');
    start(2500);
    at(100);
    expect(progress()).toContain('save_keys_processed=1 ');
    at(1000);
    // Its next report (key 2049) would come at 1.02 s, but its writes fail from now on.
    run('SIM DISK FULL');
    at(1100);
    expect(progress()).toContain('save_keys_processed=1 ');
  });
});

describe('a child whose parent died', () => {
  it('an AOF-rewrite child exits at its next report, as a BGSAVE child does, and leaves its temp file', () => {
    const { engine, run, start, at } = lab('BGREWRITEAOF');
    run('DEBUG POPULATE 5000');
    // 5000 keys in 5 s: reports after key 1 and key 1025 (1.02 s); the next, after key 2049, fails.
    const child = start(5000);
    at(1200);
    run('SIM CRASH PROCESS');
    at(60_000);
    expect(child.exit).toMatchObject({ code: 1 });
    expect(child.exit!.atMs).toBeCloseTo(START + 2049, -1);
    expect(child.written).toBeLessThan(child.bytes.length / 2);
    expect(engine.serverLog.at(-1)).toMatch(/^4243:C .* # Child failed reporting info to parent, exiting\. Broken pipe$/);
    expect(engine.disk.list().map((file) => file.name).filter((name) => name.startsWith('temp-'))).toEqual(['temp-rewriteaof-4243.aof']);
  });
});
