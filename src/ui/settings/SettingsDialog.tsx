import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { THEMES } from '../../embed/url-state.ts';
import { Dialog } from '../share/Dialog.tsx';
import { useSettings, useSettingsApi } from './settings-context.tsx';

/**
 * The Display dialog: theme, the in-app reduced-motion switch and, in Arabic, the digits. Each
 * change applies at once and is remembered (settings-store.ts).
 */
export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const settings = useSettingsApi();
  const theme = useSettings((state) => state.theme);
  const reducedMotion = useSettings((state) => state.reducedMotion);
  const digits = useSettings((state) => state.digits);
  const ids = useId();
  const arabic = i18n.resolvedLanguage === 'ar';

  return (
    <Dialog title={t('settings.title')} onClose={onClose} className="settings-dialog">
      <fieldset className="choice-group">
        <legend>{t('settings.theme')}</legend>
        <div className="choice-list">
          {THEMES.map((option) => (
            <label key={option} className="theme-option" data-theme-option={option}>
              <input type="radio" name={`${ids}-theme`} checked={theme === option} onChange={() => settings.getState().setTheme(option)} />
              <span className="theme-swatch" aria-hidden="true" />
              {t(`settings.themes.${option}`)}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="choice-group">
        <button
          type="button"
          className="switch"
          role="switch"
          aria-checked={reducedMotion}
          aria-describedby={`${ids}-motion-hint`}
          onClick={() => settings.getState().setReducedMotion(!reducedMotion)}
        >
          <span className="switch-track" aria-hidden="true">
            <span className="switch-thumb" />
          </span>
          {t('settings.motion')}
        </button>
        <p id={`${ids}-motion-hint`} className="hint">
          {t('settings.motionHint')}
        </p>
      </div>
      {arabic && (
        <fieldset className="choice-group">
          <legend>{t('settings.digits')}</legend>
          <div className="choice-list">
            <label>
              <input type="radio" name={`${ids}-digits`} checked={digits === 'western'} onChange={() => settings.getState().setDigits('western')} />
              {t('settings.digitsWestern')}
            </label>
            <label>
              <input type="radio" name={`${ids}-digits`} checked={digits === 'arabic-indic'} onChange={() => settings.getState().setDigits('arabic-indic')} />
              {t('settings.digitsArabic')}
            </label>
          </div>
          <p className="hint">{t('settings.digitsHint')}</p>
        </fieldset>
      )}
      <p className="hint">{t('settings.remembered')}</p>
    </Dialog>
  );
}
