#!/usr/bin/env node
/**
 * `npm test`: every suite of the lab, in one command, on a fresh machine.
 *
 * 1. Provision what the tests need: redis-server and redis-cli (the oracle of the differential
 *    tests) and Chromium (the browser tests). Where they are missing and Debian's apt-get is usable,
 *    install them; elsewhere stop and name what to install. No suite is ever skipped.
 * 2. Type-check, lint, run the unit, component and differential tests (vitest), then the browser
 *    tests (Playwright driving the system Chromium).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

function missingTools() {
  const missing = [];
  if (!has('redis-server') || !has('redis-cli')) missing.push({ tool: 'redis-server and redis-cli', debian: 'redis-server' });
  if (!existsSync(CHROMIUM)) missing.push({ tool: `Chromium (${CHROMIUM})`, debian: 'chromium' });
  return missing;
}

function run(title, command, args, env = {}) {
  console.log(`\n▶ ${title}: ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) {
    console.error(`\n✗ ${title} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}

function provision() {
  let missing = missingTools();
  if (missing.length === 0) return;
  const packages = missing.map((m) => m.debian);
  // apt-get needs root: run it directly as root, through password-less sudo otherwise.
  const aptGet = process.getuid?.() === 0 ? ['apt-get'] : has('sudo') ? ['sudo', '-n', 'apt-get'] : null;
  if (has('apt-get') && aptGet !== null) {
    const [command, ...prefix] = aptGet;
    const apt = (...args) =>
      spawnSync(command, [...prefix, ...args], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
    console.log(`Installing ${packages.join(' ')} with apt-get…`);
    // A fresh machine may have no package lists yet: update once and retry.
    if (!apt('install', '-y', ...packages) && apt('update')) apt('install', '-y', ...packages);
    missing = missingTools();
  }
  if (missing.length !== 0) {
    console.error('\nThe tests need tools this machine does not have and that could not be installed here:');
    for (const m of missing) console.error(`  - ${m.tool} (Debian/Ubuntu package: ${m.debian})`);
    console.error('Install them (for example: sudo apt-get install -y ' + missing.map((m) => m.debian).join(' ') + ') and run npm test again.');
    process.exit(1);
  }
}

provision();
run('Type check', 'npx', ['tsc', '-b']);
run('Lint', 'npx', ['eslint', '.', '--max-warnings', '0']);
run('Unit, component and differential tests', 'npx', ['vitest', 'run']);
run('Browser tests', 'npx', ['playwright', 'test'], { CHROMIUM_PATH: CHROMIUM });
console.log('\n✓ Every suite passed.');
