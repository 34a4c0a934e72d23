import type { CommandSpec } from './types.ts';

export const genericCommands: CommandSpec[] = [];
