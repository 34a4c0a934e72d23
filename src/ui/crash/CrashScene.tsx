import { useEffect, useRef } from 'react';
import { motion, useReducedMotion } from 'motion/react';
import { useTranslation } from 'react-i18next';
import { Legend } from '../Legend.tsx';
import type { CrashFileView, CrashView } from '../../store/survival-view.ts';
import { formatUtcTime } from '../../i18n/index.ts';
import { formatBytesExact, ltrRun } from '../format-units.ts';
import { useAnnounce } from '../Narrator.tsx';
import { PathText } from '../PathText.tsx';

/**
 * The stop, drawn: redis-server and what its memory held (keys, aof_buf) vanish — struck out and
 * faded after a crash, simply freed after a SHUTDOWN — and each file of `dir` shows what it kept.
 * On a power loss the bytes that were only in the page cache are struck out and fade, and a file
 * whose name was never fsynced to the directory is gone whole.
 *
 * Reduced motion keeps the meaning without movement: the strike lines are drawn at once and only
 * opacity changes. Colour is never alone: lost parts are struck out and said in words.
 *
 * Each file's bar is that file whole (its size is said beside it): on one scale for every file, a
 * 120 B incr file next to a 40 KB dump.rdb would be a bar too thin to see, kept or lost.
 */

/** How long the crash takes to draw, before the narration adds what the files lost. */
const CRASH_DRAW_MS = 1400;

export function CrashScene({ crash }: { crash: CrashView }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? 'en';
  const reduce = useReducedMotion() ?? false;
  const announce = useAnnounce();
  const crashed = crash.kind !== 'shutdown';

  // The narrator has said the crash itself; once drawn, say what the files lost (once per crash:
  // a language switch re-renders without saying it again).
  const announcedId = useRef<number | null>(null);
  useEffect(() => {
    if (announcedId.current === crash.id) return;
    const losses = crash.files.flatMap((file) =>
      file.bytesAfter === null
        ? [t('crash.scene.announceFileGone', { name: ltrRun(file.name) })]
        : file.bytesAfter < file.bytesBefore
          ? [t('crash.scene.announceFiles', { name: ltrRun(file.name), lost: formatBytesExact(file.bytesBefore - file.bytesAfter, lng) })]
          : [],
    );
    if (losses.length === 0) return;
    const timer = setTimeout(() => {
      announcedId.current = crash.id;
      announce(losses.join(' '));
    }, CRASH_DRAW_MS);
    return () => clearTimeout(timer);
  }, [crash, t, lng, announce]);

  const strike = reduce ? { initial: { scaleX: 1 }, animate: { scaleX: 1 } } : { initial: { scaleX: 0 }, animate: { scaleX: 1 } };

  return (
    <article className={`crash-scene is-${crash.kind}`} aria-labelledby="crash-scene-title" data-testid="crash-scene" data-kind={crash.kind}>
      <h3 id="crash-scene-title" className="crash-title">
        {t(`crash.scene.title.${crash.kind}`, { time: formatUtcTime(crash.atMs, lng) })}
      </h3>
      <div className="crash-process">
        <motion.div
          key={crash.id}
          className="crash-memory"
          // Greyed, not faded: its words must stay readable (contrast) while the strike says "gone".
          initial={{ scale: 1, backgroundColor: 'var(--surface)', borderColor: crashed ? 'var(--parent)' : 'var(--border-strong)' }}
          animate={{ scale: reduce ? 1 : 0.97, backgroundColor: 'var(--memory-gone-bg)', borderColor: 'var(--border-strong)' }}
          transition={{ duration: 0.9, delay: 0.2 }}
        >
          <span>
            {/* The process's name and `pid` are Unix's words, kept as they are in every language. */}
            <bdi dir="ltr" className="process-name">
              redis-server
            </bdi>{' '}
            <bdi dir="ltr" className="process-pid">
              pid {crash.pid}
            </bdi>
          </span>{' '}
          <span className="crash-memory-parts">
            <span>{t('crash.scene.memory', { count: crash.keysInMemory })}</span>{' '}
            {crashed && crash.aofBufBytes > 0 && (
              <span>{t('crash.scene.aofBuf', { size: formatBytesExact(crash.aofBufBytes, lng) })}</span>
            )}
          </span>
          <motion.span className="strike-line" aria-hidden="true" {...strike} transition={{ duration: 0.5, delay: 0.6 }} />
        </motion.div>
        <span className={`gone-badge ${crashed ? 'is-lost' : 'is-freed'}`}>
          <span aria-hidden="true">{crashed ? '✕' : '⏻'}</span> {t(crashed ? 'crash.scene.gone' : 'crash.scene.freed')}
        </span>
      </div>
      <p>{t(crashed ? 'crash.scene.memoryGone' : 'crash.scene.memoryFreed')}</p>
      <p className="hint">{t(crash.kind === 'process' ? 'crash.scene.cacheKept' : crash.kind === 'power' ? 'crash.scene.cacheLost' : 'crash.scene.shutdownNote')}</p>
      {crash.files.length === 0 ? (
        <p className="empty-state">{t('crash.scene.noFiles')}</p>
      ) : (
        <>
          <p className="hint crash-files-hint">{t('crash.scene.barsHint')}</p>
          <ul className="crash-files" aria-label={t('crash.scene.filesLabel')}>
            {crash.files.map((file) => (
              <CrashFile key={file.name} file={file} crashId={crash.id} reduce={reduce} />
            ))}
          </ul>
        </>
      )}
      {crash.kind === 'power' && (
        <Legend
          label={t('disk.legendLabel')}
          entries={[
            { swatch: 'swatch swatch-durable', text: t('crash.scene.legendKept') },
            { swatch: 'swatch swatch-lost', text: t('crash.scene.legendLost') },
          ]}
        />
      )}
    </article>
  );
}

