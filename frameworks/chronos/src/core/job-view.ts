/**
 * Jobs as Chronos shows them on GET: the definition, the statistics, and for ISO 8601 schedules the
 * schedule rewritten to the remaining repetitions and the next start (Chronos rewrites it after every
 * run). The output posts back unchanged (read-only fields are ignored on input).
 */
import { lastStatusOf } from './dag';
import type { Job } from './job-schema';
import { emptyStats, isActive, type JobStats, type RunRecord } from './run-record';
import { describeSchedule } from './schedule';
import { scheduleOf, type ScheduleState } from './schedule-state';

export function currentScheduleText(job: Job, state: ScheduleState | undefined, now: Date): string | undefined {
  if (job.schedule === undefined) return undefined;
  const s = scheduleOf(job);
  if (!s) return job.schedule;
  return describeSchedule(s, state ? new Date(state.handledThrough) : new Date(now.getTime() - 1));
}

export function toChronosJson(job: Job, stats: JobStats | undefined, state: ScheduleState | undefined, now: Date): Record<string, unknown> {
  const st = stats ?? emptyStats();
  const schedule = currentScheduleText(job, state, now);
  return {
    name: job.name,
    command: job.command,
    shell: job.shell,
    arguments: job.arguments,
    ...(schedule !== undefined ? { schedule, scheduleTimeZone: job.scheduleTimeZone } : { parents: job.parents }),
    epsilon: job.epsilon,
    async: job.async,
    executor: job.executor,
    executorFlags: job.executorFlags,
    taskInfoData: job.taskInfoData,
    retries: job.retries,
    owner: job.owner,
    ownerName: job.ownerName,
    description: job.description,
    successCount: st.successCount,
    errorCount: st.errorCount,
    lastSuccess: st.lastSuccess,
    lastError: st.lastError,
    errorsSinceLastSuccess: st.errorsSinceLastSuccess,
    cpus: job.cpus,
    disk: job.disk,
    mem: job.mem,
    disabled: job.disabled,
    softError: job.softError,
    dataProcessingJobType: job.dataProcessingJobType,
    fetch: job.fetch,
    uris: job.uris,
    environmentVariables: job.environmentVariables,
    highPriority: job.highPriority,
    runAsUser: job.runAsUser,
    concurrent: job.concurrent,
    constraints: job.constraints,
    maxCompletionTime: job.maxCompletionTime,
    ...(job.container ? { container: job.container } : {}),
    concurrencyPolicy: job.concurrencyPolicy,
    startingDeadlineSeconds: job.startingDeadlineSeconds,
    successfulRunsHistoryLimit: job.successfulRunsHistoryLimit,
    failedRunsHistoryLimit: job.failedRunsHistoryLimit,
    retryDelaySeconds: job.retryDelaySeconds,
  };
}

/** GET /jobs/summary: `{name, state, status, schedule, parents, disabled}` as Chronos lists them. */
export function toChronosSummary(job: Job, stats: JobStats | undefined, runs: readonly RunRecord[], state: ScheduleState | undefined, now: Date): Record<string, unknown> {
  const mine = runs.filter((r) => r.job === job.name && isActive(r));
  const status = mine.some((r) => r.status === 'staging' || r.status === 'running') ? 'running' : mine.length > 0 ? 'queued' : 'idle';
  const schedule = currentScheduleText(job, state, now);
  return {
    name: job.name,
    state: lastStatusOf(stats),
    status,
    ...(schedule !== undefined ? { schedule } : { parents: job.parents }),
    disabled: job.disabled,
  };
}
