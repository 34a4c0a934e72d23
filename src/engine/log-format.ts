import type { LogLevel } from './events.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `23 Nov 2026 21:28:06.214`: Redis's log timestamp, in UTC so that a scenario reads the same everywhere. */
export function formatLogTime(unixMs: number): string {
  const t = new Date(unixMs);
  return (
    `${pad(t.getUTCDate())} ${MONTHS[t.getUTCMonth()]} ${t.getUTCFullYear()} ` +
    `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}.${pad(t.getUTCMilliseconds(), 3)}`
  );
}

/** One line of redis-server's log: `<pid>:<role> <time> <level> <message>`. */
export function formatLogLine(pid: number, role: 'M' | 'C', unixMs: number, level: LogLevel, message: string): string {
  return `${pid}:${role} ${formatLogTime(unixMs)} ${level} ${message}`;
}