function CrashFile({ file, crashId, reduce }: { file: CrashFileView; crashId: number; reduce: boolean }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? 'en';
  const kept = file.bytesAfter ?? 0;
  const lost = Math.max(0, file.bytesBefore - kept);
  const gone = file.bytesAfter === null;
  // The file's bytes before the stop (or after: SHUTDOWN's final save wrote a new one) are the whole bar.
  const wholeBytes = Math.max(file.bytesBefore, kept);
  const share = (bytes: number): string => `${wholeBytes === 0 ? 0 : ((bytes / wholeBytes) * 100).toFixed(2)}%`;
  const said = gone
    ? t('crash.scene.fileGone')
    : lost > 0
      ? t('crash.scene.fileCut', { lost: formatBytesExact(lost, lng), kept: formatBytesExact(kept, lng) })
      : file.bytesBefore === 0 && kept > 0
        ? t('crash.scene.fileNew', { size: formatBytesExact(kept, lng) })
        : t('crash.scene.fileKept', { size: formatBytesExact(kept, lng) });
  return (
    <li className={`crash-file ${gone ? 'is-gone' : ''}`} data-file={file.name} data-lost-bytes={gone ? file.bytesBefore : lost}>
      <span className="crash-file-head">
        {gone ? (
          <del className="file-name" dir="ltr">
            <PathText text={file.name} />
          </del>
        ) : (
          <bdi dir="ltr" className="file-name">
            <PathText text={file.name} />
          </bdi>
        )}{' '}
        <span className="crash-file-said">{said}</span>
      </span>
      <span className="byte-bar crash-bar" aria-hidden="true">
        <span className="bar-durable" style={{ inlineSize: share(kept) }} />
        {(lost > 0 || gone) && (
          <motion.span
            key={crashId}
            className="bar-lost"
            style={{ inlineSize: share(gone ? file.bytesBefore : lost) }}
            initial={{ opacity: 1 }}
            animate={{ opacity: 0.5 }}
            transition={{ duration: reduce ? 0 : 1, delay: reduce ? 0 : 0.8 }}
          />
        )}
      </span>
    </li>
  );
}
