import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { AppDefinition } from './app-definition';
import { parseApp } from './validate-app';
import { decideHealthKills, failedHealth, isHealthy, killThreshold, type TaskHealth } from './health-policy';

const NOW_ISO = '2024-05-01T10:00:00.000Z';
const T0 = Date.parse(NOW_ISO);
const MIN = 60_000;

function app(instances: number, min = 1, max = 1, extra: Record<string, unknown> = {}): AppDefinition {
  const r = parseApp(
    {
      id: 'web',
      cmd: 'x',
      instances,
      upgradeStrategy: { minimumHealthCapacity: min, maximumOverCapacity: max },
      healthChecks: [{ protocol: 'HTTP', gracePeriodSeconds: 60, maxConsecutiveFailures: 3 }],
      ...extra,
    },
    { now: NOW_ISO },
  );
  if (!r.ok) assert.fail(JSON.stringify(r.error));
  return r.value;
}

let n = 0;
const ok = (over: Partial<TaskHealth> = {}): TaskHealth => ({ taskId: `ok${++n}`, running: true, startedAt: T0 - 10 * MIN, results: [{ alive: true, consecutiveFailures: 0, firstSuccess: T0 - 9 * MIN }], ...over });
const failing = (failures = 3, over: Partial<TaskHealth> = {}): TaskHealth => ({
  taskId: `bad${++n}`,
  running: true,
  startedAt: T0 - 10 * MIN,
  results: [{ alive: false, consecutiveFailures: failures, firstSuccess: T0 - 9 * MIN }],
  ...over,
});
const now = T0;

describe('health basics', () => {
  test('thresholds: Marathon-level 0 never kills, Mesos-level 0 kills at once', () => {
    const base = app(1).healthChecks[0];
    assert.ok(base);
    assert.equal(killThreshold(base), 3);
    assert.equal(killThreshold({ ...base, maxConsecutiveFailures: 0 }), Infinity);
    assert.equal(killThreshold({ ...base, protocol: 'MESOS_HTTP', maxConsecutiveFailures: 0 }), 1);
  });
  test('grace period ignores failures until the first success', () => {
    const a = app(1);
    const young = failing(5, { startedAt: now - 30_000, results: [{ alive: false, consecutiveFailures: 5 }] });
    assert.equal(failedHealth(a, young, now), false);
    assert.equal(failedHealth(a, { ...young, results: [{ alive: false, consecutiveFailures: 5, firstSuccess: now - 20_000 }] }, now), true);
    assert.equal(failedHealth(a, { ...young, startedAt: now - 2 * MIN }, now), true);
  });
  test('healthy needs every check alive; no checks means running is enough', () => {
    assert.ok(isHealthy(app(1), ok()));
    assert.ok(!isHealthy(app(1), ok({ results: [undefined] })));
    assert.ok(isHealthy({ healthChecks: [] }, { taskId: 'x', running: true, startedAt: 0, results: [] }));
  });
});

