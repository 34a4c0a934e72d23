import { memo } from 'react';
import { AnimatePresence, motion } from 'motion/react';
import { useTranslation } from 'react-i18next';
import { Legend } from '../Legend.tsx';
import { useLab } from '../../store/react.tsx';
import type { FileRowView, RenameView } from '../../store/index.ts';
import { formatUtcTime } from '../../i18n/index.ts';
import { formatBytesExact } from '../format-units.ts';
import { DirectoryDownloads, FileDownloadButton } from '../files/DiskDownloads.tsx';
import { PathText } from '../PathText.tsx';

/**
 * The disk: Redis's `dir` as the kernel keeps it. Each file has a bar of its bytes on one scale,
 * solid where they are durable (fsynced) and hatched where they sit only in the page cache. Rows
 * follow the file, not the name, so an atomic rename shows as `temp-<pid>.rdb` turning into
 * `dump.rdb` in place while the file it replaced fades away. The AOF's files say what they are —
 * base (RDB preamble or RESP), incr, manifest, history — and which incr file takes the writes, so an
 * AOF rewrite reads as its steps: a new incr at the fork, the child's temp file growing, renamed to
 * `temp-rewriteaof-bg-<pid>.aof`, then in place into the new base while the old files fade away.
 */
export function DiskPanel() {
  const { t } = useTranslation();
  const disk = useLab((s) => s.persistence.disk);
  return (
    <section className="panel disk-panel" data-panel="disk" aria-labelledby="disk-title">
      <div className="panel-header">
        <h2 id="disk-title">{t('disk.title')}</h2>
        {disk.fault !== 'ok' && (
          <span className="fault-badge" role="note">
            <span aria-hidden="true">⚠</span> {t(`disk.fault.${disk.fault}`)}
          </span>
        )}
      </div>
      <p className="panel-intro">{t('disk.intro')}</p>
      <p className="dir-line">
        <code dir="ltr">dir</code>{' '}
        <bdi dir="ltr" className="dir-name">
          <PathText text={`${disk.dir}/`} />
        </bdi>
      </p>
      {disk.files.length === 0 ? (
        <p className="empty-state">{t('disk.empty')}</p>
      ) : (
        <ul className="file-list" aria-label={t('disk.listLabel', { dir: disk.dir })}>
          <AnimatePresence initial={false}>
            {disk.files.map((file) => (
              <FileRow key={file.id} file={file} maxBytes={disk.maxFileBytes} />
            ))}
          </AnimatePresence>
        </ul>
      )}
      <DirectoryDownloads files={disk.files} />
      {disk.lastRename !== null && <LastRename rename={disk.lastRename} />}
      <Legend
        label={t('disk.legendLabel')}
        entries={[
          { swatch: 'swatch swatch-durable', text: t('disk.legendDurable') },
          { swatch: 'swatch swatch-cached', text: t('disk.legendCached') },
          { swatch: 'swatch swatch-scale', text: t('disk.legendScale') },
        ]}
      />
    </section>
  );
}

const FileRow = memo(function FileRow({ file, maxBytes }: { file: FileRowView; maxBytes: number }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? 'en';
  const share = (bytes: number): string => `${maxBytes === 0 ? 0 : ((bytes / maxBytes) * 100).toFixed(2)}%`;
  const size = formatBytesExact(file.sizeBytes, lng);
  const durable = formatBytesExact(file.durableBytes, lng);
  const cached = formatBytesExact(file.cachedBytes, lng);
  return (
    <motion.li
      layout="position"
      className={`file-row ${file.writerPid !== null ? 'is-writing' : ''}`}
      data-file={file.name}
      initial={{ opacity: 0 }}
      animate={{ opacity: 1 }}
      exit={{ opacity: 0 }}
      transition={{ duration: 0.5 }}
    >
      {/* Keyed by name: a rename replays the highlight on the same row. */}
      <motion.div
        key={file.name}
        className="file-body"
        initial={{ backgroundColor: 'var(--flash)' }}
        animate={{ backgroundColor: 'var(--flash-faded)' }}
        transition={{ duration: 1.8, ease: 'easeIn' }}
      >
        <div className="file-head">
          <bdi dir="ltr" className="file-name">
            <PathText text={file.name} />
          </bdi>{' '}
          <bdi dir="ltr" className="file-size">
            {size}
          </bdi>{' '}
          {file.writerPid !== null && <span className="writer-badge">{t('disk.writer', { pid: file.writerPid })}</span>}{' '}
          <AofRoleBadge file={file} />{' '}
          {!file.nameDurable && <span className="name-badge">{t('disk.nameNotDurable')}</span>}
        </div>
        <div className="byte-bar" role="img" aria-label={t('disk.barLabel', { name: file.name, size, durable, cached })}>
          <span className="bar-durable" style={{ inlineSize: share(file.durableBytes) }} />
          <span className="bar-cached" style={{ inlineSize: share(file.cachedBytes) }} />
        </div>
        <p className="file-detail">
          {t('disk.detail', { durable, cached })} · {t('disk.modified', { time: formatUtcTime(file.modifiedAtMs, lng) })}
        </p>
        <FileDownloadButton name={file.name} />
      </motion.div>
    </motion.li>
  );
});

/** What an AOF file is, in words (shape and colour repeat it, never alone). */
function AofRoleBadge({ file }: { file: FileRowView }) {
  const { t } = useTranslation();
  const role = file.aofRole ?? null;
  if (role === null) return null;
  const format = file.aofFormat === 'rdb' ? t('disk.aofFormat.rdb') : file.aofFormat === 'resp' ? t('disk.aofFormat.resp') : null;
  return (
    <>
      <span className={`aof-role-badge is-${role}`} data-role={role}>
        {t(`disk.aofRole.${ROLE_KEY[role]}`)}
        {format !== null && (
          <>
            {' · '}
            <span className={`format-tag is-${file.aofFormat ?? ''}`}>{format}</span>
          </>
        )}
      </span>
      {file.appending === true && (
        <>
          {' '}
          <span className="appending-badge">{t('disk.appending')}</span>
        </>
      )}
    </>
  );
}

const ROLE_KEY = { base: 'base', incr: 'incr', manifest: 'manifest', history: 'history', 'rewrite-temp': 'rewriteTemp' } as const;

function LastRename({ rename }: { rename: RenameView }) {
  const { t, i18n } = useTranslation();
  const time = formatUtcTime(rename.atMs, i18n.resolvedLanguage ?? 'en');
  return (
    <p className="last-rename">
      <span className="rename-title">{t('disk.lastRename')}</span>{' '}
      <bdi dir="ltr" className="rename-names">
        <PathText text={rename.from} /> → <PathText text={rename.to} />
      </bdi>{' '}
      {rename.replaced ? t('disk.renameReplaced', { to: rename.to, pid: rename.by, time }) : t('disk.renameNew', { pid: rename.by, time })}
    </p>
  );
}
