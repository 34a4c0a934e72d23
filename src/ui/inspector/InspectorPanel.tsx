import { memo, useCallback, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLab, useLabStoreApi } from '../../store/react.tsx';
import { regionAt, regionKey, type InspectorView, type RdbRegion } from '../../store/index.ts';
import { formatNumber } from '../../i18n/index.ts';
import { formatBytes, formatBytesExact, hexByte, hexOffset } from '../format-units.ts';
import { explainRegion, kindLabel, offsetText, regionWhat } from './explain-region.ts';
import { useFileOpener } from '../files/use-file-opener.ts';
import { DropOverlay, OpenedFiles, OpenedFileView, OpenFileButton, OpenFileHint } from '../files/OpenedFiles.tsx';
import { diskFileKind, type OpenedFile } from '../../store/file-transfer.ts';

/**
 * The file inspector. An RDB file of the virtual disk is shown as annotated hex (offset | 16 bytes | ASCII),
 * every byte coloured by the region it belongs to, beside the list of those regions. Pointing at
 * a byte or focusing a region (the list is one tab stop; arrow keys move) explains it in the
 * card below. Only a window of the file is rendered, `WINDOW_BYTES` more at each "show more".
 * An AOF file and the manifest get the views a file opened from the computer gets.
 */

export const WINDOW_BYTES = 1024;
const BYTES_PER_ROW = 16;
const PAGE_STEP = 10;

