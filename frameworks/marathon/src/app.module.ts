import type { ConsulClient } from '@agora/consul';
import type { Logger } from '@agora/logging';
import type { Bus } from '@agora/nats';
import { Module, type DynamicModule } from './nest';
import { MarathonApi } from './api/marathon-api';
import type { ApiContext } from './api/api-context';
import { Clock } from './clock';
import type { MarathonConfig } from './config';
import { EventHub } from './events/event-hub';
import { HealthChecks } from './health/health-checks';
import { Leadership } from './leader/leadership';
import { ClusterView } from './scheduler/cluster-view';
import { LaunchQueue } from './scheduler/launch-queue';
import { MarathonScheduler } from './scheduler/marathon-scheduler';
import { TaskTracker } from './scheduler/task-tracker';
import { MarathonOperations } from './service/marathon-operations';
import { MarathonStore } from './state/marathon-store';
import { MarathonModel } from './state/model';
import { CONFIG, LOGGER } from './tokens';

export interface MarathonDeps {
  cfg: MarathonConfig;
  log: Logger;
  bus: Bus;
  consul: ConsulClient;
}

const BUS = Symbol('marathon.bus');
const CONSUL = Symbol('marathon.consul');

/**
 * The composition root: adapters (bus, consul, logger, config) in, Marathon's parts wired by Nest.
 * The parts are plain classes built by factories, so they stay usable (and testable) without Nest.
 */
@Module({})
export class MarathonModule {
  static forRoot(deps: MarathonDeps): DynamicModule {
    return {
      module: MarathonModule,
      providers: [
        { provide: CONFIG, useValue: deps.cfg },
        { provide: LOGGER, useValue: deps.log },
        { provide: BUS, useValue: deps.bus },
        { provide: CONSUL, useValue: deps.consul },
        { provide: Clock, useValue: new Clock() },
        { provide: EventHub, useValue: new EventHub() },
        { provide: MarathonModel, useValue: new MarathonModel() },
        { provide: TaskTracker, useValue: new TaskTracker() },
        { provide: LaunchQueue, useValue: new LaunchQueue() },
        { provide: MarathonStore, useFactory: (consul: ConsulClient, log: Logger) => new MarathonStore(consul, log.child({ part: 'store' })), inject: [CONSUL, LOGGER] },
        { provide: ClusterView, useFactory: (bus: Bus) => new ClusterView(bus), inject: [BUS] },
        { provide: HealthChecks, useFactory: (events: EventHub, log: Logger) => new HealthChecks(events, log.child({ part: 'health' })), inject: [EventHub, LOGGER] },
        {
          provide: MarathonScheduler,
          useFactory: (
            cfg: MarathonConfig,
            bus: Bus,
            store: MarathonStore,
            model: MarathonModel,
            tracker: TaskTracker,
            queue: LaunchQueue,
            health: HealthChecks,
            events: EventHub,
            clock: Clock,
            cluster: ClusterView,
            log: Logger,
          ) => new MarathonScheduler(cfg, bus, store, model, tracker, queue, health, events, clock, cluster, log.child({ part: 'scheduler' })),
          inject: [CONFIG, BUS, MarathonStore, MarathonModel, TaskTracker, LaunchQueue, HealthChecks, EventHub, Clock, ClusterView, LOGGER],
        },
        {
          provide: MarathonOperations,
          useFactory: (
            cfg: MarathonConfig,
            store: MarathonStore,
            model: MarathonModel,
            scheduler: MarathonScheduler,
            tracker: TaskTracker,
            queue: LaunchQueue,
            events: EventHub,
            clock: Clock,
            log: Logger,
          ) => new MarathonOperations(cfg, store, model, scheduler, tracker, queue, events, clock, log.child({ part: 'operations' })),
          inject: [CONFIG, MarathonStore, MarathonModel, MarathonScheduler, TaskTracker, LaunchQueue, EventHub, Clock, LOGGER],
        },
        {
          provide: Leadership,
          useFactory: (
            cfg: MarathonConfig,
            consul: ConsulClient,
            store: MarathonStore,
            model: MarathonModel,
            tracker: TaskTracker,
            queue: LaunchQueue,
            scheduler: MarathonScheduler,
            clock: Clock,
            log: Logger,
          ) => new Leadership(cfg, consul, store, model, tracker, queue, scheduler, clock, log.child({ part: 'leader' })),
          inject: [CONFIG, CONSUL, MarathonStore, MarathonModel, TaskTracker, LaunchQueue, MarathonScheduler, Clock, LOGGER],
        },
        {
          provide: MarathonApi,
          useFactory: (
            cfg: MarathonConfig,
            model: MarathonModel,
            tracker: TaskTracker,
            queue: LaunchQueue,
            ops: MarathonOperations,
            scheduler: MarathonScheduler,
            cluster: ClusterView,
            events: EventHub,
            clock: Clock,
            leadership: Leadership,
            log: Logger,
          ) => {
            const ctx: ApiContext = { cfg, model, tracker, queue, ops, scheduler, cluster, events, clock };
            return new MarathonApi(ctx, leadership, events, log.child({ part: 'api' }));
          },
          inject: [CONFIG, MarathonModel, TaskTracker, LaunchQueue, MarathonOperations, MarathonScheduler, ClusterView, EventHub, Clock, Leadership, LOGGER],
        },
      ],
    };
  }
}
