import {
  decideHealthKills,
  isResident,
  progressMark,
  restartDecision,
  scaleDecision,
  stopDecision,
  type AppDefinition,
  type DeploymentAction,
  type DeploymentPlan,
  type InstanceView,
  type ProgressMark,
  type StepDecision,
  type TaskHealth,
} from '../core';

/**
 * One pass of the scheduler over everything it manages, as a pure function: given the apps, the running
 * deployments and the tasks, what to kill, how many tasks each app still wants launched, and which
 * deployment steps are done. The service runs it after every task, health or definition change (the
 * core's step decisions are stateless: the tasks themselves are the progress) and carries out the result.
 */

export interface TaskSnapshot {
  view: InstanceView;
  health: TaskHealth;
  /** Running, but some health check has no result yet (just started, or Marathon just restarted). */
  healthUnknown?: boolean;
  /** Epoch ms since the task has been unreachable. */
  unreachableSince?: number;
}

export interface RunningDeployment {
  plan: DeploymentPlan;
  stepIndex: number;
}

export interface TickInput {
  now: number;
  apps: readonly AppDefinition[];
  deployments: readonly RunningDeployment[];
  tasksByApp: ReadonlyMap<string, readonly TaskSnapshot[]>;
}

export type KillReason = 'scale' | 'upgrade' | 'stop' | 'health' | 'orphan' | 'expunge';

export interface TickKill {
  taskId: string;
  appId: string;
  reason: KillReason;
}

export interface TickOutput {
  kills: TickKill[];
  /** Unreachable tasks past expungeAfterSeconds: kill (if still there) and forget. */
  expunge: TickKill[];
  /** appId → tasks to launch now. */
  wanted: Map<string, number>;
  /** deployment id → whether every action of its current step is done. */
  stepDone: Map<string, boolean>;
  /** deployment id → progress counters of its current step (for the progress deadline). */
  progress: Map<string, ProgressMark>;
  /** Health decisions that spared failing tasks, for the logs and the queue. */
  spared: Map<string, { taskId: string; reason: string }[]>;
}

const NONE: StepDecision = { start: 0, kill: [], done: false };

export function planTick(input: TickInput): TickOutput {
  const out: TickOutput = { kills: [], expunge: [], wanted: new Map(), stepDone: new Map(), progress: new Map(), spared: new Map() };
  const apps = new Map(input.apps.map((a) => [a.id, a]));
  const current = new Map<string, { dep: RunningDeployment; action: DeploymentAction }>();
  const pending = new Set<string>();
  for (const dep of input.deployments) {
    dep.plan.steps.forEach((step, i) => {
      for (const action of step.actions) {
        if (i === dep.stepIndex) current.set(action.app, { dep, action });
        else if (i > dep.stepIndex) pending.add(action.app);
      }
    });
  }
  const ids = new Set<string>([...apps.keys(), ...input.tasksByApp.keys(), ...current.keys()]);
  const actionDone = new Map<string, boolean>();

  for (const id of ids) {
    const app = apps.get(id);
    const all = input.tasksByApp.get(id) ?? [];
    const { active, expunge } = splitUnreachable(app, all, input.now);
    for (const t of expunge) out.expunge.push({ taskId: t.view.taskId, appId: id, reason: 'expunge' });
    const views = active.map((t) => t.view);
    const cur = current.get(id);
    let decision: StepDecision;
    let reason: KillReason = 'scale';

    // Health first: its kills and the replacements it wants shape the instance target below.
    let healthKills: string[] = [];
    let surplus = 0;
    if (app && app.healthChecks.length > 0 && cur?.action.action !== 'StopApplication') {
      const target = app.versionInfo.lastConfigChangeAt;
      const mine = active.filter((t) => t.view.configVersion === target);
      const h = decideHealthKills(app, mine.map((t) => t.health), input.now);
      healthKills = h.kill;
      if (h.spared.length > 0) out.spared.set(id, h.spared);
      const waiting = h.spared.filter((s) => s.reason === 'capacity' || s.reason === 'rate-limit').length;
      const surge = isResident(app) ? 0 : Math.max(1, Math.floor(app.instances * app.upgradeStrategy.maximumOverCapacity + 1e-9));
      surplus = Math.min(waiting, surge);
    }
    const afterHealth = views.filter((v) => !healthKills.includes(v.taskId));

    if (cur) {
      decision = actionDecision(cur.action, app, withOldUnknownHealthy(afterHealth, active, app));
      reason = cur.action.action === 'StopApplication' ? 'stop' : cur.action.action === 'RestartApplication' ? 'upgrade' : 'scale';
      actionDone.set(`${cur.dep.plan.id} ${id}`, decision.done && healthKills.length === 0);
    } else if (pending.has(id)) {
      // Its step has not come yet: leave its tasks as they are (dependencies first).
      decision = NONE;
    } else if (app) {
      decision = scaleDecision({ instances: app.instances + surplus, tasks: afterHealth, killSelection: app.killSelection });
    } else {
      decision = { start: 0, kill: views.map((v) => v.taskId), done: false };
      reason = 'orphan';
    }

    for (const taskId of healthKills) out.kills.push({ taskId, appId: id, reason: 'health' });
    for (const taskId of decision.kill) out.kills.push({ taskId, appId: id, reason });
    if (app && decision.start > 0 && cur?.action.action !== 'StopApplication') out.wanted.set(id, decision.start);
  }

  for (const dep of input.deployments) {
    const step = dep.plan.steps[dep.stepIndex];
    if (!step) {
      out.stepDone.set(dep.plan.id, true);
      continue;
    }
    out.stepDone.set(dep.plan.id, step.actions.every((a) => actionDone.get(`${dep.plan.id} ${a.app}`) === true));
    const tasks: InstanceView[] = [];
    const targetOf = new Map<string, string>();
    for (const a of step.actions) {
      const target = dep.plan.target[a.app];
      for (const t of input.tasksByApp.get(a.app) ?? []) {
        tasks.push(t.view);
        if (target && a.action !== 'StopApplication') targetOf.set(t.view.taskId, target.versionInfo.lastConfigChangeAt);
      }
    }
    out.progress.set(dep.plan.id, progressMark(dep.stepIndex, tasks, (taskId) => targetOf.get(taskId)));
  }
  return out;
}

