import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLabStoreApi } from '../../store/react.tsx';
import { isTypingTarget, runShortcut, shortcutFor, SHORTCUTS } from './shortcuts.ts';
import { useShell } from '../share/shell-context.tsx';
import { Dialog } from '../share/Dialog.tsx';

/**
 * Listens for the presenter's shortcuts on the whole page and shows their list on `?` (or from
 * the button it renders), in the lab's modal dialog.
 */
export function Shortcuts() {
  const { t } = useTranslation();
  const store = useLabStoreApi();
  // An embedding page that locks the timeline (`controls=` without it) locks its shortcuts too.
  const timelineLocked = !useShell().embed.controls.includes('timeline');
  const [open, setOpen] = useState(false);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented || isTypingTarget(event.target)) return;
      const shortcut = shortcutFor(event);
      if (shortcut === undefined) return;
      event.preventDefault();
      if (shortcut.action === 'help') setOpen(true);
      else if (shortcut.action === 'console') document.getElementById('console-input')?.focus();
      else if (!timelineLocked) runShortcut(shortcut.action, store);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [store, timelineLocked]);

  return (
    <>
      <button type="button" className="button button-quiet shortcuts-opener" onClick={() => setOpen(true)} aria-keyshortcuts="?">
        <kbd aria-hidden="true">?</kbd> {t('shortcuts.open')}
      </button>
      {open && (
        <Dialog title={t('shortcuts.title')} onClose={() => setOpen(false)} className="shortcuts-dialog">
          <p>{t('shortcuts.intro')}</p>
          <p>{t('shortcuts.layout')}</p>
          <dl className="shortcuts-list">
            {SHORTCUTS.map((shortcut) => (
              <div key={shortcut.action}>
                <dt>
                  {/* The keys as one left-to-right run, aligned to the start of the line in either language. */}
                  <bdi dir="ltr">
                    {shortcut.keys.map((key, index) => (
                      <span key={key}>
                        {index > 0 && ' '}
                        <kbd>{key}</kbd>
                      </span>
                    ))}
                  </bdi>
                </dt>
                <dd>{t(`shortcuts.action.${shortcut.action}`)}</dd>
              </div>
            ))}
          </dl>
        </Dialog>
      )}
    </>
  );
}
