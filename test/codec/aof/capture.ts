/**
 * Records what the real redis-server 7.0.15 and redis-check-aof 7.0.15 do with hand-made AOF
 * directories: run it by hand, never in CI.
 *
 *   npx tsx test/codec/aof/capture.ts            # needs redis-server and redis-check-aof on the PATH
 *
 * It writes test/codec/aof/fixtures/captures.json. Every case holds its input (the manifest and
 * the files of an appendonlydir, as bin strings: JSON strings of code units 0–255) and what the
 * real programs did with it:
 * - `server`: redis-server started with `--appendonly yes` on that directory (ports 6530-6539,
 *   one scratch dir under /tmp per case), once with `aof-load-truncated yes` and once with `no`.
 *   We keep its log with the `pid:role date time` prefix cut off (each entry is `<level> <message>`;
 *   a message with embedded newlines stays one entry), minus the lines every start prints (banner,
 *   overcommit warning, "Server initialized", "Ready to accept connections", shutdown lines), and
 *   with load timings replaced by `<t>`. Also: whether it came up, its exit code if it exited by
 *   itself, the keys of each db when it came up, and the size of every file afterwards (the loader
 *   truncates files on disk).
 * - `check`: redis-check-aof run on the manifest (multi part) and, for single-file cases, on the
 *   file alone (old style), each without and with `--fix` (answering `y`). We keep stdout, the exit
 *   code and the file sizes afterwards. Run from the case directory, so names print as typed.
 * - `format`: the manifest a fresh server writes for a given `appendfilename` (quoting rules).
 * The script only uses node:child_process and node:fs, not the code under test.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Shifted by LAB_REDIS_PORT_OFFSET, as the tests' ports are (see test/support/real-redis.ts).
const PORTS = [6530, 6531, 6532, 6533, 6534, 6535, 6536, 6537, 6538, 6539].map((port) => port + Number(process.env.LAB_REDIS_PORT_OFFSET ?? '0'));
const here = new URL('.', import.meta.url).pathname;
const fixtureDir = join(here, '../../fixtures/real-redis-7.0');
const scratch = mkdtempSync(join(tmpdir(), 'aof-capture-'));

const mb = (...argv: string[]) => `*${argv.length}\r\n` + argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('');
const bin = (path: string) => readFileSync(path).toString('latin1');

const MANIFEST = 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n';
const SET_A = mb('SET', 'a', '1');
const SET_B = mb('SET', 'b', '2');
const SET_C = mb('set', 'c', '3');
const FULL = mb('set', 'k', 'v');

interface AofCase {
  name: string;
  /** Manifest text; null: no manifest (an old-style `appendonly.aof` in `dir`). */
  manifest: string | null;
  /** File name → content (bin). For manifest cases they live in appendonlydir. */
  files: Record<string, string>;
  /** Also run redis-check-aof on this one file as an old-style AOF. */
  single?: string;
  /** Skip the server run (tool-only cases). */
  noServer?: boolean;
  /** Skip the tool on the manifest. */
  noManifestCheck?: boolean;
}

/** A case whose only interesting file is the incr (empty base). */
const incr = (name: string, content: string, extra: Partial<AofCase> = {}): AofCase => ({
  name,
  manifest: MANIFEST,
  files: { 'appendonly.aof.1.base.aof': '', 'appendonly.aof.1.incr.aof': content },
  single: 'appendonly.aof.1.incr.aof',
  ...extra,
});

const hybridBase = bin(join(fixtureDir, 'aof-hybrid/appendonlydir/appendonly.aof.2.base.rdb'));
const emptyRdb = bin(join(fixtureDir, 'aof-hybrid/before-rewrite/appendonlydir/appendonly.aof.1.base.rdb'));

// ---- The loader and the tool on one RESP file ----------------------------------------------
const cmdFull = FULL; // *3\r\n$3\r\nset\r\n$1\r\nk\r\n$1\r\nv\r\n
const prefixes: AofCase[] = [];
for (let cut = 1; cut < cmdFull.length; cut++) {
  prefixes.push(incr(`truncated at byte ${cut} of the last command: ${JSON.stringify(cmdFull.slice(0, cut))}`, SET_A + cmdFull.slice(0, cut)));
}