function actionDecision(action: DeploymentAction, app: AppDefinition | undefined, views: InstanceView[]): StepDecision {
  switch (action.action) {
    case 'StartApplication':
      return { start: 0, kill: [], done: true };
    case 'StopApplication':
      return stopDecision(views);
    case 'ScaleApplication':
      if (!app) return stopDecision(views);
      return scaleDecision({ instances: action.instances ?? app.instances, tasks: views, killSelection: app.killSelection, preferredKills: action.killTaskIds });
    case 'RestartApplication':
      if (!app) return stopDecision(views);
      return restartDecision({
        instances: app.instances,
        strategy: app.upgradeStrategy,
        targetConfigVersion: app.versionInfo.lastConfigChangeAt,
        tasks: views,
        killSelection: app.killSelection,
        resident: isResident(app),
      });
  }
}

/**
 * An old task whose checks have not answered yet (typically: Marathon restarted in the middle of a
 * rolling upgrade) counts as healthy for the upgrade. Counting it as unhealthy would make the restart
 * decision kill every old task at once — the mass kill Marathon users report. New tasks never get this
 * benefit of the doubt: old ones go only once new ones have proven healthy.
 */
function withOldUnknownHealthy(views: InstanceView[], snapshots: readonly TaskSnapshot[], app: AppDefinition | undefined): InstanceView[] {
  if (!app) return views;
  const target = app.versionInfo.lastConfigChangeAt;
  const unknown = new Set(snapshots.filter((t) => t.healthUnknown && t.view.configVersion !== target).map((t) => t.view.taskId));
  if (unknown.size === 0) return views;
  return views.map((v) => (unknown.has(v.taskId) ? { ...v, healthy: true } : v));
}

/**
 * Unreachable tasks past `inactiveAfterSeconds` stop counting as instances (so a replacement starts);
 * past `expungeAfterSeconds` they are forgotten. `disabled` keeps them forever.
 */
function splitUnreachable(app: AppDefinition | undefined, tasks: readonly TaskSnapshot[], now: number): { active: TaskSnapshot[]; expunge: TaskSnapshot[] } {
  const strategy = app?.unreachableStrategy ?? { inactiveAfterSeconds: 0, expungeAfterSeconds: 0 };
  if (strategy === 'disabled') return { active: [...tasks], expunge: [] };
  const active: TaskSnapshot[] = [];
  const expunge: TaskSnapshot[] = [];
  for (const t of tasks) {
    if (t.view.state !== 'unreachable' || t.unreachableSince === undefined) {
      active.push(t);
      continue;
    }
    const gone = now - t.unreachableSince;
    if (gone >= strategy.expungeAfterSeconds * 1000) expunge.push(t);
    else if (gone < strategy.inactiveAfterSeconds * 1000) active.push(t);
  }
  return { active, expunge };
}
