// @vitest-environment jsdom
import { describe, expect, test } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import { finishExitAnimations, renderLab } from './render-lab.tsx';

/** Text as a reader sees it: without the invisible bidi isolates that keep numbers and units together. */
function textOf(element: Element | null): string {
  return (element?.textContent ?? '').replace(/[\u2066-\u2069\u200e]/g, '').replace(/\s+/g, ' ').trim();
}

function lastTranscriptLine(): string {
  return textOf(screen.getByRole('list', { name: 'Console output' }).lastElementChild);
}

describe('the snapshot buttons', () => {
  test('each runs its command through the console, with its reply', async () => {
    const { user, store } = renderLab();
    const group = screen.getByRole('group', { name: 'Snapshot commands' });
    await user.click(within(group).getByRole('button', { name: /^DEBUG POPULATE 2000/ }));
    expect(lastTranscriptLine()).toBe('127.0.0.1:6379> DEBUG POPULATE 2000OK');
    await user.click(within(group).getByRole('button', { name: /^SAVE/ }));
    expect(lastTranscriptLine()).toBe('127.0.0.1:6379> SAVEOK');
    await user.click(within(group).getByRole('button', { name: /^BGSAVE/ }));
    expect(lastTranscriptLine()).toBe('127.0.0.1:6379> BGSAVEBackground saving started');
    await user.click(within(group).getByRole('button', { name: /^SIM KILLCHILD/ }));
    expect(lastTranscriptLine()).toBe('127.0.0.1:6379> SIM KILLCHILDOK');
    expect(store.getState().history).toEqual(['DEBUG POPULATE 2000', 'SAVE', 'BGSAVE', 'SIM KILLCHILD']);
  });

  test('DEBUG POPULATE says its keys skip the AOF and the change count; SIM KILLCHILD with no child is quieter, still pressed, and Redis’s answer shows', async () => {
    const { user } = renderLab();
    const group = screen.getByRole('group', { name: 'Snapshot commands' });
    const populate = within(group).getByRole('button', { name: /^DEBUG POPULATE 2000/ });
    expect([...populate.querySelectorAll('.command-label')].map(textOf)).toEqual(['add 2,000 keys', 'As in Redis: not logged in the AOF, not counted as changes']);
    const kill = within(group).getByRole('button', { name: /^SIM KILLCHILD/ });
    expect(kill).toHaveClass('is-idle');
    expect(kill).toHaveAccessibleName(/Works while a fork child runs/);
    await user.click(kill);
    expect(lastTranscriptLine()).toBe('127.0.0.1:6379> SIM KILLCHILDError: (error) ERR no child process is running');
  });

  test('the disk fault buttons say which is on; the slow-disk switch toggles the disk speed', async () => {
    const { user } = renderLab();
    const works = screen.getByRole('button', { name: 'works' });
    const full = screen.getByRole('button', { name: 'full (ENOSPC)' });
    expect(works).toHaveAttribute('aria-pressed', 'true');
    await user.click(full);
    expect(lastTranscriptLine()).toBe('127.0.0.1:6379> SIM DISK FULLOK');
    expect(full).toHaveAttribute('aria-pressed', 'true');
    expect(works).toHaveAttribute('aria-pressed', 'false');
    expect(screen.getByRole('note')).toHaveTextContent('Disk full (ENOSPC)');
    await user.click(screen.getByRole('button', { name: 'failing (EIO)' }));
    expect(screen.getByRole('note')).toHaveTextContent('Disk failing (EIO)');

    const slow = screen.getByRole('switch', { name: 'Slow disk' });
    expect(slow).toHaveAttribute('aria-checked', 'false');
    expect(textOf(document.getElementById('slow-disk-hint'))).toBe('Disk speed: 100 MB/s. The switch runs SIM SET disk-mbps 0.002');
    await user.click(slow);
    expect(lastTranscriptLine()).toBe('127.0.0.1:6379> SIM SET disk-mbps 0.002OK');
    expect(slow).toHaveAttribute('aria-checked', 'true');
    expect(textOf(document.getElementById('slow-disk-hint'))).toBe(
      'Disk speed: 2,000 B/s, slow enough to watch the child write. The switch runs SIM SET disk-mbps 100',
    );
  });

  test('INFO persistence, by Redis’s field names', () => {
    const { store } = renderLab();
    act(() => {
      store.getState().runLine('RPUSH l a b c');
    });
    const panel = screen.getByRole('region', { name: 'Persistence status INFO persistence' });
    const row = (field: string) => textOf(within(panel).getByText(field).closest('.info-row'));
    expect(row('rdb_changes_since_last_save')).toBe('rdb_changes_since_last_save 3 changes since the last successful save');
    expect(row('rdb_last_save_time')).toBe('rdb_last_save_time 1767258000 last successful save (or the server\'s start, if none yet), at 09:00:00 UTC');
    expect(row('rdb_last_bgsave_status')).toBe('rdb_last_bgsave_status ok the last background save worked');
    expect(within(panel).getByText('3 changes not saved')).toBeInTheDocument();
  });
});

