import type { CommandSpec } from './types.ts';

export const listsCommands: CommandSpec[] = [];
