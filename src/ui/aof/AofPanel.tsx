import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Legend } from '../Legend.tsx';
import { useLab, useLabStoreApi } from '../../store/react.tsx';
import type { AofCommandView, AofLayer } from '../../store/index.ts';
import { displayBin } from '../../store/index.ts';
import { formatBytesExact } from '../format-units.ts';
import { AofRewriteSteps } from './AofRewriteSteps.tsx';
import { PathText } from '../PathText.tsx';

/**
 * The AOF log: the commands of the incr file being appended, newest last, each drawn by where its
 * bytes are — outlined while still in aof_buf (the server's memory), hatched once written but only
 * in the page cache, solid once fsynced to disk. The switches run their CONFIG SET line through
 * the console, as the snapshot buttons do. Below the log, the last AOF rewrite step by step (folded
 * into one line once it is over: the log is what the panel is for).
 */

export const FSYNC_POLICIES = ['always', 'everysec', 'no'] as const;
/** How old dirty page-cache data gets before Linux writes it back (vm.dirty_expire_centisecs), as the engine models it. */
export const KERNEL_WRITEBACK_S = 30;
const LAYERS: readonly AofLayer[] = ['buffer', 'cached', 'durable'];

export function AofPanel() {
  const { t, i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? 'en';
  const store = useLabStoreApi();
  const aof = useLab((s) => s.aof);
  const running = useLab((s) => s.lifecycle.running);
  const [showBytes, setShowBytes] = useState(false);
  const run = (line: string): void => void store.getState().runLine(line);
  const on = aof.state !== 'off';
  const aofLine = `CONFIG SET appendonly ${on ? 'no' : 'yes'}`;
  const fileName = aof.file?.split('/').pop() ?? '';

  return (
    <section className="panel aof-panel" data-panel="aof" aria-labelledby="aof-title">
      <div className="panel-header">
        <h2 id="aof-title">{t('aof.title')}</h2>
      </div>
      <p className="panel-intro">{t('aof.intro')}</p>
      <div className="aof-controls">
        <button type="button" className="switch" role="switch" aria-checked={on} aria-describedby="aof-switch-hint" onClick={() => run(aofLine)}>
          <span className="switch-track" aria-hidden="true">
            <span className="switch-thumb" />
          </span>
          {t('aof.enabled')}
        </button>
        <p className="hint" id="aof-switch-hint">
          {t('snapshot.switchRuns')} <code dir="ltr">{aofLine}</code>
        </p>
        <fieldset className="aof-policies">
          <legend>{t('aof.policyLegend')}</legend>
          <ul>
            {FSYNC_POLICIES.map((policy) => (
              <li key={policy}>
                <button
                  type="button"
                  className="segment"
                  aria-pressed={aof.appendfsync === policy}
                  aria-describedby={`aof-policy-${policy}`}
                  onClick={() => run(`CONFIG SET appendfsync ${policy}`)}
                  title={`CONFIG SET appendfsync ${policy}`}
                >
                  <span dir="ltr">{policy}</span>
                </button>
                <span className="aof-policy-hint" id={`aof-policy-${policy}`}>
                  {t(`aof.policy.${policy}`, { seconds: KERNEL_WRITEBACK_S })}
                </span>
              </li>
            ))}
          </ul>
        </fieldset>
      </div>

      <div className="aof-log-header">
        <Legend label={t('aof.legendLabel')} entries={LAYERS.map((layer) => ({ swatch: `aof-swatch is-${layer}`, text: t(`aof.layer.${layer}`) }))} />
        <button type="button" className="switch" role="switch" aria-checked={showBytes} onClick={() => setShowBytes(!showBytes)}>
          <span className="switch-track" aria-hidden="true">
            <span className="switch-thumb" />
          </span>
          {t('aof.showBytes')}
        </button>
      </div>

      {aof.file === null ? (
        <p className="empty-note">{t(running ? 'aof.off' : 'aof.down')}</p>
      ) : (
        <>
          <p className="aof-file" data-lesson-anchor>
            <code dir="ltr">
              <PathText text={aof.file} />
            </code>{' '}
            {t('aof.fileSummary', {
              size: formatBytesExact(aof.fileBytes, lng),
              durable: formatBytesExact(aof.durableBytes, lng),
              buffer: formatBytesExact(aof.bufferBytes, lng),
            })}
          </p>
          {aof.totalCommands > aof.commands.length && <p className="hint">{t('aof.capped', { shown: aof.commands.length, total: aof.totalCommands })}</p>}
          {aof.commands.length === 0 ? (
            <p className="empty-note">{t('aof.empty')}</p>
          ) : (
            <ol className="aof-log" aria-label={t('aof.logLabel', { file: fileName })}>
              {aof.commands.map((command) => (
                <AofRow key={command.id} command={command} showBytes={showBytes} />
              ))}
            </ol>
          )}
        </>
      )}

      <AofRewriteSteps />
    </section>
  );
}

function AofRow({ command, showBytes }: { command: AofCommandView; showBytes: boolean }) {
  const { t } = useTranslation();
  return (
    <li className={`aof-command is-${command.layer}`} data-layer={command.layer}>
      <code className="aof-text" dir="ltr">
        {command.text}
      </code>
      <span className="aof-where">{t(`aof.layerShort.${command.layer}`)}</span>
      {showBytes && (
        <pre className="aof-raw" dir="ltr">
          {rawLines(command.raw)}
        </pre>
      )}
    </li>
  );
}

/** RESP as readable lines: each `\r\n` shown and followed by a line break. */
function rawLines(raw: string): string {
  return raw
    .split('\r\n')
    .slice(0, -1)
    .map((line) => `${displayBin(line)}\\r\\n`)
    .join('\n');
}
