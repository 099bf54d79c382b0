import { deploymentToJson, explainUnplaceable } from '../core';
import { constraintContext } from '../scheduler/cluster-view';
import { deploymentResult, METHOD_NOT_ALLOWED, type ApiContext } from './api-context';
import { flag, type ApiRequest, type ApiResult } from './http-io';

/** GET /v2/deployments, DELETE /v2/deployments/{id} (rollback; `?force=true` only stops). */
export async function deploymentsRoutes(ctx: ApiContext, req: ApiRequest, rest: string): Promise<ApiResult> {
  if (rest === '') {
    if (req.method !== 'GET') return METHOD_NOT_ALLOWED;
    return { status: 200, body: await listDeployments(ctx) };
  }
  const id = decodeURIComponent(rest.slice(1));
  if (req.method !== 'DELETE') return METHOD_NOT_ALLOWED;
  const force = flag(req.query, 'force');
  const rollback = await ctx.ops.cancelDeployment(id, force);
  if (!rollback) return { status: 202, body: {} };
  return deploymentResult(rollback);
}

/**
 * Running deployments in Marathon's shape; each current action whose app still waits for launches
 * carries `waitingReason`, the core's explanation of why no agent takes it.
 */
export async function listDeployments(ctx: ApiContext): Promise<Record<string, unknown>[]> {
  const deps = [...ctx.model.deployments.values()];
  const waiting = deps.flatMap((d) => d.plan.steps[d.stepIndex]?.actions ?? []).filter((a) => ctx.queue.wanted(a.app) > 0);
  const capacities = waiting.length > 0 ? await ctx.cluster.capacities() : [];
  const agents = capacities.map((c) => ({ hostname: c.hostname, attributes: c.attributes }));
  return deps.map((d) => {
    const waitingReasons: Record<string, string> = {};
    const readiness: Record<string, { name: string; taskId: string; ready: boolean }[]> = {};
    for (const a of d.plan.steps[d.stepIndex]?.actions ?? []) {
      const app = ctx.model.app(a.app);
      if (!app) continue;
      const tasks = ctx.tracker.ofApp(a.app);
      readiness[a.app] = tasks.flatMap((t) => (t.readiness ? [t.readiness] : []));
      if (ctx.queue.wanted(a.app) === 0) continue;
      const placed = tasks.map((t) => ({ hostname: t.rec.hostname, attributes: t.rec.attributes }));
      waitingReasons[a.app] = explainUnplaceable(app, capacities, placed, constraintContext(agents)).summary;
    }
    return deploymentToJson(d.plan, { stepIndex: d.stepIndex, readiness, waitingReasons });
  });
}
