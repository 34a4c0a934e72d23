/**
 * What the differential tests may normalise before comparing the engine with real Redis, and
 * nothing more: replies whose order Redis leaves unspecified, and replies that are random or
 * depend on the clock or the process, which are compared by shape only.
 */

/** Replies that are sets: element order is not part of the contract. */
export const UNORDERED = new Set(['keys', 'smembers', 'sinter', 'sunion', 'sdiff', 'hkeys', 'hvals']);
/** Replies that are flat lists of field/value pairs in unspecified order. */
export const UNORDERED_PAIRS = new Set(['hgetall']);
/** Replies compared by shape only: random picks, cursors, clocks and server statistics. */
export const SHAPE_ONLY = new Set(['spop', 'srandmember', 'randomkey', 'scan', 'lastsave', 'info', 'time', 'client', 'hello', 'command']);
