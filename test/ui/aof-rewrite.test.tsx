// @vitest-environment jsdom
import { describe, expect, test } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import { createI18n } from '../../src/i18n/index.ts';
import { narrateEvents } from '../../src/ui/narration.ts';
import type { EngineEvent } from '../../src/engine/index.ts';
import type { LabStore } from '../../src/store/index.ts';
import { finishExitAnimations, renderLab } from './render-lab.tsx';

/**
 * An AOF rewrite on screen: the rewrite child in the processes lane (labelled as such, its temp
 * file, its progress, exit and reap), each AOF file's role on the disk, the AOF panel's ordered
 * steps, and the narration of each step, in English and Arabic.
 */

/** Text as a reader sees it: without the invisible bidi isolates. */
function textOf(element: Element | null): string {
  return (element?.textContent ?? '').replace(/[\u2066-\u2069\u200e]/g, '').replace(/\s+/g, ' ').trim();
}

const said = (): string => textOf(screen.getByRole('status'));

/** 500 keys, the AOF on and its first rewrite done, a write in incr 1, on a disk writing 2,000 B/s. */
function aofOn(store: LabStore): void {
  act(() => {
    store.getState().runLine('SIM SET disk-mbps 0.002');
    store.getState().runLine('DEBUG POPULATE 500');
    store.getState().runLine('CONFIG SET appendonly yes');
    store.getState().advance(10_000);
    store.getState().runLine('SET a 1');
  });
}

const stepStates = (panel: HTMLElement): string[] => [...panel.querySelectorAll('.aof-rewrite-step')].map((li) => `${li.getAttribute('data-step')}:${li.getAttribute('data-state')}`);

