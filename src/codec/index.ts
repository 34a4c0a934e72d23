/**
 * The codec layer's public entry: byte strings, replies, RESP, redis-cli argument splitting and
 * output format, Redis's number rules, and the RDB file format. A leaf: it imports nothing outside
 * src/codec, and nothing in it touches I/O, clocks or the DOM.
 */
export * from './bytes.ts';
export * from './reply.ts';
export * from './resp.ts';
export * from './split-args.ts';
export * from './cli-format.ts';
export * from './numbers.ts';
export * from './rdb/index.ts';
export * from './aof/index.ts';
