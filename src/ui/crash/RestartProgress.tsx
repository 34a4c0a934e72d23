import { useEffect, useState } from 'react';
import { useLabStoreApi } from '../../store/react.tsx';
import type { ConsoleOutput } from '../../store/index.ts';
import { useAnnounce } from '../Narrator.tsx';
import { animate, motion, MotionGlobalConfig, useReducedMotion } from 'motion/react';
import { useTranslation } from 'react-i18next';
import type { AofRepair, LoadStep, RestartView } from '../../store/survival-view.ts';
import { formatNumber, formatUtcTime, languageInfo } from '../../i18n/index.ts';
import { ltrRun } from '../format-units.ts';
import { outcomeText, stepCount, stepText } from './restart-steps.ts';

/**
 * The restart along Redis's load path, told at a pace a student can follow. The engine loads in
 * an instant of simulated time; here each step it logged appears in turn — the file read, its
 * keys counted up, the AOF commands replayed counting up — then the outcome. "Show every step
 * now" skips the pacing; so do tests (animations skipped). Mount it with `key={restart.id}`: a
 * new restart starts from its first step.
 *
 * Reduced motion: steps still come one after another (the order is the lesson) but fade in
 * without sliding.
 */

/** The pause after each step appears, before the next. */
const STEP_BEAT_MS = 900;
/** Counting up a step's keys or commands takes this long per item, within these bounds. */
const COUNT_MS_PER_ITEM = 40;
const COUNT_MIN_MS = 400;
const COUNT_MAX_MS = 2400;

function countingMs(step: LoadStep | undefined): number {
  const count = step === undefined ? 0 : stepCount(step);
  return count === 0 ? 0 : Math.min(COUNT_MAX_MS, Math.max(COUNT_MIN_MS, count * COUNT_MS_PER_ITEM));
}

export function RestartProgress({ restart, onSettled }: { restart: RestartView; onSettled: (id: number) => void }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? 'en';
  const reduce = useReducedMotion() ?? false;
  const fromStart = languageInfo(lng).dir === 'rtl' ? 24 : -24;
  const instant = MotionGlobalConfig.skipAnimations === true;
  // Items: each step, then the outcome line once the load is over.
  const outcome = outcomeText(restart, t);
  const total = restart.steps.length + (outcome === null ? 0 : 1);
  const [revealed, setRevealed] = useState(instant ? Number.POSITIVE_INFINITY : 1);
  const shown = Math.min(revealed, total);
  const settled = outcome !== null && shown >= total;

  useEffect(() => {
    if (revealed >= total) {
      if (outcome === null) return;
      // Settled: say so from a timer, so the parent's state changes outside this effect's body.
      const timer = setTimeout(() => onSettled(restart.id), 0);
      return () => clearTimeout(timer);
    }
    const timer = setTimeout(() => setRevealed((count) => count + 1), STEP_BEAT_MS + countingMs(restart.steps[revealed - 1]));
    return () => clearTimeout(timer);
  }, [revealed, total, outcome, restart.id, restart.steps, onSettled]);

  return (
    <div className="restart-progress" aria-labelledby="restart-title" role="group" data-testid="restart-progress" data-outcome={restart.outcome} data-settled={settled}>
      <h3 id="restart-title" className="crash-title">
        {t('crash.restart.title', { time: formatUtcTime(restart.atMs, lng) })}
      </h3>
      <ol className="restart-steps" aria-label={t('crash.restart.stepsLabel')}>
        {restart.steps.slice(0, shown).map((step, index) => (
          <motion.li
            key={index}
            className={`restart-step is-${step.kind}`}
            data-step={step.kind}
            initial={{ opacity: 0, x: reduce ? 0 : fromStart }}
            animate={{ opacity: 1, x: 0 }}
            transition={{ duration: 0.4 }}
          >
            <StepLine step={step} instant={instant} />
          </motion.li>
        ))}
        {outcome !== null && shown >= total && (
          <motion.li
            className={`restart-step restart-outcome is-${restart.outcome}`}
            data-step="outcome"
            initial={{ opacity: 0 }}
            animate={{ opacity: 1 }}
            transition={{ duration: 0.4 }}
          >
            <span className="step-mark" aria-hidden="true">
              {restart.outcome === 'ready' ? '✓' : '✕'}
            </span>{' '}
            {restart.outcome === 'failed' ? (
              <>
                {t('crash.restart.failed')}{' '}
                <code dir="ltr" className="startup-error">
                  {restart.failure}
                </code>
              </>
            ) : (
              outcome
            )}
          </motion.li>
        )}
        {outcome === null && shown >= total && (
          <li className="restart-step is-loading" data-step="loading">
            {t('crash.restart.loading')}
          </li>
        )}
      </ol>
      {shown < total && (
        <button type="button" className="button button-quiet" onClick={() => setRevealed(Number.POSITIVE_INFINITY)}>
          {t('crash.restart.showAll')}
        </button>
      )}
      {settled && restart.repair !== null && <AofRepairAction repair={restart.repair} />}
    </div>
  );
}

