/**
 * Where the timeline's marks go when some sit too close to read: a crash and the restart right
 * after it are one or two moments apart on a tape of thousands, so their ✕ and ● land on the same
 * pixels. Marks closer than `spacing` are gathered into a group laid out side by side, in their
 * order, centred on where the group's marks belong, and kept inside the bar. Pure geometry: `xs`
 * are the marks' places along the bar (px from its start, in tape order), the result how far each
 * mark moves from its place.
 */
export function spreadMarks(xs: readonly number[], spacing: number, barWidth: number): number[] {
  // Not laid out yet (or not in a browser): every mark at its place.
  if (barWidth <= 0) return xs.map(() => 0);
  interface Group {
    readonly first: number;
    count: number;
    sum: number;
    start: number;
  }
  const place = (group: Group): void => {
    const span = (group.count - 1) * spacing;
    const start = group.sum / group.count - span / 2;
    // A group wider than the bar starts at its start; otherwise it stays inside.
    group.start = Math.max(0, Math.min(start, barWidth - span));
  };
  const groups: Group[] = [];
  xs.forEach((x, index) => {
    const group: Group = { first: index, count: 1, sum: x, start: x };
    place(group);
    groups.push(group);
    // Merge with the group before while the two would overlap; the merged group may reach further back.
    for (;;) {
      const last = groups.at(-1) as Group;
      const before = groups.at(-2);
      if (before === undefined || last.start - (before.start + (before.count - 1) * spacing) >= spacing) break;
      before.count += last.count;
      before.sum += last.sum;
      place(before);
      groups.pop();
    }
  });
  return groups.flatMap((group) => Array.from({ length: group.count }, (_, k) => group.start + k * spacing - (xs[group.first + k] as number)));
}
