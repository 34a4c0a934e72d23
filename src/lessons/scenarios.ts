/**
 * The sandbox's scenario library: ready-made setups, each a list of lines the lab loads on a fresh
 * node (`loadScenario`). A setup that must outlive a crash is given to the restart as redis.conf
 * directives (`SIM RESTART --appendonly yes …`), as an operator would write them in the file:
 * a `CONFIG SET` alone would be forgotten at the first restart.
 */

export interface Scenario {
  /** Also the key of its name and description: `lessonUi.scenario.<id>.name`. */
  readonly id: 'cache' | 'rdb' | 'aofEverysec' | 'hybrid' | 'large';
  readonly lines: readonly string[];
}

/** A few keys of each kind, so every panel has something to show. */
const SAMPLE_WRITES = ['SET user:1 Ada', 'SET user:2 Grace', 'RPUSH queue job:1 job:2 job:3', 'HSET session:7 user 1 cart 3', 'INCR visits'];

/**
 * 20,000 keys of 100 bytes: about 2.5 MB of values, enough pages for fork and copy-on-write to
 * show, while building it and replaying it (the timeline seeks by replay) takes a tenth of a second.
 * No snapshot is taken up front: writing one costs seconds (the student starts it when ready).
 */
export const LARGE_DATASET_KEYS = 20_000;

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'cache',
    lines: ['SHUTDOWN NOSAVE', 'SIM RESTART --save "" --appendonly no', ...SAMPLE_WRITES],
  },
  {
    id: 'rdb',
    lines: ['SHUTDOWN NOSAVE', 'SIM RESTART --save "60 1" --appendonly no', ...SAMPLE_WRITES, 'BGSAVE', 'SIM ADVANCE 200'],
  },
  {
    id: 'aofEverysec',
    lines: ['SHUTDOWN NOSAVE', 'SIM RESTART --save "" --appendonly yes --appendfsync everysec', ...SAMPLE_WRITES],
  },
  {
    id: 'hybrid',
    lines: [
      'SHUTDOWN NOSAVE',
      'SIM RESTART --save "60 1" --appendonly yes --appendfsync everysec --aof-use-rdb-preamble yes',
      ...SAMPLE_WRITES,
      'BGREWRITEAOF',
      'SIM ADVANCE 200',
      'BGSAVE',
      'SIM ADVANCE 200',
    ],
  },
  {
    id: 'large',
    lines: [`DEBUG POPULATE ${LARGE_DATASET_KEYS} key 100`],
  },
];