describe('the processes lane', () => {
  test('a slow BGSAVE: the child beside the parent, its progress, a copied page, its exit, then the reap', async () => {
    const { store } = renderLab();
    const panel = screen.getByRole('region', { name: 'Processes' });
    expect(within(panel).getByText(/No child right now/)).toBeInTheDocument();
    act(() => {
      store.getState().runLine('SIM SET disk-mbps 0.002');
      store.getState().runLine('DEBUG POPULATE 2000');
      store.getState().runLine('BGSAVE');
      store.getState().advance(500);
    });
    const child = within(panel).getByRole('article', { name: /redis-rdb-bgsave pid 4243 child process/ });
    const parent = within(panel).getByRole('article', { name: /redis-server pid 4242 parent process/ });
    expect(child).toHaveAttribute('data-state', 'writing');
    expect(textOf(child)).toContain('writing temp-4243.rdb');
    expect(textOf(parent)).toContain('Forked child 4243: fork() blocked this process for 15 µs');
    const progress = within(child).getByRole('progressbar', { name: 'Snapshot written' });
    expect(progress).toHaveAttribute('aria-valuenow', '1000');
    expect(progress.getAttribute('aria-valuetext')?.replace(/[\u2066-\u2069]/g, '')).toBe('1,000 B of 39,875 B (2%)');

    // Both grids show the same shared pages, as one picture each with its counts.
    expect(within(parent).getByRole('img', { name: 'Memory pages of pid 4242: 263 pages, 263 shared, 0 copied' })).toBeInTheDocument();
    expect(child.querySelectorAll('.page-cell')).toHaveLength(132);
    expect(child.querySelectorAll('.page-cell.is-shared')).toHaveLength(132);
    expect(textOf(panel)).toContain('263 pages of 4.0 KB: to keep the grid small, each cell stands for 2 pages.');

    act(() => {
      store.getState().runLine('SET key:1 x');
    });
    expect(within(parent).getByRole('img', { name: 'Memory pages of pid 4242: 263 pages, 262 shared, 1 copied' })).toBeInTheDocument();
    expect(child.querySelectorAll('.page-cell:not(.is-shared)')).toHaveLength(1);
    expect(textOf(panel)).toContain('Copy-on-write: 4.0 KB');

    act(() => store.getState().advance(19_438));
    expect(child).toHaveAttribute('data-state', 'exited');
    expect(textOf(child)).toContain('exited Finished the snapshot at 09:00:19. The parent notices at its next tick.');

    act(() => store.getState().advance(100));
    // The child leaves with its exit animation.
    await waitFor(() => expect(within(panel).queryByRole('article', { name: /child process/ })).toBeNull());
    expect(textOf(panel.querySelector('.reaped-note'))).toBe('✓ Reaped child 4243 at 09:00:20: the background save succeeded.');
    // The pages are the parent's own again, in its one grid.
    expect(panel.querySelectorAll('.page-grid')).toHaveLength(1);
    expect(panel.querySelector('.page-grid')).toHaveAttribute('data-sharing', 'own');
  });

  test('in Arabic', async () => {
    const { store } = renderLab({ lang: 'ar' });
    act(() => {
      store.getState().runLine('BGSAVE');
    });
    const panel = screen.getByRole('region', { name: 'العمليات' });
    expect(within(panel).getByRole('article', { name: /redis-rdb-bgsave pid 4243 العملية الابن/ })).toBeInTheDocument();
    act(() => store.getState().runLine('SIM KILLCHILD'));
    expect(textOf(panel)).toContain('أُوقفت بالإشارة 9 الساعة 09:00:00.');
    act(() => store.getState().advance(100));
    expect(textOf(panel.querySelector('.reaped-note'))).toBe('✕ استلمت العملية الأم خروج العملية الابن 4243 الساعة 09:00:00: فشل الحفظ في الخلفية.');
    await finishExitAnimations();
    expect(panel.querySelector('.process-child')).toBeNull();
  });
});

