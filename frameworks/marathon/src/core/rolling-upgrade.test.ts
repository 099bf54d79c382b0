import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { InstanceView } from './instance-view';
import { restartBounds, restartDecision, type RestartInput } from './rolling-upgrade';

const OLD = 'v1';
const NEW = 'v2';
let seq = 0;
function task(configVersion: string, over: Partial<InstanceView> = {}): InstanceView {
  seq++;
  return { taskId: `t${seq}`, configVersion, state: 'running', healthy: true, ready: true, startedAt: seq, ...over };
}
function input(instances: number, min: number, max: number, tasks: InstanceView[]): RestartInput {
  return { instances, strategy: { minimumHealthCapacity: min, maximumOverCapacity: max }, targetConfigVersion: NEW, tasks, killSelection: 'YOUNGEST_FIRST' };
}

describe('restartBounds', () => {
  test('ceil for the minimum, floor for the maximum, no float crumbs', () => {
    assert.deepEqual(restartBounds(3, { minimumHealthCapacity: 0.5, maximumOverCapacity: 0.5 }), { minHealthy: 2, maxCapacity: 4 });
    assert.deepEqual(restartBounds(10, { minimumHealthCapacity: 0.3, maximumOverCapacity: 0.1 }), { minHealthy: 3, maxCapacity: 11 });
    assert.deepEqual(restartBounds(4, { minimumHealthCapacity: 1, maximumOverCapacity: 1 }, true), { minHealthy: 4, maxCapacity: 4 });
  });
});

describe('restartDecision', () => {
  test('default {1, 1}: start all new side by side, kill nothing yet', () => {
    const d = restartDecision(input(3, 1, 1, [task(OLD), task(OLD), task(OLD)]));
    assert.deepEqual(d, { start: 3, kill: [], done: false });
  });
  test('old tasks die only as new ones become healthy and ready', () => {
    const olds = [task(OLD), task(OLD), task(OLD)];
    const news = [task(NEW), task(NEW, { healthy: false }), task(NEW, { state: 'staging', healthy: false, ready: false })];
    const d = restartDecision(input(3, 1, 1, [...olds, ...news]));
    assert.equal(d.start, 0);
    assert.equal(d.kill.length, 1);
    const notReady = [task(NEW, { ready: false }), task(NEW, { ready: false }), task(NEW, { ready: false })];
    assert.equal(restartDecision(input(3, 1, 1, [...olds, ...notReady])).kill.length, 0, 'readiness gates the kills');
  });
  test('{0, 0}: kill all old first, then start', () => {
    const d = restartDecision(input(3, 0, 0, [task(OLD), task(OLD), task(OLD)]));
    assert.equal(d.kill.length, 3);
    assert.equal(d.start, 3);
  });
  test('{1, 0}: no room either way, so one extra task is allowed', () => {
    const d = restartDecision(input(3, 1, 0, [task(OLD), task(OLD), task(OLD)]));
    assert.deepEqual([d.start, d.kill.length], [1, 0]);
  });
  test('resident {1, 0}: one old task goes first instead', () => {
    const d = restartDecision({ ...input(3, 1, 0, [task(OLD), task(OLD), task(OLD)]), resident: true });
    assert.deepEqual([d.start, d.kill.length], [1, 1]);
  });
  test('{0.5, 0}: half may go at once', () => {
    const d = restartDecision(input(4, 0.5, 0, [task(OLD), task(OLD), task(OLD), task(OLD)]));
    assert.deepEqual([d.kill.length, d.start], [2, 2]);
  });
  test('unhealthy old tasks count for nothing and go first', () => {
    const sick = task(OLD, { healthy: false });
    const d = restartDecision(input(2, 1, 0, [task(OLD), sick]));
    assert.ok(d.kill.includes(sick.taskId));
    assert.equal(d.kill.length, 1);
    assert.equal(d.start, 1);
  });
  test('done once only healthy, ready new tasks remain', () => {
    assert.equal(restartDecision(input(2, 1, 1, [task(NEW), task(NEW)])).done, true);
    assert.equal(restartDecision(input(2, 1, 1, [task(NEW), task(NEW), task(OLD, { state: 'killing' })])).done, false, 'waits for the kill');
    assert.equal(restartDecision(input(2, 1, 1, [task(NEW), task(NEW, { healthy: false })])).done, false);
  });
  test('surplus new tasks from an earlier forced deployment are killed', () => {
    const d = restartDecision(input(2, 1, 1, [task(NEW), task(NEW), task(NEW)]));
    assert.equal(d.kill.length, 1);
  });
  test('scale to zero: everything old goes', () => {
    const d = restartDecision(input(0, 1, 1, [task(OLD), task(OLD)]));
    assert.deepEqual([d.kill.length, d.start], [2, 0]);
  });
});

