import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { resources, sumResources } from '@agora/model';
import type { AgentInfo, FrameworkInfo } from '@agora/contracts';
import { MasterState } from './master-state';
import type { TaskEntry } from './types';

const fwInfo: FrameworkInfo = { name: 'f', user: 'root', role: '*', failoverTimeoutSeconds: 0, checkpoint: true, capabilities: [], labels: {} };
const agentInfo = (id: string): AgentInfo => ({ id, hostname: id, ip: '127.0.0.1', port: 1, resources: resources({ cpus: 100, mem: 100000 }, [{ begin: 1000, end: 2000 }]), attributes: {} });

function mkTask(fid: string, id: string, agentId: string, cpus: number, port: number): TaskEntry {
  return {
    info: { taskId: id, name: id, agentId, resources: resources({ cpus, mem: 10 }, [{ begin: port, end: port }]), labels: {} },
    frameworkId: fid,
    agentId,
    state: 'TASK_RUNNING',
    statuses: [],
    appliedUuids: [],
    createdAt: 0,
  };
}

type Op = { kind: 'launch' | 'finish' | 'offer' | 'unoffer'; fw: number; agent: number; n: number };

describe('MasterState accounting', () => {
  test('property: used/offered of agents and frameworks always equal the sums of their tasks and offers', () => {
    const arbOp = fc.record({
      kind: fc.constantFrom<Op['kind']>('launch', 'finish', 'offer', 'unoffer'),
      fw: fc.integer({ min: 0, max: 2 }),
      agent: fc.integer({ min: 0, max: 2 }),
      n: fc.integer({ min: 0, max: 20 }),
    });
    fc.assert(
      fc.property(fc.array(arbOp, { maxLength: 60 }), (ops) => {
        const s = new MasterState();
        for (let a = 0; a < 3; a++) s.agents.set(`S${a}`, s.newAgent(agentInfo(`S${a}`), 0));
        for (let f = 0; f < 3; f++) s.frameworks.set(`F${f}`, s.newFramework(`F${f}`, fwInfo, 0, { connected: true, placeholder: false }));
        let seq = 0;
        for (const op of ops) {
          const fw = s.frameworks.get(`F${op.fw}`)!;
          if (op.kind === 'launch') s.addActiveTask(fw, mkTask(fw.id, `t${op.n}`, `S${op.agent}`, (op.n % 4) / 2 + 0.1, 1000 + seq++));
          else if (op.kind === 'finish') {
            const t = fw.tasks.get(`t${op.n}`);
            if (t) s.completeTask(fw, t);
          } else if (op.kind === 'offer') {
            s.addOffer({ offer: { id: `o${seq++}`, frameworkId: fw.id, agentId: `S${op.agent}`, hostname: 'h', agentIp: 'i', resources: resources({ cpus: 0.1 * (op.n + 1) }), attributes: {}, allocationRole: '*' }, createdAt: 0 });
          } else {
            const id = [...fw.offerIds][op.n % Math.max(1, fw.offerIds.size)];
            if (id) s.removeOffer(id);
          }
        }
        for (const fw of s.frameworks.values()) {
          assert.deepEqual(fw.used, sumResources([...fw.tasks.values()].map((t) => t.info.resources)));
          assert.deepEqual(fw.offered, sumResources([...fw.offerIds].map((id) => s.offers.get(id)!.offer.resources)));
        }
        for (const a of s.agents.values()) {
          const tasks = [...s.frameworks.values()].flatMap((f) => [...f.tasks.values()]).filter((t) => t.agentId === a.info.id);
          assert.deepEqual(a.used, sumResources(tasks.map((t) => t.info.resources)));
          assert.equal(a.taskKeys.size, tasks.length);
          assert.deepEqual(a.offered, sumResources([...a.offerIds].map((id) => s.offers.get(id)!.offer.resources)));
        }
      }),
      { numRuns: 300 },
    );
  });

  test('completed tasks are bounded and retiring a framework frees its agents', () => {
    const s = new MasterState();
    s.agents.set('S0', s.newAgent(agentInfo('S0'), 0));
    const fw = s.newFramework('F', fwInfo, 0, { connected: true, placeholder: false });
    s.frameworks.set('F', fw);
    for (let i = 0; i < 1005; i++) {
      const t = mkTask('F', `t${i}`, 'S0', 0.001, 1000);
      s.addActiveTask(fw, t);
      s.completeTask(fw, t);
    }
    assert.equal(fw.completed.length, 1000);
    assert.equal(fw.completed[0]?.info.taskId, 't5');
    s.addActiveTask(fw, mkTask('F', 'live', 'S0', 1, 1500));
    s.retireFramework(fw, 10);
    assert.equal(s.frameworks.has('F'), false);
    assert.ok(s.tornDown.has('F'));
    assert.deepEqual(s.agents.get('S0')?.used, resources({}));
    assert.equal(s.completedFrameworks[0]?.completed.at(-1)?.info.taskId, 'live');
  });
});
