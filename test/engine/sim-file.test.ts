// SIM FILE PUT / DELETE: files copied into dir from outside the server, as a person would with
// `cp` and `rm` before starting redis-server. The node must then load them along Redis's own load
// path: real Redis 7.0 fixtures put this way come back with their recorded keyspaces.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mirrorDisk } from '../../src/node/disk-mirror.ts';
import { Engine, exportKeyspace } from '../../src/engine/index.ts';
import { MAX_FILE_PUT_BYTES } from '../../src/engine/commands/sim.ts';
import { withoutEncoding } from '../codec/rdb/rdb-test-kit.ts';
import { err, lab, OK } from '../support/engine-kit.ts';
import type { Reply } from '../../src/codec/reply.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/real-redis-7.0');
const fixture = (path: string) => new Uint8Array(readFileSync(join(FIXTURES, path)));
const expected = (path: string) => withoutEncoding(JSON.parse(readFileSync(join(FIXTURES, path), 'utf8')));
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
/** After every fixture's ctime, so the RDB age is positive. */
const EPOCH_MS = Date.UTC(2026, 10, 24);

const fileOf = (engine: Engine, name: string) => engine.disk.list().find((file) => file.name === name);

describe('SIM FILE PUT', () => {
  test('a real dump.rdb put while the server is down loads at restart, to its recorded keyspace', () => {
    const { engine, run } = lab({ epochMs: EPOCH_MS });
    run('SHUTDOWN NOSAVE');
    const bytes = fixture('rdb-types.rdb');
    expect(run(`SIM FILE PUT dump.rdb ${base64(bytes)}`)).toEqual(OK);
    expect(engine.disk.read('dump.rdb')).toEqual(bytes);
    expect(run('SIM RESTART')).toEqual(OK);
    expect(exportKeyspace(engine.dbs, engine.nowMs)).toEqual(expected('rdb-types.expected.json'));
    expect(engine.serverLog.some((line) => line.endsWith('* Done loading RDB, keys loaded: 11, keys expired: 0.'))).toBe(true);
  });

  test.each(['aof-multipart', 'aof-hybrid'])('a real %s appendonlydir put file by file loads with appendonly yes', (name) => {
    const { engine, run } = lab({ epochMs: EPOCH_MS });
    run('SHUTDOWN NOSAVE');
    for (const file of readdirSync(join(FIXTURES, name, 'appendonlydir'))) {
      expect(run(`SIM FILE PUT appendonlydir/${file} ${base64(fixture(`${name}/appendonlydir/${file}`))}`)).toEqual(OK);
    }
    expect(run('SIM RESTART --appendonly yes')).toEqual(OK);
    expect(exportKeyspace(engine.dbs, engine.nowMs)).toEqual(expected(`${name}/expected.json`));
  });

  test('the file is written, fsynced and its name durable at once: it survives a power loss', () => {
    const { engine, run, events } = lab();
    const bytes = new Uint8Array([1, 2, 3, 4, 5]);
    const from = events.length;
    expect(run(`SIM FILE PUT notes.bin ${base64(bytes)}`)).toEqual(OK);
    expect(events.slice(from).map((event) => event.type)).toEqual(['file.created', 'file.written', 'file.fsynced', 'command.executed']);
    expect(events[from + 1]).toMatchObject({ type: 'file.written', name: 'notes.bin', offset: 0, length: 5 });
    expect(fileOf(engine, 'notes.bin')).toMatchObject({ sizeBytes: 5, durableBytes: 5, nameDurable: true, modifiedAtMs: engine.nowMs });
    expect(run('SIM CRASH POWER')).toEqual(OK);
    expect(engine.disk.read('notes.bin')).toEqual(bytes);
  });

  test('over an existing file, the file is truncated and rewritten in place; an empty file is allowed', () => {
    const { engine, run } = lab();
    run(`SIM FILE PUT a.rdb ${base64(new Uint8Array(100).fill(7))}`);
    expect(run('SIM FILE PUT a.rdb QUJD')).toEqual(OK);
    expect(engine.disk.read('a.rdb')).toEqual(new TextEncoder().encode('ABC'));
    expect(run('SIM FILE PUT a.rdb ""')).toEqual(OK);
    expect(fileOf(engine, 'a.rdb')).toMatchObject({ sizeBytes: 0, durableBytes: 0, nameDurable: true });
  });

  test('while the server runs it is allowed, and a SHUTDOWN that saves overwrites the file put there', () => {
    const { engine, run } = lab({ config: { save: '3600 1' } });
    run('SET mine 1');
    const foreign = fixture('rdb-strings.rdb');
    expect(run(`SIM FILE PUT dump.rdb ${base64(foreign)}`)).toEqual(OK);
    run('SHUTDOWN');
    expect(engine.running).toBe(false);
    expect(engine.disk.read('dump.rdb')).not.toEqual(foreign);
    run('SIM RESTART');
    expect(Object.keys(exportKeyspace(engine.dbs, engine.nowMs).db0 ?? {})).toEqual(['mine']);
  });

  test('base64 with or without padding; anything else is refused', () => {
    const { engine, run } = lab();
    expect(run('SIM FILE PUT x QQ==')).toEqual(OK);
    expect(engine.disk.read('x')).toEqual(new Uint8Array([65]));
    expect(run('SIM FILE PUT x QQ')).toEqual(OK);
    expect(engine.disk.read('x')).toEqual(new Uint8Array([65]));
    for (const bad of ['Q', 'QQ=', 'QQ=A', 'QU!D', 'QUJD====', 'Q-_D']) {
      expect(run(`SIM FILE PUT x ${bad}`), bad).toEqual(err("ERR the file's content is not valid base64"));
    }
  });

  test('names stay inside dir: a plain name or one directory deep', () => {
    const { engine, run } = lab();
    const refused = (name: string) =>
      err(`ERR invalid file name '${name}': use a name such as dump.rdb, or one directory deep such as appendonlydir/appendonly.aof.manifest`);
    for (const name of ['../dump.rdb', '/etc/passwd', 'a/b/c', '.', '..', 'appendonlydir/..', 'a//b', '/x', 'x/', 'a\\b', 'sp ace', 'quo"te']) {
      expect(run(`SIM FILE PUT '${name}' QUJD`), name).toEqual(refused(name));
    }
    expect(run(`SIM FILE PUT ${'n'.repeat(256)} QUJD`)).toEqual(refused('n'.repeat(128)));
    expect(run('SIM FILE PUT "a\\r\\nb" QUJD')).toEqual(refused('a??b'));
    expect(engine.disk.list()).toEqual([]);
    expect(run('SIM FILE PUT appendonlydir/appendonly.aof.manifest QUJD')).toEqual(OK);
    expect(run('SIM FILE PUT appendonlydir QUJD')).toEqual(err("ERR 'appendonlydir' is a directory"));
    expect(run('SIM FILE DELETE appendonlydir')).toEqual(err("ERR 'appendonlydir' is a directory"));
    expect(run('SIM FILE PUT dump.rdb QUJD')).toEqual(OK);
    expect(run('SIM FILE PUT dump.rdb/x QUJD')).toEqual(err("ERR 'dump.rdb' is a file, not a directory"));
    expect(engine.disk.list().map((file) => file.name)).toEqual(['appendonlydir/appendonly.aof.manifest', 'dump.rdb']);
  });

  test('a disk fault refuses the copy with its errno, and leaves dir as it was', () => {
    const { engine, run } = lab();
    run('SIM DISK FULL');
    expect(run('SIM FILE PUT dump.rdb QUJD')).toEqual(err("ERR cannot write 'dump.rdb': No space left on device"));
    run('SIM DISK EIO');
    expect(run('SIM FILE PUT dump.rdb QUJD')).toEqual(err("ERR cannot write 'dump.rdb': Input/output error"));
    expect(engine.disk.list()).toEqual([]);
    run('SIM DISK OK');
    expect(run('SIM FILE PUT dump.rdb QUJD')).toEqual(OK);
  });

  test('a file larger than the limit is refused before it is decoded', () => {
    const { engine, client } = lab();
    const tooLong = 'A'.repeat(Math.ceil(MAX_FILE_PUT_BYTES / 3) * 4 + 4);
    const reply: Reply = engine.execute(client, ['SIM', 'FILE', 'PUT', 'big.rdb', tooLong]);
    expect(reply).toEqual(err(`ERR the file is larger than ${MAX_FILE_PUT_BYTES} bytes`));
    expect(engine.disk.list()).toEqual([]);
  });

  test('wrong shapes are refused with how to write it', () => {
    const { run } = lab();
    const usage = err('ERR SIM FILE takes PUT <name> <base64> or DELETE <name>');
    expect(run('SIM FILE PUT x')).toEqual(usage);
    expect(run('SIM FILE DELETE x y')).toEqual(usage);
    expect(run('SIM FILE COPY x y')).toEqual(usage);
    expect(run('SIM FILE')).toEqual(err("ERR wrong number of arguments for 'sim|file' command"));
  });
});

