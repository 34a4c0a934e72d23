// splitArgs: Redis's rules for splitting a typed line. The same rules apply to inline requests,
// whose real-server behaviour resp.test.ts checks through fixtures/resp-protocol.json; the cases
// here were each confirmed on redis-server 7.0.15 as inline `ECHO`/`PING` requests.
import fc from 'fast-check';
import { utf8ToBin } from '../../src/codec/bytes.ts';
import { quoteLikeRedisCli } from '../../src/codec/cli-format.ts';
import { splitArgs } from '../../src/codec/split-args.ts';

describe('splitArgs', () => {
  const cases: [string, string[] | null][] = [
    ['', []],
    ['   \t ', []],
    ['SET k v', ['SET', 'k', 'v']],
    ['  ECHO   x  ', ['ECHO', 'x']],
    ['a\tb\nc\rd', ['a', 'b', 'c', 'd']],
    ['\x0bPING', ['PING']],
    ['a\x0bb a\x0cb', ['a\x0bb', 'a\x0cb']], // \v and \f separate arguments only between them
    ['"a b" \'c d\'', ['a b', 'c d']],
    ['"" \'\'', ['', '']],
    ['"\\x41\\n\\q"', ['A\nq']],
    ['"\\xFf\\x0A"', ['\xff\n']],
    ['"\\xzz" "\\x4" "\\x" "\\x4g"', ['xzz', 'x4', 'x', 'x4g']],
    ['"\\a\\b\\t\\r\\n\\\\\\z"', ['\x07\b\t\r\n\\z']],
    ['"it\'s"', ["it's"]],
    ["'a\\'b'", ["a'b"]],
    ["'a\\\\b'", ['a\\\\b']],
    ["'a\\\"b'", ['a\\"b']],
    ['a"b c"', ['ab c']],
    ["a'b c'", ['ab c']],
    ['"a"\x0bb', ['a', 'b']],
    ['PING "abc', null],
    ['PING "a"b', null],
    ["PING 'a'b", null],
    ['"\\"', null],
    ['"a\\', null],
    ['ECHO a\0b', ['ECHO', 'a']], // a C string ends at NUL
    ['"a\0b"', null],
    ['\xd9\x85 x', ['\xd9\x85', 'x']],
  ];
  it.each(cases)('%j', (line, expected) => {
    expect(splitArgs(line)).toEqual(expected);
  });

  it('works on the UTF-8 bytes of console text', () => {
    expect(splitArgs(utf8ToBin('SET اسم "قيمة \\x41"'))).toEqual(['SET', '\xd8\xa7\xd8\xb3\xd9\x85', '\xd9\x82\xd9\x8a\xd9\x85\xd8\xa9 A']);
  });

  it('reads back what redis-cli prints for any bytes (fast-check, seeded)', () => {
    const bin = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 30 });
    fc.assert(
      fc.property(fc.array(bin, { maxLength: 6 }), (args) => {
        expect(splitArgs(args.map(quoteLikeRedisCli).join(' '))).toEqual(args);
      }),
      { seed: 99, numRuns: 500 },
    );
  });
});
