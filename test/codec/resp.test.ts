// RESP2 codec. Expectations come from redis-server 7.0.15 itself: fixtures/resp-protocol.json holds
// raw requests and the raw answers of the real server (see fixtures/capture.ts), and
// fixtures/redis-cli-format.json raw replies of the real server.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import {
  ProtocolError,
  ReplyParser,
  RequestParser,
  decodeReplies,
  encodeCommand,
  encodeReply,
} from '../../src/codec/resp.ts';
import { EMPTY_ARRAY, NIL, NIL_ARRAY, OK, array, bulk, error, integer, status, type Reply } from '../../src/codec/reply.ts';

type Packed = (string | [string, number])[];
const unpack = (p: Packed): string => p.map((x) => (typeof x === 'string' ? x : x[0].repeat(x[1]))).join('');
const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8'));

const probes = (fixture('resp-protocol.json') as { probes: { input: Packed[]; response: Packed; closed: boolean }[] }).probes.map(
  (p) => ({ input: p.input.map(unpack), response: unpack(p.response), closed: p.closed }),
);
const realReplies = (fixture('redis-cli-format.json') as { cases: { name: string; resp: string }[] }).cases;

/** The few commands the probes use, answered as redis-server 7.0 answers them. */
function execute(argv: string[]): { reply: string; close: boolean } {
  const cstr = (s: string) => (s.includes('\0') ? s.slice(0, s.indexOf('\0')) : s);
  const name = argv[0]!.toLowerCase();
  if (name === 'post' || name === 'host:') return { reply: '', close: true }; // Redis's guard against HTTP
  if (name === 'ping' && argv.length === 1) return { reply: '+PONG\r\n', close: false };
  if (name === 'echo') {
    return argv.length === 2
      ? { reply: encodeReply(bulk(argv[1]!)), close: false }
      : { reply: "-ERR wrong number of arguments for 'echo' command\r\n", close: false };
  }
  let args = '';
  for (const a of argv.slice(1)) {
    if (args.length >= 128) break;
    args += "'" + cstr(a).slice(0, 128 - args.length) + "' ";
  }
  return { reply: `-ERR unknown command '${cstr(argv[0]!).slice(0, 128)}', with args beginning with: ${args}\r\n`, close: false };
}

/** What a server built on the parser answers to `chunks`, and whether it closes. */
function serve(chunks: readonly string[]): { response: string; closed: boolean } {
  const parser = new RequestParser();
  let response = '';
  for (const chunk of chunks) {
    for (const argv of parser.feed(chunk)) {
      const { reply, close } = execute(argv);
      response += reply;
      if (close) return { response, closed: true };
    }
    if (parser.error !== null) return { response: response + encodeReply(error(parser.error)), closed: true };
  }
  return { response, closed: false };
}

const show = (s: string) => JSON.stringify(s.length > 60 ? s.slice(0, 60) + `…(${s.length})` : s);

describe('RequestParser against redis-server 7.0.15', () => {
  it.each(probes.map((p) => [p.input.map(show).join(' | '), p] as const))('%s', (_, probe) => {
    expect(serve(probe.input)).toEqual({ response: probe.response, closed: probe.closed });
  });

  // Below 64 KB nothing depends on how the bytes are cut, so any split must give the same answer.
  it.each(probes.filter((p) => p.input.join('').length < 60000).map((p) => [p.input.map(show).join(' | '), p] as const))(
    'byte by byte: %s',
    (_, probe) => {
      expect(serve([...probe.input.join('')])).toEqual({ response: probe.response, closed: probe.closed });
    },
  );
});

