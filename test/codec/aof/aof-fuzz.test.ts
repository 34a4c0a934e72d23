// Seeded fuzzing: random, truncated and bit-flipped AOF files and manifests always give a
// classified result (or, for a manifest, an AofManifestError naming the line), never another
// exception and never a hang; truncation and --fix behave as the loader and the tool must.
import fc from 'fast-check';
import { encodeCommand } from '../../../src/codec/resp.ts';
import { AofDecodeError, readAof, type AofReadResult } from '../../../src/codec/aof/aof-reader.ts';
import { redisCheckAof } from '../../../src/codec/aof/check-aof.ts';
import { AofManifestError, formatManifest, parseManifest, type AofInfo, type AofManifest } from '../../../src/codec/aof/manifest.ts';
import { RdbDecodeError } from '../../../src/codec/rdb/rdb-error.ts';

const SEED = 20261124;
const bytesArb = (max: number) => fc.uint8Array({ maxLength: max }).map((b) => String.fromCharCode(...b));
const argArb = fc.oneof(fc.constantFrom('SET', 'set', 'MULTI', 'EXEC', 'INCR', 'DEL', '#TS:1', '', 'a\r\nb'), bytesArb(12));
const commandArb = fc.array(argArb, { minLength: 1, maxLength: 4 });
/** A well-formed AOF: commands, with annotation lines here and there. */
const aofArb = fc.array(fc.oneof({ weight: 5, arbitrary: commandArb.map(encodeCommand) }, { weight: 1, arbitrary: fc.constant('#TS:1795469513\r\n') }), { maxLength: 12 }).map((parts) => parts.join(''));

function flip(text: string, flips: [number, number][]): string {
  if (text.length === 0) return text;
  const bytes = [...text].map((c) => c.charCodeAt(0));
  for (const [at, bit] of flips) bytes[at % bytes.length]! ^= 1 << bit;
  return String.fromCharCode(...bytes);
}

/** Every result must be internally consistent, whatever the input. */
function checkResult(text: string, r: AofReadResult): void {
  let at = r.preamble?.length ?? 0;
  for (const c of r.commands) {
    expect(c.offset).toBeGreaterThanOrEqual(at);
    at = c.offset + c.length;
    expect(at).toBeLessThanOrEqual(text.length);
  }
  const end = r.end;
  switch (end.kind) {
    case 'complete':
      expect(r.openMulti).toBe(-1);
      break;
    case 'truncated':
      expect(end.validUpTo).toBeLessThanOrEqual(text.length);
      expect(end.offset).toBeLessThanOrEqual(text.length);
      expect(end.reason).not.toBe('');
      break;
    case 'rdb-error':
      expect(end.error).toBeInstanceOf(RdbDecodeError);
      break;
    default:
      expect(end.error).toBeInstanceOf(AofDecodeError);
      expect(end.error.offset).toBeGreaterThanOrEqual(0);
      expect(end.error.offset).toBeLessThanOrEqual(text.length);
      expect(end.error.reason).not.toBe('');
  }
}

function checkTool(text: string, fix: boolean): void {
  const r = redisCheckAof('x.aof', (p) => (p === 'x.aof' ? text : null), { fix });
  expect([0, 1]).toContain(r.exitCode);
  for (const t of r.truncated) expect(t.length).toBeLessThan(text.length);
  // What --fix leaves behind passes the check.
  if (fix && r.truncated.length === 1 && !text.startsWith('REDIS')) {
    const fixed = text.slice(0, r.truncated[0]!.length);
    expect(redisCheckAof('x.aof', () => fixed).exitCode).toBe(0);
  }
}

