/**
 * The tick planner: jobs + their bookkeeping + active runs + now → what to do. Pure and idempotent: the
 * same input gives the same decisions, and every decision names its run by a deterministic run key.
 *
 * How the scheduler service applies a plan (the order is what makes a crash at any point safe):
 *  1. write each `records` entry and each new run of `starts` create-only under its run key — a key
 *     that already exists means that time was already decided: skip it (never a second start);
 *  2. for a dependency start, then write its cleared DependencyState; for a retry, replace the run;
 *  3. write `kills[].run` and send kills for `kills[].taskId`; write `expired` runs (and drop their launch);
 *  4. write `scheduleStates` (handledThrough moves past the decided times) and `dependencyStates`;
 *  5. launch the tasks of the started runs.
 * A crash before 4 makes the next leader decide the same times again under the same keys (step 1 skips
 * them); a crash after 4 has nothing left to decide. No time is decided twice, none is dropped: a time
 * is either started, or recorded as missed/skipped with the reason.
 *
 * Scheduled times: those due since handledThrough that are at most the starting deadline late
 * (startingDeadlineSeconds, else epsilon) are candidates; older ones are recorded as missed.
 * Concurrency (per job): Allow starts every candidate (at most maxCatchUpStarts, newest first); Forbid
 * starts the newest candidate if no run of the job is active, else records the candidates as skipped;
 * Replace kills the active runs and starts the newest candidate. Older candidates of the same tick under
 * Forbid/Replace are recorded as skipped (superseded), as Kubernetes starts only the most recent.
 * Dependent jobs start when ready (dag.ts); under Forbid a ready child waits for its active run to end.
 * A scheduled run that is still waiting for resources when its starting deadline passes is missed too.
 */
import type { Job } from './job-schema';
import { isReady, readyAtMs, clearOnStart, type DependencyState } from './dag';
import { hasLiveTask, endWithoutTask } from './retries';
import { newRun, notRun, recordKillRequested, startNextAttempt, type KillReason, type RunRecord } from './run-record';
import { nextRunAfterMs, runsBetweenMs } from './schedule';
import { scheduleKeyOf, scheduleOf, scheduleStateOnUpsert, type ScheduleState } from './schedule-state';
import { runKeyFor } from './task-naming';
import { startingDeadlineMs } from './validate-job';

export interface TickLimits {
  /** Missed/skipped records written per job per tick; beyond, a range is reported in `omitted`. */
  maxRecordsPerJob: number;
  /** Allow: runs started per job per tick when catching up. */
  maxCatchUpStarts: number;
  /** A kill is sent again if the task has not ended this long after the last one. */
  killResendMs: number;
  /** Due times examined per job per tick; a longer backlog continues next tick. */
  maxCandidatesPerJob: number;
}

export const DEFAULT_TICK_LIMITS: Readonly<TickLimits> = { maxRecordsPerJob: 100, maxCatchUpStarts: 10, killResendMs: 30_000, maxCandidatesPerJob: 1000 };

export interface TickInput {
  now: Date;
  jobs: ReadonlyMap<string, Job>;
  scheduleStates: ReadonlyMap<string, ScheduleState>;
  dependencyStates: ReadonlyMap<string, DependencyState>;
  /** Unfinished runs (pending, staging, running, retrying) of all jobs. */
  activeRuns: readonly RunRecord[];
  limits?: Partial<TickLimits>;
}

export interface StartDecision {
  /** 'new': create `run` (create-only); 'retry': replace the stored run with `run` (next attempt). */
  kind: 'new' | 'retry';
  run: RunRecord;
  /** Dependency starts: the child's cleared state, to write once the run exists. */
  dependencyState?: DependencyState;
}

export interface KillDecision {
  job: string;
  runKey: string;
  reason: KillReason;
  /** Send a kill for this task; null when the run has no task (waiting to retry). */
  taskId: string | null;
  /** The run record to write (kill requested, or already ended when it had no live task). */
  run: RunRecord;
}

