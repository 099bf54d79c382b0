import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { add, contains, emptyResources, rangesContain, resources, type PortRange, type Resources } from '@agora/model';
import { allocate } from './allocate';
import { dominantShare } from './shares';
import type { AllocationSnapshot, AllocatorAgent, AllocatorFramework, OfferDecision } from './types';

/** mulberry32: seeded so every case is reproducible. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DEFAULT_MIN = [resources({ cpus: 0.01 }), resources({ mem: 32 })];
const NOW = 1_000_000;

function agent(id: string, scalars: Record<string, number>, opts: { ports?: PortRange[]; active?: boolean; available?: Resources } = {}): AllocatorAgent {
  const total = resources(scalars, opts.ports ?? []);
  return { id, hostname: `${id}.example`, total, available: opts.available ?? total, active: opts.active ?? true, attributes: {} };
}

function framework(
  id: string,
  opts: { role?: string; active?: boolean; suppressed?: boolean; allocated?: Resources; filters?: Map<string, number> } = {},
): AllocatorFramework {
  return {
    id,
    role: opts.role ?? '*',
    active: opts.active ?? true,
    suppressed: opts.suppressed ?? false,
    allocated: opts.allocated ?? emptyResources(),
    filters: opts.filters ?? new Map(),
  };
}

function snapshot(agents: AllocatorAgent[], frameworks: AllocatorFramework[], extra: Partial<AllocationSnapshot> = {}): AllocationSnapshot {
  return { agents, frameworks, weights: {}, minAllocatable: DEFAULT_MIN, ...extra };
}

function identicalAgents(n: number, prefix = 'a'): AllocatorAgent[] {
  return Array.from({ length: n }, (_, i) => agent(`${prefix}${i}`, { cpus: 4, mem: 4096 }));
}

function countBy(offers: readonly OfferDecision[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const o of offers) out.set(o.frameworkId, (out.get(o.frameworkId) ?? 0) + 1);
  return out;
}

describe('allocate: basic cases', () => {
  test('a single framework is offered every agent, whole', () => {
    const agents = [agent('a1', { cpus: 4, mem: 1024 }), agent('a2', { cpus: 8, mem: 2048, disk: 100 }), agent('a3', { cpus: 1, mem: 64 })];
    const offers = allocate(snapshot(agents, [framework('f1')]), NOW, seeded(1));
    assert.equal(offers.length, 3);
    for (const o of offers) {
      assert.equal(o.frameworkId, 'f1');
      const a = agents.find((x) => x.id === o.agentId);
      assert.ok(a);
      assert.deepEqual(o.resources, a.available);
    }
    assert.deepEqual(new Set(offers.map((o) => o.agentId)), new Set(['a1', 'a2', 'a3']));
  });

  test('two frameworks split identical agents evenly', () => {
    for (let seed = 0; seed < 20; seed++) {
      const offers = allocate(snapshot(identicalAgents(10), [framework('f1'), framework('f2')]), NOW, seeded(seed));
      assert.equal(countBy(offers).get('f1'), 5);
      assert.equal(countBy(offers).get('f2'), 5);
    }
  });

  test('a framework already holding more gets less', () => {
    const held = resources({ cpus: 24, mem: 24 * 1024 });
    const offers = allocate(snapshot(identicalAgents(8), [framework('big', { allocated: held }), framework('small')]), NOW, seeded(3));
    // small needs 6 agents (24 cpus) to catch up, then the last 2 alternate.
    assert.equal(countBy(offers).get('small'), 7);
    assert.equal(countBy(offers).get('big'), 1);
  });

  test('role weights 2:1 converge to 2:1 dominant shares', () => {
    const agents = identicalAgents(30);
    const fws = [framework('g1', { role: 'gold' }), framework('g2', { role: 'gold' }), framework('s1', { role: 'silver' })];
    const offers = allocate(snapshot(agents, fws, { weights: { gold: 2, silver: 1 } }), NOW, seeded(9));
    const byRole = { gold: 0, silver: 0 };
    for (const o of offers) byRole[o.frameworkId.startsWith('g') ? 'gold' : 'silver']++;
    assert.deepEqual(byRole, { gold: 20, silver: 10 });
    // Inside gold, its two frameworks split evenly.
    assert.equal(countBy(offers).get('g1'), 10);
    assert.equal(countBy(offers).get('g2'), 10);
  });

  test('a missing or non-positive weight counts as 1', () => {
    const fws = [framework('x', { role: 'x' }), framework('y', { role: 'y' })];
    const offers = allocate(snapshot(identicalAgents(10), fws, { weights: { x: 0 } }), NOW, seeded(4));
    assert.equal(countBy(offers).get('x'), 5);
    assert.equal(countBy(offers).get('y'), 5);
  });

  test('suppressed and inactive frameworks get nothing', () => {
    const fws = [framework('sup', { suppressed: true }), framework('gone', { active: false }), framework('ok')];
    const offers = allocate(snapshot(identicalAgents(5), fws), NOW, seeded(5));
    assert.equal(offers.length, 5);
    assert.ok(offers.every((o) => o.frameworkId === 'ok'));
    assert.deepEqual(allocate(snapshot(identicalAgents(5), fws.slice(0, 2)), NOW, seeded(5)), []);
  });

  test('inactive agents are not offered, but count in the cluster total', () => {
    const agents = [agent('down', { cpus: 4, mem: 4096 }, { active: false }), agent('up', { cpus: 4, mem: 4096 })];
    const offers = allocate(snapshot(agents, [framework('f1')]), NOW, seeded(6));
    assert.deepEqual(
      offers.map((o) => o.agentId),
      ['up'],
    );
  });

  test('filters hold until their expiry, then lapse', () => {
    const filters = new Map([['a0', NOW + 5000]]);
    const snap = snapshot(identicalAgents(2), [framework('f1', { filters })]);
    assert.deepEqual(allocate(snap, NOW, seeded(7)).map((o) => o.agentId), ['a1']);
    assert.deepEqual(allocate(snap, NOW + 4999, seeded(7)).map((o) => o.agentId), ['a1']);
    assert.deepEqual(allocate(snap, NOW + 5000, seeded(7)).map((o) => o.agentId).sort(), ['a0', 'a1']);
  });

  test('a filtered agent goes to the next framework in DRF order', () => {
    const filters = new Map([['a0', Infinity]]);
    const fws = [framework('poor', { filters }), framework('rich', { allocated: resources({ cpus: 400, mem: 400 }) })];
    const offers = allocate(snapshot(identicalAgents(1), fws), NOW, seeded(8));
    assert.deepEqual(offers.map((o) => o.frameworkId), ['rich']);
  });

  test('a framework filtered on most agents still gets the ones it is not filtered on', () => {
    // 8 of 10 filtered: the "sparse" path of the filter index.
    const filters = new Map(Array.from({ length: 8 }, (_, i) => [`a${i}`, Infinity] as const));
    const fws = [framework('picky', { filters }), framework('busy', { allocated: resources({ cpus: 20, mem: 20 * 4096 }) })];
    for (let seed = 0; seed < 10; seed++) {
      const offers = allocate(snapshot(identicalAgents(10), fws), NOW, seeded(seed));
      const picky = offers.filter((o) => o.frameworkId === 'picky').map((o) => o.agentId).sort();
      assert.deepEqual(picky, ['a8', 'a9']);
      assert.equal(offers.length, 10);
    }
  });

  test('minAllocatable: leftovers smaller than every minimum set are kept back', () => {
    const agents = [
      agent('crumbs', { cpus: 0.005, mem: 16 }),
      agent('memonly', { mem: 32 }),
      agent('cpuonly', { cpus: 0.01 }),
      agent('empty', {}),
    ];
    const offered = (min: Resources[]) =>
      allocate(snapshot(agents, [framework('f1')], { minAllocatable: min }), NOW, seeded(2))
        .map((o) => o.agentId)
        .sort();
    assert.deepEqual(offered(DEFAULT_MIN), ['cpuonly', 'memonly']);
    assert.deepEqual(offered([resources({ cpus: 0.01, mem: 32 })]), []);
    // No minimum: anything non-empty goes.
    assert.deepEqual(offered([]), ['cpuonly', 'crumbs', 'memonly']);
  });

  test('ports travel with the offer', () => {
    const ports = [{ begin: 31000, end: 31009 }, { begin: 31500, end: 32000 }];
    const offers = allocate(snapshot([agent('a1', { cpus: 2, mem: 512 }, { ports })], [framework('f1')]), NOW, seeded(1));
    assert.equal(offers.length, 1);
    assert.deepEqual(offers[0]?.resources.ports, ports);
  });

  test('an agent with only ports left is offered when no minimum applies', () => {
    const a = agent('a1', { cpus: 2 }, { ports: [{ begin: 5000, end: 5001 }], available: resources({}, [{ begin: 5000, end: 5001 }]) });
    assert.equal(allocate(snapshot([a], [framework('f1')], { minAllocatable: [] }), NOW, seeded(1)).length, 1);
    assert.equal(allocate(snapshot([a], [framework('f1')]), NOW, seeded(1)).length, 0);
  });

  test('the same seed gives the same decisions', () => {
    const snap = snapshot(identicalAgents(50), [framework('f1'), framework('f2'), framework('f3', { role: 'r' })]);
    assert.deepEqual(allocate(snap, NOW, seeded(42)), allocate(snap, NOW, seeded(42)));
  });

  test('no agents or no frameworks: no offers', () => {
    assert.deepEqual(allocate(snapshot([], [framework('f1')]), NOW, seeded(1)), []);
    assert.deepEqual(allocate(snapshot(identicalAgents(3), []), NOW, seeded(1)), []);
  });
});

// ---------------------------------------------------------------------------------------------------
// Random clusters

const ROLES = ['r1', 'r2', 'r3'];
const MAX_AGENTS = 24;

const scalarsArb = fc.record(
  {
    cpus: fc.oneof(fc.constant(0), fc.constant(0.005), fc.integer({ min: 1, max: 64 }), fc.double({ min: 0.1, max: 8, noNaN: true })),
    mem: fc.oneof(fc.constant(0), fc.constant(16), fc.integer({ min: 32, max: 262144 })),
    disk: fc.integer({ min: 0, max: 1_000_000 }),
    gpus: fc.integer({ min: 0, max: 4 }),
  },
  { requiredKeys: ['cpus', 'mem'] },
);

const portsArb = fc.array(
  fc.tuple(fc.integer({ min: 1024, max: 40000 }), fc.integer({ min: 0, max: 50 })).map(([b, l]): PortRange => ({ begin: b, end: b + l })),
  { maxLength: 3 },
);

const agentArb = (i: number) =>
  fc.record({ avail: scalarsArb, used: scalarsArb, ports: portsArb, usedPorts: portsArb, active: fc.boolean() }).map(({ avail, used, ports, usedPorts, active }) => {
    const available = resources(avail, ports);
    const total = add(available, resources(used, usedPorts));
    return { id: `a${i}`, hostname: `h${i}`, total, available, active, attributes: {} } satisfies AllocatorAgent;
  });

/** Filter lists that hit the dense path (few agents), the sparse path (most agents) or nothing. */
const filtersArb = fc.oneof(
  fc.constant<[number, number][]>([]),
  fc.array(fc.tuple(fc.integer({ min: 0, max: MAX_AGENTS + 2 }), fc.integer({ min: -3, max: 3 })), { maxLength: 8 }),
  fc.tuple(fc.uniqueArray(fc.integer({ min: 0, max: MAX_AGENTS - 1 }), { maxLength: 3 }), fc.integer({ min: -1, max: 3 })).map(([keep, d]) =>
    Array.from({ length: MAX_AGENTS }, (_, i) => i)
      .filter((i) => !keep.includes(i))
      .map((i): [number, number] => [i, d]),
  ),
);

