import type { AppDefinition } from './app-definition';
import { isOnlyScaleChange, stableJson } from './app-definition';
import { allApps, dependencyLevels, putApp, removeApp, type Group } from './groups';
import { OBJECT_NOT_VALID, type ValidationFailure } from './validation-error';

/**
 * A deployment turns the current group tree into the target one as a list of steps; the actions of a
 * step run together, a step starts when the previous one is done (Marathon's deployment model):
 * 1. stop every app missing from the target;
 * 2. register every new app (StartApplication, with 0 instances);
 * 3. then, level by level of the dependency graph (dependencies first), scale new apps and apps whose
 *    change is only the instance count, and restart (rolling replacement) apps whose definition changed.
 */

export type DeploymentActionName = 'StartApplication' | 'StopApplication' | 'ScaleApplication' | 'RestartApplication';

export interface DeploymentAction {
  action: DeploymentActionName;
  app: string;
  /** ScaleApplication: the instance count to reach. */
  instances?: number;
  /** ScaleApplication: tasks to kill first (DELETE …/tasks?scale=true). */
  killTaskIds?: string[];
}

export interface DeploymentStep {
  actions: DeploymentAction[];
}

export interface DeploymentPlan {
  id: string;
  /** ISO 8601 version of the target tree. */
  version: string;
  affectedApps: string[];
  steps: DeploymentStep[];
  /** The definitions before and after, keyed by app id, for rollback and for the service's step runners. */
  original: Record<string, AppDefinition>;
  target: Record<string, AppDefinition>;
}

export interface PlanOptions {
  id: string;
  version: string;
  /** Tasks to kill per app when it is scaled down (DELETE …/tasks?scale=true). */
  toKill?: Record<string, string[]>;
}

export type PlanResult = { ok: true; plan: DeploymentPlan } | { ok: false; error: ValidationFailure };

export function planDeployment(original: Group, target: Group, opts: PlanOptions): PlanResult {
  const before = byId(allApps(original));
  const after = byId(allApps(target));
  const order = dependencyLevels(target);
  if (!order.ok) {
    return { ok: false, error: { message: OBJECT_NOT_VALID, details: [{ path: '/', errors: [`Dependency graph has cyclic dependencies: ${order.cycle.join(' -> ')}`] }] } };
  }
  const removed = Object.keys(before).filter((id) => !(id in after)).sort();
  const added = Object.keys(after).filter((id) => !(id in before)).sort();
  const changed = new Set<string>(Object.keys(after).filter((id) => !(id in before) || stableJson(before[id]) !== stableJson(after[id])));
  for (const id of Object.keys(opts.toKill ?? {})) if (id in after) changed.add(id);

  const steps: DeploymentStep[] = [];
  steps.push({ actions: removed.map((app) => ({ action: 'StopApplication', app })) });
  steps.push({ actions: added.map((app) => ({ action: 'StartApplication', app })) });
  for (const level of order.levels) {
    const actions: DeploymentAction[] = [];
    for (const id of level) {
      if (!changed.has(id)) continue;
      const next = after[id] as AppDefinition;
      const prev = before[id];
      const kills = opts.toKill?.[id];
      if (!prev || isOnlyScaleChange(prev, next) || next.instances === 0) {
        actions.push({ action: 'ScaleApplication', app: id, instances: next.instances, ...(kills && kills.length > 0 ? { killTaskIds: kills } : {}) });
      } else {
        actions.push({ action: 'RestartApplication', app: id });
      }
    }
    steps.push({ actions });
  }
  const nonEmpty = steps.filter((s) => s.actions.length > 0);
  const affected = [...new Set([...removed, ...[...changed].filter((id) => nonEmpty.some((s) => s.actions.some((a) => a.app === id)))])].sort();
  return {
    ok: true,
    plan: {
      id: opts.id,
      version: opts.version,
      affectedApps: affected,
      steps: nonEmpty,
      original: pick(before, affected),
      target: pick(after, affected),
    },
  };
}

function byId(apps: AppDefinition[]): Record<string, AppDefinition> {
  return Object.fromEntries(apps.map((a) => [a.id, a]));
}

function pick(m: Record<string, AppDefinition>, ids: string[]): Record<string, AppDefinition> {
  const out: Record<string, AppDefinition> = {};
  for (const id of ids) {
    const a = m[id];
    if (a) out[id] = a;
  }
  return out;
}

/** Do two plans touch a common app? (Only one deployment per app at a time: else 409 unless force.) */
export function conflictingApps(a: Pick<DeploymentPlan, 'affectedApps'>, b: Pick<DeploymentPlan, 'affectedApps'>): string[] {
  const set = new Set(a.affectedApps);
  return b.affectedApps.filter((id) => set.has(id));
}

export interface ReadinessResultJson {
  name: string;
  taskId: string;
  ready: boolean;
  lastResponse?: { status: number; contentType: string; body: string };
}

export interface DeploymentProgress {
  /** Index (0-based) of the step being executed; steps.length when finished. */
  stepIndex: number;
  readiness?: Record<string, ReadinessResultJson[]>;
  /** Agora extension: why the current step's apps wait (from explainUnplaceable), keyed by app id. */
  waitingReasons?: Record<string, string>;
}

/** The `/v2/deployments` entry of a running plan. */
export function deploymentToJson(plan: DeploymentPlan, progress: DeploymentProgress): Record<string, unknown> {
  const current = plan.steps[progress.stepIndex];
  return {
    id: plan.id,
    version: plan.version,
    affectedApps: plan.affectedApps,
    affectedPods: [],
    steps: plan.steps.map((s) => ({ actions: s.actions.map((a) => ({ action: a.action, app: a.app })) })),
    currentActions: (current?.actions ?? []).map((a) => ({
      action: a.action,
      app: a.app,
      readinessCheckResults: progress.readiness?.[a.app] ?? [],
      ...(progress.waitingReasons?.[a.app] !== undefined ? { waitingReason: progress.waitingReasons[a.app] } : {}),
    })),
    currentStep: Math.min(progress.stepIndex + 1, plan.steps.length),
    totalSteps: plan.steps.length,
  };
}

/**
 * The plan that undoes a (possibly half-finished) deployment: from the tree as the plan left it back to
 * the original definitions (DELETE /v2/deployments/{id} without force, and the progress-deadline rollback).
 */
export function rollbackTarget(current: Group, plan: DeploymentPlan): Group {
  let g = current;
  for (const id of plan.affectedApps) {
    const orig = plan.original[id];
    g = orig ? putApp(g, orig) : removeApp(g, id);
  }
  return g;
}
