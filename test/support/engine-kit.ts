/**
 * What the engine's unit tests share: a lab (an engine on a fixed clock, a client, `run` for typed
 * lines, recorders of events and of propagated commands, the server log without timestamps) and
 * builders of the replies a test expects.
 *
 *   const { engine, run, propagated } = lab({ epochMs: NEW_YEAR, config: { save: '' } });
 *   expect(run('RPUSH l a b')).toEqual(int(2));
 *   expect(propagated).toEqual([['RPUSH', 'l', 'a', 'b']]);
 *
 * The builders make plain objects instead of calling src/codec/reply.ts, so that what a test
 * expects never comes from the code under test.
 */
import type { Reply } from '../../src/codec/reply.ts';
import { Engine, type Client, type EngineEvent, type EngineOptions } from '../../src/engine/index.ts';
import type { Db } from '../../src/engine/keyspace/db.ts';
import type { RecoveryReport } from '../../src/engine/persistence/recovery-report.ts';

/** 1 Jan 2026 09:00 UTC: a lab's epoch unless told otherwise. */
export const START = Date.UTC(2026, 0, 1, 9, 0, 0);
/** 1 Jan 2026 00:00 UTC: the epoch the data-type families' tests were written on. */
export const NEW_YEAR = Date.UTC(2026, 0, 1);

export interface LabOptions extends EngineOptions {
  /**
   * Record events (default true). False subscribes to nothing, so that the engine keeps to the
   * paths it takes when nobody observes it (it then builds no event at all); `events` and
   * `propagated` stay empty.
   */
  readonly record?: boolean;
}

export interface Lab {
  readonly engine: Engine;
  /** The client `run` uses unless given another. */
  readonly client: Client;
  /** Database 0, for planting values directly. */
  readonly db: Db;
  /** Runs one typed line (redis-cli quoting) and returns the reply; a blank or unbalanced line throws. */
  run(line: string, as?: Client): Reply;
  /** Every event since the lab was made, in order. */
  readonly events: EngineEvent[];
  /** The argv of every command.propagated event, in order: what the AOF is given. */
  readonly propagated: string[][];
  /** The server log from line `from` on, each line as `<pid>:<role> <level> <message>`. */
  log(from?: number): string[];
}

/** An engine (epoch START and Redis's defaults unless `options` say otherwise) and its first client. */
export function lab(options: LabOptions = {}): Lab {
  const { record = true, ...engineOptions } = options;
  const engine = new Engine({ epochMs: START, ...engineOptions });
  const client = engine.newClient();
  const events: EngineEvent[] = [];
  const propagated: string[][] = [];
  if (record) {
    engine.subscribe((event) => {
      events.push(event);
      if (event.type === 'command.propagated') propagated.push([...event.argv]);
    });
  }
  const run = runner(engine, client);
  const log = (from = 0) => engine.serverLog.slice(from).map(withoutTime);
  return { engine, client, db: engine.dbs[0]!, run, events, propagated, log };
}

/**
 * A lab for crash and restart tests: a redis.conf, no save points, each line on a fresh connection
 * (a crash drops them all), and readers of the last restart's report.
 */
export function recoveryLab(config: Record<string, string> = {}) {
  const made = lab({ config: { save: '', ...config }, configFile: true });
  const { engine } = made;
  const run = (line: string): Reply => made.run(line, engine.newClient());
  const keys = () => engine.dbs.flatMap((db) => [...db.data.keys()]).sort();
  const report = (): RecoveryReport => {
    expect(engine.lastRecovery).not.toBeNull();
    return engine.lastRecovery as RecoveryReport;
  };
  /** The lost writes as "argv → reason". */
  const lost = () => report().lost.map((write) => `${write.argv.join(' ')} → ${write.reason}`);
  const survived = () => report().survived.map((write) => write.argv.join(' '));
  return { ...made, run, keys, report, lost, survived };
}

/** `run` for an engine made elsewhere (one loading files, say): lines go to `client` unless given another. */
export function runner(engine: Engine, client: Client = engine.newClient()): (line: string, as?: Client) => Reply {
  return (line, as = client) => {
    const result = engine.run(line, as);
    if (result.kind !== 'reply') throw new Error(`no reply to ${line}: ${result.kind}`);
    return result.reply;
  };
}

// ---- the server log ----------------------------------------------------------------------------

/** `<pid>:<role> <date> <time> `, the head of every line but the raw lines of a crash report. */
const LOG_HEAD = /^(\d+:[MC]) \d\d \w{3} \d{4} \d\d:\d\d:\d\d\.\d{3} /;

/** A log line without its timestamp: `4242:M * DB saved on disk`. */
export const withoutTime = (line: string): string => line.replace(LOG_HEAD, '$1 ');

/** A log line without its pid, role and timestamp: `* DB saved on disk`. */
export const levelAndMessage = (line: string): string => line.replace(LOG_HEAD, '');

// ---- expected replies --------------------------------------------------------------------------

export const int = (value: number | bigint): Reply => ({ type: 'integer', value });
/** A bulk string; null is the nil bulk. */
export const bulk = (value: string | null): Reply => ({ type: 'bulk', value });
export const status = (value: string): Reply => ({ type: 'status', value });
export const err = (value: string): Reply => ({ type: 'error', value });
/** An array of bulk strings (null for a nil element). */
export const arr = (...values: (string | null)[]): Reply => ({ type: 'array', value: values.map(bulk) });
/** An array of integers. */
export const ints = (...values: number[]): Reply => ({ type: 'array', value: values.map(int) });

export const OK = status('OK');
export const NIL = bulk(null);
export const WRONGTYPE = err('WRONGTYPE Operation against a key holding the wrong kind of value');
export const NOT_AN_INTEGER = err('ERR value is not an integer or out of range');
export const SYNTAX = err('ERR syntax error');
