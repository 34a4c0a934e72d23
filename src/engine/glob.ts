/**
 * Redis's glob-style pattern matching (stringmatchlen) over bin strings, as used by KEYS, SCAN
 * MATCH and CONFIG GET: `*`, `?`, `[abc]`, `[a-z]`, `[^a-z]` (Redis negates a class with `^` only),
 * and `\` escapes the next character. `nocase` folds ASCII letters only.
 */
export function globMatch(pattern: string, subject: string, nocase = false): boolean {
  return matchFrom(pattern, 0, subject, 0, nocase, 0);
}

const fold = (code: number, nocase: boolean): number =>
  nocase && code >= 65 && code <= 90 ? code + 32 : code;

function matchFrom(p: string, pi: number, s: string, si: number, nocase: boolean, depth: number): boolean {
  // Redis bounds recursion the same way, so a hostile pattern of many stars cannot hang the node.
  if (depth > 1000) return false;
  while (pi < p.length && si <= s.length) {
    const c = p[pi];
    if (c === '*') {
      while (p[pi + 1] === '*') pi++;
      if (pi + 1 === p.length) return true;
      for (let k = si; k <= s.length; k++) {
        if (matchFrom(p, pi + 1, s, k, nocase, depth + 1)) return true;
      }
      return false;
    }
    if (si === s.length) break;
    if (c === '?') {
      pi++;
      si++;
      continue;
    }
    if (c === '[') {
      pi++;
      const negate = p[pi] === '^';
      if (negate) pi++;
      let matched = false;
      const sc = fold(s.charCodeAt(si), nocase);
      while (pi < p.length && p[pi] !== ']') {
        if (p[pi] === '\\' && pi + 1 < p.length) {
          pi++;
          if (fold(p.charCodeAt(pi), nocase) === sc) matched = true;
        } else if (p[pi + 1] === '-' && pi + 2 < p.length) {
          let lo = fold(p.charCodeAt(pi), nocase);
          let hi = fold(p.charCodeAt(pi + 2), nocase);
          if (lo > hi) [lo, hi] = [hi, lo];
          if (sc >= lo && sc <= hi) matched = true;
          pi += 2;
        } else if (fold(p.charCodeAt(pi), nocase) === sc) {
          matched = true;
        }
        pi++;
      }
      if (negate) matched = !matched;
      if (!matched) return false;
      // Past the `]`; a class left open runs to the end of the pattern, as in Redis.
      if (pi < p.length) pi++;
      si++;
      continue;
    }
    if (c === '\\' && pi + 1 < p.length) pi++;
    if (fold(p.charCodeAt(pi), nocase) !== fold(s.charCodeAt(si), nocase)) return false;
    pi++;
    si++;
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length && si === s.length;
}
