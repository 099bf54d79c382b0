import 'reflect-metadata';
import { SERVICE_NAMES } from '@agora/contracts';
import { ConsulClient, ServiceRegistration } from '@agora/consul';
import type { Logger } from '@agora/logging';
import { Bus } from '@agora/nats';
import { corsMiddleware, NO_CORS, type CorsPolicy } from '@agora/service';
import { DnsApiModule } from '../api/dns-api.module';
import { WatchHub } from '../api/watch-hub';
import { NestFactory, type INestApplication, type LoggerService } from '../nest';
import type { DnsConfig } from '../records';
import { Forwarder } from '../server/forwarder';
import { QueryHandler } from '../server/query-handler';
import { TcpServer } from '../server/tcp-server';
import { UdpServer } from '../server/udp-server';
import { ClusterView } from '../state/cluster-view';
import { RecordStore } from '../state/record-store';
import { StateFeed } from '../state/state-feed';
import type { DnsFlags } from './flags';
import { loadDnsConfig } from './load-config';

/** Settings that decide what the process listens on: a reload cannot change them (restart instead). */
const LISTEN_FIELDS = ['Listener', 'Port', 'HTTPListener', 'HttpPort', 'DnsOn', 'HttpOn'] as const;

function bindAddress(listener: string): string {
  return listener === '' ? '0.0.0.0' : listener;
}

/** Nest's own chatter goes to pino: warnings and errors only. */
function nestLogger(log: Logger): LoggerService {
  return {
    log: () => undefined,
    warn: (m: unknown) => log.warn({ nest: true }, String(m)),
    error: (m: unknown, trace?: unknown) => log.error({ nest: true, trace }, String(m)),
  };
}

/**
 * The composition root: config → NATS feed → cluster view → record store → UDP/TCP listeners and the
 * HTTP API, plus the Consul catalog entry. `reload()` (SIGHUP) swaps the config and rebuilds the records in
 * one step, so queries keep being answered throughout.
 */
export class DnsApp {
  private readonly startedAt = Date.now();
  private reloads = 0;

  private constructor(
    private readonly flags: DnsFlags,
    private readonly log: Logger,
    private readonly bus: Bus,
    readonly view: ClusterView,
    readonly store: RecordStore,
    readonly feed: StateFeed,
    readonly handler: QueryHandler,
    private readonly forwarder: Forwarder,
    private readonly hub: WatchHub,
    private readonly udp: UdpServer | undefined,
    private readonly tcp: TcpServer | undefined,
    private readonly http: INestApplication | undefined,
    private readonly registration: ServiceRegistration | undefined,
  ) {}

