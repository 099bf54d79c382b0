import type { Resources } from '@agora/model';

/**
 * The resources fairness is computed over. Ports are ranges and do not count (nor do they in Mesos'
 * sorter): a framework holding many ports but little cpu/mem should not be starved for it. Custom
 * scalars are left out too, as if named in Mesos' `--fair_sharing_excluded_resource_names`.
 */
export const SHARE_KINDS = ['cpus', 'mem', 'disk', 'gpus'] as const; // addKinds reads them by name, in this order
export const KIND_COUNT = SHARE_KINDS.length;

/** Sums the share kinds of `list` into a fixed-size vector (index = position in SHARE_KINDS). */
export function kindVector(list: readonly Resources[]): Float64Array {
  const out = new Float64Array(KIND_COUNT);
  for (const r of list) addKinds(out, 0, r);
  return out;
}

/**
 * Adds the share kinds of `r` into `vec[offset … offset+KIND_COUNT)`. Named reads rather than a loop over
 * SHARE_KINDS: this runs for every agent and framework each cycle and keyed reads are several times slower.
 */
export function addKinds(vec: Float64Array, offset: number, r: Resources): void {
  const s = r.scalars;
  const cpus = s['cpus'];
  const mem = s['mem'];
  const disk = s['disk'];
  const gpus = s['gpus'];
  if (cpus !== undefined && cpus > 0) vec[offset] = (vec[offset] as number) + cpus;
  if (mem !== undefined && mem > 0) vec[offset + 1] = (vec[offset + 1] as number) + mem;
  if (disk !== undefined && disk > 0) vec[offset + 2] = (vec[offset + 2] as number) + disk;
  if (gpus !== undefined && gpus > 0) vec[offset + 3] = (vec[offset + 3] as number) + gpus;
}

/** Adds `src[from …]` into `vec[offset …]`. */
export function addVector(vec: Float64Array, offset: number, src: Float64Array, from: number): void {
  for (let k = 0; k < KIND_COUNT; k++) vec[offset + k] = (vec[offset + k] as number) + (src[from + k] as number);
}

/**
 * Dominant share of the allocation at `vec[offset …]` against the cluster `total`: the largest fraction of
 * any one kind it holds. Kinds the cluster has none of do not count.
 */
export function dominantShareOf(vec: Float64Array, offset: number, total: Float64Array): number {
  let max = 0;
  for (let k = 0; k < KIND_COUNT; k++) {
    const t = total[k] as number;
    if (t <= 0) continue;
    const s = (vec[offset + k] as number) / t;
    if (s > max) max = s;
  }
  return max;
}

/** Convenience form for callers outside the hot loop (master views, tests). */
export function dominantShare(allocated: Resources, clusterTotal: Resources): number {
  return dominantShareOf(kindVector([allocated]), 0, kindVector([clusterTotal]));
}
