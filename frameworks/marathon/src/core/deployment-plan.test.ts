import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { restartVersion, stampVersion, type AppDefinition } from './app-definition';
import { conflictingApps, deploymentToJson, planDeployment, rollbackTarget, type DeploymentPlan } from './deployment-plan';
import { emptyGroup, findApp, parseGroup, putApp, putGroup, removeApp, type Group } from './groups';
import { parseApp } from './validate-app';

const FIXTURES = join(__dirname, '../../../../../frameworks/marathon/src/core/fixtures');
const NOW = '2024-05-01T10:00:00.000Z';
const LATER = '2024-05-01T11:00:00.000Z';

function shop(): Group {
  const r = parseGroup(JSON.parse(readFileSync(join(FIXTURES, 'group-with-deps.json'), 'utf8')), { now: NOW });
  if (!r.ok) assert.fail(JSON.stringify(r.error));
  return putGroup(emptyGroup(), r.value);
}
function app(raw: unknown): AppDefinition {
  const r = parseApp(raw, { now: NOW });
  if (!r.ok) assert.fail(JSON.stringify(r.error));
  return r.value;
}
function plan(a: Group, b: Group, toKill?: Record<string, string[]>): DeploymentPlan {
  const r = planDeployment(a, b, { id: 'd1', version: LATER, toKill });
  if (!r.ok) assert.fail(JSON.stringify(r.error));
  return r.plan;
}
const shape = (p: DeploymentPlan): string[][] => p.steps.map((s) => s.actions.map((a) => `${a.action} ${a.app}${a.instances !== undefined ? ` ${a.instances}` : ''}`));

describe('planDeployment', () => {
  test('a new group: register all, then scale level by level, dependencies first', () => {
    const p = plan(emptyGroup(), shop());
    assert.deepEqual(shape(p), [
      ['StartApplication /shop/backend/api', 'StartApplication /shop/backend/db', 'StartApplication /shop/cron', 'StartApplication /shop/frontend/assets', 'StartApplication /shop/frontend/web'],
      ['ScaleApplication /shop/backend/db 1'],
      ['ScaleApplication /shop/backend/api 2'],
      ['ScaleApplication /shop/frontend/assets 1', 'ScaleApplication /shop/frontend/web 3'],
      ['ScaleApplication /shop/cron 1'],
    ]);
    assert.equal(p.affectedApps.length, 5);
  });
  test('scale-only change is a ScaleApplication, a config change a RestartApplication', () => {
    const before = shop();
    const web = findApp(before, '/shop/frontend/web') as AppDefinition;
    const api = findApp(before, '/shop/backend/api') as AppDefinition;
    const after = putApp(putApp(before, stampVersion({ ...web, instances: 6 }, web, LATER)), stampVersion({ ...api, mem: 999 }, api, LATER));
    const p = plan(before, after);
    assert.deepEqual(shape(p), [['RestartApplication /shop/backend/api'], ['ScaleApplication /shop/frontend/web 6']]);
    assert.deepEqual(p.affectedApps, ['/shop/backend/api', '/shop/frontend/web']);
    assert.equal(p.original['/shop/backend/api']?.mem, 64);
    assert.equal(p.target['/shop/backend/api']?.mem, 999);
  });
  test('a restart (same config, new lastConfigChangeAt) replaces tasks; scaling to 0 is a scale', () => {
    const a = app({ id: '/a', cmd: 'x', instances: 2 });
    const root = putApp(emptyGroup(), a);
    assert.deepEqual(shape(plan(root, putApp(root, restartVersion(a, LATER)))), [['RestartApplication /a']]);
    assert.deepEqual(shape(plan(root, putApp(root, { ...a, instances: 0, mem: 1 }))), [['ScaleApplication /a 0']]);
  });
  test('removed apps are stopped first', () => {
    const before = shop();
    const p = plan(before, removeApp(before, '/shop/cron'));
    assert.deepEqual(shape(p), [['StopApplication /shop/cron']]);
  });
  test('unchanged tree: no steps', () => {
    assert.deepEqual(plan(shop(), shop()).steps, []);
  });
  test('tasks to kill ride on the scale action', () => {
    const a = app({ id: '/a', cmd: 'x', instances: 3 });
    const root = putApp(emptyGroup(), a);
    const p = plan(root, putApp(root, stampVersion({ ...a, instances: 2 }, a, LATER)), { '/a': ['a.t1'] });
    assert.deepEqual(p.steps[0]?.actions, [{ action: 'ScaleApplication', app: '/a', instances: 2, killTaskIds: ['a.t1'] }]);
  });
  test('cycles are refused', () => {
    const root = putApp(putApp(emptyGroup(), app({ id: '/a', cmd: 'x', dependencies: ['/b'] })), app({ id: '/b', cmd: 'x', dependencies: ['/a'] }));
    const r = planDeployment(emptyGroup(), root, { id: 'd', version: LATER });
    assert.ok(!r.ok && r.error.message === 'Object is not valid');
  });
});

describe('deployment JSON and rollback', () => {
  test('/v2/deployments shape', () => {
    const p = plan(emptyGroup(), putApp(emptyGroup(), app({ id: '/a', cmd: 'x' })));
    const json = deploymentToJson(p, { stepIndex: 1, waitingReasons: { '/a': 'needs mem 128, largest offer 64' } });
    assert.deepEqual(json, {
      id: 'd1',
      version: LATER,
      affectedApps: ['/a'],
      affectedPods: [],
      steps: [{ actions: [{ action: 'StartApplication', app: '/a' }] }, { actions: [{ action: 'ScaleApplication', app: '/a' }] }],
      currentActions: [{ action: 'ScaleApplication', app: '/a', readinessCheckResults: [], waitingReason: 'needs mem 128, largest offer 64' }],
      currentStep: 2,
      totalSteps: 2,
    });
  });
  test('rolling back restores the original definitions and removes new apps', () => {
    const before = shop();
    const web = findApp(before, '/shop/frontend/web') as AppDefinition;
    const after = putApp(putApp(before, stampVersion({ ...web, cmd: 'broken' }, web, LATER)), app({ id: '/shop/new', cmd: 'x' }));
    const p = plan(before, after);
    const back = rollbackTarget(after, p);
    assert.equal(findApp(back, '/shop/frontend/web')?.cmd, 'sleep 3600');
    assert.equal(findApp(back, '/shop/new'), undefined);
    assert.deepEqual(shape(plan(after, back)), [['StopApplication /shop/new'], ['RestartApplication /shop/frontend/web']]);
  });
  test('conflicting deployments share apps', () => {
    assert.deepEqual(conflictingApps({ affectedApps: ['/a', '/b'] }, { affectedApps: ['/b', '/c'] }), ['/b']);
  });
});
