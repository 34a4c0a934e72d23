// @vitest-environment jsdom
// Files between the student's computer and the lab: opening one (picker and drop) into the
// inspector without touching the node, refusing bad ones with a clear message, putting one on the
// lab's disk and restarting from it through console lines, and downloading the disk's files.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, vi } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { unzipSync } from 'fflate';
import { renderLab } from './render-lab.tsx';
import { MAX_OPEN_BYTES, zipFiles } from '../../src/store/file-transfer.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/real-redis-7.0');
const fixtureBytes = (path: string) => new Uint8Array(readFileSync(join(FIXTURES, path)));
const fileOf = (name: string, bytes: Uint8Array) => new File([bytes as Uint8Array<ArrayBuffer>], name);
/** How many keys a fixture's expected keyspace holds, across its databases. */
const expectedKeys = (path: string) =>
  Object.values(JSON.parse(readFileSync(join(FIXTURES, path), 'utf8')) as Record<string, object>).reduce((sum, db) => sum + Object.keys(db).length, 0);

function textOf(element: Element | null): string {
  return (element?.textContent ?? '').replace(/[\u2066-\u2069\u200e]/g, '').replace(/\s+/g, ' ').trim();
}

const inspector = () => screen.getByRole('region', { name: /File inspector|فاحص الملفات/ });
const openFiles = (files: File[]) => fireEvent.change(screen.getByTestId('open-file-input'), { target: { files } });
/** The opened files' group, once reading and decoding are done. */
async function opened(name = 'From your computer'): Promise<HTMLElement> {
  const group = await within(inspector()).findByRole('group', { name });
  await waitFor(() => expect(group.querySelector('[role="status"].hint')).toBeNull());
  return group;
}

const consoleLines = (store: ReturnType<typeof renderLab>['store']) => store.getState().transcript.map((entry) => entry.line);

