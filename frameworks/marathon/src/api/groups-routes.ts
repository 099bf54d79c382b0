import { canonicalId, decodeId, findGroup, groupToJson } from '../core';
import { unknownGroup } from './api-error';
import { appContext, callerOf, deploymentResult, METHOD_NOT_ALLOWED, type ApiContext } from './api-context';
import { flag, type ApiRequest, type ApiResult } from './http-io';
import { appJson, type AppEmbed } from './render';
import { planJson } from '../scheduler/marathon-events';

/** /v2/groups[/{id}][/versions]: the group tree (GET/POST/PUT/DELETE). */
export async function groupsRoutes(ctx: ApiContext, req: ApiRequest, rest: string): Promise<ApiResult> {
  const segs = rest.split('/').filter((s) => s.length > 0).map(decodeId).flatMap((s) => s.split('/').filter(Boolean));
  const isVersions = segs[segs.length - 1] === 'versions';
  const id = canonicalId('/' + (isVersions ? segs.slice(0, -1) : segs).join('/'));
  if (isVersions) {
    if (req.method !== 'GET') return METHOD_NOT_ALLOWED;
    const g = findGroup(ctx.model.root, id);
    if (!g || g.id !== id) throw unknownGroup(id);
    return { status: 200, body: g.version ? [g.version] : [] };
  }
  const force = flag(req.query, 'force');
  switch (req.method) {
    case 'GET': {
      const g = findGroup(ctx.model.root, id);
      if (!g || g.id !== id) throw unknownGroup(id);
      const embed = req.query.getAll('embed').flatMap((e) => e.split(','));
      const withApps = embed.length === 0 || embed.some((e) => e.startsWith('group.apps'));
      const withGroups = embed.length === 0 || embed.includes('group.groups');
      const appEmbed: AppEmbed = {
        tasks: embed.includes('group.apps.tasks'),
        counts: embed.includes('group.apps.counts'),
        deployments: embed.includes('group.apps.deployments'),
        lastTaskFailure: embed.includes('group.apps.lastTaskFailure'),
        readiness: embed.includes('group.apps.readiness'),
      };
      return { status: 200, body: groupToJson(g, { apps: withApps, groups: withGroups, appJson: (a) => appJson(a, appContext(ctx, a), appEmbed) }) };
    }
    case 'POST': {
      // POST /v2/groups/{id} creates a group below {id}; the body's id is relative to it.
      const body = req.json();
      const raw = id === '/' ? body : withParent(body, id);
      const plan = await ctx.ops.createGroup(raw, force, callerOf(req));
      const rawId = raw !== null && typeof raw === 'object' ? (raw as { id?: unknown }).id : undefined;
      return deploymentResult(plan, 201, typeof rawId === 'string' ? { Location: `/v2/groups${canonicalId(rawId)}` } : {});
    }
    case 'PUT': {
      const dryRun = flag(req.query, 'dryRun');
      const plan = await ctx.ops.updateGroup(id, req.json(), { force, dryRun }, callerOf(req));
      if (dryRun) return { status: 200, body: planJson(plan) };
      return deploymentResult(plan);
    }
    case 'DELETE':
      return deploymentResult(await ctx.ops.deleteGroup(id, force));
    default:
      return METHOD_NOT_ALLOWED;
  }
}

/** A POST body under /v2/groups/{parent}: relative ids resolve against the parent. */
function withParent(body: unknown, parent: string): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const b = body as Record<string, unknown>;
  const id = typeof b['id'] === 'string' ? (b['id'] as string) : '';
  return { ...b, id: canonicalId(id, parent) };
}
