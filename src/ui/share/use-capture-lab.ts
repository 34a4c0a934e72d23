import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useLabStoreApi } from '../../store/react.tsx';
import { languageInfo } from '../../i18n/index.ts';
import { useSettingsApi } from '../settings/settings-context.tsx';
import { useShell } from './shell-context.tsx';
import { useLessonStoreApi } from '../../lessons/react.tsx';
import type { LiveLab } from '../../embed/share-links.ts';

/**
 * A function that reads the lab as it is at the moment it is called (not at render): the Share and
 * Embed dialogs build their links when they open, not on every tick of the clock.
 */
export function useCaptureLab(): () => LiveLab {
  const store = useLabStoreApi();
  const settings = useSettingsApi();
  const { i18n } = useTranslation();
  const { panels } = useShell();
  const lessons = useLessonStoreApi();
  return useCallback(() => {
    const lab = store.getState();
    const { theme, reducedMotion, digits } = settings.getState();
    const lesson = lessons?.getState() ?? null;
    return {
      tape: lab.getTape(),
      position: lab.timeline.position,
      speed: lab.speed,
      lang: languageInfo(i18n.resolvedLanguage ?? i18n.language).code,
      lesson: lesson !== null && lesson.lessonId !== null ? { id: lesson.lessonId, step: lesson.step } : null,
      panels,
      display: { theme, reducedMotion, digits },
    };
  }, [store, settings, i18n, panels, lessons]);
}
