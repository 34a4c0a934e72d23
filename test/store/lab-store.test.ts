import { describe, expect, test, vi } from 'vitest';

// The store must work without React: importing it with React unavailable proves it (zustand's trick).
vi.mock('react', () => ({}));

const { createLabStore, formatPrompt } = await import('../../src/store/index.ts');

const EPOCH_MS = Date.UTC(2026, 0, 1, 9, 0, 0);

function newLab() {
  return createLabStore({ epochMs: EPOCH_MS });
}

describe('runLine', () => {
  test('records the line, redis-cli’s text of the reply, and the history', () => {
    const lab = newLab();
    const entry = lab.getState().runLine('SET greeting hello');
    lab.getState().runLine('GET greeting');
    const { transcript, history, lastRun } = lab.getState();
    expect(transcript.map((e) => [e.prompt, e.line, e.output.kind === 'reply' ? e.output.text : e.output.kind])).toEqual([
      ['127.0.0.1:6379>', 'SET greeting hello', 'OK'],
      ['127.0.0.1:6379>', 'GET greeting', '"hello"'],
    ]);
    expect(entry.output).toMatchObject({ kind: 'reply', isError: false, reply: { type: 'status', value: 'OK' } });
    expect(history).toEqual(['SET greeting hello', 'GET greeting']);
    expect(lastRun?.line).toBe('GET greeting');
  });

  test('marks errors as errors', () => {
    const lab = newLab();
    lab.getState().runLine('RPUSH list a');
    const entry = lab.getState().runLine('GET list');
    expect(entry.output).toMatchObject({
      kind: 'reply',
      isError: true,
      text: '(error) WRONGTYPE Operation against a key holding the wrong kind of value',
    });
  });

  test('unbalanced quotes: Invalid argument(s), nothing sent, but the line is in the history', () => {
    const lab = newLab();
    const entry = lab.getState().runLine('SET greeting "hello');
    expect(entry.output).toEqual({ kind: 'invalid', text: 'Invalid argument(s)' });
    expect(lab.getState().events.filter((e) => e.event.type === 'command.executed')).toEqual([]);
    expect(lab.getState().history).toEqual(['SET greeting "hello']);
  });

  test('a blank line shows a new prompt and is not remembered', () => {
    const lab = newLab();
    lab.getState().runLine('   ');
    expect(lab.getState().transcript.map((e) => e.output.kind)).toEqual(['empty']);
    expect(lab.getState().history).toEqual([]);
  });

  test('history skips a repeat of the line just before and keeps the last 100 lines', () => {
    const lab = newLab();
    lab.getState().runLine('INCR n');
    lab.getState().runLine('INCR n');
    lab.getState().runLine('GET n');
    lab.getState().runLine('INCR n');
    expect(lab.getState().history).toEqual(['INCR n', 'GET n', 'INCR n']);
    for (let i = 0; i < 150; i++) lab.getState().runLine(`SET k${i} v`);
    const { history } = lab.getState();
    expect(history).toHaveLength(100);
    expect(history[99]).toBe('SET k149 v');
  });

  test('clear empties the screen, as redis-cli’s clear does, and is remembered', () => {
    const lab = newLab();
    lab.getState().runLine('SET a 1');
    lab.getState().runLine('clear');
    expect(lab.getState().transcript).toEqual([]);
    expect(lab.getState().lastRun?.output.kind).toBe('clear');
    expect(lab.getState().history).toEqual(['SET a 1', 'clear']);
  });
});

/** Each console line as redis-cli 7.0.15 shows it: the prompt, the line, what it printed. */
const screenOf = (lab: ReturnType<typeof newLab>) =>
  lab.getState().transcript.map((e) => `${e.prompt} ${e.line}${'text' in e.output && e.output.text !== '' ? `\n${e.output.text}` : ''}`);