  static async start(flags: DnsFlags, log: Logger, cors: CorsPolicy = NO_CORS): Promise<DnsApp> {
    const loaded = loadDnsConfig(flags);
    if ('error' in loaded) throw new Error(loaded.error);
    const config = loaded.config;
    for (const e of loaded.errors) log.warn({ problem: e }, 'config problem');
    if (loaded.unknownKeys.length > 0) log.info({ keys: loaded.unknownKeys }, 'config keys ignored');
    if (config.ExternalOn && config.Resolvers.length === 0 && Object.keys(config.ZoneResolvers).length === 0) {
      log.info('no upstream resolvers configured: names outside our zones get SERVFAIL');
    }

    const bus = await Bus.connect(flags.nats, 'agora-dns', log);
    const view = new ClusterView();
    const store = new RecordStore(config, view, log);
    const forwarder = new Forwarder(log);
    const handler = new QueryHandler(store, forwarder, log);
    const hub = new WatchHub(store);
    const feed = new StateFeed(bus, view, store, log, () => store.dnsConfig.RefreshSeconds * 1000);

    let udp: UdpServer | undefined;
    let tcp: TcpServer | undefined;
    let http: INestApplication | undefined;
    let app: DnsApp | undefined;
    try {
      if (config.DnsOn) {
        udp = new UdpServer(handler, log);
        tcp = new TcpServer(handler, log);
        await udp.listen(bindAddress(config.Listener), config.Port);
        await tcp.listen(bindAddress(config.Listener), config.Port);
      }
      const deps = { store, hub, status: () => (app ? app.status() : { ready: false }) };
      if (config.HttpOn) {
        http = await NestFactory.create(DnsApiModule.forRoot(deps), { logger: nestLogger(log) });
        http.use(corsMiddleware(cors));
        await http.listen(config.HttpPort, bindAddress(config.HTTPListener));
      }
    } catch (e) {
      await udp?.close();
      await tcp?.close();
      await http?.close().catch(() => undefined);
      await bus.close();
      throw e;
    }

    let registration: ServiceRegistration | undefined;
    if (flags.consul) {
      const address = bindAddress(config.Listener);
      registration = new ServiceRegistration(
        new ConsulClient(flags.consul),
        {
          id: `${SERVICE_NAMES.dns}-${address}-${config.Port}`,
          name: SERVICE_NAMES.dns,
          address,
          port: config.Port,
          meta: { httpPort: String(config.HttpPort), domain: config.Domain },
        },
        log,
      );
    }
    app = new DnsApp(flags, log, bus, view, store, feed, handler, forwarder, hub, udp, tcp, http, registration);
    feed.start();
    await registration?.start();
    log.info(
      { dns: config.DnsOn ? `${bindAddress(config.Listener)}:${config.Port}` : 'off', http: config.HttpOn ? `${bindAddress(config.HTTPListener)}:${config.HttpPort}` : 'off', domain: config.Domain },
      'dns listening',
    );
    return app;
  }

  get ready(): boolean {
    return this.store.current !== undefined;
  }

  status(): { ready: boolean } & Record<string, unknown> {
    const set = this.store.current;
    return {
      ready: set !== undefined,
      serial: set?.serial ?? null,
      names: set?.names.size ?? 0,
      tasks: this.view.taskCount(),
      agents: this.view.agents.size,
      carriedAgents: this.view.carriedCount,
      leader: this.view.leader ? `${this.view.leader.ip}:${this.view.leader.port}` : null,
      epoch: this.feed.position?.epoch ?? null,
      sequence: this.feed.position?.sequence ?? null,
      builds: this.store.builds,
      feed: this.feed.stats,
      queries: this.handler.stats,
      cache: this.handler.cacheStats,
      tcpConnections: this.tcp?.connections ?? 0,
      watchers: this.hub.size,
      reloads: this.reloads,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
    };
  }

  /** SIGHUP: re-read the config file; a bad file keeps the running config. */
  reload(): boolean {
    const loaded = loadDnsConfig(this.flags);
    if ('error' in loaded) {
      this.log.error({ err: loaded.error }, 'config reload failed; keeping the running config');
      return false;
    }
    const old = this.store.dnsConfig;
    const next: DnsConfig = { ...loaded.config };
    const kept: string[] = [];
    for (const f of LISTEN_FIELDS) {
      if (next[f] !== old[f]) {
        kept.push(f);
        (next as unknown as Record<string, unknown>)[f] = old[f];
      }
    }
    for (const e of loaded.errors) this.log.warn({ problem: e }, 'config problem');
    if (kept.length > 0) this.log.warn({ fields: kept }, 'listening settings change only with a restart; keeping the running values');
    this.store.setConfig(next);
    this.reloads++;
    this.log.info({ file: this.flags.configFile ?? null, serial: this.store.current?.serial ?? null }, 'config reloaded');
    return true;
  }

  async stop(): Promise<void> {
    await this.registration?.stop().catch(() => undefined);
    await this.feed.stop();
    this.store.stop();
    this.hub.close();
    await this.udp?.close();
    await this.tcp?.close();
    this.forwarder.close();
    // Watch streams never end on their own; cut them so the HTTP server can close.
    (this.http?.getHttpServer() as { closeAllConnections?: () => void } | undefined)?.closeAllConnections?.();
    await this.http?.close().catch(() => undefined);
    await this.bus.close().catch(() => undefined);
  }
}
