import { describe, expect, test } from 'vitest';
import { CONTROL_GROUPS, embedParams, lockedPanels, normalizeOrigin, readEmbedOptions } from '../../src/embed/embed-options.ts';
import { applySnapshot, readBootRequest } from '../../src/embed/boot.ts';
import { captureSnapshot, embedUrl, iframeSnippet, labBaseUrl, permalink } from '../../src/embed/share-links.ts';
import { EMPTY_SNAPSHOT, encodeUrlState, readUrlState } from '../../src/embed/url-state.ts';
import { panelFilterCss } from '../../src/ui/share/PanelFilter.tsx';
import { createLabStore } from '../../src/store/index.ts';

describe('embed options from the URL', () => {
  test('the plain lab: every panel, every control, messages from the parent of any origin', () => {
    expect(readEmbedOptions('')).toEqual({ embedded: false, panels: null, controls: [...CONTROL_GROUPS], messageOrigin: '*' });
  });

  test('embed=1, panels and controls as comma lists; unknown items are skipped', () => {
    expect(readEmbedOptions('?embed=1&panels=console,%20DISK,evil,console&controls=console,timeline,nope')).toEqual({
      embedded: true,
      panels: ['console', 'disk'],
      controls: ['console', 'timeline'],
      messageOrigin: '*',
    });
    expect(readEmbedOptions('?embed=0').embedded).toBe(false);
    expect(readEmbedOptions('?panels=<script>').panels).toBeNull();
    expect(readEmbedOptions('?controls=none').controls).toEqual([]);
    expect(readEmbedOptions('?controls=all').controls).toEqual([...CONTROL_GROUPS]);
  });

  test('a pinned origin is a bare http(s) origin, or the API stays closed', () => {
    expect(readEmbedOptions('?origin=https://course.example.org').messageOrigin).toBe('https://course.example.org');
    expect(normalizeOrigin('https://Course.Example.org:8443/')).toBe('https://course.example.org:8443');
    for (const bad of ['https://course.example.org/path', 'javascript:alert(1)', 'null', '*', 'https://user@x.org', 'ftp://x.org', '']) {
      expect(normalizeOrigin(bad), bad).toBeNull();
    }
    expect(readEmbedOptions('?origin=javascript:alert(1)').messageOrigin).toBeNull();
  });

  test('locked control groups lock their panels’ controls', () => {
    expect(lockedPanels(['console', 'timeline', 'actions', 'language'])).toEqual([]);
    expect(lockedPanels(['console'])).toEqual(['timeline', 'snapshot', 'lifecycle', 'config', 'aof', 'compare']);
    expect(lockedPanels([])).toContain('console');
  });

  test('the options written back as parameters read the same', () => {
    const params = embedParams({ embedded: true, panels: ['console', 'keyspace'], controls: ['console'], origin: 'https://lms.example' });
    expect(params).toEqual(['embed=1', 'panels=console,keyspace', 'controls=console', 'origin=https%3A%2F%2Flms.example']);
    expect(readEmbedOptions(`?${params.join('&')}`)).toEqual({ embedded: true, panels: ['console', 'keyspace'], controls: ['console'], messageOrigin: 'https://lms.example' });
    expect(embedParams({ embedded: false, panels: null, controls: [...CONTROL_GROUPS] })).toEqual([]);
    expect(embedParams({ embedded: true, panels: null, controls: [] })).toEqual(['embed=1', 'controls=none']);
  });
});

describe('the panel filter', () => {
  test('hides the panels not chosen and the controls of locked ones, by panel id only', () => {
    const css = panelFilterCss(['console', 'disk'], ['console']);
    expect(css).toContain('[data-panel="keyspace"]');
    expect(css).not.toContain('[data-panel="disk"],');
    expect(css).toContain('[data-panel="console"] button');
    expect(css).toContain('[data-panel="console"] form');
    expect(css).toContain('.skip-link { display: none !important; }');
    expect(panelFilterCss(null, [])).toBe('');
    expect(panelFilterCss(['console'], [])).not.toContain('.skip-link');
    // Whatever reaches it, only known ids are written.
    expect(panelFilterCss(null, ['"]{}body{display:none']).includes('body')).toBe(false);
  });
});

