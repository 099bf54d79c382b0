import { isAgoraError, type MasterInfo, type Offer, type TaskStatus } from '@agora/contracts';
import { SchedulerDriver } from '@agora/framework-sdk';
import type { Logger } from '@agora/logging';
import type { Bus } from '@agora/nats';
import {
  appIdOfTaskId,
  checkDeadline,
  countsAsFailure,
  deadlinePolicy,
  madeProgress,
  servicePortsOf,
  type AppDefinition,
  type DeadlineVerdict,
} from '../core';
import type { Clock } from '../clock';
import type { MarathonConfig } from '../config';
import type { EventHub } from '../events/event-hub';
import type { HealthChecks } from '../health/health-checks';
import { marathonKeys } from '../state/kv-keys';
import { ops, type MarathonStore, type StoreOp } from '../state/marathon-store';
import type { LiveDeployment, MarathonModel } from '../state/model';
import type { TaskRecord } from '../state/records';
import { constraintContext, type ClusterView } from './cluster-view';
import type { LaunchQueue } from './launch-queue';
import { conditionOf, planJson, stepJson } from './marathon-events';
import { planOfferBatch, type WaitingApp } from './offer-matcher';
import { isGone, snapshotOf, type TaskTracker, type TrackedTask } from './task-tracker';
import { planTick, type KillReason, type TaskSnapshot } from './tick-plan';

/** Marathon keeps its tasks for a week while it is away (Marathon's default failover timeout). */
const FAILOVER_TIMEOUT_SECONDS = 7 * 24 * 3600;
/** Offers we cannot use now come back after this long (a revive brings them back sooner). */
const DECLINE_REFUSE_SECONDS = 5;
/** With nothing to launch we also suppress; the refusal only covers offers already in flight. */
const IDLE_REFUSE_SECONDS = 60;
/** A kill without a terminal update after this long is sent again. */
const KILL_RETRY_MS = 10_000;
/** Marathon's --task_launch_timeout default. */
const TASK_LAUNCH_TIMEOUT_MS = 300_000;
/** Bursts of updates are folded into one scheduler pass. */
const KICK_DELAY_MS = 5;

export type DeadlineHandler = (deploymentId: string, verdict: Extract<DeadlineVerdict, { kind: 'exceeded' }>) => void;

/**
 * The scheduler half of Marathon, run by the leader only: the framework's subscription (SDK driver),
 * offers → launches, status updates → task tracking, and the scheduler pass (tick-plan.ts) after every
 * change, which executes the running deployments step by step, keeps every app at its instance count,
 * applies the health policy and the launch backoff, and suppresses offers when nothing is wanted.
 */
export class MarathonScheduler {
  private driver: SchedulerDriver | undefined;
  private running = false;
  private kickTimer: NodeJS.Timeout | undefined;
  private periodic: NodeJS.Timeout | undefined;
  private delayTimer: NodeJS.Timeout | undefined;
  private suppressed = false;
  private lastRevive = 0;
  private pendingDeletes: string[] = [];
  private readonly deadlinesFired = new Set<string>();
  private restartTimer: NodeJS.Timeout | undefined;
  deadlineHandler: DeadlineHandler | undefined;
  conflictHandler: ((e: unknown) => void) | undefined;

  constructor(
    private readonly cfg: MarathonConfig,
    private readonly bus: Bus,
    private readonly store: MarathonStore,
    private readonly model: MarathonModel,
    private readonly tracker: TaskTracker,
    private readonly queue: LaunchQueue,
    private readonly health: HealthChecks,
    private readonly events: EventHub,
    private readonly clock: Clock,
    private readonly cluster: ClusterView,
    private readonly log: Logger,
  ) {
    health.setCallbacks({
      onChange: (t) => {
        this.reportHealth(t);
        this.kick();
      },
    });
  }

  get isRunning(): boolean {
    return this.running;
  }

  get isSubscribed(): boolean {
    return this.driver?.isConnected ?? false;
  }

  get frameworkId(): string | undefined {
    return this.model.frameworkId;
  }

  get masterInfo(): MasterInfo | undefined {
    return this.driver?.master;
  }

