import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allApps, emptyGroup, findGroup, parseApp, putApp, removeApp, type AppDefinition } from '../core';
import { marathonKeys as K } from './kv-keys';
import { buildTree, groupRecord, treeOps } from './tree-state';

const NOW = '2026-01-01T00:00:00.000Z';
function app(id: string, extra: Record<string, unknown> = {}): AppDefinition {
  const r = parseApp({ id, cmd: 'sleep 1', ...extra }, { now: NOW });
  assert.ok(r.ok);
  return r.value;
}

test('a tree survives the round trip through group records and app keys', () => {
  let root = putApp(emptyGroup(), app('/prod/web'));
  root = putApp(root, app('/prod/db/main'));
  root = putApp(root, app('/top'));
  const groups = [root, ...root.groups, ...root.groups.flatMap((g) => g.groups)].map(groupRecord);
  const rebuilt = buildTree(groups, allApps(root));
  assert.deepEqual(rebuilt, root);
});

test('treeOps writes only what changed and deletes an app with its versions', () => {
  const before = putApp(putApp(emptyGroup(), app('/a')), app('/g/b'));
  const after = putApp(removeApp(before, '/a'), app('/g/b', { instances: 3 }));
  const ops = treeOps(before, after, (id) => (id === '/a' ? ['v1', 'v2'] : []));
  const keys = ops.map((o) => ('put' in o ? `put ${o.put}` : `del ${o.del}`));
  assert.ok(keys.includes(`put ${K.app('/g/b')}`));
  assert.ok(keys.includes(`del ${K.app('/a')}`));
  assert.ok(keys.includes(`del ${K.appVersion('/a', 'v1')}`));
  assert.ok(!keys.some((k) => k.includes('groups/g')), 'group /g is unchanged');
  assert.ok(findGroup(after, '/g'));
});
