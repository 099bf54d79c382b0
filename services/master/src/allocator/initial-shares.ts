import { KIND_COUNT, addKinds, dominantShareOf } from './shares';
import type { AllocationSnapshot, AllocatorFramework } from './types';

/**
 * The DRF bookkeeping one cycle starts from, in flat typed arrays indexed by framework (f) and role (r)
 * number: allocations per share kind (`…Alloc[i * KIND_COUNT + k]`), dominant shares (role shares
 * already divided by the role's weight) and a random tie-breaker per framework and role.
 */
export interface Shares {
  /** Cluster total per share kind. */
  total: Float64Array;
  roleCount: number;
  roleNames: string[];
  fwRole: Int32Array;
  fwAlloc: Float64Array;
  roleAlloc: Float64Array;
  roleWeight: Float64Array;
  fwShare: Float64Array;
  fwTie: Float64Array;
  roleShare: Float64Array;
  roleTie: Float64Array;
}

/** Draws from `random` once per role (in order of first appearance), then once per framework. */
export function initialShares(snapshot: AllocationSnapshot, random: () => number): Shares {
  const { agents, frameworks } = snapshot;
  // Shares are relative to everything the cluster owns, including agents that are inactive right now:
  // their tasks still hold allocations, and a blip in one agent should not reshuffle everybody's share.
  const total = new Float64Array(KIND_COUNT);
  for (const a of agents) addKinds(total, 0, a.total);

  // Roles get dense indices; every framework's allocation counts towards its role, eligible or not.
  const roleIndex = new Map<string, number>();
  const roleNames: string[] = [];
  const fwRole = new Int32Array(frameworks.length);
  const fwAlloc = new Float64Array(frameworks.length * KIND_COUNT);
  for (let f = 0; f < frameworks.length; f++) {
    const fw = frameworks[f] as AllocatorFramework;
    let r = roleIndex.get(fw.role);
    if (r === undefined) {
      r = roleNames.length;
      roleIndex.set(fw.role, r);
      roleNames.push(fw.role);
    }
    fwRole[f] = r;
    addKinds(fwAlloc, f * KIND_COUNT, fw.allocated);
  }
  const roleCount = roleNames.length;
  const roleAlloc = new Float64Array(roleCount * KIND_COUNT);
  for (let f = 0; f < frameworks.length; f++) {
    const ro = (fwRole[f] as number) * KIND_COUNT;
    const fo = f * KIND_COUNT;
    for (let k = 0; k < KIND_COUNT; k++) roleAlloc[ro + k] = (roleAlloc[ro + k] as number) + (fwAlloc[fo + k] as number);
  }
  const roleWeight = new Float64Array(roleCount);
  for (let r = 0; r < roleCount; r++) roleWeight[r] = weightOf(snapshot.weights, roleNames[r] as string);

  const fwShare = new Float64Array(frameworks.length);
  const fwTie = new Float64Array(frameworks.length);
  const roleShare = new Float64Array(roleCount);
  const roleTie = new Float64Array(roleCount);
  for (let r = 0; r < roleCount; r++) {
    roleShare[r] = dominantShareOf(roleAlloc, r * KIND_COUNT, total) / (roleWeight[r] as number);
    roleTie[r] = random();
  }
  for (let f = 0; f < frameworks.length; f++) {
    fwShare[f] = dominantShareOf(fwAlloc, f * KIND_COUNT, total);
    fwTie[f] = random();
  }

  return { total, roleCount, roleNames, fwRole, fwAlloc, roleAlloc, roleWeight, fwShare, fwTie, roleShare, roleTie };
}

/** Non-positive or missing weights mean the default 1 rather than an infinite or negative share. */
function weightOf(weights: Readonly<Record<string, number>>, role: string): number {
  const w = Object.prototype.hasOwnProperty.call(weights, role) ? weights[role] : undefined;
  return w !== undefined && Number.isFinite(w) && w > 0 ? w : 1;
}
