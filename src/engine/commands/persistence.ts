import { error, status } from '../../codec/reply.ts';
import type { CommandSpec } from './types.ts';

/**
 * SAVE and BGSAVE, with Redis 7.0's replies (reference §1.4). LASTSAVE lives with the server
 * commands; the work itself is in persistence/rdb-persistence.ts.
 */
const SAVE_IN_PROGRESS = error('ERR Background save already in progress');

export const persistenceCommands: CommandSpec[] = [
  {
    name: 'save',
    arity: 1,
    flags: ['admin'],
    run: ({ engine }) => {
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
      // Inside EXEC a fork is always deferred to serverCron.
      if (engine.inTransaction) {
        engine.rdb.scheduled = true;
        return status('Background saving scheduled');
      }
      engine.rdb.bgsave();
      return status('Background saving started');
    },
  },
];
