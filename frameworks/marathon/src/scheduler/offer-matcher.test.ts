import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Offer } from '@agora/contracts';
import { parseApp } from '../core';
import { planOfferBatch } from './offer-matcher';

function offer(n: number): Offer {
  return {
    id: `o${n}`,
    frameworkId: 'f',
    agentId: `a${n}`,
    hostname: `127.0.1.${n}`,
    agentIp: `127.0.1.${n}`,
    resources: { scalars: { cpus: 4, mem: 4096, disk: 1000 }, ports: [{ begin: 31000, end: 31099 }] },
    attributes: {},
    allocationRole: '*',
  };
}

let seq = 0;
const uuid = () => `u${++seq}`;

test('tasks are dealt round-robin over the offers', () => {
  const r = parseApp({ id: '/w', cmd: 'x', cpus: 0.1, mem: 16, instances: 6 }, { now: '2026-01-01T00:00:00.000Z' });
  assert.ok(r.ok);
  const plan = planOfferBatch([offer(1), offer(2), offer(3)], [{ app: r.value, count: 6, placed: [] }], uuid, () => 0.5);
  assert.deepEqual(plan.perOffer.map((p) => p.launches.length), [2, 2, 2]);
  const ports = plan.perOffer[0]?.launches.map((l) => l.launch.ports[0]);
  assert.equal(new Set(ports).size, 2, 'two tasks on one agent get distinct ports');
});

test('UNIQUE hostname holds across the offers of one batch', () => {
  const r = parseApp({ id: '/u', cmd: 'x', cpus: 0.1, mem: 16, instances: 5, constraints: [['hostname', 'UNIQUE']] }, { now: '2026-01-01T00:00:00.000Z' });
  assert.ok(r.ok);
  const plan = planOfferBatch([offer(1), offer(2), offer(3)], [{ app: r.value, count: 5, placed: [{ hostname: '127.0.1.2', attributes: {} }] }], uuid, () => 0.5);
  assert.deepEqual(plan.perOffer.map((p) => p.launches.length), [1, 0, 1]);
  const used = plan.uses.filter((u) => !u.used);
  assert.deepEqual(used.map((u) => [u.offerId, u.rejections]), [['o2', ['UnfulfilledConstraint']]]);
});
