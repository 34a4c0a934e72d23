import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShell } from './shell-context.tsx';

/**
 * Says, in the student's language, that the link's state was not used and why; the lab started
 * fresh. Nothing from the refused state is shown: it may be hostile.
 */
export function UrlStateNotice() {
  const { t } = useTranslation();
  const { urlProblem, embed } = useShell();
  const [dismissed, setDismissed] = useState(false);
  const originInvalid = embed.messageOrigin === null;
  if (dismissed || (urlProblem === null && !originInvalid)) return null;
  return (
    <div className="notice notice-error url-state-notice" role="alert" data-testid="url-state-notice">
      {urlProblem !== null && (
        <p>
          {t('urlState.notice')} {t(`urlState.reason.${urlProblem}`)}
        </p>
      )}
      {originInvalid && <p>{t('urlState.originInvalid')}</p>}
      <button type="button" className="button" onClick={() => setDismissed(true)}>
        {t('urlState.dismiss')}
      </button>
    </div>
  );
}
