import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseApp } from './validate-app';
import type { ValidationFailure } from './validation-error';

const NOW = '2024-05-01T10:00:00.000Z';

function errorsOf(raw: unknown, opts: { id?: string } = {}): ValidationFailure {
  const r = parseApp(raw, { now: NOW, ...opts });
  if (r.ok) assert.fail('expected a validation failure');
  return r.error;
}

function has(f: ValidationFailure, path: string, error: string | RegExp): void {
  const d = f.details.find((x) => x.path === path);
  assert.ok(d, `no detail for ${path} in ${JSON.stringify(f)}`);
  assert.ok(
    d.errors.some((e) => (typeof error === 'string' ? e === error : error.test(e))),
    `${path}: ${JSON.stringify(d.errors)} lacks ${String(error)}`,
  );
}

describe('shape phase (Invalid JSON)', () => {
  test('negative and too small resources', () => {
    const f = errorsOf({ id: 'a', cmd: 'x', cpus: 0, mem: -1, disk: -5, instances: -1 });
    assert.equal(f.message, 'Invalid JSON');
    has(f, '/cpus', 'error.min');
    has(f, '/mem', 'error.min');
    has(f, '/disk', 'error.min');
    has(f, '/instances', 'error.min');
  });
  test('wrong types, enums and integers', () => {
    const f = errorsOf({ id: 'a', cmd: 'x', cpus: 'one', killSelection: 'RANDOM', instances: 1.5, requirePorts: 'yes', env: { A: 1 } });
    has(f, '/cpus', 'error.expected.jsnumber');
    has(f, '/killSelection', 'error.unknown.enum.literal');
    has(f, '/instances', 'error.expected.int');
    has(f, '/requirePorts', 'error.expected.jsboolean');
    has(f, '/env/A', 'error.expected.jsstring');
  });
  test('unknown fields, also nested', () => {
    const f = errorsOf({ id: 'a', cmd: 'x', cpu: 1, healthChecks: [{ protocol: 'HTTP', pth: '/' }] });
    has(f, '/cpu', 'error.unknown.property');
    has(f, '/healthChecks(0)/pth', 'error.unknown.property');
  });
  test('upgradeStrategy out of 0..1 and backoffFactor below 1', () => {
    const f = errorsOf({ id: 'a', cmd: 'x', upgradeStrategy: { minimumHealthCapacity: 1.5, maximumOverCapacity: -0.1 }, backoffFactor: 0.5 });
    has(f, '/upgradeStrategy/minimumHealthCapacity', 'error.max');
    has(f, '/upgradeStrategy/maximumOverCapacity', 'error.min');
    has(f, '/backoffFactor', 'error.min');
  });
  test('port definitions: range and names', () => {
    const f = errorsOf({ id: 'a', cmd: 'x', portDefinitions: [{ port: 70000 }, { port: 1, name: 'Bad_Name' }, { port: 2, protocol: 'sctp' }] });
    has(f, '/portDefinitions(0)/port', 'error.max');
    has(f, '/portDefinitions(1)/name', 'error.pattern');
    has(f, '/portDefinitions(2)/protocol', 'error.unknown.enum.literal');
  });
  test('Docker image is required, constraints have 2 or 3 fields', () => {
    const f = errorsOf({ id: 'a', container: { type: 'DOCKER', docker: { network: 'HOST' } }, constraints: [['hostname'], ['a', 'b', 'c', 'd']] });
    has(f, '/container/docker/image', 'error.path.missing');
    has(f, '/constraints(0)', 'error.minLength');
    has(f, '/constraints(1)', 'error.maxLength');
  });
  test('missing id on POST; not an object', () => {
    has(errorsOf({ cmd: 'x' }), '/id', 'error.path.missing');
    has(errorsOf([1, 2]), '/', 'error.expected.jsobject');
  });
  test('the id may come from the URL', () => {
    const r = parseApp({ cmd: 'x' }, { now: NOW, id: '/from/url' });
    assert.ok(r.ok && r.value.id === '/from/url');
  });
});

