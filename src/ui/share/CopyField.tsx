import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A text to copy: shown in a read-only field (selected on focus, so it can always be copied by
 * hand) with a button that copies it through the Clipboard API. When the browser refuses (an
 * insecure page, a sandboxed frame, a denied permission), the text is selected and the student
 * is told how to copy it themselves.
 */
export function CopyField({ label, text, copyLabel, rows = 3, testId }: { label: string; text: string; copyLabel: string; rows?: number; testId?: string }) {
  const { t } = useTranslation();
  const id = useId();
  const field = useRef<HTMLTextAreaElement>(null);
  const [outcome, setOutcome] = useState<'copied' | 'failed' | null>(null);

  const selectAll = (): void => field.current?.select();
  const copy = async (): Promise<void> => {
    try {
      if (navigator.clipboard === undefined) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      setOutcome('copied');
    } catch {
      selectAll();
      field.current?.focus();
      setOutcome('failed');
    }
  };

  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} ref={field} className="copy-text" dir="ltr" readOnly rows={rows} value={text} onFocus={selectAll} data-testid={testId} />
      <div className="copy-actions">
        <button type="button" className="button button-primary" onClick={() => void copy()}>
          {copyLabel}
        </button>
        <p className="copy-status" role="status">
          {outcome === 'copied' ? t('share.copied') : outcome === 'failed' ? t('share.copyFailed') : ''}
        </p>
      </div>
    </div>
  );
}
