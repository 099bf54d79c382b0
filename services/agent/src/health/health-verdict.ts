/**
 * The verdict of a task's COMMAND health check after each probe (Mesos semantics), without I/O: when a
 * result is reported — a pass after anything else, and every counted failure (so a framework can count
 * them and decide on kills itself, with consecutiveFailures 0) — and when the agent kills the task.
 */
export interface HealthCheckPolicy {
  gracePeriodSeconds: number;
  /** Counted failures in a row that kill the task; 0: never. */
  consecutiveFailures: number;
}

export interface HealthState {
  /** The last verdict reported; undefined before the first one. */
  healthy?: boolean;
  /** Counted failures since the last pass. */
  failures: number;
  everPassed: boolean;
}

export interface HealthStep {
  state: HealthState;
  /** Report this verdict (a change to healthy, or a counted failure). */
  report?: boolean;
  /** Kill the task: `failures` counted failures in a row reached the limit. */
  kill?: boolean;
}

export const INITIAL_HEALTH: HealthState = { failures: 0, everPassed: false };

/**
 * One probe's outcome. A failure before the first pass inside the grace period (counted from the task's
 * start) neither counts nor is reported: the task is still coming up.
 */
export function nextHealth(prev: HealthState, passed: boolean, policy: HealthCheckPolicy, startedAtMs: number, nowMs: number): HealthStep {
  if (passed) {
    const state: HealthState = { healthy: true, failures: 0, everPassed: true };
    return prev.healthy === true ? { state } : { state, report: true };
  }
  if (!prev.everPassed && nowMs - startedAtMs < policy.gracePeriodSeconds * 1000) return { state: prev };
  const failures = prev.failures + 1;
  const state: HealthState = { healthy: false, failures, everPassed: prev.everPassed };
  return { state, report: false, ...(policy.consecutiveFailures > 0 && failures >= policy.consecutiveFailures ? { kill: true } : {}) };
}
