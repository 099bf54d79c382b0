import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resources } from '@agora/model';
import type { AgentInfo, FrameworkEvent, FrameworkInfo, TaskInfo } from '@agora/contracts';
import type { Bus } from '@agora/nats';
import { MasterState } from '../registry/master-state';
import { TaskUpdater } from '../registry/task-updater';
import type { TaskEntry } from '../registry/types';
import { ClusterEvents } from '../events/cluster-events';
import { FrameworkOutbox } from '../events/framework-outbox';
import { MasterUpdates } from '../events/master-updates';
import { AllocationTrigger } from '../offers/allocation-trigger';
import { Metrics } from '../metrics';
import { TaskAdoption } from './task-adoption';

const agentInfo: AgentInfo = { id: 'S1', hostname: 'h1', ip: '127.0.1.1', port: 5051, resources: resources({ cpus: 4, mem: 4096 }), attributes: {}, workDir: '/w' };
const fwInfo = (caps: string[] = []): FrameworkInfo => ({ name: 'fw', user: 'root', role: '*', failoverTimeoutSeconds: 60, checkpoint: true, capabilities: caps, labels: {} });
const info = (id: string): TaskInfo => ({ taskId: id, name: id, agentId: 'S1', resources: resources({ cpus: 1, mem: 10 }), command: { value: 'x', shell: true, environment: {}, uris: [] }, labels: {} });

/** The real classes, with a Bus that records what would be published. */
function setup() {
  const published: Array<{ subject: string; msg: unknown }> = [];
  const bus = { publish: (def: { subject: (...a: string[]) => string }, args: string[], msg: unknown) => published.push({ subject: def.subject(...args), msg }) } as unknown as Bus;
  const state = new MasterState();
  state.leading = true;
  state.epoch = 1;
  const events = new ClusterEvents(bus, state);
  const outbox = new FrameworkOutbox(bus);
  const updates = new MasterUpdates(outbox);
  const tasks = new TaskUpdater(state, events, outbox, updates, new Metrics(), new AllocationTrigger());
  const adoption = new TaskAdoption(state, tasks, events);
  const agent = state.newAgent(agentInfo, 0);
  state.agents.set('S1', agent);
  const fwEvents = (fid: string): FrameworkEvent[] => {
    outbox.flushAll();
    return published.filter((p) => p.subject === `agora.framework.${fid}.event`).flatMap((p) => (p.msg as { events: FrameworkEvent[] }).events);
  };
  return { state, agent, adoption, updates, fwEvents, published };
}

function entry(id: string, state: TaskEntry['state'], source: 'SOURCE_MASTER' | 'SOURCE_AGENT' = 'SOURCE_AGENT', createdAt = 0): TaskEntry {
  return { info: info(id), frameworkId: 'F', agentId: 'S1', state, statuses: [{ taskId: id, frameworkId: 'F', state, source, timestamp: 1 }], appliedUuids: [], createdAt };
}

