import { useTranslation } from 'react-i18next';
import { useLab, useLabStoreApi } from '../../store/react.tsx';
import { formatNumber, formatUtcTime } from '../../i18n/index.ts';

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
      <PastCue />
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

/**
 * A click on a line sends the whole lab to its moment: say so here, beside the lines, with the way
 * back (the timeline's own notice is far up the page).
 */
function PastCue() {
  const { t, i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? 'en';
  const store = useLabStoreApi();
  const timeline = useLab((s) => s.timeline);
  // Whole seconds, as the clock shows them: no re-render on every tick of a playing past.
  const seconds = useLab((s) => Math.floor(s.nowMs / 1000));
  if (timeline.position >= timeline.length) return null;
  return (
    <div className="log-past" data-testid="log-past">
      <p>
        {t('log.past', {
          time: formatUtcTime(seconds * 1000, lng),
          position: formatNumber(timeline.position, lng),
          length: formatNumber(timeline.length, lng),
        })}
      </p>
      <button type="button" className="button" onClick={() => store.getState().seek(timeline.length)}>
        {t('timeline.toNow')}
      </button>
    </div>
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
