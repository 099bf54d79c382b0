import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { planKillJob, planManualRun, planTick, type TickInput, type TickPlan } from './plan-tick';
import { validateJob } from './validate-job';
import type { Job } from './job-schema';
import { initialScheduleState, scheduleStateOnUpsert, type ScheduleState } from './schedule-state';
import { isActive, newRun, recordLaunched, type RunRecord } from './run-record';
import { onAttemptEnded } from './retries';
import type { DependencyState } from './dag';
import { runsBetween } from './schedule';
import { scheduleOf } from './schedule-state';

const T0 = new Date('2026-01-15T12:00:00.500Z');
const at = (iso: string): Date => new Date(iso);

function job(fields: Record<string, unknown>, created = T0): Job {
  const r = validateJob({ command: 'true', ...fields }, { now: created });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.job;
}
function stateOf(j: Job, created = T0): ScheduleState {
  const s = initialScheduleState(j, created);
  assert.ok(s);
  return s;
}
function tick(now: Date, jobs: Job[], states: ScheduleState[], active: RunRecord[] = [], deps: DependencyState[] = [], limits?: TickInput['limits']): TickPlan {
  return planTick({
    now,
    jobs: new Map(jobs.map((j) => [j.name, j])),
    scheduleStates: new Map(states.map((s) => [s.job, s])),
    dependencyStates: new Map(deps.map((d) => [d.job, d])),
    activeRuns: active,
    ...(limits ? { limits } : {}),
  });
}
const keys = (runs: Array<{ runKey: string }>): string[] => runs.map((r) => r.runKey);
const startKeys = (p: TickPlan): string[] => p.starts.map((s) => s.run.runKey);
const running = (run: RunRecord, startedAt: Date): RunRecord => recordLaunched(run, { taskId: run.taskId ?? '', agentId: 'ag', at: startedAt });

