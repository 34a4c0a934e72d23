/**
 * Seeking in a long scenario: 10,000 lines mixing writes, time passing, BGSAVE, an AOF and its
 * rewrite, loaded into the lab store, then seeks to positions spread over it, back and forth.
 * A seek replays the tape from the nearest checkpoint (src/store/checkpoints.ts); the target is
 * under 200 ms anywhere.
 */
import { createLabStore } from '../src/store/index.ts';

export function timelineScenario(lines: number): string[] {
  const scenario = ['CONFIG SET appendonly yes', 'CONFIG SET save "60 1000"'];
  for (let i = 0; scenario.length < lines; i++) {
    if (i % 10 === 0) scenario.push('SIM ADVANCE 250');
    else if (i % 500 === 5) scenario.push('BGSAVE');
    else if (i % 1500 === 7) scenario.push('BGREWRITEAOF');
    else if (i % 3 === 0) scenario.push(`RPUSH list:${i % 30} ${i}`);
    else scenario.push(`SET key:${i % 700} value-${i}`);
  }
  return scenario;
}

export interface SeekFigures {
  readonly lines: number;
  readonly loadMs: number;
  /** [target position, ms] for each seek, in the order made. */
  readonly seeks: readonly (readonly [number, number])[];
}

export function measureSeeks(lines = 10_000): SeekFigures {
  const lab = createLabStore();
  let started = performance.now();
  lab.getState().loadScenario(timelineScenario(lines));
  const loadMs = performance.now() - started;
  const seeks: [number, number][] = [];
  // Back to the far past, forward in jumps, back near the end (the worst case), a step, the end.
  for (const target of [0, 2_500, 5_000, 7_500, lines - 1, lines / 2, lines - 2, lines]) {
    started = performance.now();
    lab.getState().seek(target);
    seeks.push([target, performance.now() - started]);
  }
  return { lines, loadMs, seeks };
}
