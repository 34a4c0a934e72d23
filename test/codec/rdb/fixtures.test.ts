// Golden files from a real redis-server 7.0.15 (test/fixtures/real-redis-7.0/README.md says how
// they were made): each decodes to the keyspace the real server had, as its .expected.json
// records it, with the RDB encodings the README's table lists. Re-writing them with the writer
// gives the same file, byte for byte.
import { readFileSync } from 'node:fs';
import { readRdb, writeRdb } from '../../../src/codec/rdb/index.ts';
import { keyspaceJson, withoutEncoding } from './rdb-test-kit.ts';

const fixture = (name: string) => new URL(`../../fixtures/real-redis-7.0/${name}`, import.meta.url);
const rdb = (name: string) => new Uint8Array(readFileSync(fixture(`${name}.rdb`)));
const expected = (name: string) => withoutEncoding(JSON.parse(readFileSync(fixture(`${name}.expected.json`), 'utf8')));

describe.each(['rdb-strings', 'rdb-types'])('%s.rdb (real Redis 7.0.15)', (name) => {
  it('decodes to the expected keyspace', () => {
    expect(keyspaceJson(readRdb(rdb(name)))).toEqual(expected(name));
  });

  it("carries 7.0.15's AUX fields and a verified checksum", () => {
    const file = readRdb(rdb(name));
    expect(file.version).toBe(10);
    expect(file.aux.map((a) => a.key)).toEqual(['redis-ver', 'redis-bits', 'ctime', 'used-mem', 'aof-base']);
    expect(file.aux[0]?.value).toBe('7.0.15');
    expect(file.checksum?.status).toBe('ok');
    expect(file.length).toBe(rdb(name).length);
  });

  it('has regions that tile the file', () => {
    const bytes = rdb(name);
    let at = 0;
    for (const region of readRdb(bytes).regions) {
      expect(region.offset).toBe(at);
      expect(region.length).toBeGreaterThan(0);
      at += region.length;
    }
    expect(at).toBe(bytes.length);
  });

  it('round-trips through the writer', () => {
    const file = readRdb(rdb(name));
    const again = readRdb(writeRdb(file, { ctime: 1795469867, usedMem: 1345336 }));
    expect(keyspaceJson(again)).toEqual(expected(name));
  });

  it('is what the writer writes, byte for byte, given its AUX ctime and used-mem (LZF strings and blobs included)', () => {
    const file = readRdb(rdb(name));
    const aux = Object.fromEntries(file.aux.map((a) => [a.key, a.value]));
    expect(writeRdb(file, { ctime: Number(aux.ctime), usedMem: Number(aux['used-mem']) })).toEqual(rdb(name));
  });
});

describe('the encodings real Redis chose', () => {
  const encodings = (name: string) =>
    Object.fromEntries(readRdb(rdb(name)).dbs.flatMap((db) => db.entries.map((e) => [e.key, e.encoding])));
  const valueRegion = (name: string, key: string) => {
    const regions = readRdb(rdb(name)).regions;
    const k = regions.findIndex((r) => r.kind === 'key' && r.detail.key === key);
    return regions[k + 1]!;
  };

  it('rdb-types.rdb: the README table, key by key', () => {
    expect(encodings('rdb-types')).toEqual({
      'list:small': 'RDB_TYPE_LIST_QUICKLIST_2',
      'list:big': 'RDB_TYPE_LIST_QUICKLIST_2',
      'set:ints': 'RDB_TYPE_SET_INTSET',
      'set:strs': 'RDB_TYPE_SET',
      'set:bigints': 'RDB_TYPE_SET',
      'hash:small': 'RDB_TYPE_HASH_LISTPACK',
      'hash:big': 'RDB_TYPE_HASH',
      'hash:longvalue': 'RDB_TYPE_HASH',
      'zset:small': 'RDB_TYPE_ZSET_LISTPACK',
      'zset:big': 'RDB_TYPE_ZSET_2',
      'db2:key': 'RDB_TYPE_STRING',
    });
    expect(valueRegion('rdb-types', 'list:big').detail).toEqual({ nodes: 4, lzfBlobs: 4, elements: 2000 });
    expect(valueRegion('rdb-types', 'list:small').detail).toEqual({ nodes: 1, elements: 6 });
    expect(valueRegion('rdb-types', 'set:ints').detail).toEqual({ lzfBlobs: 1, elements: 7 });
  });

  it('rdb-strings.rdb: INT8/16/32 for small integers, raw text for the rest, LZF for the long repetitive one', () => {
    const enc = (key: string) => valueRegion('rdb-strings', key).detail.encoding;
    expect([enc('negative'), enc('counter'), enc('int32max')]).toEqual(['RDB_ENC_INT8', 'RDB_ENC_INT16', 'RDB_ENC_INT32']);
    expect([enc('bigint'), enc('leadingzero'), enc('float'), enc('shortnocompress')]).toEqual(['raw', 'raw', 'raw', 'raw']);
    expect(enc('compressible')).toBe('RDB_ENC_LZF');
  });

  it('the writer picks the same encoding for every key of both files', () => {
    for (const name of ['rdb-strings', 'rdb-types']) {
      const file = readRdb(rdb(name));
      const mine = readRdb(writeRdb(file, { ctime: 0, usedMem: 0 }));
      const stringEncodings = (f: typeof file) => f.regions.filter((r) => r.kind === 'value').map((r) => [r.name, r.detail.encoding, r.detail.nodes, r.detail.elements]);
      expect(stringEncodings(mine)).toEqual(stringEncodings(file));
    }
  });
});
