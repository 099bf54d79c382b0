import { HEALTH_CHECKED_LABEL, type TaskStatus, type TaskView } from '@agora/contracts';
import { parseIp, type IpAddress } from './ip';

export const DOCKER_IP_LABEL = 'Docker.NetworkSettings.IPAddress';
export const MESOS_IP_LABEL = 'MesosContainerizer.NetworkSettings.IPAddress';

export interface TaskIps {
  ips: IpAddress[];
  /** The source that yielded them, or undefined when none did. */
  source: string | undefined;
}

/** The TASK_RUNNING status with the greatest timestamp (the first one on a tie): container sources read only it. */
export function latestRunningStatus(statuses: readonly TaskStatus[]): TaskStatus | undefined {
  let best: TaskStatus | undefined;
  for (const s of statuses) {
    if (s.state === 'TASK_RUNNING' && (best === undefined || s.timestamp > best.timestamp)) best = s;
  }
  return best;
}

function labelValue(status: TaskStatus | undefined, key: string): string[] {
  const v = status?.labels?.[key];
  return v === undefined ? [] : [v];
}

/**
 * Mesos-DNS `Task.IPs`: sources in configured order, the first one yielding any parseable address wins and all
 * of its addresses are used. Unknown sources are ignored. `routableOnly` skips the container sources of a task
 * on a Docker BRIDGE network, whose container address does not route off its agent.
 */
export function taskIps(
  task: TaskView,
  agentIps: readonly IpAddress[],
  sources: readonly string[],
  routableOnly: boolean,
): TaskIps {
  const status = latestRunningStatus(task.statuses);
  const bridged = task.container?.docker?.network === 'BRIDGE';
  for (const source of sources) {
    let texts: string[];
    switch (source) {
      case 'netinfo':
        texts = status?.ipAddresses ?? [];
        break;
      case 'docker':
        texts = labelValue(status, DOCKER_IP_LABEL);
        break;
      case 'mesos':
        texts = labelValue(status, MESOS_IP_LABEL);
        break;
      case 'host':
        if (agentIps.length > 0) return { ips: [...agentIps], source };
        continue;
      default:
        continue;
    }
    if (routableOnly && bridged) continue;
    const ips = texts.map(parseIp).filter((ip): ip is IpAddress => ip !== undefined);
    if (ips.length > 0) return { ips, source };
  }
  return { ips: [], source: undefined };
}

/**
 * Health awareness: a task that reports health (Mesos sets `healthy` only when the task has health checks) is
 * answered only while healthy. The task-level flag wins; otherwise the newest status that carries one. A task
 * with no result yet is answered unless its framework marked it as health-checked (HEALTH_CHECKED_LABEL, set
 * by Marathon for apps with `healthChecks`): such a task is starting up (grace period) or not yet reported,
 * and is answered from its first passing result on.
 */
export function isHealthyOrUnchecked(task: TaskView): boolean {
  if (task.healthy !== undefined) return task.healthy;
  let best: TaskStatus | undefined;
  for (const s of task.statuses) {
    if (s.healthy !== undefined && (best === undefined || s.timestamp >= best.timestamp)) best = s;
  }
  if (best) return best.healthy === true;
  return task.labels[HEALTH_CHECKED_LABEL] !== 'true';
}
