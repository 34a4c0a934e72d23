import type { CommandSpec } from './types.ts';

export const hashesCommands: CommandSpec[] = [];
