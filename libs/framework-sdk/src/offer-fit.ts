import {
  PortRange,
  Resources,
  contains,
  formatResources,
  normalizeRanges,
  portsToRanges,
  rangesSize,
  resources,
  round3,
  subtract,
} from '@agora/model';

/**
 * What one task asks of an offer. Scalars by name (`cpus`, `mem` in MB, `disk` in MB, `gpus` …);
 * ports either as a count of "any free port" (`portCount`) or as exact host ports (`ports`), the two
 * ways Marathon's port definitions ask (hostPort 0 vs. a fixed hostPort).
 */
export interface ResourceAsk {
  scalars: Record<string, number>;
  /** How many ports of any number the task needs. */
  portCount?: number;
  /** Exact host ports the task needs. */
  ports?: readonly number[];
}

/** What a task gets out of an offer: the resources to put in its TaskInfo, and the ports chosen. */
export interface Claim {
  resources: Resources;
  /** Every port claimed: the exact ones first, then the ones picked for `portCount`. */
  ports: number[];
}

/**
 * Takes `count` ports out of `ranges`. Without `random` the lowest free ports are taken (deterministic,
 * good for tests); with it, the pick starts at a random position so tasks on the same agent do not all
 * fight over the first port. Returns undefined when there are not enough ports.
 */
export function takePorts(ranges: readonly PortRange[], count: number, random?: () => number): number[] | undefined {
  if (count <= 0) return [];
  const norm = normalizeRanges(ranges);
  const size = rangesSize(norm);
  if (size < count) return undefined;
  const start = random ? Math.min(size - 1, Math.floor(random() * size)) : 0;
  // Walk the set of free ports from `start`, wrapping around: `count` distinct ports, no big arrays.
  const out: number[] = [];
  let index = start;
  while (out.length < count) {
    out.push(portAt(norm, index % size));
    index++;
  }
  return out;
}

/** The n-th port (0-based) of normalized ranges. */
function portAt(ranges: readonly PortRange[], n: number): number {
  let left = n;
  for (const r of ranges) {
    const len = r.end - r.begin + 1;
    if (left < len) return r.begin + left;
    left -= len;
  }
  throw new RangeError(`port index ${n} is outside the ranges`);
}

/** Why `ask` does not fit `available`, or undefined when it fits. Messages name the short resource. */
export function whyNotFits(ask: ResourceAsk, available: Resources): string | undefined {
  for (const [name, want] of Object.entries(ask.scalars)) {
    if (want <= 0) continue;
    const have = available.scalars[name] ?? 0;
    if (round3(have) < round3(want)) return `${name}: asked ${round3(want)}, offered ${round3(have)}`;
  }
  const exact = ask.ports ?? [];
  const missing = exact.filter((p) => !hasPort(available.ports, p));
  if (missing.length) return `ports ${missing.join(',')} are not offered`;
  const freeAfterExact = rangesSize(available.ports) - new Set(exact).size;
  const count = ask.portCount ?? 0;
  if (count > freeAfterExact) return `ports: asked ${count} more, offered ${Math.max(0, freeAfterExact)}`;
  return undefined;
}

export function fits(ask: ResourceAsk, available: Resources): boolean {
  return whyNotFits(ask, available) === undefined;
}

/**
 * Claims `ask` out of `available`: the task's resources (with concrete ports) and what remains of the
 * offer for the next task. This is how several tasks are packed into one offer: feed `remaining` back in.
 */
export function claim(
  ask: ResourceAsk,
  available: Resources,
  random?: () => number,
): { claim: Claim; remaining: Resources } | undefined {
  if (!fits(ask, available)) return undefined;
  const exact = [...new Set(ask.ports ?? [])];
  const afterExact = subtract(available, { scalars: {}, ports: portsToRanges(exact) });
  const picked = takePorts(afterExact.ports, ask.portCount ?? 0, random);
  if (!picked) return undefined;
  const ports = [...exact, ...picked];
  const taken = resources(positiveScalars(ask.scalars), portsToRanges(ports));
  if (!contains(available, taken)) return undefined;
  return { claim: { resources: taken, ports }, remaining: subtract(available, taken) };
}

/**
 * First-fit packing of several asks into one offer's resources, in order. Asks that do not fit are
 * reported by index so the caller can try them on another offer.
 */
export function pack(
  asks: readonly ResourceAsk[],
  available: Resources,
  random?: () => number,
): { placed: { index: number; claim: Claim }[]; unplaced: number[]; remaining: Resources } {
  let remaining = available;
  const placed: { index: number; claim: Claim }[] = [];
  const unplaced: number[] = [];
  asks.forEach((ask, index) => {
    const got = claim(ask, remaining, random);
    if (!got) {
      unplaced.push(index);
      return;
    }
    placed.push({ index, claim: got.claim });
    remaining = got.remaining;
  });
  return { placed, unplaced, remaining };
}

/** The offer (of several) with the most of `scalar` (then mem, then cpus): what a "no fit" message shows. */
export function largest<T extends { resources: Resources }>(offers: readonly T[], scalar = 'cpus'): T | undefined {
  let best: T | undefined;
  const key = (r: Resources) => [r.scalars[scalar] ?? 0, r.scalars.mem ?? 0, r.scalars.cpus ?? 0];
  for (const o of offers) {
    if (!best) {
      best = o;
      continue;
    }
    const a = key(o.resources);
    const b = key(best.resources);
    for (let i = 0; i < a.length; i++) {
      if ((a[i] ?? 0) === (b[i] ?? 0)) continue;
      if ((a[i] ?? 0) > (b[i] ?? 0)) best = o;
      break;
    }
  }
  return best;
}

/** `cpus:0.1;mem:32;ports:2` — an ask in the `--resources` flag's form, for messages. */
export function formatAsk(ask: ResourceAsk): string {
  const parts = [formatResources(resources(positiveScalars(ask.scalars)))].filter(Boolean);
  if (ask.ports?.length) parts.push(`ports:[${ask.ports.join(',')}]`);
  if (ask.portCount) parts.push(`ports:${ask.portCount} any`);
  return parts.join(';') || '(nothing)';
}

function positiveScalars(s: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(s)) if (v > 0) out[k] = v;
  return out;
}

function hasPort(ranges: readonly PortRange[], port: number): boolean {
  return ranges.some((r) => r.begin <= port && port <= r.end);
}
