import { useId, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLabStoreApi } from '../../store/react.tsx';
import { formatNumber, isLanguageCode } from '../../i18n/index.ts';
import { captureSnapshot, labBaseUrl, permalink } from '../../embed/share-links.ts';
import { MAX_DECODED_CHARS, readStateFile, stateFileText, type LabSnapshot } from '../../embed/url-state.ts';
import { applySnapshot, displayOf } from '../../embed/boot.ts';
import { downloadBytes } from '../files/download.ts';
import { useSettingsApi } from '../settings/settings-context.tsx';
import { Dialog } from './Dialog.tsx';
import { CopyField } from './CopyField.tsx';
import { useCaptureLab } from './use-capture-lab.ts';
import { useAnnounce } from '../Narrator.tsx';
import { useLessonStoreApi } from '../../lessons/react.tsx';

/** Links longer than this may be cut by chat apps and some servers (the URL-state design's budget). */
const LONG_LINK_CHARS = 8000;

/**
 * The Share dialog: a permalink to the lab as it is now (built when the dialog opens; the URL bar
 * is never rewritten as the lab changes), and the same state saved to or opened from a JSON file.
 */
export function ShareDialog({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? 'en';
  const capture = useCaptureLab();
  const [snapshot] = useState<LabSnapshot>(() => captureSnapshot(capture()));
  const [link] = useState(() => permalink(labBaseUrl(window.location.href), snapshot));

  return (
    <Dialog title={t('share.title')} onClose={onClose} className="share-dialog">
      <p>{t('share.intro')}</p>
      <p className="hint">
        {t('share.moment', { position: formatNumber(snapshot.position, lng), length: formatNumber(snapshot.tape.length, lng) })}
      </p>
      <CopyField label={t('share.linkLabel')} text={link} copyLabel={t('share.copy')} rows={4} testId="permalink" />
      <p className="hint" data-testid="permalink-length">
        {t('share.length', { count: link.length })}
        {link.length > LONG_LINK_CHARS && <> {t('share.longLink')}</>}
      </p>
      <StateFile snapshot={snapshot} onRestored={onClose} />
    </Dialog>
  );
}

/** Saving the state as a file and opening a saved one (checked like a permalink). */
function StateFile({ snapshot, onRestored }: { snapshot: LabSnapshot; onRestored: () => void }) {
  const { t, i18n } = useTranslation();
  const store = useLabStoreApi();
  const settings = useSettingsApi();
  const announce = useAnnounce();
  const lessons = useLessonStoreApi();
  const inputId = useId();
  const [problem, setProblem] = useState<string | null>(null);

  const save = (): void => {
    downloadBytes(new TextEncoder().encode(stateFileText(snapshot)), 'redis-lab.json', 'application/json');
  };

  const open = async (event: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file === undefined) return;
    // A file is read only if its text could be within the cap (UTF-8 is at most 4 bytes a character).
    const result = file.size > MAX_DECODED_CHARS * 4 ? ({ status: 'rejected', reason: 'too-large' } as const) : readStateFile(await file.text());
    if (result.status !== 'ok') {
      setProblem(t('share.importFailed', { name: file.name, reason: t(`urlState.reason.${result.status === 'none' ? 'malformed' : result.reason}`) }));
      return;
    }
    const restored = result.snapshot;
    applySnapshot(store, restored, lessons ?? undefined);
    const display = displayOf(restored);
    if (display.theme !== undefined) settings.getState().setTheme(display.theme);
    if (display.reducedMotion !== undefined) settings.getState().setReducedMotion(display.reducedMotion);
    if (display.digits !== undefined) settings.getState().setDigits(display.digits);
    if (restored.lang !== null && isLanguageCode(restored.lang)) await i18n.changeLanguage(restored.lang);
    announce(i18n.t('share.imported', { name: file.name }));
    onRestored();
  };

  return (
    <section className="dialog-section" aria-labelledby={`${inputId}-title`}>
      <h3 id={`${inputId}-title`}>{t('share.fileTitle')}</h3>
      <p className="hint">{t('share.fileIntro')}</p>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={save}>
          {t('share.export')}
        </button>
        {/* The input is the focusable control; its label is what shows, and shows its focus. */}
        <input id={inputId} className="visually-hidden file-input" type="file" accept=".json,application/json" onChange={(event) => void open(event)} />
        <label className="button file-button" htmlFor={inputId}>
          {t('share.import')}
        </label>
      </div>
      {problem !== null && (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
