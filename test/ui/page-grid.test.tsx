// @vitest-environment jsdom
import { describe, expect, test } from 'vitest';
import { act, screen, within } from '@testing-library/react';
import { renderLab } from './render-lab.tsx';

/** Text as a reader sees it: without the invisible bidi isolates that keep numbers and units together. */
function textOf(element: Element | null): string {
  return (element?.textContent ?? '').replace(/[\u2066-\u2069\u200e]/g, '').replace(/\s+/g, ' ').trim();
}

function parentBox() {
  return within(screen.getByRole('region', { name: /^(Processes|العمليات)$/ })).getByRole('article', { name: /redis-server pid 4242/ });
}

function parentGrid(): HTMLElement {
  const grid = parentBox().querySelector<HTMLElement>('.page-grid');
  if (grid === null) throw new Error('no page grid in the parent');
  return grid;
}

function ringed(grid: Element): Element[] {
  return [...grid.querySelectorAll('.page-cell[data-touched="true"]')];
}

describe('the parent’s page grid', () => {
  test('drawn before any fork; it grows with writes, which ring the pages they touched', () => {
    const { store } = renderLab();
    const panel = screen.getByRole('region', { name: 'Processes' });
    const grid = parentGrid();
    const pages = Number(grid.dataset.pages);
    expect(grid).toHaveAttribute('data-sharing', 'own');
    expect(within(parentBox()).getByRole('img', { name: `Memory pages of pid 4242: ${pages} pages, its own (no child shares them)` })).toBe(grid);
    expect(grid.querySelectorAll('.page-cell.is-own')).toHaveLength(pages);
    expect(ringed(grid)).toHaveLength(0);
    const legend = within(panel).getByRole('list', { name: 'Page legend' });
    expect(textOf(legend)).toBe('its own page: no child maps it ringed for a moment: a page the last write touched');
    expect(textOf(panel.querySelector('.grid-legend'))).toContain(`${pages} pages of 4.0 KB. Each cell is one page.`);
    expect(textOf(panel.querySelector('.grid-legend'))).toContain('Another page size: SIM SET page-size 16384');

    // 40,000 bytes: about ten more pages, and the ten the value sits on ringed.
    act(() => {
      store.getState().runLine(`SET big ${'x'.repeat(40_000)}`);
    });
    const grown = Number(grid.dataset.pages);
    expect(grown).toBeGreaterThanOrEqual(pages + 9);
    expect(grid.querySelectorAll('.page-cell')).toHaveLength(grown);
    expect(grid.querySelectorAll('.page-cell.is-new')).toHaveLength(grown - pages);
    expect(ringed(grid)).toHaveLength(10);
    expect(grid.querySelectorAll('.page-touch')).toHaveLength(10);

    // The next write rings its own page only.
    act(() => {
      store.getState().runLine('SET small 1');
    });
    expect(ringed(grid)).toHaveLength(1);
    expect(grid.querySelectorAll('.page-touch')).toHaveLength(1);
  });

  test('BGSAVE: the same grid becomes shared with the child; a write copies a page, ringed in the parent’s grid', () => {
    const { store } = renderLab();
    const panel = screen.getByRole('region', { name: 'Processes' });
    act(() => {
      store.getState().runLine('SIM SET disk-mbps 0.002');
      store.getState().runLine('DEBUG POPULATE 100');
      store.getState().runLine('SET key:7 x');
    });
    const grid = parentGrid();
    const pages = grid.dataset.pages;
    const ringedCell = ringed(grid)[0];
    expect(ringed(grid)).toHaveLength(1);

    act(() => {
      store.getState().runLine('BGSAVE');
    });
    // The very element, now shared: the before and the after are one picture.
    expect(parentGrid()).toBe(grid);
    expect(grid).toHaveAttribute('data-sharing', 'shared');
    expect(grid).toHaveAttribute('data-pages', pages);
    const child = within(panel).getByRole('article', { name: /redis-rdb-bgsave pid 4243/ });
    const childGrid = child.querySelector('.page-grid') as HTMLElement;
    expect(childGrid).toHaveAttribute('data-pages', pages);
    expect(childGrid.querySelectorAll('.page-cell.is-shared')).toHaveLength(Number(pages));
    expect(textOf(within(panel).getByRole('list', { name: 'Page legend' }))).toContain('shared: one copy, mapped by both processes');

    act(() => {
      store.getState().runLine('SET key:7 y');
    });
    // The page the key was ringed on before the fork is the one copied now.
    expect(ringed(grid)).toEqual([ringedCell]);
    expect(ringedCell).toHaveAttribute('data-state', 'copied');
    expect(childGrid.querySelectorAll('.page-cell.is-copied')).toHaveLength(1);
    expect(grid).toHaveAttribute('data-copied', '1');
    // The child did not write: no ring in its grid.
    expect(childGrid.querySelectorAll('.page-touch')).toHaveLength(0);
    expect(textOf(panel.querySelector('.panel-header'))).toContain('Copy-on-write: 4.0 KB');
  });

  test('DEBUG POPULATE 100000: at most 256 cells, and the legend says each stands for several pages', () => {
    const { store } = renderLab();
    act(() => {
      store.getState().runLine('DEBUG POPULATE 100000');
    });
    const grid = parentGrid();
    const pages = Number(grid.dataset.pages);
    const perCell = Math.ceil(pages / 256);
    expect(pages).toBeGreaterThan(2000);
    expect(grid.querySelectorAll('.page-cell')).toHaveLength(Math.ceil(pages / perCell));
    expect(textOf(document.querySelector('.grid-legend'))).toContain(
      `${pages.toLocaleString('en')} pages of 4.0 KB. To keep the grid small, each cell stands for ${perCell} pages.`,
    );
  });

  test('in Arabic', () => {
    const { store } = renderLab({ lang: 'ar' });
    const panel = screen.getByRole('region', { name: 'العمليات' });
    const grid = parentGrid();
    expect(grid.getAttribute('aria-label')).toMatch(/^صفحات ذاكرة العملية 4242: \d+ صفحة تخصّها وحدها/);
    expect(textOf(within(panel).getByRole('list', { name: 'دليل الصفحات' }))).toBe(
      'صفحة تخصّ العملية وحدها: لا تراها أي عملية ابن يحيط بها إطار للحظة: صفحة لمستها آخر كتابة',
    );
    expect(textOf(panel.querySelector('.grid-legend'))).toContain('الذاكرة المستخدمة used_memory تبلغ');
    act(() => {
      store.getState().runLine('SET greeting hello');
    });
    expect(ringed(grid)).toHaveLength(1);
  });
});
