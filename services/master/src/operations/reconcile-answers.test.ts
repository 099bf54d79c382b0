import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { KnownTask, ReconcileContext, reconcileAnswers } from './reconcile-answers';

const running: KnownTask = {
  taskId: 'web.1',
  agentId: 'S1',
  state: 'TASK_RUNNING',
  latest: { taskId: 'web.1', frameworkId: 'F', agentId: 'S1', state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', uuid: 'u1', timestamp: 100, healthy: true, ipAddresses: ['10.0.0.1'] },
};
const finished: KnownTask = { taskId: 'job.1', agentId: 'S1', state: 'TASK_FINISHED' };

function ctx(over: Partial<ReconcileContext> = {}): ReconcileContext {
  return {
    frameworkId: 'F',
    active: new Map([['web.1', running]]),
    completed: new Map([['job.1', finished]]),
    recoveredAgentIds: new Set(),
    nowSeconds: 500,
    ...over,
  };
}

describe('reconcileAnswers', () => {
  test('implicit: every non-terminal task, current state, no uuid, REASON_RECONCILIATION', () => {
    const out = reconcileAnswers([], ctx());
    assert.equal(out.length, 1);
    const s = out[0]!;
    assert.equal(s.taskId, 'web.1');
    assert.equal(s.state, 'TASK_RUNNING');
    assert.equal(s.reason, 'REASON_RECONCILIATION');
    assert.equal(s.source, 'SOURCE_MASTER');
    assert.equal(s.uuid, undefined);
    assert.equal(s.healthy, true);
    assert.deepEqual(s.ipAddresses, ['10.0.0.1']);
    assert.equal(s.timestamp, 100);
  });

  test('explicit: known active, known completed, unknown → LOST', () => {
    const out = reconcileAnswers([{ taskId: 'web.1' }, { taskId: 'job.1' }, { taskId: 'ghost', agentId: 'S9' }], ctx());
    assert.deepEqual(
      out.map((s) => [s.taskId, s.state]),
      [
        ['web.1', 'TASK_RUNNING'],
        ['job.1', 'TASK_FINISHED'],
        ['ghost', 'TASK_LOST'],
      ],
    );
    assert.equal(out[2]?.agentId, 'S9');
    assert.equal(out[2]?.timestamp, 500);
  });

  test('explicit: no answer for a task whose agent has not re-registered since the failover', () => {
    assert.deepEqual(reconcileAnswers([{ taskId: 'ghost', agentId: 'S2' }], ctx({ recoveredAgentIds: new Set(['S2']) })), []);
    // no agent given while some agents are still expected: wait too
    assert.deepEqual(reconcileAnswers([{ taskId: 'ghost' }], ctx({ recoveredAgentIds: new Set(['S2']) })), []);
    // a different agent that is known: LOST
    assert.equal(reconcileAnswers([{ taskId: 'ghost', agentId: 'S3' }], ctx({ recoveredAgentIds: new Set(['S2']) }))[0]?.state, 'TASK_LOST');
  });

  test('explicit: a task listed twice is answered once', () => {
    assert.equal(reconcileAnswers([{ taskId: 'web.1' }, { taskId: 'web.1' }], ctx()).length, 1);
  });
});
