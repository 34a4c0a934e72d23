/**
 * A hand-made lz-string stream (URI-safe form) that expands quadratically: one literal `a`, then
 * `codes` codes each naming the dictionary entry being defined (`a`, `aa`, `aaa`, …), so a few
 * kilobytes decode to about codes²/2 characters. What a hostile permalink could carry.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';

export function expansionBomb(codes: number): string {
  const bits: number[] = [];
  // lz-string writes each value least significant bit first.
  const write = (value: number, width: number): void => {
    for (let bit = 0; bit < width; bit++) bits.push((value >> bit) & 1);
  };
  write(0, 2); // an 8-bit literal follows
  write('a'.charCodeAt(0), 8);
  let width = 3;
  let room = 4;
  let next = 4;
  for (let i = 0; i < codes; i++) {
    write(next++, width);
    room--;
    if (room === 0) {
      room = 2 ** width;
      width++;
    }
  }
  write(2, width); // end of stream
  let text = '';
  for (let at = 0; at < bits.length; at += 6) {
    let value = 0;
    for (let bit = 0; bit < 6; bit++) value |= (bits[at + bit] ?? 0) << (5 - bit);
    text += ALPHABET[value];
  }
  return text;
}

/** The length of what `expansionBomb(codes)` decodes to. */
export function bombLength(codes: number): number {
  return 1 + (codes * (codes + 3)) / 2;
}
