import { DynamicModule, Module } from './nest';
import { ConsulClient } from '@agora/consul';
import { Bus } from '@agora/nats';
import type { Logger } from '@agora/logging';
import type { MasterConfig } from './config';
import { CONFIG, LOGGER } from './tokens';
import { MasterIdentity } from './identity';
import { Metrics } from './metrics';
import { MasterState } from './registry/master-state';
import { RegistryStore } from './registry/registry-store';
import { TaskUpdater } from './registry/task-updater';
import { ClusterEvents } from './events/cluster-events';
import { FrameworkOutbox } from './events/framework-outbox';
import { MasterUpdates } from './events/master-updates';
import { AllocationTrigger } from './offers/allocation-trigger';
import { AllocationLoop } from './offers/allocation-loop';
import { OfferBook } from './offers/offer-book';
import { OfferCalls } from './offers/offer-calls';
import { RegisterAgentHandler } from './agents/register-agent';
import { TaskAdoption } from './agents/task-adoption';
import { AgentHealth } from './agents/agent-health';
import { StatusUpdateHandler } from './agents/status-updates';
import { SubscribeHandler } from './frameworks/subscribe';
import { FrameworkHealth } from './frameworks/framework-health';
import { FrameworkTeardown } from './frameworks/teardown';
import { TeardownCall } from './frameworks/teardown-call';
import { AcceptHandler } from './operations/accept';
import { KillHandler } from './operations/kill';
import { AcknowledgeHandler } from './operations/acknowledge';
import { ReconcileHandler } from './operations/reconcile';
import { TaskHealthHandler } from './operations/task-health';
import { ClusterStateView } from './operations/cluster-state';
import { NatsRoutes } from './leader/nats-routes';
import { LeaderTimers } from './leader/leader-timers';
import { Leadership } from './leader/leadership';
import { MasterController } from './api/master.controller';
import { AgoraController } from './api/agora.controller';
import { WebUiController } from './ui/web-ui.controller';

export interface MasterDeps {
  cfg: MasterConfig;
  log: Logger;
  bus: Bus;
  consul: ConsulClient;
}

/** The composition root: adapters (bus, consul, logger, config) in, every master service wired by Nest. */
@Module({})
export class MasterModule {
  static forRoot(deps: MasterDeps): DynamicModule {
    return {
      module: MasterModule,
      controllers: [MasterController, AgoraController, WebUiController],
      providers: [
        { provide: CONFIG, useValue: deps.cfg },
        { provide: LOGGER, useValue: deps.log },
        { provide: Bus, useValue: deps.bus },
        { provide: ConsulClient, useValue: deps.consul },
        {
          provide: RegistryStore,
          useFactory: (consul: ConsulClient, log: Logger) => new RegistryStore(consul, log),
          inject: [ConsulClient, LOGGER],
        },
        MasterIdentity,
        Metrics,
        MasterState,
        ClusterEvents,
        FrameworkOutbox,
        MasterUpdates,
        AllocationTrigger,
        TaskUpdater,
        OfferBook,
        AllocationLoop,
        OfferCalls,
        TaskAdoption,
        RegisterAgentHandler,
        AgentHealth,
        StatusUpdateHandler,
        FrameworkTeardown,
        FrameworkHealth,
        SubscribeHandler,
        TeardownCall,
        AcceptHandler,
        KillHandler,
        AcknowledgeHandler,
        ReconcileHandler,
        TaskHealthHandler,
        ClusterStateView,
        NatsRoutes,
        LeaderTimers,
        Leadership,
      ],
    };
  }
}
