import { array, error, OK, type Reply } from '../../codec/reply.ts';
import type { CommandSpec } from './types.ts';

/**
 * MULTI, EXEC and DISCARD. The engine's dispatcher queues commands between MULTI and EXEC (after
 * checking their name and arity, which is where EXECABORT comes from); EXEC runs the queue without
 * interruption and answers with every reply in order, errors included.
 */
export const transactionCommands: CommandSpec[] = [
  {
    name: 'multi',
    arity: 1,
    flags: ['no-queue', 'fast', 'loading-ok'],
    run: ({ client }) => {
      if (client.multi !== null) return error('ERR MULTI calls can not be nested');
      client.multi = { queue: [], failed: false };
      return OK;
    },
  },
  {
    name: 'exec',
    arity: 1,
    flags: ['no-queue', 'loading-ok'],
    run: ({ engine, client }) => {
      const multi = client.multi;
      if (multi === null) return error('ERR EXEC without MULTI');
      client.multi = null;
      if (multi.failed) return error('EXECABORT Transaction discarded because of previous errors.');
      const replies: Reply[] = multi.queue.map((argv) => engine.executeQueued(client, argv));
      return array(replies);
    },
  },
  {
    name: 'discard',
    arity: 1,
    flags: ['no-queue', 'fast', 'loading-ok'],
    run: ({ client }) => {
      if (client.multi === null) return error('ERR DISCARD without MULTI');
      client.multi = null;
      return OK;
    },
  },
];
