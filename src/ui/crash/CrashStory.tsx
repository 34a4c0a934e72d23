import { useCallback, useState } from 'react';
import { MotionGlobalConfig } from 'motion/react';
import { useTranslation } from 'react-i18next';
import { useLab, useLabStoreApi } from '../../store/react.tsx';
import { useAnnounce } from '../Narrator.tsx';
import { CrashScene } from './CrashScene.tsx';
import { RestartProgress } from './RestartProgress.tsx';
import { SurvivalCard, survivalSummary } from './SurvivalCard.tsx';
import { restartSummary } from './restart-steps.ts';

/**
 * The crash panel's story, whichever happened last: the stop (CrashScene) while the server is
 * down; after a restart, its load path step by step (RestartProgress), then, once every step has
 * been shown, what survived (SurvivalCard; after a failed restart, what waits for the fix). The
 * restart and the card are narrated together when the steps are done, so a screen reader hears
 * them in the order the screen shows them.
 */
export function CrashStory() {
  const { t, i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? 'en';
  const store = useLabStoreApi();
  const announce = useAnnounce();
  const crash = useLab((s) => s.survival.crash);
  const restart = useLab((s) => s.survival.restart);
  const [settledId, setSettledId] = useState<number | null>(null);

  const onSettled = useCallback(
    (id: number) => {
      setSettledId(id);
      const { survival } = store.getState();
      if (survival.restart === null || survival.restart.id !== id) return;
      announce(`${restartSummary(survival.restart, t)} ${survivalSummary(survival.crash, survival.restart, t, lng)}`);
    },
    [store, announce, t, lng],
  );

  if (crash === null && restart === null) return null;
  const restartIsLatest = restart !== null && (crash === null || restart.id > crash.id);
  const settled = restartIsLatest && (settledId === restart.id || MotionGlobalConfig.skipAnimations === true);
  const card = restartIsLatest && settled && restart.outcome !== 'loading';
  // What a lesson's Look at lands on, on a phone: the story, and once it has one, its outcome (the
  // card of what survived; after a refused AOF, the repair button above the card), which steps are about.
  return (
    <div className="crash-story" data-lesson-anchor={card ? undefined : ''}>
      {!restartIsLatest && crash !== null && <CrashScene key={crash.id} crash={crash} />}
      {restartIsLatest && <RestartProgress key={restart.id} restart={restart} onSettled={onSettled} />}
      {card && <SurvivalCard restart={restart} />}
    </div>
  );
}
