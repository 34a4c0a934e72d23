import { useEffect, useRef, type ReactNode } from 'react';
import { motion, useReducedMotion } from 'motion/react';
import { Trans, useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { useLab } from '../../store/react.tsx';
import { commandText } from '../../store/aof-view.ts';
import {
  readAtRestart,
  type AckedWrite,
  type CrashView,
  type DirFile,
  type LossReason,
  type LostWrite,
  type RecoveryReport,
  type RestartView,
  type WaitingRecovery,
} from '../../store/survival-view.ts';
import { formatNumber, formatUtcTime } from '../../i18n/index.ts';
import { formatBytesExact } from '../format-units.ts';
import { formatSimDuration } from './format.ts';
import { PathText } from '../PathText.tsx';
import { bringIntoView } from '../lessons/lesson-scroll.ts';

/**
 * "What survived", after a restart: the acknowledged writes kept and lost (each lost one struck
 * out, with the reason in words), the loss window in simulated seconds, how long the recovery
 * took, and the files in dir when it started, each marked read or not. It reads the engine's recovery report; without one
 * (a restart the report does not cover) it compares keys before the stop and after the load.
 *
 * After a restart that failed it says so: Redis did not come back, the error it stopped at, that
 * the writes it acknowledged are not lost yet (Redis changed nothing on disk), and the way back
 * that fits the error.
 */

/** Lost writes listed one by one; beyond, a count. The kept ones are folded away. */
const LOST_SHOWN_MAX = 40;
const KEPT_SHOWN_MAX = 40;

const REASONS: readonly LossReason[] = ['no-persistence', 'after-snapshot', 'in-aof-buf', 'not-fsynced', 'truncated', 'rdb-ignored', 'aof-ignored', 'not-loaded', 'file-replaced'];

/** The card's gist in one sentence, for the narration. */
export function survivalSummary(crash: CrashView | null, restart: RestartView, t: TFunction, lng: string): string {
  if (restart.waiting !== null) {
    const { acknowledged } = restart.waiting;
    return acknowledged === 0 ? t('survival.failed.announceNone') : t('survival.failed.announce', { count: acknowledged });
  }
  const report = restart.report;
  if (report !== null) {
    // The count is the acknowledged writes: the noun after it takes its plural form.
    return t('survival.announce', { count: report.acknowledged, kept: formatNumber(report.survivedCount, lng), lost: formatNumber(report.lostCount, lng) });
  }
  return `${t('survival.keys')}: ${t('survival.keysValue', { before: formatNumber(crash?.keysInMemory ?? 0, lng), after: formatNumber(restart.keysAfter, lng) })}`;
}

function writeText(write: AckedWrite): string {
  return `${write.db !== 0 ? `[${write.db}] ` : ''}${commandText(write.argv)}`;
}

/**
 * The card appears below the restart's steps; reduced motion keeps the fade without the rise. A
 * reader watching the steps (some of the story on screen) gets the outcome brought into view: on a
 * phone it would otherwise arrive below the screen, unseen. After a refused AOF that is the repair
 * button above the card, at the screen's top with the card below it; else the card itself.
 */
function CardFrame({ outcome, children }: { outcome: RestartView['outcome']; children: ReactNode }) {
  const reduce = useReducedMotion() ?? false;
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    const card = ref.current;
    const story = card?.closest<HTMLElement>('.crash-story');
    if (!card || !story) return;
    const { top, bottom } = story.getBoundingClientRect();
    if (bottom <= 0 || top >= window.innerHeight) return;
    // The story's first anchor: the repair block above the card when there is one, else the card.
    const outcomeTop = story.querySelector<HTMLElement>('[data-lesson-anchor]') ?? card;
    bringIntoView(outcomeTop, outcomeTop === card ? 'nearest' : 'start');
  }, []);
  return (
    <motion.article
      ref={ref}
      className="survival-card"
      aria-labelledby="survival-title"
      data-testid="survival-card"
      data-outcome={outcome}
      data-lesson-anchor
      initial={{ opacity: 0, y: reduce ? 0 : 8 }}
      animate={{ opacity: 1, y: 0 }}
      transition={{ duration: 0.4 }}
    >
      {children}
    </motion.article>
  );
}