describe('planTick: scheduled jobs', () => {
  const every = job({ name: 'm', schedule: '* * * * *' });
  test('nothing before the due time; nextWakeAt says when', () => {
    const p = tick(at('2026-01-15T12:00:30Z'), [every], [stateOf(every)]);
    assert.deepEqual([p.starts, p.records, p.scheduleStates, p.nextWakeAt], [[], [], [], '2026-01-15T12:01:00.000Z']);
  });
  test('a due time starts once, with its lateness, and the state moves past it', () => {
    const p = tick(at('2026-01-15T12:01:00.200Z'), [every], [stateOf(every)]);
    assert.deepEqual(startKeys(p), ['m@2026-01-15T12:01:00.000Z']);
    assert.equal(p.starts[0]?.run.lateMs, 200);
    assert.equal(p.starts[0]?.run.taskId, `ct:${Date.parse('2026-01-15T12:01:00Z')}:1:m:`);
    assert.deepEqual(p.scheduleStates, [{ job: 'm', scheduleKey: '|* * * * *', handledThrough: '2026-01-15T12:01:00.200Z', nextRunAt: '2026-01-15T12:02:00.000Z' }]);
    // same input again (the state write was lost): the same decision under the same key
    assert.deepEqual(startKeys(tick(at('2026-01-15T12:01:00.700Z'), [every], [stateOf(every)])), ['m@2026-01-15T12:01:00.000Z']);
    // with the new state: nothing
    assert.deepEqual(tick(at('2026-01-15T12:01:00.700Z'), [every], p.scheduleStates).starts, []);
  });
  test('a run started before a crash (state not yet written) is not started again nor skipped', () => {
    const started = newRun({ job: 'm', trigger: 'schedule', dueMs: Date.parse('2026-01-15T12:01:00Z'), now: at('2026-01-15T12:01:00.200Z') });
    const p = tick(at('2026-01-15T12:01:02Z'), [every], [stateOf(every)], [started]);
    assert.deepEqual([p.starts, p.records], [[], []]);
    assert.equal(p.scheduleStates[0]?.handledThrough, '2026-01-15T12:01:02.000Z');
  });
  test('after downtime: late times within the deadline run, older ones are recorded as missed', () => {
    const st: ScheduleState = { ...stateOf(every), handledThrough: '2026-01-15T12:00:30.000Z', nextRunAt: '2026-01-15T12:01:00.000Z' };
    const p = tick(at('2026-01-15T12:10:30Z'), [every], [st]);
    assert.deepEqual(startKeys(p), ['m@2026-01-15T12:10:00.000Z']);
    assert.equal(p.records.length, 9);
    assert.ok(p.records.every((r) => r.status === 'missed' && /starting deadline \(60 s\)/.test(r.reason ?? '')));
    assert.equal(p.records[0]?.scheduledTime, '2026-01-15T12:01:00.000Z');
    assert.equal(p.records[8]?.scheduledTime, '2026-01-15T12:09:00.000Z');
  });
  test('catch-up within a long deadline: Allow starts all, Forbid and Replace the newest (others skipped)', () => {
    const allow = job({ name: 'm', schedule: '* * * * *', startingDeadlineSeconds: 3600, concurrencyPolicy: 'Allow' });
    const st: ScheduleState = { ...stateOf(allow), handledThrough: '2026-01-15T12:00:30.000Z', nextRunAt: '2026-01-15T12:01:00.000Z' };
    const a = tick(at('2026-01-15T12:05:30Z'), [allow], [st]);
    assert.equal(a.starts.length, 5);
    assert.equal(a.records.length, 0);
    const forbid = { ...allow, concurrencyPolicy: 'Forbid' as const, concurrent: false };
    const f = tick(at('2026-01-15T12:05:30Z'), [forbid], [st]);
    assert.deepEqual(startKeys(f), ['m@2026-01-15T12:05:00.000Z']);
    assert.deepEqual(
      f.records.map((r) => [r.status, r.scheduledTime.slice(11, 16)]),
      [
        ['skipped', '12:01'],
        ['skipped', '12:02'],
        ['skipped', '12:03'],
        ['skipped', '12:04'],
      ],
    );
    // Allow caps the starts per tick
    const capped = tick(at('2026-01-15T12:05:30Z'), [allow], [st], [], [], { maxCatchUpStarts: 2 });
    assert.deepEqual([capped.starts.length, capped.records.length], [2, 3]);
  });
  test('concurrency with a run still active: Forbid skips, Replace kills and starts, Allow starts', () => {
    const old = running(newRun({ job: 'm', trigger: 'schedule', dueMs: Date.parse('2026-01-15T12:00:00Z'), now: T0 }), T0);
    const now = at('2026-01-15T12:01:00.100Z');
    const f = tick(now, [every], [stateOf(every)], [old]);
    assert.deepEqual([f.starts.length, f.records.map((r) => r.status)], [0, ['skipped']]);
    assert.match(f.records[0]?.reason ?? '', /Forbid/);
    const replace = { ...every, concurrencyPolicy: 'Replace' as const };
    const r = tick(now, [replace], [stateOf(replace)], [old]);
    assert.deepEqual(startKeys(r), ['m@2026-01-15T12:01:00.000Z']);
    assert.deepEqual(
      r.kills.map((k) => [k.runKey, k.reason, k.taskId, k.run.killReason]),
      [[old.runKey, 'replaced', old.taskId, 'replaced']],
    );
    const allow = { ...every, concurrencyPolicy: 'Allow' as const, concurrent: true };
    const a = tick(now, [allow], [stateOf(allow)], [old]);
    assert.deepEqual([a.starts.length, a.kills.length, a.records.length], [1, 0, 0]);
  });
  test('a disabled job moves its state on without running or recording', () => {
    const d = job({ name: 'm', schedule: '* * * * *', disabled: true });
    const p = tick(at('2026-01-15T12:05:30Z'), [d], [stateOf(d)]);
    assert.deepEqual([p.starts, p.records], [[], []]);
    assert.equal(p.scheduleStates[0]?.nextRunAt, '2026-01-15T12:06:00.000Z');
  });
  test('Rn: exhausted once, after the last run; R1//PT1S runs once now', () => {
    const r2 = job({ name: 'r', schedule: 'R2/2026-01-15T12:01:00Z/PT1M' });
    let st = stateOf(r2);
    const p1 = tick(at('2026-01-15T12:01:00.1Z'), [r2], [st]);
    st = p1.scheduleStates[0]!;
    assert.deepEqual([p1.starts.length, p1.exhausted], [1, []]);
    const p2 = tick(at('2026-01-15T12:02:00.1Z'), [r2], [st]);
    assert.deepEqual([p2.starts.length, p2.exhausted, p2.scheduleStates[0]?.nextRunAt], [1, ['r'], null]);
    const p3 = tick(at('2026-01-15T12:03:00.1Z'), [r2], p2.scheduleStates);
    assert.deepEqual([p3.starts.length, p3.exhausted, p3.nextWakeAt], [0, [], null]);
    const once = job({ name: 'once', schedule: 'R1//PT1S' });
    const o = tick(at('2026-01-15T12:00:00.600Z'), [once], [stateOf(once)]);
    assert.deepEqual([startKeys(o), o.exhausted], [['once@2026-01-15T12:00:00.500Z'], ['once']]);
  });
  test('a schedule in the past that is already used up is reported exhausted', () => {
    const past = job({ name: 'p', schedule: 'R1/2020-01-01T00:00:00Z/PT1S' });
    const p = tick(T0, [past], []);
    assert.deepEqual([p.starts, p.exhausted], [[], ['p']]);
  });
  test('a changed schedule starts afresh from now', () => {
    const old = stateOf(every);
    const changed = job({ name: 'm', schedule: '*/5 * * * *' });
    const p = tick(at('2026-01-15T12:07:00Z'), [changed], [old]);
    assert.deepEqual(p.starts, []);
    assert.deepEqual(p.scheduleStates[0]?.nextRunAt, '2026-01-15T12:10:00.000Z');
  });
  test('missed times beyond the record limit are reported as a range', () => {
    const st: ScheduleState = { ...stateOf(every), handledThrough: '2026-01-15T12:00:30.000Z', nextRunAt: '2026-01-15T12:01:00.000Z' };
    const p = tick(at('2026-01-15T14:00:30Z'), [every], [st], [], [], { maxRecordsPerJob: 5 });
    assert.equal(p.records.length, 5);
    assert.deepEqual(p.omitted, [{ job: 'm', after: '2026-01-15T12:05:00.000Z', through: '2026-01-15T13:59:29.999Z' }]);
    assert.deepEqual(startKeys(p), ['m@2026-01-15T14:00:00.000Z']);
  });
  test('high-priority jobs start first', () => {
    const lo = job({ name: 'lo', schedule: '* * * * *' });
    const hi = job({ name: 'hi', schedule: '* * * * *', highPriority: true });
    assert.deepEqual(startKeys(tick(at('2026-01-15T12:01:00.1Z'), [lo, hi], [stateOf(lo), stateOf(hi)])), ['hi@2026-01-15T12:01:00.000Z', 'lo@2026-01-15T12:01:00.000Z']);
  });
});