describe('what the page is opened with', () => {
  const state = encodeUrlState({ ...EMPTY_SNAPSHOT, lang: 'ar', panels: ['console'], theme: 'dark', tape: [{ kind: 'line', line: 'SET a 1' }], position: 1 });

  test('the state’s language, panels and display, unless readable parameters say otherwise', () => {
    expect(readBootRequest(`?${state}`)).toMatchObject({ lang: 'ar', panels: ['console'], display: { theme: 'dark' } });
    expect(readBootRequest(`?lang=en&panels=disk&${state}`)).toMatchObject({ lang: 'en', panels: ['disk'] });
    expect(readBootRequest('?lang=xx')).toMatchObject({ lang: null, panels: null, display: {}, state: { status: 'none' } });
  });

  test('a refused state leaves the lab as it would start anyway', () => {
    expect(readBootRequest('?v=1&s=garbage!')).toMatchObject({ state: { status: 'rejected', reason: 'malformed' }, lang: null, panels: null, display: {} });
  });

  test('applying a snapshot rebuilds the lab at its position, paused, at its speed', () => {
    const store = createLabStore();
    applySnapshot(store, {
      ...EMPTY_SNAPSHOT,
      speed: 4,
      tape: [
        { kind: 'line', line: 'SET a 1' },
        { kind: 'line', line: 'SET b 2' },
      ],
      position: 1,
    });
    const lab = store.getState();
    expect(lab.timeline).toMatchObject({ position: 1, length: 2 });
    expect(lab.keyspace.dbs.flatMap((db) => db.keys.map((key) => key.name))).toEqual(['a']);
    expect(lab.paused).toBe(true);
    expect(lab.speed).toBe(4);
  });

  test('a snapshot with a lesson opens it first, then puts back the tape as shared', () => {
    const store = createLabStore();
    const opened: [string, number][] = [];
    const lessons = { getState: () => ({ openLesson: (id: string, step?: number) => opened.push([id, step ?? 0]) > 0 }) };
    applySnapshot(store, { ...EMPTY_SNAPSHOT, lesson: { id: 'rdb-snapshots', step: 2 }, tape: [{ kind: 'line', line: 'SET mine 1' }], position: 1 }, lessons as never);
    expect(opened).toEqual([['rdb-snapshots', 2]]);
    expect(store.getState().keyspace.dbs[0]?.keys.map((key) => key.name)).toEqual(['mine']);
  });
});

describe('links and snippets', () => {
  const live = {
    tape: [{ kind: 'line' as const, line: 'SET greeting hello', atMs: 0, endMs: 0, seqEnd: 3 }],
    position: 1,
    speed: 1,
    lang: 'ar' as const,
    lesson: null,
    panels: null,
    display: { theme: 'dark' as const, reducedMotion: false, digits: 'arabic-indic' as const },
  };

  test('the base is the lab’s own address, from any sub-path', () => {
    expect(labBaseUrl('https://someone.github.io/redis-lab/?lang=ar#x')).toBe('https://someone.github.io/redis-lab/');
    expect(labBaseUrl('http://127.0.0.1:4185/index.html?v=1&s=abc')).toBe('http://127.0.0.1:4185/index.html');
  });

  test('a permalink carries the captured state, and reads back the same', () => {
    const snapshot = captureSnapshot(live);
    const link = permalink('https://x.example/lab/', snapshot);
    expect(link.startsWith('https://x.example/lab/?v=1&s=')).toBe(true);
    expect(readUrlState(new URL(link).search)).toEqual({ status: 'ok', snapshot, fromVersion: 1 });
    expect(snapshot.tape).toEqual([{ kind: 'line', line: 'SET greeting hello' }]);
  });

  test('the iframe snippet: embed address, title and lang, escaped', () => {
    const choice = { lang: 'ar' as const, panels: ['console' as const], controls: [], heightPx: 640, title: 'مختبر "Redis" <لـ> & الحفاظ' };
    const src = embedUrl('https://x.example/lab/', captureSnapshot(live), choice);
    expect(src).toMatch(/^https:\/\/x\.example\/lab\/\?embed=1&panels=console&controls=none&lang=ar&v=1&s=/);
    const snippet = iframeSnippet(src, choice);
    expect(snippet).toContain(`src="${src.replace(/&/g, '&amp;')}"`);
    expect(snippet).toContain('title="مختبر &quot;Redis&quot; &lt;لـ&gt; &amp; الحفاظ"');
    expect(snippet).toContain('lang="ar"');
    expect(snippet).toContain('height="640"');
    // The state in the snippet leaves the language and panels to the readable parameters.
    const state = readUrlState(new URL(src).search);
    expect(state).toMatchObject({ status: 'ok', snapshot: { lang: null, panels: null, theme: 'dark' } });
  });
});
