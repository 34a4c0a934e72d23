import { memo, useState } from 'react';
import { AnimatePresence, motion } from 'motion/react';
import { useTranslation } from 'react-i18next';
import { Legend } from '../Legend.tsx';
import { useLab } from '../../store/react.tsx';
import { cellState, SIGUSR1_EXIT_CODE, type ChildView, type PageGridView, type ReapedView } from '../../store/index.ts';
import { formatNumber, formatUtcTime, languageInfo } from '../../i18n/index.ts';
import { formatBytes, formatBytesExact, formatPercent, ltrRun } from '../format-units.ts';
import { PathText } from '../PathText.tsx';

/**
 * The processes lane: redis-server, and during a BGSAVE or an AOF rewrite the child it forked, side
 * by side. The parent always shows its memory pages: they grow as keys are written, and a write
 * rings the pages it touched. At a fork the same grid becomes shared (one set of pages, two
 * processes mapping it, drawn in both); a page the parent writes while the child runs is copied
 * first and lights up in both.
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
        {grid?.sharing === 'shared' && (
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
          {grid !== null && <PageGrid grid={grid} ownerPid={parentPid} showTouches />}
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
          <PathText text={child.tempName} />
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
  // Exit code 255 is the child obeying the parent's SIGUSR1 (FLUSHALL): stopped, not failed.
  const stopped = exit?.code === SIGUSR1_EXIT_CODE;
  const said =
    exit?.signal != null
      ? t('processes.killed', { signal: exit.signal, time })
      : exit?.code === 0
        ? child.purpose === 'aof-rewrite'
          ? t('processes.exitedOkRewrite', { time, name: ltrRun(child.renamedTo ?? child.tempName) })
          : t('processes.exitedOk', { time })
        : stopped
          ? t('processes.stoppedByParent', { time })
          : t('processes.exitedError', { code: exit?.code ?? '?', time });
  return (
    <p className="process-state">
      <span className={`state-badge ${exit?.code === 0 ? 'state-done' : stopped ? 'state-stopped' : 'state-failed'}`}>{t('processes.exited')}</span> {said}{' '}
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
 * The pages as a grid of at most a few hundred cells. The grid is one picture for assistive
 * technology (its label says the counts); each cell's state is told by pattern and colour together:
 * the parent's own pages outlined, shared pages filled and plain, copied pages striped and dark.
 * The cells the memory's last growth added grow in; the pages the last write touched get a ring
 * that fades (under reduced motion it only fades, without growing). The ring is drawn in the
 * writer's, the parent's, grid only.
 */
const PageGrid = memo(function PageGrid({ grid, ownerPid, showTouches = false }: { grid: PageGridView; ownerPid: number; showTouches?: boolean }) {
  const { t } = useTranslation();
  // The cells the last growth added grow in; none at first sight, nor when a fork begins or ends.
  const cellCount = grid.copiedPerCell.length;
  const [growth, setGrowth] = useState({ cells: cellCount, sharing: grid.sharing, newFrom: cellCount });
  if (growth.cells !== cellCount || growth.sharing !== grid.sharing) {
    setGrowth({ cells: cellCount, sharing: grid.sharing, newFrom: growth.sharing === grid.sharing ? Math.min(growth.cells, cellCount) : cellCount });
  }
  const touched = showTouches ? grid.touched : null;
  const touchedCells = new Set(touched?.cells);
  const shared = grid.pageCount - grid.copiedPages;
  return (
    <div
      className={`page-grid is-${grid.sharing}`}
      role="img"
      aria-label={
        grid.sharing === 'own'
          ? t('processes.gridLabelOwn', { pid: ownerPid, pages: grid.pageCount })
          : t('processes.gridLabel', { pid: ownerPid, pages: grid.pageCount, shared, copied: grid.copiedPages })
      }
      data-sharing={grid.sharing}
      data-pages={grid.pageCount}
      data-copied={grid.copiedPages}
    >
      {grid.copiedPerCell.map((_, index) => {
        const state = cellState(grid, index);
        const isTouched = touched !== null && touchedCells.has(index);
        return (
          <span
            key={index}
            className={`page-cell is-${state}${index >= growth.newFrom ? ' is-new' : ''}`}
            data-state={state}
            data-touched={isTouched ? 'true' : undefined}
          >
            {isTouched && (
              <motion.span
                key={touched.id}
                className="page-touch"
                initial={{ opacity: 1, scale: 1.8 }}
                // Held for a moment, then gone: long enough to find, short enough to say "just now".
                animate={{ opacity: [1, 1, 0], scale: [1.8, 1, 1] }}
                transition={{ duration: 2.4, times: [0, 0.5, 1], ease: 'easeOut' }}
              />
            )}
          </span>
        );
      })}
    </div>
  );
});

