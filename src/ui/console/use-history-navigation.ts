import { useRef, useState } from 'react';

/**
 * ArrowUp / ArrowDown through the lines already run, as in redis-cli (linenoise): Up from the
 * line being typed shows the newest line run; Down past the newest brings back what was being
 * typed.
 */
export function useHistoryNavigation(history: readonly string[], draft: string, setDraft: (line: string) => void) {
  // null: the learner is on their own line; otherwise an index into history.
  const [position, setPosition] = useState<number | null>(null);
  const ownLine = useRef('');

  const older = (): void => {
    if (history.length === 0) return;
    if (position === null) ownLine.current = draft;
    const next = position === null ? history.length - 1 : Math.max(0, position - 1);
    setPosition(next);
    setDraft(history[next] ?? '');
  };

  const newer = (): void => {
    if (position === null) return;
    const next = position + 1;
    if (next >= history.length) {
      setPosition(null);
      setDraft(ownLine.current);
    } else {
      setPosition(next);
      setDraft(history[next] ?? '');
    }
  };

  /** After a line runs, or the learner edits, they are back on their own line. */
  const leave = (): void => setPosition(null);

  return { older, newer, leave };
}
