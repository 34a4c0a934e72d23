/**
 * The AOF reader as it was before the byte-level scanner (commit 11a4414): a line-by-line reading
 * of a bin string with fgets pieces and BigInt strtol, kept verbatim as the oracle the fast reader
 * is fuzzed against (test/codec/aof/aof-scanner.test.ts). Test support only.
 */
import { binToBytes, bytesToBin } from '../../../src/codec/bytes.ts';
import { readRdb } from '../../../src/codec/rdb/rdb-reader.ts';
import { RdbDecodeError } from '../../../src/codec/rdb/rdb-error.ts';
import type { RdbFile } from '../../../src/codec/rdb/rdb-types.ts';
import { cAtoi, cStrtol, fgetsPiece } from '../../../src/codec/aof/c-stdio.ts';
import { AOF_LINE_BUFFER, AofDecodeError, type AofAnnotation, type AofCommand, type AofEnd, type AofReadOptions, type AofReadResult } from '../../../src/codec/aof/aof-reader.ts';

const describeByte = (bin: string, at: number): string =>
  at >= bin.length ? 'the end of the file' : `byte 0x${bin.charCodeAt(at).toString(16).padStart(2, '0')}`;

/** Reads an AOF file (bytes, or a bin string) the way redis-server 7.0.15 loads it. */
export function referenceReadAof(input: Uint8Array | string, options: AofReadOptions = {}): AofReadResult {
  const bin = typeof input === 'string' ? input : bytesToBin(input);
  const commands: AofCommand[] = [];
  const annotations: AofAnnotation[] = [];
  let preamble: RdbFile | null = null;
  let pos = 0;

  if (bin.startsWith('REDIS')) {
    try {
      preamble = readRdb(typeof input === 'string' ? binToBytes(input) : input);
    } catch (e) {
      const error = e instanceof RdbDecodeError ? e : new RdbDecodeError(0, String(e));
      return { preamble: null, commands, annotations, openMulti: -1, end: { kind: 'rdb-error', error } };
    }
    pos = preamble.length;
  }

  const isKnown = options.isKnownCommand;
  const size = bin.length;
  let validUpTo = 0;
  let validBeforeMulti = 0;
  let openMulti = -1;
  let multiStart = 0;

  const done = (end: AofEnd): AofReadResult => ({ preamble, commands, annotations, openMulti, end });
  const shortRead = (offset: number, reason: string): AofReadResult =>
    done({ kind: 'truncated', validUpTo, revertedMulti: false, offset, reason });
  const badFormat = (offset: number, reason: string): AofReadResult =>
    done({ kind: 'bad-format', error: new AofDecodeError(offset, reason) });

  while (pos < size) {
    const start = pos;
    const line = fgetsPiece(bin, pos, AOF_LINE_BUFFER);
    pos += line.length;
    const first = line.charCodeAt(0);
    if (first === 0x23) { // '#'
      annotations.push({ offset: start, text: line });
      continue;
    }
    if (first !== 0x2a) return badFormat(start, `expected '*' or '#' at the start of a command, got ${describeByte(bin, start)}`);
    if (line.length < 2 || line.charCodeAt(1) === 0) {
      // Redis tells these apart with feof(): only a line cut by the end of the file is a short read.
      if (pos >= size && line.charCodeAt(line.length - 1) !== 0x0a) return shortRead(start, 'the file ends inside a multibulk count');
      return done({ kind: 'read-error', error: new AofDecodeError(start + 1, "a NUL byte right after '*'") });
    }
    const argc = cAtoi(line, 1);
    if (argc < 1) return badFormat(start, `multibulk count ${JSON.stringify(line.replace(/\r?\n$/, ''))} is not a positive integer`);

    const argv: string[] = [];
    for (let j = 0; j < argc; j++) {
      if (pos >= size) return shortRead(start, `the file ends before argument ${j + 1} of ${argc}`);
      const lenStart = pos;
      const lenLine = fgetsPiece(bin, pos, AOF_LINE_BUFFER);
      pos += lenLine.length;
      if (lenLine.charCodeAt(0) !== 0x24) return badFormat(lenStart, `expected '$' at the start of argument ${j + 1}, got ${describeByte(bin, lenStart)}`);
      const len = cStrtol(lenLine, 1).value;
      if (len < 0n) {
        return done({ kind: 'crash', error: new AofDecodeError(lenStart, `negative bulk length ${len}: redis-server 7.0.15 aborts`) });
      }
      if (len > BigInt(size - pos)) return shortRead(start, `argument ${j + 1} needs ${len} bytes, ${size - pos} left`);
      const n = Number(len);
      argv.push(bin.slice(pos, pos + n));
      pos += n;
      if (size - pos < 2) return shortRead(start, `the file ends before the 2 bytes after argument ${j + 1}`);
      pos += 2;
    }

    if (isKnown !== undefined && !isKnown(argv)) {
      return done({ kind: 'unknown-command', name: argv[0]!, error: new AofDecodeError(start, `unknown command '${argv[0]}'`) });
    }
    commands.push({ argv, offset: start, length: pos - start });
    const name = argv[0]!.toLowerCase();
    if (name === 'multi') {
      validBeforeMulti = validUpTo;
      multiStart = start;
      if (openMulti < 0) openMulti = commands.length - 1;
    } else if (name === 'exec' && openMulti >= 0) {
      openMulti = -1;
    }
    validUpTo = pos;
  }

  if (openMulti >= 0) {
    return done({
      kind: 'truncated',
      validUpTo: validBeforeMulti,
      revertedMulti: true,
      offset: multiStart,
      reason: 'the file ends inside MULTI (no EXEC)',
    });
  }
  return done({ kind: 'complete' });
}