const resp: AofCase[] = [
  incr('complete', SET_A + SET_B + SET_C),
  incr('empty incr', ''),
  ...prefixes,
  incr('truncated first command', '*3\r\n$3\r\nset'),
  incr('bulk length too short for payload', SET_A + '*3\r\n$3\r\nset\r\n$5\r\nk\r\n$1\r\nv\r\n' + SET_B),
  incr('bulk length too short at end', SET_A + '*3\r\n$3\r\nset\r\n$5\r\nk\r\n$1\r\nv\r\n'),
  incr('bulk length too long for payload', SET_A + '*3\r\n$3\r\nset\r\n$1\r\nkey\r\n$1\r\nv\r\n' + SET_B),
  incr('payload followed by XY instead of CRLF', SET_A + '*3\r\n$3\r\nsetXY$1\r\nk\r\n$1\r\nvZZ' + SET_B),
  incr('garbage line in the middle', SET_A + 'garbage\r\n' + SET_B),
  incr('garbage at the start', 'hello world\r\n' + SET_A),
  incr('garbage bytes without newline at end', SET_A + 'xyz'),
  incr('blank CRLF line at end', SET_A + '\r\n'),
  incr('blank LF line at end', SET_A + '\n'),
  incr('argument line without $', SET_A + '*3\r\n$3\r\nset\r\nk\r\n$1\r\nv\r\n'),
  incr('argc 0', SET_A + '*0\r\n' + SET_B),
  incr('argc -1', SET_A + '*-1\r\n' + SET_B),
  incr('argc not a number', SET_A + '*abc\r\n' + SET_B),
  incr('argc with leading space', SET_A + '* 3\r\n$3\r\nset\r\n$1\r\nk\r\n$1\r\nv\r\n'),
  incr('argc with trailing junk', SET_A + '*3abc\r\n$3\r\nset\r\n$1\r\nk\r\n$1\r\nv\r\n'),
  incr('argc with plus sign', SET_A + '*+3\r\n$3\r\nset\r\n$1\r\nk\r\n$1\r\nv\r\n'),
  incr('argc with leading zero', SET_A + '*03\r\n$3\r\nset\r\n$1\r\nk\r\n$1\r\nv\r\n'),
  incr('argc line ends with LF only', SET_A + '*3\n$3\r\nset\r\n$1\r\nk\r\n$1\r\nv\r\n'),
  incr('bulk length not a number', SET_A + '*3\r\n$3\r\nset\r\n$x\r\n\r\n$1\r\nv\r\n'),
  incr('bulk length with trailing junk', SET_A + '*3\r\n$3\r\nset\r\n$1x\r\nk\r\n$1\r\nv\r\n'),
  incr('bulk length negative', SET_A + '*3\r\n$3\r\nset\r\n$-1\r\n$1\r\nv\r\n'),
  incr('bulk length with leading zero', SET_A + '*3\r\n$3\r\nset\r\n$01\r\nk\r\n$1\r\nv\r\n'),
  incr('bulk length huge at end', SET_A + '*3\r\n$3\r\nset\r\n$1000000\r\nabc'),
  incr('LF-only line endings', '*3\n$3\nset\n$1\nk\n$1\nv\n'),
  incr('argc huge then EOF', SET_A + '*100000\r\n'),
  incr('timestamp annotations', '#TS:1795469513\r\n' + SET_A + '#TS:1795469514\r\n' + SET_B),
  incr('other annotation line', '# a comment\r\n' + SET_A),
  incr('annotation at EOF without newline', SET_A + '#TS:12'),
  incr('annotation of 1500 bytes', SET_A + '#' + 'x'.repeat(1499) + '\r\n' + SET_B),
  incr('annotation split at 1023 bytes hides a command', SET_A + '#' + 'x'.repeat(1022) + SET_B),
  incr('annotation split at 1024 bytes hides a command', SET_A + '#' + 'x'.repeat(1023) + SET_B),
  incr('argc line of 1500 bytes', SET_A + '*1' + ' '.repeat(1498) + '\r\n$4\r\nPING\r\n' + SET_B),
  incr('bulk length line of 1500 bytes', SET_A + '*1\r\n$4' + ' '.repeat(1498) + '\r\nPING\r\n' + SET_B),
  incr('NUL in argc line', SET_A + '*3\x00zz\r\n$3\r\nset\r\n$1\r\nk\r\n$1\r\nv\r\n'),
  incr('byte ff as line start', SET_A + '\xff\xfe\r\n' + SET_B),
  incr('unknown command', SET_A + mb('FOO', 'bar') + SET_B),
  incr('unknown command lowercase', SET_A + mb('nosuchcmd')),
  incr('wrong arity SET', SET_A + mb('SET', 'x') + SET_B),
  incr('command error: INCR on a list', mb('RPUSH', 'l', 'a') + mb('INCR', 'l') + SET_B),
  incr('read-only command', SET_A + mb('GET', 'a') + SET_B),
  incr('SELECT out of range', SET_A + mb('SELECT', '99') + SET_B),
  incr('MULTI complete', SET_A + mb('MULTI') + SET_B + SET_C + mb('EXEC')),
  incr('MULTI without EXEC at EOF', SET_A + mb('MULTI') + SET_B + SET_C),
  incr('MULTI then truncated command', SET_A + mb('MULTI') + SET_B + '*3\r\n$3\r\nse'),
  incr('MULTI alone at EOF', SET_A + mb('MULTI')),
  incr('MULTI as the first command without EXEC', mb('MULTI') + SET_B),
  incr('MULTI then garbage', SET_A + mb('MULTI') + SET_B + 'garbage\r\n'),
  incr('nested MULTI', SET_A + mb('MULTI') + mb('MULTI') + SET_B + mb('EXEC')),
  incr('EXEC without MULTI', SET_A + mb('EXEC') + SET_B),
  incr('lowercase multi/exec', SET_A + mb('multi') + SET_B + mb('exec')),
  incr('two MULTI blocks, second open', mb('MULTI') + SET_A + mb('EXEC') + mb('MULTI') + SET_B),
  incr('DISCARD inside MULTI', mb('MULTI') + SET_A + mb('DISCARD') + SET_B),
  incr('MULTI then annotation then EOF', mb('MULTI') + SET_A + '#TS:1\r\n'),
  incr('binary payload with CRLF inside', mb('SET', 'bin\r\nkey', 'v\x00\xff\r\n')),
  incr('RDB preamble in incr', emptyRdb + SET_A),
  incr('timestamp annotation before MULTI open', SET_A + '#TS:5\r\n' + mb('MULTI') + SET_B),
  incr('RDB preamble then truncated first command', emptyRdb + '*2'),
  incr('RDB preamble then garbage', emptyRdb + 'junk\r\n'),
  incr('nested MULTI open at EOF', SET_A + mb('MULTI') + SET_B + mb('MULTI') + SET_C),
  incr('NUL after star in the middle', SET_A + '*\x00\r\n' + SET_B),
  incr('star alone on a line in the middle', SET_A + '*\r\n' + SET_B),
  incr('byte ff in the argc line', SET_A + '*3\xff\r\n$3\r\nset\r\n$1\r\nk\r\n$1\r\nv\r\n'),
  incr('star alone as the whole file', '*'),
  incr('star-digit as the whole file', '*3'),
  incr('a later line starts with file', SET_A + 'file x\r\n'),
  incr('argc overflowing int', SET_A + '*4294967297\r\n$4\r\nPING\r\n' + SET_B),
  incr('unknown command inside MULTI', SET_A + mb('MULTI') + mb('FOO') + mb('EXEC')),
  incr('bulk length with leading space', SET_A + '*3\r\n$3\r\nset\r\n$ 1\r\nk\r\n$1\r\nv\r\n'),
];

