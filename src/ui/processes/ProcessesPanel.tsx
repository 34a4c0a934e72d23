import { memo } from 'react';
import { AnimatePresence, motion } from 'motion/react';
import { useTranslation } from 'react-i18next';
import { useLab } from '../../store/react.tsx';
import { cellState, type ChildView, type PageGridView, type ReapedView } from '../../store/index.ts';
import { formatNumber, formatUtcTime, languageInfo } from '../../i18n/index.ts';
import { formatBytes, formatBytesExact, formatPercent, ltrRun } from '../format-units.ts';

/**
 * The processes lane: redis-server, and during a BGSAVE or an AOF rewrite the child it forked, side
 * by side. Each shows the memory pages they share (the same grid: one set of pages, two processes
 * mapping it); a page the parent writes while the child runs is copied first and lights up in both.
 * The child says which job it does (a snapshot, or the AOF's new base), shows its progress through
 * its temp file, its exit, and leaves when the parent reaps it at its next cron tick. Both jobs are
 * one fork, drawn by one code path; only the words differ.
 *
 * The child slides in from the parent's side, so the motion follows the page's direction; with
 * reduced motion it only fades, and every state is also said in words.
 */
export function ProcessesPanel() {
  const { t, i18n } = useTranslation();
  const processes = useLab((s) => s.persistence.processes);
  const appendingTo = useLab((s) => s.persistence.aofRewrite?.incrFile ?? null);
  const { parentPid, child, grid, lastReaped } = processes;
  const rtl = languageInfo(i18n.resolvedLanguage).dir === 'rtl';
  // From the parent, which sits on the inline start side: the left in English, the right in Arabic.
  const fromParent = rtl ? 48 : -48;

  return (
    <section className="panel processes-panel" data-panel="processes" aria-labelledby="processes-title">
      <div className="panel-header">
        <h2 id="processes-title">{t('processes.title')}</h2>
        {grid !== null && (
          <span className="panel-count">
            {t('processes.cow', { size: formatBytes(grid.cowBytes, i18n.resolvedLanguage ?? 'en') })}
          </span>
        )}
      </div>
      <p className="panel-intro">{t('processes.intro')}</p>
      <div className="process-lane">
        <article className="process-box process-parent" aria-labelledby="parent-title" data-pid={parentPid}>
          <ProcessHeading id="parent-title" name="redis-server" pid={parentPid} role={t('processes.parentRole')} />
          {child === null ? (
            <p className="process-state">{t('processes.noChild')}</p>
          ) : (
            <p className="process-state">
              {t('processes.forked', { pid: child.pid, duration: ltrRun(`${formatNumber(processes.latestForkUs, i18n.resolvedLanguage ?? 'en')} µs`) })}
            </p>
          )}
          {child?.purpose === 'aof-rewrite' && child.state === 'writing' && appendingTo !== null && (
            <p className="process-state">
              {/* The name as Redis's log says it: the disk panel shows its folder. */}
              {t('processes.appendingTo', { file: ltrRun(appendingTo.slice(appendingTo.lastIndexOf('/') + 1)) })}
            </p>
          )}
          {grid !== null && <PageGrid grid={grid} ownerPid={parentPid} />}
          {child === null && lastReaped !== null && <ReapedNote reaped={lastReaped} />}
        </article>
        <AnimatePresence>
          {child !== null && (
            <motion.article
              key={child.pid}
              className={`process-box process-child ${child.state === 'exited' ? 'is-exited' : ''}`}
              aria-labelledby="child-title"
              data-pid={child.pid}
              data-state={child.state}
              data-purpose={child.purpose}
              initial={{ opacity: 0, x: fromParent, scale: 0.96 }}
              animate={{ opacity: 1, x: 0, scale: 1 }}
              exit={{ opacity: 0, x: fromParent, scale: 0.96 }}
              transition={{ duration: 0.45, ease: 'easeOut' }}
            >
              <ProcessHeading
                id="child-title"
                name={CHILD_TITLE[child.purpose]}
                pid={child.pid}
                role={t('processes.childRole')}
                job={t(child.purpose === 'rdb' ? 'processes.jobRdb' : 'processes.jobRewrite')}
              />
              <ChildState child={child} />
              <ChildProgress child={child} />
              {grid !== null && <PageGrid grid={grid} ownerPid={child.pid} />}
            </motion.article>
          )}
        </AnimatePresence>
      </div>
      {grid !== null && <GridLegend grid={grid} />}
    </section>
  );
}

/** The process titles Redis gives its children (redisSetProcTitle). */
const CHILD_TITLE: Record<ChildView['purpose'], string> = { rdb: 'redis-rdb-bgsave', 'aof-rewrite': 'redis-aof-rewrite' };

function ProcessHeading({ id, name, pid, role, job }: { id: string; name: string; pid: number; role: string; job?: string }) {
  return (
    <h3 id={id} className="process-heading">
      <bdi dir="ltr" className="process-name">
        {name}
      </bdi>{' '}
      {/* `pid` is Unix's word, kept as is in every language, like a command. */}
      <bdi dir="ltr" className="process-pid">
        pid {pid}
      </bdi>{' '}
      <span className="process-role">{role}</span>
      {job !== undefined && (
        <>
          {' '}
          <span className="process-job">{job}</span>
        </>
      )}
    </h3>
  );
}

