import type { LabStore } from './lab-store.ts';
import type { TapeEntry } from './timeline.ts';

/**
 * Changes that drop work, with a way back: a reset (the whole tape) and a branch (the entries
 * after the moment shown). The tape, the position, the speed and the pause switch are kept aside
 * before the change, and undoing replays them on a fresh node (the lab is deterministic, so it
 * comes back exactly as it was). The undo is offered only until the student does something new
 * after the change: undoing then would silently throw that away too.
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

/** The lab as it is now, and how to put it back; `from` is where the change leaves the tape's work to be looked for. */
function keepAside(store: LabStore, from: number): UndoableChange & { arm(): void } {
  const before = store.getState();
  const tape = before.getTape().map(({ kind, line }) => ({ kind, line }));
  const { position } = before.timeline;
  const { speed, paused } = before;
  let generation = before.generation;
  return {
    id: nextId++,
    arm() {
      generation = store.getState().generation;
    },
    undo() {
      const lab = store.getState();
      lab.loadTape(tape, position);
      lab.setSpeed(speed);
      store.getState().setPaused(paused);
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
  const empty = lab.getTape().length === 0;
  const change = keepAside(store, 0);
  lab.reset();
  change.arm();
  return empty ? null : change;
}

/** Drops the entries after the moment shown (see the store's `branch`); returns the undo, or null when nothing was dropped. */
export function branchWithUndo(store: LabStore): UndoableChange | null {
  const lab = store.getState();
  const { position, length } = lab.timeline;
  if (position === length) return null;
  const change = keepAside(store, position);
  lab.branch();
  change.arm();
  return change;
}
