import type { Resources } from '@agora/model';
import type { Offer } from '@agora/contracts';
import type { AppDefinition, Constraint } from './app-definition';
import { formatConstraint, type ConstraintContext, type Placement } from './constraints';
import { fitProblems, REJECT_REASONS, taskNeeds, type RejectReason, type Rejection } from './offer-fit';

/**
 * "Why is my app not placed?" — Marathon's most reported pain (a deployment waits forever and nobody
 * can tell why). Given the agents' free resources (or the offers seen recently), explains per resource
 * and per constraint what keeps the next task of the app off each agent, e.g.
 * `needs mem 512, largest offer 256; UNIQUE hostname excludes 2 of 3 agents`.
 */

export interface AgentCapacity {
  agentId?: string;
  hostname: string;
  attributes: Record<string, string>;
  /** Free (or offered) resources on the agent. */
  available: Resources;
  /** Role the resources are offered to; `*` when unreserved. */
  role?: string;
  region?: string;
  zone?: string;
}

export interface ResourceShortage {
  resource: 'cpus' | 'mem' | 'disk' | 'gpus' | 'ports';
  needed: number;
  largestAvailable: number;
  /** Agents that lack this resource. */
  excludes: number;
}

export interface ConstraintExclusion {
  constraint: Constraint;
  text: string;
  excludes: number;
}

export interface Explanation {
  placeable: boolean;
  agents: number;
  /** Agents where one more task fits right now. */
  fitting: number;
  resources: ResourceShortage[];
  constraints: ConstraintExclusion[];
  /** Agents excluded by acceptedResourceRoles. */
  roleExcludes: number;
  /** Count of agents per reason, in Marathon's reason order (the queue's processedOffersSummary). */
  byReason: { reason: RejectReason; agents: number }[];
  perAgent: { hostname: string; agentId?: string; reasons: Rejection[] }[];
  summary: string;
}

/** Offers grouped per agent (an agent may have several outstanding offers). */
export function capacitiesFromOffers(offers: readonly Offer[]): AgentCapacity[] {
  const byAgent = new Map<string, AgentCapacity>();
  for (const o of offers) {
    const cur = byAgent.get(o.agentId);
    if (!cur) {
      byAgent.set(o.agentId, { agentId: o.agentId, hostname: o.hostname, attributes: o.attributes, available: o.resources, role: o.allocationRole });
      continue;
    }
    const scalars = { ...cur.available.scalars };
    for (const [k, v] of Object.entries(o.resources.scalars)) scalars[k] = (scalars[k] ?? 0) + v;
    cur.available = { scalars, ports: [...cur.available.ports, ...o.resources.ports].sort((a, b) => a.begin - b.begin) };
  }
  return [...byAgent.values()];
}

export function explainUnplaceable(app: AppDefinition, agents: readonly AgentCapacity[], placed: readonly Placement[], ctx: ConstraintContext = {}): Explanation {
  const perAgent = agents.map((a) => {
    const candidate: Placement = { hostname: a.hostname, attributes: a.attributes, region: a.region, zone: a.zone };
    return { hostname: a.hostname, agentId: a.agentId, reasons: fitProblems({ app, available: a.available, role: a.role ?? '*', candidate, placed, ctx }) };
  });
  const fitting = perAgent.filter((p) => p.reasons.length === 0).length;
  const needs = taskNeeds(app);

  const resources: ResourceShortage[] = [];
  for (const resource of ['cpus', 'mem', 'disk', 'gpus'] as const) {
    const excludes = perAgent.filter((p) => p.reasons.some((r) => r.resource === resource)).length;
    if (excludes === 0) continue;
    const largestAvailable = Math.max(0, ...agents.map((a) => a.available.scalars[resource] ?? 0));
    resources.push({ resource, needed: needs.scalars[resource], largestAvailable, excludes });
  }
  const portExcludes = perAgent.filter((p) => p.reasons.some((r) => r.resource === 'ports')).length;
  if (portExcludes > 0) {
    const freePorts = agents.map((a) => a.available.ports.reduce((n, r) => n + r.end - r.begin + 1, 0));
    resources.push({ resource: 'ports', needed: needs.fixedPorts.length + needs.dynamicPorts, largestAvailable: Math.max(0, ...freePorts), excludes: portExcludes });
  }

  const constraints: ConstraintExclusion[] = app.constraints
    .map((c) => ({
      constraint: c,
      text: formatConstraint(c),
      excludes: perAgent.filter((p) => p.reasons.some((r) => r.constraint === c)).length,
    }))
    .filter((c) => c.excludes > 0);
  const roleExcludes = perAgent.filter((p) => p.reasons.some((r) => r.reason === 'UnfulfilledRole')).length;
  const byReason = REJECT_REASONS.map((reason) => ({ reason, agents: perAgent.filter((p) => p.reasons.some((r) => r.reason === reason)).length }));

  return {
    placeable: fitting > 0,
    agents: agents.length,
    fitting,
    resources,
    constraints,
    roleExcludes,
    byReason,
    perAgent,
    summary: summarize(app, agents.length, fitting, resources, constraints, roleExcludes, needs.fixedPorts),
  };
}

function summarize(
  app: AppDefinition,
  total: number,
  fitting: number,
  resources: ResourceShortage[],
  constraints: ConstraintExclusion[],
  roleExcludes: number,
  fixedPorts: number[],
): string {
  if (total === 0) return 'no agent has offered resources';
  const parts: string[] = [];
  if (roleExcludes > 0) parts.push(`acceptedResourceRoles [${app.acceptedResourceRoles?.join(', ') ?? ''}] excludes ${roleExcludes} of ${total} agents`);
  for (const r of resources) {
    const what = r.resource === 'ports' ? (fixedPorts.length > 0 ? `ports ${fixedPorts.join(',')}` : `${r.needed} ports`) : `${r.resource} ${r.needed}`;
    const largest = r.resource === 'ports' ? `${r.largestAvailable} free ports at most` : `largest offer ${r.largestAvailable}`;
    parts.push(r.excludes === total ? `needs ${what}, ${largest}` : `needs ${what}, ${r.excludes} of ${total} agents short`);
  }
  for (const c of constraints) parts.push(`${c.text} excludes ${c.excludes} of ${total} agents`);
  if (fitting > 0) parts.unshift(`fits on ${fitting} of ${total} agents`);
  else {
    const oneExcludesAll = roleExcludes === total || resources.some((r) => r.excludes === total) || constraints.some((c) => c.excludes === total);
    // Each check leaves some agents, but none survives all of them together.
    if (!oneExcludesAll) parts.push('no agent passes every check');
  }
  return parts.join('; ');
}
