import type { TaskState } from '@agora/model';
import type { DeploymentPlan, DeploymentStep } from '../core';

/**
 * Shapes of Marathon's event payloads that several modules publish. Deployment events carry the plan
 * in Marathon's light form (id, version, affected apps, steps), not the whole before/after group trees.
 */

export function planJson(plan: DeploymentPlan): Record<string, unknown> {
  return {
    id: plan.id,
    version: plan.version,
    affectedApps: plan.affectedApps,
    affectedPods: [],
    steps: plan.steps.map(stepJson),
  };
}

export function stepJson(step: DeploymentStep | undefined): Record<string, unknown> {
  return { actions: (step?.actions ?? []).map((a) => ({ action: a.action, app: a.app })) };
}

/** `TASK_GONE_BY_OPERATOR` → `GoneByOperator`: Marathon's instance condition names. */
export function conditionOf(state: TaskState): string {
  return state
    .replace(/^TASK_/, '')
    .toLowerCase()
    .split('_')
    .map((w) => (w[0] ?? '').toUpperCase() + w.slice(1))
    .join('');
}
