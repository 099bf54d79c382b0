import { z } from 'zod';
import {
  Accept,
  Acknowledge,
  AgoraError,
  Decline,
  FrameworkEvent,
  FrameworkHeartbeat,
  FrameworkInfo,
  FrameworkInfoSchema,
  Kill,
  LeaderEvent,
  MasterInfo,
  Offer,
  OperationSchema,
  Reconcile,
  Revive,
  Subscribe,
  Suppress,
  TaskHealth,
  TaskInfoSchema,
  TaskStatus,
  Teardown,
  isAgoraError,
} from '@agora/contracts';
import { isTerminal } from '@agora/model';
import { Bus, MicroBatcher, formatIssues, sleep } from '@agora/nats';
import { createLogger, Logger } from '@agora/logging';
import type { Subscription } from '@nats-io/transport-node';
import { FrameworkEventStream } from './framework-event-stream';
import type { Filters, LaunchTask, SchedulerDriverOptions, SchedulerHandlers } from './types';

export type Operation = z.input<typeof OperationSchema>;

type Ack = { agentId: string; taskId: string; uuid: string };
type HealthReport = { taskId: string; healthy: boolean; message?: string };

/** Errors that mean "the leader is not there right now", as opposed to "the leader said no". */
const TRANSIENT = new Set(['NO_LEADER', 'NOT_LEADER', 'TIMEOUT']);

/**
 * The scheduler side of Agora's framework protocol (Mesos' scheduler API over NATS): subscribes,
 * keeps the subscription alive (heartbeats, re-subscription after a leader change), hands events to the
 * framework's handlers in order, and sends its calls (accept, decline, kill, acknowledge, reconcile …).
 *
 * Lifecycle: `start()` → events flow to the handlers → `stop()` (the framework goes away but stays
 * registered until its failover timeout: another instance may take over with the same id) or
 * `teardown()` (the framework is removed and its tasks killed).
 */
export class SchedulerDriver {
  private readonly bus: Bus;
  private readonly info: FrameworkInfo;
  private readonly log: Logger;
  private readonly autoAcknowledge: boolean;
  private readonly reconcileOnSubscribe: boolean;
  private readonly subscribeTimeoutMs: number;
  private readonly requestTimeoutMs: number;
  private readonly retryIdempotentForMs: number;
  private readonly healthRefreshMs: number;

  private id: string | undefined;
  private currentMaster: MasterInfo | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private heartbeatInFlight = false;
  private connected = false;
  private started = false;
  private stopped = false;
  /** Set by teardown(): the master's ERROR "torn down" is then the expected answer, not an error. */
  private tearingDown = false;
  private stream: FrameworkEventStream;
  private leaderSub: Subscription | undefined;
  private resubscribing: Promise<void> | undefined;
  /** Events are handled one batch after another, in arrival order. */
  private queue: Promise<void> = Promise.resolve();
  private readonly acks: MicroBatcher<Ack>;
  /** The last health reported per live task: re-sent after a re-subscription and every healthRefreshMs. */
  private readonly health = new Map<string, HealthReport>();
  private readonly healthOut: MicroBatcher<HealthReport>;
  private healthTimer: NodeJS.Timeout | undefined;

  constructor(
    options: SchedulerDriverOptions,
    private readonly handlers: SchedulerHandlers = {},
  ) {
    this.bus = options.bus;
    this.info = FrameworkInfoSchema.parse(options.info);
    this.id = options.frameworkId;
    this.log = options.log ?? createLogger(`framework-sdk:${this.info.name}`);
    this.autoAcknowledge = options.autoAcknowledge ?? true;
    this.reconcileOnSubscribe = options.reconcileOnSubscribe ?? true;
    this.subscribeTimeoutMs = options.subscribeTimeoutMs ?? Infinity;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 5000;
    this.retryIdempotentForMs = options.retryIdempotentForMs ?? 10_000;
    this.stream = new FrameworkEventStream(this.bus, (events) => this.enqueue(events), this.log);
    this.healthRefreshMs = (options.healthRefreshSeconds ?? 10) * 1000;
    this.acks = new MicroBatcher<Ack>((batch) => this.sendAcks(batch));
    this.healthOut = new MicroBatcher<HealthReport>((batch) => this.sendHealth(batch));
  }

