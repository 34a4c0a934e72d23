/**
 * The normal form of redis-cli's output for one command, for comparing two servers. Only what the
 * differential test's contract allows is normalised: unordered replies are sorted; INFO, SCAN
 * cursors, LASTSAVE and random replies are reduced to their shape.
 */
import { splitArgs } from '../../src/codec/split-args.ts';
import { SHAPE_ONLY, UNORDERED, UNORDERED_PAIRS } from './reply-contract.ts';


/** An item line of a flat array; redis-cli pads the numbers to one width (` 1) a` … `10) j`). */
const ITEM = /^ *(\d+)\) (.*)$/;

/** Array items of a flat top-level array reply, without their `n) ` numbers. */
function items(output: string): string[] {
  return output.split('\n').map((l) => ITEM.exec(l)?.[2] ?? l);
}

function renumber(values: readonly string[]): string {
  const width = String(values.length).length;
  return values.map((v, i) => `${String(i + 1).padStart(width)}) ${v}`).join('\n');
}

/** Quoted strings and integers replaced by placeholders: the reply's shape, not its content. */
function shape(output: string): string {
  return output.replace(/"(?:[^"\\]|\\.)*"/g, '"…"').replace(/\(integer\) -?\d+/g, '(integer) N');
}

export function normaliseCliBlock(line: string, output: string): string {
  const name = (splitArgs(line)?.[0] ?? '').toLowerCase();
  if (name === 'info') {
    // INFO's values change from moment to moment; its sections and field names must match.
    return output.split('\n').map((l) => l.replace(/:[^\r]*/, ':…')).join('\n');
  }
  if (SHAPE_ONLY.has(name)) return shape(output);
  // The unordered replies are flat arrays; anything else (an error, an empty array) stays as is.
  if (!ITEM.test(output.split('\n')[0] ?? '')) return output;
  if (UNORDERED.has(name)) return renumber(items(output).sort());
  if (UNORDERED_PAIRS.has(name)) {
    const flat = items(output);
    const pairs: string[][] = [];
    for (let i = 0; i < flat.length; i += 2) pairs.push(flat.slice(i, i + 2));
    pairs.sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1));
    return renumber(pairs.flat());
  }
  return output;
}