  /** Starts scheduling (leader only). Subscribing goes on in the background until a master answers. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.suppressed = false;
    this.deadlinesFired.clear();
    this.periodic = setInterval(() => this.kick(), 1000);
    this.periodic.unref();
    this.subscribe();
    this.kick();
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const t of [this.kickTimer, this.delayTimer, this.restartTimer]) if (t) clearTimeout(t);
    if (this.periodic) clearInterval(this.periodic);
    this.kickTimer = this.delayTimer = this.restartTimer = this.periodic = undefined;
    this.health.stopAll();
    const d = this.driver;
    this.driver = undefined;
    // A stop is a failover, never a teardown: the next leader takes the framework (and its tasks) over.
    await d?.stop().catch(() => undefined);
    this.queue.clear();
  }

  /** Asks for a scheduler pass soon (bursts fold into one). */
  kick(): void {
    if (!this.running || this.kickTimer) return;
    this.kickTimer = setTimeout(() => {
      this.kickTimer = undefined;
      try {
        this.tick();
      } catch (e) {
        this.log.error({ err: e instanceof Error ? e.stack : String(e) }, 'scheduler pass failed');
      }
    }, KICK_DELAY_MS);
  }

  /** Kills tasks now (DELETE …/tasks without scale: they are replaced as usual). */
  killTasks(taskIds: readonly string[]): void {
    const now = this.clock.now();
    for (const id of taskIds) {
      const t = this.tracker.get(id);
      if (t) this.kill(t, 'scale', now);
    }
    this.kick();
  }

  /** Resets an app's launch delay (DELETE /v2/queue/{id}/delay, a new version). */
  resetDelay(appId: string): void {
    this.queue.resetDelay(appId);
    this.kick();
  }

  // ------------------------------------------------------------------ subscription

  private subscribe(): void {
    const driver = new SchedulerDriver(
      {
        bus: this.bus,
        info: {
          name: this.cfg.frameworkName,
          failoverTimeoutSeconds: FAILOVER_TIMEOUT_SECONDS,
          capabilities: ['PARTITION_AWARE'],
          hostname: this.cfg.hostname,
          webuiUrl: `http://${this.cfg.hostname}:${this.cfg.port}`,
        },
        frameworkId: this.model.frameworkId,
        log: this.log.child({ part: 'driver' }),
      },
      {
        subscribed: (id, master, isReconnect) => this.onSubscribed(id, master, isReconnect),
        offers: (offers) => this.onOffers(offers),
        update: (s) => this.onUpdate(s),
        error: (message) => this.onFrameworkError(message),
        disconnected: () => this.events.publish('scheduler_disconnected_event', { message: 'disconnected from the master' }),
      },
    );
    this.driver = driver;
    driver.start().catch((e: unknown) => {
      if (!this.running || this.driver !== driver) return;
      this.log.error({ err: String(e) }, 'subscription refused; retrying as a new framework');
      this.onFrameworkError(e instanceof Error ? e.message : String(e));
    });
  }

  private async onSubscribed(id: string, master: MasterInfo, isReconnect: boolean): Promise<void> {
    this.suppressed = false;
    if (id !== this.model.frameworkId) {
      this.model.frameworkId = id;
      await this.commit([ops.frameworkId(id)]);
    }
    this.log.info({ frameworkId: id, master: master.url, isReconnect }, 'marathon subscribed');
    this.events.publish(isReconnect ? 'scheduler_reregistered_event' : 'scheduler_registered_event', { frameworkId: id, masterInfo: { host: master.hostname, port: master.port, url: master.url } });
    // Tasks we know from the store but have no status for: ask about each (unknown ones come back LOST).
    const tasks = this.tracker.all().map((t) => ({ taskId: t.rec.taskId, agentId: t.rec.agentId }));
    if (tasks.length > 0) this.driver?.reconcile(tasks).catch((e: unknown) => this.log.warn({ err: String(e) }, 'explicit reconciliation failed'));
    this.kick();
  }