describe('TaskAdoption (agent re-registration)', () => {
  test('unknown tasks are adopted, with a placeholder for a framework not subscribed yet', () => {
    const { state, agent, adoption } = setup();
    adoption.adopt(agent, [{ frameworkId: 'F', task: info('t1'), state: 'TASK_RUNNING' }], [{ id: 'F', info: fwInfo() }], { reregistration: true, wasUnreachable: false, now: 1000 });
    state.recomputeAgentUsage('S1');
    const fw = state.frameworks.get('F');
    assert.ok(fw?.placeholder);
    assert.equal(fw?.info.failoverTimeoutSeconds, 60);
    assert.equal(fw?.tasks.get('t1')?.state, 'TASK_RUNNING');
    assert.equal(fw?.tasks.get('t1')?.sandbox, '/w/sandboxes/F/t1');
    assert.deepEqual(agent.used, resources({ cpus: 1, mem: 10 }));
  });

  test('a task the master declared LOST comes back active, and the framework hears its real state', () => {
    const { state, agent, adoption, fwEvents } = setup();
    const fw = state.newFramework('F', fwInfo(), 0, { connected: true, placeholder: false });
    state.frameworks.set('F', fw);
    state.pushCompleted(fw, entry('t1', 'TASK_LOST', 'SOURCE_MASTER'));
    adoption.adopt(agent, [{ frameworkId: 'F', task: info('t1'), state: 'TASK_RUNNING' }], [], { reregistration: true, wasUnreachable: true, now: 1000 });
    assert.equal(fw.tasks.get('t1')?.state, 'TASK_RUNNING');
    assert.equal(fw.completed.length, 0);
    assert.deepEqual(fw.used, resources({ cpus: 1, mem: 10 }));
    const upd = fwEvents('F').filter((e) => e.type === 'UPDATE');
    assert.equal(upd.length, 1);
    assert.equal(upd[0]?.type === 'UPDATE' && upd[0].status.state, 'TASK_RUNNING');
    assert.equal(upd[0]?.type === 'UPDATE' && upd[0].status.source, 'SOURCE_MASTER');
    assert.equal(upd[0]?.type === 'UPDATE' && upd[0].status.uuid, undefined);
  });

  test('tasks the agent does not report are lost (GONE when partition-aware); a young STAGING one is spared', () => {
    const { state, agent, adoption, fwEvents, updates } = setup();
    const f = state.newFramework('F', fwInfo(), 0, { connected: true, placeholder: false });
    const p = state.newFramework('P', fwInfo(['PARTITION_AWARE']), 0, { connected: true, placeholder: false });
    state.frameworks.set('F', f);
    state.frameworks.set('P', p);
    state.addActiveTask(f, entry('old', 'TASK_RUNNING'));
    state.addActiveTask(p, { ...entry('pa', 'TASK_RUNNING'), frameworkId: 'P' });
    state.addActiveTask(f, entry('young', 'TASK_STAGING', 'SOURCE_MASTER', 9_500));
    adoption.adopt(agent, [], [], { reregistration: true, wasUnreachable: false, now: 10_000 });
    assert.equal(f.tasks.has('old'), false);
    assert.equal(f.completed[0]?.state, 'TASK_LOST');
    assert.equal(p.completed[0]?.state, 'TASK_GONE');
    assert.equal(f.tasks.get('young')?.state, 'TASK_STAGING');
    const lost = fwEvents('F').find((e) => e.type === 'UPDATE');
    assert.ok(lost?.type === 'UPDATE' && lost.status.uuid !== undefined && lost.status.reason === 'REASON_AGENT_RESTARTED');
    assert.equal(updates.size, 2);
  });

  test('tasks of torn-down frameworks are reported back for shutdown, not adopted', () => {
    const { state, agent, adoption } = setup();
    state.tornDown.add('DEAD');
    const torn = adoption.adopt(agent, [{ frameworkId: 'DEAD', task: info('z'), state: 'TASK_RUNNING' }], [], { reregistration: true, wasUnreachable: false, now: 1 });
    assert.deepEqual([...torn], ['DEAD']);
    assert.equal(state.frameworks.has('DEAD'), false);
  });

  test('re-registration with nothing new changes nothing', () => {
    const { state, agent, adoption } = setup();
    const fw = state.newFramework('F', fwInfo(), 0, { connected: true, placeholder: false });
    state.frameworks.set('F', fw);
    state.addActiveTask(fw, entry('t1', 'TASK_RUNNING'));
    adoption.adopt(agent, [{ frameworkId: 'F', task: info('t1'), state: 'TASK_RUNNING' }], [], { reregistration: true, wasUnreachable: false, now: 5 });
    assert.equal(fw.tasks.get('t1')?.statuses.length, 1);
    assert.deepEqual(fw.used, resources({ cpus: 1, mem: 10 }));
  });
});
