import type { RunRecord } from '../core';

/**
 * A scheduled run's first attempt launched before its due time (launch ahead, core/plan-launch-ahead.ts)
 * carries TaskInfo.startAt = the scheduled time: the agent creates the process at once and holds the
 * command until then. Past due (the ordinary path, a retry, a late offer) it is left out: start at once.
 */
export function startAtFor(run: Pick<RunRecord, 'trigger' | 'attempt' | 'scheduledTime'>, nowMs: number): { startAt: number } | Record<string, never> {
  const due = Date.parse(run.scheduledTime);
  return run.trigger === 'schedule' && run.attempt === 1 && due > nowMs ? { startAt: due } : {};
}

/**
 * When a launch (accept, TASK_STAGING/STARTING) counts as the run's start: never before the scheduled
 * time of a scheduled first attempt, since its command is held until then — so startedAt, lateness and
 * maxCompletionTime read the same as without launch ahead.
 */
export function notBeforeDue(run: Pick<RunRecord, 'trigger' | 'attempt' | 'scheduledTime'>, at: Date): Date {
  if (run.trigger !== 'schedule' || run.attempt !== 1) return at;
  const due = Date.parse(run.scheduledTime);
  return due > at.getTime() ? new Date(due) : at;
}
