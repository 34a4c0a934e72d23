import { formatNumber } from '../i18n/index.ts';

/**
 * Numbers with their units, as one run that reads the same in English and Arabic (`39,875 B`,
 * `4.0 KB`, `2,000 B/s`): units stay in Latin script, as Redis prints them, and every result is
 * wrapped in Unicode isolates (LRI … PDI), so inside an Arabic sentence it stays one left-to-right
 * run instead of coming out as `B 39,875`. The isolates are invisible, and substrings still match.
 */

const LRI = '\u2066';
const PDI = '\u2069';

/** One left-to-right run, whatever text surrounds it. */
export function ltrRun(text: string): string {
  return `${LRI}${text}${PDI}`;
}

const KB = 1024;
const MB = 1024 * 1024;

/** Exact bytes, grouped: what a directory listing shows. */
export function formatBytesExact(bytes: number, lng: string): string {
  return ltrRun(`${formatNumber(bytes, lng)} B`);
}

/** Bytes in the largest unit that keeps the number readable, 1024-based as Redis's logs are. */
export function formatBytes(bytes: number, lng: string): string {
  if (bytes < KB) return ltrRun(`${formatNumber(bytes, lng)} B`);
  const oneDecimal = { minimumFractionDigits: 1, maximumFractionDigits: 1 };
  if (bytes < MB) return ltrRun(`${formatNumber(bytes / KB, lng, oneDecimal)} KB`);
  return ltrRun(`${formatNumber(bytes / MB, lng, oneDecimal)} MB`);
}

/** The model's disk speed (SIM SET disk-mbps, 10^6 bytes per MB) as bytes or MB per second. */
export function formatDiskSpeed(mbPerSecond: number, lng: string): string {
  const bytesPerSecond = mbPerSecond * 1_000_000;
  if (bytesPerSecond < 1_000_000) return ltrRun(`${formatNumber(Math.round(bytesPerSecond), lng)} B/s`);
  return ltrRun(`${formatNumber(mbPerSecond, lng, { maximumFractionDigits: 1 })} MB/s`);
}

/** A share as a whole percentage, floored so 100% means done: `31%`. */
export function formatPercent(part: number, whole: number, lng: string): string {
  const ratio = whole <= 0 ? 0 : Math.floor((part / whole) * 100) / 100;
  return ltrRun(formatNumber(ratio, lng, { style: 'percent', maximumFractionDigits: 0 }));
}

/** A byte as two hex digits; an offset as eight. */
export function hexByte(value: number): string {
  return value.toString(16).padStart(2, '0');
}

export function hexOffset(offset: number): string {
  return offset.toString(16).padStart(8, '0');
}