describe('opening a file from the computer', () => {
  test('an RDB is shown as the inspector shows a file of the lab’s disk, and the node is unchanged', async () => {
    const { store } = renderLab();
    const panel = inspector();
    expect(within(panel).getByRole('button', { name: 'Open a file…' })).toHaveAccessibleDescription(/An RDB or AOF file from your computer/);
    openFiles([fileOf('rdb-types.rdb', fixtureBytes('rdb-types.rdb'))]);
    const group = await opened();
    expect(textOf(group.querySelector('.file-summary'))).toMatch(/^RDB version 10 · 26,383 B · 11 keys · \d+ regions$/);
    expect(within(group).getByRole('region', { name: 'Hex dump of rdb-types.rdb' })).toHaveAttribute('dir', 'ltr');
    const options = within(group).getAllByRole('option');
    expect(textOf(options[0] as HTMLElement)).toContain('The magic string “REDIS” and the format version, 10.');
    // Nothing reached the node.
    expect(store.getState().transcript).toEqual([]);
    expect(store.getState().persistence.disk.files).toEqual([]);
    expect(screen.getByTestId('narration')).toHaveTextContent('Opened 1 file from your computer.');
    // Back to the lab's disk.
    fireEvent.click(within(group).getByRole('button', { name: 'Back to the lab’s disk' }));
    expect(within(panel).queryByRole('group', { name: 'From your computer' })).toBeNull();
  });

  test('a cut RDB names the offset and the reason', async () => {
    renderLab();
    openFiles([fileOf('dump.rdb', fixtureBytes('rdb-strings.rdb').slice(0, 100))]);
    const group = await opened();
    expect(textOf(within(group).getByRole('note'))).toMatch(/^This file is incomplete: reading stops at byte 0x[0-9a-f]{8} \(\d+\)\..+\S/);
  });

  test('dropped on the inspector: a .zip of an appendonlydir opens as its files, each one inspectable', async () => {
    renderLab();
    const dir = 'aof-multipart/appendonlydir';
    const zip = zipFiles(readdirSync(join(FIXTURES, dir)).map((name) => ({ name: `appendonlydir/${name}`, bytes: fixtureBytes(`${dir}/${name}`) })));
    const panel = inspector();
    fireEvent.dragEnter(panel, { dataTransfer: { types: ['Files'] } });
    expect(panel.querySelector('.drop-overlay')).toHaveTextContent('Drop RDB or AOF files here');
    fireEvent.drop(panel, { dataTransfer: { types: ['Files'], files: [fileOf('appendonlydir.zip', zip)], items: [] } });
    const group = await opened();
    expect(panel.querySelector('.drop-overlay')).toBeNull();
    const list = within(group).getByRole('list', { name: 'Opened files' });
    expect(within(list).getAllByRole('button').map((button) => textOf(button))).toEqual([
      'appendonly.aof.2.base.aof',
      'appendonly.aof.2.incr.aof',
      'appendonly.aof.manifest',
    ]);
    // The base, a RESP AOF: its commands with their offsets.
    expect(textOf(group.querySelector('.file-summary'))).toMatch(/^appendonly\.aof\.2\.base\.aof · AOF file · [\d,]+ B · \d+ commands ?Redis reads it to the end/);
    const commands = within(group).getByRole('list', { name: 'Commands of appendonly.aof.2.base.aof' });
    expect(textOf(within(commands).getAllByRole('listitem')[0] as HTMLElement)).toBe('00000000 SELECT 0');
    // The manifest: its files, in order.
    fireEvent.click(within(list).getByRole('button', { name: 'appendonly.aof.manifest' }));
    expect(within(list).getByRole('button', { name: 'appendonly.aof.manifest' })).toHaveAttribute('aria-pressed', 'true');
    const listed = within(group).getByRole('list', { name: 'Files listed in appendonly.aof.manifest' });
    expect(within(listed).getAllByRole('listitem').map((item) => textOf(item))).toEqual(['appendonly.aof.2.base.aof seq 2 · base', 'appendonly.aof.2.incr.aof seq 2 · incr']);
  });

  test('bad files get a clear message each, and never break the page', async () => {
    renderLab();
    const huge = fileOf('huge.rdb', new Uint8Array(8));
    Object.defineProperty(huge, 'size', { value: MAX_OPEN_BYTES + 1 });
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const random = Uint8Array.from({ length: 512 }, (_, i) => (i * 7919 + 13) % 251);
    openFiles([fileOf('empty.rdb', new Uint8Array()), fileOf('photo.png', png), fileOf('noise.bin', random), huge, fileOf('broken.zip', new Uint8Array([0x50, 0x4b, 3, 4, 9]))]);
    const group = await opened();
    const alert = within(group).getByRole('alert');
    expect(Array.from(alert.querySelectorAll('p'), (p) => textOf(p))).toEqual([
      'huge.rdb is 64.0 MB: the lab opens files of up to 64.0 MB.',
      'empty.rdb is empty: there is nothing to inspect.',
      'photo.png is a PNG file, not an RDB or AOF file.',
      'noise.bin is not an RDB, AOF or manifest file: it starts with the bytes 0d 97 26 b0 3f c9 58 e2.',
      expect.stringMatching(/^broken\.zip could not be read as a \.zip archive: \S/),
    ]);
  });

  test('a lone AOF file is inspectable, and says what restarting from an AOF needs', async () => {
    renderLab();
    openFiles([fileOf('aof-truncated.aof', fixtureBytes('aof-truncated.aof'))]);
    const group = await opened();
    expect(textOf(within(group).getByRole('note'))).toMatch(
      /^It ends in the middle of a command, at byte 0x[0-9a-f]{8} \(\d+\)\. With aof-load-truncated yes, Redis cuts the file at byte 0x[0-9a-f]{8} \(\d+\) and loads the commands before it; with no, it refuses to start\. \S/,
    );
    expect(within(group).queryByRole('button', { name: 'Put it on the lab’s disk and restart' })).toBeNull();
    expect(textOf(group)).toContain('To restart from an AOF, open the whole appendonlydir at once');
  });
});