// ---- Several files ---------------------------------------------------------------------------
const multi: AofCase[] = [
  {
    name: 'truncated base (not the last file)',
    manifest: MANIFEST,
    files: { 'appendonly.aof.1.base.aof': SET_A + '*3\r\n$3', 'appendonly.aof.1.incr.aof': SET_B },
  },
  {
    name: 'truncated first of two incr files',
    manifest: MANIFEST + 'file appendonly.aof.2.incr.aof seq 2 type i\n',
    files: { 'appendonly.aof.1.base.aof': '', 'appendonly.aof.1.incr.aof': SET_A + '*3\r\n$3', 'appendonly.aof.2.incr.aof': SET_B },
  },
  {
    name: 'truncated second of two incr files',
    manifest: MANIFEST + 'file appendonly.aof.2.incr.aof seq 2 type i\n',
    files: { 'appendonly.aof.1.base.aof': '', 'appendonly.aof.1.incr.aof': SET_A, 'appendonly.aof.2.incr.aof': SET_B + '*3\r\n$3' },
  },
  {
    name: 'MULTI open at the end of a non-last incr file',
    manifest: MANIFEST + 'file appendonly.aof.2.incr.aof seq 2 type i\n',
    files: { 'appendonly.aof.1.base.aof': '', 'appendonly.aof.1.incr.aof': SET_A + mb('MULTI') + SET_B, 'appendonly.aof.2.incr.aof': SET_C + mb('EXEC') },
  },
  {
    name: 'garbage in the base',
    manifest: MANIFEST,
    files: { 'appendonly.aof.1.base.aof': SET_A + 'junk\r\n', 'appendonly.aof.1.incr.aof': SET_B },
  },
  {
    name: 'base only, truncated (last file)',
    manifest: 'file appendonly.aof.1.base.aof seq 1 type b\n',
    files: { 'appendonly.aof.1.base.aof': SET_A + '*3\r\n$3' },
  },
  {
    name: 'RDB base',
    manifest: 'file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n',
    files: { 'appendonly.aof.2.base.rdb': hybridBase, 'appendonly.aof.2.incr.aof': SET_A },
  },
  {
    name: 'RDB base with a RESP tail',
    manifest: 'file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n',
    files: { 'appendonly.aof.2.base.rdb': hybridBase + SET_A, 'appendonly.aof.2.incr.aof': SET_B },
  },
  {
    name: 'RDB base with a truncated RESP tail',
    manifest: 'file appendonly.aof.2.base.rdb seq 2 type b\n',
    files: { 'appendonly.aof.2.base.rdb': hybridBase + SET_A + '*3\r\n$3' },
    single: 'appendonly.aof.2.base.rdb',
  },
  {
    name: 'RDB base with a bad checksum',
    manifest: 'file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n',
    files: { 'appendonly.aof.2.base.rdb': hybridBase.slice(0, -1) + String.fromCharCode(hybridBase.charCodeAt(hybridBase.length - 1) ^ 1), 'appendonly.aof.2.incr.aof': SET_A },
    single: 'appendonly.aof.2.base.rdb',
  },
  {
    name: 'RDB base cut short',
    manifest: 'file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n',
    files: { 'appendonly.aof.2.base.rdb': hybridBase.slice(0, 100), 'appendonly.aof.2.incr.aof': SET_A },
    single: 'appendonly.aof.2.base.rdb',
  },
  {
    name: 'file listed but missing',
    manifest: MANIFEST + 'file appendonly.aof.2.incr.aof seq 2 type i\n',
    files: { 'appendonly.aof.1.base.aof': '', 'appendonly.aof.1.incr.aof': SET_A },
  },
  {
    name: 'history files are not loaded',
    manifest: 'file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.1.incr.aof seq 1 type h\nfile appendonly.aof.2.incr.aof seq 2 type i\n',
    files: { 'appendonly.aof.2.base.aof': SET_A, 'appendonly.aof.1.incr.aof': 'junk', 'appendonly.aof.2.incr.aof': SET_B },
  },
  {
    name: 'old-style appendonly.aof (upgrade)',
    manifest: null,
    files: { 'appendonly.aof': SET_A + SET_B },
    single: 'appendonly.aof',
  },
  {
    name: 'old-style appendonly.aof with RDB preamble and tail',
    manifest: null,
    files: { 'appendonly.aof': hybridBase + SET_A + SET_B },
    single: 'appendonly.aof',
  },
  {
    name: 'old-style appendonly.aof truncated',
    manifest: null,
    files: { 'appendonly.aof': SET_A + SET_B + '*3\r\n$3\r\nse' },
    single: 'appendonly.aof',
  },
  {
    name: 'old-style appendonly.aof with RDB preamble and truncated tail',
    manifest: null,
    files: { 'appendonly.aof': hybridBase + SET_A + '*2' },
    single: 'appendonly.aof',
  },
];

