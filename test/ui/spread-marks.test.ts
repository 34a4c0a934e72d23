// The timeline's marks, spread where they would cover each other (a crash and the restart a moment later).
import { describe, expect, test } from 'vitest';
import { spreadMarks } from '../../src/ui/timeline/spread-marks.ts';

/** Where each mark lands: its place plus its move. */
const placed = (xs: number[], spacing: number, width: number): number[] => spreadMarks(xs, spacing, width).map((move, index) => (xs[index] as number) + move);

describe('spreadMarks', () => {
  test('marks far enough apart stay where they are', () => {
    expect(spreadMarks([10, 100, 300], 14, 1000)).toEqual([0, 0, 0]);
  });

  test('two marks on nearly the same pixel move apart by the spacing, in their order, centred where they were', () => {
    expect(placed([400, 401], 14, 1000)).toEqual([393.5, 407.5]);
  });

  test('a group grows while the next mark would still touch it, and the rest keep their places', () => {
    expect(placed([100, 110, 124, 500], 14, 1000)).toEqual([100 + 34 / 3 - 14, 100 + 34 / 3, 100 + 34 / 3 + 14, 500]);
  });

  test('a group at an end of the bar stays inside it', () => {
    expect(placed([0, 1], 14, 1000)).toEqual([0, 14]);
    expect(placed([999, 1000], 14, 1000)).toEqual([986, 1000]);
  });

  test('spreading a group can make it reach the one before: the two merge', () => {
    // 120 and 121 spread to 113.5 and 127.5, which now touches the mark at 100: three around 113.67.
    const at = placed([100, 120, 121], 14, 1000);
    expect(at[1]! - at[0]!).toBeCloseTo(14);
    expect(at[2]! - at[1]!).toBeCloseTo(14);
    expect(at[1]).toBeCloseTo((100 + 120 + 121) / 3);
  });

  test('before the bar is laid out (no width), nothing moves', () => {
    expect(spreadMarks([5, 5, 5], 14, 0)).toEqual([0, 0, 0]);
  });
});
