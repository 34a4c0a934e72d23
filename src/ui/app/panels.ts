/**
 * The lab's panels by id. Each panel's `<section>` carries `data-panel="<id>"`: lessons highlight
 * a panel by it, and an embedding page chooses which panels show (`?panels=console,disk`).
 */
export const PANEL_IDS = [
  'console',
  'keyspace',
  'clock',
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
