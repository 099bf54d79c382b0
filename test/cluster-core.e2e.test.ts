import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { Accept, AgoraError, GetState, Subscribe } from '@agora/contracts';
import { startTestCluster, waitFor, httpJson, TestFramework, type TestCluster } from '@agora/testing';

/**
 * The cluster core end to end (issue 2): a real nats-server, Consul, one master and two agents
 * (127.0.1.1 and 127.0.1.2), real processes. A framework built on the SDK launches on both agents;
 * tasks finish, are killed, hit their memory limit; agents crash, come back and recover their tasks;
 * bad input is refused with codes and changes nothing.
 */
const cgroupsAvailable = fs.existsSync('/sys/fs/cgroup/memory/cgroup.procs') || fs.existsSync('/sys/fs/cgroup/cgroup.controllers');

interface MesosTask {
  id: string;
  state: string;
  slave_id: string;
}

describe('cluster core end to end', () => {
  let c: TestCluster | undefined;
  let fw: TestFramework | undefined;
  const agentIds: string[] = [];

  before(async () => {
    c = await startTestCluster({
      agents: 2,
      agentResources: 'cpus:4;mem:2048;disk:1000;ports:[31000-31099]',
      agentAttributes: ['rack:a', 'rack:b'],
      masterFlags: ['--agent-ping-timeout', '4', '--allocation-interval', '0.2'],
      agentFlags: ['--status-retry-interval', '1'],
      logLevel: 'warn',
    });
    const state = await httpJson<{ slaves: { id: string; hostname: string }[] }>(`${c.masters[0]!.url}/master/slaves`);
    for (const ip of ['127.0.1.1', '127.0.1.2']) {
      const s = state.slaves.find((x) => x.hostname === ip);
      assert.ok(s, `agent ${ip} registered`);
      agentIds.push(s.id);
    }
    fw = new TestFramework(await c.bus(), { name: 'core-e2e', failoverTimeoutSeconds: 120 });
    await fw.start();
  });
  after(async () => {
    await fw?.stop();
    await c?.stop();
  });

  test('tasks run on both agents with their env and finish', async () => {
    assert.ok(c && fw);
    for (const [i, agentId] of agentIds.entries()) {
      const ip = `127.0.1.${i + 1}`;
      await fw.launch(
        [
          {
            taskId: `env-check.${i}`,
            ports: 2,
            env: { GREETING: 'hello' },
            command: `test "$HOST" = "${ip}" && test -n "$PORT0" && test -n "$PORT1" && test "$PORTS" = "$PORT0,$PORT1" && test "$GREETING" = hello && test -n "$MESOS_SANDBOX" && test "$MESOS_TASK_ID" = env-check.${i} && echo ran-on-$HOST`,
          },
        ],
        agentId,
      );
    }
    for (const i of [0, 1]) {
      const s = await fw.waitForState(`env-check.${i}`, ['TASK_FINISHED', 'TASK_FAILED']);
      assert.equal(s.state, 'TASK_FINISHED', `env-check.${i}: ${s.message ?? ''}`);
      assert.equal(s.agentId, agentIds[i]);
    }
    // the master's Mesos-shaped view has them as completed tasks on their agents
    const fwState = await httpJson<{ frameworks: { id: string; completed_tasks: MesosTask[] }[] }>(`${c.masters[0]!.url}/master/frameworks`);
    const mine = fwState.frameworks.find((f) => f.id === fw!.driver.frameworkId);
    assert.ok(mine);
    for (const i of [0, 1]) {
      const t: MesosTask | undefined = mine.completed_tasks.find((x) => x.id === `env-check.${i}`);
      assert.equal(t?.state, 'TASK_FINISHED');
      assert.equal(t?.slave_id, agentIds[i]);
    }
  });

  test('a non-zero exit fails the task with its exit code', async () => {
    assert.ok(fw);
    await fw.launch([{ taskId: 'exit3.1', command: 'echo about to fail >&2; exit 3' }]);
    const s = await fw.waitForState('exit3.1', ['TASK_FINISHED', 'TASK_FAILED']);
    assert.equal(s.state, 'TASK_FAILED');
    assert.equal(s.exitCode, 3);
  });

  test('a running task is killed', async () => {
    assert.ok(fw);
    await fw.launch([{ taskId: 'sleeper.1', command: 'sleep 300' }], agentIds[0]);
    await fw.waitForState('sleeper.1', 'TASK_RUNNING');
    await fw.driver.kill('sleeper.1');
    const s = await fw.waitForState('sleeper.1', ['TASK_KILLED', 'TASK_FAILED', 'TASK_FINISHED']);
    assert.equal(s.state, 'TASK_KILLED');
  });

  test('a task over its memory limit ends TASK_FAILED with the memory reason', { skip: cgroupsAvailable ? false : 'no cgroup memory controller on this machine' }, async () => {
    assert.ok(fw);
    // `tail` keeps the whole newline-free stream in memory: it grows until the cgroup's OOM killer stops it
    await fw.launch([{ taskId: 'hog.1', mem: 32, command: 'head -c 400m /dev/zero | tail > /dev/null' }]);
    const s = await fw.waitForState('hog.1', ['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED'], 60_000);
    assert.equal(s.state, 'TASK_FAILED', `hog.1 ended ${s.state}: ${s.message ?? ''}`);
    assert.equal(s.reason, 'REASON_CONTAINER_LIMITATION_MEMORY', s.message);
  });

  test('bad input is refused with a code and changes nothing', async () => {
    assert.ok(c && fw);
    const bus = await c.bus();
    const frameworkId = fw.driver.frameworkId!;
    // malformed messages: not JSON, and JSON out of contract
    const raw = await bus.nc.request(Accept.subject(), new TextEncoder().encode('{not json'), { timeout: 5000 });
    assert.match(new TextDecoder().decode(raw.data), /INVALID_MESSAGE/);
    await assert.rejects(bus.request(Accept, [], { frameworkId } as never), (e: unknown) => e instanceof AgoraError && e.code === 'INVALID_MESSAGE');
    await assert.rejects(bus.request(Subscribe, [], { info: { name: '' } }), (e: unknown) => e instanceof AgoraError && e.code === 'INVALID_MESSAGE');

    const offer = await waitFor(() => fw!.offers.find((o) => o.agentId === agentIds[1]), { what: 'an offer from agent 2', timeoutMs: 20_000 });
    const task = (over: Record<string, unknown> = {}) => ({
      taskId: 'bad.1',
      name: 'bad',
      agentId: offer.agentId,
      resources: { scalars: { cpus: 0.1, mem: 32 }, ports: [] },
      command: { value: 'true' },
      ...over,
    });
    const expectCode = (code: string) => (e: unknown) => e instanceof AgoraError && e.code === code;
    await assert.rejects(bus.request(Accept, [], { frameworkId: 'no-such-framework', offerIds: [offer.id], operations: [{ type: 'LAUNCH', tasks: [task()] }] }), expectCode('UNKNOWN_FRAMEWORK'));
    await assert.rejects(bus.request(Accept, [], { frameworkId, offerIds: ['no-such-offer'], operations: [{ type: 'LAUNCH', tasks: [task()] }] }), expectCode('UNKNOWN_OFFER'));
    await assert.rejects(
      bus.request(Accept, [], { frameworkId, offerIds: [offer.id], operations: [{ type: 'LAUNCH', tasks: [task({ resources: { scalars: { cpus: 1000, mem: 32 }, ports: [] } })] }] }),
      expectCode('INSUFFICIENT_RESOURCES'),
    );
    await assert.rejects(
      bus.request(Accept, [], { frameworkId, offerIds: [offer.id], operations: [{ type: 'LAUNCH', tasks: [task({ resources: { scalars: { cpus: 0.1 }, ports: [{ begin: 1, end: 2 }] } })] }] }),
      expectCode('INSUFFICIENT_RESOURCES'),
    );
    await assert.rejects(bus.request(Accept, [], { frameworkId, offerIds: [offer.id], operations: [{ type: 'LAUNCH', tasks: [task({ command: undefined })] }] }), expectCode('INVALID_TASK'));
    await assert.rejects(bus.request(Accept, [], { frameworkId, offerIds: [offer.id], operations: [{ type: 'LAUNCH', tasks: [task({ command: {} })] }] }), expectCode('INVALID_TASK'));

    // nothing changed: the same offer still launches a good task
    const res = await bus.request(Accept, [], { frameworkId, offerIds: [offer.id], operations: [{ type: 'LAUNCH', tasks: [task()] }] });
    assert.deepEqual(res.launched, ['bad.1']);
    fw.offers.splice(fw.offers.indexOf(offer), 1);
    await fw.waitForState('bad.1', 'TASK_FINISHED');
    const health = await fetch(`${c.masters[0]!.url}/health`);
    assert.equal(health.status, 200);
  });

  test('an agent restart recovers its running tasks', async () => {
    assert.ok(c && fw);
    await fw.launch([{ taskId: 'survivor.1', command: 'sleep 300' }], agentIds[1]);
    await fw.waitForState('survivor.1', 'TASK_RUNNING');
    await c.killAgent(1, 'SIGKILL');
    await c.restartAgent(1);
    // the restarted agent re-registers with the task: the master still shows it running on the same agent
    await waitFor(
      async () => {
        const st = await httpJson<{ tasks: MesosTask[] }>(`${c!.masters[0]!.url}/master/tasks`);
        const t = st.tasks.find((x) => x.id === 'survivor.1');
        return t?.state === 'TASK_RUNNING' && t.slave_id === agentIds[1];
      },
      { what: 'survivor.1 to be running after the agent restart', timeoutMs: 20_000 },
    );
    const agentState = await httpJson<{ id: string }>(`${c.agents[1]!.url}/state`);
    assert.equal(agentState.id, agentIds[1], 'the agent keeps its id across a restart');
    // the recovered agent still controls the process: a kill ends it
    await fw.driver.kill('survivor.1');
    const s = await fw.waitForState('survivor.1', ['TASK_KILLED', 'TASK_FAILED', 'TASK_LOST']);
    assert.equal(s.state, 'TASK_KILLED');
  });

  test('a crashed agent has its tasks reported lost; when it returns they run again', async () => {
    assert.ok(c && fw);
    await fw.launch([{ taskId: 'orphan.1', command: 'sleep 300' }], agentIds[0]);
    await fw.waitForState('orphan.1', 'TASK_RUNNING');
    await c.killAgent(0, 'SIGKILL');
    const lost = await fw.waitForState('orphan.1', ['TASK_LOST', 'TASK_UNREACHABLE'], 30_000);
    assert.equal(lost.source, 'SOURCE_MASTER');
    await waitFor(() => fw!.failures.includes(agentIds[0]!), { what: 'a FAILURE event for the agent', timeoutMs: 10_000 });
    const slaves = await httpJson<{ slaves: { id: string; active: boolean }[] }>(`${c.masters[0]!.url}/master/slaves`);
    assert.equal(slaves.slaves.find((s) => s.id === agentIds[0])?.active, false);

    await c.restartAgent(0);
    await fw.waitForState('orphan.1', 'TASK_RUNNING', 30_000);
    await fw.driver.kill('orphan.1');
    await fw.waitForState('orphan.1', 'TASK_KILLED');
  });

  test('the master state is Mesos-shaped and served over NATS too', async () => {
    assert.ok(c);
    const st = await httpJson<Record<string, unknown>>(`${c.masters[0]!.url}/master/state`);
    for (const k of ['id', 'pid', 'hostname', 'leader', 'slaves', 'frameworks', 'completed_frameworks', 'flags', 'activated_slaves']) assert.ok(k in st, `state has ${k}`);
    const snap = await (await c.bus()).request(GetState, [], {});
    assert.equal(snap.agents.length, 2);
    assert.ok(snap.frameworks.some((f) => f.info.name === 'core-e2e'));
    const metrics = await httpJson<Record<string, number>>(`${c.masters[0]!.url}/metrics/snapshot`);
    assert.equal(metrics['master/elected'], 1);
  });
});
