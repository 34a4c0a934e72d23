// @vitest-environment jsdom
import { describe, expect, test } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import { renderLab } from './render-lab.tsx';
import type { LabStore } from '../../src/store/index.ts';

/**
 * The "what survived" card after a restart that failed — Redis did not come back, the error, the
 * acknowledged writes not lost yet, the way back — and after the fix, the card of the restart
 * that worked, naming a write lost to a file edited by hand; in English and Arabic.
 */

const INCR = 'appendonlydir/appendonly.aof.1.incr.aof';

function textOf(element: Element | null): string {
  return (element?.textContent ?? '').replace(/[\u2066-\u2069\u200e\u200f]/g, '').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();
}

function figures(card: HTMLElement): string[] {
  return [...card.querySelectorAll('.survival-figure')].map((figure) => `${textOf(figure.querySelector('dt'))} ${textOf(figure.querySelector('dd'))}`);
}

/**
 * Two acknowledged writes in the AOF; while the server is down its incr file is cut by hand in the
 * middle of the second; the restart, told not to load a truncated AOF, refuses it.
 */
function refusedRestart(store: LabStore): void {
  act(() => {
    const run = (line: string) => store.getState().runLine(line);
    run('CONFIG SET appendonly yes');
    store.getState().advance(1000);
    run('CONFIG REWRITE');
    run('SET a 1');
    run('SET b 2');
    run('SIM CRASH PROCESS');
    const bytes = store.getState().readDiskFile(INCR) as Uint8Array;
    run(`SIM FILE PUT ${INCR} ${Buffer.from(bytes.subarray(0, bytes.length - 4)).toString('base64')}`);
    run('SIM RESTART --aof-load-truncated no');
  });
}

