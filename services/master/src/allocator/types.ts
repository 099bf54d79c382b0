import type { Attributes, Resources } from '@agora/model';

/**
 * What the allocator sees of the cluster at one instant. Built by the master from its in-memory state;
 * the allocator itself does no I/O and keeps no state between calls.
 */
export interface AllocatorAgent {
  id: string;
  hostname: string;
  /** Everything the agent has. */
  total: Resources;
  /** total − used by tasks − currently offered. Only this may be offered. */
  available: Resources;
  /** false while unreachable / deactivated: nothing is offered from it. */
  active: boolean;
  attributes: Attributes;
}

export interface AllocatorFramework {
  id: string;
  role: string;
  /** false while disconnected: it gets no offers. */
  active: boolean;
  /** SUPPRESS: the framework wants no offers until it REVIVEs. */
  suppressed: boolean;
  /** Resources it holds now (used by its tasks + outstanding offers): its DRF share. */
  allocated: Resources;
  /** DECLINE filters: agentId → epoch ms until which this agent's resources are not offered to it. */
  filters: ReadonlyMap<string, number>;
}

export interface AllocationSnapshot {
  agents: readonly AllocatorAgent[];
  frameworks: readonly AllocatorFramework[];
  /** Role weights (default 1). A role with weight 2 converges to twice the share of a weight-1 role. */
  weights: Readonly<Record<string, number>>;
  /**
   * An agent's leftover is offered only if it holds at least one of these (Mesos
   * `--min_allocatable_resources`, default cpus:0.01 | mem:32).
   */
  minAllocatable: readonly Resources[];
}

/** One offer to make: all of `resources` from `agentId` go to `frameworkId`. */
export interface OfferDecision {
  frameworkId: string;
  agentId: string;
  resources: Resources;
}
