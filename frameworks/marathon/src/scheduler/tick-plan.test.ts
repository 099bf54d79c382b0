import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyGroup, parseApp, planDeployment, putApp, stampVersion, type AppDefinition, type HealthResult } from '../core';
import { planTick, type TaskSnapshot } from './tick-plan';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:01:00.000Z';
const NOW = Date.parse('2026-01-01T01:00:00.000Z');

function app(extra: Record<string, unknown> = {}, now = T0): AppDefinition {
  const r = parseApp({ id: '/web', cmd: 'serve', ...extra }, { now });
  assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
  return r.value;
}

function task(id: string, opts: { version?: string; state?: TaskSnapshot['view']['state']; healthy?: boolean; results?: (HealthResult | undefined)[]; unreachableSince?: number; startedAt?: number } = {}): TaskSnapshot {
  const state = opts.state ?? 'running';
  const startedAt = opts.startedAt ?? NOW - 3_600_000;
  return {
    view: { taskId: id, configVersion: opts.version ?? T0, state, healthy: opts.healthy ?? state === 'running', ready: true, startedAt },
    health: { taskId: id, running: state === 'running', starting: state === 'staging', unreachable: state === 'unreachable', killing: state === 'killing', startedAt, results: opts.results ?? [] },
    unreachableSince: opts.unreachableSince,
  };
}

test('steady state: an app short of instances wants the difference', () => {
  const a = app({ instances: 3 });
  const out = planTick({ now: NOW, apps: [a], deployments: [], tasksByApp: new Map([['/web', [task('w.1')]]]) });
  assert.equal(out.wanted.get('/web'), 2);
  assert.deepEqual(out.kills, []);
});

test('tasks of an app that no longer exists (and no deployment stops it) are killed', () => {
  const out = planTick({ now: NOW, apps: [], deployments: [], tasksByApp: new Map([['/gone', [task('g.1'), task('g.2')]]]) });
  assert.deepEqual(out.kills.map((k) => [k.taskId, k.reason]), [['g.1', 'orphan'], ['g.2', 'orphan']]);
});

test('rolling restart: new tasks start first; old ones go only once new ones are healthy', () => {
  const v1 = app({ instances: 2 });
  const v2 = stampVersion(app({ instances: 2, env: { V: '2' } }, T1), v1, T1);
  const plan = planDeployment(putApp(emptyGroup(), v1), putApp(emptyGroup(), v2), { id: 'd1', version: T1 });
  assert.ok(plan.ok);
  const deps = [{ plan: plan.plan, stepIndex: 0 }];
  let out = planTick({ now: NOW, apps: [v2], deployments: deps, tasksByApp: new Map([['/web', [task('o.1'), task('o.2')]]]) });
  assert.equal(out.wanted.get('/web'), 2, 'maximumOverCapacity 1: both new tasks at once');
  assert.deepEqual(out.kills, []);
  assert.equal(out.stepDone.get('d1'), false);
  out = planTick({
    now: NOW,
    apps: [v2],
    deployments: deps,
    tasksByApp: new Map([['/web', [task('o.1'), task('o.2'), task('n.1', { version: T1 }), task('n.2', { version: T1, state: 'staging' })]]]),
  });
  assert.equal(out.kills.length, 1, 'one new task healthy: one old task may go');
  assert.match(out.kills[0]?.taskId ?? '', /^o\./);
  assert.equal(out.kills[0]?.reason, 'upgrade');
  out = planTick({ now: NOW, apps: [v2], deployments: deps, tasksByApp: new Map([['/web', [task('n.1', { version: T1 }), task('n.2', { version: T1 })]]]) });
  assert.equal(out.stepDone.get('d1'), true);
});

test('apps of a later step are left alone until their step comes', () => {
  const db = { ...app({ instances: 1 }), id: '/db' };
  const web = app({ instances: 2, dependencies: ['/db'] });
  const plan = planDeployment(emptyGroup(), putApp(putApp(emptyGroup(), db), web), { id: 'd2', version: T0 });
  assert.ok(plan.ok);
  const out = planTick({ now: NOW, apps: [db, web], deployments: [{ plan: plan.plan, stepIndex: 1 }], tasksByApp: new Map() });
  assert.equal(out.wanted.get('/db'), 1);
  assert.equal(out.wanted.get('/web'), undefined, 'web waits for db');
});

test('a failing task that may not be killed yet gets a replacement first', () => {
  const a = app({ instances: 2, healthChecks: [{ protocol: 'HTTP', maxConsecutiveFailures: 3, gracePeriodSeconds: 1 }] });
  const ok: HealthResult = { alive: true, consecutiveFailures: 0, firstSuccess: NOW - 60_000 };
  const bad: HealthResult = { alive: false, consecutiveFailures: 5, firstSuccess: NOW - 60_000 };
  const out = planTick({
    now: NOW,
    apps: [a],
    deployments: [],
    tasksByApp: new Map([['/web', [task('w.1', { results: [ok] }), task('w.2', { healthy: false, results: [bad] })]]]),
  });
  assert.deepEqual(out.kills, [], 'minimumHealthCapacity 1: killing w.2 would go below 2 serving tasks');
  assert.equal(out.wanted.get('/web'), 1, 'a replacement starts first');
});

test('an unreachable task is replaced at once and expunged with the default strategy', () => {
  const a = app({ instances: 1 });
  const out = planTick({ now: NOW, apps: [a], deployments: [], tasksByApp: new Map([['/web', [task('w.1', { state: 'unreachable', unreachableSince: NOW - 1000 })]]]) });
  assert.deepEqual(out.expunge.map((e) => e.taskId), ['w.1']);
  assert.equal(out.wanted.get('/web'), 1);
});

test('after a restart, old tasks without health results yet are not killed as unhealthy', () => {
  const check = [{ protocol: 'HTTP', gracePeriodSeconds: 1 }];
  const v1 = app({ instances: 2, healthChecks: check });
  const v2 = stampVersion(app({ instances: 2, healthChecks: check, env: { V: '2' } }, T1), v1, T1);
  const plan = planDeployment(putApp(emptyGroup(), v1), putApp(emptyGroup(), v2), { id: 'd3', version: T1 });
  assert.ok(plan.ok);
  const unknown = (id: string): TaskSnapshot => ({ ...task(id, { healthy: false, results: [undefined] }), healthUnknown: true });
  const out = planTick({ now: NOW, apps: [v2], deployments: [{ plan: plan.plan, stepIndex: 0 }], tasksByApp: new Map([['/web', [unknown('o.1'), unknown('o.2')]]]) });
  assert.deepEqual(out.kills, []);
  assert.equal(out.wanted.get('/web'), 2);
});
