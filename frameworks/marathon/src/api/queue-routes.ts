import { appToJson, explainUnplaceable, parseAppRoute, queueEntryJson } from '../core';
import { constraintContext } from '../scheduler/cluster-view';
import { METHOD_NOT_ALLOWED, type ApiContext } from './api-context';
import type { ApiRequest, ApiResult } from './http-io';

/**
 * GET /v2/queue: the apps waiting for launches, with backoff, offer statistics and Agora's `placement`
 * (why no agent takes the next task, per resource and constraint). DELETE /v2/queue/{id}/delay.
 */
export async function queueRoutes(ctx: ApiContext, req: ApiRequest, rest: string): Promise<ApiResult> {
  if (rest === '') {
    if (req.method !== 'GET') return METHOD_NOT_ALLOWED;
    return { status: 200, body: { queue: await queueEntries(ctx, req.query.getAll('embed').some((e) => e.includes('lastUnusedOffers'))) } };
  }
  if (rest.endsWith('/delay')) {
    if (req.method !== 'DELETE') return METHOD_NOT_ALLOWED;
    const route = parseAppRoute(rest.slice(0, -'/delay'.length));
    ctx.ops.resetDelay(route.appId);
    return { status: 204 };
  }
  return { status: 404, body: { message: `URI not found: /v2/queue${rest}` } };
}

export async function queueEntries(ctx: ApiContext, withOffers = false): Promise<Record<string, unknown>[]> {
  const now = ctx.clock.now();
  const waiting = ctx.queue.waitingApps().filter((id) => ctx.model.app(id) !== undefined);
  const capacities = waiting.length > 0 ? await ctx.cluster.capacities() : [];
  const agents = capacities.map((c) => ({ hostname: c.hostname, attributes: c.attributes }));
  return waiting.flatMap((id) => {
    const app = ctx.model.app(id);
    if (!app) return [];
    const placed = ctx.tracker.ofApp(id).map((t) => ({ hostname: t.rec.hostname, attributes: t.rec.attributes }));
    const offers = ctx.queue.offerStats(id);
    const entry = queueEntryJson({
      appJson: appToJson(app),
      count: ctx.queue.wanted(id),
      since: ctx.clock.iso(ctx.queue.since(id) ?? now),
      backoff: ctx.queue.backoff(app, now),
      now,
      offers,
      explanation: explainUnplaceable(app, capacities, placed, constraintContext(agents)),
    });
    if (withOffers) entry['lastUnusedOffers'] = offers.lastOfferRejections.map((reason) => ({ reason }));
    return [entry];
  });
}