describe('planTick: runs in flight', () => {
  const j = job({ name: 'm', schedule: '@daily', maxCompletionTime: 30 });
  const run = running(newRun({ job: 'm', trigger: 'schedule', dueMs: Date.parse('2026-01-15T12:00:00Z'), now: T0 }), at('2026-01-15T12:00:01Z'));
  test('maxCompletionTime: killed as a timeout; kill resent only after killResendMs', () => {
    assert.deepEqual(tick(at('2026-01-15T12:00:30Z'), [j], [stateOf(j)], [run]).nextWakeAt, '2026-01-15T12:00:31.000Z');
    const p = tick(at('2026-01-15T12:00:31Z'), [j], [stateOf(j)], [run]);
    assert.deepEqual(
      p.kills.map((k) => [k.reason, k.taskId]),
      [['timeout', run.taskId]],
    );
    const killing = p.kills[0]!.run;
    assert.deepEqual(tick(at('2026-01-15T12:00:50Z'), [j], [stateOf(j)], [killing]).kills, []);
    assert.equal(tick(at('2026-01-15T12:01:01Z'), [j], [stateOf(j)], [killing]).kills.length, 1);
    // the timeout ends the attempt as a failure, retried after the delay
    const ended = onAttemptEnded(j, killing, { taskId: run.taskId ?? '', state: 'TASK_KILLED', at: at('2026-01-15T12:00:32Z') });
    assert.equal(ended.outcome.kind, 'retry');
    assert.deepEqual(tick(at('2026-01-15T12:01:00Z'), [j], [stateOf(j)], [ended.run]).starts, []);
    const retry = tick(at('2026-01-15T12:01:32Z'), [j], [stateOf(j)], [ended.run]);
    assert.deepEqual(
      retry.starts.map((s) => [s.kind, s.run.attempt, s.run.taskId, s.run.status]),
      [['retry', 2, `ct:${Date.parse('2026-01-15T12:00:00Z')}:2:m:`, 'pending']],
    );
  });
  test('kill of a job: live tasks get a kill, waiting runs end at once', () => {
    const waiting = newRun({ job: 'm', trigger: 'manual', dueMs: T0.getTime(), now: T0 });
    const ks = planKillJob('m', [run, waiting, newRun({ job: 'other', trigger: 'manual', dueMs: 1, now: T0 })], T0);
    assert.deepEqual(
      ks.map((k) => [k.runKey, k.taskId !== null, k.run.status]),
      [
        [run.runKey, true, 'staging'],
        [waiting.runKey, true, 'killed'],
      ],
    );
  });
  test('run now follows the concurrency policy', () => {
    assert.equal(planManualRun(j, [], T0, ['--x']).start?.run.runKey, 'm@manual-2026-01-15T12:00:00.500Z');
    assert.deepEqual(planManualRun(j, [], T0, ['--x']).start?.run.arguments, ['--x']);
    assert.equal(planManualRun(j, [run], T0).record?.status, 'skipped');
    const rep = planManualRun({ ...j, concurrencyPolicy: 'Replace' }, [run], T0);
    assert.deepEqual([rep.start !== undefined, rep.kills.length], [true, 1]);
  });
});

