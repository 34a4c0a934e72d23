import type { Engine } from './engine.ts';
import { estimateMemory } from './memory/usage.ts';

/**
 * Checkpoints of the node, for the timeline: `Engine.checkpoint()` copies the whole node at a
 * quiet moment with ./state-copy.ts, so that a seek back replays the tape from the nearest
 * checkpoint instead of from a fresh node. The copy is exact: it goes on to give the same
 * replies, events, files and log lines as the original would.
 *
 * A node is quiet between two actions when nothing it holds is opaque to a copy: no command is
 * half-run, no load is in progress (a load is a generator), no fork child is alive (a child holds
 * closures for its last steps). Its event listeners are not state: the copy starts with none.
 *
 * One piece of state needs help: the active-expiry sweep keeps a Map iterator per database, whose
 * position no copy can read. `reseatCursor` reads it by running the iterator to its end, then
 * makes a new iterator at the same place; the original node gets one too (its old one is spent),
 * and behaves as before: a Map iterator is a place in the Map's insertion order, which entries
 * added or deleted later move the same way for both.
 */

export interface NodeCheckpoint<T> {
  readonly engine: Engine;
  /** The objects handed in with the node (a console client of it), as the copy's own. */
  readonly held: T;
}

/** How many entries the cursor has passed: the Map's size less what it has still to give. */
export function cursorPosition(cursor: Iterator<unknown>, size: number): number {
  let remaining = 0;
  while (cursor.next().done !== true) remaining++;
  return size - remaining;
}

/** A fresh iterator over `map` that has passed `position` entries. */
export function cursorAt<K, V>(map: Map<K, V>, position: number): Iterator<[K, V]> {
  const cursor = map.entries();
  for (let i = 0; i < position; i++) cursor.next();
  return cursor;
}

/** What a copy of the node would hold, roughly: its memory as INFO counts it, and its files. */
export function nodeFootprintBytes(engine: Engine): number {
  let fileBytes = 0;
  for (const file of engine.disk.list()) fileBytes += file.sizeBytes;
  return estimateMemory(engine).used + fileBytes;
}
