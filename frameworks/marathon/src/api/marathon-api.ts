import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@agora/logging';
import type { EventHub } from '../events/event-hub';
import type { Leadership } from '../leader/leadership';
import { proxyToLeader } from '../leader/standby-proxy';
import { ApiError } from './api-error';
import { METHOD_NOT_ALLOWED, type ApiContext } from './api-context';
import { appsRoutes } from './apps-routes';
import { deploymentsRoutes } from './deployments-routes';
import { streamEvents } from './events-stream';
import { groupsRoutes } from './groups-routes';
import { readBody, send, toApiRequest, type ApiRequest, type ApiResult } from './http-io';
import { infoJson, metricsJson } from './info-routes';
import { queueRoutes } from './queue-routes';
import { tasksRoutes } from './tasks-routes';

/** How long a request waits for an election in progress before a standby answers 503. */
const ELECTION_WAIT_MS = 5000;

/**
 * Marathon's HTTP API as one Express-compatible handler. Marathon's ids span any number of path
 * segments (`/v2/apps/prod/web/tasks`), arrive doubled (`//prod/web`) or percent-encoded, and its
 * errors have exact shapes (a malformed body is a 400 with details, not a framework's default), so the
 * routing is done here on the raw path rather than by decorator routes.
 *
 * `/ping`, `/metrics`, `/v2/info` and `/v2/leader` answer on every instance; everything else is served
 * by the leader, and a standby forwards it there.
 */
export class MarathonApi {
  constructor(
    private readonly ctx: ApiContext,
    private readonly leadership: Leadership,
    private readonly hub: EventHub,
    private readonly log: Logger,
  ) {}

  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    this.serve(req, res).catch((e: unknown) => {
      this.log.error({ err: e instanceof Error ? e.stack : String(e), url: req.url }, 'request failed');
      if (!res.headersSent) send(res, { status: 500, body: { message: e instanceof Error ? e.message : String(e) } });
      else res.destroy();
    });
  };

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (e) {
      if (e instanceof ApiError) return send(res, { status: e.status, body: e.body });
      throw e;
    }
    const r = toApiRequest(req, body);
    const local = this.localRoute(r);
    if (local) return send(res, await local);

    if (!this.leadership.isLeader) {
      await this.leadership.settled(ELECTION_WAIT_MS);
      if (!this.leadership.isLeader) {
        const leader = this.leadership.leaderAddress;
        const self = this.leadership.self;
        if (leader && (leader.host !== self.host || leader.port !== self.port)) return proxyToLeader(req, body, res, leader, self);
        return send(res, { status: 503, body: { message: 'Could not determine the current leader' } });
      }
    }
    if (r.path === '/v2/events') {
      if (r.method !== 'GET') return send(res, METHOD_NOT_ALLOWED);
      return streamEvents(r, res, this.hub);
    }
    try {
      send(res, await this.route(r));
    } catch (e) {
      if (e instanceof ApiError) return send(res, { status: e.status, body: e.body });
      throw e;
    }
  }

  /** Endpoints every instance answers itself. */
  private localRoute(r: ApiRequest): Promise<ApiResult> | undefined {
    switch (r.path) {
      case '/ping':
        return Promise.resolve({ status: 200, text: 'pong' });
      case '/metrics':
        return Promise.resolve({ status: 200, body: metricsJson(this.ctx, this.hub, this.leadership.isLeader) });
      case '/v2/info':
        if (r.method !== 'GET') return Promise.resolve(METHOD_NOT_ALLOWED);
        return Promise.resolve({
          status: 200,
          body: infoJson({ cfg: this.ctx.cfg, elected: this.leadership.isLeader, leader: this.leadership.leaderAddress, frameworkId: this.leadership.isLeader ? this.ctx.model.frameworkId : undefined }),
        });
      case '/v2/leader':
        return this.leaderRoute(r);
      default:
        return undefined;
    }
  }

  private leaderRoute(r: ApiRequest): Promise<ApiResult> | undefined {
    const leader = this.leadership.leaderAddress;
    if (r.method === 'GET') {
      if (!leader) return Promise.resolve({ status: 404, body: { message: 'There is no leader' } });
      return Promise.resolve({ status: 200, body: { leader: `${leader.host}:${leader.port}` } });
    }
    if (r.method === 'DELETE') {
      // A standby forwards the abdication to the leader (undefined = not answered locally).
      if (!this.leadership.isLeader) return undefined;
      void this.leadership.abdicate();
      return Promise.resolve({ status: 202, body: { message: 'Leadership abdicated' } });
    }
    return Promise.resolve(METHOD_NOT_ALLOWED);
  }

  private route(r: ApiRequest): Promise<ApiResult> {
    const p = r.path;
    const under = (prefix: string): string | undefined => (p === prefix ? '' : p.startsWith(prefix + '/') ? p.slice(prefix.length) : undefined);
    let rest: string | undefined;
    if ((rest = under('/v2/apps')) !== undefined) return appsRoutes(this.ctx, r, rest);
    if ((rest = under('/v2/tasks')) !== undefined) return tasksRoutes(this.ctx, r, rest);
    if ((rest = under('/v2/deployments')) !== undefined) return deploymentsRoutes(this.ctx, r, rest);
    if ((rest = under('/v2/groups')) !== undefined) return groupsRoutes(this.ctx, r, rest);
    if ((rest = under('/v2/queue')) !== undefined) return queueRoutes(this.ctx, r, rest);
    return Promise.resolve({ status: 404, body: { message: `URI not found: ${p}` } });
  }
}
