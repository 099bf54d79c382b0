import { randomBytes } from 'node:crypto';
import type { Logger } from '@agora/logging';
import { ConsulClient } from './consul-client';

/** The catalog check's TTL: how soon after a crash the component shows critical (and its leader lock frees). */
const CHECK_TTL_SECONDS = 4;
const PASS_EVERY_MS = 1000;

/**
 * Registers a component in Consul's catalog with a TTL check and keeps the check passing while the
 * component is alive; deregisters on stop. The check doubles as the process's liveness for its leader
 * election (`checkId`): it lapses CHECK_TTL_SECONDS after the last pass.
 *
 * The service id is the given one plus a suffix of this process's own: a process restarted at the same
 * address is a new instance, so it cannot revive the dead one's check (which would keep that one's
 * leader lock alive until the session TTL); the dead entry shows critical and Consul reaps it after a
 * minute.
 */
export class ServiceRegistration {
  private timer: NodeJS.Timeout | undefined;
  private readonly svc: { id: string; name: string; address: string; port: number; tags?: string[]; meta?: Record<string, string> };

  constructor(
    private readonly consul: ConsulClient,
    svc: { id: string; name: string; address: string; port: number; tags?: string[]; meta?: Record<string, string> },
    private readonly log: Logger,
  ) {
    this.svc = { ...svc, id: `${svc.id}-${randomBytes(4).toString('hex')}` };
  }

  /** The service id in the catalog (the given one with this process's suffix). */
  get id(): string {
    return this.svc.id;
  }

  /** The id of the registration's TTL check, to bind a leader-election session to. */
  get checkId(): string {
    return `service:${this.svc.id}`;
  }

  async start(): Promise<void> {
    const ttlSeconds = CHECK_TTL_SECONDS;
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
    }, PASS_EVERY_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.consul.deregisterService(this.svc.id).catch(() => undefined);
  }
}
