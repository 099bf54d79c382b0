import { add, resources, subtract } from '@agora/model';
import type { Resources } from '@agora/model';
import type { AllocationSnapshot, AllocatorAgent, AllocatorFramework } from '../allocator/types';
import type { AgentEntry, FrameworkEntry } from '../registry/types';

/** Mesos' default `--min_allocatable_resources=cpus:0.01|mem:32`. */
export const MIN_ALLOCATABLE: readonly Resources[] = [resources({ cpus: 0.01 }), resources({ mem: 32 })];

/**
 * The allocator's view of the cluster at `now`: per agent, what is free (total − used − offered); per
 * framework, what it holds and which DECLINE filters are still running. Pure: reads, never mutates.
 */
export function buildSnapshot(
  agents: Iterable<AgentEntry>,
  frameworks: Iterable<FrameworkEntry>,
  weights: Readonly<Record<string, number>>,
  now: number,
): AllocationSnapshot {
  const outAgents: AllocatorAgent[] = [];
  for (const a of agents) {
    outAgents.push({
      id: a.info.id,
      hostname: a.info.hostname,
      total: a.info.resources,
      available: subtract(subtract(a.info.resources, a.used), a.offered),
      active: a.active && a.status === 'REGISTERED',
      attributes: a.info.attributes,
    });
  }
  const outFrameworks: AllocatorFramework[] = [];
  for (const f of frameworks) {
    const filters = new Map<string, number>();
    for (const [agentId, until] of f.filters) if (until > now) filters.set(agentId, until);
    outFrameworks.push({
      id: f.id,
      role: f.info.role,
      active: f.active && f.connected,
      suppressed: f.suppressed,
      allocated: add(f.used, f.offered),
      filters,
    });
  }
  return { agents: outAgents, frameworks: outFrameworks, weights, minAllocatable: MIN_ALLOCATABLE };
}
