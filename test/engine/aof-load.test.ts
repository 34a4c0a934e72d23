/**
 * Starting with `appendonly yes`: the AOF directories real Redis 7.0 wrote load to the keyspaces
 * it had, along Redis's load path and log lines; a truncated tail is cut and accepted (or refused
 * with aof-load-truncated no); a bad manifest is fatal; dump.rdb is ignored (the restart trap).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytesToBin } from '../../src/codec/bytes.ts';
import { Engine, exportKeyspace, type KeyspaceExport } from '../../src/engine/index.ts';
import { lab, levelAndMessage } from '../support/engine-kit.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/real-redis-7.0');
const NOW = Date.UTC(2026, 10, 24, 0, 0, 0);

/** Every file of a fixture's appendonlydir, named as the virtual disk names them. */
function aofDir(fixture: string): Record<string, Uint8Array> {
  const dir = join(FIXTURES, fixture, 'appendonlydir');
  return Object.fromEntries(readdirSync(dir).map((name) => [`appendonlydir/${name}`, new Uint8Array(readFileSync(join(dir, name)))]));
}

/** The fixture's expected keyspace without the `encoding` field, which the lab does not model. */
function expected(path: string): KeyspaceExport {
  const json = JSON.parse(readFileSync(join(FIXTURES, path), 'utf8')) as Record<string, Record<string, Record<string, unknown>>>;
  return Object.fromEntries(
    Object.entries(json).map(([db, keys]) => [db, Object.fromEntries(Object.entries(keys).map(([key, { encoding: _encoding, ...rest }]) => [key, rest]))]),
  ) as unknown as KeyspaceExport;
}

/** A lab started with `appendonly yes` on these files, and its log so far as `<level> <message>`. */
function start(files: Record<string, Uint8Array>, config: Record<string, string> = {}) {
  const { engine, run } = lab({ epochMs: NOW, files, config: { appendonly: 'yes', save: '', ...config } });
  return { engine, run, log: engine.serverLog.map(levelAndMessage) };
}

describe('loading an AOF directory written by real Redis 7.0', () => {
  it('a RESP base plus an incr file (aof-use-rdb-preamble no)', () => {
    const { engine, log } = start(aofDir('aof-multipart'));
    expect(engine.running).toBe(true);
    expect(exportKeyspace(engine.dbs, engine.nowMs)).toEqual(expected('aof-multipart/expected.json'));
    expect(log.slice(log.indexOf('# Server initialized') + 1)).toEqual([
      '* DB loaded from base file appendonly.aof.2.base.aof: 0.000 seconds',
      '* DB loaded from incr file appendonly.aof.2.incr.aof: 0.000 seconds',
      '* DB loaded from append only file: 0.000 seconds',
      '* Opening AOF incr file appendonly.aof.2.incr.aof on server start',
      '* Ready to accept connections',
    ]);
    expect(engine.aof.currentSize).toBe(666 + 443);
    expect(engine.aof.baseSize).toBe(666);
  });

  it('an RDB base plus an incr file (the hybrid preamble)', () => {
    const { engine, log } = start(aofDir('aof-hybrid'));
    expect(exportKeyspace(engine.dbs, engine.nowMs)).toEqual(expected('aof-hybrid/expected.json'));
    expect(log).toContain('* Reading RDB base file on AOF loading...');
    expect(log).toContain('* RDB is base AOF');
    expect(log).toContain('* DB loaded from base file appendonly.aof.2.base.rdb: 0.000 seconds');
  });

  it('appends new writes to the incr file it opened, after a SELECT', () => {
    const { engine, run } = start(aofDir('aof-multipart'), { appendfsync: 'always' });
    const before = engine.disk.read('appendonlydir/appendonly.aof.2.incr.aof')!.length;
    run('SET after restart');
    const incr = bytesToBin(engine.disk.read('appendonlydir/appendonly.aof.2.incr.aof')!);
    expect(incr.slice(before)).toBe('*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$5\r\nafter\r\n$7\r\nrestart\r\n');
  });
});

