import type { TFunction } from 'i18next';
import type { LoadStep, RestartView } from '../../store/survival-view.ts';
import { ltrRun } from '../format-units.ts';

/**
 * The restart's steps in words, for the step list and for the narration: "Read dump.rdb: 5 keys
 * loaded", "Replayed 12 commands from appendonly.aof.1.incr.aof". Pure, so the wording is tested
 * without a DOM. File names are left-to-right runs inside Arabic sentences.
 */

/** How many things a step counts (keys read, commands replayed), for its counter. */
export function stepCount(step: LoadStep): number {
  return step.kind === 'rdb' ? step.keysLoaded : step.kind === 'replay' ? step.commands : 0;
}

export function stepText(step: LoadStep, t: TFunction): string {
  switch (step.kind) {
    case 'rdb': {
      const read = t(step.asAofBase ? 'crash.restart.rdbBase' : 'crash.restart.rdb', { count: step.keysLoaded, file: ltrRun(step.file) });
      return step.keysExpired > 0 ? `${read}; ${t('crash.restart.expired', { count: step.keysExpired })}` : read;
    }
    case 'replay':
      return t('crash.restart.replay', { count: step.commands, file: ltrRun(step.file) });
    case 'truncated':
      return t('crash.restart.truncated', { file: ltrRun(step.file), offset: step.offset });
    case 'multi-reverted':
      return t('crash.restart.multiReverted', { file: ltrRun(step.file) });
    case 'created':
      return t('crash.restart.created', { file: ltrRun(step.file) });
    case 'empty':
      return t('crash.restart.empty');
  }
}

/** How the restart ended, in words; null while it is still loading. */
export function outcomeText(restart: RestartView, t: TFunction): string | null {
  if (restart.outcome === 'ready') return t('crash.restart.ready', { count: restart.keysAfter });
  if (restart.outcome === 'failed') return `${t('crash.restart.failed')} ${restart.failure ?? ''}`.trim();
  return null;
}

/**
 * The whole restart for the narration, said once its steps have been shown. The narrator said
 * "Redis started again as pid N" with the line that started it, a step or more earlier (the
 * steps are paced): this message does not say it again.
 */
export function restartSummary(restart: RestartView, t: TFunction): string {
  const parts = restart.steps.map((step) => stepText(step, t));
  const outcome = outcomeText(restart, t);
  if (outcome !== null) parts.push(outcome);
  // Joined into sentences: a step that ends with its own full stop does not get a second one.
  return t('crash.restart.announce', { steps: parts.map((part, index) => (index < parts.length - 1 ? part.replace(/\.$/, '') : part)).join('. ') });
}
