/**
 * The architecture's rules, checked on every test run (DESIGN.md §3):
 * - src/codec imports nothing outside src/codec;
 * - src/engine imports only src/engine and src/codec;
 * - neither touches React, the DOM, the wall clock, Math.random, timers or Node's APIs, so the
 *   engine stays pure and deterministic;
 * - only src/node may use Node's APIs, and nothing in the web app imports src/node.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx)$/.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

/** Source without comments and string contents, so that prose and messages cannot trip the checks. */
function codeOnly(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/(^|[^:\\])\/\/.*$/gm, '$1')
    .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, '""');
}

function importsOf(source: string): string[] {
  const specifiers: string[] = [];
  const pattern = /(?:^|[^\w.])(?:import|export)\s[^;]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;
  for (const match of source.matchAll(pattern)) specifiers.push((match[1] ?? match[2] ?? match[3]) as string);
  return specifiers;
}

/** Globals that would make a pure layer depend on the world outside it. */
const IMPURE = [
  { pattern: /\bDate\.now\b/, why: 'reads the wall clock' },
  { pattern: /\bnew Date\(\s*\)/, why: 'reads the wall clock' },
  { pattern: /\bperformance\b/, why: 'reads the wall clock' },
  { pattern: /\bMath\.random\b/, why: 'is not seeded' },
  { pattern: /\b(setTimeout|setInterval|setImmediate|queueMicrotask|requestAnimationFrame)\b/, why: 'is a timer' },
  // A property of the same name (engine.process, { window: … }) is fine; the global is not.
  { pattern: /(?<![.\w$])(window|document|navigator|localStorage|globalThis)\b(?!\s*:)/, why: 'is the browser' },
  { pattern: /(?<![.\w$])(process|Buffer|require)\b(?!\s*:)/, why: 'is Node' },
];

/** Every broken rule in one file of a layer, given the layers it may import. */
export function violations(file: string, source: string, allowedLayers: readonly string[], pure: boolean): string[] {
  const found: string[] = [];
  for (const specifier of importsOf(source)) {
    if (!specifier.startsWith('.')) {
      found.push(`${file} imports the package '${specifier}'`);
      continue;
    }
    const target = relative(ROOT, resolve(ROOT, dirname(file), specifier));
    if (!allowedLayers.some((layer) => target === layer || target.startsWith(`${layer}/`))) {
      found.push(`${file} imports ${target}, outside ${allowedLayers.join(' and ')}`);
    }
  }
  if (pure) {
    const code = codeOnly(source);
    for (const { pattern, why } of IMPURE) {
      const hit = code.match(pattern);
      if (hit) found.push(`${file} uses ${hit[0]}, which ${why}`);
    }
  }
  return found;
}

const LAYERS = [
  { dir: 'src/codec', allowed: ['src/codec'] },
  { dir: 'src/engine', allowed: ['src/engine', 'src/codec'] },
];

describe('layer boundaries', () => {
  for (const { dir, allowed } of LAYERS) {
    it(`${dir} imports only ${allowed.join(' and ')}, and is pure`, () => {
      const files = sourceFiles(dir);
      expect(files.length).toBeGreaterThan(0);
      const found = files.flatMap((file) => violations(file, readFileSync(join(ROOT, file), 'utf8'), allowed, true));
      expect(found).toEqual([]);
    });
  }

  it('no web-app layer imports the Node-only headless server', () => {
    const webFiles = ['src/codec', 'src/engine', 'src/store', 'src/ui', 'src/i18n', 'src/embed']
      .flatMap((dir) => { try { return sourceFiles(dir); } catch { return []; } });
    const found = webFiles.filter((file) =>
      importsOf(readFileSync(join(ROOT, file), 'utf8')).some((s) => s.includes('/node/') || s.startsWith('node:')),
    );
    expect(found).toEqual([]);
  });

  it('the checker catches each kind of violation (so a pass means something)', () => {
    const check = (source: string) => violations('src/engine/sample.ts', source, ['src/engine', 'src/codec'], true);
    expect(check(`import { create } from 'zustand';`)).toHaveLength(1);
    expect(check(`import { x } from '../store/store.ts';`)).toHaveLength(1);
    expect(check(`import { x } from '../codec/resp.ts';`)).toEqual([]);
    expect(check(`const t = Date.now();`)).toHaveLength(1);
    expect(check(`const t = new Date();`)).toHaveLength(1);
    expect(check(`const t = new Date(ms);`)).toEqual([]);
    expect(check(`const r = Math.random();`)).toHaveLength(1);
    expect(check(`setTimeout(f, 1);`)).toHaveLength(1);
    expect(check(`document.title = 'x';`)).toHaveLength(1);
    expect(check(`const b = Buffer.from('x');`)).toHaveLength(1);
    expect(check(`process.exit(1);`)).toHaveLength(1);
    expect(check(`const child = engine.process; const o = { process: 1 };`)).toEqual([]);
    expect(check(`// Date.now() is never called here\nconst s = 'Math.random';`)).toEqual([]);
  });
});
