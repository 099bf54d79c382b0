import type { TaskStatus } from '@agora/contracts';
import type { TaskState } from '@agora/model';
import { isHealthy, type AppDefinition, type HealthResult, type ReadinessResultJson, type TaskHealth } from '../core';
import type { TaskRecord } from '../state/records';
import type { TaskSnapshot } from './tick-plan';

/** A health result with the cause of the last failure, as `/v2/apps/{id}/tasks` shows it. */
export interface CheckResult extends HealthResult {
  lastFailureCause?: string;
}

/** One task Marathon knows: its persisted record plus what the status updates and checks told since. */
export interface TrackedTask {
  rec: TaskRecord;
  /** Undefined after a restart until reconciliation answers. */
  state?: TaskState;
  stagedAtMs: number;
  /** Epoch ms of the first TASK_RUNNING. */
  startedAt?: number;
  unreachableSince?: number;
  killRequestedAt?: number;
  /** Killed because of failed health checks (counts for backoff). */
  healthKill?: boolean;
  /** One entry per health check of the task's app version. */
  health: (CheckResult | undefined)[];
  ready: boolean;
  /** The overall health last reported to the master (reportHealth), undefined before the first report. */
  reportedHealthy?: boolean;
  readiness?: ReadinessResultJson;
  ipAddresses?: string[];
  lastStatus?: TaskStatus;
}

/** Mesos' terminal states, plus TASK_UNKNOWN (the master has never heard of it): gone for Marathon. */
export function isGone(state: TaskState): boolean {
  return (
    state === 'TASK_FINISHED' ||
    state === 'TASK_FAILED' ||
    state === 'TASK_KILLED' ||
    state === 'TASK_ERROR' ||
    state === 'TASK_LOST' ||
    state === 'TASK_DROPPED' ||
    state === 'TASK_GONE' ||
    state === 'TASK_GONE_BY_OPERATOR' ||
    state === 'TASK_UNKNOWN'
  );
}

/** The leader's view of every live task, indexed by app. */
export class TaskTracker {
  private readonly tasks = new Map<string, TrackedTask>();
  private readonly byApp = new Map<string, Set<string>>();

  clear(): void {
    this.tasks.clear();
    this.byApp.clear();
  }

  add(rec: TaskRecord, state?: TaskState): TrackedTask {
    const t: TrackedTask = { rec, state, stagedAtMs: Date.parse(rec.stagedAt) || Date.now(), health: [], ready: false };
    this.tasks.set(rec.taskId, t);
    let set = this.byApp.get(rec.appId);
    if (!set) this.byApp.set(rec.appId, (set = new Set()));
    set.add(rec.taskId);
    return t;
  }

  remove(taskId: string): TrackedTask | undefined {
    const t = this.tasks.get(taskId);
    if (!t) return undefined;
    this.tasks.delete(taskId);
    const set = this.byApp.get(t.rec.appId);
    set?.delete(taskId);
    if (set && set.size === 0) this.byApp.delete(t.rec.appId);
    return t;
  }

  get(taskId: string): TrackedTask | undefined {
    return this.tasks.get(taskId);
  }

  ofApp(appId: string): TrackedTask[] {
    return [...(this.byApp.get(appId) ?? [])].map((id) => this.tasks.get(id)).filter((t): t is TrackedTask => t !== undefined);
  }

  appIds(): string[] {
    return [...this.byApp.keys()];
  }

  all(): TrackedTask[] {
    return [...this.tasks.values()];
  }

  get size(): number {
    return this.tasks.size;
  }

  /** Records a status; returns the state before it. */
  apply(t: TrackedTask, s: TaskStatus, now: number): TaskState | undefined {
    const prev = t.state;
    t.state = s.state;
    t.lastStatus = s;
    if (s.ipAddresses && s.ipAddresses.length > 0) t.ipAddresses = s.ipAddresses;
    if (s.state === 'TASK_RUNNING' && t.startedAt === undefined) t.startedAt = Math.round(s.timestamp * 1000) || now;
    if (s.state === 'TASK_UNREACHABLE') t.unreachableSince ??= now;
    else t.unreachableSince = undefined;
    return prev;
  }
}

/** How the core's deployment and health logic sees a task, judged by its own app version's checks. */
export function snapshotOf(t: TrackedTask, app: Pick<AppDefinition, 'healthChecks' | 'readinessChecks'>): TaskSnapshot {
  const killing = t.killRequestedAt !== undefined || t.state === 'TASK_KILLING';
  const unreachable = t.state === 'TASK_UNREACHABLE';
  const running = t.state === 'TASK_RUNNING' && !killing;
  const health: TaskHealth = {
    taskId: t.rec.taskId,
    running,
    starting: !killing && !unreachable && t.state !== 'TASK_RUNNING',
    unreachable,
    killing,
    startedAt: t.startedAt ?? t.stagedAtMs,
    results: app.healthChecks.map((_, i) => t.health[i]),
  };
  return {
    view: {
      taskId: t.rec.taskId,
      configVersion: t.rec.configVersion,
      state: killing ? 'killing' : unreachable ? 'unreachable' : t.state === 'TASK_RUNNING' ? 'running' : 'staging',
      healthy: isHealthy(app, health),
      ready: app.readinessChecks.length === 0 || t.ready,
      startedAt: t.startedAt ?? t.stagedAtMs,
    },
    health,
    healthUnknown: running && app.healthChecks.some((_, i) => t.health[i] === undefined),
    unreachableSince: t.unreachableSince,
  };
}
