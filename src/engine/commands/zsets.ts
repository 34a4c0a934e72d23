import type { CommandSpec } from './types.ts';

export const zsetsCommands: CommandSpec[] = [];
