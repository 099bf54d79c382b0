import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resources } from '@agora/model';
import { TaskHealth, type AgentInfo, type FrameworkInfo, type TaskStatus, type TaskView } from '@agora/contracts';
import type { Bus } from '@agora/nats';
import { MasterState } from '../registry/master-state';
import { TaskUpdater } from '../registry/task-updater';
import type { TaskEntry } from '../registry/types';
import { ClusterEvents } from '../events/cluster-events';
import { FrameworkOutbox } from '../events/framework-outbox';
import { MasterUpdates } from '../events/master-updates';
import { AllocationTrigger } from '../offers/allocation-trigger';
import { Metrics } from '../metrics';
import { renderTask } from '../api/render-mesos';
import { toTaskView } from '../registry/views';
import { reconcileAnswers } from './reconcile-answers';
import { TaskHealthHandler } from './task-health';

const agentInfo: AgentInfo = { id: 'S1', hostname: 'h1', ip: '127.0.1.1', port: 5051, resources: resources({ cpus: 4, mem: 4096 }), attributes: {} };
const fwInfo: FrameworkInfo = { name: 'marathon', user: 'root', role: '*', failoverTimeoutSeconds: 60, checkpoint: true, capabilities: [], labels: {} };

function running(id: string, state: TaskEntry['state'] = 'TASK_RUNNING'): TaskEntry {
  const status: TaskStatus = { taskId: id, frameworkId: 'F', agentId: 'S1', state, source: 'SOURCE_AGENT', timestamp: 100, ipAddresses: ['10.0.0.7'], uuid: `u-${id}` };
  return {
    info: { taskId: id, name: 'web.prod', agentId: 'S1', resources: resources({ cpus: 1, mem: 10 }), labels: {} },
    frameworkId: 'F',
    agentId: 'S1',
    state,
    statuses: [status],
    appliedUuids: [`u-${id}`],
    createdAt: 0,
  };
}

/** The real classes, with a Bus that records what would be published. */
function setup() {
  const published: Array<{ subject: string; msg: unknown }> = [];
  const bus = { publish: (def: { subject: (...a: string[]) => string }, args: string[], msg: unknown) => published.push({ subject: def.subject(...args), msg }) } as unknown as Bus;
  const state = new MasterState();
  state.leading = true;
  state.epoch = 3;
  const events = new ClusterEvents(bus, state);
  const outbox = new FrameworkOutbox(bus);
  const tasks = new TaskUpdater(state, events, outbox, new MasterUpdates(outbox), new Metrics(), new AllocationTrigger());
  state.agents.set('S1', state.newAgent(agentInfo, 0));
  const fw = state.newFramework('F', fwInfo, 0, { connected: true, placeholder: false });
  state.frameworks.set('F', fw);
  for (const id of ['a', 'b']) state.addActiveTask(fw, running(id));
  state.addActiveTask(fw, running('staging', 'TASK_STAGING'));
  const handler = new TaskHealthHandler(state, tasks);
  const taskEvents = () =>
    published.filter((p) => p.subject === 'agora.events.task').map((p) => p.msg as { epoch: number; sequence: number; task: TaskView; status: TaskStatus });
  const fwEvents = () => {
    outbox.flushAll();
    return published.filter((p) => p.subject.startsWith('agora.framework.'));
  };
  return { state, fw, tasks, handler, taskEvents, fwEvents };
}

const msg = (updates: { taskId: string; healthy: boolean; message?: string }[], frameworkId = 'F') => TaskHealth.message.parse({ frameworkId, updates });

