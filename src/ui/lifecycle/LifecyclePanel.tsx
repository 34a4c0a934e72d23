import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { useLab, useLabStoreApi } from '../../store/react.tsx';

/**
 * Crash and restart: each button runs its SIM line through the console. While the server is down,
 * a banner says so and why (ServerDownBanner, shown across the workspace).
 */

const ACTIONS = [
  { line: 'SIM CRASH PROCESS', key: 'crashProcess', danger: true },
  { line: 'SIM CRASH POWER', key: 'crashPower', danger: true },
  { line: 'SIM RESTART', key: 'restart', danger: false },
  { line: 'SIM RESTART --appendonly yes', key: 'restartAof', danger: false },
] as const;

export function LifecyclePanel() {
  const { t } = useTranslation();
  const store = useLabStoreApi();
  const running = useLab((s) => s.lifecycle.running);
  return (
    <section className="panel lifecycle-panel" aria-labelledby="lifecycle-title">
      <div className="panel-header">
        <h2 id="lifecycle-title">{t('lifecycle.title')}</h2>
      </div>
      <div className="command-buttons" role="group" aria-label={t('lifecycle.actionsLabel')}>
        {ACTIONS.map(({ line, key, danger }) => {
          // A crash needs a running server, a restart a stopped one: the other is shown quieter.
          const idle = danger ? !running : running;
          const classes = ['command-button', danger ? 'is-danger' : '', idle ? 'is-idle' : ''].filter(Boolean).join(' ');
          return (
            <button key={key} type="button" className={classes} onClick={() => void store.getState().runLine(line)}>
              <span className="command-line" dir="ltr">
                {/* Words kept whole: `--appendonly` must not break after its hyphens. */}
                {line.split(' ').map((word, i) => (
                  <Fragment key={i}>
                    {i > 0 && ' '}
                    <span className="nowrap">{word}</span>
                  </Fragment>
                ))}
              </span>
              <span className="command-label">{t(`lifecycle.${key}`)}</span>
            </button>
          );
        })}
      </div>
    </section>
  );
}

/** A banner across the screen while redis-server is not running, saying why. */
export function ServerDownBanner() {
  const { t } = useTranslation();
  const lifecycle = useLab((s) => s.lifecycle);
  if (lifecycle.running) return null;
  const reason = lifecycle.downBecause ?? 'shutdown';
  return (
    <div className="server-down-banner" data-testid="server-down" data-reason={reason}>
      <strong>{t('lifecycle.down')}</strong> <span>{t(`lifecycle.reason.${reason}`)}</span>
      {lifecycle.startupError !== null && (
        <code className="startup-error" dir="ltr">
          {lifecycle.startupError}
        </code>
      )}{' '}
      <span>{t('lifecycle.downHint')}</span>
    </div>
  );
}
