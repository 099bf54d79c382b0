import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TaskInfoSchema, type TaskInfoInput } from '@agora/contracts';
import { buildCreateSpec, MIN_MEMORY_BYTES, type SpecInput } from './container-spec';

function input(task: Partial<TaskInfoInput> & { container?: TaskInfoInput['container'] }, over: Partial<SpecInput> = {}): SpecInput {
  const t = TaskInfoSchema.parse({
    taskId: 'web.1',
    name: 'web',
    agentId: 'A1',
    resources: { scalars: { cpus: 0.5, mem: 64 }, ports: [{ begin: 31000, end: 31001 }] },
    container: { type: 'DOCKER', docker: { image: 'busybox' } },
    ...task,
  });
  return {
    task: t,
    frameworkId: 'fw-1',
    agentId: 'A1',
    agentDir: '/var/lib/agora/agent',
    hostname: 'node-1',
    agentIp: '127.0.1.1',
    sandbox: '/w/sandboxes/fw-1/web.1',
    name: 'agora-web.1-abcd',
    graceMs: 3000,
    allowPrivileged: false,
    allowParameters: false,
    cpuQuota: true,
    ...over,
  };
}

function spec(i: SpecInput) {
  const r = buildCreateSpec(i);
  if (!r.ok) assert.fail(r.error);
  return r;
}