/**
 * Simulation: each round applies the decision; started tasks become healthy a round later (or never, if
 * the new version is broken), killed tasks disappear. Invariants: healthy count never drops below the
 * minimum (when it was met before), task count stays within the maximum (+1 for the deadlock rule), and
 * a working version finishes.
 */
describe('restart simulation (property)', () => {
  test('capacity invariants hold and the rollout completes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 10 }).map((x) => x / 10),
        fc.integer({ min: 0, max: 10 }).map((x) => x / 10),
        fc.integer({ min: 0, max: 12 }),
        fc.boolean(),
        (instances, min, max, oldCount, resident) => {
          let tasks: InstanceView[] = Array.from({ length: oldCount }, () => task(OLD));
          const { minHealthy, maxCapacity } = restartBounds(instances, { minimumHealthCapacity: min, maximumOverCapacity: max }, resident);
          const floor = resident ? Math.max(0, minHealthy - 1) : minHealthy;
          for (let round = 0; round < 200; round++) {
            const d = restartDecision({ ...input(instances, min, max, tasks), resident });
            if (d.done) {
              assert.equal(tasks.length, instances);
              return;
            }
            const healthyBefore = tasks.filter((t) => t.healthy).length;
            tasks = tasks.filter((t) => !d.kill.includes(t.taskId));
            const healthyAfter = tasks.filter((t) => t.healthy).length;
            assert.ok(healthyAfter >= Math.min(floor, healthyBefore), `round ${round}: ${healthyAfter} healthy < ${floor}`);
            for (let i = 0; i < d.start; i++) tasks.push(task(NEW, { state: 'staging', healthy: false, ready: false }));
            assert.ok(tasks.length <= Math.max(maxCapacity + 1, oldCount), `round ${round}: ${tasks.length} tasks > ${maxCapacity} + 1`);
            // Tasks started this round are healthy and ready by the next one.
            tasks = tasks.map((t) => (t.configVersion === NEW ? { ...t, state: 'running', healthy: true, ready: true } : t));
          }
          assert.fail(`did not finish: ${instances} ${min} ${max} ${oldCount}`);
        },
      ),
    );
  });
  test('a broken new version never costs healthy old capacity below the minimum', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 0, max: 10 }).map((x) => x / 10), fc.integer({ min: 0, max: 10 }).map((x) => x / 10), (n, min, max) => {
        let tasks: InstanceView[] = Array.from({ length: n }, () => task(OLD));
        const { minHealthy } = restartBounds(n, { minimumHealthCapacity: min, maximumOverCapacity: max });
        for (let round = 0; round < 50; round++) {
          const d = restartDecision(input(n, min, max, tasks));
          tasks = tasks.filter((t) => !d.kill.includes(t.taskId));
          for (let i = 0; i < d.start; i++) tasks.push(task(NEW, { healthy: false, ready: false }));
          assert.ok(tasks.filter((t) => t.configVersion === OLD).length >= minHealthy);
        }
      }),
    );
  });
});
