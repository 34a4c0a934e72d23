// @vitest-environment jsdom
// Display → Arabic-Indic digits (أرقام هندية): every number the lab says in its own words follows
// the setting, with the Arabic separators; Redis's own text (commands, config values, file names,
// pids) keeps the digits Redis prints.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { act, screen, within } from '@testing-library/react';
import { renderLab } from './render-lab.tsx';
import { createI18n, formatNumber } from '../../src/i18n/index.ts';
import { setArabicDigits } from '../../src/i18n/format.ts';
import { resolveLessonText } from '../../src/ui/lessons/lesson-text.tsx';

function textOf(element: Element | null): string {
  return (element?.textContent ?? '').replace(/[\u2066-\u2069]/g, '').replace(/\s+/g, ' ').trim();
}

const panel = (name: string): HTMLElement => document.querySelector<HTMLElement>(`[data-panel="${name}"]`) as HTMLElement;

beforeEach(() => setArabicDigits('arabic-indic'));
afterEach(() => setArabicDigits('western'));

describe('Arabic-Indic digits in the lab’s own words', () => {
  test('grouping and decimals use the Arabic separators, U+066C and U+066B, not a comma or a point', () => {
    expect(formatNumber(6545, 'ar')).toBe('\u0666\u066c\u0665\u0664\u0665');
    expect(formatNumber(2.5, 'ar', { maximumFractionDigits: 1 })).toBe('\u0662\u066b\u0665');
  });

  test('the timeline: the +10 s button and what it says, the moment counter, the latest events', async () => {
    const { user, store } = renderLab({ lang: 'ar' });
    // The lab's label, not a command: its number follows the setting; the unit stays as Redis writes it.
    await user.click(screen.getByRole('button', { name: /^\+١٠ s\s*قدّم الوقت ١٠ ثوانٍ$/ }));
    expect(screen.getByRole('status')).toHaveTextContent('تقدّم الوقت ١٠ ثوانٍ.');
    act(() => {
      for (const line of ['SET a 1', 'BGSAVE', 'SIM ADVANCE 1000']) store.getState().runLine(line);
    });
    const timeline = panel('timeline');
    expect(textOf(timeline.querySelector('.timeline-legend'))).toMatch(/^اللحظة ٤ من ٤ /);
    const said = timeline.querySelectorAll('.timeline-events li').length;
    expect(said).toBeGreaterThan(2);
    expect(textOf(timeline.querySelector('.timeline-events summary'))).toMatch(new RegExp(`^آخر ${formatNumber(said, 'ar')} (أحداث|حدثًا|حدث)$`));
  });

  test('a button’s label counts in the digits chosen; the command on it stays as typed', () => {
    renderLab({ lang: 'ar' });
    const populate = within(panel('snapshot')).getByRole('button', { name: /^DEBUG POPULATE 2000/ });
    expect(textOf(populate.querySelector('.command-line'))).toBe('DEBUG POPULATE 2000');
    expect(textOf(populate.querySelector('.command-label'))).toBe('أضف ٢٬٠٠٠ مفتاح');
  });

  test('explanations: the kernel’s 30 s in the digits chosen; a config value and a checksum’s name as Redis writes them', () => {
    renderLab({ lang: 'ar' });
    expect(textOf(panel('aof'))).toContain('بعد نحو ٣٠ ثانية');
    const config = panel('config');
    expect(textOf(config.querySelector('[data-directive="appendfsync"] .config-explain'))).toContain('نحو ٣٠ ثانية');
    expect(textOf(config.querySelector('[data-directive="auto-aof-rewrite-percentage"] .config-explain'))).toContain('القيمة 0 توقف ذلك');
    expect(textOf(config.querySelector('[data-directive="rdbchecksum"] .config-explain'))).toContain('CRC‑64');
  });

  test('a pid names a process as Redis’s log and temp files do: Western in every sentence, beside the digits chosen', () => {
    const { store } = renderLab({ lang: 'ar' });
    act(() => {
      for (const line of ['SIM SET disk-mbps 0.002', 'DEBUG POPULATE 500', 'BGSAVE']) store.getState().runLine(line);
    });
    const disk = textOf(panel('disk'));
    expect(disk).toContain('temp-4243.rdb');
    expect(disk).toContain('تكتبه العملية 4243');
    expect(textOf(panel('processes'))).toMatch(/تفرّعت منها العملية الابن 4243: أوقف الـ fork\(\) هذه العملية [٠-٩]+ µs/);
  });

  test('the Crash panel’s label is Arabic, like the power loss beside it', () => {
    renderLab({ lang: 'ar' });
    const buttons = within(panel('lifecycle'));
    expect(textOf(buttons.getByRole('button', { name: /^SIM CRASH PROCESS/ }).querySelector('.command-label'))).toBe('انهيار Redis (kill -9): تضيع الذاكرة وaof_buf');
    expect(textOf(buttons.getByRole('button', { name: /^SIM CRASH POWER/ }).querySelector('.command-label'))).toMatch(/^انقطاع الكهرباء: /);
  });
});

describe('lesson text', () => {
  const lessonText = (key: string): string => resolveLessonText(key, createI18n('ar'));

  test('the prose’s numbers follow the setting, its code islands do not', () => {
    expect(lessonText('lessons.rdb.savePoints.q')).toBe('تمرّ ٧ ثوانٍ ثم تنقطع الكهرباء. هل ينجو المفتاح `list`؟');
    const savePoints = lessonText('lessons.rdbFail.setup.2');
    expect(savePoints).toContain('`save 3600 1 300 100 60 10000`');
    expect(savePoints).toContain('و٥ دقائق و١٠٠ تغيير، ودقيقة و١٠٬٠٠٠ تغيير');
  });

  test('a number that is part of a name stays: Redis 7.0', () => {
    expect(lessonText('lessons.why.memory.2')).toContain('Redis 7.0');
  });

  test('Western digits: the text is as written', () => {
    setArabicDigits('western');
    expect(lessonText('lessons.rdb.savePoints.q')).toBe('تمرّ 7 ثوانٍ ثم تنقطع الكهرباء. هل ينجو المفتاح `list`؟');
  });
});
