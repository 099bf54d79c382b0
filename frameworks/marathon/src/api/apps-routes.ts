import { canonicalId, findGroup, allApps, parseAppRoute, type AppDefinition } from '../core';
import { ApiError, badRequest, unknownApp } from './api-error';
import { appContext, callerOf, deploymentResult, METHOD_NOT_ALLOWED, type ApiContext } from './api-context';
import { flag, wantsText, type ApiRequest, type ApiResult } from './http-io';
import { matchesLabels, parseLabelSelector } from './label-selector';
import { appJson, parseEmbed, taskJson, tasksText } from './render';

/** /v2/apps and everything below it; `rest` is the path after `/v2/apps` (the id may span many segments). */
export async function appsRoutes(ctx: ApiContext, req: ApiRequest, rest: string): Promise<ApiResult> {
  if (rest === '' || rest === '/') {
    if (req.method === 'GET') return listApps(ctx, req);
    if (req.method === 'POST') return createApp(ctx, req);
    if (req.method === 'PUT' || req.method === 'PATCH') {
      const put = req.method === 'PUT';
      const partial = put ? flag(req.query, 'partialUpdate', true) : true;
      const plan = await ctx.ops.updateApps(req.json(), { force: flag(req.query, 'force'), partial, allowCreate: put }, callerOf(req));
      return deploymentResult(plan);
    }
    return METHOD_NOT_ALLOWED;
  }
  const route = parseAppRoute(rest);
  switch (route.kind) {
    case 'app':
      return appRoute(ctx, req, route.appId);
    case 'restart': {
      if (req.method !== 'POST') return METHOD_NOT_ALLOWED;
      const plan = await ctx.ops.restartApp(route.appId, flag(req.query, 'force'));
      return deploymentResult(plan);
    }
    case 'tasks':
      return route.taskId === undefined ? appTasks(ctx, req, route.appId) : oneTask(ctx, req, route.appId, route.taskId);
    case 'versions':
      return versions(ctx, req, route.appId, route.version);
  }
}

function listApps(ctx: ApiContext, req: ApiRequest): ApiResult {
  // Counts and deployments are always there (Marathon does the same); tasks and failures on request.
  const embed = { ...parseEmbed(req.query.getAll('embed'), 'apps'), counts: true, deployments: true };
  const cmd = req.query.get('cmd');
  const id = req.query.get('id');
  const label = req.query.get('label');
  const terms = label ? parseLabelSelector(label) : [];
  if (typeof terms === 'string') throw badRequest(terms);
  const apps = ctx.model.apps().filter(
    (a) =>
      (!cmd || (a.cmd ?? '').toLowerCase().includes(cmd.toLowerCase())) &&
      (!id || a.id.toLowerCase().includes(id.toLowerCase())) &&
      matchesLabels(terms, a.labels),
  );
  return { status: 200, body: { apps: apps.map((a) => appJson(a, appContext(ctx, a), embed)) } };
}

const FULL = { counts: true, tasks: true, deployments: true, lastTaskFailure: true, readiness: true, taskStats: false };

async function createApp(ctx: ApiContext, req: ApiRequest): Promise<ApiResult> {
  const { app, plan } = await ctx.ops.createApp(req.json(), flag(req.query, 'force'), callerOf(req));
  const body = appJson(app, appContext(ctx, app), { counts: true, deployments: true, tasks: true, readiness: true });
  body['deployments'] = [{ id: plan.id }];
  return { status: 201, body, headers: { Location: `/v2/apps${app.id}`, 'Marathon-Deployment-Id': plan.id } };
}

