import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { CORE_COMPONENTS, ManagedProcess, builtMain, chronosComponent, findFreePort } from '@agora/launcher';
import { httpJson, httpRequest, startTestCluster, waitFor, type TestCluster } from '@agora/testing';
import { ChronosClient, FAR_FUTURE, holdsFor, ms, secondFromNow } from './chronos-helpers';

/**
 * Chronos' durability: its process is killed between a parent and its child and a new one takes over
 * (same framework id, state from Consul); and a standby instance answers the API by forwarding to the
 * leader, then takes over when the leader stops.
 */
describe('Chronos restart and standby', () => {
  let c: TestCluster | undefined;
  let api: ChronosClient;

  before(async () => {
    c = await startTestCluster({
      agents: 1,
      agentResources: 'cpus:8;mem:8192;disk:20000',
      components: [...CORE_COMPONENTS, chronosComponent],
      logLevel: process.env.AGORA_LOG_LEVEL ?? 'info',
      // A Chronos started after a SIGKILLed one leads only once Consul ends the old lock session (its liveness
      // check lapses after 4 s; the session TTL of 10–20 s is the backstop), so restarts get more than the
      // default 30 s to become ready on a loaded machine.
      readyTimeoutMs: 60_000,
    });
    const inst = c.cluster.instance('chronos', 0);
    assert.ok(inst);
    api = new ChronosClient(inst.url);
  });
  after(async () => {
    await c?.stop();
  });

  async function masterTask(taskId: string): Promise<{ state: string; framework_id: string } | undefined> {
    assert.ok(c);
    const leader = (await c.leaderUrl()) ?? c.masters[0]?.url;
    const r = await httpJson<{ tasks: Array<{ id: string; state: string; framework_id: string }> }>(`${leader}/master/tasks?task_id=${encodeURIComponent(taskId)}`);
    return r.tasks[0];
  }

  test('Chronos killed while A runs: A finishes meanwhile, and its child B runs exactly once', async () => {
    assert.ok(c);
    await api.save({ name: 'ra', command: 'sleep 3', schedule: FAR_FUTURE });
    await api.save({ name: 'rb', command: 'echo b', parents: ['ra'] });
    await api.ok('PUT', '/job/ra');
    const [a] = await api.waitRuns('ra', (rs) => rs[0]?.status === 'running', 'A to run');
    assert.ok(a?.taskId);
    const before = await masterTask(a.taskId);
    assert.ok(before);

    await c.cluster.kill('chronos', 0, 'SIGKILL');
    // A ends while no Chronos is there to hear it; its final update waits at the agent.
    await waitFor(async () => (await masterTask(a.taskId ?? ''))?.state === 'TASK_FINISHED', { what: "A's task to finish", timeoutMs: 20_000 });
    await c.cluster.restart('chronos', 0);

    const [b] = await api.waitRuns('rb', (rs) => rs[0]?.status === 'succeeded', 'B to run after the restart', 40_000);
    const [aAfter] = await api.runs('ra');
    assert.equal(aAfter?.status, 'succeeded');
    assert.ok(b && ms(b.startedAt) >= ms(aAfter?.endedAt));
    await holdsFor(3000, async () => (await api.runs('rb')).length === 1 && (await api.runs('ra')).length === 1, 'A and B ran exactly once');
    assert.equal((await api.job('ra')).successCount, 1);
    // The new process took over the same framework (a failover), so A was never killed.
    assert.equal((await masterTask(b?.taskId ?? ''))?.framework_id, before.framework_id);
    await api.ok('DELETE', '/job/rb');
    await api.ok('DELETE', '/job/ra');
  });

  test('a time that fell due while Chronos was down runs late within its starting deadline, else is recorded missed', async () => {
    assert.ok(c);
    // Well further ahead than --launch-ahead-seconds (5) plus --revive-ahead-ms (5 s) before that, with room
    // for slow saves on a loaded machine: killed any later, Chronos would have launched it already, or would
    // hold the agents' offers as it dies (one clean-clone run then saw no offer for 30 s after the restart).
    const due = secondFromNow(20_000);
    await api.save({ name: 'late', command: 'true', schedule: `R1/${new Date(due).toISOString()}/PT1S`, startingDeadlineSeconds: 60 });
    await api.save({ name: 'too-late', command: 'true', schedule: `R1/${new Date(due).toISOString()}/PT1S`, startingDeadlineSeconds: 1 });
    await c.cluster.kill('chronos', 0, 'SIGKILL');
    await waitFor(() => Date.now() > due + 1000, { what: 'the due time to pass', timeoutMs: 30_000 });
    await c.cluster.restart('chronos', 0);
    const [r] = await api.waitRuns('late', (rs) => rs[0]?.status === 'succeeded', 'the late run', 45_000);
    assert.equal(r?.scheduledTime, new Date(due).toISOString());
    assert.ok(ms(r?.startedAt) - due > 1000, 'it ran late, after the restart');
    await holdsFor(2000, async () => (await api.runs('late')).length === 1, 'the late time ran once');
    assert.equal((await api.job('late')).disabled, true, 'an exhausted schedule disables the job, as Chronos does');
    const [missed] = await api.waitRuns('too-late', (rs) => rs.length > 0, 'the missed time to be recorded');
    assert.deepEqual([missed?.status, missed?.scheduledTime, missed?.attempts.length], ['missed', new Date(due).toISOString(), 0]);
    assert.match(missed?.reason ?? '', /starting deadline/);
    await api.ok('DELETE', '/job/late');
    await api.ok('DELETE', '/job/too-late');
  });

  test('a standby forwards the API to the leader and takes over when the leader stops', async () => {
    assert.ok(c);
    const port = await findFreePort();
    const logFile = path.join(c.workDir, 'logs', 'chronos-standby.log');
    const standby = ManagedProcess.spawn({
      name: 'chronos-standby',
      command: process.execPath,
      args: [builtMain('frameworks/chronos/src/main'), '--nats', c.nats, '--consul', c.consul, '--ip', '127.0.0.1', '--port', String(port), '--hostname', '127.0.0.1', '--log-level', 'info'],
      logFile,
      cwd: path.join(c.workDir, 'chronos-standby'),
    });
    try {
      const other = new ChronosClient(`http://127.0.0.1:${port}`);
      const leader = await waitFor(async () => {
        const r = await other.call<{ leader: string; self: boolean }>('GET', '/leader');
        return r.status === 200 ? r.body : undefined;
      }, { what: 'the standby to know the leader', timeoutMs: 20_000 });
      assert.equal(leader.self, false);
      assert.equal(leader.leader, new URL(api.url).host);

      await other.save({ name: 'via-standby', command: 'echo hi', schedule: FAR_FUTURE });
      assert.equal((await api.job('via-standby')).command, 'echo hi', 'the write reached the leader');
      assert.deepEqual((await other.call('GET', '/jobs')).body, (await api.call('GET', '/jobs')).body);
      const bad = await other.call<{ message: string }>('POST', '/iso8601', { name: 'x y', command: 'true', schedule: FAR_FUTURE });
      assert.equal(bad.status, 400, 'errors come back through the standby');
      assert.match(bad.body.message, /^name/);

      // A graceful stop releases the lock: the standby leads within moments, with the same jobs.
      await c.cluster.kill('chronos', 0, 'SIGTERM');
      await waitFor(async () => (await other.call('GET', '/jobs')).status === 200 && (await other.call<{ self: boolean }>('GET', '/leader')).body.self, { what: 'the standby to lead', timeoutMs: 20_000 });
      assert.equal((await other.job('via-standby')).command, 'echo hi');
      await other.ok('PUT', '/job/via-standby');
      await other.waitRuns('via-standby', (rs) => rs[0]?.status === 'succeeded', 'a run under the new leader');
      await other.ok('DELETE', '/job/via-standby');
    } finally {
      await standby.stop('SIGTERM', 10_000);
    }
    await c.cluster.restart('chronos', 0);
    assert.equal((await httpRequest(`${api.url}/v1/scheduler/jobs`)).status, 200);
  });
});
