import { useEffect, useRef, useState } from 'react';
import { motion } from 'motion/react';
import { useTranslation } from 'react-i18next';
import { useLabStoreApi } from '../../store/react.tsx';
import {
  runComparison,
  sampleScenario,
  scenarioFromSession,
  type CompareResult,
  type CompareRun,
  type CrashKind,
  type PreparedScenario,
} from '../../store/compare.ts';
import type { LabStore } from '../../store/index.ts';
import type { LossReason } from '../../store/survival-view.ts';
import { formatNumber, formatUtcTime } from '../../i18n/index.ts';
import { formatBytesExact, ltrRun } from '../format-units.ts';
import { formatSimDuration } from '../crash/format.ts';
import { useAnnounce } from '../Narrator.tsx';
import { useCompareOpen } from './compare-context.tsx';
import { FileAtRestart } from '../crash/SurvivalCard.tsx';

/**
 * Compare mode: one scenario — the lab's own session, or a sample workload — run side by side on
 * five fresh servers (RDB only, AOF always / everysec / no, hybrid), all crashed at the same
 * instant the same way, then restarted. Each column says what its policy lost and why, how many
 * keys came back, the loss window, the recovery time and the disk it used. The lab's own node is
 * never touched (src/store/compare.ts runs its own engines).
 *
 * A full-width section, opened from the crash panel; its columns wrap to one per row on a phone.
 */

type ScenarioChoice = 'session' | 'sample';
/** How long the sample workload runs before its crash, in whole seconds, for its label. */
function sampleSeconds(): number {
  const sample = sampleScenario();
  return Math.round((sample.crashAtMs - sample.startMs) / 1000);
}

function prepare(store: LabStore, choice: ScenarioChoice): PreparedScenario {
  if (choice === 'sample') {
    const scenario = sampleScenario(store.getState().timeline.startMs);
    return { scenario, left: [], commands: scenario.lines.length };
  }
  const state = store.getState();
  const tape = state.getTape().slice(0, state.timeline.position);
  return scenarioFromSession(tape, state.timeline.startMs, state.nowMs);
}

/** Whether the session has anything to compare (a line that writes, or any typed line). */
function sessionHasLines(store: LabStore): boolean {
  const state = store.getState();
  return state.getTape().slice(0, state.timeline.position).some((entry) => entry.kind === 'line');
}

interface Outcome {
  readonly choice: ScenarioChoice;
  readonly crash: CrashKind;
  readonly prepared: PreparedScenario;
  readonly result: CompareResult;
}

function compare(store: LabStore, choice: ScenarioChoice, crash: CrashKind): Outcome {
  const prepared = prepare(store, choice);
  return { choice, crash, prepared, result: runComparison(prepared.scenario, crash) };
}

/** The button beside the crash controls that opens compare mode. */
export function CompareOpener() {
  const { t } = useTranslation();
  const compareOpen = useCompareOpen();
  if (compareOpen === null) return null;
  const { open, setOpen, openerRef } = compareOpen;
  return (
    <div className="compare-opener">
      <button
        ref={openerRef}
        type="button"
        className="button"
        aria-expanded={open}
        aria-controls="compare-section"
        aria-describedby="compare-open-hint"
        onClick={() => setOpen(!open)}
      >
        <span aria-hidden="true">⇆</span> {t('compare.open')}
      </button>
      <p className="hint" id="compare-open-hint">
        {t('compare.openHint')}
      </p>
    </div>
  );
}

/** The section itself, rendered across the workspace while open. */
export function ComparePanel() {
  const compareOpen = useCompareOpen();
  if (compareOpen === null || !compareOpen.open) return null;
  return <CompareSection onClose={() => compareOpen.setOpen(false)} />;
}

