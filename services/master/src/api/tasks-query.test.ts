import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterState, FrameworkView, TaskView } from '@agora/contracts';
import { parseTasksQuery, selectTasks } from './tasks-query';

function t(id: string, fid: string, ts: number): TaskView {
  return { taskId: id, name: id, frameworkId: fid, agentId: 'S1', state: 'TASK_RUNNING', resources: { scalars: {}, ports: [] }, labels: {}, statuses: [{ taskId: id, frameworkId: fid, state: 'TASK_STAGING', source: 'SOURCE_MASTER', timestamp: ts }] };
}
function f(id: string, tasks: TaskView[], completed: TaskView[] = []): FrameworkView {
  return { id, info: { name: id, user: 'root', role: '*', failoverTimeoutSeconds: 0, checkpoint: true, capabilities: [], labels: {} }, active: true, connected: true, registeredTime: 0, tasks, completedTasks: completed, offeredResources: { scalars: {}, ports: [] }, usedResources: { scalars: {}, ports: [] }, offers: [] };
}

const cs = {
  frameworks: [f('A', [t('a1', 'A', 1), t('a2', 'A', 3)], [t('a0', 'A', 0)]), f('B', [t('b1', 'B', 2)])],
  completedFrameworks: [f('C', [], [t('c1', 'C', 4)])],
} as unknown as ClusterState;

describe('/master/tasks query', () => {
  test('defaults: limit 100, offset 0, newest first, all frameworks incl. completed ones', () => {
    const q = parseTasksQuery({});
    assert.deepEqual(q, { limit: 100, offset: 0, order: 'des' });
    assert.deepEqual(selectTasks(cs, q).map((x) => x.taskId), ['c1', 'a2', 'b1', 'a1', 'a0']);
  });
  test('asc, limit, offset', () => {
    assert.deepEqual(selectTasks(cs, parseTasksQuery({ order: 'asc', limit: '2', offset: '1' })).map((x) => x.taskId), ['a1', 'b1']);
  });
  test('framework_id and task_id filters', () => {
    assert.deepEqual(selectTasks(cs, parseTasksQuery({ framework_id: 'A' })).map((x) => x.taskId), ['a2', 'a1', 'a0']);
    assert.deepEqual(selectTasks(cs, parseTasksQuery({ task_id: 'b1' })).map((x) => x.taskId), ['b1']);
  });
  test('garbage query values fall back to defaults', () => {
    assert.deepEqual(parseTasksQuery({ limit: '-5', offset: 'x', order: 'sideways' }), { limit: 100, offset: 0, order: 'des' });
  });
});