describe('decideHealthKills', () => {
  test('{1, 1}: a failing task is replaced first, killed once the replacement is healthy', () => {
    const a = app(3);
    const bad = failing();
    const first = decideHealthKills(a, [ok(), ok(), bad], now);
    assert.deepEqual(first.kill, []);
    assert.equal(first.launchReplacements, 1);
    assert.deepEqual(first.spared, [{ taskId: bad.taskId, reason: 'capacity' }]);
    // Replacement still starting: no second launch.
    const starting: TaskHealth = { taskId: 'new', running: false, starting: true, startedAt: now, results: [undefined] };
    assert.equal(decideHealthKills(a, [ok(), ok(), bad, starting], now).launchReplacements, 0);
    // Replacement running but in its grace period: still no kill.
    const young: TaskHealth = { taskId: 'new', running: true, startedAt: now, results: [undefined] };
    assert.deepEqual(decideHealthKills(a, [ok(), ok(), bad, young], now).kill, []);
    // Replacement healthy: kill.
    assert.deepEqual(decideHealthKills(a, [ok(), ok(), bad, ok()], now).kill, [bad.taskId]);
  });
  test('{0.5, x}: kills right away while enough stay healthy', () => {
    const a = app(4, 0.5);
    const bad = failing();
    assert.deepEqual(decideHealthKills(a, [ok(), ok(), ok(), bad], now).kill, [bad.taskId]);
  });
  test('unreachable and grace-period tasks are never killed', () => {
    const a = app(2, 0, 0);
    const lost = failing(9, { unreachable: true });
    const young = failing(9, { startedAt: now - 10_000, results: [{ alive: false, consecutiveFailures: 9 }] });
    const d = decideHealthKills(a, [lost, young], now);
    assert.deepEqual(d.kill, []);
    assert.deepEqual(d.spared.map((s) => s.reason).sort(), ['grace-period', 'unreachable']);
  });
  test('a checker failing everything does not mass-kill: half at most, worst first', () => {
    const a = app(6, 0, 1);
    const tasks = [failing(3), failing(7), failing(4), failing(9), failing(5), failing(6)];
    const d = decideHealthKills(a, tasks, now);
    assert.equal(d.kill.length, 3);
    assert.deepEqual(d.kill, [tasks[3]?.taskId, tasks[1]?.taskId, tasks[5]?.taskId]);
    assert.ok(d.spared.some((s) => s.reason === 'rate-limit'));
  });
  test('fully broken app with {1, 1}: replacements within over-capacity first, then kills one by one', () => {
    const a = app(3);
    const d1 = decideHealthKills(a, [failing(), failing(), failing()], now);
    assert.deepEqual([d1.kill.length, d1.launchReplacements], [0, 3]);
    // One replacement up and failing too: one kill is now within capacity; two replacements still wanted, one is there.
    const d2 = decideHealthKills(a, [failing(), failing(), failing(), failing()], now);
    assert.deepEqual([d2.kill.length, d2.launchReplacements], [1, 2]);
  });
  test('over-capacity bounds the replacements', () => {
    const a = app(10, 1, 0.2);
    const tasks = [...Array.from({ length: 5 }, () => ok()), ...Array.from({ length: 5 }, () => failing())];
    assert.equal(decideHealthKills(a, tasks, now).launchReplacements, 2);
  });
  test('resident apps (no over-capacity) replace one at a time in place', () => {
    const a = app(2, 1, 0, { container: { type: 'MESOS', volumes: [{ containerPath: 'd', persistent: { size: 1 } }] } });
    const d = decideHealthKills(a, [ok(), failing()], now);
    assert.deepEqual([d.kill.length, d.launchReplacements], [1, 0]);
  });
  test('property: kills never take healthy + failing-but-alive below the floor, never touch unreachable or young tasks', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 10 }).map((x) => x / 10),
        fc.array(fc.record({ kind: fc.constantFrom('ok', 'bad', 'lost', 'young', 'starting'), failures: fc.integer({ min: 0, max: 6 }) }), { maxLength: 14 }),
        (instances, min, specs) => {
          const a = app(instances, min);
          const tasks: TaskHealth[] = specs.map((s) => {
            switch (s.kind) {
              case 'ok':
                return ok();
              case 'bad':
                return failing(s.failures);
              case 'lost':
                return failing(s.failures, { unreachable: true });
              case 'young':
                return failing(s.failures, { startedAt: now - 1000, results: [{ alive: false, consecutiveFailures: s.failures }] });
              default:
                return { taskId: `s${++n}`, running: false, starting: true, startedAt: now, results: [undefined] };
            }
          });
          const d = decideHealthKills(a, tasks, now);
          const floor = Math.ceil(instances * min - 1e-9);
          const healthy = tasks.filter((t) => isHealthy(a, t)).length;
          const candidates = tasks.filter((t) => !t.unreachable && t.running && failedHealth(a, t, now)).length;
          if (d.kill.length > 0) assert.ok(healthy + candidates - d.kill.length >= floor);
          for (const id of d.kill) {
            const t = tasks.find((x) => x.taskId === id);
            assert.ok(t && !t.unreachable && failedHealth(a, t, now));
          }
          assert.ok(d.kill.length <= Math.max(1, Math.floor(instances / 2)));
        },
      ),
    );
  });
});
