import type { TFunction } from 'i18next';
import type { EngineEvent } from '../engine/index.ts';
import type { TranscriptEntry } from '../store/index.ts';
import { displayBin } from '../store/index.ts';
import { formatNumber } from '../i18n/index.ts';
import { formatBytesExact } from './format-units.ts';

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
    case 'invalid':
      return t('narration.invalid');
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

/**
 * One event in words, or null for events too frequent or too small to say (each chunk a child
 * writes, each log line: the panels show those). `page.copied` is said per batch, by narrateEvents.
 */
export function narrateEvent(event: EngineEvent, t: TFunction, lng = 'en'): string | null {
  switch (event.type) {
    case 'key.expired':
      return t('narration.expired', { key: displayBin(event.key) });
    case 'fork.started':
      return t('narration.forked', { parent: event.parentPid, child: event.childPid, pages: formatNumber(event.pageCount, lng) });
    case 'file.created':
      return t('narration.fileCreated', { name: event.name, pid: event.by });
    case 'file.fsynced':
      return t('narration.fileFsynced', { name: event.name, size: formatBytesExact(event.durableBytes, lng) });
    case 'file.renamed':
      return event.replaced ? t('narration.fileRenamedReplacing', { from: event.from, to: event.to }) : t('narration.fileRenamed', { from: event.from, to: event.to });
    case 'file.deleted':
      return t('narration.fileDeleted', { name: event.name, pid: event.by });
    case 'dir.fsynced':
      return t('narration.dirFsynced');
    case 'child.exited':
      if (event.signal !== null) return t('narration.childKilled', { pid: event.pid, signal: event.signal });
      return event.exitCode === 0 ? t('narration.childExited', { pid: event.pid }) : t('narration.childFailed', { pid: event.pid, code: event.exitCode ?? '?' });
    case 'bgsave.finished':
      return event.ok ? t('narration.reapedOk', { pid: event.childPid }) : t('narration.reapedFailed', { pid: event.childPid });
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
  for (const event of events) {
    if (event.type === 'page.copied') {
      const last = runs[runs.length - 1];
      if (last !== undefined && last[0] === event.key) last[1]++;
      else runs.push([event.key, 1]);
      continue;
    }
    flush();
    const text = narrateEvent(event, t, lng);
    if (text !== null) said.push(text);
  }
  flush();
  return said;
}
