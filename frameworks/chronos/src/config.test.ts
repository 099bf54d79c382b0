import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseChronosFlags } from './config';

describe('chronos flags', () => {
  test('defaults', () => {
    const c = parseChronosFlags(['--nats', 'nats://127.0.0.1:4222', '--consul=http://127.0.0.1:8500'], 'box');
    assert.ok(!('error' in c));
    assert.deepEqual(
      [c.ip, c.port, c.hostname, c.tickMs, c.reviveAheadMs, c.launchAheadMs, c.failoverTimeoutSeconds, c.frameworkName],
      ['127.0.0.1', 4400, 'box', 30_000, 5_000, 5_000, 604_800, 'chronos'],
    );
  });
  test('values and errors', () => {
    const c = parseChronosFlags(['--nats', 'nats://n:1', '--consul', 'http://c:2', '--ip', '127.0.0.2', '--port', '4500', '--tick-ms', '1000', '--log-level', 'warn'], 'box');
    assert.ok(!('error' in c));
    assert.deepEqual([c.ip, c.port, c.tickMs, c.logLevel], ['127.0.0.2', 4500, 1000, 'warn']);
    const bad = (argv: string[]) => {
      const r = parseChronosFlags(argv, 'h');
      assert.ok('error' in r, argv.join(' '));
      return r.error;
    };
    assert.match(bad(['--consul', 'http://c:2']), /--nats is required/);
    assert.match(bad(['--nats', 'nats://n:1', '--consul', 'c:2']), /--consul must be/);
    assert.match(bad(['--nats', 'nats://n:1', '--consul', 'http://c:2', '--port', '0']), /--port/);
    assert.match(bad(['--nats', 'nats://n:1', '--consul', 'http://c:2', '--bogus', '1']), /unknown flag --bogus/);
    assert.match(bad(['--nats', 'nats://n:1', '--consul', 'http://c:2', '--tick-ms', '-1']), /--tick-ms/);
    assert.match(bad(['--nats', 'nats://n:1', '--consul', 'http://c:2', '--launch-ahead-seconds', '-1']), /--launch-ahead-seconds/);
    const off = parseChronosFlags(['--nats', 'nats://n:1', '--consul', 'http://c:2', '--launch-ahead-seconds', '0'], 'h');
    assert.ok(!('error' in off) && off.launchAheadMs === 0);
    const half = parseChronosFlags(['--nats', 'nats://n:1', '--consul', 'http://c:2', '--launch-ahead-seconds=2.5'], 'h');
    assert.ok(!('error' in half) && half.launchAheadMs === 2500);
  });
});
