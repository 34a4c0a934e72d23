import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLab, useLabStoreApi } from '../../store/react.tsx';
import { commandText, displayBin } from '../../store/index.ts';
import { abbreviateLine, MAX_OPEN_BYTES, planPutOnDisk, stepLine, type OpenedFile, type OpenRefusal, type PutContext, type PutStep } from '../../store/file-transfer.ts';
import { formatBytes, formatBytesExact, hexOffset, ltrRun } from '../format-units.ts';
import { offsetText } from '../inspector/explain-region.ts';
import { InspectedFile } from '../inspector/InspectorPanel.tsx';
import type { FileOpener } from './use-file-opener.ts';

/**
 * Files opened from the student's computer, in the inspector: an RDB exactly as a file of the
 * lab's disk is shown (annotated hex, the decoder's error with its offset), an AOF as the commands
 * Redis's loader reads and how it ends, a manifest as the files it lists. Refused files say why.
 * Below, the lines that put the file on the lab's disk and restart the node from it.
 */

const COMMANDS_STEP = 100;
const COMMAND_TEXT_MAX = 160;
const MANIFEST_TEXT_MAX = 4096;

/** The "Open a file…" button and its (hidden) file input. */
export function OpenFileButton({ opener }: { opener: FileOpener }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className="button" onClick={() => input.current?.click()} aria-describedby="open-file-hint">
        {t('files.open')}
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        accept=".rdb,.aof,.manifest,.zip"
        data-testid="open-file-input"
        onChange={(event) => {
          opener.openList(event.target.files);
          // The same file picked again must still fire a change.
          event.target.value = '';
        }}
      />
    </>
  );
}

export function OpenFileHint() {
  const { t } = useTranslation();
  return (
    <p className="hint" id="open-file-hint">
      {t('files.openHint')}
    </p>
  );
}

/** Shown over the inspector while files are dragged over it. */
export function DropOverlay() {
  const { t } = useTranslation();
  return (
    <div className="drop-overlay" aria-hidden="true">
      <span>{t('files.dropHere')}</span>
    </div>
  );
}

export function OpenedFiles({ opener, lng }: { opener: FileOpener; lng: string }) {
  const { t } = useTranslation();
  const { files, refused, shown } = opener;
  return (
    <div className="opened-files" role="group" aria-labelledby="opened-title">
      <div className="opened-head">
        <h3 id="opened-title">{t('files.openedTitle')}</h3>
        <button type="button" className="button button-quiet" onClick={opener.close}>
          {t('files.back')}
        </button>
      </div>
      <p className="hint">{t('files.openedIntro')}</p>
      {opener.busy && (
        <p className="hint" role="status">
          {t('files.reading')}
        </p>
      )}
      {refused.length > 0 && (
        <div className="opened-refusals" role="alert">
          {refused.map((refusal, index) => (
            <Refusal key={index} refusal={refusal} lng={lng} />
          ))}
        </div>
      )}
      {files.length > 1 && (
        <ul className="opened-list" aria-label={t('files.openedList')}>
          {files.map((file) => (
            <li key={file.id}>
              <button type="button" className="segment" aria-pressed={file.id === shown?.id} onClick={() => opener.show(file.id)}>
                <bdi dir="ltr">{file.name}</bdi>
              </button>
            </li>
          ))}
        </ul>
      )}
      {shown !== null && (
        <>
          <OpenedFileView key={shown.id} file={shown} lng={lng} />
          <PutOnDisk key={`put-${shown.id}`} files={files} shown={shown} lng={lng} />
        </>
      )}
    </div>
  );
}

function Refusal({ refusal, lng }: { refusal: OpenRefusal; lng: string }) {
  const { t } = useTranslation();
  const name = ltrRun(refusal.name);
  const size = formatBytes(refusal.sizeBytes, lng);
  const text = (() => {
    switch (refusal.reason) {
      case 'empty':
        return t('files.refused.empty', { name });
      case 'too-large':
        return t('files.refused.tooLarge', { name, size, max: formatBytes(MAX_OPEN_BYTES, lng) });
      case 'foreign':
        return t('files.refused.foreign', { name, format: refusal.detail });
      case 'unknown':
        return t('files.refused.unknown', { name, head: ltrRun(refusal.detail) });
      case 'bad-archive':
        return t('files.refused.badArchive', { name });
      case 'unreadable':
        return t('files.refused.unreadable', { name });
    }
  })();
  return (
    <p className="notice notice-error">
      {text}
      {refusal.reason === 'bad-archive' && (
        <>
          {' '}
          <bdi dir="ltr" className="error-reason">
            {refusal.detail}
          </bdi>
        </>
      )}
    </p>
  );
}

