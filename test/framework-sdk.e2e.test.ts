import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Offer, TaskStatus } from '@agora/contracts';
import { isTerminal } from '@agora/model';
import { createLogger } from '@agora/logging';
import { SchedulerDriver, claim, type SchedulerHandlers } from '@agora/framework-sdk';
import { startTestCluster, waitFor, type TestCluster } from '@agora/testing';

/**
 * The scheduler SDK against a real cluster (nats-server, Consul, one master, one agent): subscribe,
 * offers, launch, updates with acks, kill, explicit reconciliation, framework failover, teardown.
 */
describe('framework SDK end to end', () => {
  let c: TestCluster | undefined;
  const log = createLogger('sdk-e2e', process.env.AGORA_LOG_LEVEL ?? 'warn');

  before(async () => {
    c = await startTestCluster({ agents: 1, agentResources: 'cpus:4;mem:2048;disk:1000;ports:[31000-31099]', logLevel: 'warn' });
  });
  after(async () => {
    await c?.stop();
  });

  /** A framework that records what it sees; offers are kept for the test to use. */
  function recorder() {
    const offers: Offer[] = [];
    const updates: TaskStatus[] = [];
    const subscribed: { id: string; isReconnect: boolean }[] = [];
    const handlers: SchedulerHandlers = {
      subscribed: (id, _m, isReconnect) => void subscribed.push({ id, isReconnect }),
      offers: (o) => void offers.push(...o),
      rescind: (id) => {
        const i = offers.findIndex((o) => o.id === id);
        if (i >= 0) offers.splice(i, 1);
      },
      update: (s) => void updates.push(s),
    };
    const lastState = (taskId: string) => [...updates].reverse().find((u) => u.taskId === taskId)?.state;
    return { offers, updates, subscribed, handlers, lastState };
  }

  test('launch, run to the end, kill, reconcile, teardown', async () => {
    assert.ok(c);
    const bus = await c.bus();
    const r = recorder();
    const driver = new SchedulerDriver({ bus, info: { name: 'sdk-e2e', failoverTimeoutSeconds: 60 }, log }, r.handlers);
    try {
      const { frameworkId } = await driver.start();
      assert.match(frameworkId, /\S/);
      const offer = await waitFor(() => r.offers.shift(), { what: 'an offer', timeoutMs: 15_000 });
      const a = claim({ scalars: { cpus: 0.1, mem: 16 }, portCount: 1 }, offer.resources);
      assert.ok(a, 'the offer fits a small task');
      const b = claim({ scalars: { cpus: 0.1, mem: 16 } }, a.remaining);
      assert.ok(b);
      const res = await driver.launch([offer], [
        { taskId: 'short.1', name: 'short', resources: a.claim.resources, command: { value: `echo port=$PORT0; exit 0` } },
        { taskId: 'long.1', name: 'long', resources: b.claim.resources, command: { value: 'sleep 60' } },
      ]);
      assert.deepEqual([...res.launched].sort(), ['long.1', 'short.1']);

      await waitFor(() => r.lastState('short.1') === 'TASK_FINISHED', { what: 'short.1 to finish', timeoutMs: 20_000 });
      await waitFor(() => r.lastState('long.1') === 'TASK_RUNNING', { what: 'long.1 to run', timeoutMs: 20_000 });
      assert.ok(r.updates.filter((u) => u.taskId === 'short.1').every((u) => u.frameworkId === frameworkId));

      await driver.kill('long.1');
      await waitFor(() => r.lastState('long.1') === 'TASK_KILLED', { what: 'long.1 to be killed', timeoutMs: 20_000 });

      // Explicit reconciliation of a task nobody knows: the master answers with a terminal state.
      await driver.reconcile([{ taskId: 'never.launched' }]);
      await waitFor(() => {
        const s = r.lastState('never.launched');
        return s !== undefined && (s === 'TASK_LOST' || s === 'TASK_UNKNOWN' || s === 'TASK_DROPPED' || s === 'TASK_GONE');
      }, { what: 'a reconciliation answer for an unknown task', timeoutMs: 10_000 });
      assert.ok(r.updates.some((u) => u.taskId === 'never.launched' && u.reason === 'REASON_RECONCILIATION'));
    } finally {
      if (!driver.isStopped) await driver.teardown();
    }
    assert.equal(driver.isStopped, true);
  });

  test('a new driver with the same id takes over the framework and its tasks (failover)', async () => {
    assert.ok(c);
    const bus = await c.bus();
    const r1 = recorder();
    const first = new SchedulerDriver({ bus, info: { name: 'sdk-failover', failoverTimeoutSeconds: 60 }, log }, r1.handlers);
    const { frameworkId } = await first.start();
    const second = recorder();
    let driver2: SchedulerDriver | undefined;
    try {
      const offer = await waitFor(() => r1.offers.shift(), { what: 'an offer', timeoutMs: 15_000 });
      await first.launch([offer], [{ taskId: 'survivor.1', name: 'survivor', resources: { scalars: { cpus: 0.1, mem: 16 } }, command: { value: 'sleep 60' } }]);
      await waitFor(() => r1.lastState('survivor.1') === 'TASK_RUNNING', { what: 'survivor.1 to run', timeoutMs: 20_000 });
      await first.stop(); // a crash, as far as the master can tell: no teardown

      driver2 = new SchedulerDriver({ bus, info: { name: 'sdk-failover', failoverTimeoutSeconds: 60 }, frameworkId, log }, second.handlers);
      const again = await driver2.start();
      assert.equal(again.frameworkId, frameworkId);
      await waitFor(() => second.subscribed[0], { what: 'the subscribed callback' });
      assert.deepEqual(second.subscribed[0], { id: frameworkId, isReconnect: true });
      // The implicit reconciliation after re-subscribing reports the task that kept running.
      await waitFor(() => second.lastState('survivor.1') === 'TASK_RUNNING', { what: 'reconciliation of survivor.1', timeoutMs: 10_000 });
    } finally {
      if (driver2 && !driver2.isStopped) await driver2.teardown();
      else if (!first.isStopped) await first.teardown();
    }
    // Teardown kills the framework's tasks; a fresh driver may not reuse the id.
    const late = new SchedulerDriver({ bus, info: { name: 'sdk-failover' }, frameworkId, log, subscribeTimeoutMs: 5000 }, {});
    await assert.rejects(late.start(), (e: Error & { code?: string }) => e.code === 'FRAMEWORK_TORN_DOWN');
  });

  test('updates are acknowledged: a terminal update is not delivered again', async () => {
    assert.ok(c);
    const bus = await c.bus();
    const r = recorder();
    const driver = new SchedulerDriver({ bus, info: { name: 'sdk-acks' }, log }, r.handlers);
    try {
      await driver.start();
      const offer = await waitFor(() => r.offers.shift(), { what: 'an offer', timeoutMs: 15_000 });
      await driver.launch([offer], [{ taskId: 'acked.1', name: 'acked', resources: { scalars: { cpus: 0.1, mem: 16 } }, command: { value: 'true' } }]);
      await waitFor(() => r.updates.some((u) => u.taskId === 'acked.1' && isTerminal(u.state)), { what: 'acked.1 to end', timeoutMs: 20_000 });
      // The agent retries unacked updates within seconds; after the ack there must be exactly one terminal update.
      const terminalCount = () => r.updates.filter((u) => u.taskId === 'acked.1' && isTerminal(u.state) && u.uuid).length;
      const deadline = Date.now() + 4000;
      await waitFor(() => Date.now() > deadline || terminalCount() > 1, { timeoutMs: 6000, intervalMs: 200 });
      assert.equal(terminalCount(), 1);
    } finally {
      if (!driver.isStopped) await driver.teardown();
    }
  });
});
