import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLab, useLabStoreApi } from '../../store/react.tsx';
import type { LoggedEvent, TimelineMark } from '../../store/index.ts';
import { sliderFromSpeed, speedFromSlider } from '../../store/timeline.ts';
import { formatNumber, formatUtcDate, formatUtcTime } from '../../i18n/index.ts';
import { useAnnounce } from '../Narrator.tsx';
import { narrateEvent } from '../narration.ts';
import { Shortcuts } from '../shortcuts/Shortcuts.tsx';
import { StepIcon } from '../ui-icons.tsx';
import { spreadMarks } from './spread-marks.ts';
import { ResetButton } from './ResetButton.tsx';
import { UndoOffer } from './UndoOffer.tsx';
import { undoDrop } from '../../store/undo.ts';

/**
 * Time, as a student controls it: the simulated clock, play and pause, steps back and forward,
 * speed (0.1× to 100×, logarithmic), and a scrubber over everything done since the node started,
 * with markers where a fork, a save, a crash or a restart happened. Seeking into the past shows
 * the lab exactly as it was (the store replays its tape); acting there starts a new branch, which
 * the bar says before it happens. The recent events are listed, each a way back to its moment.
 */

const SKIP_MS = 10_000;
/** The speed slider's resolution: the store maps its 0…1 position logarithmically. */
const SPEED_STEPS = 300;
const EVENTS_SHOWN = 30;

