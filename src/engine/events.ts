import type { Reply } from '../codec/reply.ts';
import type { RecoveryReport } from './persistence/recovery-report.ts';

/**
 * Everything the engine reports happened, in order: past-tense, namespaced, each stamped with the
 * simulated time. The event stream drives the animations, the screen-reader narration, the
 * timeline and the tests; nothing outside the engine learns about a change any other way.
 */
export type EngineEvent =
  | { type: 'command.executed'; atMs: number; clientId: number; db: number; argv: readonly string[]; reply: Reply }
  | { type: 'command.propagated'; atMs: number; db: number; argv: readonly string[] }
  | { type: 'key.expired'; atMs: number; db: number; key: string; by: 'lazy' | 'active' }
  | { type: 'db.flushed'; atMs: number; db: number | 'all' }
  | { type: 'time.advanced'; atMs: number; fromMs: number }
  | { type: 'config.changed'; atMs: number; name: string; value: string }
  | { type: 'log.line'; atMs: number; pid: number; role: 'M' | 'C'; level: LogLevel; message: string; text: string }
  | { type: 'server.stopped'; atMs: number; reason: 'shutdown' }
  // The disk: `by` is the pid of the process that acted (the server or its child).
  | { type: 'file.created'; atMs: number; by: number; name: string }
  | { type: 'file.written'; atMs: number; by: number; name: string; offset: number; length: number }
  | { type: 'file.fsynced'; atMs: number; by: number; name: string; durableBytes: number }
  | { type: 'file.truncated'; atMs: number; by: number; name: string; length: number }
  | { type: 'file.renamed'; atMs: number; by: number; from: string; to: string; replaced: boolean }
  | { type: 'file.deleted'; atMs: number; by: number; name: string }
  | { type: 'dir.fsynced'; atMs: number; by: number }
  // Processes and memory.
  | { type: 'fork.started'; atMs: number; parentPid: number; childPid: number; purpose: ChildPurpose; forkUs: number; pageCount: number; pageSizeBytes: number }
  | { type: 'page.copied'; atMs: number; page: number; db: number; key: string }
  | { type: 'child.exited'; atMs: number; pid: number; exitCode: number | null; signal: number | null }
  /**
   * The parent reaped its fork child (waitpid): in serverCron after the child exited, or at once
   * when the parent ended the child itself and waited for it. `stopped` is a child the parent ended
   * with SIGUSR1, neither a success nor a failure: a BGSAVE child FLUSHALL stopped (reaped at the
   * next cron; exit code 255), an AOF rewrite child (reaped at once), or a BGSAVE child SHUTDOWN
   * stopped, which the exiting parent never waits for (told at its exit, the last it sees of it).
   * Emitted before the parent acts on the result, as Redis's done handlers run after waitpid.
   */
  | { type: 'child.reaped'; atMs: number; pid: number; purpose: ChildPurpose; outcome: ReapOutcome; exitCode: number | null; signal: number | null }
  | { type: 'bgsave.finished'; atMs: number; childPid: number; ok: boolean }
  | { type: 'rdb.saved'; atMs: number; pid: number; name: string; sizeBytes: number }
  | { type: 'process.crashed'; atMs: number; pid: number; kind: 'process' | 'power' }
  | { type: 'process.started'; atMs: number; pid: number }
  /** The keyspace was (re)built from a file: at startup, DEBUG RELOAD, or a restart. */
  | { type: 'keyspace.loaded'; atMs: number; source: 'rdb' | 'aof'; file: string; keysLoaded: number; keysExpired: number }
  /** A restart finished loading: which acknowledged writes came back, which were lost, and why. */
  | { type: 'recovery.reported'; atMs: number; report: RecoveryReport };

/** What a fork child does: BGSAVE's snapshot, or the AOF rewrite's new base. */
export type ChildPurpose = 'rdb' | 'aof-rewrite';

/** What the parent made of a child it reaped: its work taken, a failure, or its own doing (stopped). */
export type ReapOutcome = 'ok' | 'failed' | 'stopped';

/** Redis's log level characters: `.` debug, `-` verbose, `*` notice, `#` warning. */
export type LogLevel = '.' | '-' | '*' | '#';

export type EngineEventType = EngineEvent['type'];
export type EventListener = (event: EngineEvent) => void;
