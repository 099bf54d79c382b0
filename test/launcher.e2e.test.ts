import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConsulClient } from '@agora/consul';
import type { Offer } from '@agora/contracts';
import { claim, SchedulerDriver } from '@agora/framework-sdk';
import { createLogger } from '@agora/logging';
import { type ComponentDef, consulComponent, findLeftoverTasks, listedAgents, ManagedProcess, natsComponent } from '@agora/launcher';
import { httpJson, httpRequest, isAlive, startTestCluster, type TestCluster, waitFor } from '@agora/testing';

describe('test cluster: nats + consul only', () => {
  let c: TestCluster | undefined;
  after(async () => {
    await c?.stop();
  });

  test('starts, answers, stops without leaving a process or its work dir', async () => {
    c = await startTestCluster({ masters: 0, agents: 0 });
    assert.match(c.nats, /^nats:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(c.masters, []);
    assert.deepEqual(c.agents, []);

    // NATS: monitoring answers, and a message makes the round trip through the server
    assert.equal((await httpRequest(`${c.cluster.endpoints.natsMonitor}/healthz`)).status, 200);
    const bus = await c.bus();
    const sub = bus.nc.subscribe('agora.test.echo', { max: 1 });
    bus.nc.publish('agora.test.echo', 'hello');
    for await (const m of sub) assert.equal(m.string(), 'hello');

    // Consul: a leader, and KV works
    const leader = await httpJson<string>(`${c.consul}/v1/status/leader`);
    assert.ok(leader.length > 0);
    const consul = new ConsulClient(c.consul);
    await consul.put('agora/test/key', 'v1');
    assert.equal((await consul.get('agora/test/key'))?.value, 'v1');

    const pids = c.cluster.instances().map((i) => i.proc.pid);
    assert.equal(pids.length, 2);
    assert.ok(pids.every(isAlive));
    const dir = c.workDir;
    assert.ok(fs.existsSync(path.join(dir, 'logs', 'consul.log')));

    await c.stop();
    await c.stop(); // twice is fine
    assert.ok(pids.every((p) => !isAlive(p)), `still alive: ${pids.filter(isAlive).join(', ')}`);
    assert.equal(fs.existsSync(dir), false);
    await assert.rejects(c.bus(), /stopped/);
  });
});

describe('test cluster: a component that fails to start', () => {
  test('start rejects with the tail of its log and stops what it had started', async () => {
    const started: ManagedProcess[] = [];
    const track = (def: ComponentDef): ComponentDef => ({
      ...def,
      spawn(ctx, i) {
        const inst = def.spawn(ctx, i);
        started.push(inst.proc);
        return inst;
      },
    });
    const broken: ComponentDef = {
      kind: 'broken',
      count: () => 1,
      spawn(ctx) {
        const logFile = path.join(ctx.opts.logDir, 'broken.log');
        const proc = ManagedProcess.spawn({ name: 'broken', command: 'sh', args: ['-c', 'echo "cannot open the frobnicator" >&2; exit 3'], logFile });
        started.push(proc);
        return { kind: 'broken', index: 0, name: 'broken', ip: '127.0.0.1', port: 0, url: '', listens: '', workDir: ctx.opts.workDir, logFile, proc };
      },
      async ready(_ctx, inst) {
        await inst.proc.exited;
        throw new Error(`broken did not start:\n${inst.proc.logTail()}`);
      },
    };
    await assert.rejects(
      startTestCluster({ masters: 0, agents: 0, components: [track(natsComponent), track(consulComponent), broken] }),
      /cannot open the frobnicator/,
    );
    assert.equal(started.length, 3);
    assert.ok(started.every((p) => !p.running && !isAlive(p.pid)));
  });
});

describe('test cluster: 1 master, 2 agents', () => {
  let c: TestCluster | undefined;
  after(async () => {
    await c?.stop();
  });

  test('both agents register on their own addresses; stop leaves nothing behind, not even orphaned tasks', async () => {
    c = await startTestCluster({ masters: 1, agents: 2, agentResources: 'cpus:1;mem:256;disk:100;ports:[31000-31009]' });
    assert.deepEqual(
      c.agents.map((a) => a.ip),
      ['127.0.1.1', '127.0.1.2'],
    );
    const master = c.masters[0];
    assert.ok(master);
    const slaves = await waitFor(
      async () => {
        const active = listedAgents(await httpJson(`${master.url}/master/slaves`)).filter((a) => a.active === true);
        return active.length === 2 ? active : undefined;
      },
      { timeoutMs: 10_000, what: '2 active agents in /master/slaves' },
    );
    assert.deepEqual(slaves.map((a) => a.hostname).sort(), ['127.0.1.1', '127.0.1.2']);
    assert.equal(await c.leaderUrl(), master.url);

    // a long task, whose agent then crashes: the task keeps running, and only stop() can clean it up
    const agentDirs = c.agents.map((a) => a.workDir);
    const offers: Offer[] = [];
    const states = new Map<string, string>();
    const driver = new SchedulerDriver(
      { bus: await c.bus(), info: { name: 'launcher-e2e', failoverTimeoutSeconds: 60 }, log: createLogger('launcher-e2e', 'warn') },
      { offers: (o) => void offers.push(...o), update: (u) => void states.set(u.taskId, u.state) },
    );
    let holder = -1;
    try {
      await driver.start();
      const offer = await waitFor(() => offers.shift(), { what: 'an offer', timeoutMs: 15_000 });
      const fit = claim({ scalars: { cpus: 0.1, mem: 16 } }, offer.resources);
      assert.ok(fit);
      await driver.launch([offer], [{ taskId: 'orphan.1', name: 'orphan', resources: fit.claim.resources, command: { value: 'sleep 300' } }]);
      await waitFor(() => states.get('orphan.1') === 'TASK_RUNNING', { what: 'the task to run', timeoutMs: 20_000 });
      holder = c.agents.findIndex((a) => a.ip === offer.hostname || a.ip === offer.agentIp);
    } finally {
      await driver.stop(); // no teardown: the framework goes away and leaves its task running
    }
    assert.ok(holder >= 0);
    const holderDir = agentDirs[holder] ?? '';
    const [taskPid] = await waitFor(() => (findLeftoverTasks([holderDir]).length > 0 ? findLeftoverTasks([holderDir]) : undefined), {
      timeoutMs: 5000,
      what: `the task's pid in the checkpoints of ${holderDir}`,
    });
    assert.ok(taskPid);
    await c.killAgent(holder);
    assert.ok(isAlive(taskPid), 'a crashed agent leaves its task running');

    // the other agent crashes and comes back on the same address
    const other = 1 - holder;
    await c.killAgent(other);
    await c.restartAgent(other);
    assert.equal((await httpRequest(`${c.agents[other]?.url}/health`)).status, 200);

    const pids = c.cluster.instances().map((i) => i.proc.pid);
    assert.equal(pids.length, 5);
    await c.stop();
    const alive = [...pids, taskPid].filter(isAlive);
    assert.deepEqual(alive, [], `still alive: ${alive.join(', ')}`);
  });
});
