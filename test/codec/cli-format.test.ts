// formatReplyLikeRedisCli against redis-cli 7.0.15: fixtures/redis-cli-format.json holds raw RESP2
// replies (from redis-server 7.0.15, or canned ones served by a fake server) together with what
// `redis-cli --no-raw` printed for each; fixtures/capture.ts records them.
import { readFileSync } from 'node:fs';
import { formatReplyLikeRedisCli, formatReplyLikeRedisCliBin, formatReplyRawLikeRedisCli, printsRawLikeRedisCli, quoteLikeRedisCli } from '../../src/codec/cli-format.ts';
import { array, bulk, error, integer, status } from '../../src/codec/reply.ts';
import { decodeReplies } from '../../src/codec/resp.ts';

const { cases } = JSON.parse(readFileSync(new URL('fixtures/redis-cli-format.json', import.meta.url), 'utf8')) as {
  cases: { name: string; resp: string; cli: string }[];
};

describe('formatReplyLikeRedisCliBin', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const [reply] = decodeReplies(c.resp);
    // redis-cli ends every reply with a newline, which the formatter leaves to the caller.
    expect(formatReplyLikeRedisCliBin(reply!) + '\n').toBe(c.cli);
  });
});

describe('formatReplyLikeRedisCli', () => {
  it('shows status and error bytes as UTF-8 text, bulk strings escaped', () => {
    const reply = array([status('\xd8\xad\xd8\xa7\xd9\x84\xd8\xa9'), error('ERR \xd8\xae'), bulk('\xd9\x85')]);
    expect(formatReplyLikeRedisCli(reply)).toBe('1) حالة\n2) (error) ERR خ\n3) "\\xd9\\x85"');
    expect(formatReplyLikeRedisCli(status('bad \xff'))).toBe('bad \ufffd');
  });

  it('is the bin form when everything is ASCII', () => {
    for (const c of cases) {
      const [reply] = decodeReplies(c.resp);
      const bin = formatReplyLikeRedisCliBin(reply!);
      // eslint-disable-next-line no-control-regex
      if (/^[\x00-\x7f]*$/.test(bin)) expect(formatReplyLikeRedisCli(reply!)).toBe(bin);
    }
  });
});

describe('quoteLikeRedisCli', () => {
  it('escapes like sdscatrepr', () => {
    expect(quoteLikeRedisCli('')).toBe('""');
    expect(quoteLikeRedisCli('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(quoteLikeRedisCli('\x07\b\t\n\r\x0b\x0c\x00\x7f\x80\xff~ ')).toBe('"\\a\\b\\t\\n\\r\\x0b\\x0c\\x00\\x7f\\x80\\xff~ "');
  });
});

// Observed in an interactive redis-cli 7.0.15 on a terminal: INFO and CLIENT LIST / INFO print raw.
describe('raw output, as redis-cli prints INFO and CLIENT LIST on a terminal', () => {
  it('is chosen by the words typed', () => {
    expect(printsRawLikeRedisCli(['info'])).toBe(true);
    expect(printsRawLikeRedisCli(['INFO', 'persistence'])).toBe(true);
    expect(printsRawLikeRedisCli(['client', 'LIST'])).toBe(true);
    expect(printsRawLikeRedisCli(['CLIENT', 'info', 'x'])).toBe(true);
    expect(printsRawLikeRedisCli(['CLIENT', 'GETNAME'])).toBe(false);
    expect(printsRawLikeRedisCli(['client'])).toBe(false);
    expect(printsRawLikeRedisCli(['memory', 'doctor'])).toBe(true);
    expect(printsRawLikeRedisCli(['cluster', 'info', 'x'])).toBe(false);
    expect(printsRawLikeRedisCli(['GET', 'info'])).toBe(false);
  });

  it('shows a text as its lines, an error without (error), an empty text as an empty line', () => {
    expect(formatReplyRawLikeRedisCli(bulk('# Errorstats\r\nerrorstat_ERR:count=3\r\n'))).toBe('# Errorstats\nerrorstat_ERR:count=3');
    expect(formatReplyRawLikeRedisCli(bulk('id=3 addr=127.0.0.1:1 cmd=client|list\n'))).toBe('id=3 addr=127.0.0.1:1 cmd=client|list');
    expect(formatReplyRawLikeRedisCli(error('ERR Invalid client ID'))).toBe('ERR Invalid client ID');
    expect(formatReplyRawLikeRedisCli(bulk(''))).toBe('');
    expect(formatReplyRawLikeRedisCli(integer(7))).toBe('7');
  });
});
