import { useTranslation } from 'react-i18next';
import { useLab, useLabStoreApi } from '../../store/react.tsx';
import { formatDiskSpeed } from '../format-units.ts';

/**
 * Snapshot controls. Every button runs a line through the store, exactly as if typed in the
 * console (it shows there, with its reply), so the lab keeps one text interface. The command each
 * button runs is printed on it.
 */

/** `SIM SET disk-mbps` values: slow enough to watch a child write, and the model's default. */
export const SLOW_DISK_MBPS = 0.002;
export const NORMAL_DISK_MBPS = 100;
/** Keys the populate button adds: enough for a snapshot to take a while on the slow disk. */
const POPULATE_KEYS = 2000;

export function SnapshotPanel() {
  const { t, i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? 'en';
  const store = useLabStoreApi();
  const fault = useLab((s) => s.persistence.disk.fault);
  const diskMbps = useLab((s) => s.persistence.disk.diskMbPerSecond);
  const childRunning = useLab((s) => s.persistence.processes.child?.state === 'writing');
  const run = (line: string): void => void store.getState().runLine(line);
  const slow = diskMbps < 1;
  const slowLine = `SIM SET disk-mbps ${slow ? NORMAL_DISK_MBPS : SLOW_DISK_MBPS}`;

  return (
    <section className="panel snapshot-panel" data-panel="snapshot" aria-labelledby="snapshot-title">
      <div className="panel-header">
        <h2 id="snapshot-title">{t('snapshot.title')}</h2>
      </div>
      <p className="panel-intro">{t('snapshot.intro')}</p>
      <div className="command-buttons" role="group" aria-label={t('snapshot.actionsLabel')}>
        {/* As in Redis, DEBUG POPULATE neither reaches the AOF nor counts as changes: a trap the button names. */}
        <CommandButton line={`DEBUG POPULATE ${POPULATE_KEYS}`} label={t('snapshot.populate', { count: POPULATE_KEYS })} note={t('snapshot.populateNote')} onRun={run} />
        <CommandButton line="BGSAVE" label={t('snapshot.bgsave')} onRun={run} emphasis />
        <CommandButton line="SAVE" label={t('snapshot.save')} onRun={run} />
        <CommandButton
          line="SIM KILLCHILD"
          label={t('snapshot.killChild')}
          note={childRunning ? undefined : t('crash.killChildIdle')}
          onRun={run}
          danger
          idle={!childRunning}
        />
      </div>
      <div className="disk-controls">
        <div className="segmented" role="group" aria-labelledby="disk-fault-label">
          <span id="disk-fault-label" className="segmented-label">
            {t('snapshot.diskLabel')}
          </span>
          {(['ok', 'full', 'eio'] as const).map((value) => (
            <button
              key={value}
              type="button"
              className="segment"
              aria-pressed={fault === value}
              onClick={() => run(`SIM DISK ${value.toUpperCase()}`)}
              title={`SIM DISK ${value.toUpperCase()}`}
            >
              {t(`snapshot.disk.${value}`)}
            </button>
          ))}
        </div>
        <button type="button" className="switch" role="switch" aria-checked={slow} aria-describedby="slow-disk-hint" onClick={() => run(slowLine)}>
          <span className="switch-track" aria-hidden="true">
            <span className="switch-thumb" />
          </span>
          {t('snapshot.slowDisk')}
        </button>
        <p className="hint" id="slow-disk-hint">
          {t(slow ? 'snapshot.diskSpeedSlow' : 'snapshot.diskSpeed', { speed: formatDiskSpeed(diskMbps, lng) })} {t('snapshot.switchRuns')} <code className="nowrap" dir="ltr">{slowLine}</code>
        </p>
      </div>
    </section>
  );
}

function CommandButton({
  line,
  label,
  onRun,
  note,
  emphasis = false,
  danger = false,
  idle = false,
}: {
  line: string;
  label: string;
  /** A second, smaller line under the label. */
  note?: string | undefined;
  onRun: (line: string) => void;
  emphasis?: boolean;
  danger?: boolean;
  /** Nothing for it to act on now: still pressable (the engine answers with its error), only shown quieter. */
  idle?: boolean;
}) {
  const classes = ['command-button', emphasis ? 'is-emphasis' : '', danger ? 'is-danger' : '', idle ? 'is-idle' : ''].filter(Boolean).join(' ');
  return (
    <button type="button" className={classes} onClick={() => onRun(line)}>
      <span className="command-line" dir="ltr">
        {line}
      </span>
      <span className="command-label">{label}</span>
      {note !== undefined && <span className="command-label">{note}</span>}
    </button>
  );
}