export function SurvivalCard({ restart }: { restart: RestartView }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? 'en';
  const crash = useLab((s) => s.survival.crash);
  const report = restart.report;
  const kind = report?.crash ?? crash?.kind ?? null;
  if (restart.waiting !== null) return <FailedRestart failure={restart.failure ?? ''} waiting={restart.waiting} kind={kind} />;
  const read = report === null ? null : readAtRestart(restart.files, report, restart.aofManifest);

  return (
    <CardFrame outcome={restart.outcome}>
      <h3 id="survival-title" className="crash-title">
        {t('survival.title')} {kind !== null && <span className="survival-kind">{t(`survival.kind.${kind}`)}</span>}
      </h3>
      <p className="hint">{t('survival.intro')}</p>
      {report !== null && <p className="survival-loaded">{t(`survival.loadedFrom.${report.loadedFrom}`)}</p>}
      <dl className="survival-figures">
        {report !== null ? (
          <>
            <Figure name={t('survival.acknowledged')} value={formatNumber(report.acknowledged, lng)} />
            <Figure name={t('survival.kept')} value={formatNumber(report.survivedCount, lng)} tone="kept" />
            <Figure name={t('survival.lost')} value={formatNumber(report.lostCount, lng)} tone={report.lostCount > 0 ? 'lost' : undefined} />
            <Figure
              name={t('survival.lossWindow')}
              value={report.lostCount === 0 ? t('survival.lossWindowNone') : t('survival.lossWindowValue', { seconds: formatSimDuration(report.lossWindowMs, lng) })}
            />
            <Figure name={t('survival.recovery')} value={formatSimDuration(report.recoveryMs, lng)} />
          </>
        ) : (
          <Figure
            name={t('survival.keys')}
            value={t('survival.keysValue', { before: formatNumber(crash?.keysInMemory ?? 0, lng), after: formatNumber(restart.keysAfter, lng) })}
          />
        )}
      </dl>
      {report !== null && (report.lostCount === 0 ? <p className="survival-none">{t('survival.noLoss')}</p> : <LostWrites report={report} />)}
      {report !== null && report.survivedCount > 0 && <KeptWrites report={report} />}
      <FileList title={t('survival.filesTitle')} files={restart.files} read={read} />
    </CardFrame>
  );
}

/** `<cmd>` in a sentence: a command or directive, one left-to-right run that never breaks at its hyphens. */
const COMMAND_ISLAND = { cmd: <code className="nowrap" dir="ltr" /> };

/** The restart failed: nothing was loaded, nothing on disk changed, and this is the way back. */
function FailedRestart({ failure, waiting, kind }: { failure: string; waiting: WaitingRecovery; kind: CrashView['kind'] | null }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? 'en';
  return (
    <CardFrame outcome="failed">
      <h3 id="survival-title" className="crash-title">
        <span aria-hidden="true">✕</span> {t('survival.failed.title')} {kind !== null && <span className="survival-kind">{t(`survival.kind.${kind}`)}</span>}
      </h3>
      <div className="notice notice-error survival-why">
        <p>
          <Trans i18nKey={`survival.failed.why.${waiting.failure}`} components={COMMAND_ISLAND} />
        </p>
        {/* Redis's own words are in the restart's last step above; here they wait, folded, for whoever reads the card alone. */}
        <details>
          <summary>{t('survival.failed.error')}</summary>
          <code dir="ltr" className="startup-error">
            {failure}
          </code>
        </details>
      </div>
      <dl className="survival-figures">
        <Figure name={t('survival.failed.acknowledged')} value={formatNumber(waiting.acknowledged, lng)} />
      </dl>
      <p className="survival-waiting">{t('survival.failed.notLost')}</p>
      <div className="survival-fix" data-failure={waiting.failure}>
        <h4>{t('survival.failed.fixTitle')}</h4>
        <p>
          <Trans i18nKey={`survival.failed.fix.${waiting.failure}`} components={COMMAND_ISLAND} />
        </p>
        <p className="hint">{t('survival.failed.then')}</p>
      </div>
      <FileList title={t('survival.failed.filesTitle')} files={waiting.files} />
    </CardFrame>
  );
}

