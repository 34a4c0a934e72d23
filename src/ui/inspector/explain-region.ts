import type { TFunction } from 'i18next';
import type { RdbRegion } from '../../store/index.ts';
import { displayBin } from '../../store/index.ts';
import { formatNumber } from '../../i18n/index.ts';
import { hexByte, hexOffset, ltrRun } from '../format-units.ts';

/**
 * What a region of an RDB file is, in words, in the current language: a short label for the
 * region list (`aux · redis-ver`) and a sentence or two for the explanation card. Pure, so the
 * wording is tested without a DOM. Redis's own names (opcodes, type names, AUX field names,
 * keys) stay as they are: they are what the learner will meet in Redis's source and logs.
 */

/** Keys and values in explanations are cut to this many characters. */
const QUOTED_MAX_CHARS = 48;

/** The AUX fields Redis 7.0 writes or reads, each with an explanation of its own. */
const AUX_MEANINGS = {
  'redis-ver': 'inspector.aux.redisVer',
  'redis-bits': 'inspector.aux.redisBits',
  ctime: 'inspector.aux.ctime',
  'used-mem': 'inspector.aux.usedMem',
  'aof-base': 'inspector.aux.aofBase',
  'aof-preamble': 'inspector.aux.aofBase',
  'repl-stream-db': 'inspector.aux.repl',
  'repl-id': 'inspector.aux.repl',
  'repl-offset': 'inspector.aux.repl',
} as const;

/** The Redis type an RDB_TYPE_* name stores. */
function redisTypeOf(typeName: string): string {
  if (typeName.startsWith('RDB_TYPE_STRING')) return 'string';
  if (typeName.startsWith('RDB_TYPE_LIST')) return 'list';
  if (typeName.startsWith('RDB_TYPE_SET')) return 'set';
  if (typeName.startsWith('RDB_TYPE_ZSET')) return 'zset';
  if (typeName.startsWith('RDB_TYPE_HASH')) return 'hash';
  return typeName;
}

/** A key or value as display text, cut short, as one left-to-right run inside any sentence. */
function quoted(bin: string): string {
  const text = displayBin(bin);
  return ltrRun(text.length > QUOTED_MAX_CHARS ? `${text.slice(0, QUOTED_MAX_CHARS)}…` : text);
}

function str(detail: RdbRegion['detail'], name: string): string {
  const value = detail[name];
  return value === undefined ? '' : String(value);
}

function num(detail: RdbRegion['detail'], name: string): number {
  const value = detail[name];
  return typeof value === 'number' ? value : Number(value ?? 0);
}

function isoUtc(ms: number): string {
  // ISO 8601 is what SIM TIME prints; it reads the same in both languages.
  return ltrRun(Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString().replace('.000Z', 'Z') : String(ms));
}

/** The region's kind as the region list names it: `AUX`, `key`, `value`… (translated). */
export function kindLabel(region: RdbRegion, t: TFunction): string {
  return t(`inspector.kind.${region.kind === 'slot-info' ? 'slotInfo' : region.kind}`);
}

/** A short, left-to-right detail for the region list: `redis-ver`, `db 0`, the key's name. */
export function regionWhat(region: RdbRegion, key: string | null, lng: string): string {
  const { detail } = region;
  switch (region.kind) {
    case 'magic':
      return `REDIS${String(num(detail, 'version')).padStart(4, '0')}`;
    case 'aux':
      return `${str(detail, 'key')} = ${quoted(str(detail, 'value'))}`;
    case 'selectdb':
      return `db${num(detail, 'db')}`;
    case 'resizedb':
      return `${formatNumber(num(detail, 'dbSize'), lng)} / ${formatNumber(num(detail, 'expiresSize'), lng)}`;
    case 'expiry':
      return isoUtc(num(detail, 'expireAtMs'));
    case 'type':
      return `0x${hexByte(num(detail, 'type'))} ${redisTypeOf(region.name)}`;
    case 'key':
      return quoted(str(detail, 'key'));
    case 'value':
      return key === null ? region.name : quoted(key);
    case 'eof':
      return '0xff';
    case 'checksum':
      return `0x${str(detail, 'stored')}`;
    default:
      return region.name;
  }
}

