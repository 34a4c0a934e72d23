// Files from the student's computer: what each is, how it decodes, how bad ones are refused, the
// .zip both ways, base64, and the lines that put an opened file on the lab's disk and restart. The
// lines are run on a real engine: real Redis 7.0 fixtures come back with their recorded keyspaces.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { Engine, exportKeyspace } from '../../src/engine/index.ts';
import {
  abbreviateLine,
  bytesToBase64,
  directoriesOf,
  MAX_OPEN_BYTES,
  openPickedFiles,
  planPutOnDisk,
  sniffFile,
  stepLine,
  unzipEntries,
  zipFiles,
  type OpenedFile,
  type PutPlan,
  type PickedFile,
  type PutContext,
} from '../../src/store/file-transfer.ts';
import { rdbFile, rdbStr, withoutEncoding } from '../codec/rdb/rdb-test-kit.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/real-redis-7.0');
const fixture = (path: string) => new Uint8Array(readFileSync(join(FIXTURES, path)));
const expected = (path: string) => withoutEncoding(JSON.parse(readFileSync(join(FIXTURES, path), 'utf8')));
const picked = (name: string, bytes: Uint8Array): PickedFile => ({ name, bytes, modifiedAtMs: 0 });
const text = (value: string) => new TextEncoder().encode(value);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

function openOne(name: string, bytes: Uint8Array): OpenedFile {
  const { files, refused } = openPickedFiles([picked(name, bytes)]);
  expect(refused).toEqual([]);
  return files[0] as OpenedFile;
}

function aofDirectory(fixtureName: string): PickedFile[] {
  const dir = `${fixtureName}/appendonlydir`;
  return readdirSync(join(FIXTURES, dir)).map((file) => picked(`appendonlydir/${file}`, fixture(`${dir}/${file}`)));
}

describe('base64', () => {
  test('is standard padded base64, for every length', () => {
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 37 + 11) & 0xff);
    for (let length = 0; length <= 300; length++) {
      expect(bytesToBase64(bytes.subarray(0, length))).toBe(Buffer.from(bytes.subarray(0, length)).toString('base64'));
    }
  });

  test('a long line is shown with its base64 cut short', () => {
    expect(abbreviateLine(`SIM FILE PUT dump.rdb ${'A'.repeat(100)}`)).toBe(`SIM FILE PUT dump.rdb ${'A'.repeat(24)}…`);
    expect(abbreviateLine('SIM FILE PUT x QUJD')).toBe('SIM FILE PUT x QUJD');
    expect(abbreviateLine('SIM RESTART')).toBe('SIM RESTART');
  });
});

