import type { TaskState } from '@agora/model';
import type { AppDefinition } from './app-definition';

/**
 * Launch backoff of a crash-looping app (Marathon's backoff doc): after the n-th failure in a row the
 * next launch waits backoffSeconds × backoffFactor^(n-1), at most maxLaunchDelaySeconds. Failures are
 * TASK_FAILED, TASK_FINISHED, TASK_ERROR and health-check kills — not kills the scheduler or user asked
 * for. The delay resets on a new version, on DELETE /v2/queue/{id}/delay, and after a failure-free
 * period of (current delay + maxLaunchDelaySeconds). Times are epoch ms.
 */

export interface BackoffState {
  /** Consecutive failures counted. */
  failures: number;
  /** Current delay in seconds (0 when none). */
  delaySeconds: number;
  lastFailureAt?: number;
  /** No launch before this time. */
  delayUntil?: number;
}

type BackoffParams = Pick<AppDefinition, 'backoffSeconds' | 'backoffFactor' | 'maxLaunchDelaySeconds'>;

export const NO_BACKOFF: BackoffState = { failures: 0, delaySeconds: 0 };

export function delayForFailures(app: BackoffParams, failures: number): number {
  if (failures <= 0) return 0;
  const raw = app.backoffSeconds * Math.pow(app.backoffFactor, failures - 1);
  return Math.min(raw, app.maxLaunchDelaySeconds);
}

export interface TerminalCause {
  state: TaskState;
  /** The scheduler killed it because of failed health checks. */
  healthKill?: boolean;
}

export function countsAsFailure(cause: TerminalCause): boolean {
  if (cause.healthKill) return true;
  return cause.state === 'TASK_FAILED' || cause.state === 'TASK_FINISHED' || cause.state === 'TASK_ERROR';
}

/** A quiet period long enough to forget earlier failures. */
export function shouldReset(state: BackoffState, app: BackoffParams, now: number): boolean {
  if (state.lastFailureAt === undefined) return false;
  return now - state.lastFailureAt >= (state.delaySeconds + app.maxLaunchDelaySeconds) * 1000;
}

export function recordFailure(state: BackoffState, app: BackoffParams, now: number): BackoffState {
  const base = shouldReset(state, app, now) ? NO_BACKOFF : state;
  const failures = base.failures + 1;
  const delaySeconds = delayForFailures(app, failures);
  return { failures, delaySeconds, lastFailureAt: now, delayUntil: now + delaySeconds * 1000 };
}

/** Applies the quiet-period reset; call before deciding on a launch or rendering the queue. */
export function refresh(state: BackoffState, app: BackoffParams, now: number): BackoffState {
  return shouldReset(state, app, now) ? NO_BACKOFF : state;
}

export function launchAllowed(state: BackoffState, now: number): boolean {
  return state.delayUntil === undefined || now >= state.delayUntil;
}

/** The queue's `delay` object: seconds left, and `overdue` once launching is allowed (Marathon's meaning). */
export function queueDelay(state: BackoffState, now: number): { timeLeftSeconds: number; overdue: boolean } {
  if (state.delayUntil === undefined || now >= state.delayUntil) return { timeLeftSeconds: 0, overdue: true };
  return { timeLeftSeconds: Math.ceil((state.delayUntil - now) / 1000), overdue: false };
}
