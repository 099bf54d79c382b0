import type { KillSelection, UpgradeStrategy } from './app-definition';
import { selectTasksToKill, type InstanceView } from './instance-view';

/**
 * One decision of a rolling replacement (RestartApplication), re-evaluated whenever a task of the app
 * changes. Stateless: the tasks themselves are the progress. Rules (Marathon's deployment docs):
 * - at least ceil(instances × minimumHealthCapacity) tasks, old or new, stay healthy at all times;
 * - at most floor(instances × (1 + maximumOverCapacity)) tasks exist at once;
 * - a new task counts as healthy only once it is healthy and ready, so old tasks are killed only after
 *   new ones have become healthy and ready;
 * - old tasks that are not healthy count for nothing and are replaced first;
 * - when the two bounds leave no room to move (minimum = maximum = healthy count), one extra task is
 *   allowed (or, for apps with persistent volumes, which cannot over-provision, one less healthy task).
 */

export interface RestartInput {
  instances: number;
  strategy: Pick<UpgradeStrategy, 'minimumHealthCapacity' | 'maximumOverCapacity'>;
  /** The target's config version; tasks with another one are old. */
  targetConfigVersion: string;
  tasks: readonly InstanceView[];
  killSelection: KillSelection;
  /** Apps with persistent volumes never run over capacity. */
  resident?: boolean;
}

export interface StepDecision {
  /** New tasks to launch now. */
  start: number;
  /** Tasks to kill now. */
  kill: string[];
  /** The action has reached its target. */
  done: boolean;
}

export interface RestartBounds {
  minHealthy: number;
  maxCapacity: number;
}

/** The capacity bounds; floating-point slack keeps 3 × 0.1 from becoming 0.30000000000000004 → ceil 1. */
export function restartBounds(instances: number, strategy: RestartInput['strategy'], resident = false): RestartBounds {
  const minHealthy = Math.ceil(instances * strategy.minimumHealthCapacity - 1e-9);
  const over = resident ? 0 : strategy.maximumOverCapacity;
  const maxCapacity = Math.floor(instances * (1 + over) + 1e-9);
  return { minHealthy, maxCapacity };
}

export function restartDecision(input: RestartInput): StepDecision {
  const n = input.instances;
  const live = input.tasks.filter((t) => t.state !== 'killing');
  const old = live.filter((t) => t.configVersion !== input.targetConfigVersion);
  const fresh = live.filter((t) => t.configVersion === input.targetConfigVersion);
  const freshOk = fresh.filter((t) => t.healthy && t.ready);
  const oldHealthy = old.filter((t) => t.healthy);
  const oldUnhealthy = old.filter((t) => !t.healthy);
  const healthyTotal = oldHealthy.length + freshOk.length;

  let { minHealthy, maxCapacity } = restartBounds(n, input.strategy, input.resident);
  if (minHealthy >= maxCapacity && healthyTotal >= maxCapacity && old.length > 0) {
    // Neither starting nor killing would be allowed: make room for one.
    if (input.resident) minHealthy = Math.max(0, maxCapacity - 1);
    else maxCapacity += 1;
  }

  const kill: InstanceView[] = [...oldUnhealthy];
  const budget = Math.max(0, healthyTotal - minHealthy);
  kill.push(...selectTasksToKill(oldHealthy, Math.min(budget, oldHealthy.length), input.killSelection));
  // Surplus new tasks (a previous, forced deployment may have left some): drop the least useful.
  if (fresh.length > n) kill.push(...selectTasksToKill(fresh, fresh.length - n, input.killSelection));

  const oldLeft = old.length - kill.filter((t) => t.configVersion !== input.targetConfigVersion).length;
  const freshLeft = Math.min(fresh.length, n);
  const start = Math.max(0, Math.min(n - freshLeft, maxCapacity - (oldLeft + freshLeft)));
  const anyOldAtAll = input.tasks.some((t) => t.configVersion !== input.targetConfigVersion);
  const done = !anyOldAtAll && fresh.length === n && freshOk.length === n && kill.length === 0;
  return { start, kill: kill.map((t) => t.taskId), done };
}
