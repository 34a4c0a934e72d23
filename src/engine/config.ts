/**
 * The node's configuration: the persistence directives by their redis.conf names, with Redis
 * 7.0's defaults. Values are kept as the text CONFIG GET prints (normalised: `64mb` is kept as
 * `67108864`, `YES` as `yes`); typed getters parse them for the engine.
 *
 * Each directive carries the rules Redis 7.0.15 applies when it is set, so CONFIG SET and the
 * startup options refuse exactly what a real server refuses, with the same words. The rules were
 * taken from a real redis-server 7.0.15, one probe per branch.
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

/**
 * Who may change a directive at run time. `protected` ones (dir, dbfilename) need
 * enable-protected-configs, which the lab leaves at its default `no`; `immutable` ones are only
 * read at startup.
 */
export type Mutability = 'mutable' | 'protected' | 'immutable';

/** A value's normal form, or the reason Redis gives for refusing it. */
export type ParsedValue = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly error: string };

interface Directive {
  readonly mutability: Mutability;
  readonly parse: (value: string) => ParsedValue;
}

const INT_MAX = 2147483647n;
const LLONG_MAX = 9223372036854775807n;
const ULLONG_MAX = 18446744073709551615n;

const ok = (value: string): ParsedValue => ({ ok: true, value });
const fail = (error: string): ParsedValue => ({ ok: false, error });

function yesNo(value: string): ParsedValue {
  const lower = value.toLowerCase();
  return lower === 'yes' || lower === 'no' ? ok(lower) : fail("argument must be 'yes' or 'no'");
}

function oneOf(...choices: string[]): (value: string) => ParsedValue {
  const message = `argument(s) must be one of the following: ${choices.join(', ')}`;
  return (value) => {
    const lower = value.toLowerCase();
    return choices.includes(lower) ? ok(lower) : fail(message);
  };
}

const outOfRange = (max: bigint) => fail(`argument must be between 0 and ${max} inclusive`);

/** A plain integer directive: Redis's strict integer syntax (no '+', no leading zeros), then the range. */
function integerIn(max: bigint, clamp?: { min: number; max: number }): (value: string) => ParsedValue {
  return (value) => {
    if (!/^(0|-?[1-9][0-9]*)$/.test(value) || value.length > 20) return fail("argument couldn't be parsed into an integer");
    const n = BigInt(value);
    if (n < -LLONG_MAX - 1n || n > LLONG_MAX) return fail("argument couldn't be parsed into an integer");
    if (n < 0n || n > max) return outOfRange(max);
    // hz: Redis accepts the whole range but keeps (and prints) the value clamped.
    if (clamp !== undefined) return ok(String(Math.min(clamp.max, Math.max(clamp.min, Number(n)))));
    return ok(n.toString());
  };
}

const MEMORY_UNITS: Readonly<Record<string, bigint>> = {
  '': 1n,
  b: 1n,
  k: 1000n,
  kb: 1024n,
  m: 1000n * 1000n,
  mb: 1024n * 1024n,
  g: 1000n * 1000n * 1000n,
  gb: 1024n * 1024n * 1024n,
};

/**
 * A memory amount such as `64mb` or `1k`, as Redis's memtoull reads it: digits (leading zeros
 * allowed, fewer than 128 of them, none at all meaning 0), then an optional unit in any case. The
 * digits saturate at 2^64-1 and the product wraps around 2^64, as the C code's unsigned maths
 * does; what lands above 2^63-1 is out of range.
 */
function memoryIn(max: bigint): (value: string) => ParsedValue {
  return (value) => {
    const match = /^([0-9]*)(.*)$/s.exec(value) as RegExpExecArray;
    const digits = match[1] as string;
    const unit = MEMORY_UNITS[(match[2] as string).toLowerCase()];
    if (unit === undefined || digits.length >= 128) return fail('argument must be a memory value');
    let n = digits === '' ? 0n : BigInt(digits);
    if (n > ULLONG_MAX) n = ULLONG_MAX;
    n = (n * unit) & ULLONG_MAX;
    return n > max ? outOfRange(max) : ok(n.toString());
  };
}

/** C's strtoll over a whole token: leading white space, a sign, at least one digit; saturates. */
function strtoll(token: string): bigint | null {
  const match = /^[ \t\n\v\f\r]*([+-]?)([0-9]*)$/.exec(token);
  if (match === null) return null;
  const digits = match[2] as string;
  // No digits at all converts nothing: only an empty token then passes the end-pointer check.
  if (digits === '') return token === '' ? 0n : null;
  const n = match[1] === '-' ? -BigInt(digits) : BigInt(digits);
  return n > LLONG_MAX ? LLONG_MAX : n < -LLONG_MAX - 1n ? -LLONG_MAX - 1n : n;
}