export function TimelinePanel() {
  const { t, i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? 'en';
  const store = useLabStoreApi();
  const announce = useAnnounce();
  const timeline = useLab((s) => s.timeline);
  const paused = useLab((s) => s.paused);
  const speed = useLab((s) => s.speed);
  // Whole seconds: the readout re-renders once a second, not on every 100 ms tick.
  const seconds = useLab((s) => Math.floor(s.nowMs / 1000));
  const nowMs = seconds * 1000;
  const inPast = timeline.position < timeline.length;
  const later = timeline.length - timeline.position;
  const clock = formatUtcTime(nowMs, lng);

  // The undo of the last branch (./UndoOffer.tsx), by the Branch button or by acting in the past;
  // each drop is said once, and its offer closed once, by its id.
  const drop = useLab((s) => s.lastDrop);
  const branchUndo = useMemo(() => (drop === null ? null : undoDrop(store, drop)), [store, drop]);
  const dropped = drop === null ? 0 : drop.tape.length - drop.position;
  const [closedDrop, setClosedDrop] = useState<number | null>(null);
  const scrubber = useRef<HTMLInputElement>(null);
  const closeBranchUndo = useCallback(
    (returnFocus: boolean) => {
      setClosedDrop(drop?.id ?? null);
      if (!returnFocus) return;
      // Back where the branch was asked for: the scrubber for the Branch button, the console for an action.
      const consoleInput = drop?.cause === 'action' ? document.getElementById('console-input') : null;
      (consoleInput ?? scrubber.current)?.focus();
    },
    [drop],
  );
  const announcedDrop = useRef(drop?.id);
  useEffect(() => {
    if (drop === null || announcedDrop.current === drop.id) return;
    announcedDrop.current = drop.id;
    announce(t('timeline.branched', { count: dropped }));
  }, [drop, dropped, announce, t]);

  const togglePlay = () => {
    store.getState().setPaused(!paused);
    announce(paused ? t('narration.resumed') : t('narration.paused'));
  };

  return (
    <section className={`panel timeline-panel${inPast ? ' is-past' : ''}`} data-panel="timeline" aria-labelledby="timeline-title">
      <div className="panel-header">
        <h2 id="timeline-title">{t('timeline.title')}</h2>
        <span className={`clock-state ${paused ? 'is-paused' : 'is-running'}`}>
          <span className="clock-dot" aria-hidden="true" />
          {paused ? t('clock.paused') : inPast ? t('timeline.playing') : t('clock.running')}
        </span>
      </div>

      <div className="timeline-bar">
        <p className="clock-readout">
          <time dateTime={new Date(nowMs).toISOString()}>
            <bdi dir="ltr" className="clock-time">
              {clock} <span className="clock-zone">{t('clock.utc')}</span>
            </bdi>
            <span className="clock-date">{formatUtcDate(nowMs, lng)}</span>
          </time>
        </p>

        <div className="timeline-transport" role="group" aria-label={t('timeline.transport')}>
          <button type="button" className="button" onClick={() => store.getState().stepBack()} disabled={timeline.position === 0} aria-keyshortcuts="j">
            <StepIcon direction="back" /> {t('timeline.stepBack')}
          </button>
          <button type="button" className="button" onClick={togglePlay} aria-keyshortcuts="k">
            {paused ? t('clock.resume') : t('clock.pause')}
          </button>
          <button type="button" className="button" onClick={() => store.getState().stepForward()} disabled={!inPast} aria-keyshortcuts="l">
            {t('timeline.stepForward')} <StepIcon direction="forward" />
          </button>
          {inPast ? (
            <button type="button" className="button" onClick={() => store.getState().seek(timeline.length)} aria-keyshortcuts="n">
              {t('timeline.toNow')}
            </button>
          ) : (
            <button
              type="button"
              className="button"
              onClick={() => {
                store.getState().advance(SKIP_MS);
                announce(t('narration.skipped', { count: SKIP_MS / 1000 }));
              }}
            >
              {/* The lab's own label, not a command: its number follows the digits chosen, as every duration the lab writes does. */}
              <bdi dir="ltr">{t('clock.skip', { seconds: formatNumber(SKIP_MS / 1000, lng) })}</bdi>
              <span className="visually-hidden"> {t('clock.skipLabel', { count: SKIP_MS / 1000 })}</span>
            </button>
          )}
        </div>

        <label className="timeline-speed">
          <span>{t('timeline.speed')}</span>
          <input
            type="range"
            min={0}
            max={SPEED_STEPS}
            step={1}
            value={Math.round(sliderFromSpeed(speed) * SPEED_STEPS)}
            aria-valuetext={t('timeline.speedValue', { speed: formatSpeed(speed, lng) })}
            onChange={(event) => store.getState().setSpeed(speedFromSlider(Number(event.currentTarget.value) / SPEED_STEPS))}
          />
          <span className="timeline-speed-value" dir="ltr" aria-hidden="true">
            {formatSpeed(speed, lng)}×
          </span>
        </label>
      </div>

      <div className="timeline-track">
        <input
          type="range"
          ref={scrubber}
          className="timeline-scrubber"
          min={0}
          max={Math.max(timeline.length, 1)}
          step={1}
          value={timeline.position}
          disabled={timeline.length === 0}
          aria-label={t('timeline.scrubber')}
          aria-valuetext={t('timeline.positionValue', {
            position: formatNumber(timeline.position, lng),
            length: formatNumber(timeline.length, lng),
            time: clock,
          })}
          onChange={(event) => store.getState().seek(Number(event.currentTarget.value))}
        />
        <TimelineMarks marks={timeline.marks} length={timeline.length} />
      </div>
      <p className="timeline-legend">
        <span>{t('timeline.positionShort', { position: formatNumber(timeline.position, lng), length: formatNumber(timeline.length, lng) })}</span>
        {(['fork', 'saved', 'crash', 'restart'] as const).map((kind) => (
          <span key={kind} className="timeline-legend-item">
            <span className={`timeline-mark-shape mark-${kind}`} aria-hidden="true" /> {t(`timeline.mark.${kind}`)}
          </span>
        ))}
      </p>

      {inPast && (
        <div className="timeline-past" role="note">
          <p>
            {t('timeline.pastNotice', { count: later, position: formatNumber(timeline.position, lng), length: formatNumber(timeline.length, lng) })}
            {/* Names the button as it reads now; while the past plays, there is nothing to press. */}
            {paused && ` ${t('timeline.pastResume', { button: t('clock.resume') })}`}
          </p>
          <div className="timeline-past-actions">
            <button type="button" className="button" onClick={() => store.getState().seek(timeline.length)}>
              {t('timeline.toNow')}
            </button>
            <button
              type="button"
              className="button button-quiet"
              onClick={() => store.getState().branch()}
            >
              {t('timeline.branch')}
            </button>
          </div>
        </div>
      )}

      {drop !== null && branchUndo !== null && drop.id !== closedDrop && (
        <div className="timeline-branch-undo">
          <UndoOffer
            key={drop.id}
            change={branchUndo}
            // Typing goes on in the console: only the Branch button hands the focus to the undo.
            takeFocus={drop.cause === 'branch'}
            text={t('timeline.branched', { count: dropped })}
            undoLabel={t('timeline.undoBranch')}
            onUndo={() => announce(t('timeline.branchUndone'))}
            onClose={closeBranchUndo}
          />
        </div>
      )}

      {!timeline.recording && <p className="timeline-full">{t('timeline.full')}</p>}

      {/* One row where there is room: the events at the start, the shortcuts and Reset at the end. */}
      <div className="timeline-foot">
        <RecentEvents />
        <div className="timeline-reset">
          <Shortcuts />
          <ResetButton />
        </div>
      </div>
    </section>
  );
}

/** Speed as the slider shows it: 0.1, 0.5, 1, 2.5, 40 … (two significant digits). */
function formatSpeed(speed: number, lng: string): string {
  return formatNumber(Number(speed.toPrecision(2)), lng, { maximumFractionDigits: 1 });
}

/** The least distance between two marks' centres, in px: a mark is 0.7rem wide, with a little air. */
const MARK_SPACING_PX = 14;

/**
 * The markers above the scrubber: shapes (not only colours) placed along the tape. Marks too close
 * to tell apart (a crash, then the restart one moment later) move aside a few pixels, in order.
 */
function TimelineMarks({ marks, length }: { marks: readonly TimelineMark[]; length: number }) {
  const [bar, width] = useInlineSize();
  const moves = useMemo(
    () => spreadMarks(length === 0 ? [] : marks.map((mark) => (mark.position / length) * width), MARK_SPACING_PX, width),
    [marks, length, width],
  );
  if (length === 0) return null;
  return (
    <div className="timeline-marks" aria-hidden="true" ref={bar}>
      {marks.map((mark, index) => (
        <span
          key={index}
          className={`timeline-mark-shape mark-${mark.kind}`}
          style={{ insetInlineStart: `${(mark.position / length) * 100}%`, marginInlineStart: `${moves[index] ?? 0}px` }}
        />
      ))}
    </div>
  );
}

/** A ref for an element, and its width in px as it resizes (0 until laid out, and where nothing lays it out). */
function useInlineSize(): [(element: HTMLElement | null) => void, number] {
  const [element, setElement] = useState<HTMLElement | null>(null);
  const [size, setSize] = useState(0);
  useEffect(() => {
    if (element === null || typeof ResizeObserver !== 'function') return;
    // The observer reports the first size as soon as it starts observing.
    const observer = new ResizeObserver(() => setSize(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return [setElement, size];
}

/** The latest events worth saying, newest first; each takes the lab back to its moment. */
function RecentEvents() {
  const { t, i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? 'en';
  const store = useLabStoreApi();
  const events = useLab((s) => s.events);
  const shown = useMemo(() => {
    const said: { logged: LoggedEvent; text: string }[] = [];
    for (let i = events.length - 1; i >= 0 && said.length < EVENTS_SHOWN; i--) {
      const logged = events[i] as LoggedEvent;
      const text = narrateEvent(logged.event, t, lng);
      if (text !== null) said.push({ logged, text });
    }
    return said;
  }, [events, t, lng]);

  return (
    <details className="timeline-events">
      <summary>{t('timeline.events', { count: shown.length })}</summary>
      {shown.length === 0 ? (
        <p className="timeline-events-empty">{t('timeline.noEvents')}</p>
      ) : (
        <ol>
          {shown.map(({ logged, text }) => (
            <li key={logged.seq}>
              <button type="button" className="timeline-event" onClick={() => store.getState().seekToEvent(logged.seq)}>
                <bdi dir="ltr" className="timeline-event-time">
                  {formatUtcTime(logged.event.atMs, lng)}
                </bdi>{' '}
                <span>{text}</span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
