import type { Logger } from '@agora/logging';
import { agentCheckIndex, inGracePeriod, portEntries, type AppDefinition, type HealthCheck, type ReadinessCheck } from '../core';
import type { EventHub } from '../events/event-hub';
import type { CheckResult, TrackedTask } from '../scheduler/task-tracker';
import { httpProbe, runProbe, type Probe } from './probes';

/**
 * Framework-side health and readiness checks. Each running task gets one loop per health check of its
 * app version (and one readiness loop until it is ready); each loop probes, waits `intervalSeconds`
 * after the answer, and probes again. Results land on the tracked task; the scheduler, told through
 * `onChange`, lets the core's health policy decide on kills.
 *
 * - HTTP/HTTPS/TCP and their MESOS_ variants are probed from here against the task's agent address and
 *   port (Agora's agents are reachable from the scheduler).
 * - The first COMMAND check runs on the task's agent, in its sandbox (TaskInfo.healthCheck, see
 *   agentCheckIndex); its results arrive as status updates with `healthy` and are recorded through
 *   `recordAgentResult` like a probe's. Further COMMAND checks run `sh -c` here with the task's
 *   environment (HOST, PORT0…, MESOS_TASK_ID).
 * - `delaySeconds` delays the first probe of MESOS_* and COMMAND checks only: Marathon ignores it for
 *   its own HTTP/HTTPS/TCP checks, and so does Agora, so that clients' definitions behave the same.
 * - Failures inside `gracePeriodSeconds` before the first success are recorded but not counted.
 */
export interface HealthCallbacks {
  /** Something changed that the scheduler should look at (health flipped, a failure counted, ready). */
  onChange(task: TrackedTask): void;
}

interface Loop {
  timer: NodeJS.Timeout | undefined;
  stopped: boolean;
}

export class HealthChecks {
  private readonly loops = new Map<string, Loop[]>();
  private callbacks: HealthCallbacks = { onChange: () => undefined };

  constructor(
    private readonly events: EventHub,
    private readonly log: Logger,
  ) {}

  setCallbacks(cb: HealthCallbacks): void {
    this.callbacks = cb;
  }

  /** Starts the loops of a task that runs, stops them for one that does not. Idempotent. */
  sync(task: TrackedTask, app: AppDefinition | undefined): void {
    const running = task.state === 'TASK_RUNNING' && task.killRequestedAt === undefined;
    if (!running || !app) return this.stop(task.rec.taskId);
    if (this.loops.has(task.rec.taskId)) return;
    const loops: Loop[] = [];
    const onAgent = agentCheckIndex(app);
    app.healthChecks.forEach((check, i) => {
      if (i === onAgent) return;
      const loop: Loop = { timer: undefined, stopped: false };
      loops.push(loop);
      const mesosLevel = check.protocol.startsWith('MESOS_') || check.protocol === 'COMMAND';
      this.schedule(loop, mesosLevel ? check.delaySeconds * 1000 : 0, () => this.healthProbe(loop, task, app, check, i));
    });
    const readiness = app.readinessChecks[0];
    if (readiness && !task.ready) {
      const loop: Loop = { timer: undefined, stopped: false };
      loops.push(loop);
      this.schedule(loop, 0, () => this.readinessProbe(loop, task, app, readiness));
    }
    if (loops.length > 0) this.loops.set(task.rec.taskId, loops);
  }

  stop(taskId: string): void {
    const loops = this.loops.get(taskId);
    if (!loops) return;
    for (const l of loops) {
      l.stopped = true;
      if (l.timer) clearTimeout(l.timer);
    }
    this.loops.delete(taskId);
  }

  stopAll(): void {
    for (const id of [...this.loops.keys()]) this.stop(id);
  }

  get activeTasks(): number {
    return this.loops.size;
  }

  private schedule(loop: Loop, delayMs: number, fn: () => Promise<void>): void {
    if (loop.stopped) return;
    loop.timer = setTimeout(() => {
      loop.timer = undefined;
      fn().catch((e: unknown) => this.log.warn({ err: String(e) }, 'health probe failed unexpectedly'));
    }, delayMs);
    loop.timer.unref();
  }

  private async healthProbe(loop: Loop, task: TrackedTask, app: AppDefinition, check: HealthCheck, i: number): Promise<void> {
    const probe = probeFor(task, app, check);
    const result = probe ? await runProbe(probe) : { outcome: 'fail' as const, cause: 'the health check names no port of the task' };
    if (loop.stopped) return;
    if (result.outcome !== 'ignored') this.record(task, app, check, i, result.outcome === 'pass' ? undefined : result.cause);
    this.schedule(loop, Math.max(1, check.intervalSeconds) * 1000, () => this.healthProbe(loop, task, app, check, i));
  }

