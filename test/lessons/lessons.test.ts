/**
 * Every built-in lesson, walked step by step on a fresh lab through the lesson runner: what each
 * step's narration says is checked against the lab it describes, and every question is answered
 * and revealed, so the check line's real output picks exactly one of its choices. The narration
 * keys exist in both languages.
 */
import { createLabStore, type LabStore } from '../../src/store/index.ts';
import { createLessonStore, type LessonStore } from '../../src/lessons/lesson-store.ts';
import { BUILTIN_LESSONS } from '../../src/lessons/builtin.ts';
import { choiceMatches, isInlineText, type Lesson, type LessonText } from '../../src/lessons/format.ts';
import { englishStrings, arabicStrings } from '../../src/i18n/resources.ts';

const EPOCH_MS = Date.UTC(2026, 0, 1, 9, 0, 0);

const fileNames = (lab: LabStore): string[] => lab.getState().persistence.disk.files.map((file) => file.name);
const fileRow = (lab: LabStore, name: string) => lab.getState().persistence.disk.files.find((file) => file.name === name);
const logText = (lab: LabStore): string => lab.getState().serverLog.map((line) => line.text).join('\n');
const keyNames = (lab: LabStore): string[] => lab.getState().keyspace.dbs.flatMap((db) => db.keys.map((key) => key.name));
const lastReply = (lab: LabStore, line: string): string => {
  const entry = [...lab.getState().transcript].reverse().find((each) => each.line === line);
  if (entry === undefined) throw new Error(`no "${line}" in the console`);
  return entry.output.kind === 'reply' ? entry.output.text : entry.output.kind;
};
/** The log lines of the node now running (since its last start). */
const sinceStart = (lab: LabStore): string => {
  const lines = lab.getState().serverLog.map((line) => line.text);
  const start = lines.findLastIndex((line) => line.includes('Redis is starting'));
  return lines.slice(Math.max(0, start)).join('\n');
};
const aofTexts = (lab: LabStore): string[] => lab.getState().aof.commands.map((command) => command.text);
/** Where the AOF panel shows a command's bytes: `durable`, `cached` or `buffer`. */
const aofLayer = (lab: LabStore, text: string): string | undefined => lab.getState().aof.commands.findLast((command) => command.text === text)?.layer;
const directive = (lab: LabStore, name: string) => lab.getState().config.directives.find((each) => each.name === name);
const keyPreview = (lab: LabStore, name: string): string | undefined =>
  lab.getState().keyspace.dbs.flatMap((db) => db.keys).find((key) => key.name === name)?.preview;

type Fact = (lab: LabStore) => void;

