import type { TFunction } from 'i18next';
import type { EngineEvent } from '../engine/index.ts';
import type { TranscriptEntry } from '../store/index.ts';
import { displayBin, SIGUSR1_EXIT_CODE } from '../store/index.ts';
import { formatNumber } from '../i18n/index.ts';
import { formatBytesExact, ltrRun } from './format-units.ts';

/**
 * What the screen-reader narration says about a line that ran or an event, in the current
 * language: "SET ran: OK", "GET failed: WRONGTYPE …", "Key greeting expired.". Pure, so the
 * wording is tested without a DOM.
 */

const NARRATED_REPLY_MAX_CHARS = 160;

/** The command's name as typed, upper-cased: the first word, without quotes. */
function commandName(line: string): string {
  return (line.trim().split(/\s+/)[0] ?? '').replace(/^["']|["']$/g, '').toUpperCase();
}

export function narrateEntry(entry: TranscriptEntry, t: TFunction): string | null {
  const { output } = entry;
  switch (output.kind) {
    case 'empty':
      return null;
    case 'clear':
      return t('narration.cleared');
    case 'cli-restarted':
      return t('console.cliRestarted', { db: 0 });
    case 'invalid':
      return t('narration.invalid');
    case 'disconnected':
      return t('narration.failed', { command: commandName(entry.line), reply: output.text });
    case 'reply': {
      const { reply } = output;
      const summary =
        reply.type === 'array' && reply.value !== null && reply.value.length > 0
          ? t('narration.listReply', { count: reply.value.length })
          : (output.text.split('\n')[0] ?? '').replace(/^\(error\) /, '').slice(0, NARRATED_REPLY_MAX_CHARS);
      const command = commandName(entry.line);
      return output.isError ? t('narration.failed', { command, reply: summary }) : t('narration.ran', { command, reply: summary });
    }
  }
}

// ---- the AOF's files, told apart by the names Redis gives them --------------------------------------

/** The rewrite child's temp file, `temp-rewriteaof-<pid>.aof`, and its finished name `temp-rewriteaof-bg-<pid>.aof`. */
const REWRITE_TEMP = /^temp-rewriteaof-(\d+)\.aof$/;
const REWRITE_DONE = /^temp-rewriteaof-bg-(\d+)\.aof$/;
/** An incr file (`appendonly.aof.2.incr.aof`), or the temp one of a first rewrite (`temp-appendonly.aof.incr`). */
const INCR_FILE = /\.incr(\.aof)?$/;
/** The manifest's temp file, written, fsynced and renamed over the manifest. */
const MANIFEST_TEMP = /(^|\/)temp-[^/]*\.manifest$/;
const HISTORY_LINE = /^Removing the history file (\S+) in the background$/;

/** The last part of a path, as Redis's log names the AOF's files, kept a left-to-right run. */
const fileName = (path: string): string => ltrRun(path.slice(path.lastIndexOf('/') + 1));

/**
 * What narrateEvents has learnt earlier in the batch, so that a later event is told with its
 * meaning: the history files Redis said it removes, the rewrite children.
 */
export interface NarrationContext {
  readonly retiring?: ReadonlySet<string>;
  readonly rewriteChildren?: ReadonlySet<number>;
  /** BGSAVE children the parent stopped (SIGUSR1): their reap is no failure, whatever bgsave.finished says. */
  readonly stoppedSaves?: ReadonlySet<number>;
}

/**
 * One event in words, or null for events too frequent or too small to say (each chunk a child
 * writes, most log lines: the panels show those). `page.copied` is said per batch, by narrateEvents.
 * The AOF rewrite's steps are said as such: its fork, its new incr file, its temp file, the child's
 * rename, the base installed, the manifest rewritten (once, not as its temp file's three steps), the
 * old files retired, the end.
 */
export function narrateEvent(event: EngineEvent, t: TFunction, lng = 'en', context: NarrationContext = {}): string | null {
  switch (event.type) {
    case 'key.expired':
      return t('narration.expired', { key: displayBin(event.key) });
    case 'fork.started':
      if (event.purpose === 'aof-rewrite') {
        return t('narration.forkedRewrite', { parent: event.parentPid, child: event.childPid, pages: formatNumber(event.pageCount, lng) });
      }
      return t('narration.forked', { parent: event.parentPid, child: event.childPid, pages: formatNumber(event.pageCount, lng) });
    case 'file.created':
      if (MANIFEST_TEMP.test(event.name)) return null;
      if (REWRITE_TEMP.test(event.name)) return t('narration.rewriteTempCreated', { name: ltrRun(event.name), pid: event.by });
      if (INCR_FILE.test(event.name)) return t('narration.incrOpened', { name: fileName(event.name) });
      return t('narration.fileCreated', { name: event.name, pid: event.by });
    case 'file.fsynced':
      if (MANIFEST_TEMP.test(event.name)) return null;
      return t('narration.fileFsynced', { name: event.name, size: formatBytesExact(event.durableBytes, lng) });
    case 'file.renamed': {
      const from = fileName(event.from);
      const to = fileName(event.to);
      if (MANIFEST_TEMP.test(event.from)) return t(event.replaced ? 'narration.manifestWritten' : 'narration.manifestCreated', { name: to });
      if (REWRITE_TEMP.test(event.from)) return t('narration.rewriteFinished', { pid: event.by, from, to });
      const done = REWRITE_DONE.exec(event.from);
      if (done !== null) {
        return t(event.to.endsWith('.rdb') ? 'narration.baseInstalledRdb' : 'narration.baseInstalledResp', { pid: done[1], from, to });
      }
      if (INCR_FILE.test(event.from) && INCR_FILE.test(event.to)) return t('narration.incrRenamed', { from, to });
      return event.replaced ? t('narration.fileRenamedReplacing', { from: event.from, to: event.to }) : t('narration.fileRenamed', { from: event.from, to: event.to });
    }
    case 'file.deleted':
      if (context.retiring?.has(event.name.slice(event.name.lastIndexOf('/') + 1)) === true) return t('narration.historyDeleted', { name: fileName(event.name) });
      return t('narration.fileDeleted', { name: event.name, pid: event.by });
    case 'dir.fsynced':
      return t('narration.dirFsynced');
    case 'log.line':
      // The line that ends a successful AOF rewrite, after its files are in place, which no other event tells.
      if (event.role !== 'M') return null;
      if (event.message === 'Background AOF rewrite finished successfully') return t('narration.rewriteDone');
      return null;
    case 'child.exited':
      // A child obeying the parent's SIGUSR1 (FLUSHALL, the AOF switched off, a shutdown): ended on purpose, not failed.
      if (event.exitCode === SIGUSR1_EXIT_CODE) return null;
      if (event.signal !== null) return t('narration.childKilled', { pid: event.pid, signal: event.signal });
      if (event.exitCode !== 0) return t('narration.childFailed', { pid: event.pid, code: event.exitCode ?? '?' });
      return t(context.rewriteChildren?.has(event.pid) === true ? 'narration.childExitedRewrite' : 'narration.childExited', { pid: event.pid });
    case 'bgsave.finished':
      // A save the parent stopped was said at its reap (child.reaped), as stopped.
      if (context.stoppedSaves?.has(event.childPid) === true) return null;
      return event.ok ? t('narration.reapedOk', { pid: event.childPid }) : t('narration.reapedFailed', { pid: event.childPid });
    case 'child.reaped':
      // BGSAVE's reap is said by bgsave.finished (unless the parent stopped it: FLUSHALL, SHUTDOWN),
      // a successful rewrite's by the steps that follow it.
      if (event.purpose === 'rdb') return event.outcome === 'stopped' ? t('narration.saveStopped', { pid: event.pid }) : null;
      if (event.outcome === 'stopped') return t('narration.rewriteStopped', { pid: event.pid });
      return event.outcome === 'failed' ? t('narration.rewriteFailed') : null;
    case 'process.crashed':
      return t(event.kind === 'power' ? 'narration.crashedPower' : 'narration.crashedProcess', { pid: event.pid });
    case 'process.started':
      return t('narration.started', { pid: event.pid });
    case 'keyspace.loaded':
      return t('narration.loaded', { count: event.keysLoaded, file: event.file });
    default:
      return null;
  }
}

/** A batch of events in words: copied pages are summed per key, so a big write is one sentence. */
export function narrateEvents(events: readonly EngineEvent[], t: TFunction, lng = 'en'): string[] {
  const said: string[] = [];
  // Copied pages pending, as [key, count] runs: consecutive page.copied events of one key.
  const runs: [string, number][] = [];
  const flush = (): void => {
    for (const [key, count] of runs) said.push(t('narration.pagesCopied', { key: displayBin(key), count }));
    runs.length = 0;
  };
  const retiring = new Set<string>();
  const rewriteChildren = new Set<number>();
  const stoppedSaves = new Set<number>();
  const context: NarrationContext = { retiring, rewriteChildren, stoppedSaves };
  let manifestSaid = false;
  let afterManifest = false;
  for (const event of events) {
    if (event.type === 'page.copied') {
      const last = runs[runs.length - 1];
      if (last !== undefined && last[0] === event.key) last[1]++;
      else runs.push([event.key, 1]);
      continue;
    }
    flush();
    learn(event, retiring, rewriteChildren, stoppedSaves);
    // The directory sync that completes a manifest's rename is part of the manifest's sentence.
    const syncsManifest = afterManifest && event.type === 'dir.fsynced';
    const isManifest = event.type === 'file.renamed' && MANIFEST_TEMP.test(event.from);
    afterManifest = isManifest;
    if (syncsManifest) continue;
    // A rewrite's reap writes the manifest twice (with the history, then without): say it once.
    if (isManifest && manifestSaid) continue;
    if (isManifest) manifestSaid = true;
    const text = narrateEvent(event, t, lng, context);
    if (text !== null) said.push(text);
  }
  flush();
  return said;
}

/** What an event tells about the ones after it in the batch. */
function learn(event: EngineEvent, retiring: Set<string>, rewriteChildren: Set<number>, stoppedSaves: Set<number>): void {
  if (event.type === 'fork.started' && event.purpose === 'aof-rewrite') rewriteChildren.add(event.childPid);
  if (event.type === 'child.reaped' && event.purpose === 'rdb' && event.outcome === 'stopped') stoppedSaves.add(event.pid);
  if (event.type === 'file.renamed') {
    const child = REWRITE_TEMP.exec(event.from);
    if (child !== null) rewriteChildren.add(Number(child[1]));
  }
  if (event.type === 'log.line') {
    const history = HISTORY_LINE.exec(event.message);
    if (history !== null) retiring.add(history[1] as string);
  }
}
