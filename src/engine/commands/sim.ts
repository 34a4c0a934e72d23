import { array, bulk, error, integer, OK, status } from '../../codec/reply.ts';
import type { CommandSpec } from './types.ts';

/**
 * SIM: the simulator's own verbs, an extension in the manner of Redis's DEBUG. They control what a
 * real node gets from the world around it: time, and the model's parameters.
 */

/** Largest single jump of simulated time: a year, so a typo cannot make cron run for minutes. */
const MAX_ADVANCE_MS = 366 * 24 * 3600 * 1000;
/** Simulated time must stay within dates Redis and JavaScript both handle (year 1970 to 9999). */
const MAX_EPOCH_MS = 253402300799999;

const HELP = [
  'SIM <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'ADVANCE <milliseconds>',
  '    Let simulated time pass; serverCron runs every 1000/hz ms on the way.',
  'TIME',
  '    Return the simulated time as unix milliseconds and as an ISO 8601 date.',
  'SET epoch-ms <unix-milliseconds>',
  '    Set the simulated clock.',
  'HELP',
  '    Print this help.',
];

/** A canonical non-negative decimal integer up to `max`, or null. */
function parseMs(text: string, max: number): number | null {
  if (!/^(0|[1-9][0-9]{0,15})$/.test(text)) return null;
  const value = Number(text);
  return value <= max ? value : null;
}

const sub = (spec: Omit<CommandSpec, 'flags'>): CommandSpec => ({ ...spec, flags: ['loading-ok'] });

export const simCommands: CommandSpec[] = [
  {
    name: 'sim',
    arity: -2,
    flags: ['loading-ok'],
    run: () => error('ERR unknown subcommand'),
    subcommands: {
      advance: sub({
        name: 'sim|advance',
        arity: 3,
        run: ({ engine, argv }) => {
          const ms = parseMs(argv[2] as string, MAX_ADVANCE_MS);
          if (ms === null) return error(`ERR SIM ADVANCE takes whole milliseconds from 0 to ${MAX_ADVANCE_MS}`);
          engine.advance(ms);
          return OK;
        },
      }),
      time: sub({
        name: 'sim|time',
        arity: 2,
        run: ({ engine }) => array([integer(engine.nowMs), bulk(new Date(engine.nowMs).toISOString())]),
      }),
      set: sub({
        name: 'sim|set',
        arity: 4,
        run: ({ engine, argv }) => {
          const param = (argv[2] as string).toLowerCase();
          if (param !== 'epoch-ms') return error(`ERR unknown simulation parameter '${argv[2] as string}'`);
          const ms = parseMs(argv[3] as string, MAX_EPOCH_MS);
          if (ms === null) return error(`ERR epoch-ms takes unix milliseconds from 0 to ${MAX_EPOCH_MS}`);
          engine.setClock(ms);
          return OK;
        },
      }),
      help: sub({ name: 'sim|help', arity: 2, run: () => array(HELP.map(status)) }),
    },
  },
];