export function InspectorPanel() {
  const { t, i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? 'en';
  const store = useLabStoreApi();
  const inspector = useLab((s) => s.inspector);
  const files = useLab((s) => s.persistence.disk.files);
  const readable = useMemo(() => files.filter((file) => diskFileKind(file.name) !== null), [files]);
  // Files opened from the student's computer (picker or drop) are shown instead, until closed.
  const opener = useFileOpener();

  return (
    <section
      className={`panel inspector-panel${opener.dragging ? ' is-dropping' : ''}`}
      data-panel="inspector"
      aria-labelledby="inspector-title"
      {...opener.dropTarget}
    >
      <div className="panel-header">
        <h2 id="inspector-title">{t('inspector.title')}</h2>
        <label className="file-picker">
          <span>{t('inspector.fileLabel')}</span>
          <select
            value={inspector !== null && !inspector.gone ? inspector.name : ''}
            onChange={(event) => {
              opener.close();
              store.getState().inspectFile(event.target.value === '' ? null : event.target.value);
            }}
            dir="ltr"
          >
            {(inspector === null || inspector.gone) && <option value="">{t('inspector.choose')}</option>}
            {readable.map((file) => (
              <option key={file.id} value={file.name}>
                {file.name}
              </option>
            ))}
          </select>
        </label>
        <OpenFileButton opener={opener} />
      </div>
      <p className="panel-intro">
        <span className="for-pointer">{t('inspector.intro')}</span>
        <span className="for-touch">{t('inspector.introTouch')}</span>
      </p>
      <OpenFileHint />
      {opener.dragging && <DropOverlay />}
      {opener.active || opener.busy ? (
        <OpenedFiles opener={opener} lng={lng} />
      ) : inspector === null ? (
        <p className="empty-state">{readable.length === 0 ? t('inspector.none') : t('inspector.pick')}</p>
      ) : (
        // A new file starts at its first bytes, with nothing selected.
        <DiskFile key={inspector.fileId} inspector={inspector} lng={lng} />
      )}
    </section>
  );
}

/** A file of the lab's disk: an RDB file as annotated hex, an AOF file or the manifest as an opened one is shown. */
function DiskFile({ inspector, lng }: { inspector: InspectorView; lng: string }) {
  const { t } = useTranslation();
  const { readAs } = inspector;
  // The preamble's hex leaves it to the notice above to say the file is gone.
  const preamble = useMemo(() => ({ ...inspector, gone: false }), [inspector]);
  if (readAs === undefined) return <InspectedFile inspector={inspector} lng={lng} />;
  const base = { id: inspector.fileId, name: inspector.name, bytes: inspector.bytes, annotated: inspector.annotated };
  const file: OpenedFile =
    readAs.kind === 'aof'
      ? { ...base, kind: 'aof', aof: readAs.aof, inspector: readAs.preamble ? preamble : null }
      : { ...base, kind: 'manifest', manifest: readAs.manifest };
  return (
    <>
      {inspector.gone && <p className="notice">{t('inspector.gone', { name: inspector.name })}</p>}
      <OpenedFileView file={file} lng={lng} />
    </>
  );
}

export function InspectedFile({ inspector, lng }: { inspector: InspectorView; lng: string }) {
  const { t } = useTranslation();
  const [shownBytes, setShownBytes] = useState(WINDOW_BYTES);
  const [selected, setSelected] = useState(0);
  const [hovered, setHovered] = useState<number | null>(null);
  const { regions, bytes } = inspector;
  const end = Math.min(bytes.length, shownBytes);
  // The regions that start within the rendered bytes (plus the one the window starts in).
  const lastShownRegion = regions.length === 0 ? -1 : end === 0 ? 0 : regionAt(regions, end - 1);
  const active = hovered ?? selected;
  const activeRegion = regions[active];

  return (
    <div className="inspected">
      <FileSummary inspector={inspector} lng={lng} />
      {regions.length > 0 && (
        <div className="kind-legend" aria-hidden="true">
          {(['magic', 'aux', 'selectdb', 'resizedb', 'expiry', 'type', 'key', 'value', 'eof', 'checksum'] as const).map((kind) => (
            <span key={kind} className={`kind-chip rk-${kind}`}>
              {t(`inspector.kind.${kind}`)}
            </span>
          ))}
        </div>
      )}
      <div className="inspector-body">
        <HexView bytes={bytes} end={end} regions={regions} active={activeRegion === undefined ? null : activeRegion} name={inspector.name} onHover={setHovered} onPick={setSelected} />
        {regions.length > 0 && (
          <div className="region-side">
            <p className="hint" id="region-hint">
              {t('inspector.regionHint')}
            </p>
            <RegionList regions={regions} count={lastShownRegion + 1} selected={selected} onSelect={setSelected} name={inspector.name} lng={lng} />
            <ExplanationCard regions={regions} index={active} lng={lng} />
          </div>
        )}
      </div>
      <div className="window-controls">
        <p className="hint">
          {t('inspector.showing', { to: formatNumber(end, lng), total: formatBytesExact(bytes.length, lng) })}
        </p>
        {end < bytes.length && (
          <button type="button" className="button" onClick={() => setShownBytes((shown) => shown + WINDOW_BYTES)}>
            {t('inspector.showMore', { size: formatBytes(Math.min(WINDOW_BYTES, bytes.length - end), lng) })}
          </button>
        )}
      </div>
    </div>
  );
}

function FileSummary({ inspector, lng }: { inspector: InspectorView; lng: string }) {
  const { t } = useTranslation();
  const size = formatBytesExact(inspector.sizeBytes, lng);
  return (
    <div className="file-summary">
      {inspector.version !== null && (
        <p>
          {t('inspector.summary', {
            version: inspector.version,
            size,
            keys: t('inspector.keys', { count: inspector.keyCount }),
            regions: formatNumber(inspector.regions.length, lng),
          })}
        </p>
      )}
      {inspector.gone && <p className="notice">{t('inspector.gone', { name: inspector.name })}</p>}
      {!inspector.annotated && <p className="notice">{t('inspector.tooLarge', { size })}</p>}
      {inspector.error !== null && (
        <p className="notice notice-error" role="note">
          {t(`inspector.error.${inspector.error.kind}`, { offset: offsetText(inspector.error.offset, lng) })}{' '}
          <bdi dir="ltr" className="error-reason">
            {inspector.error.reason}
          </bdi>
        </p>
      )}
    </div>
  );
}

/**
 * The hex dump, an LTR island. It is a picture of the bytes for sighted readers; the region list
 * beside it says the same for everyone, so the dump is one labelled, focusable (scrollable) region.
 */
const HexView = memo(function HexView({
  bytes,
  end,
  regions,
  active,
  name,
  onHover,
  onPick,
}: {
  bytes: Uint8Array;
  end: number;
  regions: readonly RdbRegion[];
  active: RdbRegion | null;
  name: string;
  onHover: (index: number | null) => void;
  onPick: (index: number) => void;
}) {
  const { t } = useTranslation();
  const rows: number[] = [];
  for (let offset = 0; offset < end; offset += BYTES_PER_ROW) rows.push(offset);
  const regionOfEvent = (event: MouseEvent<HTMLElement>): number | null => {
    const index = (event.target as HTMLElement).closest<HTMLElement>('[data-region]')?.dataset.region;
    return index === undefined ? null : Number(index);
  };
  const activeStart = active?.offset ?? -1;
  const activeEnd = active === null ? -1 : active.offset + active.length;
  return (
    <div
      className="hex-view"
      dir="ltr"
      role="region"
      aria-label={t('inspector.hexLabel', { name })}
      tabIndex={0}
      onMouseOver={(event) => onHover(regionOfEvent(event))}
      onMouseLeave={() => onHover(null)}
      onClick={(event) => {
        const index = regionOfEvent(event);
        if (index !== null) onPick(index);
      }}
    >
      <div className="hex-row hex-header" aria-hidden="true">
        <span className="hex-offset">
          {/* The column keeps its width in the monospace font; its word is set in the text font, which has Arabic. */}
          <span className="hex-heading">{t('inspector.offset')}</span>
        </span>
        <span className="hex-bytes">{Array.from({ length: BYTES_PER_ROW }, (_, i) => hexByte(i)).join(' ')}</span>
        <span className="hex-ascii">ASCII</span>
      </div>
      {rows.map((offset) => {
        const rowEnd = Math.min(end, offset + BYTES_PER_ROW);
        // Rows outside the active region get -1, so only the rows it touches re-render.
        const touches = activeStart < rowEnd && activeEnd > offset;
        return (
          <HexRow
            key={offset}
            bytes={bytes}
            offset={offset}
            end={rowEnd}
            regions={regions}
            activeStart={touches ? activeStart : -1}
            activeEnd={touches ? activeEnd : -1}
          />
        );
      })}
    </div>
  );
});

/**
 * One row of 16 bytes, cut into runs of bytes of one region: a run is one span in the hex column
 * and one in the ASCII column, so the DOM stays small (a few spans a row, not 32) and the gaps
 * between runs show where regions meet.
 */
const HexRow = memo(function HexRow({
  bytes,
  offset,
  end,
  regions,
  activeStart,
  activeEnd,
}: {
  bytes: Uint8Array;
  offset: number;
  end: number;
  regions: readonly RdbRegion[];
  activeStart: number;
  activeEnd: number;
}) {
  const hexRuns = [];
  const asciiRuns = [];
  let at = offset;
  let regionIndex = regions.length === 0 ? -1 : regionAt(regions, offset);
  while (at < end) {
    const region = regionIndex >= 0 ? regions[regionIndex] : undefined;
    const runEnd = region === undefined ? end : Math.min(end, region.offset + region.length);
    const run = bytes.subarray(at, runEnd);
    const classes =
      region === undefined
        ? 'hb'
        : `hb rk-${region.kind}${regionIndex % 2 === 1 ? ' alt' : ''}${region.offset >= activeStart && region.offset < activeEnd ? ' is-active' : ''}`;
    const data = region === undefined ? {} : { 'data-region': regionIndex };
    if (at > offset) {
      hexRuns.push(' ');
    }
    hexRuns.push(
      <span key={at} className={classes} {...data}>
        {Array.from(run, hexByte).join(' ')}
      </span>,
    );
    asciiRuns.push(
      <span key={at} className={classes} {...data}>
        {Array.from(run, (value) => (value >= 0x20 && value < 0x7f ? String.fromCharCode(value) : '.')).join('')}
      </span>,
    );
    at = runEnd;
    regionIndex = region === undefined ? -1 : regionIndex + 1;
  }
  return (
    <div className="hex-row">
      <span className="hex-offset">{hexOffset(offset)}</span>
      <span className="hex-bytes">{hexRuns}</span>
      <span className="hex-ascii">{asciiRuns}</span>
    </div>
  );
});

/**
 * The regions as a listbox with a roving tab stop: Tab enters at the selected region, arrow keys,
 * Page Up/Down, Home and End move, and each move explains the region (its accessible name holds
 * the explanation, so a screen reader says it on arrival).
 */
function RegionList({
  regions,
  count,
  selected,
  onSelect,
  name,
  lng,
}: {
  regions: readonly RdbRegion[];
  count: number;
  selected: number;
  onSelect: (index: number) => void;
  name: string;
  lng: string;
}) {
  const { t } = useTranslation();
  const listRef = useRef<HTMLUListElement>(null);
  const move = useCallback(
    (index: number) => {
      const next = Math.max(0, Math.min(count - 1, index));
      onSelect(next);
      listRef.current?.querySelector<HTMLElement>(`[data-index="${next}"]`)?.focus();
    },
    [count, onSelect],
  );
  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>): void => {
    const steps: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: PAGE_STEP, PageUp: -PAGE_STEP };
    if (event.key in steps) move(selected + (steps[event.key] ?? 0));
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(count - 1);
    else return;
    event.preventDefault();
  };
  const current = Math.min(selected, count - 1);
  return (
    <ul className="region-list" role="listbox" aria-label={t('inspector.regionsLabel', { name })} aria-describedby="region-hint" ref={listRef} onKeyDown={onKeyDown}>
      {regions.slice(0, count).map((region, index) => (
        <RegionOption key={index} region={region} index={index} regions={regions} isSelected={index === current} onSelect={onSelect} lng={lng} />
      ))}
    </ul>
  );
}

