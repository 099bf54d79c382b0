import type { Logger } from '@agora/logging';
import {
  allApps,
  appToJson,
  applyAppUpdate,
  assignServicePorts,
  canonicalId,
  conflictingApps,
  emptyGroup,
  findApp,
  findGroup,
  groupUpdateKind,
  isRootId,
  keepServicePorts,
  parentId,
  parseApp,
  parseGroup,
  planDeployment,
  putApp,
  putGroup,
  removeApp,
  removeGroup,
  restartVersion,
  rollbackTarget,
  sameConfig,
  scaleGroup,
  servicePortsOf,
  stampVersion,
  validateTree,
  type AppDefinition,
  type AppUpdateResult,
  type ValidationFailure,
  type DeadlineVerdict,
  type DeploymentPlan,
  type Group,
} from '../core';
import { ApiError, badRequest, locked, notFound, unknownApp, unknownGroup, unprocessable } from '../api/api-error';
import type { Clock } from '../clock';
import type { MarathonConfig } from '../config';
import type { EventHub } from '../events/event-hub';
import type { LaunchQueue } from '../scheduler/launch-queue';
import type { MarathonScheduler } from '../scheduler/marathon-scheduler';
import { planJson, stepJson } from '../scheduler/marathon-events';
import type { TaskTracker } from '../scheduler/task-tracker';
import { ops, type MarathonStore, type StoreOp } from '../state/marathon-store';
import type { MarathonModel } from '../state/model';
import { treeOps } from '../state/tree-state';

/** Where a change came from, for `api_post_event`. */
export interface Caller {
  clientIp: string;
  uri: string;
}

export interface DeployOptions {
  force: boolean;
  /** Tasks to kill first when scaling down (DELETE …/tasks?scale=true). */
  toKill?: Record<string, string[]>;
  /** Deployments this change replaces (a rollback replaces the deployment it undoes). */
  replaces?: string[];
  /** Plan only: do not store or run anything (group PUT ?dryRun=true). */
  dryRun?: boolean;
}

/**
 * Every change of Marathon's desired state goes through here, one at a time: validate (422), check
 * the deployment locks (409 unless force), compute the new group tree and its deployment plan, write
 * both to Consul in one go, then make them current and wake the scheduler. A deployment is the only way
 * tasks change: create, update, scale, restart, delete, rollback.
 */
export class MarathonOperations {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly cfg: MarathonConfig,
    private readonly store: MarathonStore,
    private readonly model: MarathonModel,
    private readonly scheduler: MarathonScheduler,
    private readonly tracker: TaskTracker,
    private readonly queue: LaunchQueue,
    private readonly events: EventHub,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    scheduler.deadlineHandler = (id, verdict) => {
      this.onDeadline(id, verdict).catch((e: unknown) => this.log.error({ err: String(e), deploymentId: id }, 'deadline handling failed'));
    };
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  // ------------------------------------------------------------------ apps

  /** POST /v2/apps. */
  createApp(raw: unknown, force: boolean, caller: Caller): Promise<{ app: AppDefinition; plan: DeploymentPlan }> {
    return this.serial(async () => {
      const now = this.clock.version();
      const parsed = parseApp(raw, { now });
      if (!parsed.ok) throw unprocessable(parsed.error);
      const app = parsed.value;
      if (this.model.app(app.id)) throw new ApiError(409, { message: `An app with id [${app.id}] already exists.` });
      if (findGroup(this.model.root, app.id)?.id === app.id) throw new ApiError(409, { message: `A group with id [${app.id}] already exists.` });
      this.events.publish('api_post_event', { ...caller, appDefinition: appToJson(app) });
      const plan = await this.deploy(putApp(this.model.root, app), now, { force });
      return { app: this.model.app(app.id) ?? app, plan };
    });
  }

