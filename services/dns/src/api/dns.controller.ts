import { AGORA_VERSION } from '@agora/contracts';
import { Controller, Get, Inject, Param, Query, Req, Res } from '../nest';
import { axfr, enumerate, lookupHosts, lookupServices } from '../answer';
import { asciiLower, type DnsConfig } from '../records';
import type { RecordStore } from '../state/record-store';
import type { HttpRequest, HttpResponse } from './http-types';
import type { WatchHub } from './watch-hub';

export const API_DEPS = Symbol('DnsApiDeps');

export interface ApiDeps {
  store: RecordStore;
  hub: WatchHub;
  /** Readiness and counters for /health. */
  status(): { ready: boolean } & Record<string, unknown>;
}

/** `/v1/config` prints the config as Mesos-DNS does, minus the secret. */
export function configView(c: DnsConfig): DnsConfig {
  return { ...c, MesosCredentials: { principal: c.MesosCredentials.principal, secret: c.MesosCredentials.secret ? '********' : '' } };
}

/**
 * Mesos-DNS's HTTP API (shapes in mesos-dns-rules.md): lookups answer 200 with one empty record on a
 * miss. Before the first cluster snapshot they answer 503 instead, so a client cannot mistake "not loaded
 * yet" for "no such name". Extensions: /v1/watch (SSE of record changes) and /health.
 */
@Controller()
export class DnsController {
  constructor(@Inject(API_DEPS) private readonly deps: ApiDeps) {}

  private records(res: HttpResponse) {
    const set = this.deps.store.current;
    if (!set) res.status(503).json({ message: 'no cluster snapshot loaded yet' });
    return set;
  }

  @Get('v1/version')
  version(): object {
    return { Service: 'Mesos-DNS', URL: 'https://github.com/mesosphere/mesos-dns', Version: `${AGORA_VERSION}-agora` };
  }

  @Get('v1/config')
  config(): object {
    return configView(this.deps.store.dnsConfig);
  }

  @Get('v1/hosts/:host/ports')
  hostPorts(@Res() res: HttpResponse): void {
    res.status(501).type('text/plain').send('To be implemented...');
  }

  @Get('v1/hosts/:host')
  hosts(@Param('host') host: string, @Res() res: HttpResponse): void {
    const set = this.records(res);
    if (set) res.status(200).json(lookupHosts(set, host));
  }

  @Get('v1/services/:service')
  services(@Param('service') service: string, @Res() res: HttpResponse): void {
    const set = this.records(res);
    if (set) res.status(200).json(lookupServices(set, service));
  }

  @Get('v1/enumerate')
  enumerate(@Res() res: HttpResponse): void {
    if (!this.deps.store.dnsConfig.EnumerationOn) return void res.status(404).json({ message: 'enumeration is off (EnumerationOn)' });
    const set = this.records(res);
    if (set) res.status(200).json(enumerate(set));
  }

  @Get('v1/axfr')
  axfr(@Res() res: HttpResponse): void {
    if (!this.deps.store.dnsConfig.EnumerationOn) return void res.status(404).json({ message: 'enumeration is off (EnumerationOn)' });
    const set = this.records(res);
    if (set) res.status(200).json(axfr(set));
  }

  @Get('v1/watch')
  watch(@Query('name') name: string | undefined, @Req() req: HttpRequest, @Res() res: HttpResponse): void {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream');
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    const n = name === undefined || name === '' ? undefined : asciiLower(name.endsWith('.') ? name : `${name}.`);
    const remove = this.deps.hub.add({ name: n, write: (chunk) => void res.write(chunk) });
    req.on('close', () => {
      remove();
      res.end();
    });
  }

  @Get('health')
  health(@Res() res: HttpResponse): void {
    const s = this.deps.status();
    res.status(s.ready ? 200 : 503).json(s);
  }
}
