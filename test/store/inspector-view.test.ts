import { describe, expect, test, vi } from 'vitest';

vi.mock('react', () => ({}));

const { createLabStore, buildInspectorView, regionAt, regionKey } = await import('../../src/store/index.ts');

const EPOCH_MS = Date.UTC(2026, 0, 1, 9, 0, 0);

function labWithKeys() {
  const lab = createLabStore({ epochMs: EPOCH_MS });
  for (const line of ['SET greeting hello', 'SET counter 42', 'RPUSH queue a b c', 'HSET user:1 name Ada', 'EXPIRE greeting 1000']) lab.getState().runLine(line);
  return lab;
}

describe('the RDB inspector view', () => {
  test('follows dump.rdb: its bytes and the regions that tile them', () => {
    const lab = labWithKeys();
    expect(lab.getState().inspector).toBeNull();
    lab.getState().runLine('SAVE');
    const inspector = lab.getState().inspector;
    expect(inspector).toMatchObject({ name: 'dump.rdb', version: 10, keyCount: 4, checksumStatus: 'ok', error: null, annotated: true, gone: false });
    const regions = inspector?.regions ?? [];
    let offset = 0;
    for (const region of regions) {
      expect(region.offset).toBe(offset);
      offset += region.length;
    }
    expect(offset).toBe(inspector?.sizeBytes);
    expect(regions.map((r) => r.kind).slice(0, 8)).toEqual(['magic', 'aux', 'aux', 'aux', 'aux', 'aux', 'selectdb', 'resizedb']);
    expect(regions.at(-2)?.kind).toBe('eof');
    expect(regions.at(-1)?.kind).toBe('checksum');
  });

  test('the key each region belongs to, and the region under a byte', () => {
    const lab = labWithKeys();
    lab.getState().runLine('SAVE');
    const regions = lab.getState().inspector?.regions ?? [];
    const expiry = regions.findIndex((r) => r.kind === 'expiry');
    expect(regionKey(regions, expiry)).toBe('greeting');
    expect(regions[expiry + 1]?.kind).toBe('type');
    expect(regionKey(regions, expiry + 1)).toBe('greeting');
    expect(regionKey(regions, expiry + 2)).toBe('greeting');
    expect(regionKey(regions, expiry + 3)).toBe('greeting');
    expect(regionKey(regions, 0)).toBeNull();
    expect(regionAt(regions, 0)).toBe(0);
    expect(regionAt(regions, 9)).toBe(1);
    const last = regions.length - 1;
    expect(regionAt(regions, (regions[last]?.offset ?? 0) + 7)).toBe(last);
    expect(regionAt(regions, 1_000_000)).toBe(-1);
  });

  test('a temp file still being written does not decode; the view says where reading stopped, then follows the rename', () => {
    const lab = labWithKeys();
    lab.getState().runLine('SIM SET disk-mbps 0.002');
    lab.getState().runLine('DEBUG POPULATE 100');
    lab.getState().runLine('BGSAVE');
    lab.getState().advance(300);
    lab.getState().inspectFile('temp-4243.rdb');
    const partial = lab.getState().inspector;
    expect(partial).toMatchObject({ name: 'temp-4243.rdb', sizeBytes: 600, regions: [], error: { kind: 'incomplete' } });
    expect(partial?.error?.reason).toMatch(/end of the file|unexpected end/);
    lab.getState().advance(30_000);
    expect(lab.getState().inspector).toMatchObject({ name: 'dump.rdb', error: null, keyCount: 104 });
  });

  test('a picked file that disappears is kept, marked gone', () => {
    const lab = labWithKeys();
    lab.getState().runLine('SIM SET disk-mbps 0.002');
    lab.getState().runLine('DEBUG POPULATE 100');
    lab.getState().runLine('BGSAVE');
    lab.getState().advance(100);
    lab.getState().inspectFile('temp-4243.rdb');
    expect(lab.getState().inspector?.name).toBe('temp-4243.rdb');
    lab.getState().runLine('SIM KILLCHILD');
    lab.getState().advance(100);
    expect(lab.getState().inspector).toMatchObject({ name: 'temp-4243.rdb', gone: true });
    lab.getState().inspectFile(null);
    expect(lab.getState().inspector).toBeNull();
  });

  test('a corrupt byte fails the checksum; a file above the limit is shown unannotated', () => {
    const lab = labWithKeys();
    lab.getState().runLine('SAVE');
    const inspector = lab.getState().inspector;
    if (inspector === null) throw new Error('no inspector');
    const file = lab.getState().persistence.disk.files[0];
    if (file === undefined) throw new Error('no file');
    // One letter of a value changed: the file still parses, but its CRC-64 no longer matches.
    const value = inspector.regions.find((r) => r.kind === 'value' && r.detail.length === 5);
    if (value === undefined) throw new Error('no 5-byte value');
    const corrupt = inspector.bytes.slice();
    const at = value.offset + value.length - 1;
    corrupt[at] = (corrupt[at] ?? 0) ^ 0x20;
    expect(buildInspectorView(file, corrupt).error).toMatchObject({ kind: 'checksum' });
    const big = buildInspectorView(file, inspector.bytes, 100);
    expect(big).toMatchObject({ annotated: false, regions: [], error: null });
  });
});

describe('the inspector on the AOF’s files', () => {
  test('reads the manifest and an incr file; a rewrite’s temp file becoming the base is read anew as an RDB', () => {
    const lab = createLabStore({ epochMs: EPOCH_MS });
    lab.getState().runLine('CONFIG SET appendonly yes');
    lab.getState().advance(2000);
    lab.getState().runLine('SET a 1');

    lab.getState().inspectFile('appendonlydir/appendonly.aof.manifest');
    const manifest = lab.getState().inspector?.readAs;
    expect(manifest?.kind === 'manifest' && manifest.manifest.manifest?.incr.map((info) => info.fileName)).toEqual(['appendonly.aof.1.incr.aof']);

    lab.getState().inspectFile('appendonlydir/appendonly.aof.1.incr.aof');
    const incr = lab.getState().inspector;
    expect(incr).toMatchObject({ regions: [], error: null, readAs: { kind: 'aof', preamble: false, aof: { end: { kind: 'complete' } } } });
    lab.getState().runLine('SET b 2');
    const grown = lab.getState().inspector?.readAs;
    expect(grown?.kind === 'aof' && grown.aof?.commands.map((command) => command.argv.join(' '))).toEqual(['SELECT 0', 'SET a 1', 'SET b 2']);

    // A slow rewrite: its temp file is followed through the rename that makes it the new base.
    lab.getState().runLine('DEBUG POPULATE 200');
    lab.getState().runLine('SIM SET disk-mbps 0.0001');
    lab.getState().runLine('BGREWRITEAOF');
    lab.getState().advance(50);
    const temp = lab.getState().persistence.disk.files.find((file) => file.aofRole === 'rewrite-temp' && file.name.endsWith('.aof'));
    expect(temp).toBeDefined();
    lab.getState().inspectFile(temp?.name ?? null);
    expect(lab.getState().inspector?.readAs?.kind).toBe('aof');
    lab.getState().runLine('SIM SET disk-mbps 100');
    lab.getState().advance(5000);
    const base = lab.getState().inspector;
    expect(base).toMatchObject({ name: 'appendonlydir/appendonly.aof.2.base.rdb', gone: false, error: null, version: 10 });
    expect(base?.readAs).toBeUndefined();
    expect(base?.regions.some((region) => region.kind === 'aux' && region.detail.key === 'aof-base')).toBe(true);
  });
});
