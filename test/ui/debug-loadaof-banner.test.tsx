// @vitest-environment jsdom
import { describe, expect, test } from 'vitest';
import { act, screen } from '@testing-library/react';
import { renderLab } from './render-lab.tsx';

/** DEBUG LOADAOF that makes redis-server exit(1): the banner says so, in both languages. */

function textOf(element: Element | null): string {
  return (element?.textContent ?? '').replace(/[\u2066-\u2069\u200e]/g, '').replace(/\s+/g, ' ').trim();
}

describe('DEBUG LOADAOF with no AOF to load', () => {
  test('the server exits, and the banner says why', () => {
    const { store } = renderLab();
    act(() => void store.getState().runLine('DEBUG LOADAOF'));
    const banner = screen.getByTestId('server-down');
    expect(banner).toHaveAttribute('data-reason', 'exited');
    expect(textOf(banner)).toBe('Redis is not running. It exited, with exit(1), after DEBUG LOADAOF: see the server log. Commands fail until you restart it.');
  });

  test('in Arabic', () => {
    const { store } = renderLab({ lang: 'ar' });
    act(() => void store.getState().runLine('DEBUG LOADAOF'));
    expect(textOf(screen.getByTestId('server-down'))).toContain('exit(1)');
    expect(textOf(screen.getByTestId('server-down'))).toContain('أنهت العملية نفسها');
  });
});
