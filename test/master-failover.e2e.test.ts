import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, waitFor, httpJson, httpRequest, TestFramework, type TestCluster } from '@agora/testing';

/**
 * Master failover end to end: two masters elect a leader through Consul; the leader crashes
 * (SIGKILL: its liveness check lapses and Consul ends its session); the standby takes over, the agent re-registers with its
 * running task, the framework re-subscribes and reconciles, and the task is neither lost nor forgotten.
 */
interface MesosTask {
  id: string;
  state: string;
}

describe('master failover', () => {
  let c: TestCluster | undefined;
  let fw: TestFramework | undefined;

  before(async () => {
    c = await startTestCluster({ masters: 2, agents: 1, agentResources: 'cpus:2;mem:1024;disk:1000;ports:[31000-31099]', logLevel: 'warn' });
    fw = new TestFramework(await c.bus(), { name: 'failover-e2e', failoverTimeoutSeconds: 300 });
    await fw.start();
  });
  after(async () => {
    await fw?.stop();
    await c?.stop();
  });

  test('the standby redirects to the leader', async () => {
    assert.ok(c);
    const leader = await c.leaderUrl();
    assert.ok(leader);
    const standby = c.masters.find((m) => m.url !== leader)!;
    const res = await httpRequest(`${standby.url}/master/state`, { redirect: 'manual' });
    assert.equal(res.status, 307);
    const redirect = await httpRequest(`${standby.url}/master/redirect`, { redirect: 'manual' });
    assert.equal(redirect.status, 307);
    assert.match(redirect.headers.get('location') ?? '', new RegExp(leader.replace(/^https?:\/\//, '')));
  });

  test('a crashed leader is replaced; the running task survives and is reconciled', async () => {
    assert.ok(c && fw);
    await fw.launch([{ taskId: 'durable.1', command: 'sleep 300' }]);
    await fw.waitForState('durable.1', 'TASK_RUNNING');
    const leader = await c.leaderUrl();
    const idx = c.masters.findIndex((m) => m.url === leader);
    assert.ok(idx >= 0);
    const updatesBefore = fw.updates.length;
    await c.killMaster(idx, 'SIGKILL');
    const killedAt = Date.now();

    const other = c.masters[1 - idx]!;
    await waitFor(async () => (await c!.leaderUrl()) === other.url, { what: 'the standby to become leader', timeoutMs: 40_000 });
    // the lock's session is bound to the dead master's catalog check (4 s TTL): it frees when that lapses,
    // not one to two session TTLs (10–20 s) after the last renewal
    const failoverMs = Date.now() - killedAt;
    assert.ok(failoverMs < 10_000, `a new leader ${failoverMs} ms after the crash, before one session TTL`);
    // the agent re-registered with the task: the new leader knows it is running
    await waitFor(
      async () => {
        const st = await httpJson<{ tasks: MesosTask[] }>(`${other.url}/master/tasks`);
        return st.tasks.find((t) => t.id === 'durable.1')?.state === 'TASK_RUNNING';
      },
      { what: 'the new leader to know durable.1 is running', timeoutMs: 30_000 },
    );
    // the framework re-subscribed with its id and reconciled: it hears RUNNING again from the new leader
    await waitFor(() => fw!.updates.slice(updatesBefore).some((u) => u.taskId === 'durable.1' && u.state === 'TASK_RUNNING'), {
      what: 'a reconciliation update for durable.1',
      timeoutMs: 30_000,
    });
    assert.ok(fw.subscribedCount >= 2, 'the framework re-subscribed');
    const fws = await httpJson<{ frameworks: { id: string; connected: boolean }[] }>(`${other.url}/master/frameworks`);
    assert.equal(fws.frameworks.find((f) => f.id === fw!.driver.frameworkId)?.connected, true);

    // the task is still controllable through the new leader
    await fw.driver.kill('durable.1');
    await fw.waitForState('durable.1', 'TASK_KILLED');

    // the old master comes back as a standby
    await c.restartMaster(idx);
    await waitFor(async () => (await c!.leaderUrl()) === other.url, { what: 'the leader to stay', timeoutMs: 10_000 });
  });
});