// ---- Manifests -------------------------------------------------------------------------------
const B = 'appendonly.aof.1.base.aof';
const I = 'appendonly.aof.1.incr.aof';
const I2 = 'appendonly.aof.2.incr.aof';
const stdFiles = { [B]: SET_A, [I]: SET_B, [I2]: SET_C };
const man = (name: string, manifest: string, files: Record<string, string> = stdFiles): AofCase => ({ name: `manifest: ${name}`, manifest, files });
const L1 = `file ${B} seq 1 type b\n`;
const L2 = `file ${I} seq 1 type i\n`;
const L3 = `file ${I2} seq 2 type i\n`;

/** `line` plus an extra key/value pair that makes it exactly n bytes long. */
const padLine = (line: string, n: number) => line + ' k ' + 'v'.repeat(n - line.length - 3);

const manifests: AofCase[] = [
  man('standard', L1 + L2),
  man('empty file', ''),
  man('blank line', L1 + '\n' + L2),
  man('whitespace-only line', L1 + ' \t \n' + L2),
  man('comment line', '# hello\n' + L1 + L2),
  man('comment only', '# hello\n'),
  man('comment then error line', '# hello\n' + L1 + 'bogus\n'),
  man('no trailing newline', L1 + L2.slice(0, -1)),
  man('CRLF line endings', L1.replace('\n', '\r\n') + L2.replace('\n', '\r\n')),
  man('tabs and extra spaces', `file\t${B}  seq 1\ttype b\n` + L2),
  man('leading spaces', '   ' + L1 + L2),
  man('five tokens', `file ${B} seq 1 type\n` + L2),
  man('seven tokens', `file ${B} seq 1 type b extra\n` + L2),
  man('unknown key pair', `file ${B} seq 1 type b future yes\n` + L2),
  man('keys in another order', `type b seq 1 file ${B}\n` + L2),
  man('uppercase keys', `FILE ${B} SEQ 1 TYPE b\n` + L2),
  man('uppercase type value', `file ${B} seq 1 type B\n` + L2),
  man('type base (first char counts)', `file ${B} seq 1 type base\n` + L2),
  man('missing seq key', `file ${B} xxx 1 type b\n` + L2),
  man('missing file key', `name ${B} seq 1 type b\n` + L2),
  man('seq 0', `file ${B} seq 0 type b\n` + L2),
  man('seq not a number', `file ${B} seq abc type b\n` + L2),
  man('seq with trailing junk', `file ${B} seq 1abc type b\n` + L2),
  man('seq negative on base', `file ${B} seq -1 type b\n` + L2),
  man('seq negative on incr', L1 + `file ${I} seq -1 type i\n`),
  man('seq huge', `file ${B} seq 99999999999999999999 type b\n` + L2),
  man('empty type', `file ${B} seq 1 type ""\n` + L2),
  man('unknown type', `file ${B} seq 1 type x\n` + L2),
  man('duplicate base', L1 + `file ${I} seq 1 type b\n`),
  man('equal incr seqs', L1 + L2 + `file ${I2} seq 1 type i\n`),
  man('decreasing incr seqs', L1 + L3 + L2),
  man('two incr files', L1 + L2 + L3),
  man('incr before base', L2 + L1),
  man('history in the middle', L1 + `file appendonly.aof.0.incr.aof seq 5 type h\n` + L2),
  man('history after incr', L1 + L2 + `file appendonly.aof.0.incr.aof seq 5 type h\n`),
  man('history only', `file appendonly.aof.0.incr.aof seq 5 type h\n`),
  man('no base', L2),
  man('base only', L1),
  man('file is a path', `file dir/${B} seq 1 type b\n` + L2),
  man('file is an absolute path', `file /tmp/${B} seq 1 type b\n` + L2),
  man('empty file name', `file "" seq 1 type b\n` + L2),
  man('quoted file name', `file "${B}" seq 1 type b\n` + L2),
  man('quoted file name with escapes', `file "appendonly.aof.1.\\x62ase.aof" seq 1 type b\n` + L2),
  man('single-quoted file name', `file '${B}' seq 1 type b\n` + L2),
  man('file name with a space', `file "my base.aof" seq 1 type b\n` + L2, { 'my base.aof': SET_A, [I]: SET_B }),
  man('unbalanced quote', `file "${B} seq 1 type b\n` + L2),
  man('quote not followed by space', `file "${B}"x seq 1 type b\n` + L2),
  man('duplicate file key (last wins)', `file nope.aof seq 1 type b file ${B}\n` + L2),
  ...[1022, 1023, 1024, 1025].map((n) => man(`line of ${n} chars plus newline`, padLine(`file ${B} seq 1 type b`, n) + '\n' + L2)),
  man('backslash in file name', `file "a\\\\b.aof" seq 1 type b\n` + L2),
  man('NUL escape in file name', `file "${B}\\x00zz" seq 1 type b\n` + L2),
  man('blank line at the end', L1 + L2 + '\n'),
  man('long comment line', '#' + 'c'.repeat(1500) + '\n' + L1 + L2),
  man('NUL byte in a line', `file ${B} seq 1 type b\x00junk\n` + L2),
  man('error on line 3', L1 + L2 + 'file x seq\n'),
];

