// DEBUG LOADAOF: the replies, log lines, files and INFO fields a real redis-server 7.0.15 gave for
// the same sequences (observed with enable-debug-command yes; pids and times left out).
import { binToBytes, bytesToBin } from '../../src/codec/bytes.ts';
import { exportKeyspace, type Engine } from '../../src/engine/index.ts';
import { bulk, int, lab, levelAndMessage, OK, recoveryLab, status } from '../support/engine-kit.ts';

const EPOCH_MS = Date.UTC(2026, 10, 25);
const BASE = 'appendonlydir/appendonly.aof.1.base.rdb';
const INCR = 'appendonlydir/appendonly.aof.1.incr.aof';
const MANIFEST = 'appendonlydir/appendonly.aof.manifest';
/** What redis-cli shows when the server closes the connection without a reply. */
const CLOSED = status('');

function aofLab(config: Record<string, string> = {}) {
  const made = lab({ epochMs: EPOCH_MS, config: { appendonly: 'yes', save: '', ...config } });
  const { engine, run } = made;
  const info = (field: string) => new RegExp(`\\r\\n${field}:([^\\r]*)`).exec((run('INFO persistence') as { value: string }).value)?.[1];
  const linesFrom = (mark: number) => engine.serverLog.slice(mark).map(levelAndMessage);
  const size = (name: string) => engine.disk.sizeOf(name) as number;
  return { ...made, info, linesFrom, size };
}

const append = (engine: Engine, name: string, text: string) => engine.disk.append(name, binToBytes(text), engine.nowMs);

/** The lines Redis logs for a base RDB with no keys (its AUX lines included, their figures masked). */
const EMPTY_BASE_LINES = [
  '* Reading RDB base file on AOF loading...',
  '* Loading RDB produced by version 7.0.15',
  expect.stringMatching(/^\* RDB age \d+ seconds$/),
  expect.stringMatching(/^\* RDB memory usage when created \d+\.\d\d Mb$/),
  '* RDB is base AOF',
  '* Done loading RDB, keys loaded: 0, keys expired: 0.',
  '* DB loaded from base file appendonly.aof.1.base.rdb: 0.000 seconds',
];