export interface TickPlan {
  starts: StartDecision[];
  kills: KillDecision[];
  /** Missed and skipped times, to create under their run keys. */
  records: RunRecord[];
  scheduleStates: ScheduleState[];
  dependencyStates: DependencyState[];
  /** Jobs whose ISO 8601 repetitions ran out this tick (Chronos then disables them). */
  exhausted: string[];
  /**
   * Scheduled runs still waiting for resources past their starting deadline, now status 'missed': write
   * them, do not launch them (and kill their task id in case a launch already went out).
   */
  expired: RunRecord[];
  /** Times decided (missed or skipped) but not recorded one by one: the scheduled times in (after, through] that did not start. */
  omitted: Array<{ job: string; after: string; through: string }>;
  /** The next instant at which a tick has something to do (a due time, a retry, a timeout); null = none. */
  nextWakeAt: string | null;
}

const SUPERSEDED = 'superseded by a later scheduled time that started instead';
const FORBIDDEN = 'a previous run was still active (concurrencyPolicy Forbid)';
const TOO_MANY = 'too many scheduled times due at once; newer ones started';

export function planTick(input: TickInput): TickPlan {
  const limits: TickLimits = { ...DEFAULT_TICK_LIMITS, ...input.limits };
  const now = input.now;
  const nowMs = now.getTime();
  const plan: TickPlan = { starts: [], kills: [], records: [], scheduleStates: [], dependencyStates: [], exhausted: [], expired: [], omitted: [], nextWakeAt: null };
  let wake = Infinity;
  const wakeAt = (t: number): void => {
    if (t > nowMs && t < wake) wake = t;
  };

  const activeByJob = new Map<string, RunRecord[]>();
  for (const r of input.activeRuns) {
    const list = activeByJob.get(r.job);
    if (list) list.push(r);
    else activeByJob.set(r.job, [r]);
  }
  const killed = new Set<string>();
  const kill = (run: RunRecord, reason: KillReason): void => {
    if (killed.has(run.runKey)) return;
    killed.add(run.runKey);
    plan.kills.push(killDecision(run, reason, now));
  };

  // Runs in flight: timeouts, kill resends, retries that are due, first attempts that never got to start.
  const expiredKeys = new Set<string>();
  for (const run of input.activeRuns) {
    const job = input.jobs.get(run.job);
    if (!job) continue;
    if (run.status === 'pending' && run.trigger === 'schedule' && run.attempt === 1) {
      const expiresAt = Date.parse(run.scheduledTime) + startingDeadlineMs(job) + 1;
      if (nowMs >= expiresAt) {
        expiredKeys.add(run.runKey);
        plan.expired.push({ ...run, status: 'missed', reason: `could not start within the starting deadline (${Math.round(startingDeadlineMs(job) / 1000)} s)`, endedAt: now.toISOString() });
        continue;
      }
      wakeAt(expiresAt);
    }
    if (run.killRequestedAt !== undefined) {
      const resendAt = Date.parse(run.killRequestedAt) + limits.killResendMs;
      if (hasLiveTask(run) && nowMs >= resendAt) kill(run, run.killReason ?? 'user');
      else wakeAt(resendAt);
      continue;
    }
    if (hasLiveTask(run) && job.maxCompletionTime > 0 && run.startedAt !== undefined) {
      const deadline = Date.parse(run.startedAt) + job.maxCompletionTime * 1000;
      if (nowMs >= deadline) kill(run, 'timeout');
      else wakeAt(deadline);
    }
    if (run.status === 'retrying' && run.retryAt !== undefined) {
      const at = Date.parse(run.retryAt);
      if (nowMs >= at) plan.starts.push({ kind: 'retry', run: startNextAttempt(run) });
      else wakeAt(at);
    }
  }

  for (const job of input.jobs.values()) {
    const active = (activeByJob.get(job.name) ?? []).filter((r) => !expiredKeys.has(r.runKey));
    if (job.parents.length > 0) planDependent(job, active);
    else planScheduled(job, active);
  }

  function planScheduled(job: Job, active: RunRecord[]): void {
    const key = scheduleKeyOf(job);
    const schedule = scheduleOf(job);
    if (key === null || schedule === null) return;
    let state: ScheduleState | null | undefined = input.scheduleStates.get(job.name);
    let changed = false;
    if (!state || state.scheduleKey !== key) {
      // The service normally does this on create/replace; doing it here too keeps a missed update harmless.
      state = scheduleStateOnUpsert(job, state, now);
      if (!state) return;
      changed = true;
    }
    if (state.nextRunAt === null || Date.parse(state.nextRunAt) > nowMs) {
      if (state.nextRunAt !== null) wakeAt(Date.parse(state.nextRunAt));
      if (changed) {
        plan.scheduleStates.push(state);
        if (state.nextRunAt === null) plan.exhausted.push(job.name); // e.g. R1 with a start in the past
      }
      return;
    }
    const handled = Date.parse(state.handledThrough);
    let handledThrough = nowMs;

    if (!job.disabled) {
      const cutoff = nowMs - startingDeadlineMs(job); // due before cutoff = missed
      const missed = runsBetweenMs(schedule, handled, cutoff - 1, limits.maxRecordsPerJob + 1);
      for (const t of missed.slice(0, limits.maxRecordsPerJob)) {
        plan.records.push(notRun({ job: job.name, trigger: 'schedule', dueMs: t, now, status: 'missed', reason: `not started within the starting deadline (${Math.round(startingDeadlineMs(job) / 1000)} s)` }));
      }
      if (missed.length > limits.maxRecordsPerJob) {
        const after = missed[limits.maxRecordsPerJob - 1] ?? handled;
        plan.omitted.push({ job: job.name, after: new Date(after).toISOString(), through: new Date(cutoff - 1).toISOString() });
      }
      const candidates = runsBetweenMs(schedule, Math.max(handled, cutoff - 1), nowMs, limits.maxCandidatesPerJob);
      if (candidates.length === limits.maxCandidatesPerJob) handledThrough = candidates[candidates.length - 1] ?? nowMs;
      decideCandidates(job, candidates, active);
    }

    const next = nextRunAfterMs(schedule, handledThrough);
    const updated: ScheduleState = { ...state, handledThrough: new Date(handledThrough).toISOString(), nextRunAt: next === null ? null : new Date(next).toISOString() };
    plan.scheduleStates.push(updated);
    if (next === null) plan.exhausted.push(job.name);
    else wakeAt(next);
  }

  function decideCandidates(job: Job, candidates: number[], active: RunRecord[]): void {
    const activeKeys = new Set(active.map((r) => r.runKey));
    // A candidate already active was started before a crash that kept handledThrough behind: nothing to do.
    const fresh = candidates.filter((t) => !activeKeys.has(runKeyFor(job.name, 'schedule', t)));
    if (fresh.length === 0) return;
    const skip = (times: number[], reason: string): void => {
      for (const t of times.slice(0, limits.maxRecordsPerJob)) plan.records.push(notRun({ job: job.name, trigger: 'schedule', dueMs: t, now, status: 'skipped', reason }));
      if (times.length > limits.maxRecordsPerJob) {
        plan.omitted.push({ job: job.name, after: new Date(times[limits.maxRecordsPerJob - 1] ?? 0).toISOString(), through: new Date(times[times.length - 1] ?? 0).toISOString() });
      }
    };
    const start = (t: number): void => {
      plan.starts.push({ kind: 'new', run: newRun({ job: job.name, trigger: 'schedule', dueMs: t, now }) });
    };
    switch (job.concurrencyPolicy) {
      case 'Allow': {
        const n = limits.maxCatchUpStarts;
        skip(fresh.slice(0, Math.max(0, fresh.length - n)), TOO_MANY);
        fresh.slice(-n).forEach(start);
        return;
      }
      case 'Forbid':
        if (active.length > 0) {
          skip(fresh, FORBIDDEN);
          return;
        }
        skip(fresh.slice(0, -1), SUPERSEDED);
        start(fresh[fresh.length - 1] ?? 0);
        return;
      case 'Replace':
        for (const r of active) kill(r, 'replaced');
        skip(fresh.slice(0, -1), SUPERSEDED);
        start(fresh[fresh.length - 1] ?? 0);
        return;
    }
  }

  function planDependent(job: Job, active: RunRecord[]): void {
    const state = input.dependencyStates.get(job.name);
    if (!state || !isReady(job, state)) return;
    const readyAt = readyAtMs(job, state);
    const runKey = runKeyFor(job.name, 'dependency', readyAt);
    if (job.disabled || active.some((r) => r.runKey === runKey)) {
      // Disabled: the trigger is consumed without a run. Already active: started before a crash.
      plan.dependencyStates.push(clearOnStart(state, now));
      return;
    }
    if (active.length > 0) {
      if (job.concurrencyPolicy === 'Forbid') return; // waits; the run's end makes the next tick start it
      if (job.concurrencyPolicy === 'Replace') for (const r of active) kill(r, 'replaced');
    }
    plan.starts.push({ kind: 'new', run: newRun({ job: job.name, trigger: 'dependency', dueMs: readyAt, now }), dependencyState: clearOnStart(state, now) });
  }

  plan.starts.sort((a, b) => {
    const pa = input.jobs.get(a.run.job)?.highPriority ? 0 : 1;
    const pb = input.jobs.get(b.run.job)?.highPriority ? 0 : 1;
    return pa - pb || (a.run.scheduledTime < b.run.scheduledTime ? -1 : a.run.scheduledTime > b.run.scheduledTime ? 1 : 0);
  });
  plan.nextWakeAt = wake === Infinity ? null : new Date(wake).toISOString();
  return plan;
}

