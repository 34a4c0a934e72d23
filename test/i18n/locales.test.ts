import { describe, expect, test } from 'vitest';
import { arabicStrings as ar, englishStrings as en, LOCALE_FILES } from '../../src/i18n/resources.ts';
import { proseDigits, setArabicDigits } from '../../src/i18n/format.ts';

/**
 * Locale parity: Arabic has every English key and no other, except for plurals, where English's
 * `_one`/`_other` become Arabic's six forms (Intl.PluralRules('ar') categories).
 */

const ENGLISH_PLURALS = ['one', 'other'];
const ARABIC_PLURALS = ['zero', 'one', 'two', 'few', 'many', 'other'];
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

function flatten(tree: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree as Record<string, unknown>)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

/** Base key → plural forms present ([] for a key that is not plural). */
function keySet(flat: Map<string, string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const key of flat.keys()) {
    const match = PLURAL_SUFFIX.exec(key);
    const base = match === null ? key : key.slice(0, match.index);
    const forms = out.get(base) ?? [];
    if (match !== null) forms.push(match[1] as string);
    out.set(base, forms);
  }
  return out;
}

const enFlat = flatten(en);
const arFlat = flatten(ar);
const enKeys = keySet(enFlat);
const arKeys = keySet(arFlat);

describe('locales', () => {
  test('each locale file owns its top-level keys: merging them never overwrites one', () => {
    for (const files of Object.values(LOCALE_FILES)) {
      const owners = new Map<string, string>();
      for (const [file, strings] of Object.entries(files)) {
        for (const key of Object.keys(strings)) {
          expect(owners.get(key), `${key} is in both ${owners.get(key)} and ${file}`).toBeUndefined();
          owners.set(key, file);
        }
      }
    }
  });

  test('the same keys in English and Arabic', () => {
    expect([...arKeys.keys()].sort()).toEqual([...enKeys.keys()].sort());
  });

  test.each([...enKeys].filter(([, forms]) => forms.length > 0))('plural %s: _one/_other in English, six forms in Arabic', (base, forms) => {
    expect(forms.sort()).toEqual([...ENGLISH_PLURALS].sort());
    expect((arKeys.get(base) ?? []).sort()).toEqual([...ARABIC_PLURALS].sort());
  });

  test('the Intl plural categories are the ones the files use', () => {
    expect(new Intl.PluralRules('en').resolvedOptions().pluralCategories.sort()).toEqual([...ENGLISH_PLURALS].sort());
    expect(new Intl.PluralRules('ar').resolvedOptions().pluralCategories.sort()).toEqual([...ARABIC_PLURALS].sort());
  });

  test('every translation is non-empty and uses only the interpolations English uses', () => {
    const variables = (text: string): string[] => [...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1] as string).sort();
    for (const [key, text] of arFlat) {
      expect(text.trim(), key).not.toBe('');
      const base = key.replace(PLURAL_SUFFIX, '');
      const englishForms = [...enFlat].filter(([k]) => k === base || k.replace(PLURAL_SUFFIX, '') === base);
      const allowed = new Set(englishForms.flatMap(([, english]) => variables(english)));
      // An Arabic form may omit the number ("مفتاح واحد"), never add a variable English lacks.
      for (const name of variables(text)) expect(allowed.has(name) || name === 'count', `${key}: {{${name}}}`).toBe(true);
    }
  });

  test('Arabic text is written in Arabic, not left in English', () => {
    const arabicLetter = /[\u0600-\u06ff]/;
    // Strings that are Redis vocabulary or units, the same in every language (see locales/README.md).
    const sameInEveryLanguage = new Set(['keyspace.ttl', 'clock.utc', 'clock.skip']);
    for (const [key, text] of arFlat) {
      if (sameInEveryLanguage.has(key)) expect(text, key).toBe(enFlat.get(key));
      else expect(arabicLetter.test(text), key).toBe(true);
    }
  });

  test('a left-to-right run isolated in Arabic never breaks across lines (no-break spaces inside)', () => {
    const isolated = /\u2066([^\u2069]*)\u2069/g;
    for (const [key, text] of arFlat) {
      for (const [, run] of text.matchAll(isolated)) expect(run, key).not.toMatch(/ /);
    }
  });

  test('the Arabic interface writes no number of its own as text: it interpolates it, so it follows the digits chosen', () => {
    // Numbers that are Redis's own (a field's or a directive's value), or Western digits shown on purpose.
    const redisValues = new Map([
      ['info.inProgress', 'the value INFO prints, rdb_bgsave_in_progress:1'],
      ['inspector.aux.aofBase', 'the aof-base AUX field’s values, 1 and 0'],
      ['inspector.aux.redisBits', 'the redis-bits AUX field’s values, 64 and 32'],
      ['config.explain.auto-aof-rewrite-percentage', 'the value that turns automatic rewrites off, 0'],
      ['settings.digitsWestern', 'the Western digits, shown as they are'],
    ]);
    setArabicDigits('arabic-indic');
    try {
      for (const [key, text] of arFlat) {
        // A lesson's sentences follow the setting as they are rendered (lesson-text.tsx).
        if (key.startsWith('lessons.') || redisValues.has(key)) continue;
        // Left as they are: interpolations, Latin runs isolated in the text, code, tags with their text.
        const prose = text.replace(/\{\{[^}]*\}\}|\u2066[^\u2069]*\u2069|`[^`]*`|<(\w+)>[^<]*<\/\1>/g, ' ');
        expect(proseDigits(prose, 'ar'), key).toBe(prose);
      }
    } finally {
      setArabicDigits('western');
    }
  });
});
