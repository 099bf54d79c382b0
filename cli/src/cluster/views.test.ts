import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentUrlFromPid, MesosStateSchema, natsUrlOf, normalizeMasterUrl } from './master-state';
import { findTask, nodeRows, taskRows } from './views';
import { renderNodes } from '../commands/node';
import { renderTasks } from '../commands/task';

/** A /master/state as Mesos shapes it, with Agora's additions (flags.nats, task sandbox). */
const state = MesosStateSchema.parse({
  leader: 'master@127.0.0.1:5050',
  flags: { nats: 'nats://127.0.0.1:4222' },
  slaves: [
    {
      id: 'M-S1',
      pid: 'slave(1)@127.0.1.2:5051',
      hostname: '127.0.1.2',
      resources: { cpus: 4, mem: 7936, disk: 10000, ports: '[31000-32000]' },
      used_resources: { cpus: 0.5, mem: 64, disk: 0 },
      attributes: { rack: 'b' },
      active: true,
      extra_field: 'ignored',
    },
    { id: 'M-S0', pid: 'slave(1)@127.0.1.1:5051', hostname: '127.0.1.1', resources: { cpus: 2, mem: 1024 }, active: false, status: 'UNREACHABLE' },
    { id: 'M-S2', pid: 'slave(1)@127.0.1.3:5051', hostname: '127.0.1.3', resources: { cpus: 1 }, active: false, status: 'REGISTERED' },
  ],
  unreachable_slaves: 1,
  frameworks: [
    {
      id: 'M-0001',
      name: 'marathon',
      tasks: [{ id: 'web.1', name: 'web', framework_id: 'M-0001', slave_id: 'M-S1', state: 'TASK_RUNNING', sandbox: '/w/s/web.1' }],
      completed_tasks: [{ id: 'web.0', name: 'web', framework_id: 'M-0001', slave_id: 'M-S1', state: 'TASK_KILLED' }],
    },
  ],
  completed_frameworks: [
    { id: 'M-0000', name: 'agora-execute', tasks: [], completed_tasks: [{ id: 'once.ab', name: 'once', framework_id: 'M-0000', slave_id: 'M-S9', state: 'TASK_FINISHED' }] },
  ],
});

test('node rows: sorted by hostname, used/total, status', () => {
  const rows = nodeRows(state);
  assert.deepEqual(rows.map((r) => [r.hostname, r.status, r.url]), [
    ['127.0.1.1', 'UNREACHABLE', 'http://127.0.1.1:5051'],
    ['127.0.1.2', 'ACTIVE', 'http://127.0.1.2:5051'],
    ['127.0.1.3', 'INACTIVE', 'http://127.0.1.3:5051'],
  ]);
  assert.equal(
    renderNodes(rows.slice(0, 2)),
    'ID    HOSTNAME   CPUS   MEM      DISK     STATUS       ATTRIBUTES\n' +
      'M-S0  127.0.1.1  0/2    0/1024   0/0      UNREACHABLE  -\n' +
      'M-S1  127.0.1.2  0.5/4  64/7936  0/10000  ACTIVE       rack:b\n',
  );
});

test('task rows: live only, or everything with --all', () => {
  assert.deepEqual(taskRows(state, false).map((t) => t.id), ['web.1']);
  assert.deepEqual(taskRows(state, true).map((t) => t.id), ['web.1', 'web.0', 'once.ab']);
  assert.equal(
    renderTasks(taskRows(state, true)),
    'ID       NAME  FRAMEWORK      STATE          HOST\n' +
      'web.1    web   marathon       TASK_RUNNING   127.0.1.2\n' +
      'web.0    web   marathon       TASK_KILLED    127.0.1.2\n' +
      'once.ab  once  agora-execute  TASK_FINISHED  -\n',
  );
});

test('findTask: exact, unique prefix, ambiguous, missing', () => {
  const exact = findTask(state, 'web.1');
  assert.ok(!('error' in exact) && exact.sandbox === '/w/s/web.1');
  const prefix = findTask(state, 'once');
  assert.ok(!('error' in prefix) && prefix.id === 'once.ab');
  const ambiguous = findTask(state, 'web');
  assert.ok('error' in ambiguous && /several tasks/.test(ambiguous.error));
  assert.ok('error' in findTask(state, 'nope'));
});

test('addresses: agent pid, master URL, nats flag', () => {
  assert.equal(agentUrlFromPid('slave(1)@127.0.1.3:5051'), 'http://127.0.1.3:5051');
  assert.equal(agentUrlFromPid('garbage'), undefined);
  assert.equal(normalizeMasterUrl('127.0.0.1:5050'), 'http://127.0.0.1:5050');
  assert.equal(normalizeMasterUrl('http://127.0.0.1:5050/'), 'http://127.0.0.1:5050');
  assert.equal(natsUrlOf(state), 'nats://127.0.0.1:4222');
});
