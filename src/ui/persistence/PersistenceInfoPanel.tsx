import { useTranslation } from 'react-i18next';
import { useLab } from '../../store/react.tsx';
import { formatNumber, formatUtcTime } from '../../i18n/index.ts';

/**
 * INFO persistence's RDB lines, by their real names and with the values INFO prints, each with
 * a plain-language gloss: the numbers a learner will read on a real server.
 */
export function PersistenceInfoPanel() {
  const { t, i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? 'en';
  const status = useLab((s) => s.persistence.status);
  const rows: [field: string, value: string, gloss: string][] = [
    ['rdb_changes_since_last_save', String(status.changesSinceLastSave), t('info.changes')],
    ['rdb_bgsave_in_progress', status.bgsaveInProgress ? '1' : '0', t('info.inProgress')],
    ['rdb_last_save_time', String(Math.floor(status.lastSaveMs / 1000)), t('info.lastSave', { time: formatUtcTime(status.lastSaveMs, lng) })],
    ['rdb_last_bgsave_status', status.lastBgsaveStatus, status.lastBgsaveStatus === 'ok' ? t('info.statusOk') : t('info.statusErr')],
    ['rdb_saves', String(status.rdbSaves), t('info.saves')],
  ];
  return (
    <section className="panel info-panel" data-panel="info" aria-labelledby="info-title">
      <div className="panel-header">
        <h2 id="info-title">
          {t('info.title')} <span className="panel-subtitle" dir="ltr">INFO persistence</span>
        </h2>
        <span className="panel-count">{t('info.changesCount', { count: status.changesSinceLastSave })}</span>
      </div>
      <dl className="info-list">
        {rows.map(([field, value, gloss]) => (
          <div key={field} className={`info-row ${field === 'rdb_last_bgsave_status' && value === 'err' ? 'is-error' : ''}`}>
            <dt>
              <code dir="ltr">{field}</code>
            </dt>{' '}
            <dd>
              <bdi dir="ltr" className="info-value">
                {field === 'rdb_last_bgsave_status' ? value : formatNumber(Number(value), lng, { useGrouping: false })}
              </bdi>{' '}
              <span className="info-gloss">{gloss}</span>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