function CompareSection({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? 'en';
  const store = useLabStoreApi();
  const announce = useAnnounce();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [hasSession] = useState(() => sessionHasLines(store));
  const [outcome, setOutcome] = useState<Outcome>(() => compare(store, hasSession ? 'session' : 'sample', 'process'));

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  const rerun = (choice: ScenarioChoice, crash: CrashKind): void => {
    const next = compare(store, choice, crash);
    setOutcome(next);
    // Per policy: the writes lost (when the engine reported them) and the keys back as they were.
    const said = next.result.runs.map((run) => {
      const keys = `${t('compare.keysRecovered')} ${t('compare.keysRecoveredValue', { after: formatNumber(run.keysIntact, lng), before: formatNumber(run.keysBefore, lng) })}`;
      const report = run.report;
      const writes = report === null ? '' : `${t('compare.writesLost')} ${t('compare.writesLostValue', { lost: formatNumber(report.lostCount, lng), acknowledged: formatNumber(report.acknowledged, lng) })}, `;
      return `${t(`compare.policy.${run.policy.id}`)}: ${writes}${keys}`;
    });
    announce(said.join('. '));
  };

  const { scenario, left, commands } = outcome.prepared;
  return (
    <motion.section
      id="compare-section"
      className="panel compare-panel"
      aria-labelledby="compare-title"
      initial={{ opacity: 0, y: -8 }}
      animate={{ opacity: 1, y: 0 }}
      transition={{ duration: 0.3 }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
      }}
    >
      <div className="panel-header">
        <h2 id="compare-title" ref={headingRef} tabIndex={-1}>
          {t('compare.title')}
        </h2>
        <button type="button" className="button button-quiet" onClick={onClose}>
          <span aria-hidden="true">✕</span> {t('compare.close')}
        </button>
      </div>
      <p className="panel-intro">{t('compare.intro')}</p>
      <div className="compare-controls">
        <fieldset className="compare-choice">
          <legend>{t('compare.scenarioLabel')}</legend>
          {(['session', 'sample'] as const).map((choice) => (
            <label key={choice} className="radio-option">
              <input
                type="radio"
                name="compare-scenario"
                value={choice}
                checked={outcome.choice === choice}
                disabled={choice === 'session' && !hasSession}
                onChange={() => rerun(choice, outcome.crash)}
              />{' '}
              {t(`compare.scenario.${choice}`, { seconds: sampleSeconds() })}
            </label>
          ))}
          {!hasSession && <p className="hint">{t('compare.sessionEmpty')}</p>}
        </fieldset>
        <fieldset className="compare-choice">
          <legend>{t('compare.crashLabel')}</legend>
          {(['process', 'power'] as const).map((crash) => (
            <label key={crash} className="radio-option">
              <input type="radio" name="compare-crash" value={crash} checked={outcome.crash === crash} onChange={() => rerun(outcome.choice, crash)} />{' '}
              {t(`compare.crashKind.${crash}`)}
            </label>
          ))}
        </fieldset>
        <button type="button" className="button" onClick={() => rerun(outcome.choice, outcome.crash)}>
          {t('compare.run')}
        </button>
      </div>
      <p className="compare-when" data-testid="compare-when">
        {t(outcome.choice === 'session' ? 'compare.crashedAtSession' : 'compare.crashedAtSample', {
          count: commands,
          time: formatUtcTime(scenario.crashAtMs, lng),
          seconds: formatSimDuration(scenario.crashAtMs - scenario.startMs, lng),
        })}
      </p>
      {left.length > 0 && (
        <div className="compare-left">
          <p>{t('compare.left', { count: left.length })}</p>
          <ul>
            {left.map((line, index) => (
              <li key={index}>
                <code dir="ltr">{line}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      <ul className="compare-results" aria-label={t('compare.resultsLabel')}>
        {outcome.result.runs.map((run) => (
          <li key={run.policy.id}>
            <PolicyColumn run={run} />
          </li>
        ))}
      </ul>
    </motion.section>
  );
}

/** One directive as redis.conf writes it: `save ""` for an empty value. */
function directiveLine(name: string, value: string): string {
  return `${name} ${value === '' ? '""' : value}`;
}

function PolicyColumn({ run }: { run: CompareRun }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? 'en';
  const id = `compare-${run.policy.id}`;
  const report = run.report;
  // Every file in dir when the server started again, whether its load read it or not.
  const diskBytes = run.filesAfterCrash.reduce((sum, file) => sum + file.sizeBytes, 0);
  const reasons = new Map<LossReason, number>();
  for (const write of report?.lost ?? []) reasons.set(write.reason, (reasons.get(write.reason) ?? 0) + 1);
  const lostShare = report === null || report.acknowledged === 0 ? null : report.lostCount / report.acknowledged;

  return (
    <article className="compare-column" aria-labelledby={id} data-policy={run.policy.id}>
      <h3 id={id}>{t(`compare.policy.${run.policy.id}`)}</h3>
      <ul className="compare-config" aria-label="redis.conf">
        {Object.entries(run.policy.config).map(([name, value]) => (
          <li key={name}>
            <code dir="ltr">{directiveLine(name, value)}</code>
          </li>
        ))}
      </ul>
      {lostShare !== null && <KeptBar share={lostShare} />}
      {run.startupError !== null && (
        <p className="notice notice-error">
          {t('compare.notStarted')} <code dir="ltr">{run.startupError}</code>
        </p>
      )}
      <dl className="compare-figures">
        <div data-figure="writes-lost" className={report !== null && report.lostCount > 0 ? 'is-lost' : ''}>
          <dt>{t('compare.writesLost')}</dt>
          <dd>
            {report === null
              ? t('compare.unknown')
              : t('compare.writesLostValue', { lost: formatNumber(report.lostCount, lng), acknowledged: formatNumber(report.acknowledged, lng) })}
          </dd>
        </div>
        <div data-figure="keys" className={run.keysIntact < run.keysBefore ? 'is-lost' : ''}>
          <dt>{t('compare.keysRecovered')}</dt>
          <dd>{t('compare.keysRecoveredValue', { after: formatNumber(run.keysIntact, lng), before: formatNumber(run.keysBefore, lng) })}</dd>
        </div>
        <div data-figure="loss-window">
          <dt>{t('compare.lossWindow')}</dt>
          <dd>{report === null ? t('compare.unknown') : formatSimDuration(report.lossWindowMs, lng)}</dd>
        </div>
        <div data-figure="recovery">
          <dt>{t('compare.recovery')}</dt>
          <dd>{report === null ? t('compare.unknown') : formatSimDuration(report.recoveryMs, lng)}</dd>
        </div>
        <div data-figure="disk">
          <dt>{t('compare.disk')}</dt>
          <dd>{formatBytesExact(diskBytes, lng)}</dd>
        </div>
        {report !== null && (
          <div data-figure="loaded-from">
            <dt>{t('compare.loadedFrom')}</dt>
            <dd>{t(`compare.loadedFromValue.${report.loadedFrom}`)}</dd>
          </div>
        )}
      </dl>
      {reasons.size > 0 && (
        <div className="compare-reasons">
          <h4>{t('compare.reasons')}</h4>
          <ul>
            {[...reasons].map(([reason, count]) => (
              <li key={reason}>
                {t(`survival.reasonShort.${reason}`)}: {ltrRun(`× ${formatNumber(count, lng)}`)}
              </li>
            ))}
          </ul>
        </div>
      )}
      <KeyList label={t('compare.missingKeys')} keys={run.keysMissing} struck />
      <KeyList label={t('compare.olderKeys')} keys={run.keysDiffering} struck={false} />
      <details className="compare-files">
        <summary>{t('survival.filesTitle')}</summary>
        <ul>
          {run.filesAfterCrash.map((file, index) => (
            <FileAtRestart key={file.name} file={file} read={run.filesRead?.[index]} />
          ))}
        </ul>
      </details>
    </article>
  );
}

/** Keys shown by name, up to a few; the rest counted. */
const KEYS_SHOWN_MAX = 6;

function KeyList({ label, keys, struck }: { label: string; keys: readonly string[]; struck: boolean }) {
  const { t } = useTranslation();
  if (keys.length === 0) return null;
  const shown = keys.slice(0, KEYS_SHOWN_MAX);
  // Each key its own left-to-right island, spaced apart: no comma to land on the wrong side in Arabic.
  return (
    <div className="compare-keys">
      <span>{label}</span>{' '}
      <ul>
        {shown.map((key) => (
          <li key={key}>{struck ? <del dir="ltr">{key}</del> : <code dir="ltr">{key}</code>}</li>
        ))}
        {keys.length > shown.length && <li>{t('compare.moreKeys', { count: keys.length - shown.length })}</li>}
      </ul>
    </div>
  );
}

/** The share of acknowledged writes kept, as a bar: solid kept, struck-out lost (shape and words, not colour alone). */
function KeptBar({ share }: { share: number }) {
  return (
    <span className="byte-bar compare-bar" aria-hidden="true">
      <span className="bar-durable" style={{ inlineSize: `${((1 - share) * 100).toFixed(1)}%` }} />
      <span className="bar-lost" style={{ inlineSize: `${(share * 100).toFixed(1)}%` }} />
    </span>
  );
}
