import { Inject, Injectable } from '../nest';
import type { Subscription } from '@nats-io/transport-node';
import { kv, MasterInfoSchema } from '@agora/contracts';
import type { MasterInfo } from '@agora/contracts';
import { ConsulClient, LeaderElection } from '@agora/consul';
import { Bus } from '@agora/nats';
import type { Logger } from '@agora/logging';
import { MasterState } from '../registry/master-state';
import { RegistryStore } from '../registry/registry-store';
import { ClusterEvents } from '../events/cluster-events';
import { FrameworkOutbox } from '../events/framework-outbox';
import { MasterUpdates } from '../events/master-updates';
import { AllocationLoop } from '../offers/allocation-loop';
import { AcknowledgeHandler } from '../operations/acknowledge';
import { MasterIdentity } from '../identity';
import { LOGGER } from '../tokens';
import { LeaderTimers } from './leader-timers';
import { NatsRoutes } from './nats-routes';
import { bumpEpoch } from './epoch';

/**
 * Leadership through Consul's lock on kv.leaderLock('master'). Elected: new epoch, registry loaded,
 * master subjects served, LeaderEvent published, timers running. Deposed: all of that undone and the
 * memory cleared. Standbys only track who leads, for HTTP redirects.
 */
@Injectable()
export class Leadership {
  private election: LeaderElection | undefined;
  private subs: Subscription[] = [];
  private leader: MasterInfo | undefined;

  constructor(
    private readonly consul: ConsulClient,
    private readonly bus: Bus,
    private readonly state: MasterState,
    private readonly identity: MasterIdentity,
    private readonly store: RegistryStore,
    private readonly events: ClusterEvents,
    private readonly outbox: FrameworkOutbox,
    private readonly masterUpdates: MasterUpdates,
    private readonly acks: AcknowledgeHandler,
    private readonly routes: NatsRoutes,
    private readonly timers: LeaderTimers,
    private readonly allocation: AllocationLoop,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /** The current leader (this master when leading), undefined when none is elected. */
  get current(): MasterInfo | undefined {
    if (this.state.leading) return this.identity.asLeader(this.state.epoch, this.state.electedAt);
    return this.leader;
  }

  get isLeader(): boolean {
    return this.state.leading;
  }

  /** Contends for leadership; `livenessCheckId`: this process's catalog check (see LeaderElection). */
  start(livenessCheckId?: string): void {
    this.election = new LeaderElection(
      this.consul,
      {
        key: kv.leaderLock('master'),
        value: JSON.stringify(this.identity.info),
        livenessCheckId,
        onElected: () => this.elected(),
        onDeposed: () => this.deposed(),
        onLeaderChanged: (value) => this.leaderChanged(value),
      },
      this.log,
    );
    this.election.start();
  }

  /** Steps down (releasing the lock so a standby takes over at once) and stops contending. */
  async stop(): Promise<void> {
    await this.election?.stop();
    await this.store.settle();
  }

  private async elected(): Promise<void> {
    this.state.reset();
    const term = this.state.term;
    const epoch = await bumpEpoch(this.consul);
    const now = Date.now();
    const registry = await this.store.load(now);
    if (this.state.term !== term) return;

    this.state.epoch = epoch;
    this.state.electedAt = now;
    for (const a of registry.agents) this.state.recoveredAgents.set(a.info.id, { info: a.info, registeredTime: a.registeredTime });
    for (const f of registry.frameworks) {
      const fw = this.state.newFramework(f.id, f.info, now, { connected: false, placeholder: true });
      fw.registeredTime = f.registeredTime;
      if (f.tornDown) {
        fw.unregisteredTime = f.unregisteredTime ?? now;
        this.state.tornDown.add(f.id);
        this.state.completedFrameworks.push(fw);
      } else {
        // Until it re-subscribes (or heartbeats) it counts as disconnected since the election.
        fw.unregisteredTime = now;
        this.state.frameworks.set(f.id, fw);
      }
    }
    this.state.completedFrameworks.sort((a, b) => (a.unregisteredTime ?? 0) - (b.unregisteredTime ?? 0));
    this.state.completedFrameworks.splice(0, Math.max(0, this.state.completedFrameworks.length - 100));

    this.state.leading = true;
    this.events.begin();
    this.subs = this.routes.subscribeAll();
    await this.bus.flush();
    if (this.state.term !== term) return;
    const me = this.identity.asLeader(epoch, now);
    this.leader = me;
    this.events.leader(me);
    this.timers.start();
    this.allocation.start();
    this.log.info(
      { epoch, masterId: this.identity.id, agentsExpected: registry.agents.length, frameworks: this.state.frameworks.size },
      'elected leading master',
    );
  }

  private deposed(): void {
    this.log.warn({ epoch: this.state.epoch }, 'no longer the leading master');
    for (const s of this.subs) {
      try {
        s.unsubscribe();
      } catch {
        // already closed
      }
    }
    this.subs = [];
    this.timers.stop();
    this.allocation.stop();
    this.outbox.clear();
    this.acks.clear();
    this.masterUpdates.clear();
    this.state.reset();
    if (this.leader?.id === this.identity.id) this.leader = undefined;
  }

  private leaderChanged(value: string | undefined): void {
    if (value === undefined) {
      this.leader = this.state.leading ? this.leader : undefined;
      return;
    }
    try {
      const parsed = MasterInfoSchema.safeParse(JSON.parse(value));
      if (parsed.success) this.leader = parsed.data;
    } catch {
      this.log.warn('leader lock holds something that is not a MasterInfo');
    }
  }
}