describe('the console while the server is down, as redis-cli 7.0.15 shows it', () => {
  test('after a crash: not connected, each command refused; SIM lines still run; the restart is joined by the next command, in the same database', () => {
    const lab = newLab();
    lab.getState().runLine('SELECT 2');
    lab.getState().runLine('SET a 1');
    lab.getState().runLine('SIM CRASH PROCESS');
    expect(lab.getState().prompt).toBe('not connected>');
    const before = lab.getState().events.length;
    lab.getState().runLine('GET a');
    lab.getState().runLine('SIM ADVANCE 100');
    lab.getState().runLine('SIM RESTART');
    // redis-cli connects when it next has a command to send.
    expect(lab.getState().prompt).toBe('not connected>');
    lab.getState().runLine('CLIENT LIST');
    lab.getState().runLine('GET a');
    expect(screenOf(lab).slice(2)).toEqual([
      '127.0.0.1:6379[2]> SIM CRASH PROCESS\nOK',
      'not connected> GET a\nCould not connect to Redis at 127.0.0.1:6379: Connection refused',
      'not connected> SIM ADVANCE 100\nOK',
      'not connected> SIM RESTART\nOK',
      expect.stringMatching(/^not connected> CLIENT LIST\nid=\d+ addr=.* db=2 /),
      '127.0.0.1:6379[2]> GET a\n(nil)',
    ]);
    // Nothing reached a server for the refused GET.
    expect(lab.getState().events.slice(before).filter((e) => e.event.type === 'command.executed' && e.event.argv[0] === 'GET')).toHaveLength(1);
    expect(lab.getState().transcript[3]?.output).toEqual({ kind: 'disconnected', text: 'Could not connect to Redis at 127.0.0.1:6379: Connection refused' });
    expect(lab.getState().prompt).toBe('127.0.0.1:6379[2]>');
  });

  test('SHUTDOWN prints nothing; DEBUG SEGFAULT: the server closed the connection; a blank line and bad quotes send nothing', () => {
    const lab = newLab();
    lab.getState().runLine('SHUTDOWN NOSAVE');
    lab.getState().runLine('PING');
    lab.getState().runLine('   ');
    lab.getState().runLine('SET a "b');
    lab.getState().runLine('SIM RESTART');
    lab.getState().runLine('DEBUG SEGFAULT');
    lab.getState().runLine('PING');
    expect(screenOf(lab)).toEqual([
      '127.0.0.1:6379> SHUTDOWN NOSAVE',
      'not connected> PING\nCould not connect to Redis at 127.0.0.1:6379: Connection refused',
      'not connected>    ',
      'not connected> SET a "b\nInvalid argument(s)',
      'not connected> SIM RESTART\nOK',
      'not connected> DEBUG SEGFAULT\nError: Server closed the connection',
      'not connected> PING\nCould not connect to Redis at 127.0.0.1:6379: Connection refused',
    ]);
  });

  test('quit and exit end redis-cli, sending nothing; started again it is a new connection on database 0', () => {
    const lab = newLab();
    for (const line of ['SELECT 3', 'CLIENT SETNAME console', 'MULTI', 'SET a 1', 'quit']) lab.getState().runLine(line);
    expect(lab.getState().lastRun?.output).toEqual({ kind: 'cli-restarted' });
    expect(lab.getState().prompt).toBe('127.0.0.1:6379>');
    for (const line of ['CLIENT GETNAME', 'EXEC', 'SELECT 3', 'GET a', 'Exit']) lab.getState().runLine(line);
    expect(screenOf(lab).slice(5, 9)).toEqual(['127.0.0.1:6379> CLIENT GETNAME\n(nil)', '127.0.0.1:6379> EXEC\n(error) ERR EXEC without MULTI', '127.0.0.1:6379> SELECT 3\nOK', '127.0.0.1:6379[3]> GET a\n(nil)']);
    expect(lab.getState().prompt).toBe('127.0.0.1:6379>');
    // The server saw the old connections go: only the console's current one is left.
    expect(lab.getState().runLine('CLIENT LIST').output).toMatchObject({ kind: 'reply', text: expect.not.stringContaining('\n') });
  });

  test('with words after it too: redis-cli ends on `quit now` or `EXIT 1` without sending them', () => {
    const lab = newLab();
    for (const line of ['SELECT 2', 'QUIT now', 'SELECT 5', 'EXIT 1']) lab.getState().runLine(line);
    expect(lab.getState().transcript.map((entry) => entry.output.kind)).toEqual(['reply', 'cli-restarted', 'reply', 'cli-restarted']);
    expect(lab.getState().prompt).toBe('127.0.0.1:6379>');
    expect(lab.getState().events.flatMap(({ event }) => (event.type === 'command.executed' ? [event.argv[0]] : []))).toEqual(['SELECT', 'SELECT']);
  });

  test('INFO and CLIENT LIST print raw, line by line, as redis-cli does on a terminal; other replies formatted', () => {
    const lab = newLab();
    for (const line of ['NOSUCH', 'INFO errorstats', 'CLIENT LIST id x', 'CLIENT GETNAME']) lab.getState().runLine(line);
    expect(screenOf(lab).slice(1)).toEqual(['127.0.0.1:6379> INFO errorstats\n# Errorstats\nerrorstat_ERR:count=1', '127.0.0.1:6379> CLIENT LIST id x\nERR Invalid client ID', '127.0.0.1:6379> CLIENT GETNAME\n(nil)']);
  });

  test('a request that looks like HTTP closes the connection, with a warning in the server log', () => {
    const lab = newLab();
    lab.getState().runLine('POST / HTTP/1.1');
    expect(screenOf(lab)).toEqual(['127.0.0.1:6379> POST / HTTP/1.1\nError: Server closed the connection']);
    expect(lab.getState().serverLog.at(-1)?.text).toMatch(/# Possible SECURITY ATTACK detected\. It looks like somebody is sending POST or Host: commands to Redis\./);
    expect(lab.getState().runLine('PING').output).toMatchObject({ text: 'PONG' });
  });

  test('a new connection after a restart: the name set on the old one is gone, the database is selected again', () => {
    const lab = newLab();
    for (const line of ['SELECT 3', 'CLIENT SETNAME console', 'SIM CRASH PROCESS', 'SIM RESTART', 'CLIENT GETNAME']) lab.getState().runLine(line);
    expect(screenOf(lab).slice(-1)).toEqual(['not connected> CLIENT GETNAME\n(nil)']);
    expect(lab.getState().prompt).toBe('127.0.0.1:6379[3]>');
  });

  test('a seek shows the prompt of its moment, connected or not, and a replay joins the restarted server the same way', () => {
    const lab = createLabStore({ epochMs: EPOCH_MS, checkpoints: { everyEntries: 1 } });
    for (const line of ['SELECT 1', 'SET a 1', 'SIM CRASH POWER', 'GET a', 'SIM RESTART', 'GET a', 'SET b 2']) lab.getState().runLine(line);
    const now = screenOf(lab);
    lab.getState().seek(4);
    expect(lab.getState().prompt).toBe('not connected>');
    lab.getState().seek(2);
    expect(lab.getState().prompt).toBe('127.0.0.1:6379[1]>');
    lab.getState().seek(7);
    expect(lab.getState().prompt).toBe('127.0.0.1:6379[1]>');
    expect(screenOf(lab)).toEqual(now);
  });
});

describe(formatPrompt, () => {
  test('shows the database after SELECT and (TX) inside MULTI, as redis-cli 7.0 does', () => {
    expect(formatPrompt(6379, { db: 0, multi: null })).toBe('127.0.0.1:6379>');
    expect(formatPrompt(6379, { db: 3, multi: null })).toBe('127.0.0.1:6379[3]>');
    expect(formatPrompt(6379, { db: 3, multi: { queue: [], failed: false } })).toBe('127.0.0.1:6379[3](TX)>');
  });

  test('shows the database the console client selected', () => {
    const lab = newLab();
    lab.getState().runLine('SELECT 2');
    expect(lab.getState().prompt).toBe('127.0.0.1:6379[2]>');
    lab.getState().runLine('SELECT 99');
    expect(lab.getState().prompt).toBe('127.0.0.1:6379[2]>');
    lab.getState().runLine('SELECT 0');
    expect(lab.getState().prompt).toBe('127.0.0.1:6379>');
  });

  test('follows the console client through MULTI and EXEC', () => {
    const lab = newLab();
    lab.getState().runLine('MULTI');
    expect(lab.getState().prompt).toBe('127.0.0.1:6379(TX)>');
    lab.getState().runLine('INCR n');
    expect(lab.getState().transcript[1]?.prompt).toBe('127.0.0.1:6379(TX)>');
    lab.getState().runLine('EXEC');
    expect(lab.getState().prompt).toBe('127.0.0.1:6379>');
  });
});

describe('keyspace view', () => {
  test('is rebuilt after each line', () => {
    const lab = newLab();
    expect(lab.getState().keyspace.totalKeys).toBe(0);
    lab.getState().runLine('RPUSH queue job:1 job:2');
    lab.getState().runLine('EXPIRE queue 30');
    const [db0] = lab.getState().keyspace.dbs;
    expect(db0?.keys).toEqual([
      { id: '0:queue', name: 'queue', type: 'list', size: 2, preview: '["job:1", "job:2"]', expireAtMs: EPOCH_MS + 30_000 },
    ]);
  });
});

describe('keyspace view across databases', () => {
  test('groups keys by database and empties on FLUSHALL', () => {
    const lab = newLab();
    lab.getState().runLine('SET a 1');
    lab.getState().runLine('SELECT 5');
    lab.getState().runLine('SADD s x y');
    expect(lab.getState().keyspace.dbs.map((db) => [db.index, db.keys.map((k) => k.name)])).toEqual([
      [0, ['a']],
      [5, ['s']],
    ]);
    lab.getState().runLine('FLUSHALL');
    expect(lab.getState().keyspace).toEqual({ dbs: [], totalKeys: 0 });
    expect(lab.getState().events.some((e) => e.event.type === 'db.flushed')).toBe(true);
  });
});

describe('the live clock', () => {
  test('advances simulated time by real elapsed time while started and not paused', () => {
    const lab = newLab();
    lab.getState().tick(500); // not started: nothing happens
    expect(lab.getState().nowMs).toBe(EPOCH_MS);
    lab.getState().startClock(1000);
    lab.getState().tick(1100);
    lab.getState().tick(1250.5);
    lab.getState().tick(1300);
    expect(lab.getState().nowMs).toBe(EPOCH_MS + 300);
    lab.getState().setPaused(true);
    lab.getState().tick(5000);
    expect(lab.getState().nowMs).toBe(EPOCH_MS + 300);
    lab.getState().setPaused(false);
    lab.getState().tick(5100); // time paused is not owed
    expect(lab.getState().nowMs).toBe(EPOCH_MS + 400);
    lab.getState().stopClock();
    lab.getState().tick(9000);
    expect(lab.getState().nowMs).toBe(EPOCH_MS + 400);
  });

  test('counts a long gap (a sleeping tab) as one second at most', () => {
    const lab = newLab();
    lab.getState().startClock(0);
    lab.getState().tick(3_600_000);
    expect(lab.getState().nowMs).toBe(EPOCH_MS + 1000);
  });

  test('lets keys expire: the key leaves the view and the log records it', () => {
    const lab = newLab();
    lab.getState().runLine('SET session abc PX 250');
    expect(lab.getState().keyspace.totalKeys).toBe(1);
    lab.getState().startClock(0);
    for (let wallMs = 100; wallMs <= 500; wallMs += 100) lab.getState().tick(wallMs);
    expect(lab.getState().keyspace.totalKeys).toBe(0);
    const types = lab.getState().events.map((e) => e.event.type);
    expect(types).toContain('key.expired');
    // The live clock's own ticks are not logged: they would drown everything else.
    expect(types).not.toContain('time.advanced');
  });

  test('an explicit advance is logged', () => {
    const lab = newLab();
    lab.getState().advance(10_000);
    expect(lab.getState().nowMs).toBe(EPOCH_MS + 10_000);
    expect(lab.getState().events.at(-1)?.event).toEqual({ type: 'time.advanced', atMs: EPOCH_MS + 10_000, fromMs: EPOCH_MS });
  });
});

describe('the event log', () => {
  test('numbers events and keeps the last 500', () => {
    const lab = newLab();
    for (let i = 0; i < 400; i++) lab.getState().runLine(`SET k${i} v`);
    const { events } = lab.getState();
    expect(events).toHaveLength(500);
    expect(events.at(-1)?.seq).toBe(800); // each SET: command.executed and command.propagated
    expect(events.slice(-2).map((e) => e.event.type).sort()).toEqual(['command.executed', 'command.propagated']);
    expect(events.at(-1)?.event).toMatchObject({ argv: ['SET', 'k399', 'v'] });
  });
});

describe('reset', () => {
  test('starts a fresh node, keeps the history', () => {
    const lab = newLab();
    lab.getState().runLine('SET a 1');
    lab.getState().advance(5000);
    lab.getState().reset();
    const state = lab.getState();
    expect(state.keyspace.totalKeys).toBe(0);
    expect(state.transcript).toEqual([]);
    expect(state.events).toEqual([]);
    expect(state.nowMs).toBe(EPOCH_MS);
    expect(state.generation).toBe(1);
    expect(state.history).toEqual(['SET a 1']);
    expect(lab.getState().runLine('GET a').output).toMatchObject({ text: '(nil)' });
  });
});
