import { indexFilters } from './filter-index';
import { ShareHeap } from './share-heap';
import { allocatableTest } from './min-allocatable';
import { initialShares } from './initial-shares';
import { KIND_COUNT, addKinds, addVector, dominantShareOf } from './shares';
import type { AllocationSnapshot, AllocatorAgent, AllocatorFramework, OfferDecision } from './types';

/**
 * One allocation cycle of hierarchical DRF (role level, then framework level within the role).
 *
 * Every active agent whose available resources pass `minAllocatable` is offered whole to one framework:
 * the eligible framework (active, not suppressed, not filtered for that agent at `now`) with the lowest
 * dominant share inside the eligible role with the lowest weighted dominant share. Each offer counts as
 * allocated at once, so shares converge within the cycle rather than over many cycles.
 *
 * Cost: O(A · (log R + log F) + live filters) for A agents, R roles, F frameworks. A framework filtered
 * for the agent at hand is popped and pushed back, so a filter costs only when its framework sits above
 * the first eligible one; a framework filtered on most agents joins the heap only at the agents where it
 * is not filtered (see filter-index.ts), so idle frameworks that decline everything cost next to nothing.
 * An offer's `resources` is the agent's `available` object itself, not a copy: Resources are values
 * (the model's arithmetic always returns new ones), and copying 10,000 of them was a sixth of a cycle.
 * `random` shuffles the agents and breaks ties between equal shares, so a seeded `random` gives a
 * deterministic result.
 */
export function allocate(snapshot: AllocationSnapshot, now: number, random: () => number = Math.random): OfferDecision[] {
  const { agents, frameworks } = snapshot;
  const { total, roleCount, fwRole, fwAlloc, roleAlloc, roleWeight, fwShare, fwTie, roleShare, roleTie } = initialShares(snapshot, random);

  const worthOffering = allocatableTest(snapshot.minAllocatable);
  const candidates = agents.filter((a) => a.active && worthOffering(a.available));
  shuffle(candidates, random);
  const n = candidates.length;
  const offers: OfferDecision[] = [];
  if (n === 0) return offers;
  const offered = new Float64Array(n * KIND_COUNT);
  for (let i = 0; i < n; i++) addKinds(offered, i * KIND_COUNT, (candidates[i] as AllocatorAgent).available);

  const eligible: number[] = [];
  for (let f = 0; f < frameworks.length; f++) {
    const fw = frameworks[f] as AllocatorFramework;
    if (fw.active && !fw.suppressed) eligible.push(f);
  }
  const { filteredAt, filteredLeft, eligibleAt, sparse } = indexFilters(frameworks, eligible, candidates, now);

  // Dense frameworks live in their role's heap all cycle; sparse ones visit it at their agents only.
  const fwPos = new Int32Array(frameworks.length).fill(-1);
  const rolePos = new Int32Array(roleCount).fill(-1);
  const roleHeaps: ShareHeap[] = [];
  for (let r = 0; r < roleCount; r++) roleHeaps.push(new ShareHeap(fwShare, fwTie, fwPos));
  const roleHeap = new ShareHeap(roleShare, roleTie, rolePos);
  const enter = (f: number): void => {
    const r = fwRole[f] as number;
    (roleHeaps[r] as ShareHeap).push(f);
    if (!roleHeap.has(r)) roleHeap.push(r);
  };
  for (const f of eligible) if (!sparse[f]) enter(f);

  const stamp = new Int32Array(frameworks.length).fill(-1);
  const skippedRoles: number[] = [];
  const skippedFws: number[] = [];
  for (let i = 0; i < n; i++) {
    const agent = candidates[i] as AllocatorAgent;
    const marks = filteredAt[i];
    if (marks) for (const f of marks) stamp[f] = i;
    const visitors = eligibleAt[i];
    if (visitors) for (const f of visitors) enter(f);
    const remaining = n - i;
    let chosen = -1;
    while (roleHeap.size > 0) {
      const r = roleHeap.pop();
      const heap = roleHeaps[r] as ShareHeap;
      while (heap.size > 0) {
        const f = heap.pop();
        if (stamp[f] !== i) {
          chosen = f;
          break;
        }
        // Filtered here; keep it only if some agent still to visit is not filtered for it.
        if ((filteredLeft[f] as number) < remaining) skippedFws.push(f);
      }
      for (const f of skippedFws) heap.push(f);
      skippedFws.length = 0;
      if (chosen < 0) {
        if (heap.size > 0) skippedRoles.push(r);
        continue;
      }
      // The offer counts as allocated right away; re-queue both with their grown shares.
      const fo = chosen * KIND_COUNT;
      const ro = r * KIND_COUNT;
      addVector(fwAlloc, fo, offered, i * KIND_COUNT);
      addVector(roleAlloc, ro, offered, i * KIND_COUNT);
      fwShare[chosen] = dominantShareOf(fwAlloc, fo, total);
      roleShare[r] = dominantShareOf(roleAlloc, ro, total) / (roleWeight[r] as number);
      heap.push(chosen);
      roleHeap.push(r);
      break;
    }
    for (const r of skippedRoles) roleHeap.push(r);
    skippedRoles.length = 0;
    if (visitors) {
      for (const f of visitors) {
        const r = fwRole[f] as number;
        const heap = roleHeaps[r] as ShareHeap;
        heap.remove(f);
        if (heap.size === 0 && roleHeap.has(r)) roleHeap.remove(r);
      }
    }
    if (marks) for (const f of marks) filteredLeft[f] = (filteredLeft[f] as number) - 1;
    if (chosen >= 0) {
      offers.push({ frameworkId: (frameworks[chosen] as AllocatorFramework).id, agentId: agent.id, resources: agent.available });
    }
  }
  return offers;
}

/** Fisher–Yates, driven by the caller's `random` so a seeded generator reproduces the order. */
function shuffle<T>(list: T[], random: () => number): void {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = list[i] as T;
    list[i] = list[j] as T;
    list[j] = tmp;
  }
}
