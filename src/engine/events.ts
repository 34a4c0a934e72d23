import type { Reply } from '../codec/reply.ts';

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
  | { type: 'server.stopped'; atMs: number; reason: 'shutdown' };

/** Redis's log level characters: `.` debug, `-` verbose, `*` notice, `#` warning. */
export type LogLevel = '.' | '-' | '*' | '#';

export type EngineEventType = EngineEvent['type'];
export type EventListener = (event: EngineEvent) => void;
