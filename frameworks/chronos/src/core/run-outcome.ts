/**
 * The bookkeeping that follows a run's end, in one pure step for the scheduler service: the run record,
 * the job's statistics, and the dependents' readiness. The service writes run, then stats, then the
 * changed dependency states; each step is idempotent, so replaying after a crash is safe.
 */
import { markParentSucceeded, type DependencyState } from './dag';
import type { Job } from './job-schema';
import { onAttemptEnded, type AttemptEnd, type AttemptOutcome } from './retries';
import { countRun, markSuccess, type JobStats, type RunRecord } from './run-record';
import { runKeyFor } from './task-naming';

type Graph = ReadonlyMap<string, Pick<Job, 'name' | 'parents'>>;

export interface SettledAttempt {
  run: RunRecord;
  outcome: AttemptOutcome;
  stats: JobStats;
  /** Children whose readiness changed. */
  dependencyStates: DependencyState[];
}

export function settleAttempt(p: { job: Job; run: RunRecord; end: AttemptEnd; stats: JobStats; jobs: Graph; dependencyStates: ReadonlyMap<string, DependencyState> }): SettledAttempt {
  const res = onAttemptEnded(p.job, p.run, p.end);
  const stats = countRun(p.stats, res.run);
  const dependencyStates = res.triggersDependents ? markParentSucceeded(p.jobs, p.dependencyStates, p.job.name, { runKey: res.run.runKey, at: p.end.at }) : [];
  return { run: res.run, outcome: res.outcome, stats, dependencyStates };
}

/**
 * PUT /job/success/{name}: the job counts as succeeded now and its dependents are triggered (the way to
 * "rerun from here" after fixing a failure by hand, chronos#600).
 */
export function markJobSuccess(p: { name: string; now: Date; stats: JobStats; jobs: Graph; dependencyStates: ReadonlyMap<string, DependencyState> }): { stats: JobStats; dependencyStates: DependencyState[] } {
  return {
    stats: markSuccess(p.stats, p.now),
    dependencyStates: markParentSucceeded(p.jobs, p.dependencyStates, p.name, { runKey: runKeyFor(p.name, 'manual', p.now.getTime()), at: p.now }),
  };
}