async function appRoute(ctx: ApiContext, req: ApiRequest, rawId: string): Promise<ApiResult> {
  // `/v2/apps/prod/*`: every app below /prod.
  if (req.method === 'GET' && rawId.endsWith('/*')) {
    const group = findGroup(ctx.model.root, canonicalId(rawId.slice(0, -2)));
    const apps = group ? allApps(group) : [];
    return { status: 200, body: { '*': apps.map((a) => appJson(a, appContext(ctx, a), FULL)) } };
  }
  const id = canonicalId(rawId);
  switch (req.method) {
    case 'GET': {
      const app = ctx.model.app(id);
      if (!app) throw unknownApp(id);
      const asked = parseEmbed(req.query.getAll('embed'), 'app');
      const embed = Object.values(asked).some(Boolean) ? { ...asked, counts: true, deployments: true } : FULL;
      return { status: 200, body: { app: appJson(app, appContext(ctx, app), embed) } };
    }
    case 'PUT':
    case 'PATCH': {
      const put = req.method === 'PUT';
      const partial = put ? flag(req.query, 'partialUpdate', true) : true;
      const r = await ctx.ops.updateApp(id, req.json(), { force: flag(req.query, 'force'), partial, allowCreate: put }, callerOf(req));
      if (r.created) return deploymentResult(r.plan, 201, { Location: `/v2/apps${r.app.id}` });
      return deploymentResult(r.plan);
    }
    case 'DELETE':
      return deploymentResult(await ctx.ops.deleteApp(id, flag(req.query, 'force'), callerOf(req)));
    default:
      return METHOD_NOT_ALLOWED;
  }
}

async function appTasks(ctx: ApiContext, req: ApiRequest, rawId: string): Promise<ApiResult> {
  const id = canonicalId(rawId);
  const app = ctx.model.app(id);
  if (!app) throw unknownApp(id);
  const tasks = ctx.tracker.ofApp(id);
  if (req.method === 'GET') {
    if (wantsText(req)) return { status: 200, text: tasksText([app], (a) => ctx.tracker.ofApp(a)) };
    return { status: 200, body: { tasks: tasks.map(taskJson) } };
  }
  if (req.method !== 'DELETE') return METHOD_NOT_ALLOWED;
  const host = req.query.get('host');
  if (flag(req.query, 'wipe')) throw badRequest('wipe=true is only for apps with persistent volumes, which Agora does not run yet');
  const chosen = tasks.filter((t) => !host || t.rec.hostname === host || t.rec.agentIp === host);
  const scale = flag(req.query, 'scale');
  const r = await ctx.ops.killTasks(chosen.map((t) => t.rec.taskId), scale, flag(req.query, 'force'));
  if (scale && r.plan) return deploymentResult(r.plan);
  return { status: 200, body: { tasks: chosen.map(taskJson) } };
}

async function oneTask(ctx: ApiContext, req: ApiRequest, rawId: string, taskId: string): Promise<ApiResult> {
  const id = canonicalId(rawId);
  if (!ctx.model.app(id)) throw unknownApp(id);
  const t = ctx.tracker.get(taskId);
  if (!t || t.rec.appId !== id) throw new ApiError(404, { message: `Task '${taskId}' does not exist` });
  if (req.method === 'GET') return { status: 200, body: { task: taskJson(t) } };
  if (req.method !== 'DELETE') return METHOD_NOT_ALLOWED;
  if (flag(req.query, 'wipe')) throw badRequest('wipe=true is only for apps with persistent volumes, which Agora does not run yet');
  const scale = flag(req.query, 'scale');
  const r = await ctx.ops.killTasks([taskId], scale, flag(req.query, 'force'));
  if (scale && r.plan) return deploymentResult(r.plan);
  return { status: 200, body: { task: taskJson(t) } };
}

function versions(ctx: ApiContext, req: ApiRequest, rawId: string, version: string | undefined): ApiResult {
  if (req.method !== 'GET') return METHOD_NOT_ALLOWED;
  const id = canonicalId(rawId);
  if (!ctx.model.app(id)) throw unknownApp(id);
  if (version === undefined) return { status: 200, body: { versions: ctx.model.versionList(id).reverse() } };
  const def: AppDefinition | undefined = ctx.model.versions.get(id)?.get(version);
  if (!def) throw unknownApp(id, version);
  return { status: 200, body: appJson(def, appContext(ctx, def), {}) };
}
