/**
 * What one write costs the memory figures at 1,000,000 keys: the page grid the processes lane
 * draws (rebuilt after every write, its page count cut from used_memory) and INFO memory. Both
 * read used_memory as the engine keeps it, so neither grows with the keyspace.
 */
import { Engine, type EngineEvent } from '../src/engine/index.ts';
import { buildPageGrid, PageGridTracker, type PageGridView } from '../src/store/page-grid-view.ts';

export interface PageGridFigures {
  readonly keys: number;
  /** A SET, then the grid built again from its events. */
  readonly gridUsPerWrite: number;
  /** A SET, then INFO memory. */
  readonly infoUsPerWrite: number;
}

export function measurePageGridWrites(keys = 1_000_000, writes = 2_000): PageGridFigures {
  const engine = new Engine({ epochMs: Date.now(), config: { save: '' } });
  const client = engine.newClient();
  engine.execute(client, ['DEBUG', 'POPULATE', String(keys)]);
  const tracker = new PageGridTracker();
  let events: EngineEvent[] = [];
  engine.subscribe((event) => events.push(event));
  let grid: PageGridView | null = buildPageGrid(engine, tracker, null, 4096);
  const argvs = Array.from({ length: writes }, (_, i) => ['SET', `bench:${i}`, 'value']);
  let started = performance.now();
  for (const argv of argvs) {
    engine.execute(client, argv);
    tracker.observe(events);
    events = [];
    grid = buildPageGrid(engine, tracker, grid, 4096);
  }
  const gridUsPerWrite = ((performance.now() - started) * 1000) / writes;
  const info = ['INFO', 'memory'];
  started = performance.now();
  for (const argv of argvs) {
    engine.execute(client, argv);
    engine.execute(client, info);
  }
  const infoUsPerWrite = ((performance.now() - started) * 1000) / writes;
  return { keys, gridUsPerWrite, infoUsPerWrite };
}
