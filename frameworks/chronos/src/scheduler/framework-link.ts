import { isAgoraError, type Offer, type TaskStatus } from '@agora/contracts';
import { SchedulerDriver } from '@agora/framework-sdk';
import type { Logger } from '@agora/logging';
import type { Bus } from '@agora/nats';
import type { ChronosConfig } from '../config';
import type { ChronosStore } from '../state/chronos-store';

export interface LinkHandlers {
  /** Subscribed; `fresh`: the first subscription of this link (or with a new id after a teardown). */
  subscribed(frameworkId: string, isReconnect: boolean): void | Promise<void>;
  offers(offers: Offer[]): void;
  rescind(offerId: string): void;
  update(status: TaskStatus): void;
  disconnected(): void;
}

/**
 * Chronos' connection to the master: one SchedulerDriver for the leader's term, subscribed with the
 * framework id kept in Consul (so a new leader or a restarted process takes over the running tasks: a
 * framework failover, within a week). Updates are acknowledged by the scheduler once they are recorded.
 * When the master has forgotten the framework (torn down, failover timeout), the id is dropped and a new
 * one is registered.
 */
export class FrameworkLink {
  private driver: SchedulerDriver | undefined;
  private id: string | undefined;
  private stopped = false;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly cfg: ChronosConfig,
    private readonly bus: Bus,
    private readonly store: ChronosStore,
    private readonly log: Logger,
    private readonly handlers: LinkHandlers,
    frameworkId: string | undefined,
  ) {
    this.id = frameworkId;
  }

  get current(): SchedulerDriver | undefined {
    return this.driver;
  }

  get frameworkId(): string | undefined {
    return this.driver ? this.id : undefined;
  }

  start(): void {
    if (this.stopped) return;
    const driver = new SchedulerDriver(
      {
        bus: this.bus,
        info: {
          name: this.cfg.frameworkName,
          failoverTimeoutSeconds: this.cfg.failoverTimeoutSeconds,
          hostname: this.cfg.hostname,
          webuiUrl: `http://${this.cfg.ip}:${this.cfg.port}`,
          checkpoint: true,
        },
        ...(this.id ? { frameworkId: this.id } : {}),
        log: this.log,
        autoAcknowledge: false,
        reconcileOnSubscribe: true,
      },
      {
        subscribed: async (id, _master, isReconnect) => {
          if (id !== this.id) {
            this.id = id;
            await this.store.putFrameworkId(id).catch((e: unknown) => this.log.error({ err: String(e) }, 'could not store the framework id'));
            this.log.info({ frameworkId: id }, 'registered as a new framework');
          }
          await this.handlers.subscribed(id, isReconnect);
        },
        offers: (o) => this.handlers.offers(o),
        rescind: (id) => this.handlers.rescind(id),
        update: (s) => this.handlers.update(s),
        disconnected: () => this.handlers.disconnected(),
        error: (message) => this.forgotten(message),
      },
    );
    this.driver = driver;
    driver.start().catch((e: unknown) => {
      if (this.stopped || this.driver !== driver) return;
      if (isAgoraError(e, 'FRAMEWORK_TORN_DOWN') || isAgoraError(e, 'UNKNOWN_FRAMEWORK')) void this.forgotten(e.message);
      else {
        this.log.warn({ err: String(e) }, 'could not subscribe; retrying');
        this.restartSoon();
      }
    });
  }

  /** The master gave up on this framework id: register afresh (the tasks of the old id are gone). */
  private async forgotten(message: string): Promise<void> {
    if (this.stopped) return;
    this.log.warn({ frameworkId: this.id, message }, 'the master no longer knows this framework; registering again');
    this.id = undefined;
    await this.store.clearFrameworkId().catch(() => undefined);
    this.restartSoon();
  }

  private restartSoon(): void {
    if (this.stopped || this.restartTimer) return;
    const old = this.driver;
    this.driver = undefined;
    void old?.stop();
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.start();
    }, 1000);
  }

  acknowledge(status: TaskStatus): void {
    try {
      this.driver?.acknowledge(status);
    } catch (e) {
      this.log.debug({ err: String(e) }, 'acknowledge skipped');
    }
  }

  /** Leaves the framework registered (failover): the next leader subscribes with the same id. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const d = this.driver;
    this.driver = undefined;
    await d?.stop();
  }
}
