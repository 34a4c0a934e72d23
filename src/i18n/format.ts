import { languageInfo } from './languages.ts';

/**
 * Intl formatters with explicit options, keyed by the lab's language code. Formatters are cached:
 * the clock and the TTL countdowns format ten times a second.
 */

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

/** Digits for Arabic: Western (the default, what Redis prints) or Arabic-Indic (a display setting). */
export type DigitStyle = 'western' | 'arabic-indic';
let arabicDigits: DigitStyle = 'western';

/** Sets the digits every formatter below uses for Arabic (English always has Western digits). */
export function setArabicDigits(style: DigitStyle): void {
  arabicDigits = style;
}

/** The Intl locale for a language, with the digit setting applied. */
function intlLocale(lng: string): string {
  const language = languageInfo(lng);
  return language.code === 'ar' && arabicDigits === 'arabic-indic' ? language.intlLocale.replace('-u-nu-latn', '-u-nu-arab') : language.intlLocale;
}

/** An integer or decimal with the language's grouping, in Western digits unless Arabic-Indic ones are set. */
export function formatNumber(value: number, lng: string, options: Intl.NumberFormatOptions = {}): string {
  const locale = intlLocale(lng);
  const format = cached(numberFormats, `${locale}|${JSON.stringify(options)}`, () => new Intl.NumberFormat(locale, options));
  return format.format(value);
}

/** Seconds with one decimal, e.g. TTL countdowns: `29.4`. The unit is added by the caller. */
export function formatSeconds(ms: number, lng: string): string {
  return formatNumber(Math.max(0, ms) / 1000, lng, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

/** The simulated clock's time of day in UTC, 24-hour: `09:00:05`. */
export function formatUtcTime(unixMs: number, lng: string): string {
  const locale = intlLocale(lng);
  const format = cached(dateFormats, `${locale}|time`, () =>
    new Intl.DateTimeFormat(locale, { timeZone: 'UTC', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }),
  );
  return format.format(unixMs);
}

/** The simulated clock's date in UTC, in words: `Thursday, 1 January 2026`. */
export function formatUtcDate(unixMs: number, lng: string): string {
  const locale = intlLocale(lng);
  const format = cached(dateFormats, `${locale}|date`, () =>
    new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }),
  );
  return format.format(unixMs);
}