describe('what a file is', () => {
  test.each([
    { name: 'dump.rdb', bytes: fixture('rdb-strings.rdb'), kind: 'rdb' },
    { name: 'whatever', bytes: fixture('rdb-strings.rdb'), kind: 'rdb' },
    { name: 'broken.rdb', bytes: text('not an rdb'), kind: 'rdb' },
    { name: 'appendonly.aof.1.incr.aof', bytes: text('*1\r\n$4\r\nPING\r\n'), kind: 'aof' },
    { name: 'noext', bytes: text('*1\r\n$4\r\nPING\r\n'), kind: 'aof' },
    { name: 'noext', bytes: text('#TS:1700000000\r\n'), kind: 'aof' },
    { name: 'appendonly.aof.manifest', bytes: text('file a seq 1 type b\n'), kind: 'manifest' },
    { name: 'noext', bytes: text('file a seq 1 type b\n'), kind: 'manifest' },
    { name: 'dir.zip', bytes: zipSync({ a: text('x') }), kind: 'zip' },
    { name: 'empty.rdb', bytes: new Uint8Array(), kind: 'empty' },
  ])('$name → $kind', ({ name, bytes, kind }) => {
    expect(sniffFile(name, bytes).kind).toBe(kind);
  });

  test('an image is an image whatever its name; other bytes are named by their first bytes', () => {
    expect(sniffFile('dump.rdb', PNG)).toEqual({ kind: 'foreign', format: 'PNG' });
    expect(sniffFile('photo.jpg', new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toEqual({ kind: 'foreign', format: 'JPEG' });
    expect(sniffFile('notes.txt', text('hello world'))).toEqual({ kind: 'unknown', head: '68 65 6c 6c 6f 20 77 6f' });
  });
});

describe('opening files', () => {
  test('an RDB opens as the inspector shows a file of the lab’s disk', () => {
    const file = openOne('rdb-types.rdb', fixture('rdb-types.rdb'));
    expect(file.kind).toBe('rdb');
    if (file.kind !== 'rdb') return;
    expect(file.inspector).toMatchObject({ name: 'rdb-types.rdb', version: 10, keyCount: 11, checksumStatus: 'ok', error: null, annotated: true });
    expect(file.inspector.regions[0]).toMatchObject({ kind: 'magic', offset: 0, length: 9 });
  });

  test('every RDB version the reader knows, 1 to 12, opens', () => {
    for (let version = 1; version <= 12; version++) {
      const file = openOne(`v${version}.rdb`, rdbFile(version, [0xfe, 0x00, 0x00, rdbStr('k'), rdbStr('v')]));
      expect(file.kind === 'rdb' && file.inspector.error, `v${version}`).toBe(null);
      expect(file.kind === 'rdb' && file.inspector.version).toBe(version);
    }
  });

  test('a cut or damaged RDB names the offset and the reason', () => {
    const bytes = fixture('rdb-strings.rdb');
    const cut = openOne('dump.rdb', bytes.slice(0, 200));
    expect(cut.kind === 'rdb' && cut.inspector.error).toMatchObject({ kind: 'incomplete', offset: expect.any(Number), reason: expect.any(String) });
    const flipped = bytes.slice();
    flipped[100] = (flipped[100] as number) ^ 0xff;
    const damaged = openOne('dump.rdb', flipped);
    expect(damaged.kind === 'rdb' && damaged.inspector.error?.kind).toMatch(/corrupt|checksum|incomplete/);
    const junk = openOne('junk.rdb', text('hello, this is not an RDB'));
    expect(junk.kind === 'rdb' && junk.inspector.error).toMatchObject({ offset: 0 });
  });

  test('an AOF opens as its commands, and its end as the loader reads it', () => {
    const incr = openOne('appendonly.aof.2.incr.aof', fixture('aof-multipart/appendonlydir/appendonly.aof.2.incr.aof'));
    expect(incr.kind).toBe('aof');
    if (incr.kind !== 'aof' || incr.aof === null) throw new Error('not an AOF');
    expect(incr.aof.end).toEqual({ kind: 'complete' });
    expect(incr.aof.commands[0]?.argv).toEqual(['SELECT', '0']);
    expect(incr.aof.preambleBytes).toBeNull();
    expect(incr.inspector).toBeNull();

    const truncated = openOne('aof-truncated.aof', fixture('aof-truncated.aof'));
    if (truncated.kind !== 'aof' || truncated.aof === null) throw new Error('not an AOF');
    expect(truncated.aof.end).toMatchObject({ kind: 'truncated', validUpTo: expect.any(Number), offset: expect.any(Number) });

    const bad = openOne('bad.aof', text('*1\r\n$4\r\nPING\r\nhello\r\n'));
    expect(bad.kind === 'aof' && bad.aof?.end).toEqual({ kind: 'refused', offset: 14, reason: "expected '*' or '#' at the start of a command, got byte 0x68" });
  });

  test('a hybrid AOF base opens as an RDB, a manifest as its files', () => {
    const files = openPickedFiles(aofDirectory('aof-hybrid')).files;
    expect(files.map((file) => [file.name, file.kind])).toEqual([
      ['appendonly.aof.2.base.rdb', 'rdb'],
      ['appendonly.aof.2.incr.aof', 'aof'],
      ['appendonly.aof.manifest', 'manifest'],
    ]);
    const manifest = files[2];
    expect(manifest?.kind === 'manifest' && manifest.manifest).toEqual({
      manifest: { base: { fileName: 'appendonly.aof.2.base.rdb', seq: 2, type: 'b' }, history: [], incr: [{ fileName: 'appendonly.aof.2.incr.aof', seq: 2, type: 'i' }] },
      error: null,
    });
    const broken = openOne('appendonly.aof.manifest', text('file a seq 1 type b\nfile b seq 1 type b\n'));
    expect(broken.kind === 'manifest' && broken.manifest.error).toEqual({ line: 2, reason: 'Found duplicate base file information' });
  });

  test('an RDB-preamble AOF gets both views', () => {
    const rdb = fixture('rdb-strings.rdb');
    const tail = text('*2\r\n$3\r\nDEL\r\n$7\r\ncounter\r\n');
    const bytes = new Uint8Array(rdb.length + tail.length);
    bytes.set(rdb);
    bytes.set(tail, rdb.length);
    const file = openOne('appendonly.aof', bytes);
    if (file.kind !== 'aof' || file.aof === null) throw new Error('not an AOF');
    expect(file.aof.preambleBytes).toBe(rdb.length);
    expect(file.aof.commands.map((command) => command.argv)).toEqual([['DEL', 'counter']]);
    expect(file.inspector?.regions.at(-1)).toMatchObject({ kind: 'trailing', offset: rdb.length });
  });

  test('bad files are refused, each with its reason, and never throw', () => {
    const random = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251);
    const { files, refused } = openPickedFiles([
      picked('empty.rdb', new Uint8Array()),
      picked('photo.png', PNG),
      picked('random.bin', random),
      picked('broken.zip', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])),
      picked('huge.rdb', new Uint8Array(MAX_OPEN_BYTES + 1)),
    ]);
    expect(files).toEqual([]);
    expect(refused.map(({ name, reason, detail }) => [name, reason, reason === 'bad-archive' ? 'some error' : detail])).toEqual([
      ['empty.rdb', 'empty', ''],
      ['photo.png', 'foreign', 'PNG'],
      ['random.bin', 'unknown', '0d 97 26 b0 3f c9 58 e2'],
      ['broken.zip', 'bad-archive', 'some error'],
      ['huge.rdb', 'too-large', ''],
    ]);
  });

  test('random bytes named like Redis files decode to an error, not an exception', () => {
    let seed = 7;
    for (let run = 0; run < 200; run++) {
      const bytes = Uint8Array.from({ length: 1 + (run % 97) }, () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff);
      for (const name of ['x.rdb', 'x.aof', 'x.manifest']) expect(() => openPickedFiles([picked(name, bytes)])).not.toThrow();
    }
  });

  test('a .zip opens as its files; a zip whose files add up past the limit is refused before inflating', () => {
    const zip = zipFiles(aofDirectory('aof-multipart').map((file) => ({ name: file.name, bytes: file.bytes })));
    const { files } = openPickedFiles([picked('appendonlydir.zip', zip)]);
    expect(files.map((file) => file.name)).toEqual(['appendonly.aof.2.base.aof', 'appendonly.aof.2.incr.aof', 'appendonly.aof.manifest']);
    expect(() => unzipEntries(zip, 100)).toThrow('its files add up to more than 100 bytes');
    const { refused } = openPickedFiles([picked('nothing.zip', zipSync({}))]);
    expect(refused).toMatchObject([{ reason: 'bad-archive', detail: 'it holds no files' }]);
  });
});

