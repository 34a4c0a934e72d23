/**
 * Runs a command script through the real `redis-cli` against a server, and cuts what it prints
 * into one block per script line, so two servers' outputs can be compared line by line.
 *
 * redis-cli prints replies back to back with nothing between them, so an `ECHO "@@<n>"` marker is
 * sent after every line and the output is cut at the markers. Inside MULTI the markers are queued
 * like any command: the whole transaction then forms one block, identically on both servers.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normaliseCliBlock } from './normalise-cli.ts';

export interface CliBlock {
  /** The script line (or lines, inside MULTI) this output belongs to. */
  readonly line: string;
  readonly output: string;
}

const MARKER = /^"@@(\d+)"$/;

/** Script lines: blank lines and `#` comments removed. */
export function scriptLines(script: string): string[] {
  return script.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
}

/** The lines of test/scripts/<name>.redis, as scriptLines() gives them. */
export function scriptFile(name: string): string[] {
  return scriptLines(readFileSync(join(import.meta.dirname, '../scripts', `${name}.redis`), 'utf8'));
}

export function runRedisCli(port: number, lines: readonly string[]): CliBlock[] {
  const input = lines.map((line, i) => `${line}\nECHO "@@${i}"\n`).join('');
  const result = spawnSync('redis-cli', ['--no-raw', '-p', String(port)], { input, encoding: 'latin1', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`redis-cli failed: ${result.stderr}`);
  const blocks: CliBlock[] = [];
  let pending: string[] = [];
  let firstLine = 0;
  for (const outputLine of result.stdout.split('\n').slice(0, -1)) {
    const marker = MARKER.exec(outputLine);
    if (marker === null) {
      pending.push(outputLine);
      continue;
    }
    const last = Number(marker[1]);
    blocks.push({ line: lines.slice(firstLine, last + 1).join(' ⏎ '), output: pending.join('\n') });
    pending = [];
    firstLine = last + 1;
  }
  if (pending.length !== 0) blocks.push({ line: lines.slice(firstLine).join(' ⏎ '), output: pending.join('\n') });
  return blocks;
}

/** The blocks with the output of unordered, random and clock-dependent replies normalised. */
export function normalisedCliRun(port: number, lines: readonly string[]): CliBlock[] {
  return runRedisCli(port, lines).map((block) => ({ line: block.line, output: normaliseCliBlock(block.line, block.output) }));
}
