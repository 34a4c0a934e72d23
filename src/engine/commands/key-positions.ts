import { COMMAND_META } from './command-meta.ts';

/**
 * The keys a command names, from Redis's own key positions (COMMAND INFO's first key, last key
 * and step, captured in command-meta.ts): what a write touches, for copy-on-write.
 */
export function keysOfCommand(name: string, argv: readonly string[]): string[] {
  const info = COMMAND_META[name]?.[0] as readonly unknown[] | undefined;
  if (info === undefined) return [];
  const [first, last, step] = [info[3], info[4], info[5]] as number[];
  if (!first || !step) return [];
  const end = (last as number) < 0 ? argv.length + (last as number) : (last as number);
  const keys: string[] = [];
  for (let i = first; i <= end && i < argv.length; i += step) keys.push(argv[i] as string);
  return keys;
}