/**
 * `save "<seconds> <changes> ..."`. The text is split on single spaces (so doubled or trailing
 * spaces make empty tokens), pairs are read with strtoll, seconds must be >= 1 and changes >= 0.
 * Redis keeps changes in a C int, so a large count wraps to 32 bits, and prints what it kept.
 */
function saveParams(value: string): ParsedValue {
  if (value === '') return ok('');
  const tokens = value.split(' ');
  if (tokens.length % 2 !== 0) return fail('Invalid save parameters');
  const kept: string[] = [];
  for (let i = 0; i < tokens.length; i += 2) {
    const seconds = strtoll(tokens[i] as string);
    const changes = strtoll(tokens[i + 1] as string);
    if (seconds === null || changes === null || seconds < 1n || changes < 0n) return fail('Invalid save parameters');
    kept.push(`${seconds} ${BigInt.asIntN(32, changes)}`);
  }
  return ok(kept.join(' '));
}

/** A bare name (no '/'), as the RDB and AOF file settings require. */
function bareName(what: string, kind: 'filename' | 'dirname'): (value: string) => ParsedValue {
  return (value) => (value.includes('/') ? fail(`${what} can't be a path, just a ${kind}`) : ok(value));
}

const anyText = (value: string): ParsedValue => ok(value);

const DIRECTIVES: Readonly<Record<string, Directive>> = {
  save: { mutability: 'mutable', parse: saveParams },
  appendonly: { mutability: 'mutable', parse: yesNo },
  // Redis lists the choices in this order in its error.
  appendfsync: { mutability: 'mutable', parse: oneOf('everysec', 'always', 'no') },
  dir: { mutability: 'protected', parse: anyText },
  dbfilename: { mutability: 'protected', parse: bareName('dbfilename', 'filename') },
  appenddirname: { mutability: 'immutable', parse: bareName('appenddirname', 'dirname') },
  appendfilename: { mutability: 'immutable', parse: bareName('appendfilename', 'filename') },
  'aof-use-rdb-preamble': { mutability: 'mutable', parse: yesNo },
  'auto-aof-rewrite-percentage': { mutability: 'mutable', parse: integerIn(INT_MAX) },
  'auto-aof-rewrite-min-size': { mutability: 'mutable', parse: memoryIn(LLONG_MAX) },
  'aof-load-truncated': { mutability: 'mutable', parse: yesNo },
  'aof-timestamp-enabled': { mutability: 'mutable', parse: yesNo },
  'stop-writes-on-bgsave-error': { mutability: 'mutable', parse: yesNo },
  rdbcompression: { mutability: 'mutable', parse: yesNo },
  // Immutable in 7.0: CONFIG SET rdbchecksum is refused although the task lists it as settable.
  rdbchecksum: { mutability: 'immutable', parse: yesNo },
  'no-appendfsync-on-rewrite': { mutability: 'mutable', parse: yesNo },
  hz: { mutability: 'mutable', parse: integerIn(INT_MAX, { min: 1, max: 500 }) },
};

/** The directive's canonical name if the node knows it (names are case-insensitive), else null. */
export function directiveName(name: string): string | null {
  const lower = name.toLowerCase();
  return Object.hasOwn(DIRECTIVES, lower) ? lower : null;
}

export function mutability(name: DirectiveName | string): Mutability {
  return (DIRECTIVES[name] as Directive).mutability;
}

/** Validates and normalises a value for a known directive (canonical name). */
export function parseDirective(name: string, value: string): ParsedValue {
  return (DIRECTIVES[name] as Directive).parse(value);
}

export class Config {
  private readonly values = new Map<string, string>(Object.entries(DEFAULT_CONFIG));

  /**
   * Startup options, as redis.conf or `--directive value` give them. Protected and immutable
   * directives may be set here. An invalid one throws with Redis's startup message.
   */
  constructor(overrides: Readonly<Record<string, string>> = {}) {
    for (const [name, value] of Object.entries(overrides)) {
      const canonical = directiveName(name);
      if (canonical === null) throw new Error(`Bad directive or wrong number of arguments: ${name}`);
      const parsed = parseDirective(canonical, value);
      if (!parsed.ok) throw new Error(parsed.error);
      this.set(canonical, parsed.value);
    }
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

  /** Stores a value already in normal form (see parseDirective). */
  set(name: string, value: string): void {
    this.values.set(name, value);
    if (name === 'aof-timestamp-enabled') this.aofTimestamps = value === 'yes';
  }

  /** `aof-timestamp-enabled yes`, kept as a field: every write the AOF logs asks. */
  aofTimestamps = false;

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
