import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Offer } from '@agora/contracts';
import { assignToOffers } from './assign-offers';

function offer(id: string, host: string, cpus: number, attributes: Record<string, string> = {}): Offer {
  return { id, frameworkId: 'fw', agentId: `agent-${id}`, hostname: host, agentIp: host, resources: { scalars: { cpus, mem: 1024 }, ports: [] }, attributes, allocationRole: '*' };
}

describe('assigning runs to offers', () => {
  test('spreads round-robin and respects what each offer holds', () => {
    const offers = [offer('a', 'h1', 1), offer('b', 'h2', 0.5)];
    const items = Array.from({ length: 5 }, (_, i) => ({ key: `r${i}`, ask: { cpus: 0.3, mem: 10 }, constraints: [] }));
    const { placements, unplaced } = assignToOffers(items, offers);
    const where = new Map(placements.flatMap((p) => p.tasks.map((t) => [t.key, p.offer.id] as const)));
    assert.deepEqual([...where.entries()].sort(), [['r0', 'a'], ['r1', 'b'], ['r2', 'a'], ['r3', 'a']]);
    assert.deepEqual(unplaced, ['r4']);
    for (const p of placements) for (const t of p.tasks) assert.equal(t.resources.scalars.cpus, 0.3);
  });
  test('constraints pick the agent', () => {
    const offers = [offer('a', 'h1', 1, { rack: 'r1' }), offer('b', 'h2', 1, { rack: 'r2' })];
    const { placements, unplaced } = assignToOffers(
      [
        { key: 'x', ask: { cpus: 0.1 }, constraints: [['rack', 'EQUALS', 'r2']] },
        { key: 'y', ask: { cpus: 0.1 }, constraints: [['hostname', 'EQUALS', 'h1']] },
        { key: 'z', ask: { cpus: 0.1 }, constraints: [['rack', 'EQUALS', 'r9']] },
      ],
      offers,
    );
    const where = new Map(placements.flatMap((p) => p.tasks.map((t) => [t.key, p.offer.id] as const)));
    assert.equal(where.get('x'), 'b');
    assert.equal(where.get('y'), 'a');
    assert.deepEqual(unplaced, ['z']);
  });
});
