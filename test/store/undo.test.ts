import { describe, expect, test } from 'vitest';
import { createLabStore, type LabState } from '../../src/store/index.ts';
import type { LabStore } from '../../src/store/index.ts';
import { holdsWork, resetWithUndo, undoDrop } from '../../src/store/undo.ts';

/** Undoing a reset or a branch: the lab comes back exactly as it was, and only while nothing new was done. */

const EPOCH_MS = Date.UTC(2026, 0, 1, 9, 0, 0);

/** Branches at the moment shown, as the Branch button does; the undo, or null when nothing was dropped. */
function branchWithUndo(store: LabStore) {
  const before = store.getState().lastDrop;
  store.getState().branch();
  const drop = store.getState().lastDrop;
  return drop === before || drop === null ? null : undoDrop(store, drop);
}

function keyNames(state: LabState): string[] {
  return state.keyspace.dbs.flatMap((db) => db.keys.map((key) => key.name)).sort();
}

describe('resetting with an undo', () => {
  test('undo brings back the keys, the files, the tape, the position shown, the speed and the pause switch', () => {
    const store = createLabStore({ epochMs: EPOCH_MS });
    const lab = store.getState();
    lab.runLine('SET a 1');
    lab.runLine('BGSAVE');
    lab.advance(2000);
    lab.runLine('SET b 2');
    lab.setSpeed(4);
    lab.seek(3);
    const before = store.getState();
    const beforeFiles = before.persistence.disk.files.map((file) => [file.name, file.sizeBytes, file.durableBytes]);

    const offer = resetWithUndo(store);
    expect(keyNames(store.getState())).toEqual([]);
    expect(store.getState().timeline).toMatchObject({ position: 0, length: 0 });
    expect(offer?.stillOffered()).toBe(true);

    offer?.undo();
    const after = store.getState();
    expect(after.timeline).toMatchObject({ position: 3, length: 4 });
    expect(after.getTape().map(({ kind, line }) => [kind, line])).toEqual([
      ['line', 'SET a 1'],
      ['line', 'BGSAVE'],
      ['skip', 'SIM ADVANCE 2000'],
      ['line', 'SET b 2'],
    ]);
    expect(keyNames(after)).toEqual(['a']);
    expect(after.persistence.disk.files.map((file) => [file.name, file.sizeBytes, file.durableBytes])).toEqual(beforeFiles);
    expect(after.nowMs).toBe(before.nowMs);
    expect(after.speed).toBe(4);
    expect(after.paused).toBe(before.paused);
    // The future is there to go back to.
    after.seek(4);
    expect(keyNames(store.getState())).toEqual(['a', 'b']);
  });

  test('a running lab at now comes back running', () => {
    const store = createLabStore({ epochMs: EPOCH_MS });
    store.getState().runLine('SET a 1');
    expect(store.getState().paused).toBe(false);
    resetWithUndo(store)?.undo();
    expect(store.getState()).toMatchObject({ paused: false, timeline: { position: 1, length: 1 } });
  });

  test('the live clock ticking after the reset keeps the offer; a typed line, a jump or another reset ends it', () => {
    const store = createLabStore({ epochMs: EPOCH_MS });
    store.getState().runLine('SET a 1');
    const offer = resetWithUndo(store);
    store.getState().startClock(0);
    for (let wall = 100; wall <= 1000; wall += 100) store.getState().tick(wall);
    expect(store.getState().timeline.length).toBeGreaterThan(0);
    expect(offer?.stillOffered()).toBe(true);
    store.getState().runLine('SET new 1');
    expect(offer?.stillOffered()).toBe(false);

    store.getState().runLine('SET a 1');
    const jumped = resetWithUndo(store);
    store.getState().advance(1000);
    expect(jumped?.stillOffered()).toBe(false);

    store.getState().runLine('SET a 1');
    const again = resetWithUndo(store);
    store.getState().reset();
    expect(again?.stillOffered()).toBe(false);
  });

  test('nothing to undo on an empty lab', () => {
    const store = createLabStore({ epochMs: EPOCH_MS });
    expect(resetWithUndo(store)).toBeNull();
    expect(store.getState().generation).toBe(1);
  });

  test('work is a typed line or a jump, not the clock ticking by itself', () => {
    expect(holdsWork([])).toBe(false);
    expect(holdsWork([{ kind: 'tick' }, { kind: 'tick' }])).toBe(false);
    expect(holdsWork([{ kind: 'tick' }, { kind: 'skip' }])).toBe(true);
    expect(holdsWork([{ kind: 'line' }])).toBe(true);
  });
});