describe('an AOF rewrite in the panels', () => {
  test('the child is the rewrite child; the disk says each file’s role; the steps go in order to the end', async () => {
    const { store } = renderLab();
    aofOn(store);
    act(() => {
      store.getState().runLine('BGREWRITEAOF');
      store.getState().advance(2000);
    });

    const processes = screen.getByRole('region', { name: 'Processes' });
    const child = within(processes).getByRole('article', { name: /redis-aof-rewrite pid 4244 child process AOF rewrite: writes the new base/ });
    expect(child).toHaveAttribute('data-purpose', 'aof-rewrite');
    expect(textOf(child)).toContain('writing temp-rewriteaof-4244.aof RDB preamble');
    expect(within(child).getByRole('progressbar', { name: 'New AOF base written' })).toHaveAttribute('aria-valuenow', '4000');
    expect(textOf(processes)).toContain('Meanwhile it appends every new write to appendonly.aof.2.incr.aof, the incr file it opened at the fork.');
    expect(child.querySelector('.page-grid')).not.toBeNull();

    const disk = screen.getByRole('region', { name: 'Disk' });
    const row = (name: string) => disk.querySelector(`.file-row[data-file="${name}"]`);
    expect(textOf(row('temp-rewriteaof-4244.aof')?.querySelector('.file-head') ?? null)).toContain('being written by pid 4244 the new AOF base, being written · RDB preamble');
    expect(textOf(row('appendonlydir/appendonly.aof.2.incr.aof'))).toContain('AOF incr new writes go here');
    expect(textOf(row('appendonlydir/appendonly.aof.1.incr.aof'))).not.toContain('new writes go here');
    expect(textOf(row('appendonlydir/appendonly.aof.1.base.rdb'))).toContain('AOF base · RDB preamble');
    expect(textOf(row('dump.rdb'))).toBe('');

    const aof = screen.getByRole('region', { name: 'AOF log (append-only file)' });
    const rewrite = within(aof).getByRole('region', { name: /AOF rewrite by child 4244, started 09:00:10 in progress/ });
    expect(stepStates(rewrite)).toEqual(['incr:done', 'write:active', 'rename:pending', 'install:pending', 'retire:pending']);
    const items = within(rewrite).getAllByRole('listitem');
    // Each state is said in words, not only by the mark's shape and colour.
    expect(textOf(items[0] ?? null)).toBe(
      '✓ done: At the fork, the parent opened a new incr file, appendonly.aof.2.incr.aof: every write from now on goes there, not into the new base.',
    );
    expect(textOf(items[1] ?? null)).toBe(
      '● now: Child 4244 writes the dataset as it was at the fork into temp-rewriteaof-4244.aof: an RDB preamble (aof-use-rdb-preamble yes): the RDB format, compact and quick to load — the hybrid AOF. 4,000 B of 9,380 B (42%)',
    );
    expect(items[1]?.querySelectorAll('code')).toHaveLength(2);

    act(() => store.getState().advance(2690));
    expect(child).toHaveAttribute('data-state', 'exited');
    expect(textOf(child)).toContain('Finished the new base at 09:00:14 and renamed it temp-rewriteaof-bg-4244.aof.');
    expect(stepStates(rewrite)).toEqual(['incr:done', 'write:done', 'rename:done', 'install:active', 'retire:pending']);

    act(() => store.getState().advance(100));
    await waitFor(() => expect(within(processes).queryByRole('article', { name: /child process/ })).toBeNull());
    expect(textOf(processes.querySelector('.reaped-note'))).toBe('✓ Reaped child 4244 at 09:00:14: the AOF rewrite succeeded.');
    expect(stepStates(rewrite)).toEqual(['incr:done', 'write:done', 'rename:done', 'install:done', 'retire:done']);
    expect(textOf(rewrite.querySelector('[data-step="install"]'))).toBe(
      '✓ done: The parent reaped the child, renamed temp-rewriteaof-bg-4244.aof to appendonly.aof.2.base.rdb, and wrote a new manifest naming it.',
    );
    expect(textOf(rewrite.querySelector('[data-step="retire"]'))).toBe(
      '✓ done: Old files retired to history, then deleted: appendonly.aof.1.incr.aof and appendonly.aof.1.base.rdb.',
    );
    expect(textOf(rewrite.querySelector('.aof-rewrite-note'))).toBe('A restart now loads appendonly.aof.2.base.rdb, then replays appendonly.aof.2.incr.aof.');
    await waitFor(() => expect(row('appendonlydir/appendonly.aof.1.base.rdb')).toBeNull());
  });

  test('the log of commands comes first; a finished rewrite folds into its title line, which opens again; the next one opens by itself', async () => {
    const { store, user } = renderLab();
    aofOn(store);
    const aof = screen.getByRole('region', { name: 'AOF log (append-only file)' });
    const log = within(aof).getByRole('list', { name: 'Commands in appendonly.aof.1.incr.aof, newest last' });
    const first = within(aof).getByRole('region', { name: /AOF rewrite by child 4243, started 09:00:00 done/ });
    // Below the log, and folded: one line, its steps out of sight until asked for.
    expect(log.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    const details = first.querySelector('details') as HTMLDetailsElement;
    expect(details.open).toBe(false);
    const summary = details.querySelector('summary') as HTMLElement;
    expect(textOf(summary)).toBe('AOF rewrite by child 4243, started 09:00:00 done');
    await user.click(summary);
    expect(details.open).toBe(true);
    // A re-render (a new write) leaves the reader's choice alone.
    act(() => void store.getState().runLine('SET b 2'));
    expect(details.open).toBe(true);

    // The next rewrite, while it runs: its steps open, still below the log.
    act(() => {
      store.getState().runLine('BGREWRITEAOF');
      store.getState().advance(2000);
    });
    await finishExitAnimations();
    const running = within(aof).getByRole('region', { name: /AOF rewrite by child 4244, started 09:00:10 in progress/ });
    expect(running.querySelector('details')?.open).toBe(true);
    const file = aof.querySelector('.aof-file') as HTMLElement;
    expect(textOf(file)).toMatch(/^appendonlydir\/appendonly\.aof\.2\.incr\.aof /);
    expect(file.compareDocumentPosition(running) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    // Done: folded again.
    act(() => store.getState().advance(5000));
    await finishExitAnimations();
    expect(running).toHaveAttribute('data-outcome', 'installed');
    expect(running.querySelector('details')?.open).toBe(false);
  });

  test('the first rewrite, as the AOF is switched on: a temp incr gathers the writes, gets its final name, nothing is retired', async () => {
    const { store } = renderLab();
    act(() => {
      store.getState().runLine('SIM SET disk-mbps 0.002');
      store.getState().runLine('DEBUG POPULATE 500');
      store.getState().runLine('CONFIG SET appendonly yes');
    });
    const rewrite = screen.getByRole('region', { name: /AOF rewrite by child 4243/ });
    expect(textOf(rewrite.querySelector('[data-step="incr"]'))).toBe(
      '✓ done: At the fork, the parent opened temp-appendonly.aof.incr: the writes made during this first rewrite are kept there.',
    );
    expect(textOf(rewrite.querySelector('[data-step="retire"]'))).toBe('○ to come: Nothing old to retire: this will be the AOF’s first base.');
    act(() => store.getState().advance(10_000));
    // The reaped child leaves the processes lane.
    await finishExitAnimations();
    expect(screen.getByRole('region', { name: 'Processes' }).querySelector('.process-child')).toBeNull();
    expect(textOf(rewrite.querySelector('[data-step="install"]'))).toBe(
      '✓ done: The parent reaped the child, renamed temp-rewriteaof-bg-4243.aof to appendonly.aof.1.base.rdb, gave the incr file its final name appendonly.aof.1.incr.aof, and wrote the manifest naming both.',
    );
    expect(textOf(rewrite.querySelector('[data-step="retire"]'))).toBe('✓ done: Nothing to retire: this is the AOF’s first base.');
  });

  test('a killed rewrite: the failed step says why; the note says nothing is lost', async () => {
    const { store } = renderLab();
    aofOn(store);
    act(() => {
      store.getState().runLine('BGREWRITEAOF');
      store.getState().runLine('SIM KILLCHILD');
      store.getState().advance(100);
    });
    // The manifest the rewrite replaced leaves the disk panel.
    await finishExitAnimations();
    const rewrite = screen.getByRole('region', { name: /AOF rewrite by child 4244/ });
    expect(rewrite).toHaveAttribute('data-outcome', 'failed');
    expect(stepStates(rewrite)).toEqual(['incr:done', 'write:failed', 'rename:skipped', 'install:skipped', 'retire:skipped']);
    expect(textOf(rewrite.querySelector('[data-step="write"]'))).toContain('The child was killed by signal 9 before it finished.');
    expect(textOf(rewrite.querySelector('.aof-rewrite-note'))).toBe(
      'Nothing is lost: the manifest still names the old base and incr files, with appendonly.aof.2.incr.aof after them. The next rewrite retires them all.',
    );
    expect(textOf(screen.getByRole('region', { name: 'Processes' }).querySelector('.reaped-note'))).toBe('✕ Reaped child 4244 at 09:00:10: the AOF rewrite failed.');
  });

  test('in Arabic: the child, the roles, the steps', async () => {
    const { store } = renderLab({ lang: 'ar' });
    aofOn(store);
    act(() => {
      store.getState().runLine('BGREWRITEAOF');
      store.getState().advance(2000);
    });
    // The manifest the rewrite replaced leaves the disk panel.
    await finishExitAnimations();
    const processes = screen.getByRole('region', { name: 'العمليات' });
    expect(within(processes).getByRole('article', { name: /redis-aof-rewrite pid 4244 العملية الابن إعادة كتابة الـ AOF: تكتب الأساس الجديد/ })).toBeInTheDocument();
    expect(textOf(processes)).toContain('مقدّمة RDB (RDB preamble)');
    const disk = screen.getByRole('region', { name: 'القرص' });
    expect(textOf(disk.querySelector('.file-row[data-file="appendonlydir/appendonly.aof.2.incr.aof"]'))).toContain('ملف إضافات (incr) الكتابات الجديدة تذهب إليه');
    const rewrite = screen.getByRole('region', { name: /إعادة كتابة الـ AOF بالعملية الابن 4244/ });
    expect(textOf(rewrite.querySelector('[data-step="incr"]'))).toBe(
      '✓ تمّت: لحظة التفرّع فتحت العملية الأم ملف إضافات (incr) جديدًا هو appendonly.aof.2.incr.aof: كل كتابة من الآن تذهب إليه، لا إلى الأساس الجديد.',
    );
    expect(textOf(rewrite.querySelector('[data-step="write"]'))).toContain('مقدّمة RDB (aof-use-rdb-preamble yes)');
  });
});

describe('the narrator during an AOF rewrite', () => {
  test('says the new incr, the fork, the temp file, the rename, the exit, the install, the retired files and the end', async () => {
    const { store } = renderLab();
    aofOn(store);
    act(() => {
      store.getState().runLine('BGREWRITEAOF');
    });
    expect(said()).toBe(
      [
        'BGREWRITEAOF ran: Background append only file rewriting started',
        'New incr file appendonly.aof.2.incr.aof opened: from now on Redis appends every write there.',
        'Manifest appendonly.aof.manifest rewritten: a temp file, fsync, an atomic rename over the old one, then a directory sync.',
        'appendonlydir/appendonly.aof.1.incr.aof synced with fsync: 50 B durable.',
        'Redis (pid 4242) called fork() for an AOF rewrite: child 4244 shares all 230 memory pages and starts writing the new base.',
        'Child 4244 opened temp-rewriteaof-4244.aof: the new AOF base grows there.',
      ].join(' '),
    );
    act(() => store.getState().advance(4800));
    expect(said()).toBe(
      [
        'temp-rewriteaof-4244.aof synced with fsync: 9,380 B durable.',
        'Child 4244 renamed its finished file: temp-rewriteaof-4244.aof to temp-rewriteaof-bg-4244.aof, atomically.',
        'Child 4244 finished the new AOF base and exited. The parent will notice at its next tick.',
        'The parent reaped child 4244 and installed the new base: temp-rewriteaof-bg-4244.aof renamed to appendonly.aof.2.base.rdb, an RDB preamble.',
        'Manifest appendonly.aof.manifest rewritten: a temp file, fsync, an atomic rename over the old one, then a directory sync.',
        'The old appendonly.aof.1.incr.aof is history now, and deleted: the new base holds what it held.',
        'The old appendonly.aof.1.base.rdb is history now, and deleted: the new base holds what it held.',
        'AOF rewrite finished: a restart now loads the new base, then replays the incr file.',
      ].join(' '),
    );
    // The reaped child, the replaced manifest and the retired files leave their panels; the narration stays.
    await finishExitAnimations();
    expect(said()).toContain('AOF rewrite finished');
  });

  test('in Arabic', async () => {
    const { store } = renderLab({ lang: 'ar' });
    aofOn(store);
    act(() => {
      store.getState().runLine('BGREWRITEAOF');
    });
    expect(said()).toContain('فُتح ملف إضافات جديد هو appendonly.aof.2.incr.aof: من الآن يُلحق Redis كل كتابة به.');
    expect(said()).toContain('استدعى Redis (العملية 4242) الـ fork() لإعادة كتابة الـ AOF: العملية الابن 4244');
    act(() => store.getState().advance(4800));
    expect(said()).toContain('أُعيدت تسمية temp-rewriteaof-bg-4244.aof إلى appendonly.aof.2.base.rdb، وهو مقدّمة RDB.');
    expect(said()).toContain('صار appendonly.aof.1.base.rdb القديم تاريخًا وحُذف');
    expect(said()).toContain('اكتملت إعادة كتابة الـ AOF');
    await finishExitAnimations();
  });

  test('the first manifest in one sentence; the temp incr renamed; a failed reap said; a child’s exit told apart by what it wrote', () => {
    const en = createI18n('en').t;
    const at = { atMs: 0 };
    const events: EngineEvent[] = [
      { type: 'file.renamed', ...at, by: 4242, from: 'appendonlydir/temp-appendonly.aof.incr', to: 'appendonlydir/appendonly.aof.1.incr.aof', replaced: false },
      // The manifest's temp file, its fsync and the directory's are part of one sentence.
      { type: 'file.created', ...at, by: 4242, name: 'appendonlydir/temp-appendonly.aof.manifest' },
      { type: 'file.fsynced', ...at, by: 4242, name: 'appendonlydir/temp-appendonly.aof.manifest', durableBytes: 88 },
      { type: 'file.renamed', ...at, by: 4242, from: 'appendonlydir/temp-appendonly.aof.manifest', to: 'appendonlydir/appendonly.aof.manifest', replaced: false },
      { type: 'dir.fsynced', ...at, by: 4242 },
      { type: 'child.reaped', ...at, pid: 4249, purpose: 'aof-rewrite', outcome: 'failed', exitCode: null, signal: 9 },
      { type: 'child.exited', ...at, pid: 4250, exitCode: 0, signal: null },
    ];
    expect(narrateEvents(events, en, 'en').map((text) => text.replace(/[\u2066-\u2069]/g, ''))).toEqual([
      'temp-appendonly.aof.incr renamed to appendonly.aof.1.incr.aof: the writes made during the rewrite keep their place after the new base.',
      'Manifest appendonly.aof.manifest written: a temp file, fsync, an atomic rename, then a directory sync.',
      'The parent reaped the AOF rewrite child: the rewrite failed, and the manifest still names the old files.',
      // Nothing in this batch says pid 4250 rewrote the AOF: the snapshot's words.
      'Child 4250 finished the snapshot and exited. The parent will notice at its next tick.',
    ]);
  });
});
