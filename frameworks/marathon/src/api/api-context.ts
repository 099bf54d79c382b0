import type { Clock } from '../clock';
import type { MarathonConfig } from '../config';
import type { AppDefinition } from '../core';
import type { EventHub } from '../events/event-hub';
import type { ClusterView } from '../scheduler/cluster-view';
import type { LaunchQueue } from '../scheduler/launch-queue';
import type { MarathonScheduler } from '../scheduler/marathon-scheduler';
import type { TaskTracker } from '../scheduler/task-tracker';
import type { MarathonOperations, Caller } from '../service/marathon-operations';
import type { MarathonModel } from '../state/model';
import type { ApiRequest, ApiResult } from './http-io';
import type { AppContext } from './render';

/** What the route handlers work with (leader side). */
export interface ApiContext {
  cfg: MarathonConfig;
  model: MarathonModel;
  tracker: TaskTracker;
  queue: LaunchQueue;
  ops: MarathonOperations;
  scheduler: MarathonScheduler;
  cluster: ClusterView;
  events: EventHub;
  clock: Clock;
}

export function appContext(ctx: ApiContext, app: AppDefinition): AppContext {
  return {
    tasks: ctx.tracker.ofApp(app.id),
    deploymentIds: ctx.model.deploymentsOf(app.id).map((d) => d.plan.id),
    lastFailure: ctx.model.lastFailure.get(app.id),
  };
}

export function callerOf(req: ApiRequest): Caller {
  return { clientIp: req.remoteAddress, uri: req.path };
}

/** Marathon's answer to a change that started a deployment. */
export function deploymentResult(plan: { id: string; version: string }, status = 200, extra: Record<string, string> = {}): ApiResult {
  return { status, body: { version: plan.version, deploymentId: plan.id }, headers: { 'Marathon-Deployment-Id': plan.id, ...extra } };
}

export const METHOD_NOT_ALLOWED: ApiResult = { status: 405, body: { message: 'HTTP 405 Method Not Allowed' } };