describe('TaskHealth (framework-side health results)', () => {
  test('a change sets TaskView.healthy and publishes one TaskEvent with the next sequence', () => {
    const { fw, handler, taskEvents } = setup();
    assert.equal(handler.handle(msg([{ taskId: 'a', healthy: true }]), 200_000), 1);
    assert.equal(fw.tasks.get('a')?.healthy, true);
    const evs = taskEvents();
    assert.equal(evs.length, 1);
    assert.equal(evs[0]?.epoch, 3);
    assert.equal(evs[0]?.sequence, 1);
    assert.equal(evs[0]?.task.healthy, true);
    assert.equal(evs[0]?.status.healthy, true);
    assert.equal(evs[0]?.status.state, 'TASK_RUNNING');
    assert.equal(evs[0]?.status.reason, 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED');
    assert.equal(evs[0]?.status.timestamp, 200);
    assert.deepEqual(evs[0]?.status.ipAddresses, ['10.0.0.7'], 'the addresses of the status before it are kept');
    assert.equal(evs[0]?.status.uuid, undefined);

    handler.handle(msg([{ taskId: 'a', healthy: false, message: 'HTTP 503' }, { taskId: 'b', healthy: true }]), 201_000);
    const more = taskEvents();
    assert.deepEqual(more.map((e) => [e.sequence, e.task.taskId, e.task.healthy]), [[1, 'a', true], [2, 'a', false], [3, 'b', true]]);
    assert.equal(more[1]?.status.message, 'HTTP 503');
  });

  test('idempotent: the same report again changes nothing and publishes nothing', () => {
    const { fw, handler, taskEvents } = setup();
    handler.handle(msg([{ taskId: 'a', healthy: true }]));
    const statuses = fw.tasks.get('a')?.statuses.length;
    assert.equal(handler.handle(msg([{ taskId: 'a', healthy: true }, { taskId: 'a', healthy: true }])), 0);
    assert.equal(taskEvents().length, 1);
    assert.equal(fw.tasks.get('a')?.statuses.length, statuses);
  });

  test('unknown frameworks, unknown, ended and not-running tasks are ignored; the framework is not told', () => {
    const { state, fw, handler, taskEvents, fwEvents } = setup();
    const done = fw.tasks.get('b');
    assert.ok(done);
    state.completeTask(fw, done);
    done.state = 'TASK_FINISHED';
    assert.equal(handler.handle(msg([{ taskId: 'a', healthy: true }], 'nobody')), 0);
    assert.equal(handler.handle(msg([{ taskId: 'ghost', healthy: true }, { taskId: 'b', healthy: true }, { taskId: 'staging', healthy: true }])), 0);
    assert.equal(taskEvents().length, 0);
    assert.equal(fw.tasks.get('staging')?.healthy, undefined);
    handler.handle(msg([{ taskId: 'a', healthy: true }]));
    assert.equal(fwEvents().length, 0, 'no UPDATE goes back to the framework');
  });

  test('the contract refuses malformed reports before they reach the handler', () => {
    for (const bad of [{}, { frameworkId: 'F' }, { frameworkId: 'F', updates: [{ taskId: 'a', healthy: 'yes' }] }, { frameworkId: 'F', updates: [{ taskId: '', healthy: true }] }, { frameworkId: 'F', updates: Array(1001).fill({ taskId: 'a', healthy: true }) }]) {
      assert.equal(TaskHealth.message.safeParse(bad).success, false, JSON.stringify(bad).slice(0, 80));
    }
  });

  test('Mesos-shaped views: the newest status shows the health, also after a later status without one', () => {
    const { fw, tasks, handler } = setup();
    handler.handle(msg([{ taskId: 'a', healthy: false }]), 300_000);
    const t = fw.tasks.get('a');
    assert.ok(t);
    let mesos = renderTask(toTaskView(t)) as { healthy?: boolean; statuses: { healthy?: boolean; state: string }[] };
    assert.equal(mesos.healthy, false);
    assert.equal(mesos.statuses[mesos.statuses.length - 1]?.healthy, false);
    // A repeated TASK_RUNNING from the agent (no health in it) keeps showing the task's health.
    tasks.apply(fw, t, { taskId: 'a', frameworkId: 'F', agentId: 'S1', state: 'TASK_RUNNING', source: 'SOURCE_AGENT', timestamp: 301, uuid: 'u2' });
    mesos = renderTask(toTaskView(t)) as typeof mesos;
    assert.equal(mesos.statuses[mesos.statuses.length - 1]?.healthy, false);
    const known = { taskId: 'a', agentId: 'S1', state: t.state, latest: t.statuses[t.statuses.length - 1] };
    const [answer] = reconcileAnswers([], { frameworkId: 'F', active: new Map([['a', known]]), completed: new Map(), recoveredAgentIds: new Set(), nowSeconds: 400 });
    assert.equal(answer?.healthy, false, 'reconciliation answers carry it too');
  });
});
