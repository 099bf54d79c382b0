import type { FrameworkInfo, TaskInfo, TaskStatus } from '@agora/contracts';
import type { TaskState } from '@agora/model';
import type { KillCause } from '../containerizers/process/termination';

/** What survives an agent restart about one task: written to <work-dir>/meta/tasks/<fid>/<tid>.json. */
export interface TaskCheckpoint {
  frameworkId: string;
  framework: FrameworkInfo;
  task: TaskInfo;
  sandbox: string;
  state: TaskState;
  latestStatus?: TaskStatus;
  /** Every state the task went through, for /state. */
  statuses: { state: TaskState; timestamp: number }[];
  /** The wrapper's pid, which is also the task's process group id. */
  pid?: number;
  /** Field 22 of /proc/<pid>/stat at launch, so a recycled pid is not mistaken for the task. */
  pidStartTime?: string;
  cgroups: string[];
  memLimitMb?: number;
  launchedAt: number;
  /** Epoch ms after which the task is killed (maxCompletionTimeSeconds). */
  deadlineAt?: number;
  /** Set once the agent decided to stop the task, so a restart mid-kill still reports the right state. */
  kill?: { cause: KillCause; requestedAt: number; graceMs: number };
  /** Docker tasks only: the container that runs the task. */
  docker?: DockerCheckpoint;
  /** The last verdict of its health check (TaskInfo.healthCheck), carried on every later status. */
  healthy?: boolean;
}

/** What the agent remembers of a task's Docker container (containerizers/docker). */
export interface DockerCheckpoint {
  /** The container's name (`agora-<task>-<random>`), known before it is created. */
  name: string;
  /** The daemon's container id, once created. */
  containerId?: string;
  /** The container's own address (BRIDGE networking). */
  ip?: string;
}

/** A task as the agent holds it in memory: the checkpoint plus what only lives while the process runs. */
export interface TaskRecord extends TaskCheckpoint {
  /** True for tasks not (or no longer) children of our spawner, e.g. found alive at start-up: watched by polling. */
  adopted?: boolean;
  sigkillTimer?: NodeJS.Timeout;
  deadlineTimer?: NodeJS.Timeout;
  /** Launch ahead: fires at the task's startAt to report TASK_RUNNING. */
  startTimer?: NodeJS.Timeout;
  /** When a re-adopted task's process was first seen gone (its exit status may still be on its way). */
  goneAt?: number;
  /** Set once the process is gone and its terminal status has been produced. */
  ended?: boolean;
}

export function taskKey(frameworkId: string, taskId: string): string {
  return `${frameworkId}\u0000${taskId}`;
}

/** The checkpointed part of a record (drops handles and timers). */
export function toCheckpoint(r: TaskRecord): TaskCheckpoint {
  const { adopted: _a, sigkillTimer: _s, deadlineTimer: _d, startTimer: _t, ended: _e, goneAt: _g, ...cp } = r;
  return cp;
}
