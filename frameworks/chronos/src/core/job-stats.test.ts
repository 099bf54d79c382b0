import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newestFirst, runTimeHistogram, taskStatHistory } from './job-stats';
import { newRun, type RunRecord } from './run-record';

const NOW = new Date('2026-01-15T12:00:00.000Z');
function done(i: number, secs: number, status: RunRecord['status'] = 'succeeded'): RunRecord {
  const r = newRun({ job: 'j', trigger: 'schedule', dueMs: NOW.getTime() + i * 60_000, now: NOW });
  const start = NOW.getTime() + i * 60_000;
  const startedAt = new Date(start).toISOString();
  const endedAt = new Date(start + secs * 1000).toISOString();
  return { ...r, status, startedAt, endedAt, attempts: [{ attempt: 1, taskId: r.taskId ?? '', startedAt, endedAt, taskState: status === 'succeeded' ? 'TASK_FINISHED' : 'TASK_FAILED' }] };
}

describe('job statistics', () => {
  test('histogram over succeeded runs only', () => {
    const runs = [done(0, 1), done(1, 2), done(2, 3), done(3, 4), done(4, 100, 'failed')];
    const h = runTimeHistogram(runs);
    assert.equal(h.count, 4);
    assert.equal(h.mean, 2.5);
    assert.equal(h.median, 2);
    assert.equal(h['99thPercentile'], 4);
    assert.deepEqual(runTimeHistogram([]).count, 0);
  });
  test('task history newest first, one row per attempt', () => {
    const runs = [done(0, 1), done(2, 3, 'failed'), done(1, 2)];
    assert.deepEqual(newestFirst(runs).map((r) => r.runKey), [runs[1]?.runKey, runs[2]?.runKey, runs[0]?.runKey]);
    const rows = taskStatHistory(runs, 2);
    assert.equal(rows.length, 2);
    assert.equal(rows[0]?.status, 'TASK_FAILED');
    assert.equal(rows[0]?.elapsed, 3);
  });
});
