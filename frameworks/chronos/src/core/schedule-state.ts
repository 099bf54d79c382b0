/**
 * Per scheduled job, the durable bookkeeping that makes restarts and leader changes safe: every
 * scheduled time up to `handledThrough` has been decided (started, missed or skipped) — times after it
 * have not. Stored one key per job, written after the decisions' run records.
 */
import type { Job } from './job-schema';
import { nextRunAfterMs, parseSchedule, type Schedule } from './schedule';
import { startingDeadlineMs } from './validate-job';

export interface ScheduleState {
  job: string;
  /** The schedule this state belongs to (`<time zone>|<schedule>`); another schedule starts afresh. */
  scheduleKey: string;
  /** ISO instant: every scheduled time at or before it has been decided. */
  handledThrough: string;
  /** ISO instant of the first scheduled time after handledThrough; null when the schedule is exhausted. */
  nextRunAt: string | null;
}

export function scheduleKeyOf(job: Pick<Job, 'schedule' | 'scheduleTimeZone'>): string | null {
  return job.schedule === undefined ? null : `${job.scheduleTimeZone}|${job.schedule}`;
}

/** The job's compiled schedule; null for dependent jobs (or a schedule that no longer parses). */
export function scheduleOf(job: Pick<Job, 'schedule' | 'scheduleTimeZone'>): Schedule | null {
  if (job.schedule === undefined) return null;
  // Stored schedules are pinned (no empty start), so `now` is never read here.
  const r = parseSchedule(job.schedule, { timeZone: job.scheduleTimeZone, now: new Date(0) });
  return r.ok ? r.schedule : null;
}

/**
 * State for a schedule saved at `now`: its times from `now` on are due; earlier ones are not run
 * (Chronos skips a start in the past forward too). A pinned "now" start is exactly `now`, so it runs.
 */
export function initialScheduleState(job: Pick<Job, 'name' | 'schedule' | 'scheduleTimeZone'>, now: Date): ScheduleState | null {
  const key = scheduleKeyOf(job);
  const s = scheduleOf(job);
  if (key === null || s === null) return null;
  const handled = now.getTime() - 1;
  const next = nextRunAfterMs(s, handled);
  return { job: job.name, scheduleKey: key, handledThrough: new Date(handled).toISOString(), nextRunAt: next === null ? null : new Date(next).toISOString() };
}

/**
 * On create or replace of a job: an unchanged schedule keeps its bookkeeping (editing the command does
 * not re-run or skip anything); a dependent job has none; a new job starts from `now`. A changed schedule
 * keeps its predecessor's progress: times up to the old handledThrough stay decided, and times the new
 * schedule names within the last starting deadline still run. That keeps a re-post of the job as read
 * back (whose ISO schedule Chronos-style shows the next start) from losing a time due that very moment.
 */
export function scheduleStateOnUpsert(job: Pick<Job, 'name' | 'schedule' | 'scheduleTimeZone' | 'startingDeadlineSeconds' | 'epsilon'>, previous: ScheduleState | undefined, now: Date): ScheduleState | null {
  const key = scheduleKeyOf(job);
  if (key === null) return null;
  if (previous && previous.scheduleKey === key) return previous;
  const fresh = initialScheduleState(job, now);
  const s = scheduleOf(job);
  if (!previous || !fresh || !s) return fresh;
  const handled = Math.min(now.getTime() - 1, Math.max(Date.parse(previous.handledThrough), now.getTime() - startingDeadlineMs(job)));
  const next = nextRunAfterMs(s, handled);
  return { ...fresh, handledThrough: new Date(handled).toISOString(), nextRunAt: next === null ? null : new Date(next).toISOString() };
}