describe('RequestParser', () => {
  it('reports each protocol error text', () => {
    const err = (input: string) => {
      const p = new RequestParser();
      p.feed(input);
      return p.error;
    };
    expect(err('*x\r\n')).toBe('ERR Protocol error: invalid multibulk length');
    expect(err('*1\r\n$x\r\n')).toBe('ERR Protocol error: invalid bulk length');
    expect(err('*1\r\n?\r\n')).toBe("ERR Protocol error: expected '$', got '?'");
    expect(err('"a\n')).toBe('ERR Protocol error: unbalanced quotes in request');
    expect(err('a'.repeat(65537))).toBe('ERR Protocol error: too big inline request');
    expect(err('*' + '1'.repeat(65536))).toBe('ERR Protocol error: too big mbulk count string');
    expect(err('*1\r\n$' + '1'.repeat(65536))).toBe('ERR Protocol error: too big bulk count string');
    expect(ProtocolError.expectedDollar('\n')).toBe("ERR Protocol error: expected '$', got ' '");
  });

  it('returns the commands before a protocol error, then ignores all input', () => {
    const p = new RequestParser();
    expect(p.feed('PING\r\n*1\r\n$3\r\nfoo\r\n*1\r\n$-2\r\n*1\r\n$4\r\nPING\r\n')).toEqual([['PING'], ['foo']]);
    expect(p.error).toBe(ProtocolError.invalidBulkLength);
    expect(p.feed('PING\r\n')).toEqual([]);
  });

  it('honours proto-max-bulk-len', () => {
    const p = new RequestParser({ protoMaxBulkLen: 10 });
    expect(p.feed('*1\r\n$10\r\n0123456789\r\n')).toEqual([['0123456789']]);
    p.protoMaxBulkLen = 5;
    p.feed('*1\r\n$6\r\n');
    expect(p.error).toBe(ProtocolError.invalidBulkLength);
  });

  it('keeps multibulk state across chunks and counts buffered bytes', () => {
    const p = new RequestParser();
    expect(p.feed('*3\r\n$3\r\nSET\r\n$1\r\nk')).toEqual([]);
    expect(p.bufferedBytes).toBe(1);
    expect(p.feed('\r\n$5\r\nhel')).toEqual([]);
    expect(p.feed('lo\r\n*1\r\n$4\r\nPI', [])).toEqual([['SET', 'k', 'hello']]);
    expect(p.bufferedBytes).toBe(2);
  });

  it('appends to a given array', () => {
    const out: string[][] = [['x']];
    const p = new RequestParser();
    expect(p.feed('PING\r\n', out)).toBe(out);
    expect(out).toEqual([['x'], ['PING']]);
  });

  it('parses a pipeline of 16 SETs per chunk quickly', () => {
    const cmd = encodeCommand(['SET', 'key:000000000001', 'x'.repeat(3)]);
    const chunk = cmd.repeat(16);
    const p = new RequestParser();
    const t0 = performance.now();
    let n = 0;
    for (let i = 0; i < 20000; i++) n += p.feed(chunk).length;
    expect(n).toBe(320000);
    expect(performance.now() - t0).toBeLessThan(2000); // about 100 ms on a laptop
  });

  it('collects an 8 MB argument from 1 KB chunks in linear time', () => {
    const big = 'ab\r\n\0'.repeat(1_600_000); // 8 MB, with CR, LF and NUL bytes inside
    const input = encodeCommand(['SET', 'k', big]);
    const p = new RequestParser();
    const got: string[][] = [];
    const t0 = performance.now();
    for (let i = 0; i < input.length; i += 1024) p.feed(input.slice(i, i + 1024), got);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(got).toHaveLength(1);
    expect(got[0]![2] === big).toBe(true);
  });

  it('waits for a 60 KB inline line fed byte by byte in linear time', () => {
    const line = 'SET k ' + 'v'.repeat(60000) + '\r\n';
    const p = new RequestParser();
    const got: string[][] = [];
    const t0 = performance.now();
    for (const c of line) p.feed(c, got);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(got).toEqual([['SET', 'k', 'v'.repeat(60000)]]);
  });

  it('never lets a NUL byte hide a line ending for ever: the 64 KB limit ends the wait', () => {
    const p = new RequestParser();
    p.feed('GET a\0b\r\n');
    expect(p.error).toBeNull();
    for (let i = 0; i < 64 && p.error === null; i++) p.feed('x'.repeat(1024) + '\r\n');
    expect(p.error).toBe(ProtocolError.tooBigInline);
  });
});

