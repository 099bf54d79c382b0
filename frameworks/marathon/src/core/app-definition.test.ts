import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appToJson, isOnlyScaleChange, requestedHostPorts, restartVersion, sameConfig, stampVersion, type AppDefinition } from './app-definition';
import { parseApp } from './validate-app';

const FIXTURES = join(__dirname, '../../../../../frameworks/marathon/src/core/fixtures');
const fixture = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
const NOW = '2024-05-01T10:00:00.000Z';
const LATER = '2024-05-01T11:00:00.000Z';

function parse(raw: unknown, now = NOW): AppDefinition {
  const r = parseApp(raw, { now });
  if (!r.ok) assert.fail(JSON.stringify(r.error));
  return r.value;
}

describe('defaults', () => {
  test('a minimal app gets Marathon defaults', () => {
    const app = parse({ id: 'minimal', cmd: 'sleep 1' });
    assert.equal(app.id, '/minimal');
    assert.equal(app.cpus, 1);
    assert.equal(app.mem, 128);
    assert.equal(app.disk, 0);
    assert.equal(app.gpus, 0);
    assert.equal(app.instances, 1);
    assert.deepEqual(app.portDefinitions, [{ port: 0, protocol: 'tcp' }]);
    assert.equal(app.requirePorts, false);
    assert.equal(app.backoffSeconds, 1);
    assert.equal(app.backoffFactor, 1.15);
    assert.equal(app.maxLaunchDelaySeconds, 300);
    assert.deepEqual(app.upgradeStrategy, { minimumHealthCapacity: 1, maximumOverCapacity: 1 });
    assert.equal(app.killSelection, 'YOUNGEST_FIRST');
    assert.deepEqual(app.unreachableStrategy, { inactiveAfterSeconds: 0, expungeAfterSeconds: 0 });
    assert.deepEqual(app.networks, [{ mode: 'host' }]);
    assert.equal(app.taskKillGracePeriodSeconds, undefined);
    assert.equal(app.executor, '');
    assert.deepEqual([app.env, app.labels, app.constraints, app.healthChecks, app.dependencies, app.fetch], [{}, {}, [], [], [], []]);
    assert.equal(app.version, NOW);
    assert.deepEqual(app.versionInfo, { lastScalingAt: NOW, lastConfigChangeAt: NOW });
  });
  test('explicit empty portDefinitions means no port; deprecated ports and uris are folded', () => {
    assert.deepEqual(parse({ id: 'a', cmd: 'x', portDefinitions: [] }).portDefinitions, []);
    const app = parse({ id: 'a', cmd: 'x', ports: [8080, 0], uris: ['http://example.com/a.tgz'] });
    assert.deepEqual(app.portDefinitions, [{ port: 8080, protocol: 'tcp' }, { port: 0, protocol: 'tcp' }]);
    assert.deepEqual(app.fetch, [{ uri: 'http://example.com/a.tgz', extract: true, executable: false, cache: false }]);
  });
  test('nulls count as absent', () => {
    const app = parse({ id: 'a', cmd: 'x', container: null, user: null, constraints: null, upgradeStrategy: null, env: null });
    assert.equal(app.container, undefined);
    assert.deepEqual(app.constraints, []);
  });
  test('resident apps default to {0.5, 0} and unreachable disabled', () => {
    const app = parse({
      id: 'db',
      cmd: 'x',
      container: { type: 'MESOS', volumes: [{ containerPath: 'data', mode: 'RW', persistent: { size: 100 } }] },
    });
    assert.deepEqual(app.upgradeStrategy, { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 });
    assert.equal(app.unreachableStrategy, 'disabled');
  });
  test('a progress deadline defaults to rolling back', () => {
    const app = parse({ id: 'a', cmd: 'x', upgradeStrategy: { progressDeadlineSeconds: 600 } });
    assert.deepEqual(app.upgradeStrategy, { minimumHealthCapacity: 1, maximumOverCapacity: 1, progressDeadlineSeconds: 600, rollbackOnDeadline: true });
  });
});