  /**
   * PUT (partial by default, `?partialUpdate=false` replaces) and PATCH of /v2/apps/{id}; PUT creates a
   * missing app, and a body holding only `version` rolls back to that stored version.
   */
  updateApp(id: string, raw: unknown, opts: { force: boolean; partial: boolean; allowCreate: boolean }, caller: Caller): Promise<{ plan: DeploymentPlan; created: boolean; app: AppDefinition }> {
    return this.serial(async () => {
      const appId = canonicalId(id);
      const now = this.clock.version();
      if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
        const bodyId = (raw as Record<string, unknown>)['id'];
        if (typeof bodyId === 'string' && canonicalId(bodyId) !== appId) {
          throw unprocessable({ message: 'Object is not valid', details: [{ path: '/id', errors: [`The id in the body (${canonicalId(bodyId)}) does not match the id in the URL (${appId})`] }] });
        }
      }
      const current = this.model.app(appId);
      const r = applyAppUpdate(current, raw, { id: appId, now, partial: opts.partial, allowCreate: opts.allowCreate });
      const next = this.nextApp(r, appId, current, now, (e) => e);
      if (!current && findGroup(this.model.root, appId)?.id === appId) throw new ApiError(409, { message: `A group with id [${appId}] already exists.` });
      this.events.publish('api_post_event', { ...caller, appDefinition: appToJson(next) });
      const plan = await this.deploy(putApp(this.model.root, next), now, { force: opts.force });
      return { plan, created: current === undefined, app: this.model.app(appId) ?? next };
    });
  }

  /**
   * The app an update leads to: the new definition, the stored version a rollback names (stamped as a new
   * version), or the API error. `relocate` places validation errors in the request body (bulk updates
   * prefix the array index).
   */
  private nextApp(r: AppUpdateResult, appId: string, current: AppDefinition | undefined, now: string, relocate: (e: ValidationFailure) => ValidationFailure): AppDefinition {
    switch (r.kind) {
      case 'invalid':
        throw unprocessable(relocate(r.error));
      case 'not-found':
        throw unknownApp(appId);
      case 'rollback': {
        const old = this.model.versions.get(appId)?.get(r.version);
        if (!old || !current) throw unknownApp(appId, r.version);
        return stampVersion({ ...old, version: now }, current, now);
      }
      case 'create':
        return r.app;
      case 'update':
        return stampVersion(keepServicePorts(r.app, current), current, now);
    }
  }

  /**
   * PUT /v2/apps (create or update, partial by default) and PATCH /v2/apps (update only) of several apps
   * at once: one deployment for all of them. Every body must carry its `id`.
   */
  updateApps(raw: unknown, opts: { force: boolean; partial: boolean; allowCreate: boolean }, caller: Caller): Promise<DeploymentPlan> {
    return this.serial(async () => {
      if (!Array.isArray(raw)) throw unprocessable({ message: 'Invalid JSON', details: [{ path: '/', errors: ['error.expected.jsarray'] }] });
      const now = this.clock.version();
      let root = this.model.root;
      const seen = new Set<string>();
      for (const [i, body] of raw.entries()) {
        const rawId = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)['id'] : undefined;
        if (typeof rawId !== 'string') throw unprocessable({ message: 'Object is not valid', details: [{ path: `/(${i})/id`, errors: ['error.path.missing'] }] });
        const appId = canonicalId(rawId);
        if (seen.has(appId)) throw unprocessable({ message: 'Object is not valid', details: [{ path: `/(${i})/id`, errors: [`${appId} is given more than once`] }] });
        seen.add(appId);
        const current = findApp(root, appId);
        const r = applyAppUpdate(current, body, { id: appId, now, partial: opts.partial, allowCreate: opts.allowCreate });
        const next = this.nextApp(r, appId, current, now, (e) => ({
          message: e.message,
          details: e.details.map((d) => ({ path: `/(${i})${d.path === '/' ? '' : d.path}`, errors: d.errors })),
        }));
        this.events.publish('api_post_event', { ...caller, appDefinition: appToJson(next) });
        root = putApp(root, next);
      }
      return this.deploy(root, now, { force: opts.force });
    });
  }

  /** DELETE /v2/apps/{id}: the app and its history go; its tasks are stopped by the deployment. */
  deleteApp(id: string, force: boolean, caller: Caller): Promise<DeploymentPlan> {
    return this.serial(async () => {
      const appId = canonicalId(id);
      const app = this.model.app(appId);
      if (!app) throw unknownApp(appId);
      this.events.publish('api_post_event', { ...caller, appDefinition: { id: appId } });
      return this.deploy(removeApp(this.model.root, appId), this.clock.version(), { force });
    });
  }

  /** POST /v2/apps/{id}/restart: the same definition as a new config version (a rolling replacement). */
  restartApp(id: string, force: boolean): Promise<DeploymentPlan> {
    return this.serial(async () => {
      const appId = canonicalId(id);
      const app = this.model.app(appId);
      if (!app) throw unknownApp(appId);
      const now = this.clock.version();
      return this.deploy(putApp(this.model.root, restartVersion(app, now)), now, { force });
    });
  }

  /**
   * DELETE …/tasks (and /v2/tasks/delete): with `scale`, the app is scaled down by the number of its
   * tasks killed, those tasks first; without, the tasks are killed and replaced as usual.
   */
  killTasks(taskIds: readonly string[], scale: boolean, force: boolean): Promise<{ plan?: DeploymentPlan; killed: string[] }> {
    return this.serial(async () => {
      const known = taskIds.filter((id) => this.tracker.get(id) !== undefined);
      if (!scale) {
        this.scheduler.killTasks(known);
        return { killed: known };
      }
      const byApp = new Map<string, string[]>();
      for (const id of known) {
        const t = this.tracker.get(id);
        if (!t) continue;
        byApp.set(t.rec.appId, [...(byApp.get(t.rec.appId) ?? []), id]);
      }
      const now = this.clock.version();
      let root = this.model.root;
      for (const [appId, ids] of byApp) {
        const app = findApp(root, appId);
        if (!app) continue;
        root = putApp(root, stampVersion({ ...app, instances: Math.max(0, app.instances - ids.length) }, app, now));
      }
      const plan = await this.deploy(root, now, { force, toKill: Object.fromEntries(byApp) });
      return { plan, killed: known };
    });
  }

  // ------------------------------------------------------------------ groups

  /** POST /v2/groups: a new group (409 if it exists with content). */
  createGroup(raw: unknown, force: boolean, caller: Caller): Promise<DeploymentPlan> {
    return this.serial(async () => {
      const now = this.clock.version();
      const parsed = parseGroup(raw, { now, parent: '/' });
      if (!parsed.ok) throw unprocessable(parsed.error);
      const g = parsed.value;
      if (isRootId(g.id)) throw unprocessable({ message: 'Object is not valid', details: [{ path: '/id', errors: ['Path must contain at least one path element'] }] });
      const existing = findGroup(this.model.root, g.id);
      if (existing && existing.id === g.id) throw new ApiError(409, { message: `Group ${g.id} is already created. Use PUT to change this group.` });
      if (this.model.app(g.id)) throw new ApiError(409, { message: `An app with id [${g.id}] already exists.` });
      this.events.publish('api_post_event', { ...caller, groupId: g.id });
      return this.deploy(putGroup(this.model.root, this.restamp({ ...g, version: now }, now)), now, { force });
    });
  }

  /** PUT /v2/groups/{id}: update (apps/groups given replace the group's), `{version}` rollback, `{scaleBy}`. */
  updateGroup(id: string, raw: unknown, opts: { force: boolean; dryRun: boolean }, caller: Caller): Promise<DeploymentPlan> {
    return this.serial(async () => {
      const groupId = canonicalId(id);
      const now = this.clock.version();
      const kind = groupUpdateKind(raw);
      const current = findGroup(this.model.root, groupId);
      let root: Group;
      switch (kind.kind) {
        case 'invalid':
          throw unprocessable(kind.error);
        case 'rollback':
          throw notFound(`Group '${groupId}' has no stored version ${kind.version}`);
        case 'scale':
          if (!current || current.id !== groupId) throw unknownGroup(groupId);
          root = scaleGroup(this.model.root, groupId, kind.factor);
          root = this.restampTree(root, now);
          break;
        case 'update': {
          const parsed = parseGroup(raw, { now, id: groupId, parent: parentId(groupId) });
          if (!parsed.ok) throw unprocessable(parsed.error);
          const body = raw as Record<string, unknown>;
          const base = current && current.id === groupId ? current : emptyGroup(groupId);
          const merged: Group = {
            ...base,
            apps: body['apps'] === undefined || body['apps'] === null ? base.apps : parsed.value.apps,
            groups: body['groups'] === undefined || body['groups'] === null ? base.groups : parsed.value.groups,
            dependencies: body['dependencies'] === undefined || body['dependencies'] === null ? base.dependencies : parsed.value.dependencies,
            version: now,
          };
          if (parsed.value.id !== groupId) throw unprocessable({ message: 'Object is not valid', details: [{ path: '/id', errors: [`Identifier ${parsed.value.id} does not match the URL (${groupId})`] }] });
          root = putGroup(this.model.root, this.restamp(merged, now));
        }
      }
      if (!opts.dryRun) this.events.publish('api_post_event', { ...caller, groupId });
      return this.deploy(root, now, { force: opts.force, dryRun: opts.dryRun });
    });
  }

  /** DELETE /v2/groups/{id}: the group, its apps and sub-groups. */
  deleteGroup(id: string, force: boolean): Promise<DeploymentPlan> {
    return this.serial(async () => {
      const groupId = canonicalId(id);
      const g = findGroup(this.model.root, groupId);
      if (!g || g.id !== groupId) throw unknownGroup(groupId);
      return this.deploy(removeGroup(this.model.root, groupId), this.clock.version(), { force });
    });
  }

  // ------------------------------------------------------------------ deployments

  /**
   * DELETE /v2/deployments/{id}: by default a rollback (a new deployment back to the versions before it);
   * with force the deployment just stops where it is.
   */
  cancelDeployment(id: string, force: boolean, reason = 'cancelled by the user'): Promise<DeploymentPlan | undefined> {
    return this.serial(async () => this.cancel(id, force, reason));
  }

  private async cancel(id: string, force: boolean, reason: string): Promise<DeploymentPlan | undefined> {
    const dep = this.model.deployments.get(id);
    if (!dep) throw notFound(`DeploymentPlan ${id} does not exist`);
    if (force) {
      dep.cancelling = true;
      await this.store.commit([ops.deleteDeployment(id)]).catch((e: unknown) => {
        dep.cancelling = false;
        throw e;
      });
      this.model.deployments.delete(id);
      this.events.publish('deployment_failed', { id, plan: planJson(dep.plan), reason });
      this.scheduler.kick();
      return undefined;
    }
    const target = rollbackTarget(this.model.root, dep.plan);
    const now = this.clock.version();
    // The original definitions come back under a new version but keep their config version, so the
    // tasks still running from before the deployment count as up to date and only the new ones go.
    const affected = new Set(dep.plan.affectedApps);
    const walk = (g: Group): Group => ({
      ...g,
      apps: g.apps.map((a) => {
        const cur = this.model.app(a.id);
        if (!affected.has(a.id) || (cur && cur.version === a.version)) return a;
        return { ...a, version: now, versionInfo: { lastScalingAt: now, lastConfigChangeAt: a.versionInfo.lastConfigChangeAt } };
      }),
      groups: g.groups.map(walk),
    });
    const restamped = walk(target);
    this.events.publish('deployment_failed', { id, plan: planJson(dep.plan), reason });
    return this.deploy(restamped, now, { force: true, replaces: [id] });
  }

  private async onDeadline(id: string, verdict: Extract<DeadlineVerdict, { kind: 'exceeded' }>): Promise<void> {
    const reason = `no progress for ${verdict.stalledSeconds} s (progressDeadlineSeconds of ${verdict.app})`;
    await this.serial(async () => {
      if (!this.model.deployments.has(id)) return;
      await this.cancel(id, verdict.action === 'fail', reason);
    });
  }

  // ------------------------------------------------------------------ the common path

  /**
   * Makes `target` the desired tree: assigns service ports, validates, plans against the current tree,
   * checks locks, stores tree + deployment, then applies them in memory and wakes the scheduler.
   */
  private async deploy(target: Group, version: string, opts: DeployOptions): Promise<DeploymentPlan> {
    const before = this.model.root;
    const withPorts = this.assignPorts(target, before);
    const invalid = validateTree(withPorts);
    if (invalid) throw unprocessable(invalid);
    const planned = planDeployment(before, withPorts, { id: this.clock.uuid(), version, toKill: opts.toKill });
    if (!planned.ok) throw unprocessable(planned.error);
    const plan = planned.plan;
    if (opts.dryRun) return plan;
    const replaced = new Set(opts.replaces ?? []);
    const conflicts = [...this.model.deployments.values()].filter((d) => !replaced.has(d.plan.id) && conflictingApps(d.plan, plan).length > 0);
    if (conflicts.length > 0 && !opts.force) throw locked(conflicts.map((d) => d.plan.id));
    const cancelled = [...conflicts.map((d) => d.plan.id), ...replaced].filter((id) => this.model.deployments.has(id));

    const changed = allApps(withPorts).filter((a) => this.model.versions.get(a.id)?.get(a.version) === undefined);
    const storeOps: StoreOp[] = treeOps(before, withPorts, (id) => this.model.versionList(id));
    for (const app of changed) {
      const versions = [...this.model.versionList(app.id), app.version];
      storeOps.push(...this.store.pruneVersionOps(app.id, versions, this.cfg.maxVersions));
    }
    for (const id of cancelled) storeOps.push(ops.deleteDeployment(id));
    const startedAt = this.clock.now();
    if (plan.steps.length > 0) storeOps.push(ops.putDeployment({ plan, stepIndex: 0, startedAt }));
    const marked = cancelled.map((id) => this.model.deployments.get(id)).filter((d) => d !== undefined);
    for (const d of marked) d.cancelling = true;
    try {
      await this.store.commit(storeOps);
    } catch (e) {
      for (const d of marked) d.cancelling = false;
      throw e;
    }

    // Stored: make it current.
    const removedApps = allApps(before).filter((a) => !findApp(withPorts, a.id)).map((a) => a.id);
    this.model.root = withPorts;
    for (const app of changed) {
      this.model.addVersion(app);
      this.model.pruneVersions(app.id, this.cfg.maxVersions);
    }
    for (const id of removedApps) {
      this.model.versions.delete(id);
      this.model.lastFailure.delete(id);
    }
    for (const id of cancelled) {
      const d = this.model.deployments.get(id);
      this.model.deployments.delete(id);
      if (d && !replaced.has(id)) this.events.publish('deployment_failed', { id, plan: planJson(d.plan), reason: `replaced by deployment ${plan.id} (force)` });
    }
    for (const id of plan.affectedApps) this.queue.resetDelay(id);
    this.events.publish('group_change_success', { groupId: '/', version });
    if (plan.steps.length > 0) {
      this.model.deployments.set(plan.id, { plan, stepIndex: 0, startedAt, lastProgressAt: startedAt });
      this.events.publish('deployment_info', { plan: planJson(plan), currentStep: stepJson(plan.steps[0]) });
    } else {
      this.events.publish('deployment_success', { id: plan.id, plan: planJson(plan) });
    }
    this.log.info({ deploymentId: plan.id, apps: plan.affectedApps, steps: plan.steps.length }, 'deployment started');
    this.scheduler.kick();
    return plan;
  }

  /**
   * Group bodies come normalized with `now` as every app's version: an app whose definition did not
   * change keeps its stored version, a changed one is stamped (scale-only changes keep their config version).
   */
  private restamp(g: Group, now: string): Group {
    return {
      ...g,
      apps: g.apps.map((a) => {
        const prev = this.model.app(a.id);
        if (!prev) return a;
        const kept = keepServicePorts(a, prev);
        if (sameConfig(prev, kept) && prev.instances === kept.instances) return prev;
        return stampVersion(kept, prev, now);
      }),
      groups: g.groups.map((s) => this.restamp(s, now)),
    };
  }

  /** After scaleBy or a rollback: every app that differs from the current one gets a new version. */
  private restampTree(root: Group, now: string): Group {
    const walk = (g: Group): Group => ({
      ...g,
      apps: g.apps.map((a) => {
        const prev = this.model.app(a.id);
        if (prev && sameConfig(prev, a) && prev.instances === a.instances && prev.versionInfo.lastConfigChangeAt === a.versionInfo.lastConfigChangeAt) return prev;
        return stampVersion({ ...a, version: now }, prev, now);
      }),
      groups: g.groups.map(walk),
    });
    return walk(root);
  }

  /** Service ports: kept from the previous version, zeros assigned from 10000–20000, unique cluster-wide. */
  private assignPorts(target: Group, before: Group): Group {
    const apps = allApps(target);
    const used = new Map<string, number[]>(apps.map((a) => [a.id, servicePortsOf(a).filter((p) => p !== 0)]));
    let root = target;
    for (const a of apps) {
      if (!servicePortsOf(a).includes(0)) continue;
      const kept = keepServicePorts(a, findApp(before, a.id));
      const others = new Set<number>();
      for (const [id, ports] of used) if (id !== a.id) for (const p of ports) others.add(p);
      const r = assignServicePorts(kept, others);
      if (!r.ok) throw unprocessable({ message: 'Object is not valid', details: [{ path: '/portDefinitions', errors: [r.error] }] });
      used.set(a.id, servicePortsOf(r.app));
      root = putApp(root, r.app);
    }
    return root;
  }

  /** DELETE /v2/queue/{id}/delay. */
  resetDelay(id: string): void {
    const appId = canonicalId(id);
    if (!this.model.app(appId)) throw unknownApp(appId);
    this.scheduler.resetDelay(appId);
  }

  /** A body that is not JSON: Marathon's 400. */
  static invalidJson(cause: string): ApiError {
    return badRequest('Invalid JSON', [{ path: '/', errors: [cause] }]);
  }
}