function ChildState({ child }: { child: ChildView }) {
  const { t, i18n } = useTranslation();
  if (child.state === 'writing') {
    return (
      <p className="process-state">
        <span className="state-badge state-writing">{t('processes.writing')}</span>{' '}
        <bdi dir="ltr" className="file-name">
          {child.tempName}
        </bdi>
        {child.purpose === 'aof-rewrite' && (
          <>
            {' '}
            <span className={`format-tag is-${child.format}`}>{t(child.format === 'rdb' ? 'processes.formatPreamble' : 'processes.formatResp')}</span>
          </>
        )}
      </p>
    );
  }
  const exit = child.exit;
  const time = formatUtcTime(exit?.atMs ?? 0, i18n.resolvedLanguage ?? 'en');
  const said =
    exit?.signal != null
      ? t('processes.killed', { signal: exit.signal, time })
      : exit?.code === 0
        ? child.purpose === 'aof-rewrite'
          ? t('processes.exitedOkRewrite', { time, name: ltrRun(child.renamedTo ?? child.tempName) })
          : t('processes.exitedOk', { time })
        : t('processes.exitedError', { code: exit?.code ?? '?', time });
  return (
    <p className="process-state">
      <span className={`state-badge ${exit?.code === 0 ? 'state-done' : 'state-failed'}`}>{t('processes.exited')}</span> {said}{' '}
      <span className="waiting">{t('processes.waitingForReap')}</span>
    </p>
  );
}

function ChildProgress({ child }: { child: ChildView }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? 'en';
  const value = t('processes.progressValue', {
    written: formatBytesExact(child.writtenBytes, lng),
    total: formatBytesExact(child.totalBytes, lng),
    percent: formatPercent(child.writtenBytes, child.totalBytes, lng),
  });
  const share = child.totalBytes === 0 ? 0 : child.writtenBytes / child.totalBytes;
  return (
    <div className="progress">
      <div
        className="progress-track"
        role="progressbar"
        aria-label={t(child.purpose === 'rdb' ? 'processes.progressLabel' : 'processes.progressLabelRewrite')}
        aria-valuemin={0}
        aria-valuemax={child.totalBytes}
        aria-valuenow={child.writtenBytes}
        aria-valuetext={value}
      >
        <div className="progress-fill" style={{ inlineSize: `${(share * 100).toFixed(2)}%` }} />
      </div>
      <p className="progress-text">{value}</p>
    </div>
  );
}

/**
 * The shared pages as a grid of at most a few hundred cells. The grid is one picture for
 * assistive technology (its label says the counts); each cell's state is told by pattern and
 * colour together: shared pages are plain, copied pages striped and dark.
 */
const PageGrid = memo(function PageGrid({ grid, ownerPid }: { grid: PageGridView; ownerPid: number }) {
  const { t } = useTranslation();
  const shared = grid.pageCount - grid.copiedPages;
  return (
    <div
      className="page-grid"
      role="img"
      aria-label={t('processes.gridLabel', { pid: ownerPid, pages: grid.pageCount, shared, copied: grid.copiedPages })}
      data-copied={grid.copiedPages}
    >
      {grid.copiedPerCell.map((_, index) => {
        const state = cellState(grid, index);
        return <span key={index} className={`page-cell is-${state}`} data-state={state} />;
      })}
    </div>
  );
});

function GridLegend({ grid }: { grid: PageGridView }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? 'en';
  const pageSize = formatBytes(grid.pageSizeBytes, lng);
  return (
    <div className="grid-legend">
      <ul className="legend" aria-label={t('processes.legendLabel')}>
        <li>
          <span className="page-cell is-shared" aria-hidden="true" /> {t('processes.legendShared')}
        </li>
        <li>
          <span className="page-cell is-copied" aria-hidden="true" /> {t('processes.legendCopied')}
        </li>
        {grid.pagesPerCell > 1 && (
          <li>
            <span className="page-cell is-partly-copied" aria-hidden="true" /> {t('processes.legendPartly')}
          </li>
        )}
      </ul>
      <p className="hint">
        {grid.pagesPerCell > 1
          ? t('processes.scaleCapped', { count: grid.pagesPerCell, pages: formatNumber(grid.pageCount, lng), size: pageSize })
          : t('processes.scaleOne', { pages: formatNumber(grid.pageCount, lng), size: pageSize })}
      </p>
    </div>
  );
}

function ReapedNote({ reaped }: { reaped: ReapedView }) {
  const { t, i18n } = useTranslation();
  const time = formatUtcTime(reaped.atMs, i18n.resolvedLanguage ?? 'en');
  return (
    <motion.p
      key={reaped.pid}
      className={`reaped-note ${reaped.ok ? 'is-ok' : 'is-failed'}`}
      initial={{ opacity: 0 }}
      animate={{ opacity: 1 }}
      transition={{ duration: 0.4 }}
      data-pid={reaped.pid}
    >
      <span className="reaped-mark" aria-hidden="true">
        {reaped.ok ? '✓' : '✕'}
      </span>{' '}
      {reaped.purpose === 'aof-rewrite'
        ? t(reaped.ok ? 'processes.reapedRewriteOk' : 'processes.reapedRewriteFailed', { pid: reaped.pid, time })
        : t(reaped.ok ? 'processes.reapedOk' : 'processes.reapedFailed', { pid: reaped.pid, time })}
    </motion.p>
  );
}