describe('the card after a failed restart', () => {
  test('says Redis did not come back, why, that the two acknowledged writes are not lost yet, and the way back; after the fix, the card of the restart', async () => {
    const { user, store } = renderLab();
    refusedRestart(store);
    const card = await screen.findByTestId('survival-card');
    expect(card).toHaveAttribute('data-outcome', 'failed');
    expect(within(card).getByRole('heading', { level: 3 })).toHaveTextContent('✕ Redis did not come back after a process crash');
    expect(textOf(card.querySelector('.survival-why p'))).toBe(
      'Its AOF ends in a half-written command, and with aof-load-truncated no Redis refuses to load such a file.',
    );
    // Redis's own words, folded (the restart's last step above shows them too).
    expect(within(card).getByText("Redis's error, as it logged it")).toBeInTheDocument();
    expect(textOf(card.querySelector('.survival-why code.startup-error'))).toMatch(/^Unexpected end of file reading the append only file appendonly\.aof\.1\.incr\.aof\. You can: 1\) Make a backup/);
    expect(figures(card)).toEqual(['Acknowledged before the stop 2']);
    expect(within(card).getByText(/^Not lost yet: Redis refused its files and changed nothing on disk\./)).toBeInTheDocument();
    const wayBack = card.querySelector('.survival-fix') as HTMLElement;
    expect([...wayBack.children].map(textOf)).toEqual([
      'The way back',
      'Cut that command off with redis-check-aof --fix (the button above), or restart with aof-load-truncated yes and Redis cuts it itself at load. Either way only the unfinished command is dropped.',
      'Then restart: this card will count which writes came back.',
    ]);
    // Commands and directives in those sentences are left-to-right islands that never break at a hyphen.
    expect([...wayBack.querySelectorAll('code')].map((code) => [code.textContent, code.getAttribute('dir'), code.className])).toEqual([
      ['redis-check-aof --fix', 'ltr', 'nowrap'],
      ['aof-load-truncated yes', 'ltr', 'nowrap'],
    ]);
    expect(within(card).getByRole('heading', { level: 4, name: 'Files waiting on disk' })).toBeInTheDocument();
    // A file name may wrap only after its `/` (PathText): its text is split around a <wbr>.
    expect([...card.querySelectorAll('.file-name')].map((name) => name.textContent)).toContain(INCR);
    await waitFor(() => expect(textOf(screen.getByTestId('narration'))).toContain('Redis did not come back. The 2 writes it acknowledged are not lost yet: the files wait on disk for the fix.'));

    // The way back: the button above the card runs the tool once and shows what it printed.
    await user.click(within(screen.getByTestId('restart-progress')).getByRole('button', { name: /^redis-check-aof --fix/ }));
    expect(screen.getByTestId('check-aof-output')).toHaveTextContent(/Successfully truncated AOF appendonly\.aof\.1\.incr\.aof\s*All AOF files and manifest are valid$/);
    act(() => void store.getState().runLine('SIM RESTART --aof-load-truncated no'));
    const restarted = await screen.findByTestId('survival-card');
    expect(restarted).toHaveAttribute('data-outcome', 'ready');
    expect(figures(restarted).slice(0, 3)).toEqual(['Acknowledged 2', 'Kept 1', 'Lost 1']);
    const group = within(restarted).getByRole('region', { name: 'replaced by a file operation' });
    expect(textOf(group.querySelector('.loss-reason'))).toBe(
      'A file operation (SIM FILE PUT or SIM FILE DELETE) replaced or removed the bytes Redis wrote for it, or a file read before it: what the restart read is not what Redis wrote.',
    );
    expect(textOf(group.querySelector('del'))).toBe('SET b 2');
  });

  test('in Arabic', async () => {
    const { user, store } = renderLab({ lang: 'ar' });
    refusedRestart(store);
    const card = await screen.findByTestId('survival-card');
    expect(within(card).getByRole('heading', { level: 3 })).toHaveTextContent('✕ لم يعد Redis إلى العمل بعد انهيار العملية');
    expect(figures(card)).toEqual(['أُكّدت للعميل قبل التوقف 2']);
    expect(textOf(card.querySelector('.survival-waiting'))).toBe(
      'لم يضِع شيء بعد: رفض Redis ملفاته ولم يغيّر شيئًا على القرص. كل كتابة مؤكَّدة بلغت القرص قبل التوقف ما تزال هناك، تنتظر الإصلاح.',
    );
    expect(textOf(card.querySelector('.survival-why p'))).toBe('ينتهي ملف الـ AOF بأمر مكتوب نصفه، ومع aof-load-truncated no يرفض Redis تحميل ملف كهذا.');
    expect(textOf(card.querySelector('.survival-fix p'))).toBe(
      'اقطع ذلك الأمر بالأداة redis-check-aof --fix (الزر في الأعلى)، أو أعِد التشغيل مع aof-load-truncated yes فيقطعه Redis بنفسه عند التحميل. وفي الحالتين لا يضيع إلا الأمر الناقص.',
    );
    // Redis's own error is never translated, and reads left to right.
    expect(card.querySelector('code.startup-error')).toHaveAttribute('dir', 'ltr');
    await waitFor(() => expect(textOf(screen.getByTestId('narration'))).toContain('لم يعد Redis إلى العمل. الكتابتان اللتان أكّدهما لم تضيعا بعد'));

    await user.click(within(screen.getByTestId('restart-progress')).getByRole('button', { name: /^redis-check-aof --fix/ }));
    act(() => void store.getState().runLine('SIM RESTART --aof-load-truncated no'));
    const restarted = await screen.findByTestId('survival-card');
    expect(figures(restarted).slice(0, 3)).toEqual(['أُكّدت للعميل 2', 'نجت 1', 'ضاعت 1']);
    const group = within(restarted).getByRole('region', { name: 'استبدلتها عملية على الملفات' });
    expect(textOf(group.querySelector('.loss-reason'))).toBe(
      'استبدلت عمليةٌ على الملفات (SIM FILE PUT أو SIM FILE DELETE) البايتاتِ التي كتبها Redis لهذه الكتابة أو حذفتها، أو فعلت ذلك بملف قُرئ قبلها: فما قرأته إعادة التشغيل ليس ما كتبه Redis.',
    );
  });
});
