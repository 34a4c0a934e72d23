import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLabStoreApi } from '../../store/react.tsx';
import { isTypingTarget, runShortcut, shortcutFor, SHORTCUTS } from './shortcuts.ts';
import { useShell } from '../share/shell-context.tsx';

/**
 * Listens for the presenter's shortcuts on the whole page and shows their list on `?` (or from
 * the button it renders). The list is a modal dialog: focus moves into it and back, Escape closes.
 */
export function Shortcuts() {
  const { t } = useTranslation();
  const store = useLabStoreApi();
  // An embedding page that locks the timeline (`controls=` without it) locks its shortcuts too.
  const timelineLocked = !useShell().embed.controls.includes('timeline');
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const closer = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented || isTypingTarget(event.target)) return;
      const shortcut = shortcutFor(event.key);
      if (shortcut === undefined) return;
      event.preventDefault();
      if (shortcut.action === 'help') setOpen(true);
      else if (shortcut.action === 'console') document.getElementById('console-input')?.focus();
      else if (!timelineLocked) runShortcut(shortcut.action, store);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [store, timelineLocked]);

  useEffect(() => {
    if (open) closer.current?.focus();
  }, [open]);

  const close = () => {
    setOpen(false);
    opener.current?.focus();
  };

  return (
    <>
      <button ref={opener} type="button" className="button button-quiet shortcuts-opener" onClick={() => setOpen(true)} aria-keyshortcuts="?">
        <kbd aria-hidden="true">?</kbd> {t('shortcuts.open')}
      </button>
      {open && (
        <div className="modal-backdrop" onClick={close}>
          <div
            className="modal shortcuts-dialog"
            role="dialog"
            aria-modal="true"
            aria-labelledby="shortcuts-title"
            onClick={(event) => event.stopPropagation()}
            onKeyDown={(event) => {
              if (event.key === 'Escape') close();
              // The dialog has one control: Tab stays on it.
              if (event.key === 'Tab') event.preventDefault();
            }}
          >
            <h2 id="shortcuts-title">{t('shortcuts.title')}</h2>
            <p>{t('shortcuts.intro')}</p>
            <dl className="shortcuts-list">
              {SHORTCUTS.map((shortcut) => (
                <div key={shortcut.action}>
                  <dt dir="ltr">
                    {shortcut.keys.map((key, index) => (
                      <span key={key}>
                        {index > 0 && ' '}
                        <kbd>{key}</kbd>
                      </span>
                    ))}
                  </dt>
                  <dd>{t(`shortcuts.action.${shortcut.action}`)}</dd>
                </div>
              ))}
            </dl>
            <button ref={closer} type="button" className="button" onClick={close}>
              {t('shortcuts.close')}
            </button>
          </div>
        </div>
      )}
    </>
  );
}
