import type { RecordSet } from '../records';

export type WatchedType = 'A' | 'AAAA' | 'SRV' | 'PTR';

/** One record as `/v1/watch` reports it: SRV values are `target:port`. */
export interface RecordChange {
  name: string;
  type: WatchedType;
  value: string;
}

export interface RecordDiff {
  added: RecordChange[];
  removed: RecordChange[];
}

function valuesOf(set: RecordSet | undefined, type: WatchedType): ReadonlyMap<string, readonly string[]> {
  if (!set) return new Map();
  const m = new Map<string, string[]>();
  if (type === 'A' || type === 'AAAA') for (const [k, v] of type === 'A' ? set.a : set.aaaa) m.set(k, v.map((r) => r.text));
  else if (type === 'SRV') for (const [k, v] of set.srv) m.set(k, v.map((s) => `${s.target}:${s.port}`));
  else for (const [k, v] of set.ptr) m.set(k, [...v]);
  return m;
}

const TYPES: readonly WatchedType[] = ['A', 'AAAA', 'SRV', 'PTR'];

/** Every record of `set` (optionally only those owned by `name`, a lowercase FQDN). */
export function allRecords(set: RecordSet | undefined, name?: string): RecordChange[] {
  return diffRecords(undefined, set, name).added;
}

/**
 * The records added and removed between two record sets. Maps whose value array is the same object are
 * skipped cheaply only when the builder reuses it; otherwise values are compared as sets.
 */
export function diffRecords(prev: RecordSet | undefined, next: RecordSet | undefined, name?: string): RecordDiff {
  const added: RecordChange[] = [];
  const removed: RecordChange[] = [];
  for (const type of TYPES) {
    const before = valuesOf(prev, type);
    const after = valuesOf(next, type);
    const owners = name !== undefined ? [name] : new Set([...before.keys(), ...after.keys()]);
    for (const owner of owners) {
      const b = before.get(owner) ?? [];
      const a = after.get(owner) ?? [];
      if (b === a) continue;
      const bs = new Set(b);
      const as = new Set(a);
      for (const v of a) if (!bs.has(v)) added.push({ name: owner, type, value: v });
      for (const v of b) if (!as.has(v)) removed.push({ name: owner, type, value: v });
    }
  }
  return { added, removed };
}
