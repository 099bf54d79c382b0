import type { Logger } from '@agora/logging';
import { ConsulClient } from './consul-client';

/**
 * Registers a component in Consul's catalog with a TTL check and keeps the check passing while the
 * component is alive; deregisters on stop.
 */
export class ServiceRegistration {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly consul: ConsulClient,
    private readonly svc: { id: string; name: string; address: string; port: number; tags?: string[]; meta?: Record<string, string> },
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    const ttlSeconds = 15;
    try {
      await this.consul.registerService({ ...this.svc, ttlSeconds });
      await this.consul.passCheck(this.svc.id);
    } catch (e) {
      this.log.warn({ err: String(e) }, 'could not register in the consul catalog; will retry');
    }
    this.timer = setInterval(() => {
      this.consul
        .passCheck(this.svc.id)
        .catch(() => this.consul.registerService({ ...this.svc, ttlSeconds }).then(() => this.consul.passCheck(this.svc.id)))
        .catch((e: unknown) => this.log.debug({ err: String(e) }, 'catalog check update failed'));
    }, 5000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.consul.deregisterService(this.svc.id).catch(() => undefined);
  }
}
