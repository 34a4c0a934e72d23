/**
 * The lab's panels by id. Each panel's `<section>` carries `data-panel="<id>"`: lessons highlight
 * a panel by it, and an embedding page chooses which panels show (`?panels=console,disk`).
 */
// The timeline bar holds the simulated clock too: `timeline` is the clock's panel.
export const PANEL_IDS = [
  'console',
  'keyspace',
  'snapshot',
  'lifecycle',
  'config',
  'processes',
  'disk',
  'aof',
  'inspector',
  'info',
  'log',
  'timeline',
  'compare',
] as const;

export type PanelId = (typeof PANEL_IDS)[number];

export function isPanelId(value: string): value is PanelId {
  return (PANEL_IDS as readonly string[]).includes(value);
}