describe('planTick: dependent jobs', () => {
  const child = job({ name: 'child', parents: ['a', 'b'] });
  const ready: DependencyState = { job: 'child', satisfied: { a: { at: '2026-01-15T12:00:01.000Z', runKey: 'a@x' }, b: { at: '2026-01-15T12:00:02.000Z', runKey: 'b@x' } } };
  const now = at('2026-01-15T12:00:03Z');
  test('a ready child starts under a key derived from when it became ready, and its state is cleared', () => {
    const p = tick(now, [child], [], [], [ready]);
    assert.deepEqual(startKeys(p), ['child@dep-2026-01-15T12:00:02.000Z']);
    assert.deepEqual(p.starts[0]?.dependencyState, { job: 'child', satisfied: {}, clearedAt: now.toISOString() });
    assert.equal(p.starts[0]?.run.lateMs, 1000);
  });
  test('not ready: nothing', () => {
    assert.deepEqual(tick(now, [child], [], [], [{ job: 'child', satisfied: { a: ready.satisfied.a! } }]).starts, []);
  });
  test('already started before a crash: only the state is cleared', () => {
    const started = newRun({ job: 'child', trigger: 'dependency', dueMs: Date.parse('2026-01-15T12:00:02Z'), now });
    const p = tick(now, [child], [], [started], [ready]);
    assert.deepEqual([p.starts, p.dependencyStates.length], [[], 1]);
  });
  test('Forbid with another run active: waits (nothing lost); Replace kills it', () => {
    const other = running(newRun({ job: 'child', trigger: 'manual', dueMs: T0.getTime(), now: T0 }), T0);
    const f = tick(now, [child], [], [other], [ready]);
    assert.deepEqual([f.starts, f.dependencyStates], [[], []]);
    const r = tick(now, [{ ...child, concurrencyPolicy: 'Replace' }], [], [other], [ready]);
    assert.deepEqual([r.starts.length, r.kills.map((k) => k.reason)], [1, ['replaced']]);
  });
  test('a disabled child consumes the trigger without running', () => {
    const p = tick(now, [{ ...child, disabled: true }], [], [], [ready]);
    assert.deepEqual([p.starts, p.dependencyStates[0]?.satisfied], [[], {}]);
  });
});

/**
 * A tiny stand-in for the scheduler service: applies plans the documented way (records and new runs
 * create-only by run key, then the state), may "crash" before writing the state, and runs finish
 * after a while. Used to check "never twice, never lost" over random tick times and crashes.
 */
