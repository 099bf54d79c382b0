import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { countsAsFailure, delayForFailures, launchAllowed, NO_BACKOFF, queueDelay, recordFailure, refresh, shouldReset } from './backoff';

const app = { backoffSeconds: 1, backoffFactor: 1.15, maxLaunchDelaySeconds: 300 };
const T = 1_700_000_000_000;

describe('backoff', () => {
  test('delay grows by the factor and is capped', () => {
    assert.equal(delayForFailures(app, 0), 0);
    assert.equal(delayForFailures(app, 1), 1);
    assert.ok(Math.abs(delayForFailures(app, 2) - 1.15) < 1e-9);
    assert.ok(Math.abs(delayForFailures(app, 3) - 1.3225) < 1e-9);
    assert.equal(delayForFailures(app, 100), 300);
    assert.equal(delayForFailures({ backoffSeconds: 10, backoffFactor: 2, maxLaunchDelaySeconds: 60 }, 4), 60);
  });
  test('which terminal states count', () => {
    assert.ok(countsAsFailure({ state: 'TASK_FAILED' }));
    assert.ok(countsAsFailure({ state: 'TASK_FINISHED' }));
    assert.ok(countsAsFailure({ state: 'TASK_KILLED', healthKill: true }));
    assert.ok(!countsAsFailure({ state: 'TASK_KILLED' }));
    assert.ok(!countsAsFailure({ state: 'TASK_LOST' }));
  });
  test('recording failures delays launches; the queue shows time left, then overdue', () => {
    let s = recordFailure(NO_BACKOFF, { ...app, backoffSeconds: 10 }, T);
    s = recordFailure(s, { ...app, backoffSeconds: 10 }, T + 1000);
    assert.equal(s.failures, 2);
    assert.equal(s.delaySeconds, 11.5);
    assert.ok(!launchAllowed(s, T + 2000));
    assert.deepEqual(queueDelay(s, T + 2000), { timeLeftSeconds: 11, overdue: false });
    assert.ok(launchAllowed(s, T + 12_500));
    assert.deepEqual(queueDelay(s, T + 12_500), { timeLeftSeconds: 0, overdue: true });
    assert.deepEqual(queueDelay(NO_BACKOFF, T), { timeLeftSeconds: 0, overdue: true });
  });
  test('a quiet period of delay + maxLaunchDelay resets', () => {
    const s = recordFailure(recordFailure(NO_BACKOFF, app, T), app, T);
    assert.ok(!shouldReset(s, app, T + 300_000));
    assert.ok(shouldReset(s, app, T + 301_150));
    assert.deepEqual(refresh(s, app, T + 400_000), NO_BACKOFF);
    assert.equal(recordFailure(s, app, T + 400_000).failures, 1);
  });
  test('property: delay is monotone in failures and within [backoffSeconds, max]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 100, max: 300 }).map((x) => x / 100), fc.integer({ min: 0, max: 3600 }), fc.integer({ min: 1, max: 60 }), (b, f, max, k) => {
        const p = { backoffSeconds: b, backoffFactor: f, maxLaunchDelaySeconds: max };
        const d1 = delayForFailures(p, k);
        const d2 = delayForFailures(p, k + 1);
        assert.ok(d2 >= d1);
        assert.ok(d1 <= max);
        assert.ok(d1 >= Math.min(b, max));
      }),
    );
  });
});
