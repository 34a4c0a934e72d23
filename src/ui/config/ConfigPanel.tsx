import { useState, type CSSProperties, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { useLab, useLabStoreApi } from '../../store/react.tsx';
import type { TranscriptEntry } from '../../store/index.ts';
import type { DirectiveInput, DirectiveView } from '../../store/config-view.ts';
import { KERNEL_WRITEBACK_S } from '../aof/AofPanel.tsx';

/**
 * The redis.conf panel: the persistence directives by their real names, each with its value in
 * redis.conf (read at the next start) and its running value (CONFIG GET), marked where a CONFIG
 * SET made them differ. A running value is changed at once with `CONFIG SET name value`; redis.conf
 * edits are collected, then applied by a restart, `SIM RESTART --name value …` (after a SHUTDOWN
 * when the server runs). Every line goes through the console, like every other button.
 */

/** A value as one redis-cli argument: bare when it can be, quoted otherwise (`""` when empty). */
export function cliArgument(value: string): string {
  return /^[A-Za-z0-9._+%/:-]+$/.test(value) ? value : `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** The lines that restart the node with redis.conf edited as given. */
export function restartLines(running: boolean, edits: readonly (readonly [string, string])[]): string[] {
  const options = edits.map(([name, value]) => `--${name} ${cliArgument(value)}`);
  return [...(running ? ['SHUTDOWN'] : []), ['SIM RESTART', ...options].join(' ')];
}

/** Values long enough to need a whole line on a narrow screen (save points). */
const isWide = (input: DirectiveInput): boolean => input.kind === 'text' && input.format === 'save';

const failed = (entry: TranscriptEntry): string | null =>
  entry.output.kind === 'invalid' || entry.output.kind === 'disconnected' || (entry.output.kind === 'reply' && entry.output.isError) ? (entry.output as { text: string }).text : null;

export function ConfigPanel() {
  const { t } = useTranslation();
  const store = useLabStoreApi();
  const config = useLab((s) => s.config);
  const [edits, setEdits] = useState<Readonly<Record<string, string>>>({});
  const [refusal, setRefusal] = useState<{ readonly name: string; readonly reply: string } | null>(null);
  const run = (line: string): TranscriptEntry => store.getState().runLine(line);

  const startupOf = (directive: DirectiveView): string => directive.startup ?? directive.running;
  const pending = config.directives.flatMap((directive) => {
    const edit = edits[directive.name];
    return edit !== undefined && edit !== startupOf(directive) ? [[directive.name, edit] as const] : [];
  });
  const lines = restartLines(config.running, pending);
  // The name column is as wide as the longest name (global.css): a name never breaks at a hyphen.
  const longestName = Math.max(0, ...config.directives.map((directive) => directive.name.length));

  const setRunning = (name: string, value: string): void => {
    const reply = failed(run(`CONFIG SET ${name} ${cliArgument(value)}`));
    setRefusal(reply === null ? null : { name, reply });
  };
  const restart = (): void => {
    for (const line of lines) {
      const reply = failed(run(line));
      if (reply !== null) {
        setRefusal({ name: '', reply });
        return;
      }
    }
    setRefusal(null);
    setEdits({});
  };

  return (
    <section className="panel config-panel" data-panel="config" aria-labelledby="config-title" style={{ '--config-name-chars': longestName } as CSSProperties}>
      <div className="panel-header">
        <h2 id="config-title">{t('config.title')}</h2>
        {config.running && config.directives.some((directive) => directive.changed) && (
          <button type="button" className="command-button config-rewrite" onClick={() => run('CONFIG REWRITE')}>
            <span className="command-line" dir="ltr">
              CONFIG REWRITE
            </span>
            <span className="command-label">{t('config.rewrite')}</span>
          </button>
        )}
      </div>
      <p className="panel-intro">{t('config.intro')}</p>
      {!config.running && <p className="notice">{t('config.down')}</p>}
      {/* The values' headings; a panel wide enough to list the directives in two columns shows them over each. */}
      <div className="config-heads" aria-hidden="true">
        {['first', 'second'].map((column) => (
          <div key={column} className="config-columns">
            <span />
            <span>{t('config.startup')}</span>
            <span>{t('config.running')}</span>
          </div>
        ))}
      </div>
      <ul className="config-list">
        {config.directives.map((directive) => (
          <DirectiveRow
            key={directive.name}
            directive={directive}
            serverRunning={config.running}
            staged={edits[directive.name]}
            refusal={refusal !== null && refusal.name === directive.name ? refusal.reply : null}
            onStage={(value) => setEdits((previous) => ({ ...previous, [directive.name]: value }))}
            onSetRunning={(value) => setRunning(directive.name, value)}
          />
        ))}
      </ul>
      {(pending.length > 0 || (refusal !== null && refusal.name === '')) && (
        <div className="config-pending">
          {pending.length > 0 && (
            <>
              <p>{t('config.pending', { count: pending.length })}</p>
              <div className="config-pending-actions">
                <button type="button" className="button button-primary" onClick={restart} aria-describedby="config-restart-lines">
                  {t('config.restart')}
                </button>
                <button type="button" className="button button-quiet" onClick={() => setEdits({})}>
                  {t('config.discard')}
                </button>
              </div>
              <ol className="config-lines" id="config-restart-lines" dir="ltr">
                {lines.map((line) => (
                  <li key={line}>
                    <code>{line}</code>
                  </li>
                ))}
              </ol>
            </>
          )}
          {refusal !== null && refusal.name === '' && (
            <p className="notice notice-error" role="alert">
              <bdi dir="ltr" className="error-reason">
                {refusal.reply}
              </bdi>
            </p>
          )}
        </div>
      )}
    </section>
  );
}

function DirectiveRow({
  directive,
  serverRunning,
  staged,
  refusal,
  onStage,
  onSetRunning,
}: {
  directive: DirectiveView;
  serverRunning: boolean;
  staged: string | undefined;
  refusal: string | null;
  onStage: (value: string) => void;
  onSetRunning: (value: string) => void;
}) {
  const { t } = useTranslation();
  const { name, mutability, changed } = directive;
  const startup = staged ?? directive.startup ?? directive.running;
  const explainId = `config-${name}-explain`;
  return (
    <li
      className={`config-row${changed ? ' is-changed' : ''}${staged !== undefined && staged !== directive.startup ? ' is-staged' : ''}${isWide(directive.input) ? ' is-wide' : ''}`}
      data-directive={name}
    >
      <div className="config-about">
        <code dir="ltr" className="config-name">
          {name}
        </code>{' '}
        <span className="config-explain" id={explainId}>
          {t(`config.explain.${name}`, { seconds: KERNEL_WRITEBACK_S })}
        </span>
      </div>
      {/* Where a row's values stack (save points on a phone), each says which it is, as the column headings do elsewhere. */}
      <span className="config-box-caption" aria-hidden="true">
        {t('config.startup')}
      </span>
      <ValueEditor
        input={directive.input}
        value={startup}
        label={t('config.startupLabel', { name })}
        describedBy={explainId}
        onChange={onStage}
        live
      />
      <span className="config-box-caption" aria-hidden="true">
        {t('config.running')}
      </span>
      <ValueEditor
        input={directive.input}
        value={directive.running}
        label={t('config.runningLabel', { name })}
        describedBy={explainId}
        disabled={!serverRunning || mutability !== 'mutable'}
        onChange={onSetRunning}
        submitLabel={t('config.set')}
        submitTitle={t('config.setLabel', { name })}
      />
      {changed && (
        <p className="config-note config-note-changed">
          <span aria-hidden="true">≠ </span>
          {t('config.changed')}
        </p>
      )}
      {mutability === 'immutable' && <p className="config-note">{t('config.immutable')}</p>}
      {mutability === 'protected' && (
        <p className="config-note">
          {/* The setting's name is one left-to-right island: broken at a hyphen inside Arabic, its halves would land at opposite ends of two lines. */}
          <Trans i18nKey="config.protected" components={{ cmd: <code className="nowrap" dir="ltr" /> }} />
        </p>
      )}
      {refusal !== null && (
        <p className="notice notice-error config-note" role="alert">
          {t('config.refused')}{' '}
          <bdi dir="ltr" className="error-reason">
            {refusal}
          </bdi>
        </p>
      )}
    </li>
  );
}

/**
 * One value: a select for yes/no and for a few words; a text field otherwise. `live` fields report
 * every change (redis.conf edits, applied later); the others have a Set button (a CONFIG SET).
 */
function ValueEditor({
  input,
  value,
  label,
  describedBy,
  disabled = false,
  onChange,
  live = false,
  submitLabel,
  submitTitle,
}: {
  input: DirectiveInput;
  value: string;
  label: string;
  describedBy: string;
  disabled?: boolean;
  onChange: (value: string) => void;
  live?: boolean;
  submitLabel?: string;
  submitTitle?: string;
}) {
  if (input.kind !== 'text') {
    const choices = input.kind === 'yes-no' ? ['yes', 'no'] : input.choices;
    return (
      <select className="config-value" dir="ltr" aria-label={label} aria-describedby={describedBy} value={value} disabled={disabled} onChange={(event) => onChange(event.target.value)}>
        {/* A value outside the choices (not one Redis would keep) still shows as it is. */}
        {!choices.includes(value) && <option value={value}>{value}</option>}
        {choices.map((choice) => (
          <option key={choice} value={choice}>
            {choice}
          </option>
        ))}
      </select>
    );
  }
  if (live) {
    return (
      <input
        className="config-value"
        dir="ltr"
        type="text"
        spellCheck={false}
        aria-label={label}
        aria-describedby={describedBy}
        value={value}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value)}
      />
    );
  }
  // Keyed by the running value: a CONFIG SET typed in the console resets the draft.
  return <TextSetter key={value} value={value} label={label} describedBy={describedBy} disabled={disabled} onSet={onChange} submitLabel={submitLabel ?? ''} submitTitle={submitTitle} />;
}

function TextSetter({
  value,
  label,
  describedBy,
  disabled,
  onSet,
  submitLabel,
  submitTitle,
}: {
  value: string;
  label: string;
  describedBy: string;
  disabled: boolean;
  onSet: (value: string) => void;
  submitLabel: string;
  submitTitle: string | undefined;
}) {
  const [draft, setDraft] = useState(value);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    onSet(draft);
  };
  return (
    <form className="config-setter" onSubmit={submit}>
      <input
        className="config-value"
        dir="ltr"
        type="text"
        spellCheck={false}
        aria-label={label}
        aria-describedby={describedBy}
        value={draft}
        disabled={disabled}
        onChange={(event) => setDraft(event.target.value)}
      />
      <button type="submit" className="button config-set" disabled={disabled || draft === value} title={submitTitle}>
        {submitLabel}
      </button>
    </form>
  );
}