function simulate(j: Job, created: Date, ticks: number[], crashes: boolean[], runMs: number) {
  const store = new Map<string, RunRecord>();
  let state = stateOf(j, created);
  let launches = 0;
  const finishAt = new Map<string, number>();
  ticks.forEach((t, i) => {
    for (const [k, end] of finishAt) {
      const r = store.get(k);
      if (r && isActive(r) && end <= t) store.set(k, { ...r, status: 'succeeded', endedAt: new Date(end).toISOString() });
    }
    const active = [...store.values()].filter(isActive);
    const plan = tick(new Date(t), [j], [state], active, [], { maxRecordsPerJob: 1_000_000 });
    for (const r of plan.records) if (!store.has(r.runKey)) store.set(r.runKey, r);
    for (const s of plan.starts) {
      if (s.kind === 'new' && !store.has(s.run.runKey)) {
        store.set(s.run.runKey, running(s.run, new Date(t)));
        finishAt.set(s.run.runKey, t + runMs);
        launches++;
      }
    }
    for (const k of plan.kills) store.set(k.runKey, { ...k.run, status: 'killed' });
    for (const r of plan.expired) store.set(r.runKey, r);
    if (!crashes[i]) state = plan.scheduleStates.find((s) => s.job === j.name) ?? state;
  });
  return { store, launches };
}

describe('planTick: never twice, never lost', () => {
  test('property: over random ticks, downtimes and crashes every scheduled time is decided exactly once', () => {
    const created = at('2026-03-07T12:00:00.250Z');
    fc.assert(
      fc.property(
        fc.constantFrom('* * * * *', '*/7 * * * *', '30 2 * * *', '0 * * * *', 'R/2026-03-07T12:00:00Z/PT90S', 'R20/2026-03-07T12:03:00Z/PT5M'),
        fc.constantFrom('', 'America/New_York', 'Australia/Lord_Howe'),
        fc.constantFrom('Allow', 'Forbid', 'Replace'),
        fc.integer({ min: 60, max: 7200 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 3 * 3600 }), fc.boolean()), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 0, max: 600_000 }),
        (schedule, tz, policy, deadline, steps, runMs) => {
          const j = job({ name: 'j', schedule, scheduleTimeZone: tz, concurrencyPolicy: policy, startingDeadlineSeconds: deadline }, created);
          let t = created.getTime();
          const ticks: number[] = [];
          const crashes: boolean[] = [];
          for (const [gap, crash] of steps) {
            t += gap * 1000;
            ticks.push(t);
            crashes.push(crash);
          }
          crashes[crashes.length - 1] = false;
          const { store, launches } = simulate(j, created, ticks, crashes, runMs);
          const s = scheduleOf(j);
          assert.ok(s);
          const expected = runsBetween(s, new Date(created.getTime() - 1), new Date(t), 100_000).map((d) => `j@${d.toISOString()}`);
          assert.deepEqual([...store.keys()].sort(), expected.sort());
          const started = [...store.values()].filter((r) => r.status !== 'missed' && r.status !== 'skipped');
          assert.equal(launches, started.length);
          for (const r of started) assert.ok((r.lateMs ?? 0) <= deadline * 1000, `${r.runKey} late ${r.lateMs}`);
        },
      ),
      { numRuns: 150 },
    );
  });
  test('minute ticks through the 2026 DST changes run each daily time exactly once, at the defined instants', () => {
    const cases: Array<[string, string, string, string, string[]]> = [
      ['30 2 * * *', 'America/New_York', '2026-03-07T12:00:00Z', '2026-03-09T12:00:00Z', ['2026-03-08T07:00:00.000Z', '2026-03-09T06:30:00.000Z']],
      ['30 1 * * *', 'America/New_York', '2026-10-31T12:00:00Z', '2026-11-02T12:00:00Z', ['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']],
      ['30 2 * * *', 'Europe/Berlin', '2026-10-24T12:00:00Z', '2026-10-26T12:00:00Z', ['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']],
      ['15 2 * * *', 'Australia/Lord_Howe', '2026-10-03T00:00:00Z', '2026-10-05T00:00:00Z', ['2026-10-03T15:30:00.000Z', '2026-10-04T15:15:00.000Z']],
    ];
    for (const [schedule, tz, from, to, expected] of cases) {
      const created = at(from);
      const j = job({ name: 'd', schedule, scheduleTimeZone: tz }, created);
      const ticks: number[] = [];
      for (let t = created.getTime() + 1000; t <= Date.parse(to); t += 60_000) ticks.push(t);
      const { store } = simulate(j, created, ticks, [], 1000);
      assert.deepEqual(
        [...store.values()].map((r) => [r.scheduledTime, r.status]),
        expected.map((e) => [e, 'succeeded']),
        `${schedule} ${tz}`,
      );
    }
  });
});

