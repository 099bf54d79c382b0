import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { markJobSuccess, settleAttempt } from './run-outcome';
import { emptyStats, newRun, recordLaunched } from './run-record';
import { validateJob } from './validate-job';

const at = (s: number): Date => new Date(Date.parse('2026-01-15T12:00:00.000Z') + s * 1000);

describe('run outcome → stats and dependents', () => {
  const r = validateJob({ name: 'p1', command: 'x', schedule: '@daily' }, { now: at(0) });
  assert.ok(r.ok);
  const parent = r.job;
  const jobs = new Map([
    ['p1', { name: 'p1', parents: [] as string[] }],
    ['child', { name: 'child', parents: ['p1'] }],
  ]);
  const run = recordLaunched(newRun({ job: 'p1', trigger: 'schedule', dueMs: at(0).getTime(), now: at(0) }), { taskId: `ct:${at(0).getTime()}:1:p1:`, agentId: 'a', at: at(1) });
  test('a failure with retries left neither counts nor triggers', () => {
    const fail = settleAttempt({ job: parent, run, end: { taskId: run.taskId ?? '', state: 'TASK_FAILED', at: at(2) }, stats: emptyStats(), jobs, dependencyStates: new Map() });
    assert.deepEqual([fail.outcome.kind, fail.stats.errorCount, fail.dependencyStates], ['retry', 0, []]);
  });
  test('a success counts and marks the children', () => {
    const ok = settleAttempt({ job: parent, run, end: { taskId: run.taskId ?? '', state: 'TASK_FINISHED', at: at(2), exitCode: 0 }, stats: emptyStats(), jobs, dependencyStates: new Map() });
    assert.deepEqual([ok.outcome.kind, ok.stats.successCount, ok.dependencyStates.map((s) => s.job)], ['succeeded', 1, ['child']]);
  });
  test('the final failure counts as an error', () => {
    const last = { ...run, attempt: 3 };
    const fail = settleAttempt({ job: parent, run: last, end: { taskId: run.taskId ?? '', state: 'TASK_FAILED', at: at(2) }, stats: emptyStats(), jobs, dependencyStates: new Map() });
    assert.deepEqual([fail.outcome.kind, fail.stats.errorCount, fail.stats.lastError, fail.dependencyStates], ['failed', 1, at(2).toISOString(), []]);
  });
  test('mark success counts and triggers the children', () => {
    const marked = markJobSuccess({ name: 'p1', now: at(5), stats: emptyStats(), jobs, dependencyStates: new Map() });
    assert.deepEqual([marked.stats.successCount, marked.dependencyStates[0]?.satisfied.p1?.runKey], [1, 'p1@manual-2026-01-15T12:00:05.000Z']);
  });
});