/**
 * The way out when Redis refused its AOF: `redis-check-aof --fix`, then a restart. The button runs
 * the tool through the console (`SIM CHECK-AOF --fix`, like every action) and shows what it printed
 * (the line's reply: the tool runs once, when asked).
 */
function AofRepairAction({ repair }: { repair: AofRepair }) {
  const { t } = useTranslation();
  const store = useLabStoreApi();
  const announce = useAnnounce();
  const [output, setOutput] = useState<string | null>(null);
  const apply = (): void => {
    const printed = printedLines(store.getState().runLine(repair.line).output);
    setOutput(printed.join('\n'));
    // The tool's last words: what it cut, and whether the files are valid now.
    announce(printed.slice(-2).join(' '));
  };
  return (
    // A lesson's Look at lands here, above the card that explains it (the first anchor of the story).
    <div className="aof-repair" data-lesson-anchor>
      <p className="hint">{t('crash.checkAofHint')}</p>
      <button type="button" className="command-button is-emphasis" onClick={apply} disabled={output !== null}>
        <span className="command-line" dir="ltr">
          {repair.command}
        </span>
        <span className="command-label">{t('crash.checkAof')}</span>
      </button>
      {output !== null && (
        <pre className="check-aof-output" dir="ltr" tabIndex={0} aria-label={repair.command} data-testid="check-aof-output">
          {output}
        </pre>
      )}
    </div>
  );
}

/** What the tool printed: SIM CHECK-AOF answers one status line per line of output (an error as itself). */
function printedLines(output: ConsoleOutput): string[] {
  if (output.kind !== 'reply') return [];
  const { reply } = output;
  if (reply.type === 'array') return (reply.value ?? []).map((line) => String(line.value));
  return [output.text];
}

/** One step: while its counter runs, "Replaying F: 37 of 120 commands"; then its sentence. */
function StepLine({ step, instant }: { step: LoadStep; instant: boolean }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? 'en';
  const total = stepCount(step);
  const durationMs = countingMs(step);
  const [value, setValue] = useState(instant || durationMs === 0 ? total : 0);

  useEffect(() => {
    if (instant || durationMs === 0) return;
    const controls = animate(0, total, { duration: durationMs / 1000, ease: 'linear', onUpdate: (latest) => setValue(Math.round(latest)) });
    return () => controls.stop();
  }, [instant, total, durationMs]);

  const counting = value < total;
  return (
    <>
      <span className="step-mark" aria-hidden="true">
        {step.kind === 'truncated' || step.kind === 'multi-reverted' ? '✂' : '▸'}
      </span>{' '}
      {counting ? (
        <span className="step-counting">
          {step.kind === 'replay'
            ? t('crash.restart.replaying', { file: ltrRun(step.file), count: formatNumber(value, lng), total: formatNumber(total, lng) })
            : t(step.kind === 'rdb' && step.asAofBase ? 'crash.restart.rdbBase' : 'crash.restart.rdb', { count: value, file: ltrRun(step.kind === 'rdb' ? step.file : '') })}
        </span>
      ) : (
        stepText(step, t)
      )}
    </>
  );
}
