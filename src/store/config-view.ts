import { DEFAULT_CONFIG, mutability, parseDirective, type Mutability } from '../engine/config.ts';

/**
 * The redis.conf panel's view model: the persistence directives by their real names, each with
 * the value redis.conf gives it (what the next start reads) and the value the running server
 * uses (CONFIG GET), and whether they differ — a CONFIG SET since the start, lost at the next
 * restart unless written back with CONFIG REWRITE.
 *
 * Values are in CONFIG GET's normal form (`64mb` is `67108864`), so the two compare as text.
 * Parts that did not change are the previous objects, so a clock tick re-renders nothing.
 */

/** The directives the panel shows, in the order a reader meets them: RDB first, then AOF. */
export const CONFIG_DIRECTIVES = [
  'save',
  'dbfilename',
  'rdbcompression',
  'rdbchecksum',
  'stop-writes-on-bgsave-error',
  'appendonly',
  'appendfsync',
  'appenddirname',
  'aof-use-rdb-preamble',
  'no-appendfsync-on-rewrite',
  'auto-aof-rewrite-percentage',
  'auto-aof-rewrite-min-size',
  'aof-load-truncated',
] as const;

export type ConfigDirective = (typeof CONFIG_DIRECTIVES)[number];

/** How a value is typed: a switch, one of a few words, or free text Redis validates. */
export type DirectiveInput =
  | { readonly kind: 'yes-no' }
  | { readonly kind: 'choice'; readonly choices: readonly string[] }
  | { readonly kind: 'text'; readonly format: 'save' | 'integer' | 'memory' | 'name' };

const INPUTS: Readonly<Record<ConfigDirective, DirectiveInput>> = {
  save: { kind: 'text', format: 'save' },
  dbfilename: { kind: 'text', format: 'name' },
  rdbcompression: { kind: 'yes-no' },
  rdbchecksum: { kind: 'yes-no' },
  'stop-writes-on-bgsave-error': { kind: 'yes-no' },
  appendonly: { kind: 'yes-no' },
  appendfsync: { kind: 'choice', choices: ['always', 'everysec', 'no'] },
  appenddirname: { kind: 'text', format: 'name' },
  'aof-use-rdb-preamble': { kind: 'yes-no' },
  'no-appendfsync-on-rewrite': { kind: 'yes-no' },
  'auto-aof-rewrite-percentage': { kind: 'text', format: 'integer' },
  'auto-aof-rewrite-min-size': { kind: 'text', format: 'memory' },
  'aof-load-truncated': { kind: 'yes-no' },
};

export interface DirectiveView {
  readonly name: ConfigDirective;
  /** What redis.conf says (what a restart reads), or null when the store cannot see it. */
  readonly startup: string | null;
  /** What the server uses now (CONFIG GET); while it is down, what it last used. */
  readonly running: string;
  /** Set by CONFIG SET since the start: the two differ. */
  readonly changed: boolean;
  /** Whether CONFIG SET may change it (protected and immutable ones are read at startup only). */
  readonly mutability: Mutability;
  readonly input: DirectiveInput;
}

export interface ConfigView {
  /** Whether the server runs (CONFIG SET needs it). */
  readonly running: boolean;
  readonly directives: readonly DirectiveView[];
  /** appendfilename, which names the AOF's files (not a directive the panel edits). */
  readonly appendfilename: string;
}

/** What the view reads: the running config, and redis.conf when it is known. */
export interface ConfigSource {
  readonly running: boolean;
  readonly config: { get(name: string): string };
  /** redis.conf as a restart reads it (directives left out have Redis's defaults), or null. */
  readonly startup: Readonly<Record<string, string>> | null;
}

/** A redis.conf value in CONFIG GET's normal form (a value Redis refuses is shown as written). */
function normalised(name: string, value: string): string {
  const parsed = parseDirective(name, value);
  return parsed.ok ? parsed.value : value;
}

export function buildConfigView(source: ConfigSource, previous: ConfigView | null = null): ConfigView {
  const directives = CONFIG_DIRECTIVES.map((name, index): DirectiveView => {
    const running = source.config.get(name);
    const written = source.startup === null ? null : (source.startup[name] ?? DEFAULT_CONFIG[name] ?? null);
    const startup = written === null ? null : normalised(name, written);
    const fresh: DirectiveView = { name, startup, running, changed: startup !== null && startup !== running, mutability: mutability(name), input: INPUTS[name] };
    const old = previous?.directives[index];
    return old !== undefined && old.startup === fresh.startup && old.running === fresh.running ? old : fresh;
  });
  const appendfilename = source.config.get('appendfilename');
  const same = previous !== null && previous.running === source.running && previous.appendfilename === appendfilename;
  if (same && directives.every((directive, i) => directive === previous.directives[i])) return previous;
  return { running: source.running, directives, appendfilename };
}
