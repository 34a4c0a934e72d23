import { useTranslation } from 'react-i18next';
import { useLab, useLabStoreApi } from '../../store/react.tsx';
import { CrashStory } from '../crash/CrashStory.tsx';
import { CompareOpener } from '../compare/ComparePanel.tsx';
import { WordsText } from '../WordsText.tsx';

/**
 * Crash and restart: each button runs its line through the console — the two crashes, killing the
 * fork child, a graceful SHUTDOWN beside them so the difference shows, and the restarts. Below,
 * the crash and the restart are told step by step (CrashStory), then what survived. While the
 * server is down, a banner says so and why (ServerDownBanner, shown across the workspace).
 */

const ACTIONS = [
  { line: 'SIM CRASH PROCESS', label: 'lifecycle.crashProcess', needs: 'running', danger: true },
  { line: 'SIM CRASH POWER', label: 'lifecycle.crashPower', needs: 'running', danger: true },
  { line: 'SIM KILLCHILD', label: 'crash.killChild', needs: 'child', danger: true },
  { line: 'SHUTDOWN', label: 'crash.shutdown', needs: 'running', danger: false },
  { line: 'SIM RESTART', label: 'lifecycle.restart', needs: 'stopped', danger: false },
  { line: 'SIM RESTART --appendonly yes', label: 'lifecycle.restartAof', needs: 'stopped', danger: false },
] as const;

export function LifecyclePanel() {
  const { t } = useTranslation();
  const store = useLabStoreApi();
  const running = useLab((s) => s.lifecycle.running);
  const childRunning = useLab((s) => s.persistence.processes.child?.state === 'writing');
  return (
    <section className="panel lifecycle-panel" data-panel="lifecycle" aria-labelledby="lifecycle-title">
      <div className="panel-header">
        <h2 id="lifecycle-title">{t('lifecycle.title')}</h2>
      </div>
      <div className="command-buttons" role="group" aria-label={t('lifecycle.actionsLabel')}>
        {ACTIONS.map(({ line, label, needs, danger }) => {
          // One rule for every button here and in the Snapshots panel: an action with nothing to act on
          // (a crash while stopped, a restart while running, a kill with no child) is shown quieter
          // but stays pressable, and the engine answers with its error, in the console.
          const noChild = needs === 'child' && !childRunning;
          const idle = needs === 'child' ? noChild : needs === 'stopped' ? running : !running;
          const classes = ['command-button', danger ? 'is-danger' : '', idle ? 'is-idle' : ''].filter(Boolean).join(' ');
          return (
            <button key={line} type="button" className={classes} onClick={() => void store.getState().runLine(line)}>
              <span className="command-line" dir="ltr">
                {/* Words kept whole: `--appendonly` must not break after its hyphens. */}
                <WordsText text={line} />
              </span>
              <span className="command-label">{t(label)}</span>
              {noChild && <span className="command-label">{t('crash.killChildIdle')}</span>}
            </button>
          );
        })}
      </div>
      <CrashStory />
      <CompareOpener />
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
