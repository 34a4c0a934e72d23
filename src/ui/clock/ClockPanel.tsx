import { useTranslation } from 'react-i18next';
import { useLab, useLabStoreApi } from '../../store/react.tsx';
import { formatUtcDate, formatUtcTime } from '../../i18n/index.ts';
import { useAnnounce } from '../Narrator.tsx';

const SKIP_MS = 10_000;

/** The simulated clock: UTC time of day and date, and the controls that pause or move it. */
export function ClockPanel() {
  const { t, i18n } = useTranslation();
  const store = useLabStoreApi();
  const announce = useAnnounce();
  // Whole seconds: the readout re-renders once a second, not on every 100 ms tick.
  const seconds = useLab((s) => Math.floor(s.nowMs / 1000));
  const paused = useLab((s) => s.paused);
  const lng = i18n.resolvedLanguage ?? 'en';
  const nowMs = seconds * 1000;

  return (
    <section className="panel clock-panel" data-panel="clock" aria-labelledby="clock-title">
      <div className="panel-header">
        <h2 id="clock-title">{t('clock.title')}</h2>
        <span className={`clock-state ${paused ? 'is-paused' : 'is-running'}`}>
          <span className="clock-dot" aria-hidden="true" />
          {paused ? t('clock.paused') : t('clock.running')}
        </span>
      </div>
      <p className="clock-readout">
        <time dateTime={new Date(nowMs).toISOString()}>
          <bdi dir="ltr" className="clock-time">
            {formatUtcTime(nowMs, lng)} <span className="clock-zone">{t('clock.utc')}</span>
          </bdi>
          <span className="clock-date">{formatUtcDate(nowMs, lng)}</span>
        </time>
      </p>
      <div className="clock-controls">
        <button
          type="button"
          className="button"
          onClick={() => {
            store.getState().setPaused(!paused);
            announce(paused ? t('narration.resumed') : t('narration.paused'));
          }}
        >
          {paused ? t('clock.resume') : t('clock.pause')}
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            store.getState().advance(SKIP_MS);
            announce(t('narration.skipped'));
          }}
        >
          <bdi dir="ltr">{t('clock.skip')}</bdi>
          <span className="visually-hidden"> {t('clock.skipLabel')}</span>
        </button>
        <button
          type="button"
          className="button button-quiet"
          onClick={() => {
            store.getState().reset();
            announce(t('narration.reset'));
          }}
        >
          {t('clock.reset')}
        </button>
      </div>
    </section>
  );
}