/** What each step's narration states, once the step is entered and (for a question) after the reveal. */
const FACTS: Record<string, { entered: Fact; revealed?: Fact }> = {
  'why-persistence:0': { entered: (lab) => expect(lab.getState().keyspace.totalKeys).toBe(0) },
  'why-persistence:1': {
    entered: (lab) => {
      expect(keyNames(lab).sort()).toEqual(['user:1', 'user:2', 'visits']);
      expect(fileNames(lab)).toEqual([]);
    },
  },
  'why-persistence:2': {
    entered: (lab) => expect(lab.getState().lifecycle.pid).toBe(4242),
    revealed: (lab) => {
      expect(lab.getState().lifecycle).toMatchObject({ running: true, pid: 4243 });
      expect(lab.getState().keyspace.totalKeys).toBe(0);
    },
  },
  'why-persistence:3': {
    entered: (lab) => {
      const log = sinceStart(lab);
      expect(log).toContain('Redis is starting');
      expect(log).toContain('Server initialized');
      expect(log).toContain('Ready to accept connections');
      expect(log).not.toContain('DB loaded from disk');
    },
  },
  'why-persistence:4': {
    entered: (lab) => {
      expect(fileRow(lab, 'dump.rdb')?.durableBytes).toBeGreaterThan(0);
      // The restart forgot CONFIG SET save "": redis.conf's default save points are back.
      expect(directive(lab, 'save')).toMatchObject({ running: '3600 1 300 100 60 10000', changed: false });
    },
    revealed: (lab) => expect(sinceStart(lab)).toContain('DB loaded from disk'),
  },
  'why-persistence:5': { entered: (lab) => expect(fileNames(lab)).toEqual(['dump.rdb']) },

  'rdb-snapshots:0': {
    entered: (lab) => {
      expect(fileNames(lab)).toEqual(['dump.rdb']);
      expect(lab.getState().keyspace.totalKeys).toBe(1001);
      expect(lastReply(lab, 'SAVE')).toBe('OK');
    },
  },
  'rdb-snapshots:1': {
    entered: (lab) => {
      expect(lastReply(lab, 'BGSAVE')).toBe('Background saving started');
      expect(lab.getState().persistence.processes.child).toMatchObject({ pid: 4243, state: 'writing', tempName: 'temp-4243.rdb' });
      expect(fileRow(lab, 'temp-4243.rdb')?.sizeBytes).toBeGreaterThan(0);
      expect(fileNames(lab)).toContain('dump.rdb');
    },
  },
  'rdb-snapshots:2': {
    entered: (lab) => {
      expect(lab.getState().persistence.processes.child?.state).toBe('writing');
      expect(lab.getState().persistence.processes.grid?.copiedPerCell.some((copied) => copied > 0)).toBe(true);
      // The panel's title line adds the copied pages up.
      expect(lab.getState().persistence.processes.grid?.cowBytes).toBeGreaterThan(0);
      expect(lastReply(lab, 'GET greeting')).toBe('"changed"');
    },
  },
  'rdb-snapshots:3': {
    entered: (lab) => {
      expect(fileNames(lab)).toEqual(['dump.rdb']);
      expect(lab.getState().persistence.processes.child).toBeNull();
      expect(lab.getState().persistence.status.lastBgsaveStatus).toBe('ok');
      const log = logText(lab);
      expect(log).toMatch(/4243:C .* DB saved on disk/);
      expect(log).toMatch(/4242:M .* Background saving terminated with success/);
      // The first start-up lines carry C too, though the main process wrote them.
      expect(log).toMatch(/4242:C .* Redis is starting/);
      // The pages copied on write are a few KB, which the log rounds down to 0 MB (step 6 quotes this line).
      expect(log).toMatch(/4243:C .* Fork CoW for RDB: current 0 MB/);
      expect(lab.getState().events.filter(({ event }) => event.type === 'page.copied').length).toBeGreaterThan(0);
    },
  },
  'rdb-snapshots:4': {
    entered: (lab) => {
      // greeting is listed first in the keyspace panel, with its new value.
      expect(keyNames(lab)[0]).toBe('greeting');
      expect(keyPreview(lab, 'greeting')).toBe('"changed"');
      // The changes made after the fork are still counted as unsaved.
      expect(lab.getState().persistence.status.changesSinceLastSave).toBe(2);
    },
    // The crash lost both writes made after the fork.
    revealed: (lab) => expect(keyPreview(lab, 'user:1')).not.toBe('"changed"'),
  },
  'rdb-snapshots:5': {
    entered: (lab) => {
      expect(directive(lab, 'save')?.running).toBe('5 4');
      expect(lab.getState().persistence.status.changesSinceLastSave).toBe(4);
    },
    // The explanation: the server log shows the automatic save before the power cut.
    revealed: (lab) => {
      const events = lab.getState().events.map(({ event }) => event);
      const saving = events.findIndex((event) => event.type === 'log.line' && event.text.includes('4 changes in 5 seconds. Saving...'));
      const cut = events.findIndex((event) => event.type === 'process.crashed' && event.kind === 'power');
      expect(saving).toBeGreaterThanOrEqual(0);
      expect(saving).toBeLessThan(cut);
    },
  },
  'rdb-snapshots:6': {
    // One more BGSAVE: the processes panel shows how long its fork blocked the parent.
    entered: (lab) => {
      expect(lab.getState().lifecycle.running).toBe(true);
      expect(lastReply(lab, 'BGSAVE')).toBe('Background saving started');
      const { processes } = lab.getState().persistence;
      expect(processes.child).not.toBeNull();
      // About 1 MB of memory at 15 ms per GB: a fork of about 15 µs.
      const memoryBytes = (processes.grid?.pageCount ?? 0) * (processes.grid?.pageSizeBytes ?? 0);
      expect(memoryBytes).toBeGreaterThan(0.8e6);
      expect(memoryBytes).toBeLessThan(1.3e6);
      expect(processes.latestForkUs).toBe(15);
    },
  },
  // The recap names the files of the lesson: the snapshot the save points wrote is on disk.
  'rdb-snapshots:7': { entered: (lab) => expect(fileNames(lab)).toContain('dump.rdb') },

  'snapshot-failures:0': {
    entered: (lab) => {
      expect(lab.getState().keyspace.totalKeys).toBe(5);
      expect(fileNames(lab)).toEqual(['dump.rdb']);
      expect(directive(lab, 'save')?.running).toBe('3600 1 300 100 60 10000');
    },
  },
  'snapshot-failures:1': {
    entered: (lab) => {
      expect(lab.getState().persistence.processes.child?.pid).toBe(4243);
      expect(fileRow(lab, 'temp-4243.rdb')?.sizeBytes).toBeGreaterThan(0);
    },
  },
  'snapshot-failures:2': {
    entered: (lab) => {
      expect(logText(lab)).toContain('Background saving terminated by signal 9');
      expect(fileNames(lab)).toEqual(['dump.rdb']);
    },
  },
  'snapshot-failures:3': {
    entered: (lab) => {
      expect(logText(lab)).toContain('Background saving terminated by signal 9');
      expect(lab.getState().persistence.status.lastBgsaveStatus).toBe('err');
      expect(directive(lab, 'save')?.running).toBe('3600 1 300 100 60 10000');
      expect(directive(lab, 'stop-writes-on-bgsave-error')).toMatchObject({ running: 'yes', changed: false });
    },
    revealed: (lab) => {
      expect(lastReply(lab, 'SET f 6')).toMatch(/^\(error\) MISCONF Redis is configured to save RDB snapshots/);
      expect(lab.getState().persistence.status.lastBgsaveStatus).toBe('err');
    },
  },
  'snapshot-failures:4': {
    entered: (lab) => {
      expect(lastReply(lab, 'GET a')).toBe('"1"');
      const log = logText(lab);
      expect(log).toContain('Write error saving DB on disk(fflush): No space left on device');
      expect(log).toContain('Background saving error');
    },
  },
  'snapshot-failures:5': {
    entered: (lab) => expect(lab.getState().persistence.status.lastBgsaveStatus).toBe('err'),
    revealed: (lab) => {
      expect(logText(lab)).toContain('Background saving terminated with success');
      expect(lab.getState().persistence.status.lastBgsaveStatus).toBe('ok');
    },
  },
  'snapshot-failures:6': { entered: (lab) => expect(lab.getState().keyspace.totalKeys).toBe(6) },
  'snapshot-failures:7': { entered: (lab) => expect(lab.getState().keyspace.totalKeys).toBe(5) },

  'aof-log:0': {
    entered: (lab) => {
      expect(lab.getState().aof.state).toBe('on');
      expect(fileNames(lab).sort()).toEqual([
        'appendonlydir/appendonly.aof.1.base.rdb',
        'appendonlydir/appendonly.aof.1.incr.aof',
        'appendonlydir/appendonly.aof.manifest',
      ]);
    },
  },
  'aof-log:1': {
    entered: (lab) => {
      const logged = aofTexts(lab);
      expect(logged).toContain('SET user:1 Ada');
      expect(logged.some((text) => /^PEXPIREAT user:1 \d{13}$/.test(text))).toBe(true);
      expect(logged).toContain('INCR visits');
      // SELECT 0 heads the log: the database the commands after it belong to.
      expect(logged[0]).toBe('SELECT 0');
    },
  },
  'aof-log:2': {
    entered: (lab) => {
      const incr = fileRow(lab, 'appendonlydir/appendonly.aof.1.incr.aof');
      expect(incr?.cachedBytes).toBeGreaterThan(0);
      expect(incr?.durableBytes).toBeGreaterThan(0);
      expect(lab.getState().aof.appendfsync).toBe('everysec');
      // The first write of the second was fsynced right after it; the next ones wait for the next second.
      expect(aofLayer(lab, 'SET user:1 Ada')).toBe('durable');
      expect(aofLayer(lab, 'INCR visits')).toBe('cached');
      expect(lab.getState().aof.commands.some((command) => command.text.startsWith('PEXPIREAT') && command.layer === 'cached')).toBe(true);
    },
  },
  'aof-log:3': {
    entered: (lab) => {
      expect(fileRow(lab, 'appendonlydir/appendonly.aof.1.incr.aof')?.cachedBytes).toBeGreaterThan(0);
      expect(aofLayer(lab, 'INCR visits')).toBe('cached');
    },
  },
  'aof-log:4': {
    // order:1 waits in the page cache: the last command of the file is beyond the durable bytes.
    entered: (lab) => {
      const { aof } = lab.getState();
      expect(aof.commands.at(-1)?.text).toBe('SET order:1 paid');
      expect(aof.durableBytes).toBeLessThan(aof.fileBytes);
      // The clock has not left the second of the last fsync (SET user:1 Ada's): PEXPIREAT and INCR still wait.
      const fsyncs = lab.getState().events.flatMap(({ event }) => (event.type === 'file.fsynced' && event.name.endsWith('.incr.aof') ? [event.atMs] : []));
      expect(Math.floor((fsyncs.at(-1) ?? -1e9) / 1000)).toBe(Math.floor(lab.getState().nowMs / 1000));
      expect(aofLayer(lab, 'SET user:1 Ada')).toBe('durable');
      expect(aof.commands.find((command) => command.text.startsWith('PEXPIREAT'))?.layer).toBe('cached');
      expect(aofLayer(lab, 'INCR visits')).toBe('cached');
    },
    // The explanation: the power cut took PEXPIREAT and INCR visits too, left in the page cache by the process crash.
    revealed: (lab) => {
      expect(keyNames(lab)).not.toContain('visits');
      const user = lab.getState().keyspace.dbs.flatMap((db) => db.keys).find((key) => key.name === 'user:1');
      expect(user?.expireAtMs).toBeNull();
    },
  },
  'aof-log:5': {
    entered: (lab) => {
      const { aof } = lab.getState();
      expect(aof.appendfsync).toBe('always');
      expect(aof.durableBytes).toBe(aof.fileBytes);
    },
  },
  'aof-log:6': {
    entered: (lab) => {
      const { aof } = lab.getState();
      expect(aof.appendfsync).toBe('no');
      expect(aof.durableBytes).toBeLessThan(aof.fileBytes);
    },
  },
  'aof-log:7': {
    entered: (lab) => {
      expect(lab.getState().aof.state).toBe('on');
      // The power-cut restart went back to redis.conf's policy.
      expect(lab.getState().aof.appendfsync).toBe('everysec');
    },
  },

  'aof-rewrite:0': {
    entered: (lab) => {
      expect(aofTexts(lab).filter((text) => text === 'INCR counter')).toHaveLength(10);
      expect(lab.getState().keyspace.totalKeys).toBe(1);
    },
  },
  'aof-rewrite:1': {
    entered: (lab) => {
      expect(fileNames(lab)).toContain('appendonlydir/appendonly.aof.2.incr.aof');
      expect(fileNames(lab)).toContain('temp-rewriteaof-4244.aof');
      expect(logText(lab)).toContain('Background append only file rewriting started by pid 4244');
    },
  },
  'aof-rewrite:2': {
    entered: (lab) => expect(lab.getState().aof.file).toBe('appendonlydir/appendonly.aof.2.incr.aof'),
    // The old base and incr became history and were deleted.
    revealed: (lab) => {
      const logged = lab.getState().events.flatMap(({ event }) => (event.type === 'log.line' ? [event.text] : []));
      expect(logged.some((text) => text.endsWith('Removing the history file appendonly.aof.1.base.rdb in the background'))).toBe(true);
      expect(logged.some((text) => text.endsWith('Removing the history file appendonly.aof.1.incr.aof in the background'))).toBe(true);
    },
  },
  'aof-rewrite:3': {
    entered: (lab) => {
      expect(fileNames(lab).sort()).toEqual([
        'appendonlydir/appendonly.aof.2.base.rdb',
        'appendonlydir/appendonly.aof.2.incr.aof',
        'appendonlydir/appendonly.aof.manifest',
      ]);
      // The narration quotes the manifest's two lines.
      const manifest = new TextDecoder().decode(lab.getState().readDiskFile('appendonlydir/appendonly.aof.manifest') ?? new Uint8Array());
      expect(manifest).toBe('file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n');
    },
  },
  'aof-rewrite:4': {
    entered: (lab) => {
      expect(fileNames(lab)).toContain('appendonlydir/appendonly.aof.3.base.aof');
      const base = new TextDecoder().decode(lab.getState().readDiskFile('appendonlydir/appendonly.aof.3.base.aof') ?? new Uint8Array());
      expect(base).toContain('$3\r\nSET\r\n$7\r\ncounter\r\n$2\r\n11\r\n');
    },
  },
  'aof-rewrite:5': {
    entered: (lab) => {
      expect(logText(lab)).toMatch(/Starting automatic rewriting of AOF on \d+% growth/);
      expect(fileNames(lab)).toContain('appendonlydir/appendonly.aof.4.base.aof');
    },
  },
  'aof-rewrite:6': { entered: (lab) => expect(fileNames(lab)).toContain('appendonlydir/appendonly.aof.manifest') },

  'restart:0': { entered: (lab) => expect(fileNames(lab)).toEqual(['dump.rdb']) },
  'restart:1': {
    entered: (lab) => expect(lab.getState().keyspace.totalKeys).toBe(2),
    revealed: (lab) => {
      expect(sinceStart(lab)).toContain('Creating AOF base file appendonly.aof.1.base.rdb on server start');
      expect(fileNames(lab)).toContain('dump.rdb');
      // A new AOF whose base is not empty: it holds an empty dataset.
      expect(fileRow(lab, 'appendonlydir/appendonly.aof.1.base.rdb')?.sizeBytes).toBeGreaterThan(0);
      expect(lab.getState().keyspace.totalKeys).toBe(0);
    },
  },
  'restart:2': {
    entered: (lab) => {
      expect(lastReply(lab, 'DBSIZE')).toBe('(integer) 2');
      expect(lab.getState().aof.state).toBe('off');
    },
  },
  'restart:3': {
    entered: (lab) => expect(lab.getState().aof.state).toBe('on'),
    revealed: (lab) => expect(sinceStart(lab)).toContain('Reading RDB base file on AOF loading...'),
  },
  'restart:4': {
    entered: (lab) => {
      expect(lab.getState().lifecycle.running).toBe(false);
      // Two whole commands, then the last one torn after `pa`.
      const incr = new TextDecoder().decode(lab.getState().readDiskFile('appendonlydir/appendonly.aof.1.incr.aof') ?? new Uint8Array());
      expect(incr.endsWith('order:2\r\n$4\r\npaid\r\n*3\r\n$3\r\nSET\r\n$7\r\norder:3\r\n$2\r\npa')).toBe(true);
    },
    revealed: (lab) => {
      const log = sinceStart(lab);
      expect(log).toContain('!!! Warning: short read while loading the AOF file appendonly.aof.1.incr.aof!!!');
      expect(log).toContain('loaded anyway because aof-load-truncated is enabled');
    },
  },
  'restart:5': {
    entered: (lab) => expect(lab.getState().lifecycle.running).toBe(false),
    revealed: (lab) => expect(sinceStart(lab)).toContain('Unexpected end of file reading the append only file appendonly.aof.1.incr.aof'),
  },
  'restart:6': {
    entered: (lab) => expect(lab.getState().lifecycle.running).toBe(false),
    revealed: (lab) => {
      expect(lab.getState().lifecycle.running).toBe(false);
      expect(sinceStart(lab)).toContain('Bad file format reading the append only file appendonly.aof.1.incr.aof');
    },
  },
  'restart:7': {
    entered: (lab) => expect(lab.getState().lifecycle.running).toBe(false),
    // The tool cut the file at the bad byte: order:3, whole but after it, went too.
    revealed: (lab) => {
      expect(lab.getState().lifecycle.running).toBe(true);
      expect(keyNames(lab).filter((key) => key.startsWith('order:'))).toEqual(['order:1']);
    },
  },
  'restart:8': {
    entered: (lab) => {
      expect(lab.getState().lifecycle.running).toBe(true);
      expect(keyNames(lab).sort()).toEqual(['order:1', 'user:1', 'user:2']);
    },
  },

  'choosing:0': { entered: (lab) => expect(lab.getState().keyspace.totalKeys).toBe(0) },
  'choosing:1': { entered: (lab) => expect(fileNames(lab)).toEqual(['dump.rdb']) },
  'choosing:2': {
    entered: (lab) => {
      const { aof } = lab.getState();
      expect(aof.commands.at(-1)?.text).toBe('SET order:6 paid');
      expect(aof.durableBytes).toBeLessThan(aof.fileBytes);
      // order:5, the first write of a new second, was fsynced right after it; order:6 waits.
      expect(aofLayer(lab, 'SET order:4 paid')).toBe('durable');
      expect(aofLayer(lab, 'SET order:5 paid')).toBe('durable');
      expect(aofLayer(lab, 'SET order:6 paid')).toBe('cached');
    },
  },
  'choosing:3': { entered: (lab) => expect(lab.getState().aof.appendfsync).toBe('always') },
  'choosing:4': {
    entered: (lab) => {
      expect(fileNames(lab)).toContain('dump.rdb');
      expect(lab.getState().aof.state).toBe('on');
    },
  },
  'choosing:5': { entered: (lab) => expect(fileNames(lab)).toContain('appendonlydir/appendonly.aof.manifest') },
};

