import type { FrameworkInfo } from '@agora/contracts';
import { isTerminal, type Resources, type TaskState } from '@agora/model';
import type { TaskCheckpoint } from '../tasks/task-record';

/** Everything /state shows, gathered by the controller from the running agent. */
export interface StateInput {
  agentId?: string;
  hostname: string;
  ip: string;
  port: number;
  version: string;
  startTime: number;
  resources: Resources;
  attributes: Record<string, string>;
  flags: Record<string, string>;
  masterHostname?: string;
  isolation: string;
  active: readonly TaskCheckpoint[];
  completed: readonly TaskCheckpoint[];
  frameworks: ReadonlyMap<string, FrameworkInfo>;
  shutDownFrameworks: ReadonlySet<string>;
  pidOf: (t: TaskCheckpoint) => number | undefined;
}

export type ResourcesJson = Record<string, number | string>;

/** Mesos' JSON for resources: scalars by name, ports as "[31000-31005, 31010-31010]". */
export function resourcesJson(r: Resources): ResourcesJson {
  const out: ResourcesJson = { ...r.scalars };
  if (r.ports.length) out.ports = `[${r.ports.map((p) => `${p.begin}-${p.end}`).join(', ')}]`;
  return out;
}

/** A task in the shape of the agent's /state (Mesos JSON field names), plus its sandbox and pid. */
export function taskJson(t: TaskCheckpoint, agentId: string | undefined, pid: number | undefined): Record<string, unknown> {
  const ls = t.latestStatus;
  return {
    id: t.task.taskId,
    name: t.task.name,
    framework_id: t.frameworkId,
    executor_id: '',
    slave_id: agentId ?? t.task.agentId,
    state: t.state,
    resources: resourcesJson(t.task.resources),
    statuses: t.statuses.map((s) => ({ state: s.state, timestamp: s.timestamp })),
    labels: Object.entries(t.task.labels ?? {}).map(([key, value]) => ({ key, value })),
    ...(t.task.discovery ? { discovery: t.task.discovery } : {}),
    ...(t.task.container ? { container: t.task.container } : {}),
    ...(ls?.message !== undefined ? { message: ls.message } : {}),
    ...(ls?.reason !== undefined ? { reason: ls.reason } : {}),
    ...(ls?.exitCode !== undefined ? { exit_code: ls.exitCode } : {}),
    sandbox: t.sandbox,
    directory: t.sandbox,
    ...(pid !== undefined ? { pid } : {}),
    // Docker tasks: the daemon's container id and name (`docker inspect` either)
    ...(t.docker?.containerId ? { container_id: t.docker.containerId } : {}),
    ...(t.docker?.name ? { container_name: t.docker.name } : {}),
    ...(t.docker?.ip ? { container_ip: t.docker.ip } : {}),
  };
}

/** Each task runs under its own "command executor", as in Mesos; the executor id is the task id. */
function executorJson(t: TaskCheckpoint, task: Record<string, unknown>, done: boolean): Record<string, unknown> {
  const cmd = t.task.command;
  const shown = cmd?.shell === false ? [cmd.value ?? '', ...(cmd.arguments ?? [])].join(' ') : `sh -c '${cmd?.value ?? ''}'`;
  return {
    id: t.task.taskId,
    name: `Command Executor (Task: ${t.task.taskId}) (Command: ${shown})`,
    source: t.task.taskId,
    container: t.docker?.containerId ?? `${t.frameworkId}.${t.task.taskId}`,
    directory: t.sandbox,
    resources: resourcesJson(t.task.resources),
    tasks: done ? [] : [task],
    queued_tasks: [],
    completed_tasks: done ? [task] : [],
  };
}

export function agentStateJson(s: StateInput): Record<string, unknown> {
  const byFw = new Map<string, { executors: unknown[]; completed: unknown[] }>();
  const slot = (fid: string) => {
    let e = byFw.get(fid);
    if (!e) byFw.set(fid, (e = { executors: [], completed: [] }));
    return e;
  };
  for (const t of s.active) {
    const done = isTerminal(t.state);
    const tj = taskJson(t, s.agentId, done ? undefined : s.pidOf(t));
    (done ? slot(t.frameworkId).completed : slot(t.frameworkId).executors).push(executorJson(t, tj, done));
  }
  for (const t of s.completed) slot(t.frameworkId).completed.push(executorJson(t, taskJson(t, s.agentId, undefined), true));

  const frameworks: unknown[] = [];
  const completedFrameworks: unknown[] = [];
  for (const [fid, e] of byFw) {
    const info = s.frameworks.get(fid);
    const fw = {
      id: fid,
      name: info?.name ?? '',
      user: info?.user ?? '',
      role: info?.role ?? '*',
      checkpoint: info?.checkpoint ?? true,
      ...(info?.hostname ? { hostname: info.hostname } : {}),
      executors: e.executors,
      completed_executors: e.completed,
    };
    (s.shutDownFrameworks.has(fid) && e.executors.length === 0 ? completedFrameworks : frameworks).push(fw);
  }
  return {
    version: s.version,
    ...(s.agentId ? { id: s.agentId } : {}),
    pid: `slave(1)@${s.ip}:${s.port}`,
    hostname: s.hostname,
    start_time: s.startTime,
    resources: resourcesJson(s.resources),
    attributes: s.attributes,
    ...(s.masterHostname ? { master_hostname: s.masterHostname } : {}),
    isolation: s.isolation,
    flags: s.flags,
    frameworks,
    completed_frameworks: completedFrameworks,
  };
}

/** Counts of tasks by state for /metrics/snapshot. */
export function countStates(tasks: readonly { state: TaskState }[]): Partial<Record<TaskState, number>> {
  const out: Partial<Record<TaskState, number>> = {};
  for (const t of tasks) out[t.state] = (out[t.state] ?? 0) + 1;
  return out;
}
