import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ancestorIds,
  appIdOfTaskId,
  canonicalId,
  idErrors,
  isInside,
  makeTaskId,
  mesosTaskName,
  parentId,
  parseAppRoute,
  relativeId,
  safeAppId,
} from './app-id';

describe('canonicalId', () => {
  test('every spelling of an id lands on the same canonical form', () => {
    for (const raw of ['prod/web', '/prod/web', '//prod/web', '/prod/web/', '%2Fprod%2Fweb', 'prod%2Fweb', ' /prod//web ']) {
      assert.equal(canonicalId(raw), '/prod/web', raw);
    }
  });
  test('relative ids resolve against a group, with . and ..', () => {
    assert.equal(canonicalId('db', '/prod/backend'), '/prod/backend/db');
    assert.equal(canonicalId('../frontend/web', '/prod/backend'), '/prod/frontend/web');
    assert.equal(canonicalId('./x', '/a'), '/a/x');
    assert.equal(canonicalId('../../../x', '/a'), '/x');
    assert.equal(canonicalId('/abs', '/a'), '/abs');
  });
  test('root', () => {
    assert.equal(canonicalId('/'), '/');
    assert.equal(canonicalId(''), '/');
  });
  test('a malformed escape is kept as text (and then fails validation)', () => {
    assert.equal(canonicalId('%zz'), '/%zz');
    assert.ok(idErrors('%zz').length > 0);
  });
  test('canonical ids are idempotent (property)', () => {
    const seg = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/);
    fc.assert(
      fc.property(fc.array(seg, { minLength: 1, maxLength: 5 }), fc.boolean(), (segs, lead) => {
        const raw = (lead ? '/' : '') + segs.join('/');
        const c = canonicalId(raw);
        assert.equal(canonicalId(c), c);
        assert.equal(canonicalId(encodeURIComponent(c)), c);
        assert.equal(c, '/' + segs.join('/'));
      }),
    );
  });
});

describe('id validation', () => {
  test('valid ids', () => {
    for (const id of ['/prod/web', 'web', '/a-b/c.d/e1', '/0']) assert.deepEqual(idErrors(id), [], id);
  });
  test('invalid characters, uppercase, leading or trailing hyphen', () => {
    for (const id of ['/Prod/web', '/prod/web_1', '/-web', '/web-', '/we b', '/a..b']) assert.ok(idErrors(id).some((e) => e.startsWith('must fully match')), id);
  });
  test('reserved last segments collide with routes', () => {
    for (const id of ['/prod/tasks', '/restart', '/x/versions']) assert.ok(idErrors(id).some((e) => e.includes('reserved keywords')), id);
    assert.deepEqual(idErrors('/tasks/web'), []);
  });
  test('empty', () => {
    assert.deepEqual(idErrors('/'), ['Path must contain at least one path element']);
  });
});

describe('tree helpers', () => {
  test('parents and ancestors', () => {
    assert.equal(parentId('/prod/web'), '/prod');
    assert.equal(parentId('/web'), '/');
    assert.deepEqual(ancestorIds('/a/b/c'), ['/a/b', '/a', '/']);
    assert.ok(isInside('/a/b', '/a'));
    assert.ok(isInside('/a/b', '/'));
    assert.ok(!isInside('/a', '/a'));
    assert.ok(!isInside('/ab/c', '/a'));
    assert.equal(relativeId('/a/b/c', '/a'), 'b/c');
    assert.equal(relativeId('/x/y', '/a'), '/x/y');
  });
});

describe('names derived from ids', () => {
  test('Mesos-DNS task name reverses the path', () => {
    assert.equal(mesosTaskName('/prod/web'), 'web.prod');
    assert.equal(mesosTaskName('/web'), 'web');
    assert.equal(mesosTaskName('/a/b/c'), 'c.b.a');
  });
  test('task ids are <segments joined by _>.<uuid> and give the app back', () => {
    const id = makeTaskId('/prod/web.v2', '0b4c1a2e-5f00-4c21-9d8e-0123456789ab');
    assert.equal(id, 'prod_web.v2.0b4c1a2e-5f00-4c21-9d8e-0123456789ab');
    assert.equal(appIdOfTaskId(id), '/prod/web.v2');
    assert.equal(safeAppId('/web'), 'web');
    assert.equal(appIdOfTaskId('nodot'), undefined);
  });
});

describe('parseAppRoute', () => {
  test('sub-resources are found from the end of the path', () => {
    assert.deepEqual(parseAppRoute('/prod/web'), { kind: 'app', appId: '/prod/web' });
    assert.deepEqual(parseAppRoute('prod/web/restart'), { kind: 'restart', appId: '/prod/web' });
    assert.deepEqual(parseAppRoute('/prod/web/tasks'), { kind: 'tasks', appId: '/prod/web' });
    assert.deepEqual(parseAppRoute('/prod/web/tasks/prod_web.abc'), { kind: 'tasks', appId: '/prod/web', taskId: 'prod_web.abc' });
    assert.deepEqual(parseAppRoute('/prod/web/versions'), { kind: 'versions', appId: '/prod/web' });
    assert.deepEqual(parseAppRoute('/prod/web/versions/2024-01-02T03:04:05.678Z'), { kind: 'versions', appId: '/prod/web', version: '2024-01-02T03:04:05.678Z' });
    assert.deepEqual(parseAppRoute('/%2Fprod%2Fweb/restart'), { kind: 'restart', appId: '/prod/web' });
    assert.deepEqual(parseAppRoute('//prod//web'), { kind: 'app', appId: '/prod/web' });
  });
  test('an app named like a sub-resource under a group is still reachable as a group member', () => {
    assert.deepEqual(parseAppRoute('/tasks/web'), { kind: 'app', appId: '/tasks/web' });
  });
});