describe('buildCreateSpec', () => {
  test('command forms: shell value → /bin/sh -c; exec form keeps the entrypoint; none → image defaults', () => {
    const sh = spec(input({ command: { value: 'echo $HOST', shell: true, environment: {}, uris: [] } })).spec;
    assert.deepEqual(sh.Entrypoint, ['/bin/sh', '-c']);
    assert.deepEqual(sh.Cmd, ['echo $HOST']);
    const exec = spec(input({ command: { shell: false, arguments: ['serve', '--port', '80'], environment: {}, uris: [] } })).spec;
    assert.equal(exec.Entrypoint, undefined);
    assert.deepEqual(exec.Cmd, ['serve', '--port', '80']);
    const valueAndArgs = spec(input({ command: { value: 'echo', shell: false, arguments: ['hi'], environment: {}, uris: [] } })).spec;
    assert.deepEqual(valueAndArgs.Cmd, ['echo', 'hi']);
    const none = spec(input({})).spec;
    assert.equal(none.Entrypoint, undefined);
    assert.equal(none.Cmd, undefined);
  });

  test('env, labels, sandbox mount, workdir, user, stop timeout', () => {
    const r = spec(
      input({ command: { value: 'x', shell: true, environment: { A: '1', MESOS_TASK_ID: 'forged' }, user: 'nobody', uris: [] }, labels: { tier: 'web', 'agora.task.id': 'forged' } }),
    ).spec;
    const env = Object.fromEntries(r.Env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
    assert.equal(env.A, '1');
    assert.equal(env.HOST, 'node-1');
    assert.equal(env.PORT0, '31000');
    assert.equal(env.PORT1, '31001');
    assert.equal(env.PORTS, '31000,31001');
    assert.equal(env.MESOS_TASK_ID, 'web.1');
    assert.equal(env.MESOS_SANDBOX, '/mnt/mesos/sandbox');
    assert.equal(env.MESOS_CONTAINER_NAME, 'agora-web.1-abcd');
    assert.equal(env.PATH, undefined, 'the image keeps its own PATH');
    assert.deepEqual(r.Labels, {
      tier: 'web',
      'agora.agent.id': 'A1',
      'agora.agent.dir': '/var/lib/agora/agent',
      'agora.framework.id': 'fw-1',
      'agora.task.id': 'web.1',
    });
    assert.equal(r.WorkingDir, '/mnt/mesos/sandbox');
    assert.equal(r.User, 'nobody');
    assert.equal(r.StopTimeout, 3);
    assert.deepEqual(r.HostConfig.Binds, ['/w/sandboxes/fw-1/web.1:/mnt/mesos/sandbox:rw']);
    assert.equal(r.HostConfig.NetworkMode, 'host');
  });

  test('limits: cpu shares + quota, memory with equal swap, docker minimum', () => {
    const r = spec(input({})).spec.HostConfig;
    assert.equal(r.CpuShares, 512);
    assert.equal(r.CpuPeriod, 100_000);
    assert.equal(r.CpuQuota, 50_000);
    assert.equal(r.Memory, 64 * 1024 * 1024);
    assert.equal(r.MemorySwap, r.Memory);
    const tiny = spec(input({ resources: { scalars: { cpus: 0.0001, mem: 1 }, ports: [] } })).spec.HostConfig;
    assert.equal(tiny.CpuShares, 2);
    assert.equal(tiny.CpuQuota, 1000);
    assert.equal(tiny.Memory, MIN_MEMORY_BYTES);
    const noQuota = spec(input({}, { cpuQuota: false })).spec.HostConfig;
    assert.equal(noQuota.CpuQuota, undefined);
    const unlimited = spec(input({ resources: { scalars: {}, ports: [] } })).spec.HostConfig;
    assert.equal(unlimited.Memory, undefined);
    assert.equal(unlimited.CpuShares, undefined);
  });

  test('volumes: absolute host path, sandbox-relative, relative container path, anonymous', () => {
    const r = spec(
      input({
        container: {
          type: 'DOCKER',
          docker: { image: 'busybox' },
          volumes: [
            { containerPath: '/data', hostPath: '/srv/data', mode: 'RO' },
            { containerPath: '/cache', hostPath: 'cache', mode: 'RW' },
            { containerPath: 'scratch', hostPath: '/tmp/s', mode: 'RW' },
            { containerPath: '/anon', mode: 'RW' },
          ],
        },
      }),
    );
    assert.deepEqual(r.spec.HostConfig.Binds, [
      '/w/sandboxes/fw-1/web.1:/mnt/mesos/sandbox:rw',
      '/srv/data:/data:ro',
      '/w/sandboxes/fw-1/web.1/cache:/cache:rw',
      '/tmp/s:/mnt/mesos/sandbox/scratch:rw',
    ]);
    assert.deepEqual(r.hostDirs, ['/w/sandboxes/fw-1/web.1/cache']);
    assert.deepEqual(r.spec.Volumes, { '/anon': {} });
  });

  test('networks: NONE, BRIDGE with port mappings bound to the agent address, USER refused', () => {
    const none = spec(input({ container: { type: 'DOCKER', docker: { image: 'busybox', network: 'NONE' } } })).spec;
    assert.equal(none.HostConfig.NetworkMode, 'none');
    const bridge = spec(
      input({
        container: {
          type: 'DOCKER',
          docker: { image: 'busybox', network: 'BRIDGE', portMappings: [{ containerPort: 80, hostPort: 31000, protocol: 'tcp' }, { containerPort: 0, hostPort: 31001, protocol: 'udp,tcp' }] },
        },
      }),
    ).spec;
    assert.equal(bridge.HostConfig.NetworkMode, 'bridge');
    assert.deepEqual(bridge.HostConfig.PortBindings, {
      '80/tcp': [{ HostIp: '127.0.1.1', HostPort: '31000' }],
      '31001/udp': [{ HostIp: '127.0.1.1', HostPort: '31001' }],
      '31001/tcp': [{ HostIp: '127.0.1.1', HostPort: '31001' }],
    });
    assert.deepEqual(Object.keys(bridge.ExposedPorts ?? {}).sort(), ['31001/tcp', '31001/udp', '80/tcp']);
  });

  const refused: [string, Partial<TaskInfoInput>, Partial<SpecInput>, RegExp][] = [
    ['USER network', { container: { type: 'DOCKER', docker: { image: 'b', network: 'USER' } } }, {}, /USER networks/],
    ['host port outside the resources', { container: { type: 'DOCKER', docker: { image: 'b', network: 'BRIDGE', portMappings: [{ containerPort: 80, hostPort: 8080 }] } } }, {}, /not among the task's port/],
    ['privileged without the flag', { container: { type: 'DOCKER', docker: { image: 'b', privileged: true } } }, {}, /--docker-allow-privileged/],
    ['parameters without the flag', { container: { type: 'DOCKER', docker: { image: 'b', parameters: [{ key: 'init', value: 'true' }] } } }, {}, /--docker-allow-parameters/],
    ['unknown parameter', { container: { type: 'DOCKER', docker: { image: 'b', parameters: [{ key: 'frobnicate', value: '1' }] } } }, { allowParameters: true }, /not supported \(supported: /],
    ['sandbox escape', { container: { type: 'DOCKER', docker: { image: 'b' }, volumes: [{ containerPath: '/x', hostPath: '../../etc', mode: 'RW' }] } }, {}, /leaves the sandbox/],
    ['no image', { container: { type: 'DOCKER', docker: { image: '  ' } } }, {}, /needs docker.image/],
  ];
  for (const [name, task, over, re] of refused)
    test(`refuses: ${name}`, () => {
      const r = buildCreateSpec(input(task, over));
      assert.equal(r.ok, false);
      if (!r.ok) assert.match(r.error, re);
    });

  test('privileged and parameters where allowed; parameters win over derived values', () => {
    const r = spec(
      input(
        {
          container: {
            type: 'DOCKER',
            docker: { image: 'b', privileged: true, parameters: [{ key: 'memory', value: '1g' }, { key: 'cap-add', value: 'NET_ADMIN' }, { key: '--env', value: 'X=1' }, { key: 'label', value: 'k=v' }] },
          },
        },
        { allowPrivileged: true, allowParameters: true },
      ),
    ).spec;
    assert.equal(r.HostConfig.Memory, 1024 ** 3);
    assert.deepEqual(r.HostConfig.CapAdd, ['NET_ADMIN']);
    assert.ok(r.Env.includes('X=1'));
    assert.equal(r.Labels.k, 'v');
  });
});