/**
 * PUT /job/{name} ("run now"): a manual run now, under the job's concurrency policy (Chronos drops it
 * when the job does not allow concurrency and a run is active; Agora records that as skipped).
 */
export function planManualRun(job: Job, activeRuns: readonly RunRecord[], now: Date, args?: string[]): { start?: StartDecision; kills: KillDecision[]; record?: RunRecord } {
  const active = activeRuns.filter((r) => r.job === job.name);
  const nowMs = now.getTime();
  if (active.length > 0 && job.concurrencyPolicy === 'Forbid') {
    return { kills: [], record: notRun({ job: job.name, trigger: 'manual', dueMs: nowMs, now, status: 'skipped', reason: FORBIDDEN }) };
  }
  const kills = job.concurrencyPolicy === 'Replace' ? planKillJob(job.name, active, now, 'replaced') : [];
  return { start: { kind: 'new', run: newRun({ job: job.name, trigger: 'manual', dueMs: nowMs, now, ...(args ? { arguments: args } : {}) }) }, kills };
}

/** DELETE /task/kill/{name}: kill every active run of the job (no retries follow). */
export function planKillJob(jobName: string, activeRuns: readonly RunRecord[], now: Date, reason: 'user' | 'replaced' = 'user'): KillDecision[] {
  return activeRuns.filter((r) => r.job === jobName).map((run) => killDecision(run, reason, now));
}

/**
 * A run with a task on an agent gets a kill and is marked kill-requested (it ends when the task's
 * terminal update arrives); a run without one (waiting for an offer or to retry) ends at once. A pending
 * run's task id is still sent a kill in case its launch went out unrecorded.
 */
export function killDecision(run: RunRecord, reason: KillReason, now: Date): KillDecision {
  const base = { job: run.job, runKey: run.runKey, reason };
  if (run.status === 'retrying') return { ...base, taskId: null, run: endWithoutTask(run, reason, now) };
  if (run.status === 'pending') return { ...base, taskId: run.taskId ?? null, run: endWithoutTask(run, reason, now) };
  return { ...base, taskId: run.taskId ?? null, run: recordKillRequested(run, reason, now) };
}
