import type { Offer } from '@agora/contracts';
import { claim } from '@agora/framework-sdk';
import type { Resources } from '@agora/model';
import { meetsConstraints } from '../core';

export interface Placeable {
  key: string;
  /** Scalars the task needs. */
  ask: Record<string, number>;
  constraints: readonly (readonly string[])[];
}

export interface Placement {
  offer: Offer;
  tasks: Array<{ key: string; resources: Resources }>;
}

/**
 * Places tasks on offers, in the given order (most urgent first). Offers are tried round-robin from the
 * one after the last placement, so a burst of jobs spreads over the agents instead of filling the first
 * one (each agent starts its tasks one after another; spreading starts them in parallel).
 */
export function assignToOffers(items: readonly Placeable[], offers: readonly Offer[]): { placements: Placement[]; unplaced: string[] } {
  const remaining = offers.map((o) => o.resources);
  const byOffer = new Map<number, Placement>();
  const unplaced: string[] = [];
  let next = 0;
  for (const item of items) {
    let placed = false;
    for (let n = 0; n < offers.length && !placed; n++) {
      const i = (next + n) % offers.length;
      const offer = offers[i];
      const have = remaining[i];
      if (!offer || !have) continue;
      if (!meetsConstraints(item.constraints, { hostname: offer.hostname, attributes: offer.attributes })) continue;
      const got = claim({ scalars: item.ask }, have);
      if (!got) continue;
      remaining[i] = got.remaining;
      let p = byOffer.get(i);
      if (!p) byOffer.set(i, (p = { offer, tasks: [] }));
      p.tasks.push({ key: item.key, resources: got.claim.resources });
      next = (i + 1) % offers.length;
      placed = true;
    }
    if (!placed) unplaced.push(item.key);
  }
  return { placements: [...byOffer.values()], unplaced };
}