/** One file in the view of its kind; the inspector shows an AOF file or the manifest of the lab's disk with it too. */
export function OpenedFileView({ file, lng }: { file: OpenedFile; lng: string }) {
  switch (file.kind) {
    case 'rdb':
      return (
        <div className="opened-rdb">
          <p>
            <bdi dir="ltr" className="file-name">
              {file.name}
            </bdi>
          </p>
          <InspectedFile inspector={file.inspector} lng={lng} />
        </div>
      );
    case 'aof':
      return <AofDetails file={file} lng={lng} />;
    case 'manifest':
      return <ManifestDetails file={file} />;
  }
}

function AofDetails({ file, lng }: { file: Extract<OpenedFile, { kind: 'aof' }>; lng: string }) {
  const { t } = useTranslation();
  const [shownCount, setShownCount] = useState(COMMANDS_STEP);
  const size = formatBytesExact(file.bytes.length, lng);
  const { aof } = file;
  if (aof === null) {
    return (
      <div className="inspected">
        <p className="notice">{t('files.aof.tooLarge', { size })}</p>
        {file.inspector !== null && <InspectedFile inspector={file.inspector} lng={lng} />}
      </div>
    );
  }
  const { commands, end } = aof;
  const left = commands.length - shownCount;
  return (
    <div className="inspected opened-aof">
      <div className="file-summary">
        <p>
          <bdi dir="ltr" className="file-name">
            {file.name}
          </bdi>{' '}
          · {t('files.aof.summary', { size, commands: t('files.aof.commands', { count: commands.length }) })}
        </p>
        {aof.preambleBytes !== null && <p>{t('files.aof.preamble', { size: formatBytesExact(aof.preambleBytes, lng) })}</p>}
        {end.kind === 'complete' && <p>{t('files.aof.complete')}</p>}
        {end.kind === 'truncated' && (
          <p className="notice" role="note">
            {t('files.aof.truncated', { offset: offsetText(end.offset, lng), validUpTo: offsetText(end.validUpTo, lng) })}{' '}
            <bdi dir="ltr" className="error-reason">
              {end.reason}
            </bdi>
          </p>
        )}
        {end.kind === 'refused' && (
          <p className="notice notice-error" role="note">
            {t('files.aof.refused', { offset: offsetText(end.offset, lng) })}{' '}
            <bdi dir="ltr" className="error-reason">
              {end.reason}
            </bdi>
          </p>
        )}
      </div>
      {file.inspector !== null && <InspectedFile inspector={file.inspector} lng={lng} />}
      {commands.length > 0 && (
        <ol className="opened-commands" aria-label={t('files.aof.commandsLabel', { name: file.name })}>
          {commands.slice(0, shownCount).map((command) => {
            const text = commandText(command.argv);
            return (
              <li key={command.offset}>
                <bdi dir="ltr" className="region-offset">
                  {hexOffset(command.offset)}
                </bdi>{' '}
                <code dir="ltr">{text.length > COMMAND_TEXT_MAX ? `${text.slice(0, COMMAND_TEXT_MAX)}…` : text}</code>
              </li>
            );
          })}
        </ol>
      )}
      {left > 0 && (
        <button type="button" className="button" onClick={() => setShownCount((count) => count + COMMANDS_STEP)}>
          {t('files.aof.showMore', { count: Math.min(COMMANDS_STEP, left) })}
        </button>
      )}
    </div>
  );
}

