/**
 * The node's configuration: the persistence directives by their redis.conf names, with Redis
 * 7.0's defaults. Values are kept as the text CONFIG GET prints; typed getters parse them for the
 * engine. Validation (CONFIG SET's errors) lives with the CONFIG command.
 */
export const DEFAULT_CONFIG: Readonly<Record<string, string>> = {
  save: '3600 1 300 100 60 10000',
  appendonly: 'no',
  appendfsync: 'everysec',
  dir: '/var/lib/redis',
  dbfilename: 'dump.rdb',
  appenddirname: 'appendonlydir',
  appendfilename: 'appendonly.aof',
  'aof-use-rdb-preamble': 'yes',
  'auto-aof-rewrite-percentage': '100',
  'auto-aof-rewrite-min-size': '67108864',
  'aof-load-truncated': 'yes',
  'aof-timestamp-enabled': 'no',
  'stop-writes-on-bgsave-error': 'yes',
  rdbcompression: 'yes',
  rdbchecksum: 'yes',
  'no-appendfsync-on-rewrite': 'no',
  hz: '10',
};

export type DirectiveName = keyof typeof DEFAULT_CONFIG;

/** One save point: save when `changes` writes happened and more than `seconds` have passed. */
export interface SavePoint {
  readonly seconds: number;
  readonly changes: number;
}

export class Config {
  private readonly values = new Map<string, string>(Object.entries(DEFAULT_CONFIG));

  constructor(overrides: Readonly<Record<string, string>> = {}) {
    for (const [name, value] of Object.entries(overrides)) this.values.set(name, value);
  }

  /** The directive names this node knows, in a stable order. */
  names(): string[] {
    return [...this.values.keys()];
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  get(name: string): string {
    const value = this.values.get(name);
    if (value === undefined) throw new Error(`unknown directive ${name}`);
    return value;
  }

  set(name: string, value: string): void {
    this.values.set(name, value);
  }

  /** serverCron's frequency in ticks per second. */
  get hz(): number {
    return Number(this.get('hz'));
  }

  get savePoints(): SavePoint[] {
    const words = this.get('save').split(' ').filter(Boolean);
    const points: SavePoint[] = [];
    for (let i = 0; i + 1 < words.length; i += 2) {
      points.push({ seconds: Number(words[i]), changes: Number(words[i + 1]) });
    }
    return points;
  }

  flag(name: string): boolean {
    return this.get(name) === 'yes';
  }

  /** A snapshot of every value, for exports and permalinks. */
  toRecord(): Record<string, string> {
    return Object.fromEntries(this.values);
  }
}
