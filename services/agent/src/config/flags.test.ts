import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAgentFlags } from './flags';

const machine = () => ({ cpus: 8, memMb: 15000, diskMb: 90000 });
const base = ['--nats', 'nats://127.0.0.1:4222', '--work-dir', '/tmp/w'];

describe('parseAgentFlags', () => {
  test('defaults: detected scalars, default port range, hostname = ip', () => {
    const r = parseAgentFlags(base, machine);
    assert.ok(r.ok);
    assert.deepEqual(r.config.resources, { scalars: { cpus: 8, mem: 15000, disk: 90000 }, ports: [{ begin: 31000, end: 32000 }] });
    assert.equal(r.config.hostname, '127.0.0.1');
    assert.equal(r.config.port, 5051);
    assert.equal(r.config.isolation, 'auto');
    assert.equal(r.config.killTasksOnExit, true);
    assert.equal(r.config.heartbeatIntervalMs, 1000);
    assert.equal(r.config.statusRetryIntervalMs, 2000);
    assert.equal(r.config.defaultGraceMs, 3000);
  });

  test('given resources win; only the missing ones are detected', () => {
    let detected = 0;
    const r = parseAgentFlags([...base, '--resources', 'cpus:2;ports:[5000-5001]'], (w) => {
      detected++;
      assert.equal(w, '/tmp/w');
      return machine();
    });
    assert.ok(r.ok);
    assert.equal(detected, 1);
    assert.deepEqual(r.config.resources, { scalars: { cpus: 2, mem: 15000, disk: 90000 }, ports: [{ begin: 5000, end: 5001 }] });
    const full = parseAgentFlags([...base, '--resources', 'cpus:1;mem:512;disk:100'], () => assert.fail('no detection needed'));
    assert.ok(full.ok);
  });

  test('attributes, hostname, flags switches', () => {
    const r = parseAgentFlags(
      [...base, '--attributes', 'rack:a;zone:z1', '--ip', '127.0.1.2', '--hostname', 'node-2', '--no-kill-tasks-on-exit', '--isolation', 'none', '--default-grace-period', '0', '--heartbeat-interval', '0.5'],
      machine,
    );
    assert.ok(r.ok);
    assert.deepEqual(r.config.attributes, { rack: 'a', zone: 'z1' });
    assert.equal(r.config.ip, '127.0.1.2');
    assert.equal(r.config.hostname, 'node-2');
    assert.equal(r.config.killTasksOnExit, false);
    assert.equal(r.config.isolation, 'none');
    assert.equal(r.config.defaultGraceMs, 0);
    assert.equal(r.config.heartbeatIntervalMs, 500);
  });

  test('containerizers: auto by default, explicit lists, docker flags', () => {
    const auto = parseAgentFlags(base, machine);
    assert.ok(auto.ok);
    assert.equal(auto.config.containerizersAuto, true);
    assert.equal(auto.config.dockerSocket, undefined);
    assert.equal(auto.config.dockerAllowPrivileged, false);
    assert.equal(auto.config.dockerAllowParameters, false);
    assert.equal(auto.config.dockerCpuQuota, true);
    const explicit = parseAgentFlags(
      [...base, '--containerizers', 'docker, process,docker', '--docker-socket', '/tmp/d/docker.sock', '--docker-allow-privileged', '--docker-allow-parameters', '--no-docker-cpu-quota'],
      machine,
    );
    assert.ok(explicit.ok);
    assert.equal(explicit.config.containerizersAuto, false);
    assert.deepEqual(explicit.config.containerizers, ['docker', 'process']);
    assert.equal(explicit.config.dockerSocket, '/tmp/d/docker.sock');
    assert.equal(explicit.config.dockerAllowPrivileged, true);
    assert.equal(explicit.config.dockerAllowParameters, true);
    assert.equal(explicit.config.dockerCpuQuota, false);
    for (const sock of ['unix:///var/run/docker.sock', 'tcp://127.0.0.1:2375']) assert.ok(parseAgentFlags([...base, '--docker-socket', sock], machine).ok, sock);
  });

  const bad: [string, string[]][] = [
    ['missing --nats', ['--work-dir', '/tmp/w']],
    ['missing --work-dir', ['--nats', 'nats://127.0.0.1:4222']],
    ['bad nats url', ['--nats', 'http://x', '--work-dir', '/w']],
    ['bad ip', [...base, '--ip', '300.1.1.1']],
    ['bad port', [...base, '--port', '70000']],
    ['bad resources', [...base, '--resources', 'cpus:x']],
    ['bad attributes', [...base, '--attributes', 'rack']],
    ['unknown containerizer', [...base, '--containerizers', 'lxc']],
    ['empty containerizers', [...base, '--containerizers', ',']],
    ['bad docker socket', [...base, '--docker-socket', 'docker.sock']],
    ['bad isolation', [...base, '--isolation', 'maybe']],
    ['zero heartbeat', [...base, '--heartbeat-interval', '0']],
    ['negative grace', [...base, '--default-grace-period', '-1']],
    ['bad log level', [...base, '--log-level', 'loud']],
    ['unknown flag', [...base, '--frobnicate']],
  ];
  for (const [name, argv] of bad)
    test(`rejects ${name} with exit code 2`, () => {
      const r = parseAgentFlags(argv, machine);
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.equal(r.exitCode, 2);
        assert.match(r.message, /^agora-agent: /);
      }
    });
});
