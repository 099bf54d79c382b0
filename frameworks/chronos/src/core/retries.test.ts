import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { TaskState } from '@agora/model';
import { endWithoutTask, onAttemptEnded, type RetryPolicy } from './retries';
import { newRun, recordKillRequested, recordLaunched, startNextAttempt, type RunRecord } from './run-record';

const NOW = new Date('2026-01-15T12:00:00.000Z');
const POLICY: RetryPolicy = { retries: 2, retryDelaySeconds: 60, softError: false, maxCompletionTime: 0 };

function launched(run: RunRecord): RunRecord {
  return recordLaunched(run, { taskId: run.taskId ?? '', agentId: 'ag1', at: NOW });
}
const fresh = (): RunRecord => launched(newRun({ job: 'a', trigger: 'schedule', dueMs: NOW.getTime(), now: NOW }));
const end = (run: RunRecord, state: TaskState, atSec: number, exitCode?: number) => ({ taskId: run.taskId ?? '', state, at: new Date(NOW.getTime() + atSec * 1000), ...(exitCode !== undefined ? { exitCode } : {}) });

describe('retries', () => {
  test('success ends the run and triggers dependents', () => {
    const r = fresh();
    const res = onAttemptEnded(POLICY, r, end(r, 'TASK_FINISHED', 5, 0));
    assert.deepEqual([res.outcome.kind, res.run.status, res.run.exitCode, res.run.endedAt, res.triggersDependents], ['succeeded', 'succeeded', 0, '2026-01-15T12:00:05.000Z', true]);
    assert.equal(res.run.attempts[0]?.taskState, 'TASK_FINISHED');
  });
  test('a failure is retried after the delay, retries times, then the run fails', () => {
    let r = fresh();
    let res = onAttemptEnded(POLICY, r, end(r, 'TASK_FAILED', 5, 1));
    assert.deepEqual(res.outcome, { kind: 'retry', retryAt: '2026-01-15T12:01:05.000Z', nextAttempt: 2 });
    assert.equal(res.run.status, 'retrying');
    r = launched(startNextAttempt(res.run));
    res = onAttemptEnded(POLICY, r, end(r, 'TASK_LOST', 70));
    assert.equal(res.outcome.kind, 'retry');
    r = launched(startNextAttempt(res.run));
    assert.equal(r.attempt, 3);
    res = onAttemptEnded(POLICY, r, end(r, 'TASK_FAILED', 140, 2));
    assert.deepEqual([res.outcome.kind, res.run.status, res.triggersDependents], ['failed', 'failed', false]);
    assert.match(res.run.reason ?? '', /exit code 2/);
    assert.deepEqual(
      res.run.attempts.map((a) => [a.attempt, a.taskState]),
      [
        [1, 'TASK_FAILED'],
        [2, 'TASK_LOST'],
        [3, 'TASK_FAILED'],
      ],
    );
  });
  test('retries 0: the first failure is final; softError still triggers dependents', () => {
    const r = fresh();
    const res = onAttemptEnded({ ...POLICY, retries: 0, softError: true }, r, end(r, 'TASK_FAILED', 1, 1));
    assert.deepEqual([res.outcome.kind, res.triggersDependents], ['failed', true]);
  });
  test('FINISHED with a non-zero exit code is a failure', () => {
    const r = fresh();
    assert.equal(onAttemptEnded(POLICY, r, end(r, 'TASK_FINISHED', 1, 3)).outcome.kind, 'retry');
  });
  test('a timeout kill is a failure (retried); a user or Replace kill ends the run without retry', () => {
    const r = fresh();
    const t = onAttemptEnded(POLICY, recordKillRequested(r, 'timeout', NOW), end(r, 'TASK_KILLED', 10));
    assert.equal(t.outcome.kind, 'retry');
    assert.match(t.run.reason ?? '', /timed out/);
    assert.equal(t.run.killRequestedAt, undefined);
    for (const reason of ['user', 'replaced'] as const) {
      const k = onAttemptEnded(POLICY, recordKillRequested(r, reason, NOW), end(r, 'TASK_KILLED', 10));
      assert.deepEqual([k.outcome.kind, k.run.status, k.triggersDependents], ['killed', 'killed', false]);
    }
    // a task that finished before the kill landed succeeded
    assert.equal(onAttemptEnded(POLICY, recordKillRequested(r, 'user', NOW), end(r, 'TASK_FINISHED', 10, 0)).outcome.kind, 'succeeded');
  });
  test('stale, duplicate and non-terminal updates are ignored', () => {
    const r = fresh();
    assert.deepEqual(onAttemptEnded(POLICY, r, { ...end(r, 'TASK_FAILED', 1), taskId: 'ct:1:1:a:' }).outcome, { kind: 'ignored', why: 'stale' });
    assert.deepEqual(onAttemptEnded(POLICY, r, end(r, 'TASK_RUNNING', 1)).outcome, { kind: 'ignored', why: 'not-terminal' });
    const done = onAttemptEnded(POLICY, r, end(r, 'TASK_FINISHED', 1, 0)).run;
    assert.deepEqual(onAttemptEnded(POLICY, done, end(r, 'TASK_FINISHED', 2, 0)).outcome, { kind: 'ignored', why: 'duplicate' });
    const retrying = onAttemptEnded(POLICY, r, end(r, 'TASK_FAILED', 1, 1)).run;
    assert.deepEqual(onAttemptEnded(POLICY, retrying, end(r, 'TASK_FAILED', 2, 1)).outcome, { kind: 'ignored', why: 'duplicate' });
  });
  test('a run without a task ends at once when killed', () => {
    const r = newRun({ job: 'a', trigger: 'schedule', dueMs: NOW.getTime(), now: NOW });
    assert.deepEqual([endWithoutTask(r, 'user', NOW).status, endWithoutTask(r, 'replaced', NOW).status], ['killed', 'killed']);
  });
  test('property: a run that always fails makes exactly retries + 1 attempts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), (retries) => {
        let r = fresh();
        let attempts = 0;
        for (;;) {
          attempts++;
          const res = onAttemptEnded({ ...POLICY, retries }, r, end(r, 'TASK_FAILED', attempts * 100, 1));
          if (res.outcome.kind !== 'retry') {
            assert.equal(res.outcome.kind, 'failed');
            break;
          }
          r = launched(startNextAttempt(res.run));
        }
        assert.equal(attempts, retries + 1);
      }),
    );
  });
});
