import { memo } from 'react';
import { AnimatePresence, motion } from 'motion/react';
import { useTranslation } from 'react-i18next';
import { useLab } from '../../store/react.tsx';
import type { DbView, KeyView } from '../../store/index.ts';
import { formatSeconds } from '../../i18n/index.ts';
import { ClockIcon } from '../ui-icons.tsx';

/**
 * The keyspace: every database that holds keys, each key with its type, size, a preview of its
 * value and a live TTL countdown. Keys, values and database names are LTR islands.
 */
export function KeyspacePanel() {
  const { t } = useTranslation();
  const keyspace = useLab((s) => s.keyspace);
  const running = useLab((s) => s.lifecycle.running);
  return (
    <section className="panel keyspace-panel" data-panel="keyspace" aria-labelledby="keyspace-title">
      <div className="panel-header">
        <h2 id="keyspace-title">{t('keyspace.title')}</h2>
        <span className="panel-count">{t('keyspace.keys', { count: keyspace.totalKeys })}</span>
      </div>
      <p className="panel-intro">{t('keyspace.intro')}</p>
      {keyspace.dbs.length === 0 ? (
        // While the server is down a quick action cannot help: say how to bring it back.
        <p className="empty-state">{t(running ? 'keyspace.empty' : 'keyspace.down')}</p>
      ) : (
        // Bounded and scrollable, so a big keyspace does not push the other panels away; focusable, so
        // the keyboard can scroll it too.
        <div className="keyspace-scroll" tabIndex={0} role="group" aria-label={t('keyspace.scrollLabel')}>
          {keyspace.dbs.map((db) => (
            <DbSection key={db.index} db={db} />
          ))}
        </div>
      )}
    </section>
  );
}

/**
 * A database: its first keys, and above them the keys used lately that are not among those (a key
 * written after `DEBUG POPULATE 1000` would otherwise be lost in the count of the rest).
 */
function DbSection({ db }: { db: DbView }) {
  const { t } = useTranslation();
  const headingId = `db-${db.index}-title`;
  const capped = db.moreCount > 0 || db.recentKeys.length > 0;
  return (
    <section className="db-section" aria-labelledby={headingId}>
      <h3 id={headingId} className="db-title">
        <bdi dir="ltr" className="db-name">
          db{db.index}
        </bdi>
        <span className="db-count">{t('keyspace.keys', { count: db.keyCount })}</span>
      </h3>
      {db.recentKeys.length > 0 && (
        <div className="recent-keys">
          <p className="key-list-note" id={`${headingId}-recent`}>
            {t('keyspace.recentNote', { count: db.keys.length })}
          </p>
          <ul className="key-list" aria-labelledby={`${headingId}-recent`}>
            <AnimatePresence>
              {db.recentKeys.map((row) => (
                <KeyRow key={row.id} row={row} />
              ))}
            </AnimatePresence>
          </ul>
        </div>
      )}
      {capped && <p className="key-list-note">{t('keyspace.firstNote', { count: db.keys.length })}</p>}
      <ul className="key-list" aria-label={t('keyspace.listLabel', { index: db.index })}>
        <AnimatePresence>
          {db.keys.map((row) => (
            <KeyRow key={row.id} row={row} />
          ))}
        </AnimatePresence>
      </ul>
      {db.moreCount > 0 && <p className="more-keys">{t('keyspace.more', { count: db.moreCount })}</p>}
    </section>
  );
}

/**
 * A key slides in from above and fades in when it appears, and fades out when it goes; a key whose
 * value or TTL just changed glows briefly, so the eye finds what the last command touched. Under
 * `prefers-reduced-motion` the app's MotionConfig drops the slide and keeps the fades.
 */
const KeyRow = memo(function KeyRow({ row }: { row: KeyView }) {
  const { t } = useTranslation();
  // A new key for the inner block restarts the glow whenever the row's content changes.
  const changeKey = `${row.size}|${row.preview}|${row.expireAtMs ?? ''}`;
  return (
    <motion.li
      className="key-row"
      data-key={row.name}
      initial={{ opacity: 0, y: -8 }}
      animate={{ opacity: 1, y: 0 }}
      exit={{ opacity: 0 }}
      transition={{ duration: 0.25, ease: 'easeOut' }}
    >
      <motion.div
        key={changeKey}
        className="key-body"
        initial={{ backgroundColor: 'var(--flash-soft)' }}
        animate={{ backgroundColor: 'var(--flash-faded)' }}
        transition={{ duration: 1.6, ease: 'easeIn' }}
      >
        <div className="key-head">
          <span className={`type-badge type-${row.type}`}>{row.type}</span>
          <bdi dir="ltr" className="key-name">
            {row.name}
          </bdi>
          <span className="key-size">
            {row.type === 'string' ? t('keyspace.bytes', { count: row.size }) : t('keyspace.items', { count: row.size })}
          </span>
          {row.expireAtMs !== null && <TtlCountdown expireAtMs={row.expireAtMs} />}
        </div>
        {/* The block follows the page's direction; the value inside is an LTR island. */}
        <div className="key-preview">
          <code dir="ltr">{row.preview}</code>
        </div>
      </motion.div>
    </motion.li>
  );
});

/** The time a key has left, from the simulated clock, to a tenth of a second. */
function TtlCountdown({ expireAtMs }: { expireAtMs: number }) {
  const { t, i18n } = useTranslation();
  const remainingMs = useLab((s) => Math.max(0, expireAtMs - s.nowMs));
  return (
    <span className="ttl" title={t('keyspace.ttlLabel')}>
      <ClockIcon />
      <span className="visually-hidden">{t('keyspace.ttlLabel')}</span>
      <span aria-hidden="true">{t('keyspace.ttl')}</span>{' '}
      <bdi dir="ltr" className="ttl-value">
        {formatSeconds(remainingMs, i18n.resolvedLanguage ?? 'en')} s
      </bdi>
    </span>
  );
}