describe('putting an opened file on the lab’s disk', () => {
  test('a real dump.rdb: SHUTDOWN NOSAVE, SIM FILE PUT, SIM RESTART in the console, and the node holds its keys', async () => {
    const { store, user } = renderLab();
    act(() => void store.getState().runLine('SET mine 1'));
    openFiles([fileOf('rdb-types.rdb', fixtureBytes('rdb-types.rdb'))]);
    const group = await opened();
    const lines = group.querySelector('.put-lines');
    expect(Array.from(lines?.querySelectorAll('li') ?? [], (li) => textOf(li))).toEqual([
      'SHUTDOWN NOSAVE',
      'SIM FILE PUT dump.rdb …(25.8 KB in base64)',
      'SIM RESTART',
    ]);
    await user.click(within(group).getByRole('button', { name: 'Put it on the lab’s disk and restart' }));
    expect(consoleLines(store).map((line) => line.slice(0, 30))).toEqual(['SET mine 1', 'SHUTDOWN NOSAVE', 'SIM FILE PUT dump.rdb UkVESVMw', 'SIM RESTART']);
    expect(within(group).getByRole('status')).toHaveTextContent('Done: redis-server restarted from the files you put on its disk.');
    expect(store.getState().lifecycle.running).toBe(true);
    expect(store.getState().keyspace.totalKeys).toBe(expectedKeys('rdb-types.expected.json'));
    expect(store.getState().readDiskFile('dump.rdb')).toEqual(fixtureBytes('rdb-types.rdb'));
  });

  test('an appendonlydir, several files at once: the set replaces appendonlydir and the node loads it with appendonly yes', async () => {
    const { store, user } = renderLab();
    const dir = 'aof-hybrid/appendonlydir';
    openFiles(readdirSync(join(FIXTURES, dir)).map((name) => fileOf(name, fixtureBytes(`${dir}/${name}`))));
    const group = await opened();
    expect(textOf(group)).toContain('appendonlydir/ is replaced by these files');
    await user.click(within(group).getByRole('button', { name: 'Put it on the lab’s disk and restart' }));
    expect(consoleLines(store).map((line) => line.split(' ').slice(0, 4).join(' '))).toEqual([
      'SHUTDOWN NOSAVE',
      'SIM FILE PUT appendonlydir/appendonly.aof.2.base.rdb',
      'SIM FILE PUT appendonlydir/appendonly.aof.2.incr.aof',
      'SIM FILE PUT appendonlydir/appendonly.aof.manifest',
      'SIM RESTART --appendonly yes',
    ]);
    expect(store.getState().keyspace.totalKeys).toBe(expectedKeys('aof-hybrid/expected.json'));
  });

  test('a refused line stops the sequence and is shown with Redis’s reply', async () => {
    const { store, user } = renderLab();
    act(() => void store.getState().runLine('SIM DISK EIO'));
    openFiles([fileOf('dump.rdb', fixtureBytes('rdb-strings.rdb'))]);
    const group = await opened();
    await user.click(within(group).getByRole('button', { name: 'Put it on the lab’s disk and restart' }));
    expect(textOf(within(group).getByRole('status'))).toMatch(/^Stopped at this line: SIM FILE PUT dump\.rdb \S+… \(error\) ERR cannot write 'dump\.rdb': Input\/output error$/);
    expect(consoleLines(store).at(-1)?.startsWith('SIM FILE PUT')).toBe(true);
  });
});

describe('downloads from the disk panel', () => {
  let blobs: Blob[];
  let names: string[];
  beforeEach(() => {
    blobs = [];
    names = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return `blob:lab/${blobs.length}`;
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download);
    });
  });
  afterEach(() => vi.restoreAllMocks());

  const blobBytes = async (blob: Blob | undefined) => new Uint8Array(await (blob as Blob).arrayBuffer());

  test('each file downloads as its bytes; appendonlydir as one .zip that recreates it', async () => {
    const { store, user } = renderLab();
    act(() => {
      store.getState().runLine('SET greeting hello');
      store.getState().runLine('SAVE');
      store.getState().runLine('CONFIG SET appendonly yes');
      store.getState().advance(2000);
      store.getState().runLine('SET after 1');
    });
    const disk = screen.getByRole('region', { name: 'Disk' });
    await user.click(within(disk).getByRole('button', { name: 'Download dump.rdb' }));
    expect(names).toEqual(['dump.rdb']);
    expect(await blobBytes(blobs[0])).toEqual(store.getState().readDiskFile('dump.rdb'));

    await user.click(within(disk).getByRole('button', { name: /^Download \W?appendonlydir\/\W? as \.zip$/ }));
    expect(names[1]).toBe('appendonlydir.zip');
    const entries = unzipSync(await blobBytes(blobs[1]));
    const onDisk = store.getState().persistence.disk.files.filter((file) => file.name.startsWith('appendonlydir/'));
    expect(Object.keys(entries).sort()).toEqual(onDisk.map((file) => file.name).sort());
    for (const file of onDisk) expect(entries[file.name]).toEqual(store.getState().readDiskFile(file.name));
  });
});

describe('in Arabic', () => {
  test('the opened file and its messages are in Arabic, names and lines as LTR islands', async () => {
    renderLab({ lang: 'ar' });
    openFiles([fileOf('rdb-types.rdb', fixtureBytes('rdb-types.rdb')), fileOf('photo.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47]))]);
    const group = await opened('من جهازك');
    expect(textOf(within(group).getByRole('alert'))).toBe('الملف photo.png ملف PNG، وليس ملف RDB أو AOF.');
    expect(within(group).getByRole('button', { name: 'ضعه على قرص المختبر وأعد التشغيل' })).toBeInTheDocument();
    expect(group.querySelector('.put-lines ol')).toHaveAttribute('dir', 'ltr');
    expect(group.querySelector('.put-size')).toHaveAttribute('dir', 'rtl');
    await waitFor(() => expect(screen.getByTestId('narration')).toHaveTextContent('فُتح ملف واحد من جهازك.'));
  });
});
