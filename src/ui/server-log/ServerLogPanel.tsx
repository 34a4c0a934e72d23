import { useTranslation } from 'react-i18next';
import { useLab, useLabStoreApi } from '../../store/react.tsx';

/**
 * The server log's last lines, exactly as redis-server writes them (`pid:role date level message`),
 * an LTR island in every language. The parent's lines are `M`, the child's `C`; warnings (`#`)
 * are marked by a sign as well as colour. Each line written after the start is a button that
 * takes the timeline back to the moment it was written.
 */
export function ServerLogPanel() {
  const { t } = useTranslation();
  const store = useLabStoreApi();
  const lines = useLab((s) => s.serverLog);
  return (
    <section className="panel log-panel" data-panel="log" aria-labelledby="log-title">
      <div className="panel-header">
        <h2 id="log-title">
          {t('log.title')} <span className="panel-subtitle" dir="ltr">redis-server</span>
        </h2>
      </div>
      <ol className="server-log" dir="ltr" aria-label={t('log.listLabel')}>
        {lines.map(({ text, position }, index) => (
          // Plain text with no state of its own: the position is a good enough key.
          <li key={index} className={logLineClass(text)}>
            {position === null ? (
              text
            ) : (
              <button type="button" className="log-line-button" title={t('timeline.logLineLabel')} onClick={() => store.getState().seek(position)}>
                {text}
              </button>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

const SIGNAL_HANDLER_IN_CHILD = /^\d+:signal-handler \(\d+\) .* in child, /;

/**
 * `4243:C 01 Jan 2026 09:00:19.938 * DB saved on disk`: the role letter and the level sign. A
 * signal handler writes its own shape, with neither (`4243:signal-handler (1767258000) Received
 * SIGUSR1 in child, exiting now.`): the child's handler says it is the child's.
 */
function logLineClass(line: string): string {
  if (SIGNAL_HANDLER_IN_CHILD.test(line)) return 'log-child';
  const match = /^\d+:([A-Z]) \d\d \w{3} \d{4} [\d:.]+ ([.\-*#]) /.exec(line);
  const role = match?.[1] === 'C' ? 'log-child' : 'log-parent';
  return match?.[2] === '#' ? `${role} log-warning` : role;
}
