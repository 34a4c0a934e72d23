import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ShareDialog } from './ShareDialog.tsx';
import { EmbedDialog } from './EmbedDialog.tsx';
import { SettingsDialog } from '../settings/SettingsDialog.tsx';

type Open = 'share' | 'embed' | 'settings' | null;

/** The title bar's Share, Embed and Display buttons, each opening its dialog. */
export function ShareActions() {
  const { t } = useTranslation();
  const [open, setOpen] = useState<Open>(null);
  const close = (): void => setOpen(null);
  return (
    <div className="share-actions">
      <button type="button" className="button" aria-haspopup="dialog" onClick={() => setOpen('share')}>
        {t('share.button')}
      </button>
      <button type="button" className="button" aria-haspopup="dialog" onClick={() => setOpen('embed')}>
        {t('embed.button')}
      </button>
      <button type="button" className="button" aria-haspopup="dialog" onClick={() => setOpen('settings')}>
        {t('settings.button')}
      </button>
      {open === 'share' && <ShareDialog onClose={close} />}
      {open === 'embed' && <EmbedDialog onClose={close} />}
      {open === 'settings' && <SettingsDialog onClose={close} />}
    </div>
  );
}
