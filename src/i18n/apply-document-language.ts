import type { Language } from './languages.ts';

/**
 * The only writer of `<html lang dir>`. Everything that mirrors in Arabic (CSS logical properties,
 * the grid, the switch) follows from these two attributes.
 */
export function applyDocumentLanguage(language: Language, doc: Document = document): void {
  doc.documentElement.lang = language.code;
  doc.documentElement.dir = language.dir;
}
