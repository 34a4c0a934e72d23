import type { Reply } from '../../codec/reply.ts';
import type { Db } from '../keyspace/db.ts';
import type { Client } from '../client.ts';
import type { Engine } from '../engine.ts';

/** Redis's command flags that change how the engine dispatches a command. */
export type CommandFlag =
  | 'write' // modifies data: refused under MISCONF, propagated to the AOF when it changes something
  | 'readonly'
  | 'admin'
  | 'fast'
  | 'no-queue' // runs at once even inside MULTI (EXEC, DISCARD, MULTI, WATCH, RESET, QUIT)
  | 'loading-ok'; // allowed while the node is loading (answers instead of -LOADING)

/** What a command implementation receives. */
export interface CommandContext {
  readonly engine: Engine;
  readonly client: Client;
  readonly argv: readonly string[];
  /** The client's selected database when the command started. */
  readonly db: Db;
  /**
   * What to log to the AOF instead of argv, when the command changed something. Redis rewrites
   * many commands into a deterministic form (EXPIRE → PEXPIREAT, SPOP → SREM, …); a command sets
   * this to say so. Left undefined, argv itself is propagated.
   */
  propagateAs?: string[][];
}

/** One entry of the command table. Arity follows Redis: n = exactly n words, -n = at least n. */
export interface CommandSpec {
  readonly name: string;
  readonly arity: number;
  readonly flags: readonly CommandFlag[];
  readonly run: (ctx: CommandContext) => Reply;
  /** Container commands (CONFIG, CLIENT, COMMAND, SIM) dispatch on their second word. */
  readonly subcommands?: Readonly<Record<string, CommandSpec>>;
}
