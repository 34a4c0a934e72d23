import type { CommandSpec } from './types.ts';

export const setsCommands: CommandSpec[] = [];
