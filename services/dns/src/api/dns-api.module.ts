import { Module, type DynamicModule } from '../nest';
import { API_DEPS, DnsController, type ApiDeps } from './dns.controller';

/** The HTTP API's Nest module: one controller over the runtime objects the composition root made. */
@Module({})
export class DnsApiModule {
  static forRoot(deps: ApiDeps): DynamicModule {
    return { module: DnsApiModule, controllers: [DnsController], providers: [{ provide: API_DEPS, useValue: deps }] };
  }
}