// The tool-only single-file cases that the server cannot see as a file: a manifest-looking file.
const toolOnly: AofCase[] = [
  { name: 'tool: plain file starting with "file"', manifest: null, files: { 'x.aof': 'file x seq 1 type b\n' }, single: 'x.aof', noServer: true },
];

// ---- Runners ---------------------------------------------------------------------------------
interface ServerRun {
  loadTruncated: boolean;
  started: boolean;
  exitCode: number | null;
  log: string[];
  keys: Record<string, string[]>;
  sizesAfter: Record<string, number>;
  manifestAfter: string | null;
}
interface ToolRun {
  args: string[];
  stdout: string;
  exitCode: number | null;
  sizesAfter: Record<string, number>;
}

const BORING = [
  /oO0OoO0OoO0Oo Redis is starting/, /Redis version=/, /Configuration loaded/, /monotonic clock/, /Running mode=/,
  /WARNING Memory overcommit/, /Server initialized/, /Ready to accept connections/, /User requested shutdown/,
  /Removing the pid file/, /ready to exit, bye bye/, /Calling fsync\(\) on the AOF file/, /WARNING: The TCP backlog/,
  /Saving the final RDB snapshot/, /DB saved on disk/,
];
const PREFIX = /^\d+:[MCSX] \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2}\.\d{3} /;

