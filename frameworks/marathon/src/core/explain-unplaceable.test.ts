import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Offer } from '@agora/contracts';
import type { AppDefinition } from './app-definition';
import { parseApp } from './validate-app';
import { capacitiesFromOffers, explainUnplaceable, type AgentCapacity } from './explain-unplaceable';

const NOW = '2024-05-01T10:00:00.000Z';
function app(raw: unknown): AppDefinition {
  const r = parseApp(raw, { now: NOW });
  if (!r.ok) assert.fail(JSON.stringify(r.error));
  return r.value;
}
function agent(hostname: string, mem: number, extra: Partial<AgentCapacity> = {}): AgentCapacity {
  return { hostname, attributes: {}, available: { scalars: { cpus: 4, mem, disk: 1000 }, ports: [{ begin: 31000, end: 31010 }] }, ...extra };
}

describe('explainUnplaceable', () => {
  test("the issue's example: mem too large everywhere, UNIQUE hostname excludes 2 of 3", () => {
    const a = app({ id: 'big', cmd: 'x', mem: 512, cpus: 1, instances: 3, constraints: [['hostname', 'UNIQUE']] });
    const agents = [agent('h1', 256), agent('h2', 128), agent('h3', 200)];
    const placed = [{ hostname: 'h1', attributes: {} }, { hostname: 'h2', attributes: {} }];
    const e = explainUnplaceable(a, agents, placed);
    assert.equal(e.placeable, false);
    assert.equal(e.summary, 'needs mem 512, largest offer 256; UNIQUE hostname excludes 2 of 3 agents');
    assert.deepEqual(e.resources, [{ resource: 'mem', needed: 512, largestAvailable: 256, excludes: 3 }]);
    assert.equal(e.constraints[0]?.excludes, 2);
    assert.deepEqual(
      e.byReason.filter((r) => r.agents > 0),
      [
        { reason: 'UnfulfilledConstraint', agents: 2 },
        { reason: 'InsufficientMemory', agents: 3 },
      ],
    );
    assert.equal(e.perAgent.length, 3);
  });
  test('no single check excludes all, but together they do', () => {
    const a = app({ id: 'x', cmd: 'x', mem: 300, constraints: [['rack', 'IS', 'a']] });
    const agents = [agent('h1', 1000, { attributes: { rack: 'b' } }), agent('h2', 100, { attributes: { rack: 'a' } })];
    const e = explainUnplaceable(a, agents, []);
    assert.equal(e.summary, 'needs mem 300, 1 of 2 agents short; IS rack a excludes 1 of 2 agents; no agent passes every check');
  });
  test('placeable apps say where they fit; roles and ports are explained', () => {
    const a = app({ id: 'x', cmd: 'x', mem: 10, cpus: 0.1, portDefinitions: [{ port: 0 }, { port: 0 }] });
    assert.match(explainUnplaceable(a, [agent('h1', 100)], []).summary, /^fits on 1 of 1 agents/);
    const noPorts = explainUnplaceable(a, [agent('h1', 100, { available: { scalars: { cpus: 1, mem: 100 }, ports: [{ begin: 1, end: 1 }] } })], []);
    assert.equal(noPorts.summary, 'needs 2 ports, 1 free ports at most');
    const pub = app({ id: 'p', cmd: 'x', mem: 10, cpus: 0.1, acceptedResourceRoles: ['slave_public'] });
    assert.equal(explainUnplaceable(pub, [agent('h1', 100)], []).summary, 'acceptedResourceRoles [slave_public] excludes 1 of 1 agents');
    assert.equal(explainUnplaceable(pub, [], []).summary, 'no agent has offered resources');
  });
  test('offers of one agent are summed', () => {
    const o = (id: string, mem: number): Offer => ({
      id,
      frameworkId: 'f',
      agentId: 'a1',
      hostname: 'h1',
      agentIp: '127.0.1.1',
      resources: { scalars: { cpus: 1, mem }, ports: [] },
      attributes: {},
      allocationRole: '*',
    });
    const caps = capacitiesFromOffers([o('o1', 100), o('o2', 200)]);
    assert.equal(caps.length, 1);
    assert.equal(caps[0]?.available.scalars['mem'], 300);
  });
});
