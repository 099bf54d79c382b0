import { Inject, Injectable } from '../nest';
import { AgoraError } from '@agora/contracts';
import type { Logger } from '@agora/logging';
import { MasterState } from '../registry/master-state';
import type { FrameworkEntry } from '../registry/types';
import { ClusterEvents } from '../events/cluster-events';
import { OfferBook } from '../offers/offer-book';
import { AllocationTrigger } from '../offers/allocation-trigger';
import { CONFIG, LOGGER } from '../tokens';
import type { MasterConfig } from '../config';
import { FrameworkTeardown } from './teardown';

/**
 * Framework liveness: silent past --framework-ping-timeout → disconnected (no offers); silent for its
 * failoverTimeoutSeconds beyond that → torn down. A heartbeat from a disconnected framework reconnects it.
 */
@Injectable()
export class FrameworkHealth {
  constructor(
    private readonly state: MasterState,
    private readonly events: ClusterEvents,
    private readonly offers: OfferBook,
    private readonly teardown: FrameworkTeardown,
    private readonly allocation: AllocationTrigger,
    @Inject(CONFIG) private readonly cfg: MasterConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /** The framework by id, or the error a caller deserves (torn down / unknown). */
  require(frameworkId: string): FrameworkEntry {
    const fw = this.state.frameworks.get(frameworkId);
    if (fw && !fw.placeholder) return fw;
    if (this.state.tornDown.has(frameworkId)) throw new AgoraError('FRAMEWORK_TORN_DOWN', `framework ${frameworkId} was torn down`);
    throw new AgoraError('UNKNOWN_FRAMEWORK', `framework ${frameworkId} is not subscribed with this master; subscribe`);
  }

  heartbeat(frameworkId: string): Record<string, never> {
    const fw = this.require(frameworkId);
    fw.lastSeen = Date.now();
    if (!fw.connected) {
      fw.connected = true;
      fw.active = true;
      fw.unregisteredTime = undefined;
      this.log.info({ frameworkId }, 'framework reconnected');
      this.events.framework('UPDATED', fw);
      this.allocation.request();
    }
    return {};
  }

  tick(now: number): void {
    for (const fw of [...this.state.frameworks.values()]) {
      const silent = now - fw.lastSeen;
      if (fw.connected && silent > this.cfg.frameworkPingTimeoutMs) this.disconnect(fw, now);
      if (!fw.connected && silent > this.cfg.frameworkPingTimeoutMs + fw.info.failoverTimeoutSeconds * 1000) {
        this.teardown.teardown(fw, `no contact for ${Math.round(silent / 1000)} s (failover timeout ${fw.info.failoverTimeoutSeconds} s)`, now);
      }
    }
  }

  disconnect(fw: FrameworkEntry, now: number): void {
    this.log.warn({ frameworkId: fw.id, frameworkName: fw.info.name }, 'framework disconnected');
    fw.connected = false;
    fw.active = false;
    fw.unregisteredTime = now;
    this.offers.rescindFramework(fw.id);
    this.events.framework('DISCONNECTED', fw);
  }
}
