/**
 * serverCron's scheduled jobs in Redis 7.0's order: a scheduled AOF rewrite starts first; then an
 * exited child is reaped, or, in a tick that began with no child, the save points and the
 * automatic rewrite are checked; a scheduled BGSAVE comes last, once no child is left, and after a
 * failed BGSAVE only when the last try is more than 5 whole seconds old. Every timing here was
 * observed on a real redis-server 7.0.15 (ms timestamps of its log).
 */
import type { EngineEvent } from '../../src/engine/index.ts';
import { lab as newLab, START, status, withoutTime } from '../support/engine-kit.ts';

/** A lab without save points unless `config` names its own. */
function lab(config: Record<string, string> = {}) {
  return newLab({ config: { save: '', ...config } });
}

/** The parent's log lines from event `from` on, each as `+<ms since START> <line>`. */
function parentLog(events: readonly EngineEvent[], from = 0): string[] {
  return events
    .slice(from)
    .filter((e): e is Extract<EngineEvent, { type: 'log.line' }> => e.type === 'log.line' && e.role === 'M')
    .map((e) => `+${e.atMs - START} ${withoutTime(e.text)}`);
}

describe('a scheduled rewrite and a scheduled BGSAVE', () => {
  it('MULTI; BGSAVE; BGREWRITEAOF; EXEC: the rewrite starts first, the save in the very tick that reaps it', () => {
    // 7.0.15: rewrite started at 26.780, reaped and finished at 27.910, "Background saving started" at 27.911.
    const { engine, run, events } = lab({ appendonly: 'yes' });
    run('DEBUG POPULATE 20');
    run('SIM SET disk-mbps 0.001'); // the base of 20 keys takes about 0.4 s
    run('MULTI');
    run('BGSAVE');
    run('BGREWRITEAOF');
    expect(run('EXEC')).toEqual({
      type: 'array',
      value: [status('Background saving scheduled'), status('Background append only file rewriting scheduled')],
    });
    const from = events.length;
    engine.advance(2000);
    const story = parentLog(events, from).filter((line) => !line.includes('history file'));
    expect(story).toEqual([
      '+100 4242:M * Creating AOF incr file appendonly.aof.2.incr.aof on background rewrite',
      '+100 4242:M * Background append only file rewriting started by pid 4243',
      '+600 4242:M * Background AOF rewrite terminated with success',
      '+600 4242:M * Successfully renamed the temporary AOF base file temp-rewriteaof-bg-4243.aof into appendonly.aof.2.base.rdb',
      '+600 4242:M * Background AOF rewrite finished successfully',
      '+600 4242:M * Background saving started by pid 4244',
      '+1100 4242:M * Background saving terminated with success',
    ]);
  });

  it('BGREWRITEAOF during a BGSAVE: the rewrite starts at the tick after the reap, not in it', () => {
    // 7.0.15: "Background saving terminated with success" at 25.353, the rewrite's incr file at 25.455.
    const { engine, run, events } = lab({ appendonly: 'yes' });
    run('DEBUG POPULATE 20');
    run('SIM SET disk-mbps 0.001');
    run('BGSAVE');
    expect(run('BGREWRITEAOF')).toEqual(status('Background append only file rewriting scheduled'));
    const from = events.length;
    engine.advance(1000);
    expect(parentLog(events, from).slice(0, 3)).toEqual([
      '+500 4242:M * Background saving terminated with success',
      '+600 4242:M * Creating AOF incr file appendonly.aof.2.incr.aof on background rewrite',
      '+600 4242:M * Background append only file rewriting started by pid 4244',
    ]);
  });

  it('a due automatic rewrite waits for the tick after a BGSAVE is reaped', () => {
    const { engine, run, events } = lab({ appendonly: 'yes', 'auto-aof-rewrite-min-size': '100', 'auto-aof-rewrite-percentage': '100' });
    run('SIM SET disk-mbps 0.001');
    run('BGSAVE'); // an empty dataset: its file of 89 bytes takes 89 ms
    run('SET key:1 a-value-long-enough-to-double-the-aof');
    run('SET key:2 a-value-long-enough-to-double-the-aof');
    const from = events.length;
    engine.advance(300);
    expect(parentLog(events, from)).toEqual([
      '+100 4242:M * Background saving terminated with success',
      // After a start that created the AOF, aof_base_size is 0: Redis divides by 1.
      '+200 4242:M * Starting automatic rewriting of AOF on 15800% growth',
      '+200 4242:M * Creating AOF incr file appendonly.aof.2.incr.aof on background rewrite',
      '+200 4242:M * Background append only file rewriting started by pid 4244',
    ]);
  });
});

describe('the retry gate of a scheduled BGSAVE', () => {
  /** A BGSAVE whose child is killed at START + 14.5 s (its try), then a rewrite that holds a BGSAVE SCHEDULE until it ends. */
  function afterFailedSave() {
    const made = lab({ appendonly: 'yes' });
    const { engine, run } = made;
    run('DEBUG POPULATE 20');
    run('SIM SET disk-mbps 0.001');
    engine.advance(14_500);
    run('BGSAVE');
    run('SIM KILLCHILD');
    engine.advance(100);
    expect(engine.lastBgsaveStatus).toBe('err');
    run('BGREWRITEAOF');
    expect(run('BGSAVE SCHEDULE')).toEqual(status('Background saving scheduled'));
    return made;
  }

  it('after a failed BGSAVE, the scheduled one waits until its last try is more than 5 whole seconds old', () => {
    // 7.0.15: tried at 14 s, the rewrite reaped at 15.9 s, the scheduled save started at 20.07 s.
    const { engine, events } = afterFailedSave();
    const from = events.length;
    engine.advanceTo(START + 21_000);
    expect(parentLog(events, from).filter((line) => /terminated|saving started|finished/.test(line))).toEqual([
      '+15100 4242:M * Background AOF rewrite terminated with success',
      '+15100 4242:M * Background AOF rewrite finished successfully',
      // 20 − 14 = 6 > 5: the first tick of second 20.
      '+20000 4242:M * Background saving started by pid 4245',
      '+20500 4242:M * Background saving terminated with success',
    ]);
  });

  it('a save that then succeeds lifts the gate: the last status is ok', () => {
    const { engine, run, events } = afterFailedSave();
    engine.advanceTo(START + 15_200); // the rewrite has been reaped; the scheduled save still waits
    expect(engine.rdb.scheduled).toBe(true);
    run('SIM SET disk-mbps 100');
    run('SAVE'); // a SAVE that succeeds sets the status back to ok
    const from = events.length;
    engine.advance(100);
    expect(parentLog(events, from)).toEqual(['+15300 4242:M * Background saving started by pid 4245']);
    expect(engine.rdb.scheduled).toBe(false);
  });
});