function openFresh(): { lab: LabStore; lessons: LessonStore } {
  const lab = createLabStore({ epochMs: EPOCH_MS });
  return { lab, lessons: createLessonStore({ lab }) };
}

/** Every text of a lesson, its tables' included. */
function textsOf(lesson: Lesson): LessonText[] {
  return [
    lesson.title,
    ...(lesson.summary === undefined ? [] : [lesson.summary]),
    ...lesson.steps.flatMap((step) => [
      ...step.narration,
      ...(step.table === undefined
        ? []
        : [step.table.caption, ...step.table.columns, ...step.table.rows.flatMap((row) => [row.heading, ...row.cells]), ...(step.table.note === undefined ? [] : [step.table.note])]),
      ...(step.question === undefined
        ? []
        : [step.question.prompt, ...step.question.choices.map((choice) => choice.label), ...(step.question.explain === undefined ? [] : [step.question.explain])]),
    ]),
  ];
}

function lookUp(strings: object, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined), strings);
}

describe('the built-in lessons', () => {
  test('are the seven of the course, each of 5 to 9 steps with at least one question', () => {
    expect(BUILTIN_LESSONS.map((lesson) => lesson.id)).toEqual([
      'why-persistence',
      'rdb-snapshots',
      'snapshot-failures',
      'aof-log',
      'aof-rewrite',
      'restart',
      'choosing',
    ]);
    for (const lesson of BUILTIN_LESSONS) {
      expect(lesson.steps.length, lesson.id).toBeGreaterThanOrEqual(5);
      expect(lesson.steps.length, lesson.id).toBeLessThanOrEqual(9);
      expect(lesson.steps.some((step) => step.question !== undefined), lesson.id).toBe(true);
    }
  });

  test('every narration key exists in English and in Arabic', () => {
    for (const lesson of BUILTIN_LESSONS) {
      for (const text of textsOf(lesson)) {
        expect(isInlineText(text), `${lesson.id}: built-in lessons use keys`).toBe(false);
        const key = text as string;
        expect(typeof lookUp(englishStrings, key), `en ${key}`).toBe('string');
        expect(typeof lookUp(arabicStrings, key), `ar ${key}`).toBe('string');
      }
    }
  });

  test('every step has its facts checked here', () => {
    const steps = BUILTIN_LESSONS.flatMap((lesson) => lesson.steps.map((step, index) => ({ id: `${lesson.id}:${index}`, step })));
    expect(Object.keys(FACTS).sort()).toEqual(steps.map(({ id }) => id).sort());
    for (const { id, step } of steps) expect(FACTS[id]?.revealed === undefined || step.question !== undefined, id).toBe(true);
  });

  for (const lesson of BUILTIN_LESSONS) {
    test(`${lesson.id}: each step shows what its narration says, and the lab answers each question`, () => {
      const { lab, lessons } = openFresh();
      expect(lessons.getState().openLesson(lesson.id, 0)).toBe(true);
      lesson.steps.forEach((step, index) => {
        const id = `${lesson.id}:${index}`;
        expect(lessons.getState().step, id).toBe(index);
        // No line of a lesson fails to parse, and no step leaves the clock running.
        expect(lab.getState().transcript.every((entry) => entry.output.kind !== 'invalid'), id).toBe(true);
        expect(lab.getState().paused, id).toBe(true);
        FACTS[id]?.entered(lab);
        if (step.question !== undefined) {
          lessons.getState().choose(0);
          lessons.getState().reveal();
          const { question } = lessons.getState();
          const output = question?.output ?? '';
          const matching = step.question.choices.flatMap((choice, at) => (choiceMatches(choice, output) ? [at] : []));
          expect(matching, `${id}: "${output}" must pick exactly one choice`).toHaveLength(1);
          expect(question?.rightChoice, id).toBe(matching[0]);
          FACTS[id]?.revealed?.(lab);
        }
        lessons.getState().next();
      });
      expect(lessons.getState().finished).toBe(true);
      expect(lessons.getState().completed).toContain(lesson.id);
    });
  }
});
