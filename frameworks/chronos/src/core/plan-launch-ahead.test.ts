import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { planLaunchAhead } from './plan-launch-ahead';
import { planTick } from './plan-tick';
import { validateJob } from './validate-job';
import type { Job } from './job-schema';
import { initialScheduleState, type ScheduleState } from './schedule-state';
import { newRun, type RunRecord } from './run-record';

const T0 = new Date('2026-01-15T12:00:00.500Z');
const at = (iso: string): Date => new Date(iso);

function job(fields: Record<string, unknown>): Job {
  const r = validateJob({ command: 'true', ...fields }, { now: T0 });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.job;
}
function stateOf(j: Job): ScheduleState {
  const s = initialScheduleState(j, T0);
  assert.ok(s);
  return s;
}
function ahead(now: Date, jobs: Job[], active: RunRecord[] = [], aheadMs = 5000) {
  return planLaunchAhead({
    now,
    aheadMs,
    jobs: new Map(jobs.map((j) => [j.name, j])),
    scheduleStates: new Map(jobs.filter((j) => j.schedule !== undefined).map((j) => [j.name, stateOf(j)])),
    activeRuns: active,
  });
}

describe('planLaunchAhead', () => {
  const forbid = job({ name: 'f', schedule: '* * * * *' });
  const allow = job({ name: 'a', schedule: '* * * * *', concurrent: true });
  const replace = job({ name: 'r', schedule: '* * * * *', concurrencyPolicy: 'Replace' });

  test('within aheadMs of the due time: exactly what planTick decides at the due time (same run, same state)', () => {
    const now = at('2026-01-15T12:00:56Z');
    const r = ahead(now, [forbid, allow, replace]);
    const due = at('2026-01-15T12:01:00Z');
    const atDue = planTick({
      now: due,
      jobs: new Map([forbid, allow, replace].map((j) => [j.name, j])),
      scheduleStates: new Map([forbid, allow, replace].map((j) => [j.name, stateOf(j)])),
      dependencyStates: new Map(),
      activeRuns: [],
    });
    assert.deepEqual(r.plan.starts.map((s) => ({ ...s, run: { ...s.run, createdAt: '' } })), atDue.starts.map((s) => ({ ...s, run: { ...s.run, createdAt: '' } })));
    assert.deepEqual(r.plan.scheduleStates, atDue.scheduleStates);
    assert.deepEqual(r.plan.starts.map((s) => [s.run.runKey, s.run.scheduledTime, s.run.lateMs, s.run.createdAt]).sort(), [
      ['a@2026-01-15T12:01:00.000Z', '2026-01-15T12:01:00.000Z', 0, now.toISOString()],
      ['f@2026-01-15T12:01:00.000Z', '2026-01-15T12:01:00.000Z', 0, now.toISOString()],
      ['r@2026-01-15T12:01:00.000Z', '2026-01-15T12:01:00.000Z', 0, now.toISOString()],
    ].sort());
    assert.deepEqual(r.plan.records, []);
    assert.equal(r.nextWakeAt, null);
  });

  test('the ordinary tick after it has nothing left to decide for that time', () => {
    const r = ahead(at('2026-01-15T12:00:58Z'), [forbid]);
    const st = r.plan.scheduleStates[0];
    assert.ok(st);
    const run = r.plan.starts[0]?.run;
    assert.ok(run);
    const p = planTick({ now: at('2026-01-15T12:01:00.010Z'), jobs: new Map([[forbid.name, forbid]]), scheduleStates: new Map([[st.job, st]]), dependencyStates: new Map(), activeRuns: [run] });
    assert.deepEqual([p.starts, p.records, p.kills], [[], [], []]);
  });

  test('too early: nothing now, a wake-up aheadMs before the due time', () => {
    const r = ahead(at('2026-01-15T12:00:30Z'), [forbid]);
    assert.deepEqual(r.plan.starts, []);
    assert.equal(r.nextWakeAt, '2026-01-15T12:00:55.000Z');
  });

  test('not certain, not ahead: a job with an active run (any policy), a dependent or disabled job, aheadMs 0, a time already due', () => {
    const now = at('2026-01-15T12:00:57Z');
    const active = [forbid, allow, replace].map((j) => newRun({ job: j.name, trigger: 'manual', dueMs: now.getTime() - 1000, now }));
    assert.deepEqual(ahead(now, [forbid, allow, replace], active).plan.starts, []);
    const child = job({ name: 'c', parents: ['f'] });
    const off = job({ name: 'o', schedule: '* * * * *', disabled: true });
    assert.deepEqual(ahead(now, [child, off]).plan.starts, []);
    assert.deepEqual(ahead(now, [forbid], [], 0), { plan: ahead(now, [], [], 0).plan, nextWakeAt: null });
    assert.deepEqual(ahead(at('2026-01-15T12:01:00Z'), [forbid]).plan.starts, []);
  });
});
