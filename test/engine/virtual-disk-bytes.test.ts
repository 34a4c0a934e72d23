// A file's bytes are exactly what was written, whatever the sizes: appends across 1 MiB chunk
// boundaries, truncates then appends over the cut bytes, whole files placed or installed (big or
// small) then appended to; read and readRange copy any range.
import fc from 'fast-check';
import { VirtualDisk } from '../../src/engine/disk/virtual-disk.ts';

const SEED = 20261124;
/** The first offset where two byte arrays differ (-1: equal), a cheap check for MB-sized files. */
function firstDifference(a: Uint8Array | null, b: Uint8Array): number {
  if (a === null) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
type Op = { kind: 'append'; size: number } | { kind: 'truncate'; to: number } | { kind: 'place'; size: number } | { kind: 'create' };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 1_500_000 })).map((size) => ({ kind: 'append' as const, size })) },
  { weight: 2, arbitrary: fc.nat().map((to) => ({ kind: 'truncate' as const, to })) },
  { weight: 1, arbitrary: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 2_500_000 })).map((size) => ({ kind: 'place' as const, size })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'create' as const }) },
);

describe('VirtualDisk file bytes', () => {
  it('are what was written, across chunk boundaries, truncates and whole-file writes', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.integer({ min: 0, max: 2_200_000 }), fc.array(opArb, { maxLength: 8 }), fc.nat(), fc.nat(), (installed, installSize, ops, from, span) => {
        const disk = new VirtualDisk();
        let model = new Uint8Array(0);
        let stamp = 1;
        const fresh = (size: number) => {
          const bytes = new Uint8Array(size);
          const salt = stamp++;
          for (let i = 0; i < size; i++) bytes[i] = (i * 31 + salt) & 0xff;
          return bytes;
        };
        if (installed) {
          model = fresh(installSize);
          disk.install('f', model, 0);
        } else {
          disk.create('f', 0);
        }
        for (const op of ops) {
          if (op.kind === 'append') {
            const bytes = fresh(op.size);
            disk.append('f', bytes, 0);
            const next = new Uint8Array(model.length + bytes.length);
            next.set(model);
            next.set(bytes, model.length);
            model = next;
          } else if (op.kind === 'truncate') {
            const to = model.length === 0 ? 0 : op.to % (model.length + 1);
            disk.truncate('f', to);
            model = model.slice(0, to);
          } else if (op.kind === 'place') {
            model = fresh(op.size);
            disk.place('f', model, 0);
          } else {
            disk.create('f', 0);
            model = new Uint8Array(0);
          }
          expect(disk.sizeOf('f')).toBe(model.length);
        }
        expect(firstDifference(disk.read('f'), model)).toBe(-1);
        const start = model.length === 0 ? 0 : from % model.length;
        expect(firstDifference(disk.readRange('f', start, span % 3_000_000), model.slice(start, start + (span % 3_000_000)))).toBe(-1);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});
