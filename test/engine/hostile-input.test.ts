/**
 * Nothing a user types can crash the engine or leave it unusable: seeded random lines built from
 * real command names, option words, names of JavaScript's own object properties, quotes and raw
 * bytes always get a reply (or redis-cli's "invalid"/"empty"), never an exception, and the node
 * keeps answering afterwards.
 */
import fc from 'fast-check';
import { lab, NEW_YEAR } from '../support/engine-kit.ts';

const words = fc.constantFrom(
  ...['SET', 'GET', 'CONFIG', 'CLIENT', 'COMMAND', 'SIM', 'DEBUG', 'INFO', 'ZADD', 'ZRANGE', 'LPOP', 'SCAN', 'EXPIRE', 'MULTI', 'EXEC', 'BGSAVE', 'SAVE', 'BGREWRITEAOF', 'HELLO', 'OBJECT'],
  ...['GET', 'SET', 'HELP', 'ADVANCE', 'KILLCHILD', 'DISK', 'FULL', 'EIO', 'OK', 'POPULATE', 'RELOAD', 'INFO', 'DOCS', 'LIST', 'TIME', 'epoch-ms', 'disk-mbps', 'page-size', 'appendonly', 'yes', 'no', 'save', 'hz'],
  ...['EX', 'PX', 'NX', 'XX', 'GT', 'LT', 'KEEPTTL', 'BYSCORE', 'BYLEX', 'REV', 'LIMIT', 'WITHSCORES', 'COUNT', 'MATCH', 'TYPE', 'SCHEDULE'],
  ...['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'],
  ...['0', '-1', '1', '99999999999999999999', '1e400', 'inf', '-inf', 'nan', '(1', '[a', '-', '+', '*', '', '"', "'", '\\x00', '"\\xff"'],
);
const line = fc.oneof(
  fc.array(words, { minLength: 1, maxLength: 7 }).map((parts) => parts.join(' ')),
  fc.string({ maxLength: 40 }),
  fc.uint8Array({ maxLength: 40 }).map((bytes) => String.fromCharCode(...bytes)),
);

describe('hostile input', () => {
  it('never throws, and the node keeps answering', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 25 }), (lines) => {
        // Nothing recorded: the engine keeps to the paths it takes when nobody observes it.
        const { engine, client } = lab({ epochMs: NEW_YEAR, record: false });
        for (const text of lines) engine.run(text, client);
        engine.advance(1000);
        // Whatever happened, the node still answers (or says it is not running, after SHUTDOWN).
        const reply = engine.run('PING', engine.newClient());
        expect(reply.kind).toBe('reply');
      }),
      { seed: 20261123, numRuns: 2000 },
    );
  });
});