describe('readAof and redisCheckAof never fail unclassified', () => {
  it('on random bytes', () => {
    fc.assert(
      fc.property(fc.oneof(bytesArb(200), fc.constant('REDIS0010').chain((p) => bytesArb(60).map((t) => p + t))), (text) => {
        checkResult(text, readAof(text));
        checkTool(text, false);
        checkTool(text, true);
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('on bit-flipped well-formed files', () => {
    fc.assert(
      fc.property(aofArb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 4 }), (good, flips) => {
        const text = flip(good, flips);
        checkResult(text, readAof(text));
        checkTool(text, true);
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('on every prefix of a well-formed file: complete at a boundary, else truncated at the last whole command', () => {
    fc.assert(
      fc.property(aofArb, fc.nat(), (good, cutSeed) => {
        const full = readAof(good);
        expect(full.end.kind === 'complete' || (full.end.kind === 'truncated' && full.end.revertedMulti)).toBe(true);
        const cut = good.length === 0 ? 0 : cutSeed % (good.length + 1);
        const text = good.slice(0, cut);
        const r = readAof(text);
        checkResult(text, r);
        const whole = full.commands.filter((c) => c.offset + c.length <= cut);
        expect(r.commands).toEqual(whole);
        if (r.end.kind === 'truncated' && !r.end.revertedMulti) {
          expect(r.end.validUpTo).toBe(whole.length === 0 ? 0 : whole[whole.length - 1]!.offset + whole[whole.length - 1]!.length);
        }
        checkTool(text, true);
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('on huge counts and lengths without allocating or looping on them', () => {
    const text = '*2147483647\r\n$9223372036854775807\r\nabc' + '*99999999999999999999\r\n';
    checkResult(text, readAof(text));
    checkTool(text, true);
    expect(readAof('*1\r\n$99999999999\r\nab').end.kind).toBe('truncated');
  });
});

const nameArb = fc
  .string({ unit: fc.integer({ min: 1, max: 255 }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 20 })
  .filter((n) => !n.includes('/') && !n.includes('\\') && !n.includes("'"));
const infoArb = (type: 'b' | 'h' | 'i') => fc.record({ fileName: nameArb, seq: fc.integer({ min: 1, max: 2 ** 40 }), type: fc.constant(type) });

describe('manifests', () => {
  it('format then parse gives the manifest back, whatever the names', () => {
    const manifestArb = fc
      .record({ base: fc.option(infoArb('b'), { nil: null }), history: fc.array(infoArb('h'), { maxLength: 3 }), incr: fc.uniqueArray(fc.integer({ min: 1, max: 1e9 }), { maxLength: 4 }) })
      .chain((m) =>
        fc.array(nameArb, { minLength: m.incr.length, maxLength: m.incr.length }).map((names): AofManifest => ({
          base: m.base,
          history: m.history,
          incr: [...m.incr].sort((a, b) => a - b).map((seq, i): AofInfo => ({ fileName: names[i]!, seq, type: 'i' })),
        })),
      )
      .filter((m) => m.base !== null || m.history.length > 0 || m.incr.length > 0);
    fc.assert(
      fc.property(manifestArb, (m) => {
        const text = formatManifest(m);
        if (text.split('\n').some((l) => l.length >= 1024)) return;
        expect(parseManifest(text)).toEqual(m);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('random and mutated manifests parse or throw AofManifestError naming the line', () => {
    const good = 'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n';
    const textArb = fc.oneof(
      bytesArb(120),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 3 }).map((f) => flip(good, f)),
      fc.array(fc.constantFrom('file', 'seq', 'type', 'x', '1', '0', '-1', 'b', 'h', 'i', '"a b"', "'", '"', '#', ' ', '\t', '\n', '\r\n', '\\'), { maxLength: 30 }).map((t) => t.join(' ')),
    );
    fc.assert(
      fc.property(textArb, (text) => {
        try {
          parseManifest(text);
        } catch (e) {
          expect(e).toBeInstanceOf(AofManifestError);
          const err = e as AofManifestError;
          if (err.line !== null) {
            expect(err.line).toBeGreaterThanOrEqual(1);
            expect(err.line).toBeLessThanOrEqual(text.split('\n').length + Math.ceil(text.length / 1024));
          }
        }
        const tool = redisCheckAof('d/m', (p) => (p === 'd/m' ? text : null));
        expect([0, 1]).toContain(tool.exitCode);
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });
});

describe('cost', () => {
  it('reads big files in linear time, also without any newline', () => {
    const payload = 'x'.repeat(1 << 20);
    const big = encodeCommand(['SET', 'k', payload]).repeat(8) + '#' + 'y'.repeat(1 << 22);
    const t0 = performance.now();
    expect(readAof(big).commands.length).toBe(8);
    expect(readAof('*1\r\n$9\r\n' + 'z'.repeat(1 << 22)).end.kind).toBe('bad-format');
    expect(redisCheckAof('x.aof', () => big).exitCode).toBe(1);
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});
