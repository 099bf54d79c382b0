/**
 * Launch ahead: a scheduled time whose start is already certain is decided a little before it is due,
 * so its task can be launched early and wait on the agent (TaskInfo.startAt = the scheduled time);
 * creating 1,000 processes takes seconds on a small machine, and this moves that cost before the due
 * time. "Certain" means: a scheduled (not dependent), enabled job with no active run — so whatever
 * the concurrency policy, planTick at the due time would start exactly this time. The decision is
 * planTick's own, evaluated at the due time for those jobs only: the same run key, the same run
 * record (scheduledTime, lateMs 0), the same schedule state afterwards. Only createdAt says when it
 * was really decided. Pure: time comes in as an argument.
 */
import type { Job } from './job-schema';
import { planTick, type TickPlan } from './plan-tick';
import type { RunRecord } from './run-record';
import { scheduleKeyOf, type ScheduleState } from './schedule-state';

export interface LaunchAheadInput {
  now: Date;
  /** How long before its due time a run may be decided and launched; 0 disables launch ahead. */
  aheadMs: number;
  jobs: ReadonlyMap<string, Job>;
  scheduleStates: ReadonlyMap<string, ScheduleState>;
  /** Unfinished runs of all jobs. */
  activeRuns: readonly RunRecord[];
}

export interface LaunchAheadPlan {
  /** planTick's decisions at each due time, for the eligible jobs only (apply it like a tick plan). */
  plan: TickPlan;
  /** The next instant a job that is eligible now comes within `aheadMs` of its due time; null = none. */
  nextWakeAt: string | null;
}

export function planLaunchAhead(input: LaunchAheadInput): LaunchAheadPlan {
  const plan: TickPlan = { starts: [], kills: [], records: [], scheduleStates: [], dependencyStates: [], exhausted: [], expired: [], omitted: [], nextWakeAt: null };
  if (input.aheadMs <= 0) return { plan, nextWakeAt: null };
  const nowMs = input.now.getTime();
  const busy = new Set(input.activeRuns.map((r) => r.job));
  const byDue = new Map<number, Job[]>();
  let wake = Infinity;
  for (const job of input.jobs.values()) {
    if (job.parents.length > 0 || job.schedule === undefined || job.disabled || busy.has(job.name)) continue;
    const state = input.scheduleStates.get(job.name);
    if (!state || state.nextRunAt === null || state.scheduleKey !== scheduleKeyOf(job)) continue;
    const due = Date.parse(state.nextRunAt);
    // due now or past: the ordinary tick decides it
    if (!(due > nowMs)) continue;
    if (due - input.aheadMs > nowMs) {
      wake = Math.min(wake, due - input.aheadMs);
      continue;
    }
    const list = byDue.get(due);
    if (list) list.push(job);
    else byDue.set(due, [job]);
  }
  const decidedAt = input.now.toISOString();
  for (const [due, jobs] of byDue) {
    const p = planTick({
      now: new Date(due),
      jobs: new Map(jobs.map((j) => [j.name, j])),
      scheduleStates: input.scheduleStates,
      dependencyStates: new Map(),
      activeRuns: [],
    });
    for (const s of p.starts) plan.starts.push({ ...s, run: { ...s.run, createdAt: decidedAt } });
    plan.records.push(...p.records);
    plan.scheduleStates.push(...p.scheduleStates);
    plan.exhausted.push(...p.exhausted);
    plan.omitted.push(...p.omitted);
  }
  return { plan, nextWakeAt: wake === Infinity ? null : new Date(wake).toISOString() };
}