/** What the region means, for the explanation card and screen readers. */
export function explainRegion(region: RdbRegion, key: string | null, t: TFunction, lng: string): string {
  const { detail } = region;
  const keyText = key === null ? '' : quoted(key);
  switch (region.kind) {
    case 'magic':
      return t('inspector.explain.magic', { version: num(detail, 'version') });
    case 'aux': {
      const field = str(detail, 'key');
      const meaningKey = AUX_MEANINGS[field as keyof typeof AUX_MEANINGS] as (typeof AUX_MEANINGS)[keyof typeof AUX_MEANINGS] | undefined;
      const value = str(detail, 'value');
      const meaning =
        meaningKey === undefined
          ? t('inspector.aux.other')
          : t(meaningKey, { value: quoted(value), date: field === 'ctime' ? isoUtc(Number(value) * 1000) : '' });
      return t('inspector.explain.aux', { field: ltrRun(field), value: quoted(value), meaning });
    }
    case 'selectdb':
      return t('inspector.explain.selectdb', { db: num(detail, 'db') });
    case 'resizedb':
      return t('inspector.explain.resizedb', {
        keys: formatNumber(num(detail, 'dbSize'), lng),
        expires: formatNumber(num(detail, 'expiresSize'), lng),
      });
    case 'expiry':
      return t(region.name === 'RDB_OPCODE_EXPIRETIME' ? 'inspector.explain.expirySeconds' : 'inspector.explain.expiryMs', {
        key: keyText,
        date: isoUtc(num(detail, 'expireAtMs')),
      });
    case 'idle':
      return t('inspector.explain.idle', { key: keyText, seconds: formatNumber(num(detail, 'seconds'), lng) });
    case 'freq':
      return t('inspector.explain.freq', { key: keyText, frequency: num(detail, 'frequency') });
    case 'slot-info':
      return t('inspector.explain.slotInfo', { slot: num(detail, 'slot'), keys: formatNumber(num(detail, 'slotSize'), lng) });
    case 'type':
      return t('inspector.explain.type', {
        code: ltrRun(`0x${hexByte(num(detail, 'type'))}`),
        name: ltrRun(region.name),
        type: ltrRun(redisTypeOf(region.name)),
        key: keyText,
      });
    case 'key':
      return str(detail, 'encoding') === 'raw'
        ? t('inspector.explain.key', { key: keyText, count: str(detail, 'key').length })
        : t('inspector.explain.keyInteger', { key: keyText, encoding: ltrRun(str(detail, 'encoding')) });
    case 'value':
      return explainValue(region, keyText, t);
    case 'eof':
      return t('inspector.explain.eof');
    case 'checksum': {
      const status = str(detail, 'status');
      const verdict =
        status === 'ok' ? t('inspector.checksum.ok') : status === 'disabled' ? t('inspector.checksum.disabled') : t('inspector.checksum.mismatch');
      return t('inspector.explain.checksum', { stored: ltrRun(`0x${str(detail, 'stored')}`), verdict });
    }
    case 'trailing':
      return t('inspector.explain.trailing', { count: num(detail, 'length') });
  }
}

function explainValue(region: RdbRegion, key: string, t: TFunction): string {
  const { detail } = region;
  if (redisTypeOf(region.name) === 'string') {
    const encoding = str(detail, 'encoding');
    const length = num(detail, 'length');
    if (encoding === 'RDB_ENC_LZF') return t('inspector.explain.valueLzf', { key, count: length });
    if (encoding.startsWith('RDB_ENC_INT')) return t('inspector.explain.valueInteger', { key, encoding: ltrRun(encoding) });
    return t('inspector.explain.valueString', { key, count: length });
  }
  return t('inspector.explain.valueAggregate', {
    key,
    count: num(detail, 'elements'),
    name: ltrRun(region.name),
    type: ltrRun(redisTypeOf(region.name)),
  });
}

/** The offset as the hex view prints it, and in decimal: `0x00000009 (9)`. */
export function offsetText(offset: number, lng: string): string {
  return ltrRun(`0x${hexOffset(offset)} (${formatNumber(offset, lng)})`);
}
