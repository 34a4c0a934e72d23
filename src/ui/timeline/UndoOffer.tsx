import { useEffect, useRef, useState } from 'react';
import { useLab } from '../../store/react.tsx';
import type { UndoableChange } from '../../store/undo.ts';

/** How long an undo stays offered once nothing holds it (the pointer over it, the focus in it). */
export const UNDO_OFFER_MS = 10_000;

/**
 * An Undo for a few seconds after a change that drops work (a reset, a branch), instead of a
 * dialog before it: a lab projected in class is never held up by a question, and a slip costs one
 * key. The undo takes the focus (unless the student is typing on), so Enter undoes and Escape
 * (or Tab away) lets it go; its time runs only while neither the focus nor the pointer is on it
 * (nobody loses it while reaching for it). It leaves as soon as the student does something new, which an undo would throw away.
 * `onClose` gets whether the focus should go back to where the change was asked for.
 */
export function UndoOffer({
  change,
  text,
  undoLabel,
  onUndo,
  onClose,
  takeFocus = true,
}: {
  change: UndoableChange;
  text: string;
  undoLabel: string;
  onUndo: () => void;
  onClose: (returnFocus: boolean) => void;
  takeFocus?: boolean;
}) {
  const [held, setHeld] = useState(false);
  const undoButton = useRef<HTMLButtonElement>(null);
  // Read for the re-render they cause: whether the undo is still offered is asked again on every change of the tape.
  useLab((s) => s.timeline);
  useLab((s) => s.generation);
  const offered = change.stillOffered();

  useEffect(() => {
    if (!offered || held) return;
    const timer = window.setTimeout(() => onClose(false), UNDO_OFFER_MS);
    return () => window.clearTimeout(timer);
  }, [offered, held, onClose]);

  useEffect(() => {
    if (takeFocus) undoButton.current?.focus();
  }, [change, takeFocus]);

  if (!offered) return null;
  return (
    <div
      className="undo-offer"
      data-testid="undo-offer"
      onPointerEnter={() => setHeld(true)}
      onPointerLeave={() => setHeld(undoButton.current !== null && undoButton.current === document.activeElement)}
      onFocus={() => setHeld(true)}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget)) setHeld(false);
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          onClose(true);
        }
      }}
    >
      <span>{text}</span>
      <button
        type="button"
        ref={undoButton}
        className="button"
        onClick={() => {
          change.undo();
          onUndo();
          onClose(true);
        }}
      >
        {undoLabel}
      </button>
    </div>
  );
}
