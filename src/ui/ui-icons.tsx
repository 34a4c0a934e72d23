/** Small inline icons. Decorative: each sits next to text that carries the meaning. */
export function ErrorIcon() {
  return (
    <svg className="icon icon-error" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <circle cx="8" cy="8" r="7" fill="currentColor" />
      <path d="M8 4v5" stroke="var(--icon-contrast)" strokeWidth="2" strokeLinecap="round" />
      <circle cx="8" cy="11.75" r="1.1" fill="var(--icon-contrast)" />
    </svg>
  );
}

export function ClockIcon() {
  return (
    <svg className="icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <path d="M8 4.5V8l2.5 1.5" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
    </svg>
  );
}

/** A step along time: a bar and a triangle pointing the way (forward by default; CSS mirrors it in RTL). */
export function StepIcon({ direction }: { direction: 'back' | 'forward' }) {
  return (
    <svg className="icon flip-in-rtl" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <g transform={direction === 'back' ? 'matrix(-1 0 0 1 16 0)' : undefined}>
        <path d="M3 3l8 5-8 5z" fill="currentColor" />
        <rect x="11.5" y="3" width="2" height="10" fill="currentColor" />
      </g>
    </svg>
  );
}