describe('RequestParser properties (fast-check, seeded)', () => {
  const byte = fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c));
  const binString = (maxLength: number) => fc.string({ unit: byte, maxLength });
  // Up to 80 bytes covers each way an argument is cut out (see binSlice); then long ones.
  const argv = fc.array(fc.oneof({ weight: 5, arbitrary: binString(80) }, { weight: 1, arbitrary: binString(3000) }), {
    minLength: 1,
    maxLength: 6,
  });
  const cuts = fc.array(fc.nat(), { maxLength: 12 });
  function split(s: string, at: number[]): string[] {
    const points = [...new Set(at.map((a) => a % (s.length + 1)))].sort((a, b) => a - b);
    const parts: string[] = [];
    let last = 0;
    for (const p of points) {
      parts.push(s.slice(last, p));
      last = p;
    }
    parts.push(s.slice(last));
    return parts;
  }
  function run(chunks: string[]): { commands: string[][]; error: string | null } {
    const p = new RequestParser();
    const commands: string[][] = [];
    for (const c of chunks) p.feed(c, commands);
    return { commands, error: p.error };
  }

  it('gives back any encoded commands, however the bytes are cut', () => {
    fc.assert(
      fc.property(fc.array(argv, { minLength: 1, maxLength: 8 }), cuts, (commands, at) => {
        const got = run(split(commands.map(encodeCommand).join(''), at));
        expect(got).toEqual({ commands, error: null });
      }),
      { seed: 20240607, numRuns: 400 },
    );
  });

  const protocolish = fc.oneof(
    fc.constantFrom('*', '$', '\r', '\n', '\r\n', '0', '1', '2', '-', '"', "'", '\\', ' ', '\0', '\\x4', 'a', '*1\r\n', '$1\r\n', '*-1\r\n'),
    byte,
  );
  const noise = fc.array(protocolish, { maxLength: 200 }).map((a) => a.join(''));
  // Valid requests with a few bytes overwritten reach deeper states than pure noise does.
  const damaged = fc
    .tuple(fc.array(argv, { minLength: 1, maxLength: 4 }), fc.array(fc.tuple(fc.nat(), protocolish), { minLength: 1, maxLength: 4 }))
    .map(([commands, edits]) => {
      let s = commands.map(encodeCommand).join('');
      for (const [at, text] of edits) {
        const i = at % (s.length + 1);
        s = s.slice(0, i) + text + s.slice(i + 1);
      }
      return s;
    });
  const garbage = fc.oneof(noise, damaged);

  it('turns random bytes into commands or a protocol error, the same for any cut', () => {
    fc.assert(
      fc.property(garbage, cuts, (input, at) => {
        const whole = run([input]);
        expect(whole.error === null || whole.error.startsWith('ERR Protocol error: ')).toBe(true);
        expect(run(split(input, at))).toEqual(whole);
      }),
      { seed: 7, numRuns: 2000 },
    );
  });
});

describe('encodeReply', () => {
  const cases: [string, Reply, string][] = [
    ['status', OK, '+OK\r\n'],
    ['error', error('ERR syntax error'), '-ERR syntax error\r\n'],
    ['integer', integer(1), ':1\r\n'],
    ['negative integer', integer(-42), ':-42\r\n'],
    ['bigint', integer(-9223372036854775808n), ':-9223372036854775808\r\n'],
    ['bulk', bulk('foo'), '$3\r\nfoo\r\n'],
    ['binary bulk', bulk('\0\r\n\xff'), '$4\r\n\0\r\n\xff\r\n'],
    ['empty bulk', bulk(''), '$0\r\n\r\n'],
    ['nil', NIL, '$-1\r\n'],
    ['nil array', NIL_ARRAY, '*-1\r\n'],
    ['empty array', EMPTY_ARRAY, '*0\r\n'],
    ['nested', array([integer(1), array([bulk('a'), NIL]), status('QUEUED')]), '*3\r\n:1\r\n*2\r\n$1\r\na\r\n$-1\r\n+QUEUED\r\n'],
    ['line breaks in a status or error become spaces', array([status('a\r\nb'), error('ERR x\ny')]), '*2\r\n+a  b\r\n-ERR x y\r\n'],
  ];
  it.each(cases)('%s', (_, reply, wire) => {
    expect(encodeReply(reply)).toBe(wire);
  });

  it.each(realReplies.map((c) => [c.name, c.resp] as const))('re-encodes the real reply: %s', (_, resp) => {
    const replies = decodeReplies(resp);
    expect(replies).toHaveLength(1);
    expect(encodeReply(replies[0]!)).toBe(resp);
  });
});

describe('encodeCommand', () => {
  it('writes a multibulk request, as the AOF stores it', () => {
    expect(encodeCommand(['SET', 'k', 'v'])).toBe('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n');
    expect(encodeCommand(['SET', '', '\xd9\x85\r\n'])).toBe('*3\r\n$3\r\nSET\r\n$0\r\n\r\n$4\r\n\xd9\x85\r\n\r\n');
  });
});

describe('decodeReplies and ReplyParser', () => {
  it('decodes every type, large integers as bigint', () => {
    expect(decodeReplies('+OK\r\n-ERR x\r\n:7\r\n:9007199254740993\r\n$-1\r\n*-1\r\n*2\r\n$0\r\n\r\n*0\r\n')).toEqual([
      OK,
      error('ERR x'),
      integer(7),
      integer(9007199254740993n),
      NIL,
      NIL_ARRAY,
      array([bulk(''), EMPTY_ARRAY]),
    ]);
  });

  it('waits for incomplete replies and rejects malformed ones', () => {
    const p = new ReplyParser();
    expect(p.feed('*2\r\n$3\r\nfo')).toEqual([]);
    expect(p.feed('o\r\n:1')).toEqual([]);
    expect(p.feed('\r\n+OK\r\n')).toEqual([array([bulk('foo'), integer(1)]), OK]);
    expect(() => decodeReplies('$3\r\nfo')).toThrow('incomplete');
    expect(() => decodeReplies('?\r\n')).toThrow();
    expect(() => decodeReplies(':1.5\r\n')).toThrow();
  });
});
