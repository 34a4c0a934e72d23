/**
 * The engine's core: dispatch and its errors, MULTI/EXEC, the simulated clock and serverCron,
 * lazy and active expiry, propagation and the event stream, determinism.
 */
import { bulk, err, int, lab, START, status } from '../support/engine-kit.ts';

describe('dispatch', () => {
  it('answers an unknown command as Redis 7.0 does, quoting up to 128 bytes of arguments', () => {
    const { run } = lab();
    expect(run('FOO bar "baz qux"')).toEqual(err("ERR unknown command 'FOO', with args beginning with: 'bar' 'baz qux' "));
    expect(run('nope')).toEqual(err("ERR unknown command 'nope', with args beginning with: "));
    const long = 'x'.repeat(200);
    expect(run(`FOO ${long} y`)).toEqual(err(`ERR unknown command 'FOO', with args beginning with: '${'x'.repeat(128)}' `));
  });

  it('checks arity with the lowercase command name', () => {
    const { run } = lab();
    expect(run('GET')).toEqual(err("ERR wrong number of arguments for 'get' command"));
    expect(run('sim advance')).toEqual(err("ERR wrong number of arguments for 'sim|advance' command"));
    expect(run('SIM nothing')).toEqual(err("ERR unknown subcommand 'nothing'. Try SIM HELP."));
    // Names of Object's own properties are not subcommands.
    expect(run('CONFIG constructor')).toEqual(err("ERR unknown subcommand 'constructor'. Try CONFIG HELP."));
    expect(run('CLIENT __proto__')).toEqual(err("ERR unknown subcommand '__proto__'. Try CLIENT HELP."));
  });

  it('tells a blank line and unbalanced quotes apart from commands, as redis-cli does', () => {
    const { engine, client } = lab();
    expect(engine.run('   ', client)).toEqual({ kind: 'empty' });
    expect(engine.run('SET "a b', client)).toEqual({ kind: 'invalid' });
  });

  it('survives hostile input: a 1 MB line, binary bytes, NULs', () => {
    const { run } = lab();
    expect(run(`SET big ${'v'.repeat(1024 * 1024)}`)).toEqual(status('OK'));
    expect(run('STRLEN big')).toEqual(int(1024 * 1024));
    expect(run('SET "\\x00\\xff" "\\x01"')).toEqual(status('OK'));
    expect(run('GET "\\x00\\xff"')).toEqual(bulk('\x01'));
    expect(run(`${'\u0663'.repeat(10)} x`).type).toBe('error');
  });
});

describe('MULTI / EXEC', () => {
  it('queues commands and answers every reply in order, errors included', () => {
    const { run } = lab();
    expect(run('MULTI')).toEqual(status('OK'));
    expect(run('SET a 1')).toEqual(status('QUEUED'));
    expect(run('INCR a')).toEqual(status('QUEUED'));
    expect(run('LPUSH a x')).toEqual(status('QUEUED'));
    expect(run('EXEC')).toEqual({
      type: 'array',
      value: [status('OK'), int(2), err('WRONGTYPE Operation against a key holding the wrong kind of value')],
    });
  });

  it('discards the transaction when a command is refused while queuing (EXECABORT)', () => {
    const { run } = lab();
    run('MULTI');
    expect(run('SET a')).toEqual(err("ERR wrong number of arguments for 'set' command"));
    expect(run('NOPE')).toEqual(err("ERR unknown command 'NOPE', with args beginning with: "));
    expect(run('SET b 2')).toEqual(status('QUEUED'));
    expect(run('EXEC')).toEqual(err('EXECABORT Transaction discarded because of previous errors.'));
    expect(run('EXISTS b')).toEqual(int(0));
  });

  it('refuses EXEC and DISCARD without MULTI, and nested MULTI', () => {
    const { run } = lab();
    expect(run('EXEC')).toEqual(err('ERR EXEC without MULTI'));
    expect(run('DISCARD')).toEqual(err('ERR DISCARD without MULTI'));
    run('MULTI');
    expect(run('MULTI')).toEqual(err('ERR MULTI calls can not be nested'));
    expect(run('DISCARD')).toEqual(status('OK'));
  });

  it('keeps each client in its own transaction', () => {
    const { engine, run } = lab();
    const other = engine.newClient();
    run('MULTI');
    run('SET a 1');
    expect(engine.execute(other, ['GET', 'a'])).toEqual(bulk(null));
    run('EXEC');
    expect(engine.execute(other, ['GET', 'a'])).toEqual(bulk('1'));
  });
});

