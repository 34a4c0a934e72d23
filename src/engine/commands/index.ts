import type { CommandSpec } from './types.ts';
import { genericCommands } from './generic.ts';
import { stringsCommands } from './strings.ts';
import { listsCommands } from './lists.ts';
import { hashesCommands } from './hashes.ts';
import { setsCommands } from './sets.ts';
import { zsetsCommands } from './zsets.ts';
import { serverCommands } from './server.ts';
import { transactionCommands } from './transactions.ts';
import { simCommands } from './sim.ts';
import { persistenceCommands } from './persistence.ts';

/** The command table, by lowercase name. */
export const COMMAND_TABLE: ReadonlyMap<string, CommandSpec> = new Map(
  [
    ...genericCommands,
    ...stringsCommands,
    ...listsCommands,
    ...hashesCommands,
    ...setsCommands,
    ...zsetsCommands,
    ...serverCommands,
    ...transactionCommands,
    ...simCommands,
    ...persistenceCommands,
  ].map((spec) => [spec.name, spec]),
);

export type { CommandSpec, CommandContext, CommandFlag } from './types.ts';
