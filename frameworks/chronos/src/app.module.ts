import { Module, type DynamicModule } from './nest';
import { ChronosApi } from './api/chronos-api';
import { CHRONOS_API, RootController, SchedulerController } from './api/scheduler.controller';
import type { Leadership } from './leader/leadership';

/**
 * The HTTP side of the composition root: the controllers get the API object, which reaches the
 * scheduler through the leadership (main.ts builds both from the adapters: bus, Consul, logger, config).
 */
@Module({})
export class ChronosModule {
  static forRoot(leadership: Leadership): DynamicModule {
    return {
      module: ChronosModule,
      controllers: [SchedulerController, RootController],
      providers: [{ provide: CHRONOS_API, useValue: new ChronosApi(leadership) }],
    };
  }
}