describe('semantic phase (Object is not valid)', () => {
  test('cmd and args together, and neither', () => {
    const both = errorsOf({ id: 'a', cmd: 'x', args: ['y'] });
    assert.equal(both.message, 'Object is not valid');
    has(both, '/', "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'.");
    has(errorsOf({ id: 'a' }), '/', /must either contain one of 'cmd' or 'args'/);
  });
  test('a Docker container alone is enough', () => {
    assert.ok(parseApp({ id: 'a', container: { docker: { image: 'busybox' } } }, { now: NOW }).ok);
  });
  test('bad ids', () => {
    has(errorsOf({ id: '/Prod/Web', cmd: 'x' }), '/id', /must fully match regular expression/);
    has(errorsOf({ id: '/prod/tasks', cmd: 'x' }), '/id', /reserved keywords/);
    has(errorsOf({ id: '/a', cmd: 'x', dependencies: ['Bad!'] }), '/dependencies(0)', /must fully match/);
  });
  test('constraint operators and values', () => {
    const f = errorsOf({
      id: 'a',
      cmd: 'x',
      constraints: [
        ['hostname', 'NEAR'],
        ['hostname', 'UNIQUE', 'x'],
        ['rack', 'MAX_PER', 'two'],
        ['rack', 'GROUP_BY', '2.5'],
        ['rack', 'LIKE'],
        ['rack', 'LIKE', '(['],
        ['rack', 'IS', 'a b'],
        ['', 'CLUSTER', 'a'],
      ],
    });
    has(f, '/constraints(0)', /operator must be one of/);
    has(f, '/constraints(1)', 'UNIQUE does not accept a value');
    has(f, '/constraints(2)', 'MAX_PER requires an integer value');
    has(f, '/constraints(3)', 'GROUP BY must define an integer value or else no value at all');
    has(f, '/constraints(4)', 'LIKE and UNLIKE require a non-empty, regular expression value');
    has(f, '/constraints(5)', 'is not a valid regular expression');
    has(f, '/constraints(6)', /IS only supports/);
    has(f, '/constraints(7)', 'missing field for constraint declaration');
  });
  test('operators are case-insensitive', () => {
    const r = parseApp({ id: 'a', cmd: 'x', constraints: [['hostname', 'unique'], ['rack', 'group_by', '3']] }, { now: NOW });
    assert.ok(r.ok);
    assert.deepEqual(r.value.constraints, [['hostname', 'UNIQUE'], ['rack', 'GROUP_BY', '3']]);
  });
  test('health checks: port index out of range, command checks, several Mesos checks', () => {
    has(errorsOf({ id: 'a', cmd: 'x', healthChecks: [{ protocol: 'HTTP', portIndex: 1 }] }), '/healthChecks(0)', /port indices must address an element/);
    has(errorsOf({ id: 'a', cmd: 'x', portDefinitions: [], healthChecks: [{ protocol: 'TCP' }] }), '/healthChecks(0)', /port indices must address an element/);
    has(errorsOf({ id: 'a', cmd: 'x', healthChecks: [{ protocol: 'COMMAND' }] }), '/healthChecks(0)', /command must be defined/);
    has(
      errorsOf({ id: 'a', cmd: 'x', healthChecks: [{ protocol: 'MESOS_HTTP' }, { protocol: 'MESOS_TCP' }] }),
      '/',
      'AppDefinition can contain at most one Mesos health check',
    );
    assert.ok(parseApp({ id: 'a', cmd: 'x', healthChecks: [{ protocol: 'HTTP', port: 8080 }] }, { now: NOW, id: 'a' }).ok);
    assert.ok(parseApp({ id: 'a', cmd: 'x', healthChecks: [{ command: { value: 'true' } }] }, { now: NOW }).ok);
  });
  test('ports: duplicates, ports with portDefinitions, host vs container networking', () => {
    has(errorsOf({ id: 'a', cmd: 'x', portDefinitions: [{ port: 80 }, { port: 80 }] }), '/portDefinitions', 'Ports must be unique.');
    has(errorsOf({ id: 'a', cmd: 'x', portDefinitions: [{ port: 1, name: 'a' }, { port: 2, name: 'a' }] }), '/portDefinitions', 'Port names must be unique.');
    has(errorsOf({ id: 'a', cmd: 'x', ports: [1], portDefinitions: [{ port: 2 }] }), '/', 'cannot specify both ports and port definitions');
    assert.ok(parseApp({ id: 'a', cmd: 'x', ports: [1], portDefinitions: [{ port: 1 }] }, { now: NOW }).ok);
    has(
      errorsOf({ id: 'a', networks: [{ mode: 'container/bridge' }], portDefinitions: [{ port: 1 }], container: { docker: { image: 'i' } } }),
      '/',
      'portDefinitions are only allowed with host-networking',
    );
    has(
      errorsOf({ id: 'a', container: { docker: { image: 'i', network: 'HOST' }, portMappings: [{ containerPort: 80 }] } }),
      '/',
      'portMappings are not allowed with host-networking',
    );
  });
  test('container rules', () => {
    has(errorsOf({ id: 'a', cmd: 'x', container: { type: 'DOCKER' } }), '/container/docker', /must be defined for container type DOCKER/);
    has(errorsOf({ id: 'a', container: { type: 'DOCKER', docker: { image: 'i', pullConfig: { secret: 's' } } } }), '/container/docker/pullConfig', /not supported/);
    has(errorsOf({ id: 'a', cmd: 'x', container: { type: 'MESOS', volumes: [{ containerPath: '/a' }] } }), '/container/volumes(0)', /exactly one of/);
  });
  test('readiness: port name must exist, one check only, timeout below interval', () => {
    has(errorsOf({ id: 'a', cmd: 'x', readinessChecks: [{ portName: 'nope' }] }), '/readinessChecks(0)/portName', 'No port definition reference for portName nope');
    has(
      errorsOf({ id: 'a', cmd: 'x', portDefinitions: [{ port: 0, name: 'http-api' }], readinessChecks: [{}, {}] }),
      '/readinessChecks',
      'Only one readiness check is supported',
    );
    has(
      errorsOf({ id: 'a', cmd: 'x', portDefinitions: [{ port: 0, name: 'http-api' }], readinessChecks: [{ intervalSeconds: 5, timeoutSeconds: 5 }] }),
      '/readinessChecks(0)/timeoutSeconds',
      'must be less than intervalSeconds',
    );
  });
  test('strategy rules: resident over capacity, rollbackOnDeadline alone', () => {
    has(
      errorsOf({ id: 'a', cmd: 'x', upgradeStrategy: { maximumOverCapacity: 0.5 }, container: { type: 'MESOS', volumes: [{ containerPath: 'd', persistent: { size: 1 } }] } }),
      '/upgradeStrategy/maximumOverCapacity',
      /must be 0/,
    );
    has(errorsOf({ id: 'a', cmd: 'x', upgradeStrategy: { rollbackOnDeadline: false } }), '/upgradeStrategy/rollbackOnDeadline', /only allowed together/);
  });
  test('env secret references and resource limits', () => {
    has(errorsOf({ id: 'a', cmd: 'x', env: { PW: { secret: 'pw' } } }), '/env/PW', /undefined secret/);
    assert.ok(parseApp({ id: 'a', cmd: 'x', env: { PW: { secret: 'pw' } }, secrets: { pw: { source: '/db/pw' } } }, { now: NOW }).ok);
    has(errorsOf({ id: 'a', cmd: 'x', cpus: 1, resourceLimits: { cpus: 0.5 } }), '/resourceLimits/cpus', /greater than or equal/);
    assert.ok(parseApp({ id: 'a', cmd: 'x', resourceLimits: { cpus: 'unlimited', mem: 512 } }, { now: NOW }).ok);
  });
  test('read-only fields of a GET answer are accepted', () => {
    assert.ok(parseApp({ id: 'a', cmd: 'x', tasksRunning: 3, tasksStaged: 0, deployments: [], versionInfo: {}, tasks: [] }, { now: NOW }).ok);
  });
});
