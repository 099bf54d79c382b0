import type { KillSelection } from './app-definition';

/**
 * What the deployment and health logic needs to know about one task of an app. The service derives it
 * from task statuses and health/readiness results.
 */
export interface InstanceView {
  taskId: string;
  /**
   * The config version the task was launched from. Compare with the target's
   * `versionInfo.lastConfigChangeAt`, so that a scale-only change does not make running tasks "old".
   */
  configVersion: string;
  /** staging covers TASK_STAGING and TASK_STARTING. */
  state: 'staging' | 'running' | 'killing' | 'unreachable';
  /** Running and passing every health check (running is enough when the app has none). */
  healthy: boolean;
  /** Passed its readiness check (true when the app has none). */
  ready: boolean;
  /** Epoch ms of launch, for kill selection. */
  startedAt: number;
}

/**
 * Which `count` tasks to kill on a scale-down: ones the user named first, then unreachable, not yet
 * running, unhealthy, and finally by the app's killSelection (YOUNGEST_FIRST: most recently started).
 */
export function selectTasksToKill(tasks: readonly InstanceView[], count: number, killSelection: KillSelection, preferred: readonly string[] = []): InstanceView[] {
  if (count <= 0) return [];
  const rank = (t: InstanceView): number => {
    if (preferred.includes(t.taskId)) return 0;
    if (t.state === 'unreachable') return 1;
    if (t.state === 'staging') return 2;
    if (!t.healthy) return 3;
    return 4;
  };
  const sorted = [...tasks].sort((a, b) => {
    const r = rank(a) - rank(b);
    if (r !== 0) return r;
    const age = killSelection === 'YOUNGEST_FIRST' ? b.startedAt - a.startedAt : a.startedAt - b.startedAt;
    return age !== 0 ? age : a.taskId.localeCompare(b.taskId);
  });
  return sorted.slice(0, count);
}