describe('planTick: starting deadline for runs waiting for resources', () => {
  test('a first attempt still pending after the deadline is missed; retries and manual runs are not', () => {
    const j = job({ name: 'm', schedule: '@daily', startingDeadlineSeconds: 30 });
    const due = Date.parse('2026-01-16T00:00:00Z');
    const pending = newRun({ job: 'm', trigger: 'schedule', dueMs: due, now: new Date(due + 100) });
    const p1 = tick(new Date(due + 20_000), [j], [stateOf(j)], [pending]);
    assert.deepEqual([p1.expired, p1.nextWakeAt], [[], new Date(due + 30_001).toISOString()]);
    const p2 = tick(new Date(due + 30_001), [j], [stateOf(j)], [pending]);
    assert.deepEqual(
      p2.expired.map((r) => [r.runKey, r.status]),
      [[pending.runKey, 'missed']],
    );
    assert.match(p2.expired[0]?.reason ?? '', /starting deadline \(30 s\)/);
    const manual = newRun({ job: 'm', trigger: 'manual', dueMs: due, now: new Date(due) });
    assert.deepEqual(tick(new Date(due + 90_000), [j], [stateOf(j)], [manual]).expired, []);
  });
});

describe('schedule state on create and replace', () => {
  test('re-posting the read-back ISO schedule at the due moment neither loses nor repeats that time', () => {
    const created = at('2026-01-15T11:30:00Z');
    const j = job({ name: 'r', schedule: 'R3/2026-01-15T12:00:00Z/PT1H' }, created);
    let st = stateOf(j, created);
    const first = tick(at('2026-01-15T12:00:00.100Z'), [j], [st]);
    assert.deepEqual(startKeys(first), ['r@2026-01-15T12:00:00.000Z']);
    st = first.scheduleStates[0]!;
    // at 13:00:00.300, before the tick, the user posts back what GET showed: R2/13:00/PT1H
    const now = at('2026-01-15T13:00:00.300Z');
    const reposted = job({ name: 'r', schedule: 'R2/2026-01-15T13:00:00.000Z/PT1H' }, now);
    const upserted = scheduleStateOnUpsert(reposted, st, now);
    assert.ok(upserted);
    const p = tick(at('2026-01-15T13:00:00.500Z'), [reposted], [upserted]);
    assert.deepEqual(startKeys(p), ['r@2026-01-15T13:00:00.000Z']);
    // an edit that keeps the schedule keeps the state as it is
    const edited: Job = { ...j, command: 'other' };
    assert.equal(scheduleStateOnUpsert(edited, st, now), st);
    // a dependent job has none
    assert.equal(scheduleStateOnUpsert(job({ name: 'r', parents: ['x'] }), st, now), null);
  });
  test('a new job does not backfill; a changed schedule does not redo decided times', () => {
    const j = job({ name: 'n', schedule: '* * * * *' }, at('2026-01-15T12:00:30Z'));
    assert.equal(scheduleStateOnUpsert(j, undefined, at('2026-01-15T12:00:30Z'))?.nextRunAt, '2026-01-15T12:01:00.000Z');
    const prev: ScheduleState = { job: 'n', scheduleKey: 'old', handledThrough: '2026-01-15T12:00:10.000Z', nextRunAt: '2026-01-15T13:00:00.000Z' };
    // the old schedule handled through 12:00:10; the new one's 12:00:00 is before that: not run again
    assert.equal(scheduleStateOnUpsert(j, prev, at('2026-01-15T12:00:30Z'))?.nextRunAt, '2026-01-15T12:01:00.000Z');
  });
});