const frameworkArb = (i: number) =>
  fc
    .record({
      role: fc.constantFrom(...ROLES),
      active: fc.oneof(fc.constant(true), fc.boolean()),
      suppressed: fc.oneof(fc.constant(false), fc.boolean()),
      allocated: scalarsArb,
      filters: filtersArb,
    })
    .map(({ role, active, suppressed, allocated, filters }): AllocatorFramework => ({
      id: `f${i}`,
      role,
      active,
      suppressed,
      allocated: resources(allocated),
      // A filter "until" of NOW + d: d ≤ 0 has lapsed, d > 0 still holds.
      filters: new Map(filters.map(([agentIndex, d]) => [`a${agentIndex}`, NOW + d])),
    }));

const indexed = <T>(make: (i: number) => fc.Arbitrary<T>, max: number) =>
  fc.integer({ min: 0, max }).chain((n) => (n === 0 ? fc.constant<T[]>([]) : fc.tuple(...Array.from({ length: n }, (_, i) => make(i)))));

const snapshotArb = fc.record({
  agents: indexed(agentArb, MAX_AGENTS),
  frameworks: indexed(frameworkArb, 8),
  weights: fc.dictionary(fc.constantFrom(...ROLES), fc.constantFrom(0.5, 1, 2, 3, 0, -1)),
  minAllocatable: fc.oneof(fc.constant(DEFAULT_MIN), fc.constant([] as Resources[]), fc.constant([resources({ cpus: 1, mem: 128 })])),
}) satisfies fc.Arbitrary<AllocationSnapshot>;

