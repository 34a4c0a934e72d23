import { array, error, NIL_ARRAY, OK, type Reply } from '../../codec/reply.ts';
import type { CommandSpec } from './types.ts';

/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH. The engine's dispatcher queues commands between MULTI
 * and EXEC (after checking their name and arity, which is where EXECABORT comes from); EXEC runs
 * the queue without interruption and answers with every reply in order, errors included. A
 * watched key written since WATCH (../watch.ts) makes EXEC answer a null array and run nothing.
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
      // A watched key that expired unnoticed counts as touched.
      if (!client.watchTouched && client.watches.length !== 0 && engine.watchedKeyExpired(client)) client.watchTouched = true;
      if (multi.failed || client.watchTouched) {
        engine.discardTransaction(client);
        return multi.failed ? error('EXECABORT Transaction discarded because of previous errors.') : NIL_ARRAY;
      }
      engine.watches.unwatchAll(client);
      // The client stays in MULTI while its queue runs: CLIENT INFO there shows flags=x, multi=<n>.
      try {
        const replies: Reply[] = multi.queue.map((argv) => engine.executeQueued(client, argv));
        return array(replies);
      } finally {
        client.multi = null;
      }
    },
  },
  {
    name: 'discard',
    arity: 1,
    flags: ['no-queue', 'fast', 'loading-ok'],
    run: ({ engine, client }) => {
      if (client.multi === null) return error('ERR DISCARD without MULTI');
      engine.discardTransaction(client);
      return OK;
    },
  },
  {
    name: 'watch',
    arity: -2,
    // Runs at once inside MULTI, to refuse there without dooming the transaction.
    flags: ['no-queue', 'fast', 'loading-ok'],
    run: ({ engine, client, db, argv }) => {
      if (client.multi !== null) return error('ERR WATCH inside MULTI is not allowed');
      // Already doomed: more watches would change nothing.
      if (client.watchTouched) return OK;
      for (let i = 1; i < argv.length; i++) {
        const key = argv[i] as string;
        engine.watches.watch(client, db.index, key, engine.keyIsExpired(db, key));
      }
      return OK;
    },
  },
  {
    name: 'unwatch',
    arity: 1,
    flags: ['fast', 'loading-ok'],
    run: ({ engine, client }) => {
      engine.watches.unwatchAll(client);
      return OK;
    },
  },
];
