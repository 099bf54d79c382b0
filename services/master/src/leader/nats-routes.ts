import { Inject, Injectable } from '../nest';
import type { Subscription } from '@nats-io/transport-node';
import {
  Accept,
  Acknowledge,
  AgentHeartbeat,
  AgoraError,
  Decline,
  FrameworkHeartbeat,
  GetState,
  Kill,
  Reconcile,
  RegisterAgent,
  Revive,
  StatusUpdates,
  Subscribe,
  Suppress,
  TaskHealth,
  Teardown,
} from '@agora/contracts';
import { Bus } from '@agora/nats';
import type { Logger } from '@agora/logging';
import { MasterState } from '../registry/master-state';
import { RegisterAgentHandler } from '../agents/register-agent';
import { AgentHealth } from '../agents/agent-health';
import { StatusUpdateHandler } from '../agents/status-updates';
import { SubscribeHandler } from '../frameworks/subscribe';
import { FrameworkHealth } from '../frameworks/framework-health';
import { TeardownCall } from '../frameworks/teardown-call';
import { OfferCalls } from '../offers/offer-calls';
import { AcceptHandler } from '../operations/accept';
import { KillHandler } from '../operations/kill';
import { AcknowledgeHandler } from '../operations/acknowledge';
import { ReconcileHandler } from '../operations/reconcile';
import { TaskHealthHandler } from '../operations/task-health';
import { ClusterStateView, fitToPayload } from '../operations/cluster-state';
import { LOGGER } from '../tokens';

/** Only one master instance handles each message, even in the instant two believe they lead. */
const QUEUE = 'agora-master';

/**
 * Every `agora.master.*` subject, served only while this master leads: subscribed on election,
 * unsubscribed on deposition. Each handler re-checks leadership, since a message may be in flight
 * across the change.
 */
@Injectable()
export class NatsRoutes {
  constructor(
    private readonly bus: Bus,
    private readonly state: MasterState,
    private readonly registerAgent: RegisterAgentHandler,
    private readonly agentHealth: AgentHealth,
    private readonly statusUpdates: StatusUpdateHandler,
    private readonly subscribe: SubscribeHandler,
    private readonly frameworkHealth: FrameworkHealth,
    private readonly teardown: TeardownCall,
    private readonly offerCalls: OfferCalls,
    private readonly accept: AcceptHandler,
    private readonly kill: KillHandler,
    private readonly acknowledge: AcknowledgeHandler,
    private readonly reconcile: ReconcileHandler,
    private readonly taskHealth: TaskHealthHandler,
    private readonly clusterState: ClusterStateView,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  subscribeAll(): Subscription[] {
    const subs: Subscription[] = [
      this.bus.serve(RegisterAgent, [], this.guard((r) => this.registerAgent.handle(r)), { queue: QUEUE }),
      this.bus.serve(AgentHeartbeat, [], this.guard((r) => this.agentHealth.heartbeat(r.agentId)), { queue: QUEUE }),
      this.bus.serve(Subscribe, [], this.guard((r) => this.subscribe.handle(r)), { queue: QUEUE }),
      this.bus.serve(FrameworkHeartbeat, [], this.guard((r) => this.frameworkHealth.heartbeat(r.frameworkId)), { queue: QUEUE }),
      this.bus.serve(Teardown, [], this.guard((r) => this.teardown.handle(r.frameworkId)), { queue: QUEUE }),
      this.bus.serve(Accept, [], this.guard((r) => this.accept.handle(r)), { queue: QUEUE }),
      this.bus.serve(Decline, [], this.guard((r) => this.offerCalls.decline(r)), { queue: QUEUE }),
      this.bus.serve(Revive, [], this.guard((r) => this.offerCalls.revive(r.frameworkId)), { queue: QUEUE }),
      this.bus.serve(Suppress, [], this.guard((r) => this.offerCalls.suppress(r.frameworkId)), { queue: QUEUE }),
      this.bus.serve(Kill, [], this.guard((r) => this.kill.handle(r)), { queue: QUEUE }),
      this.bus.serve(Reconcile, [], this.guard((r) => this.reconcile.handle(r)), { queue: QUEUE }),
      this.bus.serve(GetState, [], this.guard(() => this.stateForBus()), { queue: QUEUE }),
      this.bus.on(
        StatusUpdates,
        StatusUpdates.subject(),
        (m) => {
          if (this.state.leading) this.statusUpdates.handle(m);
        },
        { queue: QUEUE },
      ),
      this.bus.on(
        Acknowledge,
        Acknowledge.subject(),
        (m) => {
          if (this.state.leading) this.acknowledge.handle(m);
        },
        { queue: QUEUE },
      ),
      this.bus.on(
        TaskHealth,
        TaskHealth.subject(),
        (m) => {
          if (this.state.leading) this.taskHealth.handle(m);
        },
        { queue: QUEUE },
      ),
    ];
    this.log.debug({ subjects: subs.length }, 'serving master subjects');
    return subs;
  }

  /** GetState must fit one NATS message (the server's max_payload, 1 MB by default). */
  private stateForBus() {
    const max = (this.bus.nc.info?.max_payload ?? 1024 * 1024) - 4096;
    const { state, trimmed } = fitToPayload(this.clusterState.snapshot(undefined), max);
    if (trimmed.length > 0) this.log.warn({ trimmed, maxBytes: max }, 'GetState snapshot trimmed to fit a NATS message');
    return state;
  }

  private guard<A, R>(fn: (req: A) => R): (req: A) => R {
    return (req) => {
      if (!this.state.leading) throw new AgoraError('NOT_LEADER', 'this master is not the leader');
      return fn(req);
    };
  }
}
