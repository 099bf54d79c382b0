import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppDefinition } from './app-definition';
import { parseApp } from './validate-app';
import { checkDeadline, deadlinePolicy, madeProgress, progressMark } from './progress-deadline';
import type { InstanceView } from './instance-view';

const NOW = '2024-05-01T10:00:00.000Z';
function app(id: string, strategy: Record<string, unknown>): AppDefinition {
  const r = parseApp({ id, cmd: 'x', upgradeStrategy: strategy }, { now: NOW });
  if (!r.ok) assert.fail(JSON.stringify(r.error));
  return r.value;
}

describe('progress deadline', () => {
  test('the tightest deadline of the step applies, rollback by default', () => {
    assert.equal(deadlinePolicy([app('a', {})]), undefined);
    assert.deepEqual(deadlinePolicy([app('a', { progressDeadlineSeconds: 600 }), app('b', { progressDeadlineSeconds: 300, rollbackOnDeadline: false }), app('c', {})]), {
      seconds: 300,
      rollback: false,
      app: '/b',
    });
    assert.deepEqual(deadlinePolicy([app('a', { progressDeadlineSeconds: 60 })]), { seconds: 60, rollback: true, app: '/a' });
  });
  test('verdicts', () => {
    const p = { seconds: 60, rollback: true, app: '/a' };
    assert.deepEqual(checkDeadline(undefined, 0, 1e9), { kind: 'none' });
    assert.deepEqual(checkDeadline(p, 1000, 30_000), { kind: 'ok', dueAt: 61_000 });
    assert.deepEqual(checkDeadline(p, 1000, 61_000), { kind: 'exceeded', action: 'rollback', app: '/a', stalledSeconds: 60 });
    assert.equal((checkDeadline({ ...p, rollback: false }, 0, 99_000) as { action: string }).action, 'fail');
  });
  test('progress is a step advancing, a new task ready, or an old task gone', () => {
    const t = (id: string, v: string, over: Partial<InstanceView> = {}): InstanceView => ({ taskId: id, configVersion: v, state: 'running', healthy: true, ready: true, startedAt: 0, ...over });
    const target = (): string => 'v2';
    const m0 = progressMark(0, [t('1', 'v1'), t('2', 'v2', { healthy: false })], target);
    assert.deepEqual(m0, { stepIndex: 0, readyNew: 0, remainingOld: 1 });
    assert.ok(!madeProgress(m0, progressMark(0, [t('1', 'v1'), t('2', 'v2', { healthy: false }), t('3', 'v2', { state: 'staging', healthy: false })], target)));
    assert.ok(madeProgress(m0, progressMark(0, [t('1', 'v1'), t('2', 'v2')], target)));
    assert.ok(madeProgress(m0, progressMark(0, [t('2', 'v2', { healthy: false })], target)));
    assert.ok(madeProgress(m0, { ...m0, stepIndex: 1 }));
  });
});