function parseLog(text: string): string[] {
  const entries: string[] = [];
  for (const line of text.replace(/\n$/, '').split('\n')) {
    if (PREFIX.test(line)) entries.push(line.replace(PREFIX, ''));
    else if (entries.length > 0) entries[entries.length - 1] += '\n' + line;
  }
  // A crash report is long and differs each run: keep its first line only.
  const crash = entries.findIndex((e) => e.includes('crashed by signal'));
  if (crash >= 0) entries.length = crash + 1;
  return entries
    .map((e) => e.replace(/\d+\.\d{3} seconds/g, '<t> seconds').replace(/RDB age -?\d+ seconds/, 'RDB age <n> seconds').replace(/usage when created [\d.]+ Mb/, 'usage when created <n> Mb'))
    .filter((e) => !BORING.some((re) => re.test(e)));
}

function writeCase(dir: string, c: AofCase): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const aofDir = c.manifest === null ? dir : join(dir, 'appendonlydir');
  mkdirSync(aofDir, { recursive: true });
  if (c.manifest !== null) writeFileSync(join(aofDir, 'appendonly.aof.manifest'), Buffer.from(c.manifest, 'latin1'));
  for (const [name, content] of Object.entries(c.files)) writeFileSync(join(aofDir, name), Buffer.from(content, 'latin1'));
  return aofDir;
}

