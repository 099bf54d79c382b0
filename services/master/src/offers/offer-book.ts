import { Inject, Injectable } from '../nest';
import { contains, isEmpty, subtract } from '@agora/model';
import type { Offer } from '@agora/contracts';
import type { Logger } from '@agora/logging';
import type { OfferDecision } from '../allocator/types';
import { MasterState } from '../registry/master-state';
import { FrameworkOutbox } from '../events/framework-outbox';
import { MasterIdentity } from '../identity';
import { Metrics } from '../metrics';
import { AllocationTrigger } from './allocation-trigger';
import { LOGGER } from '../tokens';

/**
 * Outstanding offers: made from the allocator's decisions, taken back by rescind (timeout, agent lost,
 * framework gone), returned by decline (with a filter), consumed by accept.
 */
@Injectable()
export class OfferBook {
  constructor(
    private readonly state: MasterState,
    private readonly outbox: FrameworkOutbox,
    private readonly identity: MasterIdentity,
    private readonly metrics: Metrics,
    private readonly allocation: AllocationTrigger,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /** Turns decisions into offers and sends each framework its offers of this cycle in one message. */
  create(decisions: readonly OfferDecision[], now: number): number {
    const perFramework = new Map<string, Offer[]>();
    for (const d of decisions) {
      const agent = this.state.agents.get(d.agentId);
      const fw = this.state.frameworks.get(d.frameworkId);
      if (!agent || !fw || !agent.active || agent.status !== 'REGISTERED' || !fw.active || !fw.connected) continue;
      const free = subtract(subtract(agent.info.resources, agent.used), agent.offered);
      if (isEmpty(d.resources) || !contains(free, d.resources)) {
        this.log.warn({ agentId: d.agentId, frameworkId: d.frameworkId }, 'allocator offered more than is free; decision dropped');
        continue;
      }
      const offer: Offer = {
        id: this.identity.offerId(++this.state.offerSeq),
        frameworkId: fw.id,
        agentId: agent.info.id,
        hostname: agent.info.hostname,
        agentIp: agent.info.ip,
        resources: d.resources,
        attributes: agent.info.attributes,
        allocationRole: fw.info.role,
      };
      this.state.addOffer({ offer, createdAt: now });
      const list = perFramework.get(fw.id) ?? [];
      list.push(offer);
      perFramework.set(fw.id, list);
    }
    let n = 0;
    for (const [fid, offers] of perFramework) {
      this.outbox.sendNow(fid, [{ type: 'OFFERS', offers }]);
      n += offers.length;
    }
    this.metrics.offersSent += n;
    return n;
  }

  /** Takes an offer back and tells its framework; the resources go back to the pool. */
  rescind(offerId: string): void {
    const entry = this.state.removeOffer(offerId);
    if (!entry) return;
    this.metrics.offersRescinded++;
    this.outbox.send(entry.offer.frameworkId, { type: 'RESCIND', offerId });
    this.allocation.request();
  }

  rescindAgent(agentId: string): void {
    const agent = this.state.agents.get(agentId);
    if (agent) for (const id of [...agent.offerIds]) this.rescind(id);
  }

  rescindFramework(frameworkId: string): void {
    const fw = this.state.frameworks.get(frameworkId);
    if (fw) for (const id of [...fw.offerIds]) this.rescind(id);
  }

  /** Rescinds offers outstanding for longer than the offer timeout. */
  expire(now: number, timeoutMs: number): void {
    for (const [id, e] of this.state.offers) if (now - e.createdAt >= timeoutMs) this.rescind(id);
  }

  /**
   * Decline (or the unused part of an accept): the offers return to the pool and their agents are not
   * offered to this framework again for `refuseSeconds`. Offer ids not outstanding for it are ignored.
   */
  decline(frameworkId: string, offerIds: readonly string[], refuseSeconds: number, now: number): void {
    const fw = this.state.frameworks.get(frameworkId);
    if (!fw) return;
    for (const id of offerIds) {
      const e = this.state.offers.get(id);
      if (!e || e.offer.frameworkId !== frameworkId) continue;
      this.state.removeOffer(id);
      this.metrics.offersDeclined++;
      this.filter(frameworkId, e.offer.agentId, refuseSeconds, now);
    }
    this.allocation.request();
  }

  filter(frameworkId: string, agentId: string, refuseSeconds: number, now: number): void {
    const fw = this.state.frameworks.get(frameworkId);
    if (!fw || refuseSeconds <= 0) return;
    const until = now + refuseSeconds * 1000;
    fw.filters.set(agentId, Math.max(fw.filters.get(agentId) ?? 0, until));
  }

  /** Drops filters that have run out (keeps the maps small). */
  pruneFilters(now: number): void {
    for (const fw of this.state.frameworks.values()) for (const [agentId, until] of fw.filters) if (until <= now) fw.filters.delete(agentId);
  }
}