describe('the clock', () => {
  it('starts at the given epoch and moves only when told', () => {
    const { engine, run } = lab();
    expect(run('SIM TIME')).toEqual({ type: 'array', value: [int(START), bulk('2026-01-01T09:00:00.000Z')] });
    run('SIM ADVANCE 1500');
    expect(engine.nowMs).toBe(START + 1500);
    run('SIM SET epoch-ms 1800000000000');
    expect(engine.nowMs).toBe(1800000000000);
    expect(run('SIM ADVANCE -1').type).toBe('error');
    expect(run('SIM ADVANCE 1.5').type).toBe('error');
    expect(run('SIM SET epoch-ms 99999999999999999').type).toBe('error');
  });

  it('expires keys lazily at the first access after their time (a key lives through its expiry ms)', () => {
    const { engine, run, events } = lab();
    run(`SET k v PXAT ${START + 1000}`);
    engine.setClock(START + 1000);
    expect(run('GET k')).toEqual(bulk('v'));
    engine.setClock(START + 1001);
    expect(run('GET k')).toEqual(bulk(null));
    expect(events.filter((e) => e.type === 'key.expired')).toEqual([{ type: 'key.expired', atMs: START + 1001, db: 0, key: 'k', by: 'lazy' }]);
  });

  it('expires keys actively in serverCron, at hz ticks, without any access', () => {
    const { engine, run, events } = lab();
    const expired = () => events.filter((e) => e.type === 'key.expired');
    for (let i = 0; i < 100; i++) run(`SET k${i} v PX 250`);
    run('SET keeper v');
    engine.advance(240);
    expect(engine.dbs[0]?.size).toBe(101);
    engine.advance(2000);
    expect(engine.dbs[0]?.size).toBe(1);
    expect(expired()).toHaveLength(100);
    expect(expired().every((e) => e.type === 'key.expired' && e.by === 'active' && e.atMs % 100 === 0)).toBe(true);
  });
});

describe('propagation (what the AOF will log)', () => {
  function propagated(lines: string[]) {
    const l = lab();
    for (const line of lines) l.run(line);
    return l.propagated.map((argv) => argv.join(' '));
  }

  it('logs writes that changed something, and nothing for reads or no-ops', () => {
    expect(propagated(['SET a 1', 'GET a', 'DEL nokey', 'DEL a'])).toEqual(['SET a 1', 'DEL a']);
  });

  it('wraps a transaction of several writes in MULTI/EXEC and leaves a single write bare', () => {
    expect(propagated(['MULTI', 'SET a 1', 'SET b 2', 'EXEC'])).toEqual(['MULTI', 'SET a 1', 'SET b 2', 'EXEC']);
    expect(propagated(['MULTI', 'SET a 1', 'GET a', 'EXEC'])).toEqual(['SET a 1']);
  });

  it('logs an expiry as DEL', () => {
    expect(propagated([`SET k v PX 100`, 'SIM ADVANCE 500'])).toEqual([expect.stringMatching(/^SET k v PXAT \d+$/), 'DEL k']);
  });
});

describe('determinism', () => {
  it('gives the same events for the same lines, run twice', () => {
    const script = ['SET a 1', 'EXPIRE a 5', 'RPUSH l x y', 'SIM ADVANCE 7000', 'GET a', 'SADD s p q', 'SPOP s', 'INCRBYFLOAT f 0.1'];
    const record = () => {
      const { run, events } = lab();
      for (const line of script) run(line);
      return events;
    };
    const first = record();
    expect(first.length).toBeGreaterThan(script.length);
    expect(record()).toEqual(first);
  });
});