function sizes(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p, rel + name + '/');
      else if (!/\.(log|pid)$/.test(name)) out[rel + name] = statSync(p).size;
    }
  };
  walk(dir, '');
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function cli(port: number, ...args: string[]): string {
  return spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'latin1' }).stdout;
}

async function runServer(c: AofCase, port: number, loadTruncated: boolean): Promise<ServerRun> {
  const dir = join(scratch, `srv-${port}`);
  writeCase(dir, c);
  const logfile = join(dir, 'redis.log');
  const child = spawn('redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '',
    '--logfile', logfile, '--daemonize', 'no', '--aof-load-truncated', loadTruncated ? 'yes' : 'no',
  ], { stdio: 'ignore' });
  let exitCode: number | null = null;
  let exited = false;
  child.on('exit', (code, signal) => { exited = true; exitCode = code ?? (signal ? 128 : null); });
  let started = false;
  for (let i = 0; i < 200 && !exited; i++) {
    await sleep(50);
    if (existsSync(logfile) && readFileSync(logfile, 'latin1').includes('Ready to accept connections')) { started = true; break; }
  }
  const keys: Record<string, string[]> = {};
  let manifestAfter: string | null = null;
  if (started) {
    const info = cli(port, 'info', 'keyspace');
    for (const m of info.matchAll(/^db(\d+):keys=/gm)) {
      keys['db' + m[1]] = cli(port, '-n', m[1]!, '--raw', 'keys', '*').split('\n').filter((k) => k !== '').sort();
    }
    const mf = join(dir, 'appendonlydir', 'appendonly.aof.manifest');
    manifestAfter = existsSync(mf) ? bin(mf) : null;
    cli(port, 'shutdown', 'nosave');
    for (let i = 0; i < 100 && !exited; i++) await sleep(50);
    exitCode = null;
  } else if (!exited) {
    child.kill('SIGKILL');
  }
  const log = existsSync(logfile) ? parseLog(readFileSync(logfile, 'latin1')) : [];
  return { loadTruncated, started, exitCode, log, keys, sizesAfter: sizes(dir), manifestAfter };
}

function runTool(c: AofCase, target: 'manifest' | string, fix: boolean): ToolRun {
  const dir = join(scratch, 'tool');
  writeCase(dir, c);
  const path = target === 'manifest' ? 'appendonlydir/appendonly.aof.manifest' : c.manifest === null ? target : 'appendonlydir/' + target;
  const args = fix ? ['--fix', path] : [path];
  const r = spawnSync('redis-check-aof', args, { cwd: dir, input: 'y\n', encoding: 'latin1' });
  return { args, stdout: r.stdout, exitCode: r.status, sizesAfter: sizes(dir) };
}

// ---- Manifest formatting: what a fresh server writes for odd appendfilenames ------------------
const NAMES = ['appendonly.aof', 'my aof', 'q"uote.aof', 'back\\slash.aof', 'tab\tname', 'ctl\x01\x7f.aof', 'caf\xc3\xa9.aof', "it's.aof", 'a\nb'];

/** Starts redis-server with AOF on in `dir`; resolves once it is ready or has exited. */
async function startAof(dir: string, port: number, logfile: string, extra: string[]) {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--logfile', logfile, '--daemonize', 'no', ...extra], { stdio: 'ignore' });
  const state = { exited: false, started: false };
  child.on('exit', () => { state.exited = true; });
  for (let i = 0; i < 100 && !state.exited; i++) {
    await sleep(50);
    if (existsSync(logfile) && readFileSync(logfile, 'latin1').includes('Ready to accept connections')) { state.started = true; break; }
  }
  const stop = async () => {
    if (state.started) cli(port, 'shutdown', 'nosave');
    else if (!state.exited) child.kill('SIGKILL');
    for (let i = 0; i < 100 && !state.exited; i++) await sleep(50);
  };
  return { state, stop };
}

