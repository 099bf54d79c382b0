/**
 * What a finished attempt means for its run: success, a retry after a delay, or the final failure.
 * A run gets `retries` retries (attempts 1 … retries + 1), each `retryDelaySeconds` after the failure.
 * Unlike Chronos, a job whose previous run failed still gets its retries (Chronos skipped them, which
 * left failed chains failing; see chronos#543).
 * Kills Agora asked for on purpose (task/kill, Replace) end the run as 'killed' with no retry; a kill for
 * exceeding maxCompletionTime is a failure and is retried like one.
 */
import { isTerminal, type TaskState } from '@agora/model';
import type { Job } from './job-schema';
import { isActive, type KillReason, type RunRecord } from './run-record';

export interface AttemptEnd {
  taskId: string;
  state: TaskState;
  at: Date;
  exitCode?: number;
  message?: string;
  agentId?: string;
}

export type AttemptOutcome =
  /** stale (an older attempt's task), duplicate (run already finished) or not a terminal state */
  | { kind: 'ignored'; why: 'stale' | 'duplicate' | 'not-terminal' }
  | { kind: 'succeeded' }
  | { kind: 'retry'; retryAt: string; nextAttempt: number }
  | { kind: 'failed' }
  | { kind: 'killed' };

export interface AttemptResult {
  run: RunRecord;
  outcome: AttemptOutcome;
  /** The run counts as a success for its dependents (success, or final failure of a softError job). */
  triggersDependents: boolean;
}

const KILLED_BECAUSE: Readonly<Record<'user' | 'replaced', string>> = {
  user: 'killed on request',
  replaced: 'replaced by a newer run (concurrencyPolicy Replace)',
};

export type RetryPolicy = Pick<Job, 'retries' | 'retryDelaySeconds' | 'softError' | 'maxCompletionTime'>;

export function onAttemptEnded(job: RetryPolicy, run: RunRecord, end: AttemptEnd): AttemptResult {
  if (!isTerminal(end.state)) return { run, outcome: { kind: 'ignored', why: 'not-terminal' }, triggersDependents: false };
  if (end.taskId !== run.taskId) return { run, outcome: { kind: 'ignored', why: 'stale' }, triggersDependents: false };
  if (!isActive(run) || run.status === 'retrying') return { run, outcome: { kind: 'ignored', why: 'duplicate' }, triggersDependents: false };

  const at = end.at.toISOString();
  const agentId = end.agentId ?? run.agentId;
  const ended: RunRecord = {
    ...run,
    endedAt: at,
    ...(end.exitCode !== undefined ? { exitCode: end.exitCode } : {}),
    ...(agentId !== undefined ? { agentId } : {}),
    attempts: run.attempts.map((a) =>
      a.taskId === end.taskId
        ? {
            ...a,
            endedAt: at,
            taskState: end.state,
            ...(end.exitCode !== undefined ? { exitCode: end.exitCode } : {}),
            ...(agentId !== undefined ? { agentId } : {}),
            ...(end.message !== undefined ? { message: end.message } : {}),
          }
        : a,
    ),
  };

  if (end.state === 'TASK_FINISHED' && (end.exitCode === undefined || end.exitCode === 0)) {
    const { reason: _ignored, ...rest } = ended;
    return { run: { ...rest, status: 'succeeded' }, outcome: { kind: 'succeeded' }, triggersDependents: true };
  }
  if (run.killReason === 'user' || run.killReason === 'replaced') {
    const reason = KILLED_BECAUSE[run.killReason];
    return { run: { ...ended, status: 'killed', reason }, outcome: { kind: 'killed' }, triggersDependents: false };
  }
  const reason =
    run.killReason === 'timeout' ? `timed out after maxCompletionTime ${job.maxCompletionTime} s` : `${end.state}${end.exitCode !== undefined ? ` (exit code ${end.exitCode})` : ''}${end.message ? `: ${end.message}` : ''}`;
  if (run.attempt < job.retries + 1) {
    const retryAt = new Date(end.at.getTime() + job.retryDelaySeconds * 1000).toISOString();
    const retrying: RunRecord = { ...ended, status: 'retrying', retryAt, reason };
    // The kill (a timeout) is done with; the next attempt starts with no kill pending.
    delete retrying.killRequestedAt;
    delete retrying.killReason;
    return { run: retrying, outcome: { kind: 'retry', retryAt, nextAttempt: run.attempt + 1 }, triggersDependents: false };
  }
  return { run: { ...ended, status: 'failed', reason }, outcome: { kind: 'failed' }, triggersDependents: job.softError };
}

/**
 * Ends a run that has no live task (still waiting for an offer, or waiting to retry) because it was
 * killed or replaced; a run with a live task ends through onAttemptEnded once the kill lands.
 */
export function endWithoutTask(run: RunRecord, reason: KillReason, now: Date): RunRecord {
  if (!isActive(run)) return run;
  if (reason === 'timeout') return { ...run, status: 'failed', killReason: reason, reason: 'timed out', endedAt: now.toISOString() };
  return { ...run, status: 'killed', killReason: reason, reason: KILLED_BECAUSE[reason], endedAt: now.toISOString() };
}


/**
 * Whether the run has a task on an agent that a kill must reach. A 'pending' run may also have one if
 * the launch was sent but not yet recorded; killing its task id then is harmless if it never started.
 */
export function hasLiveTask(run: RunRecord): boolean {
  return run.status === 'staging' || run.status === 'running';
}