  /** The framework id, once subscribed (or the one given to the constructor). */
  get frameworkId(): string | undefined {
    return this.id;
  }

  get master(): MasterInfo | undefined {
    return this.currentMaster;
  }

  /** True once stop() ran: by the framework, after teardown(), or because the master ended the framework. */
  get isStopped(): boolean {
    return this.stopped;
  }

  get isConnected(): boolean {
    return this.connected && !this.stopped;
  }

  /**
   * Subscribes (retrying while there is no leader, up to `subscribeTimeoutMs`) and starts heartbeats.
   * Resolves with the framework id; rejects with the master's AgoraError if it refuses the framework.
   */
  async start(): Promise<{ frameworkId: string; master: MasterInfo }> {
    if (this.started) throw new AgoraError('INVALID_OPERATION', 'the driver was already started');
    this.started = true;
    this.leaderSub = this.bus.on(LeaderEvent, LeaderEvent.subject(), (m) => this.onLeader(m.leader, m.epoch));
    await this.stream.open(this.id);
    try {
      await this.subscribe(this.subscribeTimeoutMs);
    } catch (e) {
      await this.stop();
      throw e;
    }
    if (this.stopped) throw new AgoraError('INVALID_OPERATION', 'the driver was stopped while subscribing');
    if (!this.id || !this.currentMaster) throw new AgoraError('INTERNAL', 'subscribed without an id');
    return { frameworkId: this.id, master: this.currentMaster };
  }

  /**
   * Stops heartbeats and listening, flushing pending acks. No teardown: the master keeps the framework
   * (and its tasks) for `failoverTimeoutSeconds`, so a new instance can take over with the same id.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.connected = false;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    if (this.healthTimer) clearInterval(this.healthTimer);
    this.healthTimer = undefined;
    this.acks.flush();
    this.healthOut.flush();
    this.stream.close();
    this.leaderSub?.unsubscribe();
    this.leaderSub = undefined;
    await this.bus.flush().catch(() => undefined);
  }

  /** Removes the framework from the cluster: the master kills all its tasks. Then stops the driver. */
  async teardown(): Promise<void> {
    const frameworkId = this.requireId();
    this.tearingDown = true;
    this.acks.flush();
    try {
      await this.bus.request(Teardown, [], { frameworkId }, this.idempotent());
    } finally {
      await this.stop();
    }
  }

  // ------------------------------------------------------------------ calls

  /** Mesos ACCEPT: run `operations` on the offers; whatever the operations leave unused is declined with `filters`. */
  async accept(offerIds: readonly string[], operations: readonly Operation[], filters?: Filters): Promise<{ launched: string[] }> {
    const frameworkId = this.requireId();
    return this.bus.request(
      Accept,
      [],
      { frameworkId, offerIds: [...offerIds], operations: [...operations], filters: filtersOf(filters) },
      { timeoutMs: this.requestTimeoutMs },
    );
  }

  /**
   * Launches tasks on offers (one LAUNCH operation). Tasks without `agentId` get the offers' agent, which
   * must then be unique. Task definitions are checked here first, so a bad one fails with INVALID_TASK
   * and a readable message before anything is sent.
   */
  async launch(offers: readonly (Offer | string)[], tasks: readonly LaunchTask[], filters?: Filters): Promise<{ launched: string[] }> {
    if (offers.length === 0) throw new AgoraError('INVALID_OPERATION', 'launch needs at least one offer');
    if (tasks.length === 0) throw new AgoraError('INVALID_OPERATION', 'launch needs at least one task');
    const offerIds = offers.map((o) => (typeof o === 'string' ? o : o.id));
    const agents = [...new Set(offers.flatMap((o) => (typeof o === 'string' ? [] : [o.agentId])))];
    const full = tasks.map((t) => {
      if (t.agentId) return { ...t, agentId: t.agentId };
      if (agents.length === 1 && agents[0]) return { ...t, agentId: agents[0] };
      throw new AgoraError('INVALID_TASK', `task ${t.taskId}: no agentId, and the offers do not name a single agent`);
    });
    for (const t of full) {
      const parsed = TaskInfoSchema.safeParse(t);
      if (!parsed.success) throw new AgoraError('INVALID_TASK', `task ${t.taskId}: ${formatIssues(parsed.error)}`);
    }
    return this.accept(offerIds, [{ type: 'LAUNCH', tasks: full }], filters);
  }

