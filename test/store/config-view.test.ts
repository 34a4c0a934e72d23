// The redis.conf panel's view: each persistence directive's startup and running value, normalised
// as CONFIG GET prints them, marked where a CONFIG SET made them differ; unchanged parts are reused.
import { Config } from '../../src/engine/config.ts';
import { buildConfigView, CONFIG_DIRECTIVES, type ConfigSource } from '../../src/store/config-view.ts';

const source = (running: Record<string, string>, startup: Record<string, string> | null, isRunning = true): ConfigSource => ({
  running: isRunning,
  config: new Config(running),
  startup,
});

describe('the redis.conf view', () => {
  test('lists the persistence directives by their real names, with the running values', () => {
    const view = buildConfigView(source({}, null));
    expect(view.directives.map((directive) => directive.name)).toEqual([...CONFIG_DIRECTIVES]);
    expect(view.directives.find((directive) => directive.name === 'save')).toMatchObject({
      running: '3600 1 300 100 60 10000',
      startup: null,
      changed: false,
      mutability: 'mutable',
      input: { kind: 'text', format: 'save' },
    });
    expect(view.directives.find((directive) => directive.name === 'rdbchecksum')?.mutability).toBe('immutable');
    expect(view.directives.find((directive) => directive.name === 'dbfilename')?.mutability).toBe('protected');
    expect(view.directives.find((directive) => directive.name === 'appendfsync')?.input).toEqual({ kind: 'choice', choices: ['always', 'everysec', 'no'] });
  });

  test('redis.conf values are normalised as CONFIG GET prints them, so a CONFIG SET shows as a difference', () => {
    const view = buildConfigView(source({ appendfsync: 'always', 'auto-aof-rewrite-min-size': '64mb' }, { 'auto-aof-rewrite-min-size': '64MB' }));
    expect(view.directives.find((directive) => directive.name === 'appendfsync')).toMatchObject({ startup: 'everysec', running: 'always', changed: true });
    expect(view.directives.find((directive) => directive.name === 'auto-aof-rewrite-min-size')).toMatchObject({
      startup: '67108864',
      running: '67108864',
      changed: false,
    });
  });

  test('unchanged directives and an unchanged view are the previous objects', () => {
    const first = buildConfigView(source({}, {}));
    expect(buildConfigView(source({}, {}), first)).toBe(first);
    const second = buildConfigView(source({ appendonly: 'yes' }, {}), first);
    expect(second).not.toBe(first);
    expect(second.directives[0]).toBe(first.directives[0]);
    expect(second.directives.find((directive) => directive.name === 'appendonly')?.changed).toBe(true);
    expect(buildConfigView(source({ appendonly: 'yes' }, {}, false), second).running).toBe(false);
  });
});
