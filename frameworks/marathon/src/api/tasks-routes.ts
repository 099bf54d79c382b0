import { badRequest } from './api-error';
import { deploymentResult, METHOD_NOT_ALLOWED, type ApiContext } from './api-context';
import { flag, wantsText, type ApiRequest, type ApiResult } from './http-io';
import { taskJson, tasksText } from './render';

const STATUS_FILTER: Record<string, (s: string | undefined) => boolean> = {
  running: (s) => s === 'TASK_RUNNING',
  staging: (s) => s === undefined || s === 'TASK_STAGING' || s === 'TASK_STARTING',
};

/** GET /v2/tasks (JSON or text/plain, `status=` filter) and POST /v2/tasks/delete. */
export async function tasksRoutes(ctx: ApiContext, req: ApiRequest, rest: string): Promise<ApiResult> {
  if (rest === '' && req.method === 'GET') {
    if (wantsText(req)) return { status: 200, text: tasksText(ctx.model.apps(), (id) => ctx.tracker.ofApp(id)) };
    const statuses = [...req.query.getAll('status'), ...req.query.getAll('status[]')].map((s) => s.toLowerCase());
    for (const s of statuses) if (!STATUS_FILTER[s]) throw badRequest(`unknown status ${s}: use running or staging`);
    const tasks = ctx.tracker.all().filter((t) => statuses.length === 0 || statuses.some((s) => STATUS_FILTER[s]?.(t.state)));
    return { status: 200, body: { tasks: tasks.map(taskJson) } };
  }
  if (rest === '/delete') {
    if (req.method !== 'POST') return METHOD_NOT_ALLOWED;
    const body = req.json() as { ids?: unknown };
    if (!body || !Array.isArray(body.ids) || body.ids.some((x) => typeof x !== 'string')) {
      throw badRequest('Invalid JSON', [{ path: '/ids', errors: ['error.expected.jsarray of task ids'] }]);
    }
    if (flag(req.query, 'wipe')) throw badRequest('wipe=true is only for apps with persistent volumes, which Agora does not run yet');
    const ids = body.ids as string[];
    const scale = flag(req.query, 'scale');
    const r = await ctx.ops.killTasks(ids, scale, flag(req.query, 'force'));
    if (scale && r.plan) return deploymentResult(r.plan);
    return { status: 200, body: {} };
  }
  return rest === '' ? METHOD_NOT_ALLOWED : { status: 404, body: { message: `URI not found: /v2/tasks${rest}` } };
}
