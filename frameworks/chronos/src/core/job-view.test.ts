import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { toChronosJson, toChronosSummary } from './job-view';
import { validateJob } from './validate-job';
import type { Job } from './job-schema';
import { initialScheduleState } from './schedule-state';
import { emptyStats, newRun } from './run-record';

const NOW = new Date('2026-01-15T12:00:00.000Z');
function job(fields: Record<string, unknown>): Job {
  const r = validateJob({ command: 'true', ...fields }, { now: NOW });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.job;
}

describe('Chronos JSON read-back', () => {
  test('an ISO schedule is shown with the remaining repetitions and the next start', () => {
    const j = job({ name: 'r', schedule: 'R3/2026-01-15T13:00:00Z/PT1H' });
    const st = initialScheduleState(j, NOW);
    assert.ok(st);
    assert.equal(toChronosJson(j, undefined, st, NOW).schedule, 'R3/2026-01-15T13:00:00.000Z/PT1H');
    const later = { ...st, handledThrough: '2026-01-15T13:00:00.100Z' };
    assert.equal(toChronosJson(j, undefined, later, NOW).schedule, 'R2/2026-01-15T14:00:00.000Z/PT1H');
  });
  test('statistics and extensions are included; the output validates back to the same job', () => {
    const j = job({ name: 'c', schedule: '0 3 * * *', scheduleTimeZone: 'Europe/Berlin', concurrencyPolicy: 'Replace', startingDeadlineSeconds: 120 });
    const out = toChronosJson(j, { ...emptyStats(), successCount: 4, lastSuccess: '2026-01-15T02:00:05.000Z' }, undefined, NOW);
    assert.deepEqual([out.successCount, out.errorCount, out.lastSuccess, out.lastError, out.concurrent, out.concurrencyPolicy], [4, 0, '2026-01-15T02:00:05.000Z', '', false, 'Replace']);
    const again = validateJob(out, { now: NOW });
    assert.ok(again.ok);
    if (again.ok) {
      assert.deepEqual(again.job, j);
      assert.deepEqual(again.warnings, []);
    }
  });
  test('a dependent job shows parents, not a schedule', () => {
    const out = toChronosJson(job({ name: 'd', parents: ['a'] }), undefined, undefined, NOW);
    assert.deepEqual([out.parents, 'schedule' in out], [['a'], false]);
  });
  test('summary: state from the last result, status from active runs', () => {
    const j = job({ name: 's', schedule: '@daily' });
    const run = newRun({ job: 's', trigger: 'manual', dueMs: NOW.getTime(), now: NOW });
    assert.deepEqual(toChronosSummary(j, undefined, [run], undefined, NOW), { name: 's', state: 'fresh', status: 'queued', schedule: '@daily', disabled: false });
    assert.equal(toChronosSummary(j, { ...emptyStats(), lastError: '2026-01-01T00:00:00.000Z' }, [{ ...run, status: 'running' }], undefined, NOW).status, 'running');
  });
});