  /** Mesos DECLINE: hand the offers back; the master does not re-offer those resources for `refuseSeconds`. */
  async decline(offerIds: readonly string[], filters?: Filters): Promise<void> {
    if (offerIds.length === 0) return;
    const frameworkId = this.requireId();
    await this.bus.request(Decline, [], { frameworkId, offerIds: [...offerIds], filters: filtersOf(filters) }, { timeoutMs: this.requestTimeoutMs });
  }

  /** Kills a task (SIGTERM, then SIGKILL after the grace period). Its terminal state arrives as an update. */
  async kill(taskId: string, agentId?: string, gracePeriodSeconds?: number): Promise<void> {
    const frameworkId = this.requireId();
    await this.bus.request(Kill, [], { frameworkId, taskId, agentId, gracePeriodSeconds }, this.idempotent());
  }

  /**
   * Acknowledges an update (needed only with `autoAcknowledge: false`). Acks of the same tick travel as
   * one message. Updates without a uuid (reconciliation answers) or without an agent need no ack: false.
   */
  acknowledge(status: Pick<TaskStatus, 'taskId' | 'agentId' | 'uuid'>): boolean {
    if (!status.uuid || !status.agentId) return false;
    this.requireId();
    this.acks.push({ agentId: status.agentId, taskId: status.taskId, uuid: status.uuid });
    return true;
  }

  /** Explicit (the tasks given) or implicit (none given: every task the master knows of this framework) reconciliation. */
  async reconcile(tasks: readonly { taskId: string; agentId?: string }[] = []): Promise<void> {
    const frameworkId = this.requireId();
    await this.bus.request(Reconcile, [], { frameworkId, tasks: [...tasks] }, this.idempotent());
  }

  /**
   * Reports the health of a task whose checks the framework runs itself (TaskHealth, batched per tick).
   * The master records it on the task (TaskView.healthy, the newest status) and publishes a TaskEvent, so
   * a health-aware DNS answers the task only while healthy. A report is a state: the driver keeps the
   * last one per task and sends it again after every re-subscription and every `healthRefreshSeconds`
   * (a new leader, or a task it learns of later, hears it too); it forgets the task at its terminal update.
   */
  reportHealth(taskId: string, healthy: boolean, message?: string): void {
    const report: HealthReport = message === undefined ? { taskId, healthy } : { taskId, healthy, message: message.slice(0, 1024) };
    this.health.set(taskId, report);
    if (this.id && !this.stopped) this.healthOut.push(report);
  }

  /** Forgets a task's health (also done on its terminal update): it is no longer re-sent. */
  forgetHealth(taskId: string): void {
    this.health.delete(taskId);
  }

  /** Clears all filters and asks for offers again (after suppress(), or when new work arrived). */
  async revive(): Promise<void> {
    const frameworkId = this.requireId();
    await this.bus.request(Revive, [], { frameworkId }, this.idempotent());
  }

  /** Stops offers to this framework until revive(): for a scheduler with nothing to launch. */
  async suppress(): Promise<void> {
    const frameworkId = this.requireId();
    await this.bus.request(Suppress, [], { frameworkId }, this.idempotent());
  }

  // ------------------------------------------------------------------ subscription

