import type { AppDefinition, HealthCheck } from './app-definition';
import { isResident } from './app-definition';

/**
 * Which unhealthy tasks to kill now. Marathon kills a task after maxConsecutiveFailures failed checks;
 * its users report mass kills of working tasks when checks fail for reasons outside the tasks
 * (overloaded scheduler, network: marathon#3317, #2874) and kills of unreachable tasks (#3942). Here:
 * - unreachable tasks are never health-killed, and failures in the grace period are ignored until the
 *   task's first success;
 * - a kill never takes the app below its healthy capacity, ceil(instances × minimumHealthCapacity),
 *   counting failing tasks as still serving: when no kill fits, a replacement is started first (within
 *   the over-capacity allowance) and the failing task is killed once the replacement is healthy;
 * - at most `maxKills` tasks per decision (default half the instances, at least 1), a circuit breaker
 *   against a checker that fails everything at once.
 * Times are epoch ms.
 */

export interface HealthResult {
  alive: boolean;
  consecutiveFailures: number;
  firstSuccess?: number;
  lastSuccess?: number;
  lastFailure?: number;
}

export interface TaskHealth {
  taskId: string;
  /** TASK_RUNNING and not being killed. */
  running: boolean;
  /** Staging or starting: a launch in flight. */
  starting?: boolean;
  unreachable?: boolean;
  killing?: boolean;
  /** When the task started running (grace periods count from here). */
  startedAt: number;
  /** One entry per app health check, same order; undefined = no result yet. */
  results: (HealthResult | undefined)[];
}

/**
 * The check the agent runs, in the task's sandbox with its environment (TaskInfo.healthCheck), as Mesos
 * executors run COMMAND checks: the app's first COMMAND check; -1 when it has none. Mesos takes one check
 * per task, so further COMMAND checks run in Marathon. Marathon still decides the kills (the agent is
 * told consecutiveFailures 0 and reports every failure).
 */
export function agentCheckIndex(app: Pick<AppDefinition, 'healthChecks'>): number {
  return app.healthChecks.findIndex((h) => h.protocol === 'COMMAND' && h.command !== undefined);
}

/** Marathon-level checks with 0 never kill; Mesos-level and COMMAND checks with 0 kill on the first failure. */
export function killThreshold(h: HealthCheck): number {
  if (h.maxConsecutiveFailures > 0) return h.maxConsecutiveFailures;
  return h.protocol === 'HTTP' || h.protocol === 'HTTPS' || h.protocol === 'TCP' ? Infinity : 1;
}

export function inGracePeriod(h: HealthCheck, r: HealthResult | undefined, startedAt: number, now: number): boolean {
  return r?.firstSuccess === undefined && now < startedAt + h.gracePeriodSeconds * 1000;
}

/** Healthy = running and every check alive (running is enough without checks). */
export function isHealthy(app: Pick<AppDefinition, 'healthChecks'>, t: TaskHealth): boolean {
  if (!t.running || t.unreachable || t.killing) return false;
  return app.healthChecks.every((_, i) => t.results[i]?.alive === true);
}

/** Has the task failed a check often enough, outside its grace period, to be replaced? */
export function failedHealth(app: Pick<AppDefinition, 'healthChecks'>, t: TaskHealth, now: number): boolean {
  return app.healthChecks.some((h, i) => {
    const r = t.results[i];
    if (!r || r.alive) return false;
    if (inGracePeriod(h, r, t.startedAt, now)) return false;
    return r.consecutiveFailures >= killThreshold(h);
  });
}

export type SpareReason = 'unreachable' | 'grace-period' | 'capacity' | 'rate-limit';

export interface HealthKillDecision {
  /** Kill these now (then replace them as usual). */
  kill: string[];
  /** Start this many extra tasks now, so that failing ones can be killed once these are healthy. */
  launchReplacements: number;
  /** Failing tasks left alive for now, and why. */
  spared: { taskId: string; reason: SpareReason }[];
}

export interface HealthKillOptions {
  /** Circuit breaker: most kills in one decision. */
  maxKills?: number;
}

export function decideHealthKills(app: AppDefinition, tasks: readonly TaskHealth[], now: number, opts: HealthKillOptions = {}): HealthKillDecision {
  const n = app.instances;
  const spared: HealthKillDecision['spared'] = [];
  const candidates: TaskHealth[] = [];
  for (const t of tasks) {
    if (t.killing || !t.running) continue;
    const failing = app.healthChecks.some((h, i) => {
      const r = t.results[i];
      return r !== undefined && !r.alive && r.consecutiveFailures >= killThreshold(h);
    });
    if (!failing) continue;
    if (t.unreachable) spared.push({ taskId: t.taskId, reason: 'unreachable' });
    else if (!failedHealth(app, t, now)) spared.push({ taskId: t.taskId, reason: 'grace-period' });
    else candidates.push(t);
  }
  // Worst first: most consecutive failures, then the longest running.
  const worst = (t: TaskHealth): number => Math.max(0, ...t.results.map((r) => r?.consecutiveFailures ?? 0));
  candidates.sort((a, b) => worst(b) - worst(a) || a.startedAt - b.startedAt || a.taskId.localeCompare(b.taskId));

  const floor = Math.ceil(n * app.upgradeStrategy.minimumHealthCapacity - 1e-9);
  const resident = isResident(app);
  const surge = resident ? 0 : Math.max(1, Math.floor(n * app.upgradeStrategy.maximumOverCapacity + 1e-9));
  const healthyUp = tasks.filter((t) => isHealthy(app, t)).length;
  const active = tasks.filter((t) => !t.killing && !t.unreachable && (t.running || t.starting)).length;
  const starting = tasks.filter((t) => !t.killing && !t.unreachable && t.starting).length;

  let allowed = Math.max(0, Math.min(candidates.length, healthyUp + candidates.length - floor));
  // Apps that cannot over-provision replace one failing task at a time, when nothing else is starting.
  if (resident && allowed === 0 && candidates.length > 0 && starting === 0) allowed = 1;
  const maxKills = opts.maxKills ?? Math.max(1, Math.floor(n / 2));
  const kills = candidates.slice(0, Math.min(allowed, maxKills));
  for (const t of candidates.slice(kills.length)) spared.push({ taskId: t.taskId, reason: kills.length < allowed ? 'rate-limit' : 'capacity' });
  const waiting = candidates.length - kills.length;
  // Tasks beyond the instance count are replacements already under way.
  const inFlight = Math.max(0, active - n);
  const launchReplacements = Math.max(0, Math.min(waiting, surge) - inFlight);
  return { kill: kills.map((t) => t.taskId), launchReplacements, spared };
}
