/**
 * Resources as Mesos models them: named scalars (cpus, mem in MB, disk in MB, gpus …) and port ranges.
 * All arithmetic here is pure; scalars are rounded to 3 decimals (Mesos' fixed-point precision) so that
 * repeated add/subtract of 0.1 cpus never leaves 1e-17 crumbs that look like free resources.
 */
export interface PortRange {
  begin: number;
  end: number;
}

export interface Resources {
  /** cpus, mem, disk and any other scalar resource. */
  scalars: Record<string, number>;
  /** Sorted, non-overlapping, non-adjacent inclusive ranges. */
  ports: PortRange[];
}

export const SCALAR_NAMES = ['cpus', 'mem', 'disk', 'gpus'] as const;

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export function emptyResources(): Resources {
  return { scalars: {}, ports: [] };
}

export function resources(scalars: Record<string, number>, ports: PortRange[] = []): Resources {
  const s: Record<string, number> = {};
  for (const [k, v] of Object.entries(scalars)) if (v !== 0) s[k] = round3(v);
  return { scalars: s, ports: normalizeRanges(ports) };
}

export function normalizeRanges(ranges: readonly PortRange[]): PortRange[] {
  const sorted = ranges.filter((r) => r.end >= r.begin).map((r) => ({ ...r })).sort((a, b) => a.begin - b.begin);
  const out: PortRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.begin <= last.end + 1) last.end = Math.max(last.end, r.end);
    else out.push(r);
  }
  return out;
}

export function rangesSize(ranges: readonly PortRange[]): number {
  let n = 0;
  for (const r of ranges) n += r.end - r.begin + 1;
  return n;
}

export function addRanges(a: readonly PortRange[], b: readonly PortRange[]): PortRange[] {
  return normalizeRanges([...a, ...b]);
}

/** a minus b; parts of b outside a are ignored. */
export function subtractRanges(a: readonly PortRange[], b: readonly PortRange[]): PortRange[] {
  let out = normalizeRanges(a);
  for (const cut of normalizeRanges(b)) {
    const next: PortRange[] = [];
    for (const r of out) {
      if (cut.end < r.begin || cut.begin > r.end) {
        next.push(r);
        continue;
      }
      if (cut.begin > r.begin) next.push({ begin: r.begin, end: cut.begin - 1 });
      if (cut.end < r.end) next.push({ begin: cut.end + 1, end: r.end });
    }
    out = next;
  }
  return out;
}

export function rangesContain(outer: readonly PortRange[], inner: readonly PortRange[]): boolean {
  return subtractRanges(inner, outer).length === 0;
}

export function rangesOverlap(a: readonly PortRange[], b: readonly PortRange[]): boolean {
  return rangesSize(subtractRanges(a, b)) !== rangesSize(a);
}

export function portsToRanges(ports: readonly number[]): PortRange[] {
  return normalizeRanges(ports.map((p) => ({ begin: p, end: p })));
}

export function rangesToPorts(ranges: readonly PortRange[], limit = Infinity): number[] {
  const out: number[] = [];
  for (const r of ranges) for (let p = r.begin; p <= r.end && out.length < limit; p++) out.push(p);
  return out;
}

export function add(a: Resources, b: Resources): Resources {
  const s: Record<string, number> = { ...a.scalars };
  for (const [k, v] of Object.entries(b.scalars)) s[k] = round3((s[k] ?? 0) + v);
  return { scalars: dropZeros(s), ports: addRanges(a.ports, b.ports) };
}

/** a minus b, never below zero. */
export function subtract(a: Resources, b: Resources): Resources {
  const s: Record<string, number> = { ...a.scalars };
  for (const [k, v] of Object.entries(b.scalars)) s[k] = Math.max(0, round3((s[k] ?? 0) - v));
  return { scalars: dropZeros(s), ports: subtractRanges(a.ports, b.ports) };
}

/** Does `have` contain all of `want`? */
export function contains(have: Resources, want: Resources): boolean {
  for (const [k, v] of Object.entries(want.scalars)) if (round3(have.scalars[k] ?? 0) < round3(v)) return false;
  return rangesContain(have.ports, want.ports);
}

export function isEmpty(r: Resources): boolean {
  return Object.values(r.scalars).every((v) => v <= 0) && r.ports.length === 0;
}

export function sumResources(list: readonly Resources[]): Resources {
  let acc = emptyResources();
  for (const r of list) acc = add(acc, r);
  return acc;
}

function dropZeros(s: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(s)) if (v > 0) out[k] = v;
  return out;
}

/**
 * Parses the Mesos `--resources` flag form: `cpus:4;mem:8192;disk:10000;ports:[31000-32000,33000-33010]`.
 * Returns an error string instead of throwing so callers can report flag errors their own way.
 */
export function parseResourceFlag(text: string): Resources | string {
  const scalars: Record<string, number> = {};
  let ports: PortRange[] = [];
  for (const part of text.split(';').map((p) => p.trim()).filter(Boolean)) {
    const idx = part.indexOf(':');
    if (idx <= 0) return `resource "${part}" is not name:value`;
    const name = part.slice(0, idx).trim();
    const value = part.slice(idx + 1).trim();
    if (value.startsWith('[')) {
      const m = /^\[(.*)\]$/.exec(value);
      if (!m) return `resource "${name}" has an unterminated range list`;
      const list: PortRange[] = [];
      for (const item of (m[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
        const r = /^(\d+)-(\d+)$/.exec(item);
        if (!r) return `range "${item}" of "${name}" is not begin-end`;
        const begin = Number(r[1]);
        const end = Number(r[2]);
        if (end < begin || end > 65535) return `range "${item}" of "${name}" is invalid`;
        list.push({ begin, end });
      }
      if (name !== 'ports') return `only "ports" may be a range resource, not "${name}"`;
      ports = normalizeRanges(list);
    } else {
      const v = Number(value);
      if (!Number.isFinite(v) || v < 0) return `resource "${name}" must be a non-negative number, got "${value}"`;
      scalars[name] = round3(v);
    }
  }
  return { scalars, ports };
}

export function formatResources(r: Resources): string {
  const parts = Object.entries(r.scalars).map(([k, v]) => `${k}:${v}`);
  if (r.ports.length) parts.push(`ports:[${r.ports.map((p) => `${p.begin}-${p.end}`).join(',')}]`);
  return parts.join(';');
}