  private async subscribe(timeoutMs: number): Promise<void> {
    const isReconnect = this.id !== undefined;
    const deadline = Date.now() + timeoutMs;
    let delay = 100;
    let reply: { frameworkId: string; heartbeatIntervalSeconds: number; master: MasterInfo };
    for (;;) {
      if (this.stopped) throw new AgoraError('INVALID_OPERATION', 'the driver was stopped');
      try {
        reply = await this.bus.request(Subscribe, [], { frameworkId: this.id, info: this.info }, { timeoutMs: this.requestTimeoutMs });
        break;
      } catch (e) {
        if (!isAgoraError(e) || !TRANSIENT.has(e.code) || Date.now() + delay > deadline) throw e;
        this.log.debug({ code: e.code }, 'no leader to subscribe to yet; retrying');
        await sleep(delay);
        delay = Math.min(delay * 2, 2000);
      }
    }
    if (this.stopped) return;
    this.id = reply.frameworkId;
    this.currentMaster = reply.master;
    // Queued before the stream replays early events, so `subscribed` is the first thing the framework sees.
    this.enqueueTask(async () => {
      await this.callHandler('subscribed', () => this.handlers.subscribed?.(reply.frameworkId, reply.master, isReconnect));
      if (isReconnect && this.reconcileOnSubscribe && !this.stopped) {
        // Not awaited: the answers come back as events through this very queue.
        this.reconcile().catch((e: unknown) => this.log.warn({ err: String(e) }, 'implicit reconciliation failed'));
      }
    });
    await this.stream.bind(reply.frameworkId);
    this.connected = true;
    this.startHeartbeats(reply.heartbeatIntervalSeconds);
    this.resendHealth();
    this.startHealthRefresh();
    this.log.info({ frameworkId: this.id, master: reply.master.id, isReconnect }, isReconnect ? 'framework re-subscribed' : 'framework subscribed');
  }

  /** Re-subscribes with the same id (at most one attempt in flight); a refusal ends the driver. */
  private resubscribe(reason: string): Promise<void> {
    if (this.stopped || !this.started) return Promise.resolve();
    if (this.resubscribing) return this.resubscribing;
    this.log.info({ reason }, 'framework re-subscribing');
    this.markDisconnected();
    this.resubscribing = this.subscribe(Infinity)
      .catch((e: unknown) => this.fail(e instanceof Error ? e.message : String(e)))
      .finally(() => {
        this.resubscribing = undefined;
      });
    return this.resubscribing;
  }

