import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLabStoreApi } from '../../store/react.tsx';
import { resetWithUndo, type UndoableChange } from '../../store/undo.ts';
import { useAnnounce } from '../Narrator.tsx';
import { UndoOffer } from './UndoOffer.tsx';

/** "Reset the lab" at once, then an undo for a few seconds (./UndoOffer.tsx). */
export function ResetButton() {
  const { t } = useTranslation();
  const store = useLabStoreApi();
  const announce = useAnnounce();
  const [offer, setOffer] = useState<UndoableChange | null>(null);
  const resetButton = useRef<HTMLButtonElement>(null);
  const close = useCallback((returnFocus: boolean) => {
    setOffer(null);
    if (returnFocus) resetButton.current?.focus();
  }, []);

  return (
    <>
      <button
        type="button"
        ref={resetButton}
        className="button button-quiet"
        onClick={() => {
          setOffer(resetWithUndo(store));
          announce(t('narration.reset'));
        }}
      >
        {t('clock.reset')}
      </button>
      {offer !== null && (
        <UndoOffer
          key={offer.id}
          change={offer}
          text={t('clock.resetDone')}
          undoLabel={t('clock.undoReset')}
          onUndo={() => announce(t('narration.resetUndone'))}
          onClose={close}
        />
      )}
    </>
  );
}
