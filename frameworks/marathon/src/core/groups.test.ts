import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  allApps,
  appDependencies,
  dependencyLevels,
  emptyGroup,
  findApp,
  findGroup,
  groupUpdateKind,
  groupToJson,
  parseGroup,
  putApp,
  putGroup,
  removeApp,
  removeGroup,
  scaleGroup,
  validateTree,
  type Group,
} from './groups';
import { parseApp } from './validate-app';

const FIXTURES = join(__dirname, '../../../../../frameworks/marathon/src/core/fixtures');
const fixture = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
const NOW = '2024-05-01T10:00:00.000Z';

function shop(): Group {
  const r = parseGroup(fixture('group-with-deps.json'), { now: NOW });
  if (!r.ok) assert.fail(JSON.stringify(r.error));
  return putGroup(emptyGroup(), r.value);
}

describe('parseGroup', () => {
  test('nested groups with relative ids', () => {
    const root = shop();
    assert.deepEqual(allApps(root).map((a) => a.id).sort(), ['/shop/backend/api', '/shop/backend/db', '/shop/cron', '/shop/frontend/assets', '/shop/frontend/web']);
    assert.deepEqual(findGroup(root, '/shop/frontend')?.dependencies, ['/shop/backend']);
    assert.deepEqual(findApp(root, '/shop/backend/api')?.dependencies, ['/shop/backend/db']);
    assert.equal(findApp(root, 'shop/frontend/web')?.instances, 3);
  });
  test('errors carry nested paths; shape errors win', () => {
    const bad = parseGroup({ id: '/g', apps: [{ id: 'a', cmd: 'x', cpus: -1 }], groups: [{ id: '/other', apps: [] }] }, { now: NOW });
    assert.ok(!bad.ok);
    assert.equal(bad.error.message, 'Invalid JSON');
    assert.deepEqual(bad.error.details, [{ path: '/apps(0)/cpus', errors: ['error.min'] }]);
    const bad2 = parseGroup({ id: '/g', apps: [{ id: '/elsewhere/a', cmd: 'x' }], groups: [{ id: '/other' }] }, { now: NOW });
    assert.ok(!bad2.ok);
    assert.equal(bad2.error.message, 'Object is not valid');
    assert.ok(bad2.error.details.some((d) => d.path === '/apps(0)/id' && d.errors[0] === "Identifier is not child of '/g'"));
    assert.ok(bad2.error.details.some((d) => d.path === '/groups(0)/id'));
    const unknown = parseGroup({ id: '/g', appz: [] }, { now: NOW });
    assert.ok(!unknown.ok && unknown.error.details[0]?.path === '/appz');
  });
  test('duplicate ids are rejected', () => {
    const r = parseGroup({ id: '/g', apps: [{ id: 'a', cmd: 'x' }, { id: '/g/a', cmd: 'y' }] }, { now: NOW });
    assert.ok(!r.ok && /defined more than once/.test(r.error.details[0]?.errors[0] ?? ''));
  });
});

describe('dependencies', () => {
  test('group dependencies apply to every app inside and expand groups', () => {
    const root = shop();
    assert.deepEqual(appDependencies(root, '/shop/frontend/web'), ['/shop/backend/api', '/shop/backend/db']);
    assert.deepEqual(appDependencies(root, '/shop/cron'), ['/shop/frontend/web']);
    assert.deepEqual(appDependencies(root, '/shop/backend/db'), []);
  });
  test('levels follow the longest dependency chain', () => {
    const order = dependencyLevels(shop());
    assert.ok(order.ok);
    assert.deepEqual(order.levels, [['/shop/backend/db'], ['/shop/backend/api'], ['/shop/frontend/assets', '/shop/frontend/web'], ['/shop/cron']]);
  });
  test('a cycle is a 422-style failure naming the cycle', () => {
    const a = parseApp({ id: '/a', cmd: 'x', dependencies: ['/b'] }, { now: NOW });
    const b = parseApp({ id: '/b', cmd: 'x', dependencies: ['/a'] }, { now: NOW });
    assert.ok(a.ok && b.ok);
    const root = putApp(putApp(emptyGroup(), a.value), b.value);
    const f = validateTree(root);
    assert.equal(f?.message, 'Object is not valid');
    assert.match(f?.details[0]?.errors[0] ?? '', /cyclic dependencies: \/a -> \/b -> \/a/);
    assert.equal(validateTree(shop()), undefined);
  });
});

describe('tree edits', () => {
  test('putApp creates missing groups; removeApp and removeGroup', () => {
    const app = parseApp({ id: '/x/y/z', cmd: 'x' }, { now: NOW });
    assert.ok(app.ok);
    let root = putApp(emptyGroup(), app.value);
    assert.ok(findGroup(root, '/x/y'));
    assert.equal(findApp(root, '/x/y/z')?.id, '/x/y/z');
    root = putApp(root, { ...app.value, mem: 1 });
    assert.equal(allApps(root).length, 1);
    assert.equal(findApp(root, '/x/y/z')?.mem, 1);
    assert.equal(allApps(removeApp(root, '/x/y/z')).length, 0);
    assert.equal(findGroup(removeGroup(root, '/x'), '/x'), undefined);
    assert.equal(removeApp(root, '/nope'), root);
  });
  test('scaleBy multiplies every app below the group, rounding up', () => {
    const root = scaleGroup(shop(), '/shop/frontend', 1.5);
    assert.equal(findApp(root, '/shop/frontend/web')?.instances, 5);
    assert.equal(findApp(root, '/shop/frontend/assets')?.instances, 2);
    assert.equal(findApp(root, '/shop/backend/api')?.instances, 2);
  });
  test('GET shape', () => {
    const json = groupToJson(shop());
    assert.deepEqual(Object.keys(json), ['id', 'apps', 'groups', 'pods', 'dependencies', 'enforceRole']);
    const shopJson = (json['groups'] as Record<string, unknown>[])[0];
    assert.equal(shopJson?.['id'], '/shop');
    assert.equal(((shopJson?.['apps'] as Record<string, unknown>[])[0])?.['id'], '/shop/cron');
  });
});

describe('special group updates', () => {
  test('version alone rolls back, scaleBy alone scales, mixed is an error', () => {
    assert.deepEqual(groupUpdateKind({ version: NOW }), { kind: 'rollback', version: NOW });
    assert.deepEqual(groupUpdateKind({ id: '/g', scaleBy: 2 }), { kind: 'scale', factor: 2 });
    assert.deepEqual(groupUpdateKind({ id: '/g', apps: [] }), { kind: 'update' });
    assert.equal(groupUpdateKind({ version: NOW, apps: [] }).kind, 'invalid');
    assert.equal(groupUpdateKind({ scaleBy: -1 }).kind, 'invalid');
  });
});
