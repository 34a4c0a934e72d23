// @vitest-environment jsdom
import { describe, expect, test } from 'vitest';
import { act, screen, within } from '@testing-library/react';
import { renderLab } from './render-lab.tsx';

function keyRow(name: string): HTMLElement {
  const row = document.querySelector<HTMLElement>(`.key-row[data-key="${name}"]`);
  if (row === null) throw new Error(`no row for key ${name}`);
  return row;
}

describe('the keyspace panel', () => {
  test('says so when the keyspace is empty', () => {
    renderLab();
    expect(screen.getByText('No keys yet. Try a quick action, or type SET greeting hello.')).toBeInTheDocument();
    expect(screen.getByText('0 keys')).toBeInTheDocument();
  });

  test('while the server is down, says it is not running and how to start it, not to try a quick action', () => {
    const { store } = renderLab();
    act(() => {
      store.getState().runLine('SET a 1');
      store.getState().runLine('SHUTDOWN NOSAVE');
    });
    const panel = screen.getByRole('region', { name: 'Keyspace' });
    expect(within(panel).getByText('redis-server is not running, so no keys are in memory. Restart it (SIM RESTART, in Crash and restart) to load what the disk kept.')).toBeInTheDocument();
    expect(within(panel).queryByText(/Try a quick action/)).toBeNull();
    act(() => void store.getState().runLine('SIM RESTART'));
    expect(within(panel).getByText('No keys yet. Try a quick action, or type SET greeting hello.')).toBeInTheDocument();
  });

  test('shows each key with its type, size and a preview of its value', async () => {
    const { store } = renderLab();
    act(() => {
      store.getState().runLine('RPUSH queue job:1 job:2');
      store.getState().runLine('SET greeting "Hello, Redis"');
      store.getState().runLine('HSET user:1 name Ada');
    });
    const list = screen.getByRole('list', { name: 'Keys in database 0' });
    expect(within(list).getAllByRole('listitem').map((item) => item.dataset.key)).toEqual(['greeting', 'queue', 'user:1']);
    const queue = keyRow('queue');
    expect(within(queue).getByText('list')).toHaveClass('type-badge');
    expect(queue).toHaveTextContent('2 elements');
    expect(queue).toHaveTextContent('["job:1", "job:2"]');
    expect(keyRow('greeting')).toHaveTextContent('12 bytes');
    expect(keyRow('greeting')).toHaveTextContent('"Hello, Redis"');
    expect(screen.getByRole('heading', { name: /db0/ })).toHaveTextContent('db03 keys');
  });

  test('counts a key’s TTL down with the simulated clock, then drops the key', () => {
    const { store } = renderLab();
    act(() => {
      store.getState().runLine('SET session abc');
      store.getState().runLine('EXPIRE session 2');
    });
    expect(keyRow('session')).toHaveTextContent('TTL 2.0 s');
    act(() => store.getState().advance(1500));
    expect(keyRow('session')).toHaveTextContent('TTL 0.5 s');
    act(() => store.getState().advance(1000));
    expect(document.querySelector('.key-row[data-key="session"]')).toBeNull();
    expect(screen.getByRole('status')).toHaveTextContent('Key session expired.');
  });

  test('groups keys by database, and the prompt shows the selected one', async () => {
    const { user } = renderLab();
    const input = screen.getByRole('textbox', { name: 'Command' });
    await user.type(input, 'SET a 1{Enter}');
    await user.type(input, 'SELECT 3{Enter}');
    await user.type(input, 'SET b 2{Enter}');
    expect(screen.getByRole('list', { name: 'Console output' }).lastElementChild).toHaveTextContent('127.0.0.1:6379[3]> SET b 2OK');
    expect(within(screen.getByRole('list', { name: 'Keys in database 0' })).getByText('a')).toBeInTheDocument();
    expect(within(screen.getByRole('list', { name: 'Keys in database 3' })).getByText('b')).toBeInTheDocument();
    expect(screen.getByText('2 keys')).toBeInTheDocument();
  });

  test('keys without expiry show no TTL', () => {
    const { store } = renderLab();
    act(() => void store.getState().runLine('SET forever 1'));
    expect(keyRow('forever').querySelector('.ttl')).toBeNull();
  });

  test('Arabic: sizes with Arabic plural forms, keys and values stay LTR', () => {
    const { store } = renderLab({ lang: 'ar' });
    act(() => {
      store.getState().runLine('RPUSH pair a b');
      store.getState().runLine('RPUSH many 1 2 3 4 5 6 7 8 9 10 11');
    });
    expect(keyRow('pair')).toHaveTextContent('عنصران');
    expect(keyRow('many')).toHaveTextContent('11 عنصرًا');
    expect(within(keyRow('pair')).getByText('pair')).toHaveAttribute('dir', 'ltr');
    expect(keyRow('pair').querySelector('.key-preview code')).toHaveAttribute('dir', 'ltr');
  });

  test('a key written after DEBUG POPULATE 1000 is listed above the first 100, and says why', () => {
    const { store } = renderLab();
    act(() => {
      store.getState().runLine('DEBUG POPULATE 1000');
      store.getState().runLine('SET greeting hello');
    });
    const recent = screen.getByRole('list', { name: 'Used just now, beyond the first 100 keys listed below:' });
    expect(within(recent).getAllByRole('listitem').map((item) => item.dataset.key)).toEqual(['greeting']);
    expect(keyRow('greeting')).toHaveTextContent('"hello"');
    expect(within(screen.getByRole('list', { name: 'Keys in database 0' })).getAllByRole('listitem')).toHaveLength(100);
    expect(screen.getByText('The first 100 keys created, by name:')).toBeInTheDocument();
    expect(screen.getByText('and 900 more keys')).toBeInTheDocument();
    // A read brings a key into view too, the latest first.
    act(() => void store.getState().runLine('GET key:777'));
    expect(within(recent).getAllByRole('listitem').map((item) => item.dataset.key)).toEqual(['key:777', 'greeting']);
    expect(screen.getByText('and 899 more keys')).toBeInTheDocument();
  });

  test('Arabic: the keys used just now, with their note', () => {
    const { store } = renderLab({ lang: 'ar' });
    act(() => {
      store.getState().runLine('DEBUG POPULATE 1000');
      store.getState().runLine('SET greeting hello');
    });
    const recent = screen.getByRole('list', { name: 'مفاتيح استُخدمت للتو، من خارج أول 100 مفتاح معروض أدناه:' });
    expect(within(recent).getByText('greeting')).toHaveAttribute('dir', 'ltr');
    expect(screen.getByText('أول 100 مفتاح أُنشئت، مرتّبةً بالاسم:')).toBeInTheDocument();
  });

  test('a database listed whole needs no note', () => {
    const { store } = renderLab();
    act(() => {
      store.getState().runLine('SET a 1');
      store.getState().runLine('GET a');
    });
    expect(document.querySelector('.recent-keys')).toBeNull();
    expect(document.querySelector('.key-list-note')).toBeNull();
  });
});