function ManifestDetails({ file }: { file: Extract<OpenedFile, { kind: 'manifest' }> }) {
  const { t } = useTranslation();
  const { manifest, error } = file.manifest;
  const rows = manifest === null ? [] : [...(manifest.base === null ? [] : [manifest.base]), ...manifest.history, ...manifest.incr];
  return (
    <div className="inspected opened-manifest">
      <p>
        <bdi dir="ltr" className="file-name">
          {file.name}
        </bdi>{' '}
        · {t('files.manifest.summary')}
      </p>
      {error !== null && (
        <p className="notice notice-error" role="note">
          {t('files.manifest.refused')} {error.line !== null && <span>{t('files.manifest.line', { line: error.line })}:</span>}{' '}
          <bdi dir="ltr" className="error-reason">
            {error.reason}
          </bdi>
        </p>
      )}
      {rows.length > 0 && (
        <ol className="manifest-files" aria-label={t('files.manifest.filesLabel', { name: file.name })}>
          {rows.map((info) => (
            <li key={`${info.type}-${info.seq}-${info.fileName}`}>
              <bdi dir="ltr" className="file-name">
                {displayBin(info.fileName)}
              </bdi>{' '}
              <span className="manifest-entry">{t('files.manifest.entry', { seq: info.seq, type: t(`files.manifest.types.${info.type}`) })}</span>
            </li>
          ))}
        </ol>
      )}
      <pre className="manifest-text" dir="ltr">
        {new TextDecoder().decode(file.bytes.subarray(0, MANIFEST_TEXT_MAX))}
      </pre>
    </div>
  );
}

/** A SIM FILE PUT line as the list shows it: the base64 is not built until the line runs. */
function stepPreview(step: PutStep): string {
  return step.kind === 'line' ? step.line : `SIM FILE PUT ${step.name} …`;
}

function PutOnDisk({ files, shown, lng }: { files: readonly OpenedFile[]; shown: OpenedFile; lng: string }) {
  const { t, i18n } = useTranslation();
  const store = useLabStoreApi();
  const running = useLab((s) => s.lifecycle.running);
  const disk = useLab((s) => s.persistence.disk);
  const config = useLab((s) => s.config);
  const [outcome, setOutcome] = useState<{ ok: true } | { ok: false; line: string; reply: string } | null>(null);
  const directive = (name: string) => config.directives.find((d) => d.name === name);
  const startupAppendonly = directive('appendonly')?.startup ?? null;
  const context: PutContext = {
    running,
    dbfilename: disk.dbfilename,
    appenddirname: directive('appenddirname')?.running ?? 'appendonlydir',
    appendfilename: config.appendfilename,
    startupAppendonly: startupAppendonly === 'yes' || startupAppendonly === 'no' ? startupAppendonly : null,
    diskFiles: disk.files.map((file) => file.name),
  };
  const plan = planPutOnDisk(files, shown, context);
  if (!plan.ok) return <p className="notice">{t('files.put.loneAof')}</p>;

  const run = (): void => {
    for (const step of plan.steps) {
      const line = stepLine(step);
      const entry = store.getState().runLine(line);
      if ((entry.output.kind === 'reply' && entry.output.isError) || entry.output.kind === 'invalid' || entry.output.kind === 'disconnected') {
        setOutcome({ ok: false, line: abbreviateLine(line), reply: entry.output.text });
        return;
      }
    }
    setOutcome({ ok: true });
  };

  return (
    <div className="put-on-disk">
      <p className="hint">
        {plan.loads === 'rdb' ? t('files.put.rdb', { name: ltrRun(context.dbfilename) }) : t('files.put.aof', { dir: ltrRun(`${context.appenddirname}/`) })}
      </p>
      {plan.missing.length > 0 && <p className="notice notice-error">{t('files.put.missing', { names: ltrRun(plan.missing.map(displayBin).join(', ')) })}</p>}
      <div>
        <button type="button" className="button button-primary" onClick={run} aria-describedby="put-lines">
          {t('files.put.button')}
        </button>
      </div>
      <div id="put-lines" className="put-lines">
        <p className="hint">{t('files.put.runs')}</p>
        {/* Command lines read left to right in every language; the sizes keep the page's direction. */}
        <ol dir="ltr">
          {plan.steps.map((step, index) => (
            <li key={index}>
              <code>{stepPreview(step)}</code>
              {step.kind === 'put' && (
                <span className="hint put-size" dir={i18n.dir(lng)}>
                  {t('files.put.bytes', { size: formatBytes(step.bytes.length, lng) })}
                </span>
              )}
            </li>
          ))}
        </ol>
      </div>
      {outcome !== null && (
        <p className={`notice${outcome.ok ? ' notice-ok' : ' notice-error'}`} role="status">
          {outcome.ok ? (
            t('files.put.done')
          ) : (
            <>
              {t('files.put.failed')} <code dir="ltr">{outcome.line}</code>{' '}
              <bdi dir="ltr" className="error-reason">
                {outcome.reply}
              </bdi>
            </>
          )}
        </p>
      )}
    </div>
  );
}