describe('SIM FILE DELETE', () => {
  test('removes the file at once and durably: a power loss does not bring it back', () => {
    const { engine, run, events } = lab();
    run('SET k v');
    run('SAVE');
    const from = events.length;
    expect(run('SIM FILE DELETE dump.rdb')).toEqual(OK);
    expect(events.slice(from).map((event) => event.type)).toEqual(['file.deleted', 'command.executed']);
    expect(run('SIM CRASH POWER')).toEqual(OK);
    expect(engine.disk.list()).toEqual([]);
    expect(run('SIM FILE DELETE dump.rdb')).toEqual(err("ERR no such file 'dump.rdb'"));
  });
});

test('the headless server mirrors a file put or deleted into its --dir, and nothing outside it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-sim-file-'));
  try {
    const { engine, run } = lab();
    const problems: string[] = [];
    const stop = mirrorDisk(engine, dir, {}, (message) => problems.push(message));
    const bytes = fixture('aof-multipart/appendonlydir/appendonly.aof.manifest');
    expect(run(`SIM FILE PUT appendonlydir/appendonly.aof.manifest ${base64(bytes)}`)).toEqual(OK);
    expect(new Uint8Array(readFileSync(join(dir, 'appendonlydir/appendonly.aof.manifest')))).toEqual(bytes);
    expect(run('SIM FILE PUT ../escape.rdb QUJD').type).toBe('error');
    expect(existsSync(join(dir, '../escape.rdb'))).toBe(false);
    expect(run('SIM FILE DELETE appendonlydir/appendonly.aof.manifest')).toEqual(OK);
    expect(existsSync(join(dir, 'appendonlydir/appendonly.aof.manifest'))).toBe(false);
    stop();
    expect(problems).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SIM HELP lists FILE PUT and FILE DELETE', () => {
  const { run } = lab();
  const help = run('SIM HELP');
  const lines = help.type === 'array' ? (help.value ?? []).map((line) => line.value) : [];
  expect(lines).toContain('FILE PUT <name> <base64>');
  expect(lines).toContain('FILE DELETE <name>');
});

