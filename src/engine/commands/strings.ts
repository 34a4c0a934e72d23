import type { CommandSpec } from './types.ts';

export const stringsCommands: CommandSpec[] = [];
