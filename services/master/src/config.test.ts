import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { flagsView, parseMasterFlags, parseWeights } from './config';

const base = ['--nats', 'nats://127.0.0.1:4222', '--consul', 'http://127.0.0.1:8500', '--ip', '127.0.0.1', '--port', '5050'];

describe('parseMasterFlags', () => {
  test('defaults', () => {
    const cfg = parseMasterFlags(base, 'host1');
    assert.ok(!('error' in cfg));
    if ('error' in cfg) return;
    assert.equal(cfg.hostname, 'host1');
    assert.equal(cfg.agentPingTimeoutMs, 15_000);
    assert.equal(cfg.frameworkPingTimeoutMs, 5_000);
    assert.equal(cfg.offerTimeoutMs, 30_000);
    assert.equal(cfg.allocationIntervalMs, 1_000);
    assert.deepEqual(cfg.weights, {});
  });

  test('--flag=value, fractions of seconds, weights', () => {
    const cfg = parseMasterFlags([...base, '--agent-ping-timeout=0.5', '--weights', 'eng/web=2,ops=0.5', '--hostname', 'm1'], 'x');
    assert.ok(!('error' in cfg));
    if ('error' in cfg) return;
    assert.equal(cfg.agentPingTimeoutMs, 500);
    assert.deepEqual(cfg.weights, { 'eng/web': 2, ops: 0.5 });
    assert.equal(cfg.hostname, 'm1');
    assert.equal(flagsView(cfg).nats, 'nats://127.0.0.1:4222');
    assert.equal(flagsView(cfg).consul, 'http://127.0.0.1:8500');
  });

  const bad: Array<[string, string[]]> = [
    ['missing --port', base.slice(0, 6)],
    ['unknown flag', [...base, '--frobnicate', '1']],
    ['flag without value', [...base, '--offer-timeout']],
    ['port out of range', [...base.slice(0, 7), '70000']],
    ['bad ip', ['--nats', 'nats://x:1', '--consul', 'http://x', '--ip', '300.1.1.1', '--port', '1']],
    ['negative timeout', [...base, '--offer-timeout', '-1']],
    ['zero interval', [...base, '--allocation-interval', '0']],
    ['bad consul url', ['--nats', 'nats://x:1', '--consul', 'x:8500', '--ip', '1.2.3.4', '--port', '1']],
    ['bad log level', [...base, '--log-level', 'loud']],
    ['bad weights', [...base, '--weights', 'a=0']],
    ['positional', [...base, 'extra']],
  ];
  for (const [name, argv] of bad) {
    test(`rejects ${name}`, () => {
      const out = parseMasterFlags(argv, 'h');
      assert.ok('error' in out, name);
    });
  }
});

describe('parseWeights', () => {
  test('empty → {}', () => assert.deepEqual(parseWeights(''), {}));
  test('invalid role', () => assert.equal(typeof parseWeights('-x=1'), 'string'));
  test('not a number', () => assert.equal(typeof parseWeights('a=b'), 'string'));
});
