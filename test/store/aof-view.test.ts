import { describe, expect, test } from 'vitest';
import { AOF_MAX_COMMANDS, commandText, createLabStore } from '../../src/store/index.ts';

/** The AOF log's view model: the incr file's commands and aof_buf's, each in its layer; and the lifecycle view. */

const EPOCH_MS = Date.UTC(2026, 0, 1, 9, 0, 0);

function labWithAof(...lines: string[]) {
  const store = createLabStore({ epochMs: EPOCH_MS });
  store.getState().runLine('CONFIG SET appendonly yes');
  // Switching on at runtime rewrites first; the incr file is renamed once the child is reaped.
  store.getState().advance(1000);
  for (const line of lines) store.getState().runLine(line);
  return store;
}

const layers = (store: ReturnType<typeof createLabStore>) => store.getState().aof.commands.map((c) => `${c.text}|${c.layer}`);

describe('the AOF view', () => {
  test('off by default: no file, no commands', () => {
    const { aof } = createLabStore({ epochMs: EPOCH_MS }).getState();
    expect(aof).toMatchObject({ state: 'off', file: null, commands: [], totalCommands: 0, appendfsync: 'everysec' });
  });

  test('appendfsync always: every command is on disk at once', () => {
    const store = labWithAof('CONFIG SET appendfsync always', 'SET a 1', 'SET b 2');
    const { aof } = store.getState();
    expect(aof.file).toBe('appendonlydir/appendonly.aof.1.incr.aof');
    expect(layers(store)).toEqual(['SELECT 0|durable', 'SET a 1|durable', 'SET b 2|durable']);
    expect(aof.commands[1]?.raw).toBe('*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n');
  });

  test('appendfsync no: written, but only in the page cache', () => {
    const store = labWithAof('CONFIG SET appendfsync no', 'SET a 1');
    expect(layers(store)).toEqual(['SELECT 0|cached', 'SET a 1|cached']);
  });

  test('everysec on a slow disk: writes wait in aof_buf while a fsync runs', () => {
    const store = labWithAof('SIM SET fsync-ms 3000', 'SET a 1');
    store.getState().advance(1100);
    store.getState().runLine('SET b 2');
    store.getState().runLine('SET c 3');
    const found = layers(store);
    expect(found.some((entry) => entry.endsWith('|buffer'))).toBe(true);
    expect(store.getState().aof.bufferBytes).toBeGreaterThan(0);
    expect(found[found.length - 1]).toBe('SET c 3|buffer');
  });

  test('keeps only the last commands, in order', () => {
    const store = labWithAof('CONFIG SET appendfsync always');
    for (let i = 0; i < AOF_MAX_COMMANDS + 30; i++) store.getState().runLine(`SET k${i} ${i}`);
    const { aof } = store.getState();
    expect(aof.commands).toHaveLength(AOF_MAX_COMMANDS);
    expect(aof.totalCommands).toBe(AOF_MAX_COMMANDS + 31);
    expect(aof.commands.at(-1)?.text).toBe(`SET k${AOF_MAX_COMMANDS + 29} ${AOF_MAX_COMMANDS + 29}`);
    expect(new Set(aof.commands.map((c) => c.id)).size).toBe(AOF_MAX_COMMANDS);
  });

  test('the same view object while nothing moves', () => {
    const store = labWithAof('SET a 1');
    const before = store.getState().aof;
    store.getState().runLine('GET a');
    expect(store.getState().aof).toBe(before);
  });

  test('arguments that need quotes are quoted', () => {
    expect(commandText(['SET', 'greeting', 'hello world'])).toBe('SET greeting "hello world"');
    expect(commandText(['SET', 'k', ''])).toBe('SET k ""');
    expect(commandText(['SET', 'k', '\x00'])).toBe('SET k "\\x00"');
  });
});

describe('the lifecycle view', () => {
  test('a crash, then a restart with the AOF', () => {
    const store = labWithAof('CONFIG SET appendfsync always', 'SET a 1');
    expect(store.getState().lifecycle).toMatchObject({ running: true, downBecause: null });
    store.getState().runLine('SIM CRASH PROCESS');
    expect(store.getState().lifecycle).toMatchObject({ running: false, downBecause: 'crash-process' });
    store.getState().runLine('SIM RESTART --appendonly yes');
    expect(store.getState().lifecycle).toMatchObject({ running: true, downBecause: null });
    expect(store.getState().runLine('GET a').output).toMatchObject({ text: '"1"' });
  });
});
