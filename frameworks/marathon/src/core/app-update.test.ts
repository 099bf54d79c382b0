import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyAppUpdate, mergePatch, rollbackVersionOf } from './app-update';
import { appToJson, type AppDefinition } from './app-definition';
import { parseApp } from './validate-app';

const NOW = '2024-05-01T10:00:00.000Z';
const LATER = '2024-05-01T11:00:00.000Z';

function app(raw: Record<string, unknown>): AppDefinition {
  const r = parseApp(raw, { now: NOW });
  if (!r.ok) assert.fail(JSON.stringify(r.error));
  return r.value;
}

describe('PATCH / partial PUT', () => {
  const current = app({ id: '/web', cmd: 'serve', mem: 256, instances: 2, env: { A: '1', B: '2' }, labels: { x: 'y' } });

  test('replaces only the given top-level fields', () => {
    const r = applyAppUpdate(current, { instances: 5, env: { C: '3' } }, { id: '/web', now: LATER, partial: true, allowCreate: false });
    assert.equal(r.kind, 'update');
    if (r.kind !== 'update') return;
    assert.equal(r.app.instances, 5);
    assert.deepEqual(r.app.env, { C: '3' });
    assert.equal(r.app.mem, 256);
    assert.deepEqual(r.app.labels, { x: 'y' });
    assert.equal(r.app.cmd, 'serve');
  });
  test('null means not given', () => {
    const r = applyAppUpdate(current, { mem: null, cpus: 0.5 }, { id: '/web', now: LATER, partial: true, allowCreate: false });
    assert.ok(r.kind === 'update' && r.app.mem === 256 && r.app.cpus === 0.5);
  });
  test('args replaces cmd and vice versa', () => {
    const r = applyAppUpdate(current, { args: ['serve', '--port', '1'] }, { id: '/web', now: LATER, partial: true, allowCreate: false });
    assert.ok(r.kind === 'update' && r.app.cmd === undefined && r.app.args?.length === 3);
  });
  test('PATCH of a missing app is not found; PUT creates it', () => {
    assert.equal(applyAppUpdate(undefined, { cmd: 'x' }, { id: '/new', now: LATER, partial: true, allowCreate: false }).kind, 'not-found');
    const r = applyAppUpdate(undefined, { cmd: 'x' }, { id: '/new', now: LATER, partial: true, allowCreate: true });
    assert.ok(r.kind === 'create' && r.app.id === '/new' && r.app.mem === 128);
  });
  test('a merged result is validated again', () => {
    const r = applyAppUpdate(current, { cpus: -1 }, { id: '/web', now: LATER, partial: true, allowCreate: false });
    assert.ok(r.kind === 'invalid' && r.error.details.some((d) => d.path === '/cpus'));
  });
  test('full replacement (partialUpdate=false) drops fields not given', () => {
    const r = applyAppUpdate(current, { cmd: 'other' }, { id: '/web', now: LATER, partial: false, allowCreate: true });
    assert.ok(r.kind === 'update' && r.app.mem === 128 && r.app.instances === 1 && Object.keys(r.app.env).length === 0);
  });
  test('switching to bridge networking drops the host port definitions', () => {
    const merged = mergePatch(appToJson(current), { networks: [{ mode: 'container/bridge' }], container: { docker: { image: 'i' } } });
    assert.equal('portDefinitions' in merged, false);
  });
});

describe('rollback', () => {
  test('a body with only version (and id) is a rollback', () => {
    assert.deepEqual(rollbackVersionOf({ version: NOW }), { version: NOW });
    assert.deepEqual(rollbackVersionOf({ id: '/web', version: NOW }), { version: NOW });
    assert.equal(rollbackVersionOf({ cmd: 'x' }), undefined);
    const current = app({ id: '/web', cmd: 'x' });
    assert.deepEqual(applyAppUpdate(current, { version: NOW }, { id: '/web', now: LATER, partial: true, allowCreate: true }), { kind: 'rollback', version: NOW });
  });
  test('version next to other fields is rejected', () => {
    const r = applyAppUpdate(app({ id: '/web', cmd: 'x' }), { version: NOW, cmd: 'y' }, { id: '/web', now: LATER, partial: true, allowCreate: true });
    assert.ok(r.kind === 'invalid');
    assert.deepEqual(r.error.details, [{ path: '/', errors: ["The 'version' field may only be combined with the 'id' field."] }]);
  });
  test('rollback of a missing app is not found', () => {
    assert.equal(applyAppUpdate(undefined, { version: NOW }, { id: '/x', now: LATER, partial: true, allowCreate: true }).kind, 'not-found');
  });
});
