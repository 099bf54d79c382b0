import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resources } from '@agora/model';
import type { ClusterState, FrameworkView, TaskView } from '@agora/contracts';
import { renderResources, renderState, renderStateSummary, renderTask } from './render-mesos';

const task: TaskView = {
  taskId: 'web.abc',
  name: 'web',
  frameworkId: 'F-0001',
  agentId: 'M-S1',
  state: 'TASK_RUNNING',
  resources: resources({ cpus: 0.5, mem: 64 }, [{ begin: 31000, end: 31000 }, { begin: 31005, end: 31006 }]),
  labels: { owner: 'ops' },
  discovery: { visibility: 'FRAMEWORK', name: 'web', ports: [{ number: 31000, name: 'http', protocol: 'tcp' }] },
  statuses: [
    { taskId: 'web.abc', frameworkId: 'F-0001', state: 'TASK_STAGING', source: 'SOURCE_MASTER', timestamp: 10 },
    { taskId: 'web.abc', frameworkId: 'F-0001', state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', timestamp: 11, healthy: true, ipAddresses: ['127.0.1.1'] },
  ],
  sandbox: '/w/sandboxes/F-0001/web.abc',
};

const fw: FrameworkView = {
  id: 'F-0001',
  info: { name: 'marathon', user: 'root', role: '*', failoverTimeoutSeconds: 604800, checkpoint: true, capabilities: ['PARTITION_AWARE'], labels: {} },
  active: true,
  connected: true,
  registeredTime: 5,
  tasks: [task, { ...task, taskId: 'web.lost', state: 'TASK_UNREACHABLE' }],
  completedTasks: [{ ...task, taskId: 'web.old', state: 'TASK_FINISHED' }],
  offeredResources: resources({ cpus: 1 }),
  usedResources: resources({ cpus: 1, mem: 128 }),
  offers: [{ id: 'O1', frameworkId: 'F-0001', agentId: 'M-S1', hostname: 'h1', agentIp: '127.0.1.1', resources: resources({ cpus: 1 }), attributes: {}, allocationRole: '*' }],
};

const cs: ClusterState = {
  master: { id: 'M', hostname: 'm1', ip: '127.0.0.1', port: 5050, url: 'http://127.0.0.1:5050', version: '0.1.0', epoch: 3, electedTime: 2 },
  leader: { id: 'M', hostname: 'm1', ip: '127.0.0.1', port: 5050, url: 'http://127.0.0.1:5050', version: '0.1.0', epoch: 3 },
  startTime: 1,
  electedTime: 2,
  eventSequence: 42,
  agents: [
    {
      id: 'M-S1',
      hostname: 'h1',
      ip: '127.0.1.1',
      port: 5051,
      resources: resources({ cpus: 4, mem: 1024 }, [{ begin: 31000, end: 32000 }]),
      attributes: { rack: 'a' },
      active: true,
      status: 'REGISTERED',
      registeredTime: 3,
      usedResources: resources({ cpus: 1, mem: 128 }),
      offeredResources: resources({ cpus: 1 }),
    },
    { id: 'M-S2', hostname: 'h2', ip: '127.0.1.2', port: 5051, resources: resources({ cpus: 1 }), attributes: {}, active: false, status: 'UNREACHABLE', registeredTime: 3, usedResources: resources({}), offeredResources: resources({}) },
  ],
  frameworks: [fw],
  completedFrameworks: [],
  flags: { nats: 'nats://127.0.0.1:4222', consul: 'http://127.0.0.1:8500' },
};

describe('Mesos JSON rendering', () => {
  test('resources: cpus/mem/disk/gpus always, ports as a Mesos range string', () => {
    assert.deepEqual(renderResources(task.resources), { cpus: 0.5, mem: 64, disk: 0, gpus: 0, ports: '[31000-31000, 31005-31006]' });
    assert.deepEqual(renderResources(resources({})), { cpus: 0, mem: 0, disk: 0, gpus: 0 });
  });

  test('task: Mesos field names, statuses with network infos, labels list, discovery, sandbox', () => {
    const t = renderTask(task) as Record<string, unknown>;
    assert.equal(t.id, 'web.abc');
    assert.equal(t.slave_id, 'M-S1');
    assert.equal(t.framework_id, 'F-0001');
    assert.equal(t.executor_id, '');
    assert.deepEqual(t.labels, [{ key: 'owner', value: 'ops' }]);
    assert.deepEqual(t.discovery, { visibility: 'FRAMEWORK', name: 'web', ports: { ports: [{ number: 31000, name: 'http', protocol: 'tcp' }] } });
    const statuses = t.statuses as Array<Record<string, unknown>>;
    assert.equal(statuses.length, 2);
    assert.deepEqual(statuses[1]?.container_status, { network_infos: [{ ip_addresses: [{ ip_address: '127.0.1.1' }] }] });
    assert.equal(statuses[1]?.healthy, true);
    assert.equal(t.sandbox, '/w/sandboxes/F-0001/web.abc');
  });

  test('state: master fields, counts, leader, flags, frameworks with unreachable tasks apart', () => {
    const s = renderState(cs) as Record<string, unknown>;
    assert.equal(s.pid, 'master@127.0.0.1:5050');
    assert.equal(s.leader, 'master@127.0.0.1:5050');
    assert.deepEqual((s.leader_info as Record<string, unknown>).pid, 'master@127.0.0.1:5050');
    assert.equal(s.activated_slaves, 1);
    assert.equal(s.unreachable_slaves, 1);
    assert.equal((s.flags as Record<string, string>).nats, 'nats://127.0.0.1:4222');
    const slaves = s.slaves as Array<Record<string, unknown>>;
    assert.equal(slaves[0]?.pid, 'slave(1)@127.0.1.1:5051');
    assert.deepEqual(slaves[0]?.reserved_resources, {});
    assert.equal((slaves[0]?.resources as Record<string, unknown>).ports, '[31000-32000]');
    const f = (s.frameworks as Array<Record<string, unknown>>)[0]!;
    assert.equal(f.name, 'marathon');
    assert.equal(f.failover_timeout, 604800);
    assert.deepEqual((f.tasks as Array<Record<string, unknown>>).map((t) => t.id), ['web.abc']);
    assert.deepEqual((f.unreachable_tasks as Array<Record<string, unknown>>).map((t) => t.id), ['web.lost']);
    assert.deepEqual((f.completed_tasks as Array<Record<string, unknown>>).map((t) => t.id), ['web.old']);
    assert.deepEqual((f.resources as Record<string, unknown>).cpus, 2);
    assert.equal((f.offers as Array<Record<string, unknown>>)[0]?.slave_id, 'M-S1');
    assert.deepEqual(s.orphan_tasks, []);
    assert.equal(s.elected_time, 2);
  });

  test('state without a leader has no leader fields', () => {
    const s = renderState({ ...cs, leader: undefined }) as Record<string, unknown>;
    assert.equal(s.leader, undefined);
    assert.equal(s.leader_info, undefined);
  });

  test('state-summary counts tasks per state per agent and framework', () => {
    const s = renderStateSummary(cs) as { slaves: Array<Record<string, unknown>>; frameworks: Array<Record<string, unknown>> };
    assert.equal(s.slaves[0]?.TASK_RUNNING, 1);
    assert.equal(s.slaves[0]?.TASK_FINISHED, 1);
    assert.equal(s.slaves[0]?.TASK_UNREACHABLE, 1);
    assert.deepEqual(s.slaves[0]?.framework_ids, ['F-0001']);
    assert.equal(s.frameworks[0]?.TASK_RUNNING, 1);
    assert.deepEqual(s.frameworks[0]?.slave_ids, ['M-S1']);
  });
});
