import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { selectTasksToKill, type InstanceView } from './instance-view';
import { scaleDecision, stopDecision } from './scale-step';

function t(id: string, startedAt: number, over: Partial<InstanceView> = {}): InstanceView {
  return { taskId: id, configVersion: 'v1', state: 'running', healthy: true, ready: true, startedAt, ...over };
}

describe('selectTasksToKill', () => {
  const tasks = [t('old', 1), t('mid', 2), t('young', 3), t('sick', 2, { healthy: false }), t('stage', 4, { state: 'staging', healthy: false }), t('lost', 0, { state: 'unreachable', healthy: false })];
  test('unreachable, staging, unhealthy first; then youngest', () => {
    assert.deepEqual(selectTasksToKill(tasks, 5, 'YOUNGEST_FIRST').map((x) => x.taskId), ['lost', 'stage', 'sick', 'young', 'mid']);
  });
  test('OLDEST_FIRST and user-named tasks', () => {
    assert.deepEqual(selectTasksToKill(tasks.slice(0, 3), 1, 'OLDEST_FIRST').map((x) => x.taskId), ['old']);
    assert.deepEqual(selectTasksToKill(tasks, 1, 'YOUNGEST_FIRST', ['old']).map((x) => x.taskId), ['old']);
  });
});

describe('scaleDecision', () => {
  test('scale up starts the difference, done when all run healthy and ready', () => {
    assert.deepEqual(scaleDecision({ instances: 3, tasks: [t('a', 1)], killSelection: 'YOUNGEST_FIRST' }), { start: 2, kill: [], done: false });
    assert.equal(scaleDecision({ instances: 2, tasks: [t('a', 1), t('b', 2)], killSelection: 'YOUNGEST_FIRST' }).done, true);
    assert.equal(scaleDecision({ instances: 2, tasks: [t('a', 1), t('b', 2, { ready: false })], killSelection: 'YOUNGEST_FIRST' }).done, false);
  });
  test('scale down kills by kill selection, tasks already being killed do not count', () => {
    const d = scaleDecision({ instances: 1, tasks: [t('a', 1), t('b', 2), t('c', 3, { state: 'killing' })], killSelection: 'YOUNGEST_FIRST' });
    assert.deepEqual(d, { start: 0, kill: ['b'], done: false });
  });
  test('stop kills everything and is done when nothing is left', () => {
    assert.deepEqual(stopDecision([t('a', 1), t('b', 1, { state: 'killing' })]), { start: 0, kill: ['a'], done: false });
    assert.equal(stopDecision([]).done, true);
  });
});
