import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppDefinition } from './app-definition';
import { parseApp } from './validate-app';
import { assignServicePorts, keepServicePorts, servicePortsOf } from './service-ports';

const NOW = '2024-05-01T10:00:00.000Z';
function app(raw: unknown): AppDefinition {
  const r = parseApp(raw, { now: NOW });
  if (!r.ok) assert.fail(JSON.stringify(r.error));
  return r.value;
}

describe('service ports', () => {
  test('0 gets the lowest free port of 10000-20000; fixed ports stay', () => {
    const a = app({ id: 'a', cmd: 'x', portDefinitions: [{ port: 0 }, { port: 10001 }, { port: 0 }] });
    const r = assignServicePorts(a, new Set([10000]));
    assert.ok(r.ok);
    assert.deepEqual(servicePortsOf(r.app), [10002, 10001, 10003]);
  });
  test('bridge mappings get service ports too; exhaustion is reported', () => {
    const a = app({ id: 'a', container: { docker: { image: 'i', network: 'BRIDGE', portMappings: [{ containerPort: 80 }] } } });
    const r = assignServicePorts(a, new Set());
    assert.ok(r.ok && servicePortsOf(r.app)[0] === 10000);
    const full = assignServicePorts(a, new Set([5]), { begin: 5, end: 5 });
    assert.ok(!full.ok);
  });
  test('an update that still says 0 keeps the ports it had', () => {
    const prev = app({ id: 'a', cmd: 'x', portDefinitions: [{ port: 10007 }] });
    const next = app({ id: 'a', cmd: 'y', portDefinitions: [{ port: 0 }, { port: 0 }] });
    assert.deepEqual(servicePortsOf(keepServicePorts(next, prev)), [10007, 0]);
  });
});
