import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, languageInfo, type LanguageCode } from '../../i18n/index.ts';
import { PANEL_IDS, type PanelId } from '../app/panels.ts';
import { CONTROL_GROUPS, type ControlGroup } from '../../embed/embed-options.ts';
import { captureSnapshot, embedUrl, iframeSnippet, labBaseUrl } from '../../embed/share-links.ts';
import { EMPTY_SNAPSHOT, type LabSnapshot } from '../../embed/url-state.ts';
import { Dialog } from './Dialog.tsx';
import { CopyField } from './CopyField.tsx';
import { useCaptureLab } from './use-capture-lab.ts';

const DEFAULT_HEIGHT_PX = 720;
const MIN_HEIGHT_PX = 240;
const MAX_HEIGHT_PX = 4000;

/**
 * The Embed dialog: the instructor picks the panels, what students may use, the language and a
 * starting height (the lab then resizes itself where the host listens), and gets the iframe
 * snippet, with `title` and `lang`, for the lab as it is now.
 */
export function EmbedDialog({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const capture = useCaptureLab();
  const [live] = useState(() => captureSnapshot(capture()));
  const [panels, setPanels] = useState<readonly PanelId[]>(live.panels ?? PANEL_IDS);
  const [controls, setControls] = useState<readonly ControlGroup[]>(CONTROL_GROUPS);
  const [lang, setLang] = useState<LanguageCode>(languageInfo(i18n.resolvedLanguage).code);
  const [heightText, setHeightText] = useState(String(DEFAULT_HEIGHT_PX));
  const [withState, setWithState] = useState(true);
  const ids = useId();

  const height = Math.min(MAX_HEIGHT_PX, Math.max(MIN_HEIGHT_PX, Number.parseInt(heightText, 10) || DEFAULT_HEIGHT_PX));
  const choice = {
    lang,
    panels: panels.length === PANEL_IDS.length ? null : panels,
    controls,
    heightPx: height,
    title: i18n.getFixedT(lang)('app.title'),
  };
  // Compressing a long tape takes a moment: only a change of what the URL holds rebuilds it.
  const src = useMemo(() => {
    const snapshot: LabSnapshot = withState ? live : { ...EMPTY_SNAPSHOT, theme: live.theme, reducedMotion: live.reducedMotion, digits: live.digits };
    return embedUrl(labBaseUrl(window.location.href), snapshot, { lang, panels: panels.length === PANEL_IDS.length ? null : panels, controls });
  }, [live, withState, lang, panels, controls]);

  const toggle = <T,>(list: readonly T[], item: T, on: boolean, order: readonly T[]): T[] =>
    order.filter((candidate) => (candidate === item ? on : list.includes(candidate)));

  return (
    <Dialog title={t('embed.title')} onClose={onClose} className="embed-dialog">
      <p>{t('embed.intro')}</p>
      <div className="embed-choices">
        <fieldset className="choice-group">
          <legend>{t('embed.panels')}</legend>
          <ul className="choice-list">
            {PANEL_IDS.map((id) => (
              <li key={id}>
                <label>
                  <input
                    type="checkbox"
                    checked={panels.includes(id)}
                    // At least one panel: the last one cannot be unticked.
                    disabled={panels.length === 1 && panels.includes(id)}
                    onChange={(event) => setPanels(toggle(panels, id, event.target.checked, PANEL_IDS))}
                  />
                  {t(`embed.panel.${id}`)}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <div className="choice-column">
          <fieldset className="choice-group">
            <legend>{t('embed.controls')}</legend>
            <ul className="choice-list">
              {CONTROL_GROUPS.map((group) => (
                <li key={group}>
                  <label>
                    <input type="checkbox" checked={controls.includes(group)} onChange={(event) => setControls(toggle(controls, group, event.target.checked, CONTROL_GROUPS))} />
                    {t(`embed.control.${group}`)}
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
          <fieldset className="choice-group">
            <legend>{t('embed.language')}</legend>
            <div className="choice-row">
              {LANGUAGES.map((language) => (
                <label key={language.code} lang={language.code} dir={language.dir}>
                  <input type="radio" name={`${ids}-lang`} checked={lang === language.code} onChange={() => setLang(language.code)} />
                  {language.label}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="choice-field">
            <label htmlFor={`${ids}-height`}>{t('embed.height')}</label>
            <input
              id={`${ids}-height`}
              type="number"
              inputMode="numeric"
              min={MIN_HEIGHT_PX}
              max={MAX_HEIGHT_PX}
              step={20}
              value={heightText}
              onChange={(event) => setHeightText(event.target.value)}
              dir="ltr"
            />
          </div>
          <label className="choice-check">
            <input type="checkbox" checked={withState} onChange={(event) => setWithState(event.target.checked)} />
            {t('embed.includeState')}
          </label>
        </div>
      </div>
      <CopyField label={t('embed.snippetLabel')} text={iframeSnippet(src, choice)} copyLabel={t('embed.copy')} rows={5} testId="embed-snippet" />
      <p>
        <a href={src} target="_blank" rel="noopener noreferrer">
          {t('embed.preview')} <span className="visually-hidden">{t('embed.opensInNewTab')}</span>
        </a>
      </p>
      <p className="hint">{t('embed.apiNote')}</p>
    </Dialog>
  );
}
