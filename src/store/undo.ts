import type { DroppedFuture, LabStore } from './lab-store.ts';
import type { TapeEntry } from './timeline.ts';

/**
 * Changes that drop work, with a way back: a reset (the whole tape) and a branch (the entries
 * after the moment shown, by the Branch button or by acting in the past). The tape, the position,
 * the speed and the pause switch are kept aside before the change, and undoing replays them on a
 * fresh node (the lab is deterministic, so it comes back exactly as it was). The undo is offered
 * only until the student does something new after the change: undoing then would silently throw
 * that away too.
 */

export interface UndoableChange {
  /** Tells one offer from the next. */
  readonly id: number;
  /** Puts the lab back as it was just before the change. */
  undo(): void;
  /** False once something was done after the change (or the lab was reset or loaded again). */
  stillOffered(): boolean;
}

/** Whether tape entries hold anything done by someone: a typed line or a jump of the clock, not only the live clock's ticks. */
export function holdsWork(tape: readonly Pick<TapeEntry, 'kind'>[]): boolean {
  return tape.some((entry) => entry.kind !== 'tick');
}

let nextId = 1;

/** The lab as the undo puts it back: a tape, the moment shown, the speed and the pause switch. */
type Kept = Pick<DroppedFuture, 'tape' | 'position' | 'speed' | 'paused'>;

/** An undo that replays `kept` on a fresh node, offered while the lab is the same node and nothing was done from `from` on. */
function undoTo(store: LabStore, kept: Kept, from: number): UndoableChange {
  const { generation } = store.getState();
  return {
    id: nextId++,
    undo() {
      const lab = store.getState();
      lab.loadTape(kept.tape, kept.position);
      lab.setSpeed(kept.speed);
      store.getState().setPaused(kept.paused);
    },
    stillOffered() {
      const lab = store.getState();
      return lab.generation === generation && !holdsWork(lab.getTape().slice(from));
    },
  };
}

/** Resets the lab; returns the undo, or null when there was nothing to lose. */
export function resetWithUndo(store: LabStore): UndoableChange | null {
  const lab = store.getState();
  const { position } = lab.timeline;
  const kept = { tape: lab.getTape().map(({ kind, line }) => ({ kind, line })), position, speed: lab.speed, paused: lab.paused };
  lab.reset();
  return kept.tape.length === 0 ? null : undoTo(store, kept, 0);
}

/**
 * The undo of later moments dropped by a branch (the store's `lastDrop`), made right after it.
 * An action taken in the past is itself the first entry after the branch point: only what comes
 * after it is new work (the action's line stays in the console's history, to be run again).
 */
export function undoDrop(store: LabStore, drop: DroppedFuture): UndoableChange {
  return undoTo(store, drop, drop.position + (drop.cause === 'action' ? 1 : 0));
}
