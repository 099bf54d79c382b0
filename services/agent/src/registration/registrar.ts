import type { Subscription } from '@nats-io/transport-node';
import { AgentAck, AgentHeartbeat, isAgoraError, KillTask, LaunchTasks, LeaderEvent, RegisterAgent, ShutdownFramework, type AgentInfo, type MasterInfo } from '@agora/contracts';
import type { Logger } from '@agora/logging';
import { sleep, type Bus } from '@agora/nats';
import type { AgentCore } from '../agent';
import type { CheckpointStore } from '../checkpoint/checkpoint-store';
import type { StatusUpdateManager } from '../status-updates/status-update-manager';

/** "Forever", for bus.request's retry window: an agent waits as long as it takes for a leader. */
const FOREVER_MS = 365 * 24 * 3600 * 1000;

export interface RegistrarOptions {
  bus: Bus;
  core: AgentCore;
  store: CheckpointStore;
  updates: StatusUpdateManager;
  info: Omit<AgentInfo, 'id'>;
  heartbeatMs: number;
  log: Logger;
  /** Called after every successful (re-)registration. */
  onRegistered?: (agentId: string, master: MasterInfo) => void;
}

/**
 * Keeps the agent known to the leading master: registers (re-registers with its id and tasks when it
 * has one), heartbeats, re-registers when the master forgot it (UNKNOWN_AGENT) or a new leader was
 * elected (LeaderEvent with a new epoch), and serves the agent's own command subjects.
 */
export class Registrar {
  private commandSubs: Subscription[] = [];
  private subscribedAs: string | undefined;
  private leaderSub: Subscription | undefined;
  private registering: Promise<void> | undefined;
  private again = false;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private heartbeatInFlight = false;
  private stopped = false;
  private epoch: number | undefined;
  master: MasterInfo | undefined;
  registered = false;
  registrations = 0;

  constructor(private readonly o: RegistrarOptions) {}

  /** Subscribes and starts registering in the background (resolves at once). */
  start(): void {
    const meta = this.o.store.readAgentMeta();
    if (meta) {
      this.o.core.setAgentId(meta.agentId);
      this.subscribeCommands(meta.agentId);
    }
    this.leaderSub = this.o.bus.on(LeaderEvent, LeaderEvent.subject(), (ev) => {
      if (ev.epoch === this.epoch) return;
      this.o.log.info({ epoch: ev.epoch, leader: ev.leader.url }, 'new leading master: re-registering');
      this.requestRegistration();
    });
    this.requestRegistration();
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), this.o.heartbeatMs);
    this.heartbeatTimer.unref();
  }

  /** Registers now, or once more after the registration in progress. */
  requestRegistration(): void {
    if (this.stopped) return;
    if (this.registering) {
      this.again = true;
      return;
    }
    this.registering = this.registerLoop().finally(() => {
      this.registering = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        this.requestRegistration();
      }
    });
  }

  /** Resolves once registered at least once (or stopped). */
  async waitRegistered(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.registered && !this.stopped && Date.now() < deadline) await sleep(50);
    return this.registered;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.leaderSub?.unsubscribe();
    for (const s of this.commandSubs) s.unsubscribe();
    this.commandSubs = [];
  }

  private async registerLoop(): Promise<void> {
    let backoff = 250;
    while (!this.stopped) {
      const { tasks, frameworks } = this.o.core.taskReports();
      const agentId = this.o.core.id;
      try {
        const res = await this.o.bus.request(
          RegisterAgent,
          [],
          { ...(agentId ? { agentId } : {}), info: this.o.info, tasks, frameworks },
          { timeoutMs: 5000, retryForMs: FOREVER_MS },
        );
        if (this.stopped) return;
        if (agentId && res.agentId !== agentId) this.o.log.warn({ old: agentId, new: res.agentId }, 'the master gave this agent a new id');
        this.o.core.setAgentId(res.agentId);
        this.o.store.writeAgentMeta({ agentId: res.agentId, registeredAt: Date.now() });
        this.subscribeCommands(res.agentId);
        await this.o.bus.flush(); // our command subscriptions are in place before anyone acts on the registration
        this.epoch = res.master.epoch;
        this.master = res.master;
        this.registered = true;
        this.registrations++;
        this.o.log.info(
          { agentId: res.agentId, master: res.master.url, epoch: res.master.epoch, tasks: tasks.length },
          agentId ? 'agent re-registered' : 'agent registered',
        );
        this.o.updates.connected(res.agentId);
        this.o.onRegistered?.(res.agentId, res.master);
        return;
      } catch (e) {
        if (this.stopped) return;
        this.o.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'registration failed; retrying');
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }

  private async heartbeat(): Promise<void> {
    const agentId = this.o.core.id;
    if (this.stopped || !this.registered || this.registering || this.heartbeatInFlight || !agentId) return;
    this.heartbeatInFlight = true;
    try {
      await this.o.bus.request(AgentHeartbeat, [], { agentId }, { timeoutMs: Math.max(1000, this.o.heartbeatMs * 2) });
    } catch (e) {
      if (isAgoraError(e, 'UNKNOWN_AGENT')) {
        this.o.log.info('the master does not know this agent: re-registering');
        this.requestRegistration();
      } else if (isAgoraError(e, 'NO_LEADER') || isAgoraError(e, 'TIMEOUT') || isAgoraError(e, 'NOT_LEADER')) {
        this.o.log.debug({ err: e.message }, 'heartbeat not answered');
      } else {
        this.o.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'heartbeat failed');
      }
    } finally {
      this.heartbeatInFlight = false;
    }
  }

  private subscribeCommands(agentId: string): void {
    if (this.subscribedAs === agentId) return;
    for (const s of this.commandSubs) s.unsubscribe();
    const { bus, core } = this.o;
    this.commandSubs = [
      bus.serve(LaunchTasks, [agentId], (req) => {
        core.launchTasks(req.frameworkId, req.framework, req.tasks);
        return {};
      }),
      bus.serve(KillTask, [agentId], (req) => {
        core.killTask(req.frameworkId, req.taskId, req.gracePeriodSeconds);
        return {};
      }),
      bus.serve(ShutdownFramework, [agentId], (req) => {
        core.shutdownFramework(req.frameworkId);
        return {};
      }),
      bus.on(AgentAck, AgentAck.subject(agentId), (msg) => {
        for (const a of msg.acks) core.ack(a.frameworkId, a.taskId, a.uuid);
      }),
    ];
    this.subscribedAs = agentId;
  }
}