describe('SIM CHECK-AOF', () => {
  /** A node whose incr file got garbage between two good commands, down: the restart refuses it. */
  function damagedAof() {
    const { engine, run } = lab({ epochMs: EPOCH_MS });
    run('CONFIG SET appendonly yes');
    engine.advance(1000);
    run('SET a 1');
    run('SIM CRASH PROCESS');
    const incr = 'appendonlydir/appendonly.aof.1.incr.aof';
    const damaged = '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\ngarbage\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n';
    run(`SIM FILE PUT ${incr} ${btoa(damaged)}`);
    return { engine, run, incr, damaged };
  }
  const linesOf = (reply: Reply) => (reply.type === 'array' ? (reply.value ?? []).map((line) => line.value) : reply);

  test('without --fix: what redis-check-aof prints, and the files are left as they are', () => {
    const { engine, run, incr, damaged } = damagedAof();
    expect(run('SIM RESTART --appendonly yes')).toMatchObject({ type: 'error' });
    const lines = linesOf(run('SIM CHECK-AOF'));
    expect(lines).toContain('AOF appendonly.aof.1.incr.aof format error');
    expect(lines).toContain('AOF analyzed: filename=appendonly.aof.1.incr.aof, size=86, ok_up_to=50, ok_up_to_line=13, diff=36');
    expect(lines).toContain('AOF appendonly.aof.1.incr.aof is not valid. Use the --fix option to try fixing it.');
    expect(engine.disk.read(incr)?.length).toBe(damaged.length);
  });

  test('with --fix: the file cut at its last valid command, and the next restart loads what was before the damage', () => {
    const { engine, run, incr } = damagedAof();
    const lines = linesOf(run('SIM CHECK-AOF --fix'));
    expect(lines).toContain('This will shrink the AOF appendonly.aof.1.incr.aof from 86 bytes, with 36 bytes, to 50 bytes');
    expect(lines).toContain('Continue? [y/N]: Successfully truncated AOF appendonly.aof.1.incr.aof');
    expect(engine.disk.read(incr)?.length).toBe(50);
    expect(linesOf(run('SIM CHECK-AOF'))).toContain('All AOF files and manifest are valid');
    expect(run('SIM RESTART --appendonly yes')).toEqual(OK);
    expect(run('KEYS *')).toEqual({ type: 'array', value: [{ type: 'bulk', value: 'a' }] });
  });

  test('takes no argument but --fix; listed in SIM HELP', () => {
    const { run } = damagedAof();
    expect(run('SIM CHECK-AOF --force')).toEqual(err('ERR SIM CHECK-AOF takes no argument but --fix'));
    expect(run('SIM CHECK-AOF --fix now')).toEqual(err('ERR SIM CHECK-AOF takes no argument but --fix'));
    expect(linesOf(run('SIM HELP'))).toContain('CHECK-AOF [--fix]');
  });
});