describe('a save the parent stopped (FLUSHALL, SHUTDOWN)', () => {
  test('FLUSHALL: the child is shown stopped, not failed, until the next tick reaps it; the note then says so, and its temp file goes', async () => {
    const { store } = renderLab();
    const processes = screen.getByRole('region', { name: 'Processes' });
    const disk = screen.getByRole('region', { name: 'Disk' });
    act(() => {
      store.getState().runLine('SIM SET disk-mbps 0.002');
      store.getState().runLine('DEBUG POPULATE 2000');
      store.getState().runLine('BGSAVE');
      store.getState().advance(450);
      store.getState().runLine('FLUSHALL');
    });
    const child = within(processes).getByRole('article', { name: /redis-rdb-bgsave pid 4243 child process/ });
    expect(child).toHaveAttribute('data-state', 'exited');
    expect(textOf(child)).toContain('exited Stopped by the parent with SIGUSR1 at 09:00:00: the snapshot is abandoned. The parent notices at its next tick.');
    expect(child.querySelector('.state-badge')).toHaveClass('state-stopped');
    // Its temp file stays until the reap, no longer written by anyone.
    const row = disk.querySelector<HTMLElement>('[data-file="temp-4243.rdb"]');
    expect(textOf(row?.querySelector('.file-head') ?? null)).toMatch(/^temp-4243\.rdb 900 B/);
    expect(row?.querySelector('.writer-badge')).toBeNull();

    act(() => store.getState().advance(50));
    await finishExitAnimations();
    expect(processes.querySelector('.process-child')).toBeNull();
    const note = processes.querySelector('.reaped-note');
    expect(note).toHaveAttribute('data-outcome', 'stopped');
    expect(textOf(note)).toBe('■ Reaped child 4243 at 09:00:00: the parent had stopped the background save (SIGUSR1). Not a failure.');
    expect(disk.querySelector('[data-file="temp-4243.rdb"]')).toBeNull();
    // The child's own line from its signal handler is marked as the child's.
    const log = screen.getByRole('list', { name: 'Last lines of the server log' });
    const handlerLine = within(log).getAllByRole('listitem').find((line) => line.textContent?.includes('Received SIGUSR1 in child'));
    expect(handlerLine).toHaveClass('log-child');
    expect(within(log).getAllByRole('listitem').at(-1)).toHaveTextContent('4242:M 01 Jan 2026 09:00:00.500 # Background saving terminated by signal 10');
  });

  test('in Arabic', async () => {
    const { store } = renderLab({ lang: 'ar' });
    const panel = screen.getByRole('region', { name: 'العمليات' });
    act(() => {
      store.getState().runLine('SIM SET disk-mbps 0.002');
      store.getState().runLine('DEBUG POPULATE 2000');
      store.getState().runLine('BGSAVE');
      store.getState().runLine('FLUSHALL');
    });
    expect(textOf(panel)).toContain('أوقفتها العملية الأم بالإشارة SIGUSR1 الساعة 09:00:00: تُركت اللقطة.');
    act(() => store.getState().advance(100));
    await finishExitAnimations();
    expect(textOf(panel.querySelector('.reaped-note'))).toBe(
      '■ استلمت العملية الأم خروج العملية الابن 4243 الساعة 09:00:00: كانت قد أوقفت الحفظ في الخلفية بالإشارة SIGUSR1. هذا ليس فشلًا.',
    );
  });
});

describe('the disk panel', () => {
  test('the temp file grows, cached; the same row becomes dump.rdb at the rename; a legend says solid vs hatched', async () => {
    const { store } = renderLab();
    const panel = screen.getByRole('region', { name: 'Disk' });
    expect(within(panel).getByText('The directory is empty: nothing has been saved yet.')).toBeInTheDocument();
    act(() => {
      store.getState().runLine('SIM SET disk-mbps 0.002');
      store.getState().runLine('DEBUG POPULATE 2000');
      store.getState().runLine('BGSAVE');
      store.getState().advance(1000);
    });
    const list = within(panel).getByRole('list', { name: 'Files in /var/lib/redis' });
    const row = list.querySelector<HTMLElement>('[data-file="temp-4243.rdb"]');
    if (row === null) throw new Error('no temp file row');
    expect(textOf(row.querySelector('.file-head'))).toBe('temp-4243.rdb 2,000 B being written by pid 4243 name not yet durable');
    expect(textOf(row.querySelector('.file-detail'))).toBe('0 B on disk, 2,000 B in the page cache · modified 09:00:01');
    expect(within(row).getByRole('img').getAttribute('aria-label')?.replace(/[\u2066-\u2069]/g, '')).toBe(
      'temp-4243.rdb: 2,000 B, 0 B durable, 2,000 B in the page cache only',
    );

    act(() => store.getState().advance(20_000));
    // The child that wrote it is reaped, and leaves the processes lane.
    await finishExitAnimations();
    // The very same element now names dump.rdb: the row followed the file through the rename.
    expect(row).toHaveAttribute('data-file', 'dump.rdb');
    expect(textOf(row.querySelector('.file-head'))).toBe('dump.rdb 39,875 B');
    expect(textOf(row.querySelector('.file-detail'))).toBe('39,875 B on disk, 0 B in the page cache · modified 09:00:19');
    expect(textOf(panel.querySelector('.last-rename'))).toBe(
      'Last rename: temp-4243.rdb → dump.rdb by pid 4243 at 09:00:19, atomic: the name appears in one step, with the whole file behind it.',
    );
    expect(within(panel).getByRole('list', { name: 'Bar legend' })).toHaveTextContent('solid: durable, on the disk itself');
  });

  test('in Arabic, the directory and file names stay LTR islands', () => {
    const { store } = renderLab({ lang: 'ar' });
    act(() => {
      store.getState().runLine('SAVE');
    });
    const panel = screen.getByRole('region', { name: 'القرص' });
    const named = (selector: string, text: string) => [...panel.querySelectorAll(selector)].find((element) => element.textContent === text);
    expect(named('.file-name', 'dump.rdb')).toHaveAttribute('dir', 'ltr');
    expect(named('.dir-name', '/var/lib/redis/')).toHaveAttribute('dir', 'ltr');
    expect(textOf(panel.querySelector('.last-rename'))).toContain('temp-4242.rdb → dump.rdb');
  });
});