  /** The master gave up on the framework (torn down, or away past its failover timeout): start afresh. */
  private onFrameworkError(message: string): void {
    if (!this.running) return;
    this.log.error({ message }, 'the master ended this framework; its tasks are gone, subscribing as a new framework');
    const gone = this.tracker.all().map((t) => t.rec.taskId);
    for (const id of gone) {
      this.health.stop(id);
      this.tracker.remove(id);
    }
    this.pendingDeletes.push(...gone);
    this.model.frameworkId = undefined;
    void this.commit([{ del: marathonKeys.frameworkId }]);
    const old = this.driver;
    this.driver = undefined;
    void old?.stop();
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.running) this.subscribe();
    }, 1000);
  }

  // ------------------------------------------------------------------ offers

  private async onOffers(offers: Offer[]): Promise<void> {
    const driver = this.driver;
    if (!driver) return;
    if (!this.running || !this.model.loaded) {
      await driver.decline(offers.map((o) => o.id), { refuseSeconds: DECLINE_REFUSE_SECONDS }).catch(() => undefined);
      return;
    }
    this.tick();
    const now = this.clock.now();
    // GROUP_BY without a value spreads over the cluster's distinct values: keep a recent master state at
    // hand for it (asked in the background, never awaited here; the offers stand in until it arrives).
    if (this.queue.waitingApps().some((id) => this.model.app(id)?.constraints.some((c) => c[1] === 'GROUP_BY' && c[2] === undefined))) void this.cluster.state();
    const agents = this.cluster.last()?.agents ?? offers.map((o) => ({ hostname: o.hostname, attributes: o.attributes }));
    const ctx = constraintContext(agents);
    const waiting: WaitingApp[] = [];
    for (const appId of this.queue.waitingApps()) {
      const app = this.model.app(appId);
      const count = this.queue.wanted(appId);
      if (!app || count <= 0 || !this.queue.allowed(app, now)) continue;
      waiting.push({ app, count, placed: this.placementsOf(appId), ctx });
    }
    if (waiting.length === 0) {
      const refuse = this.queue.waitingApps().length > 0 ? DECLINE_REFUSE_SECONDS : IDLE_REFUSE_SECONDS;
      await driver.decline(offers.map((o) => o.id), { refuseSeconds: refuse }).catch(() => undefined);
      return;
    }
    const plan = planOfferBatch(offers, waiting, () => this.clock.uuid(), () => this.clock.random());
    const nowIso = this.clock.iso(now);
    for (const u of plan.uses) this.queue.recordOffer(u.appId, u.used, u.rejections, nowIso);

    const records: TaskRecord[] = [];
    for (const { offer, launches } of plan.perOffer) {
      for (const { appId, launch } of launches) {
        const app = this.model.app(appId);
        if (!app) continue;
        const rec: TaskRecord = {
          taskId: launch.task.taskId,
          appId,
          version: app.version,
          configVersion: app.versionInfo.lastConfigChangeAt,
          agentId: offer.agentId,
          hostname: offer.hostname,
          agentIp: offer.agentIp,
          attributes: offer.attributes,
          ports: launch.ports,
          servicePorts: servicePortsOf(app),
          stagedAt: nowIso,
        };
        records.push(rec);
        this.tracker.add(rec, 'TASK_STAGING');
        this.queue.took(appId, 1);
      }
    }
    // Persist before launching: a task Marathon launched is never one it does not know after a crash.
    if (records.length > 0) {
      try {
        await this.store.commit(records.map(ops.putTask));
      } catch (e) {
        for (const r of records) this.tracker.remove(r.taskId);
        this.onCommitError(e);
        await driver.decline(offers.map((o) => o.id), { refuseSeconds: 1 }).catch(() => undefined);
        return;
      }
    }
    await Promise.all(
      plan.perOffer.map(async ({ offer, launches }) => {
        if (launches.length === 0) {
          await driver.decline([offer.id], { refuseSeconds: DECLINE_REFUSE_SECONDS }).catch(() => undefined);
          return;
        }
        try {
          await driver.launch([offer], launches.map((l) => l.launch.task), { refuseSeconds: 1 });
          for (const l of launches) this.events.publish('instance_changed_event', this.instanceEvent(l.launch.task.taskId, 'Created'));
        } catch (e) {
          this.log.warn({ err: String(e), offer: offer.id, tasks: launches.length }, 'launch failed; the tasks will be placed again');
          for (const l of launches) {
            this.tracker.remove(l.launch.task.taskId);
            this.pendingDeletes.push(l.launch.task.taskId);
          }
        }
      }),
    );
    this.kick();
  }

  private placementsOf(appId: string): { hostname: string; attributes: Record<string, string> }[] {
    return this.tracker
      .ofApp(appId)
      .filter((t) => t.killRequestedAt === undefined && (t.state === undefined || !isGone(t.state)))
      .map((t) => ({ hostname: t.rec.hostname, attributes: t.rec.attributes }));
  }

  // ------------------------------------------------------------------ status updates

  private onUpdate(s: TaskStatus): void {
    const t = this.tracker.get(s.taskId);
    if (!t) {
      if (isGone(s.state)) {
        if (appIdOfTaskId(s.taskId)) this.events.publish('unknown_instance_terminated_event', { instanceId: s.taskId, runSpecId: appIdOfTaskId(s.taskId), condition: conditionOf(s.state) });
        return;
      }
      // A task of ours we have no record of (e.g. its launch failed on our side but reached the agent).
      this.log.warn({ taskId: s.taskId, state: s.state }, 'killing a task Marathon does not know');
      this.driver?.kill(s.taskId, s.agentId).catch(() => undefined);
      return;
    }
    const now = this.clock.now();
    const prev = this.tracker.apply(t, s, now);
    if (prev !== s.state) {
      this.events.publish('status_update_event', {
        slaveId: t.rec.agentId,
        taskId: t.rec.taskId,
        taskStatus: s.state,
        message: s.message ?? '',
        appId: t.rec.appId,
        host: t.rec.hostname,
        ipAddresses: (t.ipAddresses ?? [t.rec.agentIp]).map((ip) => ({ ipAddress: ip, protocol: 'IPv4' })),
        ports: t.rec.ports,
        version: t.rec.version,
      });
      this.events.publish('instance_changed_event', this.instanceEvent(t.rec.taskId, conditionOf(s.state)));
    }
    if (isGone(s.state)) this.taskGone(t, s, now);
    else {
      const app = this.model.versionOf(t.rec.appId, t.rec.version);
      this.health.sync(t, app);
      // a result of the COMMAND check the agent runs in the task's sandbox
      if (s.healthy !== undefined && s.reason === 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED' && app) this.health.recordAgentResult(t, app, s.healthy, s.message);
    }
    this.kick();
  }

  /**
   * Tells the master when a task's overall health (every check of its app version alive) changes, so the
   * master's task view and a health-aware DNS follow Marathon's checks. Before its first result a task is
   * not reported: its TaskInfo carries the health-checked label, which already makes it "not healthy yet".
   */
  private reportHealth(t: TrackedTask): void {
    const app = this.model.versionOf(t.rec.appId, t.rec.version);
    if (!app || app.healthChecks.length === 0 || !this.driver) return;
    const healthy = app.healthChecks.every((_, i) => t.health[i]?.alive === true);
    if (t.reportedHealthy === healthy) return;
    t.reportedHealthy = healthy;
    const cause = healthy ? undefined : t.health.find((h) => h && !h.alive)?.lastFailureCause;
    this.driver.reportHealth(t.rec.taskId, healthy, cause);
  }

  private taskGone(t: TrackedTask, s: TaskStatus, now: number): void {
    this.health.stop(t.rec.taskId);
    this.tracker.remove(t.rec.taskId);
    this.pendingDeletes.push(t.rec.taskId);
    const app = this.model.app(t.rec.appId);
    const asked = t.killRequestedAt !== undefined && !t.healthKill;
    if (!asked && s.state !== 'TASK_KILLED' && s.state !== 'TASK_GONE_BY_OPERATOR') {
      this.model.lastFailure.set(t.rec.appId, {
        appId: t.rec.appId,
        host: t.rec.hostname,
        message: s.message ?? '',
        state: s.state,
        taskId: t.rec.taskId,
        timestamp: this.clock.iso(Math.round(s.timestamp * 1000) || now),
        version: t.rec.version,
        slaveId: t.rec.agentId,
      });
    }
    if (app && !asked && countsAsFailure({ state: s.state, healthKill: t.healthKill })) {
      const b = this.queue.recordFailure(app, now);
      this.log.info({ appId: app.id, taskId: t.rec.taskId, state: s.state, delaySeconds: b.delaySeconds }, 'task failed; launch delayed');
    }
  }

  private instanceEvent(taskId: string, condition: string): Record<string, unknown> {
    const t = this.tracker.get(taskId);
    return {
      instanceId: taskId,
      condition,
      runSpecId: t?.rec.appId ?? appIdOfTaskId(taskId),
      agentId: t?.rec.agentId,
      host: t?.rec.hostname,
      runSpecVersion: t?.rec.version,
    };
  }

  // ------------------------------------------------------------------ kills

  private kill(t: TrackedTask, reason: KillReason, now: number): void {
    if (t.killRequestedAt !== undefined && now - t.killRequestedAt < KILL_RETRY_MS) return;
    const driver = this.driver;
    if (!driver?.isConnected) return;
    const first = t.killRequestedAt === undefined;
    t.killRequestedAt = now;
    this.health.stop(t.rec.taskId);
    if (first && reason === 'health') {
      t.healthKill = true;
      const cause = t.health.find((h) => h && !h.alive)?.lastFailureCause;
      this.events.publish('unhealthy_task_kill_event', {
        appId: t.rec.appId,
        taskId: t.rec.taskId,
        instanceId: t.rec.taskId,
        version: t.rec.version,
        reason: cause ?? 'failed health checks',
        host: t.rec.hostname,
        slaveId: t.rec.agentId,
      });
      this.log.info({ appId: t.rec.appId, taskId: t.rec.taskId, cause }, 'killing an unhealthy task');
    } else if (first) this.log.debug({ appId: t.rec.appId, taskId: t.rec.taskId, reason }, 'killing task');
    const grace = this.model.versionOf(t.rec.appId, t.rec.version)?.taskKillGracePeriodSeconds;
    driver.kill(t.rec.taskId, t.rec.agentId, grace).catch((e: unknown) => {
      if (isAgoraError(e, 'UNKNOWN_TASK')) {
        // The master has never heard of it (or forgot it): it is gone.
        this.health.stop(t.rec.taskId);
        if (this.tracker.remove(t.rec.taskId)) this.pendingDeletes.push(t.rec.taskId);
        this.kick();
      } else this.log.warn({ err: String(e), taskId: t.rec.taskId }, 'kill failed; will retry');
    });
  }

  // ------------------------------------------------------------------ the scheduler pass

  /** One pass: plan (pure), then carry out kills, launch wishes, deployment steps and deadlines. */
  tick(): void {
    if (!this.running || !this.model.loaded) return;
    const now = this.clock.now();
    const tasksByApp = new Map<string, TaskSnapshot[]>();
    for (const appId of this.tracker.appIds()) {
      tasksByApp.set(
        appId,
        this.tracker.ofApp(appId).map((t) => snapshotOf(t, this.model.versionOf(appId, t.rec.version) ?? NO_CHECKS)),
      );
    }
    const out = planTick({ now, apps: this.model.apps(), deployments: [...this.model.deployments.values()], tasksByApp });

    for (const k of out.kills) {
      const t = this.tracker.get(k.taskId);
      if (t) this.kill(t, k.reason, now);
    }
    for (const e of out.expunge) {
      const t = this.tracker.get(e.taskId);
      if (!t) continue;
      this.log.info({ taskId: e.taskId }, 'expunging an unreachable task');
      this.driver?.kill(e.taskId, t.rec.agentId).catch(() => undefined);
      this.health.stop(e.taskId);
      this.tracker.remove(e.taskId);
      this.pendingDeletes.push(e.taskId);
    }
    for (const t of this.tracker.all()) {
      // Kills that got no answer: send them again.
      if (t.killRequestedAt !== undefined && now - t.killRequestedAt >= KILL_RETRY_MS) this.kill(t, 'scale', now);
      // A launch that never got going (Marathon's --task_launch_timeout): kill it, a replacement follows.
      else if (t.killRequestedAt === undefined && (t.state === 'TASK_STAGING' || t.state === 'TASK_STARTING') && now - t.stagedAtMs > TASK_LAUNCH_TIMEOUT_MS) {
        this.log.warn({ taskId: t.rec.taskId, state: t.state }, 'task did not start within the launch timeout; killing it');
        this.kill(t, 'scale', now);
      }
    }

    const fresh = this.queue.setWanted(out.wanted, now);
    this.manageOffers(fresh.length > 0, now);

    let advanced = false;
    for (const dep of [...this.model.deployments.values()]) {
      if (dep.cancelling) continue;
      const mark = out.progress.get(dep.plan.id);
      if (mark && (!dep.mark || madeProgress(dep.mark, mark))) {
        dep.mark = mark;
        dep.lastProgressAt = now;
      }
      if (out.stepDone.get(dep.plan.id)) {
        this.advance(dep, now);
        advanced = true;
      } else this.checkDeadline(dep, now);
    }
    if (this.pendingDeletes.length > 0) {
      const ids = this.pendingDeletes;
      this.pendingDeletes = [];
      void this.commit(ids.map(ops.deleteTask));
    }
    const wake = this.queue.nextDelayEnd(now);
    if (wake !== undefined && !this.delayTimer) {
      this.delayTimer = setTimeout(() => {
        this.delayTimer = undefined;
        this.kick();
      }, wake - now + 5);
    }
    if (advanced) this.kick();
  }

  /** Suppress when no app waits for a launch; revive when one starts waiting (clears our decline filters). */
  private manageOffers(newWaiter: boolean, now: number): void {
    const driver = this.driver;
    if (!driver?.isConnected) return;
    const waiting = this.queue.waitingApps().length > 0;
    if (waiting && (this.suppressed || (newWaiter && now - this.lastRevive > 200))) {
      this.suppressed = false;
      this.lastRevive = now;
      driver.revive().catch((e: unknown) => this.log.warn({ err: String(e) }, 'revive failed'));
    } else if (!waiting && !this.suppressed) {
      this.suppressed = true;
      driver.suppress().catch((e: unknown) => {
        this.suppressed = false;
        this.log.warn({ err: String(e) }, 'suppress failed');
      });
    }
  }

  private advance(dep: LiveDeployment, now: number): void {
    const step = dep.plan.steps[dep.stepIndex];
    if (step) {
      this.events.publish('deployment_step_success', { plan: planJson(dep.plan), currentStep: stepJson(step) });
      for (const a of step.actions) if (a.action === 'StopApplication') this.events.publish('app_terminated_event', { appId: a.app });
    }
    dep.stepIndex++;
    dep.mark = undefined;
    dep.lastProgressAt = now;
    if (dep.stepIndex >= dep.plan.steps.length) {
      this.model.deployments.delete(dep.plan.id);
      this.deadlinesFired.delete(dep.plan.id);
      void this.commit([ops.deleteDeployment(dep.plan.id)]);
      this.events.publish('deployment_success', { id: dep.plan.id, plan: planJson(dep.plan) });
      this.log.info({ deploymentId: dep.plan.id, apps: dep.plan.affectedApps }, 'deployment finished');
      return;
    }
    void this.commit([ops.putDeployment({ plan: dep.plan, stepIndex: dep.stepIndex, startedAt: dep.startedAt })]);
    this.events.publish('deployment_info', { plan: planJson(dep.plan), currentStep: stepJson(dep.plan.steps[dep.stepIndex]) });
  }

  private checkDeadline(dep: LiveDeployment, now: number): void {
    if (this.deadlinesFired.has(dep.plan.id)) return;
    const step = dep.plan.steps[dep.stepIndex];
    if (!step) return;
    const apps = step.actions
      .filter((a) => a.action !== 'StopApplication')
      .map((a) => dep.plan.target[a.app])
      .filter((a): a is AppDefinition => a !== undefined);
    const verdict = checkDeadline(deadlinePolicy(apps), dep.lastProgressAt, now);
    if (verdict.kind !== 'exceeded') return;
    this.deadlinesFired.add(dep.plan.id);
    this.log.warn({ deploymentId: dep.plan.id, app: verdict.app, stalledSeconds: verdict.stalledSeconds, action: verdict.action }, 'deployment missed its progress deadline');
    this.deadlineHandler?.(dep.plan.id, verdict);
  }

  /** Store writes from the scheduler: logged, and a conflict (a second leader) ends our leadership. */
  private async commit(list: StoreOp[]): Promise<void> {
    try {
      await this.store.commit(list);
    } catch (e) {
      this.onCommitError(e);
    }
  }

  private onCommitError(e: unknown): void {
    this.log.error({ err: String(e) }, 'writing marathon state failed');
    if (e instanceof Error && e.name === 'StoreConflictError') this.conflictHandler?.(e);
  }
}

const NO_CHECKS: Pick<AppDefinition, 'healthChecks' | 'readinessChecks'> = { healthChecks: [], readinessChecks: [] };
