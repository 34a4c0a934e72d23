import type { ReactNode } from 'react';
import { motion, useReducedMotionConfig } from 'motion/react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { useLab } from '../../store/react.tsx';
import type { AofRewriteStep, AofRewriteStepState, AofRewriteView } from '../../store/aof-view.ts';
import { formatUtcTime } from '../../i18n/index.ts';
import { formatBytesExact, formatPercent, ltrRun } from '../format-units.ts';
import { PathText } from '../PathText.tsx';

/**
 * The last AOF rewrite as the steps a student follows, in order: the new incr file opened at the
 * fork (writes after it go there), the child writing the new base into its temp file (an RDB
 * preamble or RESP commands), its rename to `temp-rewriteaof-bg-<pid>.aof`, the parent installing
 * the new base and manifest, and the old base and incr files retired. Each step says its state in
 * words and by its mark's shape, not by colour alone; a step that changes state flashes as a renamed
 * file does in the disk panel, and stays still under reduced motion. While the rewrite runs its
 * steps are open; once it is over they fold into their one-line title (a disclosure that opens
 * again), so the log of commands above stays what a student reads first.
 */
export function AofRewriteSteps() {
  const rewrite = useLab((s) => s.persistence.aofRewrite);
  if (rewrite === null) return null;
  // Keyed by the child: a new rewrite opens afresh, whatever the reader did with the last one.
  return <RewriteSteps key={rewrite.childPid} rewrite={rewrite} />;
}

const MARK: Record<AofRewriteStepState, string> = { done: '✓', active: '●', pending: '○', failed: '✕', skipped: '–' };

function RewriteSteps({ rewrite }: { rewrite: AofRewriteView }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? 'en';
  const reduce = useReducedMotionConfig() ?? false;
  const note = outcomeNote(rewrite, t);
  // The child still at work, or its file waiting for the parent: the steps are what is happening.
  const live = rewrite.outcome === 'running' || rewrite.outcome === 'written';
  return (
    <section className="aof-rewrite" aria-labelledby="aof-rewrite-title" data-outcome={rewrite.outcome} data-pid={rewrite.childPid}>
      {/* `open` follows the rewrite only when it changes (running → over); in between the reader's toggle holds. */}
      <details className="aof-rewrite-details" open={live}>
        <summary className="aof-rewrite-summary">
          <h3 id="aof-rewrite-title" className="aof-rewrite-title">
            {t('aof.rewrite.title', { pid: rewrite.childPid, time: formatUtcTime(rewrite.startedAtMs, lng) })}{' '}
            <span className={`state-badge aof-rewrite-outcome is-${rewrite.outcome}`}>{t(`aof.rewrite.outcome.${rewrite.outcome}`)}</span>
          </h3>
        </summary>
        <ol className="aof-rewrite-steps">
          {rewrite.steps.map((step) => (
            <li key={step.id} className={`aof-rewrite-step is-${step.state}`} data-step={step.id} data-state={step.state}>
              {/* Keyed by state: a step that moves on replays the highlight, as a renamed file does. */}
              <motion.div
                key={step.state}
                className="aof-rewrite-step-body"
                initial={reduce || step.state === 'pending' ? false : { backgroundColor: 'var(--flash)' }}
                animate={{ backgroundColor: 'var(--flash-faded)' }}
                transition={{ duration: 1.8, ease: 'easeIn' }}
              >
                <span className="aof-rewrite-mark" aria-hidden="true">
                  {MARK[step.state]}
                </span>{' '}
                <span className="visually-hidden">{t(`aof.rewrite.state.${step.state}`)}: </span>
                <span className="aof-rewrite-text">
                  <Islands text={stepText(step, rewrite, t, lng)} />
                </span>
                {step.id === 'write' && step.state === 'active' && (
                  <>
                    {' '}
                    <WriteProgress rewrite={rewrite} />
                  </>
                )}
              </motion.div>
            </li>
          ))}
        </ol>
        {note !== null && (
          <p className={`aof-rewrite-note is-${rewrite.outcome}`}>
            <Islands text={note} />
          </p>
        )}
      </details>
    </section>
  );
}

function WriteProgress({ rewrite }: { rewrite: AofRewriteView }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? 'en';
  const total = rewrite.totalBytes ?? 0;
  const share = total === 0 ? 0 : rewrite.writtenBytes / total;
  return (
    <span className="aof-rewrite-progress">
      {/* The processes lane has the progress bar for assistive technology; this one repeats it in words. */}
      <span className="progress-track" aria-hidden="true">
        <span className="progress-fill" style={{ inlineSize: `${(share * 100).toFixed(2)}%` }} />
      </span>
      <span className="progress-text">
        {t('processes.progressValue', {
          written: formatBytesExact(rewrite.writtenBytes, lng),
          total: formatBytesExact(total, lng),
          percent: formatPercent(rewrite.writtenBytes, total, lng),
        })}
      </span>
    </span>
  );
}

