import type { TaskReason, TaskState } from '@agora/model';

/** Why the agent itself ended a task, if it did. */
export type KillCause = 'kill' | 'max-completion' | 'framework-shutdown' | 'agent-shutdown' | 'health-check';

/** How a task's process ended, as far as the agent can tell. */
export interface Termination {
  /** The wrapper's exit status (its command's), when it exited normally. */
  exitCode?: number;
  /** The signal that ended the wrapper, when one did (e.g. 'SIGKILL'). */
  signal?: string;
  /** Set when the exit status could not be learnt (the task ended while the agent was down, no status file). */
  unknown?: boolean;
  /** Set when the agent had asked the task to stop. */
  killedBy?: KillCause;
  /** The memory cgroup's OOM killer fired for this task. */
  oomKilled?: boolean;
  memLimitMb?: number;
  maxCompletionSeconds?: number;
}

export interface FinalState {
  state: TaskState;
  reason?: TaskReason;
  message: string;
  exitCode?: number;
}

/** Maps how a task ended to the terminal status the agent reports (Mesos' command-executor semantics). */
export function finalStateOf(t: Termination): FinalState {
  const exitCode = t.exitCode;
  const withCode = exitCode === undefined ? {} : { exitCode };
  if (t.killedBy === 'max-completion')
    return {
      state: 'TASK_FAILED',
      reason: 'REASON_MAX_COMPLETION_TIME_REACHED',
      message: `Task exceeded its maximum completion time${t.maxCompletionSeconds !== undefined ? ` of ${t.maxCompletionSeconds} s` : ''} and was killed`,
      ...withCode,
    };
  if (t.killedBy === 'kill') return { state: 'TASK_KILLED', message: 'Command killed', ...withCode };
  if (t.killedBy === 'health-check')
    return { state: 'TASK_KILLED', reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED', message: 'Command killed: its health check failed', ...withCode };
  if (t.killedBy === 'framework-shutdown') return { state: 'TASK_KILLED', reason: 'REASON_FRAMEWORK_REMOVED', message: 'Command killed: its framework was shut down', ...withCode };
  if (t.killedBy === 'agent-shutdown') return { state: 'TASK_KILLED', reason: 'REASON_EXECUTOR_TERMINATED', message: 'Command killed: the agent is shutting down', ...withCode };
  if (t.oomKilled)
    return {
      state: 'TASK_FAILED',
      reason: 'REASON_CONTAINER_LIMITATION_MEMORY',
      message: `Memory limit exceeded${t.memLimitMb !== undefined ? `: the task used its ${t.memLimitMb} MB` : ''} and was killed by the OOM killer`,
      ...withCode,
    };
  if (t.signal !== undefined) return { state: 'TASK_FAILED', message: `Command terminated with signal ${t.signal}` };
  if (t.unknown || exitCode === undefined)
    return { state: 'TASK_FAILED', reason: 'REASON_EXECUTOR_TERMINATED', message: 'task ended while the agent was down; exit status unknown' };
  if (exitCode === 0) return { state: 'TASK_FINISHED', message: 'Command exited with status 0', exitCode: 0 };
  return { state: 'TASK_FAILED', message: `Command exited with status ${exitCode}`, exitCode };
}

/** Parses the wrapper's exit-status file; undefined when it is missing or garbled. */
export function parseExitStatusFile(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^\s*(\d{1,3})\s*$/.exec(text);
  return m ? Number(m[1]) : undefined;
}