  /** A result of the check the task's agent runs (a status update with `healthy`). */
  recordAgentResult(task: TrackedTask, app: AppDefinition, healthy: boolean, message: string | undefined): void {
    const i = agentCheckIndex(app);
    const check = app.healthChecks[i];
    if (!check || task.state !== 'TASK_RUNNING' || task.killRequestedAt !== undefined) return;
    this.record(task, app, check, i, healthy ? undefined : (message ?? 'health check failed'));
  }

  private record(task: TrackedTask, app: AppDefinition, check: HealthCheck, i: number, failure: string | undefined): void {
    const now = Date.now();
    const prev: CheckResult = task.health[i] ?? { alive: false, consecutiveFailures: 0 };
    const startedAt = task.startedAt ?? task.stagedAtMs;
    let next: CheckResult;
    if (failure === undefined) {
      next = { ...prev, alive: true, consecutiveFailures: 0, firstSuccess: prev.firstSuccess ?? now, lastSuccess: now };
    } else {
      const counted = !inGracePeriod(check, prev, startedAt, now);
      next = { ...prev, alive: false, consecutiveFailures: prev.consecutiveFailures + (counted ? 1 : 0), lastFailure: now, lastFailureCause: failure };
    }
    task.health[i] = next;
    const ids = { appId: task.rec.appId, taskId: task.rec.taskId, instanceId: task.rec.taskId, version: task.rec.version };
    if (failure !== undefined) this.events.publish('failed_health_check_event', { ...ids, healthCheck: check });
    const flipped = prev.alive !== next.alive;
    if (flipped) this.events.publish('health_status_changed_event', { ...ids, alive: next.alive });
    if (flipped || failure !== undefined) this.callbacks.onChange(task);
  }

  private async readinessProbe(loop: Loop, task: TrackedTask, app: AppDefinition, check: ReadinessCheck): Promise<void> {
    const index = portEntries(app).findIndex((p) => p.name === check.portName);
    const port = index >= 0 ? task.rec.ports[index] : undefined;
    if (port === undefined) {
      this.log.warn({ taskId: task.rec.taskId, portName: check.portName }, 'readiness check names no port of the task');
      return;
    }
    const { result, answer } = await httpProbe({
      kind: 'http',
      https: check.protocol === 'HTTPS',
      host: task.rec.agentIp,
      port,
      path: check.path,
      timeoutMs: check.timeoutSeconds * 1000,
      passStatuses: check.httpStatusCodesForReady,
    });
    if (loop.stopped) return;
    const ready = result.outcome === 'pass';
    task.readiness = {
      name: check.name,
      taskId: task.rec.taskId,
      ready,
      ...(check.preserveLastResponse && answer ? { lastResponse: answer } : {}),
    };
    if (ready) {
      task.ready = true;
      this.callbacks.onChange(task);
      return;
    }
    this.schedule(loop, Math.max(1, check.intervalSeconds) * 1000, () => this.readinessProbe(loop, task, app, check));
  }
}

/** What to probe for one check of one task; undefined when the check's port does not exist. */
export function probeFor(task: TrackedTask, app: AppDefinition, check: HealthCheck): Probe | undefined {
  const timeoutMs = Math.max(1, check.timeoutSeconds) * 1000;
  if (check.protocol === 'COMMAND') {
    const env: Record<string, string> = { HOST: task.rec.hostname, MESOS_TASK_ID: task.rec.taskId, MARATHON_APP_ID: task.rec.appId };
    task.rec.ports.forEach((p, n) => (env[`PORT${n}`] = String(p)));
    if (task.rec.ports.length > 0) env['PORT'] = String(task.rec.ports[0]);
    env['PORTS'] = task.rec.ports.join(',');
    return { kind: 'command', command: check.command?.value ?? 'false', env, timeoutMs };
  }
  const port = check.port ?? task.rec.ports[check.portIndex ?? 0];
  if (port === undefined) return undefined;
  const host = task.rec.agentIp || task.rec.hostname;
  switch (check.protocol) {
    case 'TCP':
    case 'MESOS_TCP':
      return { kind: 'tcp', host, port, timeoutMs };
    default:
      return {
        kind: 'http',
        https: check.protocol === 'HTTPS' || check.protocol === 'MESOS_HTTPS',
        host,
        port,
        path: check.path ?? '/',
        timeoutMs,
        ignoreHttp1xx: check.ignoreHttp1xx,
      };
  }
}
