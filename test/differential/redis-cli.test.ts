/**
 * The differential test: the same command scripts, run through the real `redis-cli` against a
 * real redis-server 7.0 and against the lab's headless server, must print the same output (after
 * the normalisation the contract allows: test/support/reply-contract.ts). The scripts live in
 * test/scripts/*.redis; seeded random scripts add sequences nobody thought to write.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHeadlessProcess, type HeadlessProcess } from '../support/headless-process.ts';
import { startRealRedis, testPort, type RealRedis } from '../support/real-redis.ts';
import { normalisedCliRun, scriptLines } from '../support/redis-cli.ts';
import { randomScripts } from '../support/random-script.ts';

const SCRIPTS_DIR = join(import.meta.dirname, '../scripts');
const REAL_PORT = testPort(6480);
const LAB_PORT = testPort(6481);

let real: RealRedis;
let lab: HeadlessProcess;

beforeAll(async () => {
  real = await startRealRedis(REAL_PORT);
  // In its own process, as `npm run server` runs it: redis-cli is spawned synchronously here.
  lab = await startHeadlessProcess(LAB_PORT);
});

afterAll(async () => {
  await real?.stop();
  await lab?.stop();
});

/** Runs a script on both servers (from empty, db 0) and returns the blocks that differ. */
function differences(lines: readonly string[]) {
  const script = ['FLUSHALL', ...lines];
  const expected = normalisedCliRun(real.port, script);
  const actual = normalisedCliRun(lab.port, script);
  const diffs = [];
  for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
    if (expected[i]?.output !== actual[i]?.output || expected[i]?.line !== actual[i]?.line) {
      diffs.push({ line: expected[i]?.line ?? actual[i]?.line, redis: expected[i]?.output, lab: actual[i]?.output });
    }
  }
  return { diffs, blocks: expected.length };
}

const scripts = readdirSync(SCRIPTS_DIR).filter((name) => name.endsWith('.redis')).sort();

describe('redis-cli prints the same for the lab as for real Redis 7.0', () => {
  it('has scripts to run', () => {
    expect(scripts.length).toBeGreaterThan(0);
  });

  for (const name of scripts) {
    it(`script ${name}`, () => {
      const lines = scriptLines(readFileSync(join(SCRIPTS_DIR, name), 'utf8'));
      const { diffs, blocks } = differences(lines);
      expect(blocks).toBeGreaterThan(lines.length / 2);
      expect(diffs).toEqual([]);
    });
  }

  it('seeded random command sequences', () => {
    for (const lines of randomScripts(20261123, 25, 60)) {
      // MULTI left open by a random script would swallow the next script's FLUSHALL.
      const { diffs } = differences([...lines, 'DISCARD']);
      expect(diffs).toEqual([]);
    }
  });
});