async function runFormat(name: string, port: number) {
  const dir = join(scratch, `fmt-${port}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const nameArg = ['--appendfilename', Buffer.from(name, 'latin1').toString()];
  const first = await startAof(dir, port, join(dir, 'redis.log'), nameArg);
  let manifest: string | null = null;
  let files: string[] = [];
  if (first.state.started) {
    const aofDir = join(dir, 'appendonlydir');
    manifest = bin(join(aofDir, readdirSync(aofDir).find((f) => f.endsWith('.manifest'))!));
    files = readdirSync(aofDir).map((f) => Buffer.from(f).toString('latin1')).sort();
  }
  await first.stop();
  const log = existsSync(join(dir, 'redis.log')) ? parseLog(readFileSync(join(dir, 'redis.log'), 'latin1')) : [];
  // Can the server read back the manifest it wrote?
  const second = first.state.started ? await startAof(dir, port, join(dir, 'restart.log'), nameArg) : null;
  await second?.stop();
  const restart = second === null ? null : { started: second.state.started, log: parseLog(readFileSync(join(dir, 'restart.log'), 'latin1')) };
  return { appendfilename: name, started: first.state.started, manifest, files, log, restart };
}

// History ordering and numbering after several rewrites with auto-GC off.
async function runRewrites(port: number) {
  const dir = join(scratch, `rw-${port}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const logfile = join(dir, 'redis.log');
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--logfile', logfile, '--daemonize', 'no', '--aof-disable-auto-gc', 'yes'], { stdio: 'ignore' });
  let exited = false;
  child.on('exit', () => { exited = true; });
  for (let i = 0; i < 100; i++) {
    await sleep(50);
    if (existsSync(logfile) && readFileSync(logfile, 'latin1').includes('Ready to accept connections')) break;
  }
  const manifests: string[] = [bin(join(dir, 'appendonlydir/appendonly.aof.manifest'))];
  for (let n = 0; n < 3; n++) {
    cli(port, 'set', 'k' + n, 'v');
    cli(port, 'bgrewriteaof');
    for (let i = 0; i < 100; i++) {
      await sleep(50);
      if (/aof_rewrite_in_progress:0/.test(cli(port, 'info', 'persistence')) && !/aof_rewrite_scheduled:1/.test(cli(port, 'info', 'persistence'))) break;
    }
    await sleep(200);
    manifests.push(bin(join(dir, 'appendonlydir/appendonly.aof.manifest')));
  }
  cli(port, 'shutdown', 'nosave');
  for (let i = 0; i < 100 && !exited; i++) await sleep(50);
  return { manifests };
}

// ---- Main --------------------------------------------------------------------------------------
async function pool<T, R>(items: T[], work: (item: T, port: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(PORTS.map(async (port) => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!, port);
    }
  }));
  return out;
}

const all = [...resp, ...multi, ...manifests, ...toolOnly];
const only = process.argv[2];
const selected = only ? all.filter((c) => c.name.includes(only)) : all;

const results = await pool(selected, async (c, port) => {
  const server = c.noServer ? [] : [await runServer(c, port, true), await runServer(c, port, false)];
  const check: ToolRun[] = [];
  if (c.manifest !== null && !c.noManifestCheck) check.push(runTool(c, 'manifest', false), runTool(c, 'manifest', true));
  if (c.single) check.push(runTool(c, c.single, false), runTool(c, c.single, true));
  process.stderr.write('.');
  return { name: c.name, manifest: c.manifest, files: c.files, single: c.single ?? null, server, check };
});
const format = await pool(NAMES, runFormat);
const rewrites = await runRewrites(PORTS[0]!);

const out = {
  note: 'Captured by test/codec/aof/capture.ts from redis-server and redis-check-aof 7.0.15 (Debian bookworm). Do not edit by hand.',
  cases: results,
  format,
  rewrites,
};
writeFileSync(join(here, 'fixtures', only ? 'captures-partial.json' : 'captures.json'), JSON.stringify(out, null, 1) + '\n');
rmSync(scratch, { recursive: true, force: true });
process.stderr.write('\ndone\n');
