import type { TFunction } from 'i18next';
import type { EngineEvent } from '../engine/index.ts';
import type { TranscriptEntry } from '../store/index.ts';
import { displayBin } from '../store/index.ts';

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

export function narrateEvent(event: EngineEvent, t: TFunction): string | null {
  if (event.type === 'key.expired') return t('narration.expired', { key: displayBin(event.key) });
  return null;
}
