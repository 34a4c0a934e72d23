import { memo } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { LEFT_OUT_ERROR_START, type ConsoleOutput, type TranscriptEntry } from '../../store/index.ts';
import { languageInfo } from '../../i18n/index.ts';
import { ErrorIcon } from '../ui-icons.tsx';

/**
 * Lines and replies longer than this are cut on screen (a file put on the disk as base64 is
 * megabytes long, and laying it out would freeze the page); the engine and the tape keep them whole.
 */
const SHOWN_CHARS = { line: 240, reply: 20_000 } as const;

function Clipped({ text, max }: { text: string; max: number }) {
  const { t } = useTranslation();
  if (text.length <= max) return <>{text}</>;
  return (
    <>
      {text.slice(0, max)}
      <span className="clipped" dir="auto">{t('console.clipped', { count: text.length - max })}</span>
    </>
  );
}

/**
 * One line typed and what redis-cli printed for it. The text is exactly redis-cli's; errors are
 * also marked by colour, an icon and a hidden "Error:" for screen readers, so none of the cues
 * relies on colour alone.
 */
export const TranscriptItem = memo(function TranscriptItem({ entry }: { entry: TranscriptEntry }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? 'en';
  const { output } = entry;
  const hint = hintFor(output, t, lng);
  return (
    <li className="entry">
      <div className="entry-line">
        <span className="prompt">{entry.prompt}</span> <span className="typed">
          <Clipped text={entry.line} max={SHOWN_CHARS.line} />
        </span>
      </div>
      {output.kind === 'reply' && !output.isError && (
        <pre className="reply">
          <Clipped text={output.text} max={SHOWN_CHARS.reply} />
        </pre>
      )}
      {(output.kind === 'invalid' || output.kind === 'disconnected' || (output.kind === 'reply' && output.isError)) && (
        <pre className="reply reply-error" data-testid="reply-error">
          <ErrorIcon />
          <span className="visually-hidden">{t('console.errorLabel')} </span>
          {output.text}
        </pre>
      )}
      {hint !== null && (
        <p className="reply-hint" lang={lng} dir={languageInfo(lng).dir}>
          {hint}
        </p>
      )}
    </li>
  );
});

/** A sentence in the reader's language under what redis-cli printed, for the outputs that need one. */
function hintFor(output: ConsoleOutput, t: TFunction, lng: string): string | null {
  switch (output.kind) {
    case 'invalid':
      return t('console.invalidHint');
    case 'cli-restarted':
      return t('console.cliRestarted', { db: 0 });
    case 'reply': {
      const { reply } = output;
      // EXEC's null array: the transaction was dropped because a watched key changed (WATCH).
      if (reply.type === 'array' && reply.value === null) return t('console.execWatchHint');
      // The lab's error for a command it leaves out is English, as Redis's are: said again in the reader's language.
      if (reply.type === 'error' && reply.value.startsWith(LEFT_OUT_ERROR_START) && languageInfo(lng).code !== 'en') return t('console.leftOutHint');
      return null;
    }
    default:
      return null;
  }
}
