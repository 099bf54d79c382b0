import type { Offer } from '@agora/contracts';
import type { Resources } from '@agora/model';
import { matchOffer, offerPlacement, type AppDefinition, type ConstraintContext, type Launch, type Placement, type RejectReason } from '../core';

/**
 * Places the waiting tasks of several apps on a batch of offers. Tasks are dealt out one per offer per
 * round (round-robin), so an app spreads over the agents instead of filling the first offer; every
 * launch counts as placed for the app's constraints on the following offers (UNIQUE hostname across a
 * batch works). Pure: uuids and randomness come in.
 */

export interface WaitingApp {
  app: AppDefinition;
  count: number;
  /** Where its active tasks run now. */
  placed: Placement[];
  ctx?: ConstraintContext;
}

export interface PlannedLaunch {
  appId: string;
  launch: Launch;
}

export interface OfferUse {
  appId: string;
  offerId: string;
  used: boolean;
  /** Why the last attempt on this offer failed (empty when the app got everything it wanted). */
  rejections: RejectReason[];
}

export interface OfferBatchPlan {
  perOffer: { offer: Offer; launches: PlannedLaunch[] }[];
  uses: OfferUse[];
}

export function planOfferBatch(offers: readonly Offer[], waiting: readonly WaitingApp[], nextUuid: () => string, random: () => number): OfferBatchPlan {
  const slots = offers.map((offer) => ({ offer, remaining: offer.resources as Resources, launches: [] as PlannedLaunch[] }));
  const uses: OfferUse[] = [];
  for (const w of waiting) {
    let left = w.count;
    const placed = [...w.placed];
    const launchedOn = new Map<string, number>();
    const lastRejections = new Map<string, RejectReason[]>();
    const full = new Set<string>();
    const tried = new Set<string>();
    while (left > 0 && full.size < slots.length) {
      for (const slot of slots) {
        if (left === 0) break;
        if (full.has(slot.offer.id)) continue;
        tried.add(slot.offer.id);
        const r = matchOffer({
          app: w.app,
          offer: { ...slot.offer, resources: slot.remaining },
          placed,
          count: 1,
          nextUuid,
          random,
          candidate: offerPlacement(slot.offer),
          ctx: w.ctx,
        });
        const launch = r.launches[0];
        if (!launch) {
          full.add(slot.offer.id);
          lastRejections.set(slot.offer.id, [...new Set(r.rejections.map((x) => x.reason))]);
          continue;
        }
        slot.remaining = r.remaining;
        slot.launches.push({ appId: w.app.id, launch });
        placed.push(launch.placement);
        launchedOn.set(slot.offer.id, (launchedOn.get(slot.offer.id) ?? 0) + 1);
        left--;
      }
    }
    for (const slot of slots) {
      if (!tried.has(slot.offer.id)) continue;
      const used = (launchedOn.get(slot.offer.id) ?? 0) > 0;
      uses.push({ appId: w.app.id, offerId: slot.offer.id, used, rejections: used ? [] : (lastRejections.get(slot.offer.id) ?? []) });
    }
  }
  return { perOffer: slots.map((s) => ({ offer: s.offer, launches: s.launches })), uses };
}