describe('a truncated tail', () => {
  const truncatedDir = () => {
    const files = aofDir('aof-multipart/before-rewrite');
    files['appendonlydir/appendonly.aof.1.incr.aof'] = new Uint8Array(readFileSync(join(FIXTURES, 'aof-truncated.aof')));
    return files;
  };

  it('is cut at the last complete command and accepted under aof-load-truncated yes', () => {
    const { engine, log } = start(truncatedDir());
    expect(engine.running).toBe(true);
    expect(exportKeyspace(engine.dbs, engine.nowMs)).toEqual(expected('aof-truncated.expected.json'));
    expect(log).toContain('# !!! Warning: short read while loading the AOF file appendonly.aof.1.incr.aof!!!');
    expect(log).toContain('# !!! Truncating the AOF appendonly.aof.1.incr.aof at offset 760 !!!');
    expect(log).toContain('# AOF appendonly.aof.1.incr.aof loaded anyway because aof-load-truncated is enabled');
    expect(engine.disk.read('appendonlydir/appendonly.aof.1.incr.aof')!.length).toBe(760);
  });

  it('stops the server under aof-load-truncated no', () => {
    const { engine, log } = start(truncatedDir(), { 'aof-load-truncated': 'no' });
    expect(engine.running).toBe(false);
    expect(log.at(-1)).toMatch(/^# Unexpected end of file reading the append only file appendonly\.aof\.1\.incr\.aof\. You can: 1\)/);
    expect(engine.run('GET x', engine.newClient())).toEqual({
      kind: 'reply',
      reply: { type: 'error', value: 'ERR The server is not running (see the server log)' },
    });
  });
});

describe('what is refused, and what is ignored', () => {
  it('a bad manifest is fatal', () => {
    const files = aofDir('aof-multipart');
    files['appendonlydir/appendonly.aof.manifest'] = new TextEncoder().encode('file appendonly.aof.2.base.aof seq 2 type b\nfile x seq 1 type q\n');
    const { engine, log } = start(files);
    expect(engine.running).toBe(false);
    expect(log).toContain('# \n*** FATAL AOF MANIFEST FILE ERROR ***\n');
    expect(log.slice(-3)).toEqual(["# Reading the manifest file, at line 2\n", "# >>> 'file x seq 1 type q'\n", '# Unknown AOF file type\n']);
  });

  it('dump.rdb is ignored when appendonly is yes, even with no AOF at all: the restart trap', () => {
    const dump = new Uint8Array(readFileSync(join(FIXTURES, 'rdb-strings.rdb')));
    const { engine, log } = start({ 'dump.rdb': dump });
    expect(engine.dbs[0]?.size).toBe(0);
    expect(log).toContain('* Creating AOF base file appendonly.aof.1.base.rdb on server start');
    expect(log).toContain('* Creating AOF incr file appendonly.aof.1.incr.aof on server start');
    const withoutAof = new Engine({ epochMs: NOW, files: { 'dump.rdb': dump }, config: { save: '' } });
    expect(withoutAof.dbs[0]?.size).toBe(14);
  });
});

describe('after the load, as 7.0.15 does it: the sizes it measured first, and the history files deleted', () => {
  const encode = (text: string) => new TextEncoder().encode(text);
  const SET_A = '*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n';
  const SET_B = '*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n';
  /** A RESP base of 27 bytes, an incr of 49 whose last 22 are half a SET, and two history lines, one of them for a file already gone. */
  const files = () => ({
    'appendonlydir/appendonly.aof.manifest': encode(
      'file appendonly.aof.1.base.aof seq 1 type b\nfile gone.aof seq 3 type h\nfile old.aof seq 2 type h\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
    ),
    'appendonlydir/appendonly.aof.1.base.aof': encode(SET_A),
    'appendonlydir/appendonly.aof.1.incr.aof': encode(`${SET_B}*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$1`),
    'appendonlydir/old.aof': encode('old\n'),
  });
  const sizes = (engine: Engine) => engine.disk.list().map((file) => `${file.name} ${file.sizeBytes}`).sort();

  it('names each history file after opening the incr file, deletes them, and persists a manifest without them', () => {
    const { engine, log } = start(files());
    expect(log.slice(log.indexOf('# Server initialized') + 1)).toEqual([
      '* DB loaded from base file appendonly.aof.1.base.aof: 0.000 seconds',
      '# !!! Warning: short read while loading the AOF file appendonly.aof.1.incr.aof!!!',
      '# !!! Truncating the AOF appendonly.aof.1.incr.aof at offset 27 !!!',
      '# AOF appendonly.aof.1.incr.aof loaded anyway because aof-load-truncated is enabled',
      '* DB loaded from incr file appendonly.aof.1.incr.aof: 0.000 seconds',
      '* DB loaded from append only file: 0.000 seconds',
      '* Opening AOF incr file appendonly.aof.1.incr.aof on server start',
      '* Removing the history file gone.aof in the background',
      '* Removing the history file old.aof in the background',
      '* Ready to accept connections',
    ]);
    expect(sizes(engine)).toEqual(['appendonlydir/appendonly.aof.1.base.aof 27', 'appendonlydir/appendonly.aof.1.incr.aof 27', 'appendonlydir/appendonly.aof.manifest 88']);
    expect(bytesToBin(engine.disk.read('appendonlydir/appendonly.aof.manifest')!)).toBe(
      'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
    );
  });

  it('aof_current_size still counts the tail the load cut off (76, not 54), and grows from there', () => {
    const { run } = start(files());
    const info = (field: string) => new RegExp(`\r\n${field}:([^\r]*)`).exec((run('INFO persistence') as { value: string }).value)?.[1];
    expect([info('aof_current_size'), info('aof_base_size')]).toEqual(['76', '27']);
    run('SET d 4'); // a SELECT (23 bytes) and the SET (27)
    expect([info('aof_current_size'), info('aof_base_size')]).toEqual(['126', '27']);
  });

  it('the automatic rewrite measures its growth from that size', () => {
    // 76 bytes on a 27-byte base is 181% growth, past 150%; the 54 bytes left on disk would be 100%.
    const { engine, log } = start(files(), { 'auto-aof-rewrite-min-size': '50', 'auto-aof-rewrite-percentage': '150' });
    engine.advance(100);
    expect(engine.serverLog.map(levelAndMessage).slice(log.length, log.length + 1)).toEqual(['* Starting automatic rewriting of AOF on 181% growth']);
  });

  it('a manifest listing only a history file named like base 1: the new base goes with it, and the next start fails', () => {
    const { engine, log } = start({
      'appendonlydir/appendonly.aof.manifest': encode('file appendonly.aof.1.base.rdb seq 1 type h\n'),
      'appendonlydir/appendonly.aof.1.base.rdb': encode('junk\n'),
    });
    expect(log.slice(log.indexOf('# Server initialized') + 1)).toEqual([
      '* Creating AOF base file appendonly.aof.1.base.rdb on server start',
      '* Creating AOF incr file appendonly.aof.1.incr.aof on server start',
      '* Removing the history file appendonly.aof.1.base.rdb in the background',
      '* Ready to accept connections',
    ]);
    expect(sizes(engine)).toEqual(['appendonlydir/appendonly.aof.1.incr.aof 0', 'appendonlydir/appendonly.aof.manifest 88']);
    expect(bytesToBin(engine.disk.read('appendonlydir/appendonly.aof.manifest')!)).toBe(
      'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
    );
    engine.restart();
    expect(engine.running).toBe(false);
    expect(engine.serverLog.map(levelAndMessage).at(-1)).toBe('# Unable to obtain the AOF file appendonly.aof.1.base.rdb length. stat: No such file or directory');
  });
});