const ISLAND = /\u2066([^\u2069]*)\u2069/g;

/**
 * A sentence whose file names and settings (the values interpolated as left-to-right runs) show
 * in the code face, as the disk panel shows names: they read as names to pick out, not as words.
 */
function Islands({ text }: { text: string }) {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(ISLAND)) {
    parts.push(text.slice(last, match.index));
    parts.push(
      <code key={match.index} dir="ltr" className="aof-rewrite-name">
        <PathText text={match[1] ?? ''} />
      </code>,
    );
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return <>{parts}</>;
}

/** A file's name inside the AOF directory, as Redis's log says it; the temp files live in `dir` itself. */
const shortName = (path: string): string => ltrRun(path.slice(path.lastIndexOf('/') + 1));

function stepText(step: AofRewriteStep, rewrite: AofRewriteView, t: TFunction, lng: string): string {
  const pid = rewrite.childPid;
  const temp = ltrRun(rewrite.tempName);
  const bg = ltrRun(rewrite.finishedName);
  switch (step.id) {
    case 'incr':
      if (rewrite.incrFile === null) return t('aof.rewrite.step.incrNone');
      return t(rewrite.first ? 'aof.rewrite.step.incrFirst' : 'aof.rewrite.step.incr', { incr: shortName(rewrite.incrFile) });
    case 'write': {
      const rdb = rewrite.baseFormat === 'rdb';
      const format = t(rdb ? 'aof.rewrite.formatRdb' : 'aof.rewrite.formatResp', { setting: ltrRun(`aof-use-rdb-preamble ${rdb ? 'yes' : 'no'}`) });
      const said = t('aof.rewrite.step.write', { pid, temp, format });
      const exit = rewrite.exit;
      if (step.state !== 'failed') return said;
      const why =
        rewrite.outcome === 'stopped'
          ? t('aof.rewrite.why.stopped')
          : rewrite.outcome === 'interrupted' && exit === null
            ? t('aof.rewrite.why.interrupted')
            : exit?.signal != null
              ? t('aof.rewrite.why.killed', { signal: exit.signal })
              : t('aof.rewrite.why.failed', { code: exit?.code ?? '?' });
      return `${said} ${why}`;
    }
    case 'rename':
      return t('aof.rewrite.step.rename', { bg });
    case 'install': {
      // The first rewrite also gives its temp incr file its final name.
      const incr = rewrite.first && rewrite.incrFile !== null ? shortName(rewrite.incrFile) : null;
      if (step.state === 'done' && rewrite.baseFile !== null) {
        const base = shortName(rewrite.baseFile);
        return incr === null ? t('aof.rewrite.step.installed', { bg, base }) : t('aof.rewrite.step.installedFirst', { bg, base, incr });
      }
      if (step.state === 'active') return t('aof.rewrite.step.installWaiting', { bg });
      return incr === null ? t('aof.rewrite.step.install', { bg }) : t('aof.rewrite.step.installFirst', { bg, incr });
    }
    case 'retire':
      if (step.state !== 'done') return t(rewrite.first ? 'aof.rewrite.step.retireFirst' : 'aof.rewrite.step.retire');
      if (rewrite.retired.length === 0) return t('aof.rewrite.step.retiredNone');
      return t('aof.rewrite.step.retired', { files: new Intl.ListFormat(lng, { type: 'conjunction' }).format(rewrite.retired.map(shortName)) });
  }
}

function outcomeNote(rewrite: AofRewriteView, t: TFunction): string | null {
  const incr = rewrite.incrFile === null ? null : shortName(rewrite.incrFile);
  switch (rewrite.outcome) {
    case 'installed':
      return rewrite.baseFile === null || incr === null ? null : t('aof.rewrite.note.installed', { base: shortName(rewrite.baseFile), incr });
    case 'failed':
      if (rewrite.reapedAtMs === null) return null;
      if (rewrite.incrDropped) return t('aof.rewrite.note.failedFirst', { incr: incr ?? '' });
      return incr === null ? t('aof.rewrite.note.failedOff') : t('aof.rewrite.note.failed', { incr });
    case 'stopped':
      return t('aof.rewrite.note.stopped');
    case 'interrupted':
      return t('aof.rewrite.note.interrupted');
    default:
      return null;
  }
}
