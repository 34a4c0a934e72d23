import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';

/**
 * The UI layer's import rules, checked rather than only written (DESIGN.md §3): the UI reaches the
 * engine only through the store (engine imports in src/ui are type-only), React enters the store
 * through one bridge file, and i18n knows nothing of the engine or the store.
 */

const ROOT = join(import.meta.dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx)$/.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

/** Every `import … from '…'` with whether it is type-only. */
function imports(file: string): { from: string; typeOnly: boolean }[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/^import\s+(type\s+)?[^'";]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => ({
    from: m[2] as string,
    typeOnly: m[1] !== undefined,
  }));
}

describe('import boundaries', () => {
  test.each(sourceFiles('src/ui'))('%s imports the engine for types only', (file) => {
    const engineValues = imports(file).filter((i) => /\/engine(\/|$)/.test(i.from) && !i.typeOnly);
    expect(engineValues).toEqual([]);
  });

  test.each(sourceFiles('src/store'))('%s: only the bridge imports React', (file) => {
    const react = imports(file).filter((i) => /^(react|react-dom|motion)(\/|$)/.test(i.from) || i.from === 'zustand');
    if (file.endsWith('react.tsx')) expect(react.length).toBeGreaterThan(0);
    else expect(react).toEqual([]);
  });

  test.each(sourceFiles('src/i18n'))('%s knows nothing of the engine or the store', (file) => {
    expect(imports(file).filter((i) => /\/(engine|store|ui)(\/|$)/.test(i.from))).toEqual([]);
  });
});
