/** One entry of a legend: the classes that draw its swatch, and what the swatch stands for. */
export interface LegendEntry {
  readonly swatch: string;
  readonly text: string;
}

/**
 * A panel's key to its colours and shapes. The swatches are decorative (`aria-hidden`): each sits
 * beside the words that carry its meaning, so the list reads the same to a screen reader.
 * Entries given as `false` are left out, so a panel can list the ones that apply inline.
 */
export function Legend({ label, entries }: { label: string; entries: readonly (LegendEntry | false)[] }) {
  return (
    <ul className="legend" aria-label={label}>
      {entries.map(
        (entry) =>
          entry !== false && (
            <li key={entry.swatch}>
              <span className={entry.swatch} aria-hidden="true" /> {entry.text}
            </li>
          ),
      )}
    </ul>
  );
}
