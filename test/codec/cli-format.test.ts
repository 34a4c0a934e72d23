// formatReplyLikeRedisCli against redis-cli 7.0.15: fixtures/redis-cli-format.json holds raw RESP2
// replies (from redis-server 7.0.15, or canned ones served by a fake server) together with what
// `redis-cli --no-raw` printed for each; fixtures/capture.ts records them.
import { readFileSync } from 'node:fs';
import { formatReplyLikeRedisCli, formatReplyLikeRedisCliBin, quoteLikeRedisCli } from '../../src/codec/cli-format.ts';
import { array, bulk, error, status } from '../../src/codec/reply.ts';
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
