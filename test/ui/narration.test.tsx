// @vitest-environment jsdom
import { describe, expect, test } from 'vitest';
import { act, screen } from '@testing-library/react';
import { createI18n } from '../../src/i18n/index.ts';
import { narrateEvents } from '../../src/ui/narration.ts';
import type { EngineEvent } from '../../src/engine/index.ts';
import { finishExitAnimations, renderLab } from './render-lab.tsx';

/** What the aria-live region says, without the invisible bidi isolates. */
function said(): string {
  return (screen.getByRole('status').textContent ?? '').replace(/[\u2066-\u2069]/g, '');
}

const AT = { atMs: 0 };

describe('narrating the events of a save', () => {
  const en = createI18n('en').t;
  const ar = createI18n('ar').t;
  const events: EngineEvent[] = [
    { type: 'fork.started', ...AT, parentPid: 4242, childPid: 4243, purpose: 'rdb', forkUs: 15, pageCount: 263, pageSizeBytes: 4096 },
    { type: 'file.created', ...AT, by: 4243, name: 'temp-4243.rdb' },
    { type: 'page.copied', ...AT, page: 95, db: 0, key: 'key:1' },
    { type: 'page.copied', ...AT, page: 96, db: 0, key: 'key:1' },
    { type: 'page.copied', ...AT, page: 7, db: 0, key: 'big' },
    { type: 'file.written', ...AT, by: 4243, name: 'temp-4243.rdb', offset: 0, length: 200 },
    { type: 'file.fsynced', ...AT, by: 4243, name: 'temp-4243.rdb', durableBytes: 39875 },
    { type: 'file.renamed', ...AT, by: 4243, from: 'temp-4243.rdb', to: 'dump.rdb', replaced: true },
    { type: 'dir.fsynced', ...AT, by: 4243 },
    { type: 'log.line', ...AT, pid: 4243, role: 'C', level: '*', message: 'DB saved on disk', text: '…' },
    { type: 'child.exited', ...AT, pid: 4243, exitCode: 0, signal: null },
    { type: 'bgsave.finished', ...AT, childPid: 4243, ok: true },
  ];

  test('in English: one sentence a step; copied pages summed per key; chunks and log lines left out', () => {
    expect(narrateEvents(events, en, 'en').map((text) => text.replace(/[\u2066-\u2069]/g, ''))).toEqual([
      'Redis (pid 4242) called fork(): child 4243 shares all 263 memory pages and starts writing the snapshot.',
      'temp-4243.rdb created by pid 4243.',
      'The parent wrote key:1 while the child shares its memory, so 2 pages were copied first (copy-on-write).',
      'The parent wrote big while the child shares its memory, so 1 page was copied first (copy-on-write).',
      'temp-4243.rdb synced with fsync: 39,875 B durable.',
      'temp-4243.rdb renamed to dump.rdb, atomically: the old dump.rdb is gone.',
      'Directory synced: the new name survives a power cut.',
      'Child 4243 finished the snapshot and exited. The parent will notice at its next tick.',
      'The parent reaped child 4243: the background save succeeded.',
    ]);
  });

  test('in Arabic, with Arabic plurals', () => {
    const arabic = narrateEvents(events, ar, 'ar');
    expect(arabic).toHaveLength(9);
    expect(arabic[2]).toBe('كتبت العملية الأم في key:1 بينما تتشارك الذاكرة مع العملية الابن، فنُسخت صفحتان أولًا (النسخ عند الكتابة).');
    expect(arabic[8]).toBe('استلمت العملية الأم خروج العملية الابن 4243: نجح الحفظ في الخلفية.');
  });

  test('a killed child and a failed one', () => {
    const killed = narrateEvents([{ type: 'child.exited', ...AT, pid: 7, exitCode: null, signal: 9 }], en, 'en');
    const failed = narrateEvents([{ type: 'child.exited', ...AT, pid: 7, exitCode: 1, signal: null }, { type: 'bgsave.finished', ...AT, childPid: 7, ok: false }], en, 'en');
    expect(killed).toEqual(['Child 7 was killed by signal 9. The parent will notice at its next tick.']);
    expect(failed).toEqual([
      'Child 7 failed and exited with code 1. The parent will notice at its next tick.',
      'The parent reaped child 7: the background save failed.',
    ]);
  });
});

