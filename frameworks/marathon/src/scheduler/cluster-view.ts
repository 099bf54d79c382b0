import { GetState, type ClusterState } from '@agora/contracts';
import { subtract } from '@agora/model';
import type { Bus } from '@agora/nats';
import type { AgentCapacity, ConstraintContext } from '../core';

/** How long one snapshot of the master's state serves explanations (they are for people, not for placing). */
const TTL_MS = 1000;

/**
 * The cluster as the master sees it (GetState over NATS), cached briefly: the agents and their free
 * resources, for "why is this app not placed" and for GROUP_BY's count of distinct attribute values.
 */
export class ClusterView {
  private cached: { at: number; state: ClusterState } | undefined;
  private inflight: Promise<ClusterState | undefined> | undefined;

  constructor(private readonly bus: Bus) {}

  async state(now = Date.now()): Promise<ClusterState | undefined> {
    if (this.cached && now - this.cached.at < TTL_MS) return this.cached.state;
    this.inflight ??= this.bus
      .request(GetState, [], {}, { timeoutMs: 3000 })
      .then((state) => {
        this.cached = { at: Date.now(), state };
        return state;
      })
      .catch(() => this.cached?.state)
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }

  /** The last snapshot, without asking (may be stale or absent). */
  last(): ClusterState | undefined {
    return this.cached?.state;
  }

  async capacities(): Promise<AgentCapacity[]> {
    const s = await this.state();
    return s ? capacitiesOf(s) : [];
  }
}

/** Free resources of every registered agent: its total minus what tasks use. */
export function capacitiesOf(s: ClusterState): AgentCapacity[] {
  return s.agents
    .filter((a) => a.active && a.status === 'REGISTERED')
    .map((a) => ({ agentId: a.id, hostname: a.hostname, attributes: a.attributes, available: subtract(a.resources, a.usedResources), role: '*' }));
}

/** GROUP_BY without a value spreads over as many values as the cluster's agents have. */
export function constraintContext(agents: readonly { hostname: string; attributes: Record<string, string> }[]): ConstraintContext {
  return {
    valuesInCluster: (field) => {
      if (agents.length === 0) return undefined;
      const values = new Set<string>();
      for (const a of agents) {
        const v = field === 'hostname' || field === '@hostname' ? a.hostname : a.attributes[field];
        if (v !== undefined) values.add(v);
      }
      return values.size || undefined;
    },
  };
}
