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

/**
 * Digits for Arabic: Western (the default, what Redis prints) or Arabic-Indic (a display setting).
 *
 * Which numbers follow the setting: every number the lab says in its own words — counts, sizes,
 * durations, times of day, percentages, moments of the timeline, a decimal byte offset, and labels
 * such as the `+10 s` button (the lab's words, not a command: a duration with its unit, like
 * `300 ms` in the crash card). Which stay Western, whatever the setting: Redis's own text —
 * replies, log lines, commands and their arguments, config values, file names, hex offsets — and
 * the numbers that name a thing Redis prints: a pid (`temp-4243.rdb`, `4243:C` in the log), a
 * database index, a signal, an RDB format version. A learner matches those against Redis's text,
 * character for character.
 */
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

/**
 * A number standing alone in prose: not part of a Latin word (`SIGUSR1`, `CRC‑64`, `0xff`), of a
 * name or value (`user:1`, `7.0.15`), nor after a Latin word and a space (`Redis 7.0`).
 */
const PROSE_NUMBER = /(?<![\p{Script=Latin}\d_.,:/\u2011-]|\p{Script=Latin}[\p{L}\p{N}_.\u2011-]*[ \u00a0])\d+(?:,\d{3})*(?:\.\d+)?(?![\p{Script=Latin}\d_:]|[.,]\d)/gu;

/**
 * Numbers written into prose as text (a lesson's sentences), in the digits the reader chose: in
 * Arabic with Arabic-Indic digits `10,000` becomes `١٠٬٠٠٠`, written as it was, digit for digit.
 * The caller passes prose only, never code (a lesson's backticked islands stay as they are).
 */
export function proseDigits(text: string, lng: string): string {
  if (languageInfo(lng).code !== 'ar' || arabicDigits !== 'arabic-indic') return text;
  // U+0660–0669 are the digits; U+066C and U+066B the Arabic thousands and decimal separators.
  return text.replace(PROSE_NUMBER, (number) =>
    number.replace(/[\d,.]/g, (char) => (char === ',' ? '\u066c' : char === '.' ? '\u066b' : String.fromCharCode(0x0660 + Number(char)))),
  );
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
