import { emptyStats, isActive, type DependencyState, type Job, type JobStats, type RunRecord, type ScheduleState } from '../core';
import type { StoredState } from '../state/chronos-store';

/**
 * The leader's memory: every job, its bookkeeping, its kept runs, and an index of the active runs.
 * Loaded from Consul at election; from then on the leader changes it and writes each change through.
 */
export class LeaderState {
  readonly jobs = new Map<string, Job>();
  readonly schedules = new Map<string, ScheduleState>();
  readonly deps = new Map<string, DependencyState>();
  readonly stats = new Map<string, JobStats>();
  private readonly runsByJob = new Map<string, Map<string, RunRecord>>();
  private readonly active = new Map<string, RunRecord>();

  static from(stored: StoredState): LeaderState {
    const s = new LeaderState();
    for (const [k, v] of stored.jobs) s.jobs.set(k, v);
    for (const [k, v] of stored.schedules) if (stored.jobs.has(k)) s.schedules.set(k, v);
    for (const [k, v] of stored.deps) if (stored.jobs.has(k)) s.deps.set(k, v);
    for (const [k, v] of stored.stats) if (stored.jobs.has(k)) s.stats.set(k, v);
    for (const r of stored.runs) if (stored.jobs.has(r.job)) s.setRun(r);
    return s;
  }

  setRun(run: RunRecord): void {
    let m = this.runsByJob.get(run.job);
    if (!m) this.runsByJob.set(run.job, (m = new Map()));
    m.set(run.runKey, run);
    if (isActive(run)) this.active.set(run.runKey, run);
    else this.active.delete(run.runKey);
  }

  removeRun(job: string, runKey: string): void {
    this.runsByJob.get(job)?.delete(runKey);
    this.active.delete(runKey);
  }

  activeRun(runKey: string): RunRecord | undefined {
    return this.active.get(runKey);
  }

  activeRuns(): RunRecord[] {
    return [...this.active.values()];
  }

  activeRunsOf(job: string): RunRecord[] {
    return this.runsOf(job).filter(isActive);
  }

  runsOf(job: string): RunRecord[] {
    return [...(this.runsByJob.get(job)?.values() ?? [])];
  }

  statsOf(job: string): JobStats {
    return this.stats.get(job) ?? emptyStats();
  }

  /** Forgets a job and everything about it. */
  dropJob(name: string): RunRecord[] {
    const runs = this.runsOf(name);
    for (const r of runs) this.active.delete(r.runKey);
    this.runsByJob.delete(name);
    this.jobs.delete(name);
    this.schedules.delete(name);
    this.deps.delete(name);
    this.stats.delete(name);
    return runs;
  }
}