describe('narrating a save the parent stopped', () => {
  const en = createI18n('en').t;
  const ar = createI18n('ar').t;
  // FLUSHALL: the child obeys SIGUSR1 at once; the next cron reaps it, removes its temp file, and ends the BGSAVE.
  const stopped: EngineEvent[] = [
    { type: 'child.exited', ...AT, pid: 4243, exitCode: 255, signal: null },
    { type: 'child.reaped', ...AT, pid: 4243, purpose: 'rdb', outcome: 'stopped', exitCode: 255, signal: null },
    { type: 'file.deleted', ...AT, by: 4242, name: 'temp-4243.rdb' },
    { type: 'bgsave.finished', ...AT, childPid: 4243, ok: false },
  ];

  test('stopped, not failed: said once, at the reap, in English and in Arabic', () => {
    expect(narrateEvents(stopped, en, 'en').map((text) => text.replace(/[\u2066-\u2069]/g, ''))).toEqual([
      'The parent stopped the BGSAVE child 4243 with SIGUSR1 (FLUSHALL or SHUTDOWN): the snapshot is abandoned, not counted as a failure, and its temp file removed.',
      'temp-4243.rdb deleted by pid 4242.',
    ]);
    expect(narrateEvents(stopped, ar, 'ar')[0]).toBe(
      'أوقفت العملية الأم العملية الابن 4243 التي كانت تكتب اللقطة (BGSAVE) بالإشارة SIGUSR1 (بسبب FLUSHALL أو SHUTDOWN): تُركت اللقطة، ولا يُحسب ذلك فشلًا، وحُذف ملفها المؤقت.',
    );
  });

  test('by the live lab: FLUSHALL, then the tick that reaps the child', async () => {
    const { store } = renderLab();
    act(() => {
      store.getState().runLine('SIM SET disk-mbps 0.002');
      store.getState().runLine('DEBUG POPULATE 2000');
      store.getState().runLine('BGSAVE');
    });
    act(() => {
      store.getState().runLine('FLUSHALL');
    });
    expect(said()).not.toContain('failed');
    act(() => store.getState().advance(100));
    expect(said()).toContain('The parent stopped the BGSAVE child 4243 with SIGUSR1 (FLUSHALL or SHUTDOWN)');
    expect(said()).not.toContain('the background save failed');
    await finishExitAnimations();
  });
});

describe('the narrator during a save', () => {
  test('says the fork, the copy, the rename and the reap as they happen', async () => {
    const { store } = renderLab();
    act(() => {
      store.getState().runLine('SIM SET disk-mbps 0.002');
      store.getState().runLine('DEBUG POPULATE 2000');
      store.getState().runLine('BGSAVE');
    });
    expect(said()).toBe(
      'BGSAVE ran: Background saving started Redis (pid 4242) called fork(): child 4243 shares all 263 memory pages and starts writing the snapshot. temp-4243.rdb created by pid 4243.',
    );
    act(() => {
      store.getState().runLine('SET key:1 x');
    });
    expect(said()).toBe('SET ran: OK The parent wrote key:1 while the child shares its memory, so 1 page was copied first (copy-on-write).');
    act(() => store.getState().advance(19_938));
    expect(said()).toContain('temp-4243.rdb renamed to dump.rdb, atomically.');
    expect(said()).toContain('Child 4243 finished the snapshot and exited.');
    act(() => store.getState().advance(62));
    expect(said()).toBe('The parent reaped child 4243: the background save succeeded.');
    // The reaped child leaves the processes lane; the narration stays.
    await finishExitAnimations();
    expect(screen.getByRole('region', { name: 'Processes' }).querySelector('.process-child')).toBeNull();
    expect(said()).toBe('The parent reaped child 4243: the background save succeeded.');
  });

  test('in Arabic', () => {
    const { store } = renderLab({ lang: 'ar' });
    act(() => {
      store.getState().runLine('BGSAVE');
    });
    expect(said()).toContain('أنشأت العملية 4243 الملف temp-4243.rdb.');
  });
});