const RegionOption = memo(function RegionOption({
  region,
  index,
  regions,
  isSelected,
  onSelect,
  lng,
}: {
  region: RdbRegion;
  index: number;
  regions: readonly RdbRegion[];
  isSelected: boolean;
  onSelect: (index: number) => void;
  lng: string;
}) {
  const { t } = useTranslation();
  const key = regionKey(regions, index);
  return (
    <li
      role="option"
      aria-selected={isSelected}
      tabIndex={isSelected ? 0 : -1}
      data-index={index}
      className={`region-option rk-${region.kind}`}
      onClick={() => onSelect(index)}
      onFocus={() => onSelect(index)}
    >
      <span className="region-swatch" aria-hidden="true" />
      <bdi dir="ltr" className="region-offset">
        {hexOffset(region.offset)}
      </bdi>{' '}
      <span className="region-kind">{kindLabel(region, t)}</span>{' '}
      <bdi dir="ltr" className="region-what">
        {regionWhat(region, key, lng)}
      </bdi>
      <span className="visually-hidden">
        {' '}
        {t('inspector.regionBytes', { count: region.length })}. {explainRegion(region, key, t, lng)}
      </span>
    </li>
  );
});

function ExplanationCard({ regions, index, lng }: { regions: readonly RdbRegion[]; index: number; lng: string }) {
  const { t } = useTranslation();
  const region = regions[index];
  if (region === undefined) return null;
  const key = regionKey(regions, index);
  return (
    // Hidden from screen readers: the focused option already says all of this.
    <div className={`explanation rk-${region.kind}`} aria-hidden="true" data-testid="region-explanation">
      <p className="explanation-head">
        <span className="region-swatch" />
        <strong>{kindLabel(region, t)}</strong>{' '}
        <bdi dir="ltr" className="explanation-name">
          {region.name}
        </bdi>
      </p>
      <p className="explanation-where">
        {t('inspector.where', { offset: offsetText(region.offset, lng), count: region.length })}
      </p>
      <p>{explainRegion(region, key, t, lng)}</p>
    </div>
  );
}