function eligibleFor(fw: AllocatorFramework, agentId: string, now: number): boolean {
  if (!fw.active || fw.suppressed) return false;
  const until = fw.filters.get(agentId);
  return until === undefined || !(now < until);
}

function worthOffering(a: AllocatorAgent, min: readonly Resources[]): boolean {
  const nonEmpty = a.available.ports.length > 0 || Object.values(a.available.scalars).some((v) => v > 0);
  return nonEmpty && (min.length === 0 || min.some((m) => contains(a.available, m)));
}

/**
 * The obvious O(agents × frameworks) hierarchical DRF, drawing from `random` in the same order as
 * allocate() (role ties, framework ties, then the agent shuffle) so both must decide identically.
 */
function referenceAllocate(snap: AllocationSnapshot, now: number, random: () => number): OfferDecision[] {
  const KINDS = ['cpus', 'mem', 'disk', 'gpus'];
  const vec = (r: Resources) => KINDS.map((k) => Math.max(0, r.scalars[k] ?? 0));
  const total = [0, 0, 0, 0];
  for (const a of snap.agents) vec(a.total).forEach((v, k) => (total[k] = (total[k] as number) + (v > 0 ? v : 0)));
  const share = (v: number[]) => Math.max(0, ...v.map((x, k) => ((total[k] as number) > 0 ? x / (total[k] as number) : 0)));
  const roles = [...new Set(snap.frameworks.map((f) => f.role))];
  const weight = (r: string) => {
    const w = Object.prototype.hasOwnProperty.call(snap.weights, r) ? snap.weights[r] : undefined;
    return w !== undefined && Number.isFinite(w) && w > 0 ? w : 1;
  };
  const fwAlloc = snap.frameworks.map((f) => vec(f.allocated).map((v) => (v > 0 ? v : 0)));
  const roleAlloc = new Map(roles.map((r) => [r, [0, 0, 0, 0]]));
  snap.frameworks.forEach((f, i) => {
    const acc = roleAlloc.get(f.role) as number[];
    (fwAlloc[i] as number[]).forEach((v, k) => (acc[k] = (acc[k] as number) + v));
  });
  const roleTie = new Map(roles.map((r) => [r, random()]));
  const fwTie = snap.frameworks.map(() => random());
  const order = snap.agents.filter((a) => a.active && worthOffering(a, snap.minAllocatable));
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as AllocatorAgent, order[i] as AllocatorAgent];
  }
  const less = (a: [number, number], b: [number, number]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  const out: OfferDecision[] = [];
  for (const a of order) {
    let best: { role: string; key: [number, number] } | undefined;
    for (const r of roles) {
      if (!snap.frameworks.some((f) => f.role === r && eligibleFor(f, a.id, now))) continue;
      const key: [number, number] = [share(roleAlloc.get(r) as number[]) / weight(r), roleTie.get(r) as number];
      if (!best || less(key, best.key)) best = { role: r, key };
    }
    if (!best) continue;
    let pick = -1;
    let pickKey: [number, number] = [Infinity, Infinity];
    snap.frameworks.forEach((f, i) => {
      if (f.role !== best?.role || !eligibleFor(f, a.id, now)) return;
      const key: [number, number] = [share(fwAlloc[i] as number[]), fwTie[i] as number];
      if (pick < 0 || less(key, pickKey)) [pick, pickKey] = [i, key];
    });
    const add = vec(a.available).map((v) => (v > 0 ? v : 0));
    const fa = fwAlloc[pick] as number[];
    const ra = roleAlloc.get(best.role) as number[];
    add.forEach((v, k) => {
      fa[k] = (fa[k] as number) + v;
      ra[k] = (ra[k] as number) + v;
    });
    out.push({ frameworkId: (snap.frameworks[pick] as AllocatorFramework).id, agentId: a.id, resources: a.available });
  }
  return out;
}

