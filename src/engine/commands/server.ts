import type { CommandSpec } from './types.ts';

export const serverCommands: CommandSpec[] = [];
