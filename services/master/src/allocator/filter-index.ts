import type { AllocatorFramework } from './types';

/**
 * The live DECLINE filters of one cycle, indexed by the position at which each agent is visited.
 *
 * Frameworks filtered on at most half of the agents ("dense") stay in the share heaps; at each agent
 * the few filtered there are skipped (popped and pushed back). Frameworks filtered on more than half
 * ("sparse", typically idle frameworks that decline everything) would sit at the top of the heap with a
 * low share and be skipped at almost every agent, turning the cycle into agents × frameworks. They stay
 * out of the heaps instead and are put in only at the agents where they are not filtered.
 */
export interface FilterIndex {
  /** position → dense frameworks filtered there. */
  filteredAt: (number[] | undefined)[];
  /** per framework: how many of its filtered positions are still ahead (dense frameworks only). */
  filteredLeft: Int32Array;
  /** position → sparse frameworks NOT filtered there. */
  eligibleAt: (number[] | undefined)[];
  /** per framework: 1 when sparse (kept out of the heaps). */
  sparse: Uint8Array;
}

/**
 * @param eligible the frameworks that may get offers at all (active, not suppressed)
 * @param visitOrder the agents visited this cycle, in visiting order
 */
export function indexFilters(
  frameworks: readonly AllocatorFramework[],
  eligible: readonly number[],
  visitOrder: readonly { id: string }[],
  now: number,
): FilterIndex {
  const n = visitOrder.length;
  const filteredAt = new Array<number[] | undefined>(n);
  const eligibleAt = new Array<number[] | undefined>(n);
  const filteredLeft = new Int32Array(frameworks.length);
  const sparse = new Uint8Array(frameworks.length);
  const marked = new Uint8Array(n);
  const hits: number[] = [];
  let position: Map<string, number> | undefined;
  for (const f of eligible) {
    const fw = frameworks[f] as AllocatorFramework;
    if (fw.filters.size === 0) continue;
    // Built only when some framework has filters: most cycles of a busy cluster have none.
    position ??= new Map(visitOrder.map((a, i) => [a.id, i]));
    hits.length = 0;
    for (const [agentId, until] of fw.filters) {
      if (!(now < until)) continue;
      const i = position.get(agentId);
      if (i !== undefined) hits.push(i);
    }
    if (hits.length * 2 <= n) {
      filteredLeft[f] = hits.length;
      for (const i of hits) push(filteredAt, i, f);
      continue;
    }
    sparse[f] = 1;
    for (const i of hits) marked[i] = 1;
    for (let i = 0; i < n; i++) if (!marked[i]) push(eligibleAt, i, f);
    for (const i of hits) marked[i] = 0;
  }
  return { filteredAt, filteredLeft, eligibleAt, sparse };
}

function push(lists: (number[] | undefined)[], i: number, f: number): void {
  const list = lists[i];
  if (list) list.push(f);
  else lists[i] = [f];
}