describe('downloads', () => {
  test('a zip holds each file under its name on the disk, byte for byte', () => {
    const entries = [
      { name: 'appendonlydir/appendonly.aof.manifest', bytes: text('file appendonly.aof.1.base.rdb seq 1 type b\n') },
      { name: 'appendonlydir/appendonly.aof.1.incr.aof', bytes: new Uint8Array([0, 1, 2, 255]) },
    ];
    expect(unzipEntries(zipFiles(entries))).toEqual(entries);
    expect(directoriesOf(['dump.rdb', 'appendonlydir/a', 'appendonlydir/b', 'other/c'])).toEqual(['appendonlydir', 'other']);
  });
});

describe('putting an opened file on the lab’s disk', () => {
  const context: PutContext = {
    running: true,
    dbfilename: 'dump.rdb',
    appenddirname: 'appendonlydir',
    appendfilename: 'appendonly.aof',
    startupAppendonly: 'no',
    diskFiles: ['dump.rdb', 'appendonlydir/appendonly.aof.1.base.rdb', 'appendonlydir/appendonly.aof.2.incr.aof'],
  };

  const lines = (plan: PutPlan): string[] => (plan.ok ? plan.steps.map(stepLine) : []);

  /** Runs the lines on a fresh engine (the lab's node at its defaults) and returns it. */
  function runPlan(lines: readonly string[], engine = new Engine({ epochMs: Date.UTC(2026, 10, 24) })): Engine {
    const client = engine.newClient();
    for (const line of lines) {
      const result = engine.run(line, client);
      if (line !== 'SHUTDOWN NOSAVE') expect(result.kind === 'reply' && result.reply, line.slice(0, 40)).toEqual({ type: 'status', value: 'OK' });
    }
    return engine;
  }

  test('an RDB: stop without saving, put it as dbfilename, restart; the node holds its keyspace', () => {
    const file = openOne('rdb-types.rdb', fixture('rdb-types.rdb'));
    const plan = planPutOnDisk([file], file, context);
    if (!plan.ok) throw new Error('no plan');
    expect(lines(plan).map((line) => abbreviateLine(line, 8))).toEqual(['SHUTDOWN NOSAVE', 'SIM FILE PUT dump.rdb UkVESVMw…', 'SIM RESTART']);
    const engine = runPlan(lines(plan));
    expect(exportKeyspace(engine.dbs, engine.nowMs)).toEqual(expected('rdb-types.expected.json'));
  });

  test('an RDB when redis.conf says appendonly yes (or is not known): the restart switches it off, or Redis would ignore dump.rdb', () => {
    const file = openOne('dump.rdb', fixture('rdb-strings.rdb'));
    const plan = planPutOnDisk([file], file, { ...context, running: false, startupAppendonly: 'yes' });
    expect(plan.ok && lines(plan).map((line) => abbreviateLine(line, 4))).toEqual(['SIM FILE PUT dump.rdb UkVE…', 'SIM RESTART --appendonly no']);
    const unknown = planPutOnDisk([file], file, { ...context, startupAppendonly: null });
    expect(unknown.ok && lines(unknown).at(-1)).toBe('SIM RESTART --appendonly no');
    const engine = new Engine({ epochMs: Date.UTC(2026, 10, 24), config: { appendonly: 'yes' } });
    engine.run('SHUTDOWN NOSAVE', engine.newClient());
    runPlan(lines(plan), engine);
    expect(exportKeyspace(engine.dbs, engine.nowMs)).toEqual(expected('rdb-strings.expected.json'));
  });

  test.each(['aof-multipart', 'aof-hybrid'])('a %s appendonlydir: the old files removed, the set put (manifest last), restart with appendonly yes', (name) => {
    const { files } = openPickedFiles(aofDirectory(name));
    const shown = files[0] as OpenedFile;
    const plan = planPutOnDisk(files, shown, context);
    if (!plan.ok) throw new Error('no plan');
    const base = name === 'aof-hybrid' ? 'appendonly.aof.2.base.rdb' : 'appendonly.aof.2.base.aof';
    expect(lines(plan).map((line) => line.split(' ').slice(0, 4).join(' '))).toEqual([
      'SHUTDOWN NOSAVE',
      'SIM FILE DELETE appendonlydir/appendonly.aof.1.base.rdb',
      `SIM FILE PUT appendonlydir/${base}`,
      'SIM FILE PUT appendonlydir/appendonly.aof.2.incr.aof',
      'SIM FILE PUT appendonlydir/appendonly.aof.manifest',
      'SIM RESTART --appendonly yes',
    ]);
    expect(plan.missing).toEqual([]);
    // On the lab's node, with a stale incr file of its own in appendonlydir first.
    const engine = new Engine({ epochMs: Date.UTC(2026, 10, 24), config: { appendonly: 'yes' } });
    const client = engine.newClient();
    engine.run('SET stale 1', client);
    const diskFiles = engine.disk.list().map((file) => file.name);
    const onNode = planPutOnDisk(files, shown, { ...context, startupAppendonly: 'yes', diskFiles });
    if (!onNode.ok) throw new Error('no plan');
    runPlan(lines(onNode), engine);
    expect(engine.running).toBe(true);
    expect(exportKeyspace(engine.dbs, engine.nowMs)).toEqual(expected(`${name}/expected.json`));
  });

  test('a manifest with another appendfilename restarts with that name; missing files are listed', () => {
    const manifest = openOne('myapp.aof.manifest', text('file myapp.aof.1.base.rdb seq 1 type b\nfile myapp.aof.1.incr.aof seq 1 type i\n'));
    const plan = planPutOnDisk([manifest], manifest, { ...context, running: false, diskFiles: [] });
    expect(plan.ok && lines(plan)).toEqual([`SIM FILE PUT appendonlydir/myapp.aof.manifest ${bytesToBase64(manifest.bytes)}`, 'SIM RESTART --appendonly yes --appendfilename myapp.aof']);
    expect(plan.ok && plan.missing).toEqual(['myapp.aof.1.base.rdb', 'myapp.aof.1.incr.aof']);
  });

  test('a lone AOF file cannot be loaded without its manifest', () => {
    const file = openOne('aof-truncated.aof', fixture('aof-truncated.aof'));
    expect(planPutOnDisk([file], file, context)).toEqual({ ok: false, reason: 'lone-aof' });
  });
});
