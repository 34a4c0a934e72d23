/**
 * The keyspace behind test/fixtures/real-redis-7.0/lzf-corpus.rdb: values made to try every
 * choice liblzf makes (lengths around Redis's 20-byte threshold, runs around the 264-byte longest
 * back-reference, repeats at many distances up to past the 8192-byte window, literal runs around
 * 32 bytes, matches ending near the input's end, triples that share a hash slot, text, random
 * bytes, and short strings near the "saves at least 4 bytes" line), plus a few listpack and intset
 * blobs. Deterministic: a seeded xorshift, no Math.random. lzf-capture.ts stores it in a real
 * redis-server; lzf-real-redis.test.ts checks the file against it.
 */
import { utf8ToBin } from '../../../src/codec/bytes.ts';
import type { RdbKeyData, RdbKeyspace } from '../../../src/codec/rdb/index.ts';

/** xorshift32: the same bytes on every run and every machine. */
function randomBytes(seed: number): (n: number, alphabet?: string) => string {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  return (n, alphabet) => {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet === undefined ? String.fromCharCode(next() & 0xff) : alphabet[next() % alphabet.length];
    return out;
  };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
/** `unit` repeated and cut to `n` bytes. */
const cycle = (unit: string, n: number) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);

function strings(): [string, string][] {
  const out: [string, string][] = [];
  const add = (key: string, value: string) => out.push([key, value]);

  // One byte repeated, across the 20-byte threshold (20 and under are never tried) and the
  // lengths where a match meets the end of the input.
  for (const n of range(18, 44)) add(`run:a:${n}`, 'a'.repeat(n));
  for (const n of range(19, 26)) add(`run:ab:${n}`, cycle('ab', n));
  // Around the longest back-reference (264 bytes) and its multiples.
  for (const n of [...range(262, 272), 528, 529, 530, 531, 532, 1000, 4099]) add(`run:z:${n}`, 'z'.repeat(n));
  add('run:z:100000', 'z'.repeat(100_000));
  add('run:nul:300', '\x00'.repeat(300));
  add('run:ff:300', '\xff'.repeat(300));

  // A random unit repeated: back-references at distance p.
  const rnd = randomBytes(7);
  for (const p of [...range(2, 17), 31, 32, 33, 63, 64, 65, 255, 256, 257, 1000, 4096]) add(`period:${p}`, cycle(rnd(p), 2 * p + 300));
  add('period:bytes', cycle(Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join(''), 1500));

  // A random block and then its first 1000 bytes again: distance D, around the 8192-byte window.
  for (const d of [8191, 8192, 8193]) {
    const block = randomBytes(d)(d);
    add(`distance:${d}`, block + block.slice(0, 1000));
  }

  // Literal runs of 31–33 and 63–65 bytes before the first back-reference, and after one.
  for (const l of [31, 32, 33, 63, 64, 65]) {
    add(`literals:${l}`, rnd(l) + 'q'.repeat(40));
    add(`literals:after:${l}`, 'q'.repeat(40) + rnd(l) + 'q'.repeat(40));
  }

  // A 10-byte unit repeated, cut so that the first match starts m − 1 bytes before the end:
  // where liblzf's 16-bytes-at-once comparison lets a match run to the end.
  const unit = rnd(10);
  for (const m of range(12, 28)) add(`tail:${m}`, unit + cycle(unit, m));
  // A back-reference whose natural end falls 0–4 bytes before the input's end.
  const head = rnd(40);
  for (const k of range(0, 4)) add(`tail:cut:${k}`, head + rnd(30) + head.slice(0, 40 - k));

  // Triples that share a slot in liblzf's hash ('abc', 'H]b', 'ec0'; 'xyz', 'Fox', '_ty'; 'red', 'Y`c'):
  // each overwrites the other's position, so a repeat is found only when its own triple came last.
  add('collide:1', 'abcH]babcH]babcH]babcH]babcH]babcH]b');
  add('collide:2', 'abcH]bec0abcH]bec0abc'.repeat(4));
  add('collide:3', 'xyzFox_tyxyz_tyFoxxyzFox_ty'.repeat(3) + 'redY`credY`c'.repeat(3));
  add('collide:4', `${'abc'.repeat(12)}H]b${'abc'.repeat(12)}`);

  // Output that runs out of room part way, and output that fits just in time.
  for (const k of range(3, 12)) {
    add(`late:${k}`, rnd(300) + 'a'.repeat(k + 8));
    add(`early:${k}`, 'a'.repeat(k + 8) + rnd(300));
  }

  // Short strings of every length from 21 to 80, drawn from a mix of copied pieces and fresh
  // bytes: their compressed sizes straddle Redis's "length − 4" limit.
  const mix = randomBytes(2026);
  for (let j = 0; j < 240; j++) {
    const n = 21 + (j % 60);
    const fresh = 1 + (j % 7);
    let v = '';
    while (v.length < n) {
      const roll = mix(1).charCodeAt(0);
      if (v.length >= 4 && roll % 8 >= fresh) {
        const from = roll % v.length;
        v += v.slice(from, from + 3 + (roll % 6));
      } else v += mix(1 + (roll % 3), 'abcdefghijklmnop');
    }
    add(`edge:${j}`, v.slice(0, n));
  }

  // The fidelity report's case: 40-byte repetitive values.
  for (const i of range(0, 29)) add(`forty:${i}`, cycle(`value-${i}-`, 40));

  // Text and JSON from a small vocabulary; random bytes that never compress.
  const words = ['redis', 'persistence', 'snapshot', 'fork', 'copy-on-write', 'the', 'a', 'of', 'append', 'only', 'file', 'fsync', 'every', 'second', 'rewrite', 'رديس', 'لقطة'].map(utf8ToBin);
  const pick = randomBytes(99);
  let text = '';
  while (text.length < 40_000) text += `${words[pick(1).charCodeAt(0) % words.length]} `;
  add('text:40k', text.slice(0, 40_000));
  let json = '[';
  for (let i = 0; json.length < 20_000; i++) json += `{"id":${i},"name":"user-${pick(5, 'abcdefghij')}","tags":["${words[i % words.length]}"]},`;
  add('text:json', `${json.slice(0, -1)}]`);
  for (const n of [21, 64, 2000]) add(`random:${n}`, randomBytes(n)(n));
  return out;
}

/** The whole corpus: the strings in db 0, the blobs (hash, list and set encodings) in db 1. */
export function lzfCorpus(): RdbKeyspace {
  const blobs: RdbKeyData[] = [
    { key: 'hash:listpack', type: 'hash', value: range(0, 19).map((i) => [`field-${i}`, cycle(`v${i}`, 40)] as const) },
    { key: 'list:quicklist', type: 'list', value: range(0, 499).map((i) => `item-${String(i).padStart(5, '0')}`) },
    { key: 'set:intset', type: 'set', value: range(0, 299).map((i) => String(i * 3)) },
  ];
  return {
    dbs: [
      { index: 0, entries: strings().map(([key, value]): RdbKeyData => ({ key, type: 'string', value })) },
      { index: 1, entries: blobs },
    ],
  };
}
