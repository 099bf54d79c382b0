import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { INITIAL_HEALTH, nextHealth, type HealthState } from './health-verdict';

const policy = { gracePeriodSeconds: 10, consecutiveFailures: 3 };

/** Runs a sequence of (passed, at-ms) probes from the initial state; returns the steps' reports and kills. */
function run(probes: [boolean, number][], p = policy) {
  let s: HealthState = INITIAL_HEALTH;
  return probes.map(([ok, at]) => {
    const step = nextHealth(s, ok, p, 0, at);
    s = step.state;
    return `${step.report === undefined ? '-' : step.report ? 'healthy' : 'unhealthy'}${step.kill ? '+kill' : ''}`;
  });
}

describe('nextHealth', () => {
  test('the first pass is reported; further passes are not', () => {
    assert.deepEqual(run([[true, 1000], [true, 2000]]), ['healthy', '-']);
  });

  test('failures inside the grace period before any pass are not counted or reported', () => {
    assert.deepEqual(run([[false, 1000], [false, 9000], [true, 9500]]), ['-', '-', 'healthy']);
  });

  test('after the grace period every failure counts and is reported; kill at the limit', () => {
    assert.deepEqual(run([[false, 11_000], [false, 12_000], [false, 13_000]]), ['unhealthy', 'unhealthy', 'unhealthy+kill']);
  });

  test('once passed, the grace period no longer shields failures; a pass resets the count', () => {
    assert.deepEqual(run([[true, 1000], [false, 2000], [false, 3000], [true, 4000], [false, 5000], [false, 6000], [false, 7000]]), [
      'healthy',
      'unhealthy',
      'unhealthy',
      'healthy',
      'unhealthy',
      'unhealthy',
      'unhealthy+kill',
    ]);
  });

  test('consecutiveFailures 0 never kills', () => {
    const out = run(
      Array.from({ length: 20 }, (_, i): [boolean, number] => [false, 20_000 + i * 1000]),
      { gracePeriodSeconds: 0, consecutiveFailures: 0 },
    );
    assert.equal(out[0], 'unhealthy');
    assert.ok(out.every((o) => !o.includes('kill')));
  });
});
