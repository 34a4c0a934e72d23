import { formatNumber } from '../../i18n/index.ts';
import { ltrRun } from '../format-units.ts';

/**
 * Simulated durations as one left-to-right run with their unit, as the crash panels print them:
 * `0.6 s`, `25 s`, `12 ms`. Under a second, milliseconds; from a second on, seconds with at most
 * one decimal, so a loss window reads at a glance.
 */
export function formatSimDuration(ms: number, lng: string): string {
  const value = Math.max(0, ms);
  if (value < 1000) return ltrRun(`${formatNumber(Math.round(value), lng)} ms`);
  return ltrRun(`${formatNumber(value / 1000, lng, { maximumFractionDigits: 1 })} s`);
}
