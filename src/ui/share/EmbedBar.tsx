import type { MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../app/Header.tsx';
import { captureSnapshot, labBaseUrl, permalink } from '../../embed/share-links.ts';
import { useCaptureLab } from './use-capture-lab.ts';
import { useShell } from './shell-context.tsx';

/**
 * The embed layout's only chrome: the lab's name, small; the language switch when the embedding
 * page left it to students; and a link that opens the full lab, in a new tab, at the moment shown.
 */
export function EmbedBar() {
  const { t } = useTranslation();
  const { embed } = useShell();
  const capture = useCaptureLab();
  const base = labBaseUrl(window.location.href);
  // The link is built as it is followed (the lab changes all the time), with every panel.
  const refresh = (event: MouseEvent<HTMLAnchorElement>): void => {
    event.currentTarget.href = permalink(base, { ...captureSnapshot(capture()), panels: null });
  };
  return (
    <header className="embed-bar">
      <h1 className="embed-title">{t('app.title')}</h1>
      <div className="embed-bar-actions">
        {embed.controls.includes('language') && <LanguageSwitch />}
        <a className="button" href={base} target="_blank" rel="noopener noreferrer" onClick={refresh} onAuxClick={refresh} onContextMenu={refresh}>
          {t('embed.openFull')}
          <span className="visually-hidden"> {t('embed.opensInNewTab')}</span>
        </a>
      </div>
    </header>
  );
}
