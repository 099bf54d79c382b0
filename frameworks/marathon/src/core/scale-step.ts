import type { KillSelection } from './app-definition';
import { selectTasksToKill, type InstanceView } from './instance-view';
import type { StepDecision } from './rolling-upgrade';

/**
 * ScaleApplication and StopApplication decisions, re-evaluated on every task change like the restart.
 * A scale is done when exactly `instances` tasks run, all healthy and ready; a stop when no task is left.
 * Unreachable tasks still count as instances here: replacing them is the unreachable strategy's job.
 */

export interface ScaleInput {
  instances: number;
  tasks: readonly InstanceView[];
  killSelection: KillSelection;
  /** Tasks the user asked to kill (DELETE …/tasks?scale=true). */
  preferredKills?: readonly string[];
}

export function scaleDecision(input: ScaleInput): StepDecision {
  const live = input.tasks.filter((t) => t.state !== 'killing');
  const excess = live.length - input.instances;
  const kill = excess > 0 ? selectTasksToKill(live, excess, input.killSelection, input.preferredKills).map((t) => t.taskId) : [];
  const start = Math.max(0, -excess);
  const kept = live.filter((t) => !kill.includes(t.taskId));
  const done = excess === 0 && kept.every((t) => t.state === 'running' && t.healthy && t.ready) && input.tasks.every((t) => t.state !== 'killing');
  return { start, kill, done };
}

export function stopDecision(tasks: readonly InstanceView[]): StepDecision {
  return { start: 0, kill: tasks.filter((t) => t.state !== 'killing').map((t) => t.taskId), done: tasks.length === 0 };
}
