import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A modal dialog on the native `<dialog>`: the browser traps focus inside, Escape closes it, and
 * the page behind is inert. Focus goes back to the button that opened it. It is mounted only while
 * open, so its content is built when it opens.
 */
export function Dialog({ title, onClose, children, className = '' }: { title: string; onClose: () => void; children: ReactNode; className?: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    const opener = dialog.ownerDocument.activeElement as HTMLElement | null;
    // jsdom has no showModal; the open attribute is the same dialog, without the top layer.
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
    return () => {
      if (dialog.open && typeof dialog.close === 'function') dialog.close();
      opener?.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={`lab-dialog ${className}`.trim()}
      aria-labelledby={titleId}
      // A close event that arrives while the dialog is open again is stale (React's development
      // double mount closes and reopens it); only a real close ends it.
      onClose={() => {
        if (ref.current?.open !== true) onClose();
      }}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      // Escape closes it even where the dialog is not modal (no showModal, as in jsdom); handled
      // here, the key's default, the cancel event, does not follow.
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.preventDefault();
        onClose();
      }}
    >
      <div className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        {/* The first control, as showModal would pick; stated, so focus lands there wherever the dialog opens. */}
        <button type="button" className="button dialog-close" onClick={onClose} autoFocus>
          {t('share.close')}
        </button>
      </div>
      <div className="dialog-body">{children}</div>
    </dialog>
  );
}