  private startHeartbeats(intervalSeconds: number): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    const ms = Math.max(100, intervalSeconds * 1000);
    this.heartbeatTimer = setInterval(() => void this.heartbeat(Math.min(ms, this.requestTimeoutMs)), ms);
  }

  private startHealthRefresh(): void {
    if (this.healthTimer || this.healthRefreshMs <= 0) return;
    this.healthTimer = setInterval(() => this.resendHealth(), this.healthRefreshMs);
    this.healthTimer.unref();
  }

  private resendHealth(): void {
    if (!this.id || this.stopped) return;
    for (const r of this.health.values()) this.healthOut.push(r);
  }

  private async heartbeat(timeoutMs: number): Promise<void> {
    if (this.heartbeatInFlight || this.resubscribing || this.stopped || !this.id) return;
    this.heartbeatInFlight = true;
    try {
      await this.bus.request(FrameworkHeartbeat, [], { frameworkId: this.id }, { timeoutMs });
      // Back after an outage: the leader may be a new one that has not seen us; subscribing again is harmless.
      if (!this.connected) void this.resubscribe('leader reachable again');
    } catch (e) {
      if (isAgoraError(e, 'UNKNOWN_FRAMEWORK')) void this.resubscribe('leader does not know this framework');
      else if (isAgoraError(e, 'FRAMEWORK_TORN_DOWN')) await this.fail(e.message);
      else if (isAgoraError(e) && TRANSIENT.has(e.code)) this.markDisconnected();
      else this.log.warn({ err: String(e) }, 'heartbeat failed');
    } finally {
      this.heartbeatInFlight = false;
    }
  }

  private onLeader(leader: MasterInfo, epoch: number): void {
    if (this.stopped || !this.id || !this.currentMaster) return;
    const known = this.currentMaster.epoch;
    const isNew = known !== undefined ? epoch > known : leader.id !== this.currentMaster.id;
    if (isNew) void this.resubscribe(`new leader ${leader.id} (epoch ${epoch})`);
  }

  private markDisconnected(): void {
    if (!this.connected) return;
    this.connected = false;
    this.log.info('framework disconnected from the leader');
    void this.callHandler('disconnected', () => this.handlers.disconnected?.());
  }

  /** The master gave up on this framework: tell the framework, then stop. */
  private async fail(message: string): Promise<void> {
    if (this.stopped) return;
    if (this.tearingDown) {
      await this.stop();
      return;
    }
    this.log.warn({ message }, 'framework error');
    await this.stop();
    await this.callHandler('error', () => this.handlers.error?.(message));
  }

  // ------------------------------------------------------------------ events

  private enqueue(events: FrameworkEvent[]): void {
    this.enqueueTask(async () => {
      for (const ev of events) {
        if (this.stopped) return;
        await this.dispatch(ev);
      }
    });
  }

  private enqueueTask(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((e: unknown) => this.log.error({ err: String(e) }, 'event handling failed'));
  }

  /** Resolves once every event received so far has been handled (tests, orderly shutdown). */
  async idle(): Promise<void> {
    let seen: Promise<void> | undefined;
    while (seen !== this.queue) {
      seen = this.queue;
      await seen;
    }
  }

  private async dispatch(ev: FrameworkEvent): Promise<void> {
    switch (ev.type) {
      case 'OFFERS':
        if (this.handlers.offers) {
          await this.callHandler('offers', () => this.handlers.offers?.(ev.offers));
        } else {
          await this.decline(ev.offers.map((o) => o.id)).catch((e: unknown) => this.log.warn({ err: String(e) }, 'decline failed'));
        }
        return;
      case 'RESCIND':
        await this.callHandler('rescind', () => this.handlers.rescind?.(ev.offerId));
        return;
      case 'UPDATE': {
        if (isTerminal(ev.status.state)) this.health.delete(ev.status.taskId);
        const ok = await this.callHandler('update', () => this.handlers.update?.(ev.status));
        if (ok && this.autoAcknowledge) this.acknowledge(ev.status);
        return;
      }
      case 'FAILURE':
        await this.callHandler('failure', () => this.handlers.failure?.(ev.agentId));
        return;
      case 'ERROR':
        await this.fail(ev.message);
        return;
    }
  }

  /** Runs a handler; a throwing handler is logged, never kills the driver. Returns whether it succeeded. */
  private async callHandler(name: string, fn: () => void | Promise<void>): Promise<boolean> {
    try {
      await fn();
      return true;
    } catch (e) {
      this.log.error({ handler: name, err: e instanceof Error ? e.stack : String(e) }, 'scheduler handler threw');
      return false;
    }
  }

  private sendAcks(batch: Ack[]): void {
    if (!this.id || batch.length === 0) return;
    try {
      this.bus.publish(Acknowledge, [], { frameworkId: this.id, acks: batch });
    } catch (e) {
      // Lost acks are not fatal: the agent re-sends the update and the framework acks it again.
      this.log.warn({ err: String(e), count: batch.length }, 'could not publish acks');
    }
  }

  private sendHealth(batch: HealthReport[]): void {
    if (!this.id || batch.length === 0) return;
    try {
      this.bus.publish(TaskHealth, [], { frameworkId: this.id, updates: batch });
    } catch (e) {
      // Not fatal: the report is sent again with the next refresh.
      this.log.warn({ err: String(e), count: batch.length }, 'could not publish health reports');
    }
  }

  private requireId(): string {
    if (!this.id) throw new AgoraError('UNKNOWN_FRAMEWORK', 'the driver is not subscribed yet: call start() first');
    return this.id;
  }

  private idempotent(): { timeoutMs: number; retryForMs: number } {
    return { timeoutMs: this.requestTimeoutMs, retryForMs: this.retryIdempotentForMs };
  }
}

function filtersOf(filters: Filters | undefined): { refuseSeconds?: number } | undefined {
  return filters?.refuseSeconds === undefined ? undefined : { refuseSeconds: filters.refuseSeconds };
}
