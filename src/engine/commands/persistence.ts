import { error, status } from '../../codec/reply.ts';
import type { CommandSpec } from './types.ts';

/**
 * SAVE, BGSAVE and BGREWRITEAOF, with Redis 7.0's replies (reference §1.4, §3.7). LASTSAVE lives with the server
 * commands; the work itself is in persistence/rdb-persistence.ts.
 */
const SAVE_IN_PROGRESS = error('ERR Background save already in progress');

export const persistenceCommands: CommandSpec[] = [
  {
    name: 'save',
    arity: 1,
    // no-queue: inside MULTI, SAVE (a no-multi command in 7.0) is refused at once and aborts the EXEC.
    flags: ['admin', 'no-queue'],
    run: ({ engine, client }) => {
      if (client.multi !== null) {
        client.multi.failed = true;
        return error('ERR Command not allowed inside a transaction');
      }
      if (engine.rdb.child !== null) return SAVE_IN_PROGRESS;
      // A failed SAVE answers a bare "ERR" (Redis's shared.err).
      return engine.rdb.save('save') ? status('OK') : error('ERR');
    },
  },
  {
    name: 'bgsave',
    arity: -1,
    flags: ['admin'],
    run: ({ engine, argv }) => {
      const schedule = argv.length === 2 && (argv[1] as string).toLowerCase() === 'schedule';
      if (argv.length > 2 || (argv.length === 2 && !schedule)) return error('ERR syntax error');
      if (engine.rdb.child !== null) return SAVE_IN_PROGRESS;
      // Inside EXEC a fork is always deferred to serverCron; SCHEDULE waits for another child.
      if (engine.inTransaction || (schedule && engine.hasChild())) {
        engine.rdb.scheduled = true;
        return status('Background saving scheduled');
      }
      if (engine.hasChild()) {
        return error(
          "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.",
        );
      }
      engine.rdb.bgsave();
      return status('Background saving started');
    },
  },
  {
    name: 'bgrewriteaof',
    arity: 1,
    flags: ['admin'],
    run: ({ engine }) => {
      if (engine.aof.child !== null) return error('ERR Background append only file rewriting already in progress');
      if (engine.hasChild() || engine.inTransaction) {
        engine.aof.rewriteScheduled = true;
        return status('Background append only file rewriting scheduled');
      }
      engine.aof.startRewrite();
      return status('Background append only file rewriting started');
    },
  },
];