describe('branching with an undo', () => {
  test('undo brings the dropped moments back, at the moment shown; new work after the branch ends the offer', () => {
    const store = createLabStore({ epochMs: EPOCH_MS });
    for (const line of ['SET a 1', 'SET b 2', 'SET c 3']) store.getState().runLine(line);
    store.getState().seek(1);
    expect(branchWithUndo(store)).not.toBeNull();
    expect(store.getState().timeline).toMatchObject({ position: 1, length: 1 });

    store.getState().seek(0);
    const offer = branchWithUndo(store);
    expect(store.getState().timeline).toMatchObject({ position: 0, length: 0 });
    expect(offer?.stillOffered()).toBe(true);
    offer?.undo();
    expect(store.getState().timeline).toMatchObject({ position: 0, length: 1 });
    store.getState().seek(1);
    expect(keyNames(store.getState())).toEqual(['a']);

    const later = branchWithUndo(store);
    expect(later).toBeNull();
    store.getState().seek(0);
    const ended = branchWithUndo(store);
    store.getState().runLine('SET z 1');
    expect(ended?.stillOffered()).toBe(false);
  });

  test('the whole future comes back: a save and a crash after the branch point, exactly', () => {
    const store = createLabStore({ epochMs: EPOCH_MS });
    for (const line of ['SET a 1', 'BGSAVE', 'SIM ADVANCE 2000', 'SET b 2', 'SIM CRASH POWER', 'SIM RESTART']) store.getState().runLine(line);
    const end = store.getState();
    const endView = { keys: keyNames(end), marks: end.timeline.marks, files: end.persistence.disk.files.map((file) => [file.name, file.sizeBytes]), nowMs: end.nowMs };
    store.getState().seek(2);
    branchWithUndo(store)?.undo();
    store.getState().seek(6);
    const back = store.getState();
    expect({ keys: keyNames(back), marks: back.timeline.marks, files: back.persistence.disk.files.map((file) => [file.name, file.sizeBytes]), nowMs: back.nowMs }).toEqual(endView);
    expect(endView.keys).toEqual(['a']);
  });
});

describe('acting in the past with an undo', () => {
  test('a line typed in the past branches; the undo drops that line and brings the later moments back', () => {
    const store = createLabStore({ epochMs: EPOCH_MS });
    for (const line of ['SET a 1', 'SET b 2', 'SET c 3']) store.getState().runLine(line);
    store.getState().seek(1);
    expect(store.getState().lastDrop).toBeNull();
    store.getState().runLine('SET z 9');
    const drop = store.getState().lastDrop;
    expect(drop).toMatchObject({ cause: 'action', position: 1, paused: true });
    expect(drop?.tape.map((entry) => entry.line)).toEqual(['SET a 1', 'SET b 2', 'SET c 3']);
    expect(keyNames(store.getState())).toEqual(['a', 'z']);

    const offer = undoDrop(store, drop!);
    expect(offer.stillOffered()).toBe(true);
    // The clock ticking on after the action is not new work.
    store.getState().setPaused(false);
    store.getState().startClock(0);
    for (let wall = 100; wall <= 500; wall += 100) store.getState().tick(wall);
    expect(offer.stillOffered()).toBe(true);

    offer.undo();
    const back = store.getState();
    expect(back.timeline).toMatchObject({ position: 1, length: 3 });
    expect(back.paused).toBe(true);
    expect(back.lastDrop).toBeNull();
    store.getState().seek(3);
    expect(keyNames(store.getState())).toEqual(['a', 'b', 'c']);
  });

  test('a second line after the one that branched ends the offer; a button or a jump of the clock branches too', () => {
    const store = createLabStore({ epochMs: EPOCH_MS });
    for (const line of ['SET a 1', 'SET b 2']) store.getState().runLine(line);
    store.getState().seek(0);
    store.getState().runLine('SET z 9');
    const offer = undoDrop(store, store.getState().lastDrop!);
    store.getState().runLine('SET y 8');
    expect(offer.stillOffered()).toBe(false);

    store.getState().seek(1);
    store.getState().advance(5000);
    expect(store.getState().lastDrop).toMatchObject({ cause: 'action', position: 1 });
    // At now, acting drops nothing: the last drop stays the one that was.
    const last = store.getState().lastDrop;
    store.getState().runLine('SET w 7');
    expect(store.getState().lastDrop).toBe(last);
    store.getState().reset();
    expect(store.getState().lastDrop).toBeNull();
  });
});
