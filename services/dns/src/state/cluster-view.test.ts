import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterState, TaskView } from '@agora/contracts';
import { buildRecordSet, defaultDnsConfig } from '../records';
import { fixtureState, FIXTURE_AGENTS } from '../records/fixture-state';
import { CARRY_AGENT_MS, CARRY_TASK_AFTER_REREGISTER_MS, ClusterView, type TaskEventMsg } from './cluster-view';

const config = defaultDnsConfig();

function names(view: ClusterView): Set<string> {
  return new Set(buildRecordSet(view.toClusterState(), config).a.keys());
}

function taskOf(state: ClusterState, name: string): TaskView {
  for (const f of state.frameworks) for (const t of f.tasks) if (t.name === name) return t;
  throw new Error(`no task ${name}`);
}

function taskEvent(task: TaskView, state: TaskView['state'], sequence: number): TaskEventMsg {
  return {
    epoch: 1,
    sequence,
    task: { ...task, state },
    status: { taskId: task.taskId, frameworkId: task.frameworkId, state, source: 'SOURCE_AGENT', timestamp: 2000 },
  };
}

test('a snapshot gives the same records as the state it came from', () => {
  const state = fixtureState();
  const view = new ClusterView();
  assert.equal(view.loaded, false);
  assert.equal(view.toClusterState(), undefined);
  view.replace(state, 1, 0);
  const direct = buildRecordSet(state, config);
  const viaView = buildRecordSet(view.toClusterState(), config);
  assert.deepEqual([...viaView.a.keys()].sort(), [...direct.a.keys()].sort());
  assert.deepEqual([...viaView.srv.keys()].sort(), [...direct.srv.keys()].sort());
});

test('task events: running adds, terminal removes, other moves change nothing served', () => {
  const state = fixtureState();
  const car = taskOf(state, 'car-store');
  const view = new ClusterView();
  view.replace({ ...state, frameworks: state.frameworks.map((f) => ({ ...f, tasks: f.tasks.filter((t) => t.taskId !== car.taskId) })) }, 1, 0);
  assert.ok(!names(view).has('car-store.marathon.mesos.'));

  assert.equal(view.applyTask(taskEvent(car, 'TASK_STAGING', 43)), 'unchanged');
  assert.equal(view.applyTask(taskEvent(car, 'TASK_RUNNING', 44)), 'changed');
  assert.ok(names(view).has('car-store.marathon.mesos.'));
  assert.equal(view.applyTask(taskEvent(car, 'TASK_KILLED', 45)), 'changed');
  assert.ok(!names(view).has('car-store.marathon.mesos.'));
  assert.equal(view.applyTask(taskEvent(car, 'TASK_KILLED', 46)), 'unchanged');

  assert.equal(view.applyTask({ ...taskEvent(car, 'TASK_RUNNING', 47), task: { ...car, frameworkId: 'nobody' } }), 'unknown');
});

test('agent and framework events', () => {
  const state = fixtureState();
  const view = new ClusterView();
  view.replace(state, 1, 0);
  const s0 = state.agents.find((a) => a.id === FIXTURE_AGENTS.S0);
  assert.ok(s0);
  assert.equal(view.applyAgent({ epoch: 1, sequence: 43, type: 'REMOVED', agent: { ...s0, status: 'GONE' } }, 0), 'changed');
  assert.ok(!names(view).has('car-store.marathon.mesos.'));
  const marathon = state.frameworks.find((f) => f.info.name === 'marathon');
  assert.ok(marathon);
  const { tasks: _t, completedTasks: _c, offers: _o, ...summary } = marathon;
  assert.equal(view.applyFramework({ epoch: 1, sequence: 44, type: 'UPDATED', framework: summary }), 'unchanged');
  assert.equal(view.applyFramework({ epoch: 1, sequence: 45, type: 'REMOVED', framework: summary }), 'changed');
  assert.ok(![...names(view)].some((n) => n.endsWith('.marathon.mesos.') && n !== 'marathon.mesos.'));
});

test('after a leader change, agents not yet re-registered keep their tasks until they come back', () => {
  const state = fixtureState();
  const view = new ClusterView();
  view.replace(state, 1, 0);
  const before = names(view);
  assert.ok(before.has('car-store.marathon.mesos.'));

  // The new leader's first snapshot: no agents, no tasks yet.
  const empty: ClusterState = { ...state, agents: [], frameworks: [], eventSequence: 0 };
  view.replace(empty, 2, 1000);
  assert.deepEqual(names(view), before, 'nothing vanishes while agents re-register');
  assert.ok(view.carriedCount > 0);

  // S0 re-registers and reports only car-store again: its other tasks go after the grace period.
  const s0 = state.agents.find((a) => a.id === FIXTURE_AGENTS.S0);
  assert.ok(s0);
  view.applyAgent({ epoch: 2, sequence: 1, type: 'REREGISTERED', agent: s0 }, 2000);
  view.applyTask(taskEvent(taskOf(state, 'car-store'), 'TASK_RUNNING', 2));
  assert.equal(view.expireCarried(2000 + CARRY_TASK_AFTER_REREGISTER_MS - 1), false);
  assert.equal(view.expireCarried(2000 + CARRY_TASK_AFTER_REREGISTER_MS), true);
  const after = names(view);
  assert.ok(after.has('car-store.marathon.mesos.'));
  assert.ok(!after.has('svc.pod-123abc.marathon-0.6.0-dev.mesos.'), 'a task S0 did not report is gone');

  // Agents that never come back go after CARRY_AGENT_MS.
  assert.equal(view.expireCarried(1000 + CARRY_AGENT_MS), true);
  assert.equal(view.carriedCount, 0);
  assert.ok(!names(view).has('web-prod.marathon.mesos.'), 'tasks of S1, which never re-registered, are gone');
});

test('a resnapshot in the same epoch replaces everything (no carrying)', () => {
  const state = fixtureState();
  const view = new ClusterView();
  view.replace(state, 1, 0);
  view.replace({ ...state, agents: [], frameworks: [] }, 1, 10);
  assert.equal(view.carriedCount, 0);
  assert.equal(view.taskCount(), 0);
});
