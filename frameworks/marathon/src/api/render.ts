import { appToJson, safeAppId, servicePortsOf, type AppDefinition } from '../core';
import type { CheckResult, TrackedTask } from '../scheduler/task-tracker';
import type { TaskFailure } from '../state/model';

/** Marathon's JSON shapes for tasks, counts and apps with their `embed`ded parts. */

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

function healthJson(t: TrackedTask, r: CheckResult): Record<string, unknown> {
  return {
    alive: r.alive,
    consecutiveFailures: r.consecutiveFailures,
    firstSuccess: iso(r.firstSuccess),
    lastSuccess: iso(r.lastSuccess),
    lastFailure: iso(r.lastFailure),
    lastFailureCause: r.lastFailureCause ?? null,
    taskId: t.rec.taskId,
    instanceId: t.rec.taskId,
  };
}

export function taskJson(t: TrackedTask): Record<string, unknown> {
  const ips = t.ipAddresses && t.ipAddresses.length > 0 ? t.ipAddresses : [t.rec.agentIp];
  return {
    appId: t.rec.appId,
    id: t.rec.taskId,
    host: t.rec.hostname,
    ipAddresses: ips.map((ipAddress) => ({ ipAddress, protocol: 'IPv4' })),
    ports: t.rec.ports,
    servicePorts: t.rec.servicePorts,
    slaveId: t.rec.agentId,
    state: t.state ?? 'TASK_STAGING',
    stagedAt: t.rec.stagedAt,
    startedAt: iso(t.startedAt),
    version: t.rec.version,
    localVolumes: [],
    healthCheckResults: t.health.flatMap((r) => (r ? [healthJson(t, r)] : [])),
  };
}

export interface Counts {
  tasksStaged: number;
  tasksRunning: number;
  tasksHealthy: number;
  tasksUnhealthy: number;
}

/** Healthy: running with every check alive; unhealthy: running with a check that failed (no result yet counts as neither). */
export function countsOf(app: Pick<AppDefinition, 'healthChecks'>, tasks: readonly TrackedTask[]): Counts {
  const c: Counts = { tasksStaged: 0, tasksRunning: 0, tasksHealthy: 0, tasksUnhealthy: 0 };
  for (const t of tasks) {
    if (t.state === undefined || t.state === 'TASK_STAGING' || t.state === 'TASK_STARTING') c.tasksStaged++;
    if (t.state !== 'TASK_RUNNING') continue;
    c.tasksRunning++;
    if (app.healthChecks.length === 0) continue;
    const results = app.healthChecks.map((_, i) => t.health[i]);
    if (results.some((r) => r !== undefined && !r.alive)) c.tasksUnhealthy++;
    else if (results.every((r) => r?.alive === true)) c.tasksHealthy++;
  }
  return c;
}

export interface AppEmbed {
  counts?: boolean;
  tasks?: boolean;
  deployments?: boolean;
  lastTaskFailure?: boolean;
  readiness?: boolean;
  taskStats?: boolean;
}

export interface AppContext {
  tasks: readonly TrackedTask[];
  deploymentIds: readonly string[];
  lastFailure?: TaskFailure;
}

export function appJson(app: AppDefinition, ctx: AppContext, embed: AppEmbed): Record<string, unknown> {
  const out = appToJson(app);
  if (embed.counts) Object.assign(out, countsOf(app, ctx.tasks));
  if (embed.deployments) out['deployments'] = ctx.deploymentIds.map((id) => ({ id }));
  if (embed.readiness) out['readinessCheckResults'] = ctx.tasks.flatMap((t) => (t.readiness ? [t.readiness] : []));
  if (embed.tasks) out['tasks'] = ctx.tasks.map(taskJson);
  if (embed.lastTaskFailure && ctx.lastFailure) out['lastTaskFailure'] = ctx.lastFailure;
  if (embed.taskStats) out['taskStats'] = {};
  return out;
}

/** `embed=apps.tasks,apps.counts` (or repeated, or `app.` for the single-app endpoint) → the parts. */
export function parseEmbed(values: readonly string[], prefix: 'apps' | 'app'): AppEmbed {
  const set = new Set(values.flatMap((v) => v.split(',')).map((v) => v.trim()));
  const has = (k: string) => set.has(`${prefix}.${k}`);
  return {
    counts: has('counts'),
    tasks: has('tasks') || has('failures'),
    deployments: has('deployments'),
    lastTaskFailure: has('lastTaskFailure') || has('failures'),
    readiness: has('readiness'),
    taskStats: has('taskStats'),
  };
}

/**
 * Marathon's `text/plain` task list: per app and service port one line,
 * `<app id with / as _>\t<service port>\t<host>:<port>\t…`.
 */
export function tasksText(apps: readonly AppDefinition[], tasksOf: (appId: string) => readonly TrackedTask[]): string {
  const lines: string[] = [];
  for (const app of apps) {
    const tasks = tasksOf(app.id).filter((t) => t.state === 'TASK_RUNNING');
    const name = safeAppId(app.id);
    const ports = servicePortsOf(app);
    if (ports.length === 0) {
      lines.push([name, ' ', ...tasks.map((t) => `${t.rec.hostname} `)].join('\t') + '\t');
      continue;
    }
    ports.forEach((servicePort, i) => {
      const endpoints = tasks.flatMap((t) => (t.rec.ports[i] === undefined ? [] : [`${t.rec.hostname}:${t.rec.ports[i]}`]));
      lines.push([name, String(servicePort), ...endpoints].join('\t') + '\t');
    });
  }
  return lines.map((l) => l + '\n').join('');
}