/** A file in dir: its name, its size and, when known, whether the restart read it. */
export function FileAtRestart({ file, read }: { file: DirFile; read: boolean | undefined }) {
  const { t, i18n } = useTranslation();
  return (
    <li data-read={read}>
      <bdi dir="ltr" className="file-name">
        <PathText text={file.name} />
      </bdi>{' '}
      <bdi dir="ltr" className="file-size">
        {formatBytesExact(file.sizeBytes, i18n.resolvedLanguage ?? 'en')}
      </bdi>
      {read !== undefined && (
        <>
          {' '}
          <span className={`file-read ${read ? 'is-read' : 'is-not-read'}`}>{t(read ? 'survival.fileRead' : 'survival.fileNotRead')}</span>
        </>
      )}
    </li>
  );
}

/** Files in dir, each with its size and, when `read` says (same order), whether the restart read it. */
function FileList({ title, files, read = null }: { title: string; files: readonly DirFile[]; read?: readonly boolean[] | null }) {
  const { t } = useTranslation();
  return (
    <div className="survival-files">
      <h4>{title}</h4>
      {files.length === 0 ? (
        <p className="empty-state">{t('survival.noFiles')}</p>
      ) : (
        <ul className="survival-file-list">
          {files.map((file, index) => (
            <FileAtRestart key={file.name} file={file} read={read?.[index]} />
          ))}
        </ul>
      )}
    </div>
  );
}

function Figure({ name, value, tone }: { name: string; value: string; tone?: 'kept' | 'lost' | undefined }) {
  return (
    <div className={`survival-figure ${tone !== undefined ? `is-${tone}` : ''}`}>
      <dt>{name}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/** Lost writes grouped by reason: the reason explained once, then each write struck out. */
function LostWrites({ report }: { report: RecoveryReport }) {
  const { t } = useTranslation();
  const shown = report.lost.slice(0, LOST_SHOWN_MAX);
  const hidden = report.lostCount - shown.length;
  const groups = REASONS.map((reason) => ({ reason, writes: shown.filter((write) => write.reason === reason) })).filter((group) => group.writes.length > 0);
  return (
    <div className="survival-lost">
      <h4>{t('survival.lostTitle')}</h4>
      {groups.map(({ reason, writes }) => (
        <section key={reason} className="loss-group" aria-label={t(`survival.reasonShort.${reason}`)} data-reason={reason}>
          <p className="loss-reason">{t(`survival.reason.${reason}`)}</p>
          <ul className="write-list is-lost">
            {writes.map((write) => (
              <LostWriteItem key={write.seq} write={write} />
            ))}
          </ul>
        </section>
      ))}
      {hidden > 0 && <p className="hint">{t('survival.moreLost', { count: hidden })}</p>}
    </div>
  );
}

function LostWriteItem({ write }: { write: LostWrite }) {
  const { t, i18n } = useTranslation();
  return (
    <li className="write-item" data-seq={write.seq}>
      <span className="visually-hidden">{t('survival.lostWrite')}: </span>
      <del className="write-command" dir="ltr">
        {writeText(write)}
      </del>{' '}
      <time className="write-time">{formatUtcTime(write.atMs, i18n.resolvedLanguage ?? 'en')}</time>
    </li>
  );
}

function KeptWrites({ report }: { report: RecoveryReport }) {
  const { t, i18n } = useTranslation();
  const shown = report.survived.slice(-KEPT_SHOWN_MAX);
  const hidden = report.survivedCount - shown.length;
  return (
    <details className="survival-kept">
      <summary>{t('survival.keptTitle', { count: report.survivedCount })}</summary>
      {hidden > 0 && <p className="hint">{t('survival.moreKept', { count: hidden })}</p>}
      <ul className="write-list is-kept">
        {shown.map((write) => (
          <li key={write.seq} className="write-item" data-seq={write.seq}>
            <code className="write-command" dir="ltr">
              {writeText(write)}
            </code>{' '}
            <time className="write-time">{formatUtcTime(write.atMs, i18n.resolvedLanguage ?? 'en')}</time>
          </li>
        ))}
      </ul>
    </details>
  );
}