describe('fixtures', () => {
  test('web app with an HTTP health check on portIndex 0', () => {
    const app = parse(fixture('web-app.json'));
    assert.equal(app.id, '/prod/web');
    assert.deepEqual(app.dependencies, ['/prod/api']);
    assert.deepEqual(app.constraints, [['hostname', 'UNIQUE']]);
    assert.deepEqual(app.portDefinitions, [{ port: 0, protocol: 'tcp', name: 'http' }]);
    const [hc] = app.healthChecks;
    assert.ok(hc);
    assert.equal(hc.protocol, 'HTTP');
    assert.equal(hc.portIndex, 0);
    assert.equal(hc.path, '/');
    assert.equal(hc.gracePeriodSeconds, 30);
    assert.equal(hc.delaySeconds, 15);
    assert.equal(hc.ignoreHttp1xx, false);
    assert.deepEqual(requestedHostPorts(app), [0]);
  });
  test('legacy Docker bridge networking becomes networks + container.portMappings', () => {
    const app = parse(fixture('docker-bridge-legacy.json'));
    assert.deepEqual(app.networks, [{ mode: 'container/bridge' }]);
    assert.deepEqual(app.portDefinitions, []);
    assert.deepEqual(app.container?.portMappings, [
      { containerPort: 80, hostPort: 0, servicePort: 0, protocol: 'tcp', name: 'http' },
      { containerPort: 443, hostPort: 0, servicePort: 0, protocol: 'tcp', name: 'https' },
    ]);
    assert.equal(app.container?.type, 'DOCKER');
    assert.equal(app.container?.docker?.image, 'nginx:1.25');
    assert.deepEqual(app.container?.volumes, [{ containerPath: '/etc/nginx/conf.d', hostPath: '/srv/nginx', mode: 'RO' }]);
    assert.equal(app.healthChecks[0]?.protocol, 'MESOS_HTTP');
    assert.equal(app.readinessChecks[0]?.portName, 'http');
    assert.deepEqual(app.readinessChecks[0]?.httpStatusCodesForReady, [200]);
    assert.deepEqual(requestedHostPorts(app), [0, 0]);
  });
  test('modern Docker form with args and a default-less mapping', () => {
    const app = parse(fixture('docker-networks.json'));
    assert.deepEqual(app.args, ['--listen', ':8080']);
    assert.equal(app.cmd, undefined);
    assert.deepEqual(app.container?.portMappings, [{ containerPort: 8080, hostPort: 0, servicePort: 0, protocol: 'tcp', name: 'http' }]);
    assert.equal(app.container?.docker?.forcePullImage, false);
  });
  test('GET shape round-trips: parse(appToJson(app)) is the same definition', () => {
    for (const name of ['web-app.json', 'docker-bridge-legacy.json', 'docker-networks.json']) {
      const app = parse(fixture(name));
      const json = appToJson(app);
      const again = parse(JSON.parse(JSON.stringify({ ...json, version: undefined, versionInfo: undefined })), LATER);
      assert.ok(sameConfig(app, again), name);
      assert.equal(again.instances, app.instances);
    }
  });
  test('GET shape carries Marathon field names', () => {
    const json = appToJson(parse(fixture('web-app.json')));
    for (const k of ['id', 'cmd', 'cpus', 'mem', 'disk', 'instances', 'portDefinitions', 'requirePorts', 'healthChecks', 'upgradeStrategy', 'backoffFactor', 'backoffSeconds', 'maxLaunchDelaySeconds', 'version', 'versionInfo', 'killSelection', 'unreachableStrategy', 'networks', 'role']) {
      assert.ok(k in json, k);
    }
    assert.equal(json['container'], null);
    assert.equal('args' in json, false);
  });
});

describe('versions', () => {
  test('a scale-only change keeps lastConfigChangeAt; a config change or restart moves it', () => {
    const v1 = parse({ id: 'a', cmd: 'x' });
    const scaled = stampVersion({ ...v1, instances: 5 }, v1, LATER);
    assert.deepEqual(scaled.versionInfo, { lastScalingAt: LATER, lastConfigChangeAt: NOW });
    assert.ok(isOnlyScaleChange(v1, scaled));
    const changed = stampVersion({ ...v1, mem: 256 }, v1, LATER);
    assert.equal(changed.versionInfo.lastConfigChangeAt, LATER);
    assert.ok(!isOnlyScaleChange(v1, changed));
    const restarted = restartVersion(v1, LATER);
    assert.ok(sameConfig(v1, restarted));
    assert.ok(!isOnlyScaleChange(v1, restarted));
  });
  test('role * and no role are the same config', () => {
    const a = parse({ id: 'a', cmd: 'x' });
    const b = parse({ id: 'a', cmd: 'x', role: '*' });
    assert.ok(sameConfig(a, b));
  });
});
