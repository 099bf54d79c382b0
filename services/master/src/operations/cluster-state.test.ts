import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resources } from '@agora/model';
import type { AgentInfo, FrameworkInfo, MasterInfo } from '@agora/contracts';
import { MasterState } from '../registry/master-state';
import type { TaskEntry } from '../registry/types';
import { buildClusterState, fitToPayload } from './cluster-state';

const me: MasterInfo = { id: 'M', hostname: 'm', ip: '127.0.0.1', port: 5050, url: 'http://127.0.0.1:5050', version: '0.1.0', epoch: 2 };
const fwInfo: FrameworkInfo = { name: 'f', user: 'root', role: '*', failoverTimeoutSeconds: 0, checkpoint: true, capabilities: [], labels: {} };
const agent: AgentInfo = { id: 'S1', hostname: 'h', ip: '127.0.1.1', port: 5051, resources: resources({ cpus: 8, mem: 8192 }), attributes: {} };

function task(id: string, state: TaskEntry['state'], nStatuses: number): TaskEntry {
  return {
    info: { taskId: id, name: id, agentId: 'S1', resources: resources({ cpus: 0.01 }), labels: {} },
    frameworkId: 'F',
    agentId: 'S1',
    state,
    statuses: Array.from({ length: nStatuses }, (_, i) => ({ taskId: id, frameworkId: 'F', state, source: 'SOURCE_AGENT' as const, timestamp: i, message: 'x'.repeat(50) })),
    appliedUuids: [],
    createdAt: 0,
  };
}

function stateWith(live: number, done: number): MasterState {
  const s = new MasterState();
  s.electedAt = 2000;
  s.agents.set('S1', s.newAgent(agent, 1000));
  const fw = s.newFramework('F', fwInfo, 1500, { connected: true, placeholder: false });
  s.frameworks.set('F', fw);
  for (let i = 0; i < live; i++) s.addActiveTask(fw, task(`l${i}`, 'TASK_RUNNING', 10));
  for (let i = 0; i < done; i++) s.pushCompleted(fw, task(`d${i}`, 'TASK_FINISHED', 10));
  return s;
}

describe('ClusterState snapshot', () => {
  test('times in seconds, offers per framework, sequence passed through', () => {
    const s = stateWith(2, 1);
    s.addOffer({ offer: { id: 'O1', frameworkId: 'F', agentId: 'S1', hostname: 'h', agentIp: '127.0.1.1', resources: resources({ cpus: 1 }), attributes: {}, allocationRole: '*' }, createdAt: 0 });
    const cs = buildClusterState({ state: s, self: me, leader: me, startTimeMs: 1000, eventSequence: 7, flags: { nats: 'n' } });
    assert.equal(cs.startTime, 1);
    assert.equal(cs.electedTime, 2);
    assert.equal(cs.eventSequence, 7);
    assert.equal(cs.agents[0]?.registeredTime, 1);
    assert.equal(cs.frameworks[0]?.tasks.length, 2);
    assert.equal(cs.frameworks[0]?.completedTasks.length, 1);
    assert.deepEqual(cs.frameworks[0]?.offers.map((o) => o.id), ['O1']);
    assert.deepEqual(cs.agents[0]?.offeredResources, resources({ cpus: 1 }));
  });

  test('fitToPayload drops history first and keeps every live task', () => {
    const cs = buildClusterState({ state: stateWith(50, 200), self: me, leader: me, startTimeMs: 0, eventSequence: 0, flags: {} });
    const full = Buffer.byteLength(JSON.stringify(cs));
    assert.deepEqual(fitToPayload(cs, full).trimmed, []);
    const { state, trimmed } = fitToPayload(cs, 60_000);
    assert.ok(Buffer.byteLength(JSON.stringify(state)) <= 60_000, `${Buffer.byteLength(JSON.stringify(state))}`);
    assert.deepEqual(trimmed, ['status history', 'completed tasks']);
    assert.equal(state.frameworks[0]?.tasks.length, 50);
    assert.equal(state.frameworks[0]?.tasks[0]?.statuses.length, 1);
  });
});