describe('allocate: properties over random clusters', () => {
  test('offers are sound: once per agent, within what is available, to eligible frameworks only', () => {
    fc.assert(
      fc.property(snapshotArb, fc.integer(), (snap, seed) => {
        const offers = allocate(snap, NOW, seeded(seed));
        const agents = new Map(snap.agents.map((a) => [a.id, a]));
        const frameworks = new Map(snap.frameworks.map((f) => [f.id, f]));
        const seen = new Set<string>();
        for (const o of offers) {
          assert.ok(!seen.has(o.agentId), `agent ${o.agentId} offered twice`);
          seen.add(o.agentId);
          const a = agents.get(o.agentId);
          const f = frameworks.get(o.frameworkId);
          assert.ok(a && f);
          assert.ok(a.active, 'inactive agent offered');
          assert.ok(worthOffering(a, snap.minAllocatable), 'leftover below minAllocatable offered');
          assert.ok(eligibleFor(f, a.id, NOW), `framework ${f.id} not eligible for ${a.id}`);
          assert.ok(contains(a.available, o.resources), 'offer exceeds what is available');
          assert.ok(rangesContain(a.available.ports, o.resources.ports), 'ports outside the available ranges');
        }
        // Work conserving: an agent goes unoffered only when nobody may take it.
        for (const a of snap.agents) {
          if (seen.has(a.id) || !a.active || !worthOffering(a, snap.minAllocatable)) continue;
          assert.ok(!snap.frameworks.some((f) => eligibleFor(f, a.id, NOW)), `agent ${a.id} left unoffered`);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('decides exactly as a straightforward O(agents × frameworks) hierarchical DRF', () => {
    fc.assert(
      fc.property(snapshotArb, fc.integer(), (snap, seed) => {
        assert.deepEqual(allocate(snap, NOW, seeded(seed)), referenceAllocate(snap, NOW, seeded(seed)));
      }),
      { numRuns: 500 },
    );
  });

  test('DRF fairness: frameworks of one role keeping what they get end within one agent of each other', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 6 }),
        fc.integer(),
        (heldAgents, batches, seed) => {
          const random = seeded(seed);
          const size = { cpus: 8, mem: 16384, disk: 1000 };
          const per = resources(size);
          const agents: AllocatorAgent[] = [];
          // Agents already held count in the total too.
          const frameworks = heldAgents.map((held, i) => {
            for (let j = 0; j < held; j++) agents.push(agent(`held-${i}-${j}`, size, { available: emptyResources() }));
            return framework(`f${i}`, { role: 'one', allocated: resources({ cpus: 8 * held, mem: 16384 * held, disk: 1000 * held }) });
          });
          // Enough new agents over all cycles for everyone to catch up with the richest.
          const deficit = heldAgents.reduce((s, h) => s + (Math.max(...heldAgents) - h), 0);
          const cycles = [deficit, ...batches];
          let next = 0;
          for (const count of cycles) {
            for (let j = 0; j < count; j++) agents.push(agent(`new-${next++}`, size));
            const offers = allocate(snapshot(agents, frameworks), NOW, random);
            for (const o of offers) {
              const f = frameworks.find((x) => x.id === o.frameworkId) as AllocatorFramework;
              f.allocated = add(f.allocated, o.resources);
              const i = agents.findIndex((x) => x.id === o.agentId);
              agents[i] = { ...(agents[i] as AllocatorAgent), available: emptyResources() };
            }
          }
          const total = agents.reduce((s, a) => add(s, a.total), emptyResources());
          const shares = frameworks.map((f) => dominantShare(f.allocated, total));
          const spread = Math.max(...shares) - Math.min(...shares);
          assert.ok(spread <= dominantShare(per, total) + 1e-9, `spread ${spread} > one agent ${dominantShare(per, total)}`);
        },
      ),
      { numRuns: 200 },
    );
  });
});
