/**
 * A reply as Redis's RESP2 protocol carries it. Strings are bin strings (see bytes.ts).
 *
 * `error` holds the whole error line without the leading '-', for example
 * `ERR syntax error` or `WRONGTYPE Operation against a key holding the wrong kind of value`.
 * `integer` is a bigint only when the value does not fit a double exactly (beyond ±2^53).
 */
export type Reply =
  | { readonly type: 'status'; readonly value: string }
  | { readonly type: 'error'; readonly value: string }
  | { readonly type: 'integer'; readonly value: number | bigint }
  | { readonly type: 'bulk'; readonly value: string | null }
  | { readonly type: 'array'; readonly value: readonly Reply[] | null };

export const OK: Reply = Object.freeze({ type: 'status', value: 'OK' });
export const QUEUED: Reply = Object.freeze({ type: 'status', value: 'QUEUED' });
export const NIL: Reply = Object.freeze({ type: 'bulk', value: null });
export const NIL_ARRAY: Reply = Object.freeze({ type: 'array', value: null });
export const EMPTY_ARRAY: Reply = Object.freeze({ type: 'array', value: Object.freeze([]) });
const ZERO: Reply = Object.freeze({ type: 'integer', value: 0 });
const ONE: Reply = Object.freeze({ type: 'integer', value: 1 });

export const status = (value: string): Reply => ({ type: 'status', value });
export const error = (value: string): Reply => ({ type: 'error', value });
export const bulk = (value: string | null): Reply => (value === null ? NIL : { type: 'bulk', value });
export const integer = (value: number | bigint): Reply =>
  value === 0 ? ZERO : value === 1 ? ONE : { type: 'integer', value };
export const array = (value: readonly Reply[]): Reply => ({ type: 'array', value });
export const bulkArray = (values: readonly (string | null)[]): Reply => array(values.map(bulk));

export const isError = (reply: Reply): reply is Extract<Reply, { type: 'error' }> => reply.type === 'error';