describe('DEBUG LOADAOF', () => {
  it('with appendonly yes reloads the dataset from the AOF, logs the load, and zeroes dirty', () => {
    const { engine, run, info, linesFrom, size } = aofLab({ appendfsync: 'always' });
    for (const line of ['SET a 1', 'SET b 2', 'INCR n', 'EXPIRE a 100']) run(line);
    const before = exportKeyspace(engine.dbs, engine.nowMs);
    expect(info('rdb_changes_since_last_save')).toBe('4');
    // The base a start created is not counted until a load measures it (observed: 144 then 233).
    expect(info('aof_base_size')).toBe('0');
    const mark = engine.serverLog.length;
    expect(run('DEBUG LOADAOF')).toEqual(OK);
    expect(linesFrom(mark)).toEqual([
      ...EMPTY_BASE_LINES,
      '* DB loaded from incr file appendonly.aof.1.incr.aof: 0.000 seconds',
      '# Append Only File loaded by DEBUG LOADAOF',
    ]);
    expect(exportKeyspace(engine.dbs, engine.nowMs)).toEqual(before);
    expect(run('TTL a')).toEqual(int(100));
    expect(info('rdb_changes_since_last_save')).toBe('0');
    expect(info('aof_current_size')).toBe(String(size(BASE) + size(INCR)));
    expect(info('aof_base_size')).toBe(String(size(BASE)));
    // The replay wrote nothing to the AOF; new writes go on after what it holds.
    const incrBytes = size(INCR);
    run('SET c 3');
    expect(bytesToBin(engine.disk.read(INCR) as Uint8Array).slice(incrBytes)).toBe('*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$1\r\n3\r\n');
  });

  it('writes aof_buf out first, so a write the everysec policy held back is reloaded too', () => {
    const { engine, run } = aofLab({ appendfsync: 'everysec' });
    run('SIM SET fsync-ms 3000');
    run('SET a 1');
    run('SIM ADVANCE 1000');
    run('SET b 2'); // the fsync in flight keeps it in aof_buf
    expect(engine.aof.buffer).not.toBe('');
    expect(run('DEBUG LOADAOF')).toEqual(OK);
    expect(engine.aof.buffer).toBe('');
    expect(run('MGET a b')).toEqual({ type: 'array', value: [bulk('1'), bulk('2')] });
  });

  it('with appendonly no reads an AOF directory left by an earlier run', () => {
    const { run, info, linesFrom, engine } = aofLab();
    for (const line of ['SET a 1', 'SET b 2', 'CONFIG SET appendonly no', 'SET z 9', 'SET a 5']) run(line);
    expect(info('rdb_changes_since_last_save')).toBe('4');
    const mark = engine.serverLog.length;
    expect(run('DEBUG LOADAOF')).toEqual(OK);
    expect(linesFrom(mark).at(-1)).toBe('# Append Only File loaded by DEBUG LOADAOF');
    expect(run('KEYS *')).toEqual({ type: 'array', value: [bulk('a'), bulk('b')] });
    expect(run('GET a')).toEqual(bulk('1'));
    expect(info('rdb_changes_since_last_save')).toBe('0');
  });

  it('deletes the history files the manifest on disk lists, before it loads', () => {
    const { engine, run, linesFrom } = aofLab();
    run('SET a 1');
    engine.disk.create('appendonlydir/old.aof', engine.nowMs);
    append(engine, MANIFEST, 'file old.aof seq 5 type h\n');
    const mark = engine.serverLog.length;
    expect(run('DEBUG LOADAOF')).toEqual(OK);
    expect(linesFrom(mark)[0]).toBe('* Removing the history file old.aof in the background');
    expect(engine.disk.exists('appendonlydir/old.aof')).toBe(false);
    expect(bytesToBin(engine.disk.read(MANIFEST) as Uint8Array)).toBe(
      'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
    );
  });

  it('answers OK without a line read when every file is empty', () => {
    const { engine, run, linesFrom } = aofLab({ 'aof-use-rdb-preamble': 'no' });
    const mark = engine.serverLog.length;
    expect(run('DEBUG LOADAOF')).toEqual(OK);
    expect(linesFrom(mark)).toEqual(['# Append Only File loaded by DEBUG LOADAOF']);
  });

  it('exits after a truncated tail, though aof-load-truncated yes accepted it and cut the file', () => {
    const { engine, run, linesFrom, size } = aofLab();
    run('SET a 1');
    run('SET b 2');
    const whole = size(INCR);
    append(engine, INCR, '*3\r\n$3\r\nset\r\n$1\r\nc\r\n$2\r\n3');
    const mark = engine.serverLog.length;
    expect(run('DEBUG LOADAOF')).toEqual(CLOSED);
    expect(linesFrom(mark)).toEqual([
      ...EMPTY_BASE_LINES,
      '# !!! Warning: short read while loading the AOF file appendonly.aof.1.incr.aof!!!',
      `# !!! Truncating the AOF appendonly.aof.1.incr.aof at offset ${whole} !!!`,
      '# AOF appendonly.aof.1.incr.aof loaded anyway because aof-load-truncated is enabled',
      '* DB loaded from incr file appendonly.aof.1.incr.aof: 0.000 seconds',
    ]);
    expect(size(INCR)).toBe(whole);
    expect(engine.running).toBe(false);
    expect(engine.downBecause).toBe('exited');
    expect(engine.startupError).toBeNull();
    expect(engine.dbs[0]?.size).toBe(0);
    // What the files hold comes back at the next start.
    run('SIM RESTART');
    expect(run('MGET a b')).toEqual({ type: 'array', value: [bulk('1'), bulk('2')] });
    expect(engine.lastRecovery?.lostCount).toBe(0);
  });

  it('exits on a corrupt incr file, with the loader fatal line as the reason', () => {
    const { engine, run, linesFrom } = aofLab();
    run('SET a 1');
    append(engine, INCR, 'garbage\r\n');
    const mark = engine.serverLog.length;
    expect(run('DEBUG LOADAOF')).toEqual(CLOSED);
    const last =
      '# Bad file format reading the append only file appendonly.aof.1.incr.aof: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>';
    expect(linesFrom(mark)).toEqual([...EMPTY_BASE_LINES, last]);
    expect(engine.running).toBe(false);
    expect(engine.downBecause).toBe('exited');
    expect(engine.startupErrorKind).toBe('aof-corrupt');
    expect(run('PING')).toEqual({ type: 'error', value: 'ERR The server is not running (see the server log)' });
  });

  it('exits with nothing logged when there is no AOF at all (appendonly no, no directory)', () => {
    const { engine, run, linesFrom } = aofLab({ appendonly: 'no' });
    run('SET a 1');
    const mark = engine.serverLog.length;
    expect(run('DEBUG LOADAOF extra words')).toEqual(CLOSED);
    expect(linesFrom(mark)).toEqual([]);
    expect(engine.running).toBe(false);
    expect(engine.downBecause).toBe('exited');
  });

  it('inside MULTI drops the write queued before it, which EXEC then logs (as Redis 7.0.15 does)', () => {
    const { engine, run } = aofLab();
    for (const line of ['SET a 1', 'MULTI', 'SET x 1', 'DEBUG LOADAOF']) run(line);
    expect(run('EXEC')).toEqual({ type: 'array', value: [OK, OK] });
    expect(run('GET x')).toEqual(bulk(null));
    expect(run('DBSIZE')).toEqual(int(1));
    expect(bytesToBin(engine.disk.read(INCR) as Uint8Array)).toBe(
      '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$1\r\n1\r\n',
    );
  });

  it('keeps the crash ledger right: what the reload dropped is lost, the rest survives', () => {
    const kept = recoveryLab({ appendonly: 'yes', appendfsync: 'always' });
    for (const line of ['SET a 1', 'SET b 2', 'DEBUG LOADAOF', 'SET c 3', 'SIM CRASH PROCESS', 'SIM RESTART']) kept.run(line);
    expect(kept.survived()).toEqual(['SET a 1', 'SET b 2', 'SET c 3']);
    expect(kept.lost()).toEqual([]);
    // Written after the AOF was switched off, then dropped by the reload: the SAVE after it lacks them.
    const dropped = recoveryLab({ appendonly: 'yes' });
    const lines = ['SET a 1', 'SET b 2', 'CONFIG SET appendonly no', 'SAVE', 'SET z 9', 'SET a 5', 'DEBUG LOADAOF', 'SET c 3', 'SAVE'];
    for (const line of [...lines, 'SIM CRASH PROCESS', 'SIM RESTART --appendonly no']) dropped.run(line);
    expect(dropped.keys()).toEqual(['a', 'b', 'c']);
    expect(dropped.survived()).toEqual(['SET a 1', 'SET b 2', 'SET c 3']);
    expect(dropped.lost()).toEqual(['SET z 9 → after-snapshot', 'SET a 5 → after-snapshot']);
  });

  it('is listed by DEBUG HELP as Redis lists it', () => {
    const { run } = aofLab();
    const help = (run('DEBUG HELP') as { value: readonly { value: string }[] }).value.map((line) => line.value);
    expect(help.slice(help.indexOf('LOADAOF'), help.indexOf('LOADAOF') + 2)).toEqual(['LOADAOF', '    Flush the AOF buffers on disk and reload the AOF in memory.']);
  });
});