function GridLegend({ grid }: { grid: PageGridView }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? 'en';
  const pageSize = formatBytes(grid.pageSizeBytes, lng);
  const pages = formatNumber(grid.pageCount, lng);
  const own = grid.sharing === 'own';
  // Known while the pages are the parent's own, which is when it is said.
  const memory = formatBytes(grid.usedMemoryBytes ?? 0, lng);
  return (
    <div className="grid-legend">
      <Legend
        label={t('processes.legendLabel')}
        entries={[
          own && { swatch: 'page-cell is-own', text: t('processes.legendOwn') },
          !own && { swatch: 'page-cell is-shared', text: t('processes.legendShared') },
          !own && { swatch: 'page-cell is-copied', text: t('processes.legendCopied') },
          !own && grid.pagesPerCell > 1 && { swatch: 'page-cell is-partly-copied', text: t('processes.legendPartly') },
          { swatch: `page-cell is-${own ? 'own' : 'shared'} is-ringed`, text: t('processes.legendTouched') },
        ]}
      />
      <p className="hint">
        {own
          ? grid.pagesPerCell > 1
            ? t('processes.scaleOwnCapped', { count: grid.pagesPerCell, pages, size: pageSize, memory })
            : t('processes.scaleOwnOne', { pages, size: pageSize, memory })
          : grid.pagesPerCell > 1
            ? t('processes.scaleCapped', { count: grid.pagesPerCell, pages, size: pageSize })
            : t('processes.scaleOne', { pages, size: pageSize })}
      </p>
      {own && (
        <p className="hint">
          {t('processes.pagesNote')} {t('processes.pageSizeTry')} <code dir="ltr">SIM SET page-size 16384</code>
        </p>
      )}
    </div>
  );
}

/** The reap's mark and words: a success, a failure, or a save the parent stopped (neither). */
const REAPED_MARK = { ok: '✓', failed: '✕', stopped: '■' } as const;
const REAPED_SAVE_KEY = { ok: 'processes.reapedOk', failed: 'processes.reapedFailed', stopped: 'processes.reapedStopped' } as const;

function ReapedNote({ reaped }: { reaped: ReapedView }) {
  const { t, i18n } = useTranslation();
  const time = formatUtcTime(reaped.atMs, i18n.resolvedLanguage ?? 'en');
  return (
    <motion.p
      key={reaped.pid}
      className={`reaped-note is-${reaped.outcome}`}
      initial={{ opacity: 0 }}
      animate={{ opacity: 1 }}
      transition={{ duration: 0.4 }}
      data-pid={reaped.pid}
      data-outcome={reaped.outcome}
    >
      <span className="reaped-mark" aria-hidden="true">
        {REAPED_MARK[reaped.outcome]}
      </span>{' '}
      {/* A rewrite the parent stopped gets no note: the AOF panel's rewrite view tells it. */}
      {reaped.purpose === 'aof-rewrite'
        ? t(reaped.ok ? 'processes.reapedRewriteOk' : 'processes.reapedRewriteFailed', { pid: reaped.pid, time })
        : t(REAPED_SAVE_KEY[reaped.outcome], { pid: reaped.pid, time })}
    </motion.p>
  );
}