describe('the server log', () => {
  test('shows redis-server’s last lines, child lines marked', () => {
    const { store } = renderLab();
    act(() => {
      store.getState().runLine('BGSAVE');
      store.getState().advance(200);
    });
    const log = screen.getByRole('list', { name: 'Last lines of the server log' });
    expect(log).toHaveAttribute('dir', 'ltr');
    const lines = within(log).getAllByRole('listitem');
    expect(lines.length).toBeLessThanOrEqual(12);
    expect(lines.at(-1)).toHaveTextContent('4242:M 01 Jan 2026 09:00:00.100 * Background saving terminated with success');
    expect(lines.find((line) => line.textContent?.includes('DB saved on disk'))).toHaveClass('log-child');
  });

  test('a click on a line shows the lab at its moment, and says so beside the log, with the way back', async () => {
    const { user, store } = renderLab();
    act(() => {
      store.getState().runLine('SET a 1');
      store.getState().advance(5000);
      store.getState().runLine('SAVE');
      store.getState().advance(3000);
    });
    expect(screen.queryByTestId('log-past')).toBeNull();
    await user.click(screen.getByRole('button', { name: /DB saved on disk/ }));
    expect(store.getState().timeline).toMatchObject({ position: 3, length: 4 });
    const cue = screen.getByTestId('log-past');
    expect(textOf(cue.querySelector('p'))).toBe('Showing the lab at 09:00:05 UTC, moment 3 of 4: the log ends there.');
    await user.click(within(screen.getByTestId('log-past')).getByRole('button', { name: 'Back to now' }));
    expect(store.getState().timeline.position).toBe(4);
    expect(screen.queryByTestId('log-past')).toBeNull();
  });
});

describe('file names that wrap', () => {
  test('a name may break only after its slashes: each part between them stays whole, a setting too', () => {
    const { store } = renderLab();
    act(() => {
      store.getState().runLine('CONFIG SET appendonly yes');
      store.getState().advance(5000);
    });
    const disk = screen.getByRole('region', { name: 'Disk' });
    const name = disk.querySelector('.file-row[data-file="appendonlydir/appendonly.aof.1.base.rdb"] .file-name') as HTMLElement;
    expect(name.textContent).toBe('appendonlydir/appendonly.aof.1.base.rdb');
    expect([...name.querySelectorAll('.path-part')].map((part) => part.textContent)).toEqual(['appendonlydir/', 'appendonly.aof.1.base.rdb']);
    expect(name.innerHTML).toBe('<span class="path-part">appendonlydir/</span><wbr><span class="path-part">appendonly.aof.1.base.rdb</span>');
    // In the AOF panel: the file's line, and a setting in the rewrite's steps, whole across its hyphens.
    const aof = screen.getByRole('region', { name: 'AOF log (append-only file)' });
    expect(aof.querySelector('.aof-file code')?.innerHTML).toBe('<span class="path-part">appendonlydir/</span><wbr><span class="path-part">appendonly.aof.1.incr.aof</span>');
    const setting = [...aof.querySelectorAll('.aof-rewrite-name')].find((code) => code.textContent === 'aof-use-rdb-preamble yes');
    expect(setting?.querySelector('.path-part')?.textContent).toBe('aof-use-rdb-preamble yes');
  });
});
