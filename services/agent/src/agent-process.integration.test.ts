import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AgentAck,
  AgentHeartbeat,
  AgoraError,
  KillTask,
  LaunchTasks,
  LeaderEvent,
  ShutdownFramework,
  RegisterAgent,
  StatusUpdates,
  type TaskInfoInput,
  type TaskStatus,
} from '@agora/contracts';
import { createLogger } from '@agora/logging';
import { Bus } from '@agora/nats';

/**
 * The agent on its own, for real: a nats-server, the agent process, real task processes, and this test
 * playing the master (registration, heartbeats, acks) through the contracts. Covers launch → status
 * mapping, kill, max completion time, the OOM verdict (when cgroups are usable), the files API, update
 * retries, and recovery after the agent is SIGKILLed.
 */
const MAIN = path.resolve(__dirname, 'main.js');
const FW = 'fw-0001';
const FW_INFO = { name: 'smoke', user: 'root', role: '*', failoverTimeoutSeconds: 0, checkpoint: true, capabilities: [], labels: {} };

interface Registration {
  agentId?: string;
  port: number;
  tasks: { task: { taskId: string }; state: string }[];
}

class FakeMaster {
  readonly updates: TaskStatus[] = [];
  readonly registrations: Registration[] = [];
  withholdAcks = new Set<string>();
  agentId = 'AGENT-S1';
  /** Answer the next heartbeat with UNKNOWN_AGENT (a master that forgot the agent). */
  forgetAgent = false;
  heartbeats = 0;

  constructor(readonly bus: Bus) {
    bus.serve(RegisterAgent, [], (req) => {
      this.registrations.push({ agentId: req.agentId, port: req.info.port, tasks: req.tasks });
      return {
        agentId: req.agentId ?? this.agentId,
        master: { id: 'm1', hostname: '127.0.0.1', ip: '127.0.0.1', port: 5050, url: 'http://127.0.0.1:5050', version: '0.1.0', epoch: 1 },
        heartbeatIntervalSeconds: 1,
      };
    });
    bus.serve(AgentHeartbeat, [], () => {
      this.heartbeats++;
      if (this.forgetAgent) {
        this.forgetAgent = false;
        throw new AgoraError('UNKNOWN_AGENT', 'who are you?');
      }
      return {};
    });
    bus.on(StatusUpdates, StatusUpdates.subject(), (msg) => {
      const acks: { frameworkId: string; taskId: string; uuid: string }[] = [];
      for (const u of msg.updates) {
        this.updates.push(u.status);
        if (!this.withholdAcks.has(u.status.taskId)) acks.push({ frameworkId: u.frameworkId, taskId: u.status.taskId, uuid: u.status.uuid });
      }
      if (acks.length) bus.publish(AgentAck, [msg.agentId], { acks });
    });
  }

  statesOf(taskId: string): string[] {
    return this.updates.filter((u) => u.taskId === taskId).map((u) => u.state);
  }

  last(taskId: string): TaskStatus | undefined {
    return this.updates.filter((u) => u.taskId === taskId).at(-1);
  }

  async launch(task: Partial<TaskInfoInput> & { taskId: string }): Promise<void> {
    // as a master does: an agent that has just (re-)started may need a moment to serve its subjects
    await this.bus.request(LaunchTasks, [this.agentId], {
      frameworkId: FW,
      framework: FW_INFO,
      tasks: [{ name: task.taskId, agentId: this.agentId, resources: { scalars: { cpus: 0.1, mem: 64 }, ports: [] }, ...task }],
    }, { retryForMs: 5000 });
  }
}

async function waitFor<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function exited(p: ChildProcess): Promise<number | null> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve(p.exitCode);
  return new Promise((r) => p.once('exit', (code) => r(code)));
}

describe('agent with the process containerizer (real nats-server, real processes)', { timeout: 120_000 }, () => {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-agent-it-'));
  let nats: ChildProcess | undefined;
  let agent: ChildProcess | undefined;
  let bus: Bus | undefined;
  let master: FakeMaster;
  let natsUrl = '';
  const taskPids = new Set<number>();
  let agentLog = '';

  let isolation = 'none';

  async function startAgent(extra: string[] = []): Promise<void> {
    agent = spawn(process.execPath, [MAIN, '--nats', natsUrl, '--work-dir', workDir, '--port', '0', '--resources', 'cpus:2;mem:1024;disk:1024;ports:[31000-31010]',
      '--status-retry-interval', '0.5', '--heartbeat-interval', '0.5', '--default-grace-period', '1', '--log-level', 'info',
      // the default would add docker wherever a daemon answers: this test is about the process containerizer
      '--containerizers', 'process', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    agent.stdout?.on('data', (d: Buffer) => (agentLog += d.toString()));
    agent.stderr?.on('data', (d: Buffer) => (agentLog += d.toString()));
  }

  async function httpJson(urlPath: string): Promise<{ status: number; body: unknown }> {
    const reg = master.registrations.at(-1);
    assert.ok(reg, 'registered');
    const res = await fetch(`http://127.0.0.1:${reg.port}${urlPath}`);
    return { status: res.status, body: await res.json() };
  }

  async function recordPids(): Promise<void> {
    const st = (await httpJson('/state')).body as { frameworks: { executors: { tasks: { pid?: number }[] }[] }[] };
    for (const f of st.frameworks) for (const e of f.executors) for (const t of e.tasks) if (t.pid) taskPids.add(t.pid);
  }

  before(async () => {
    const port = await freePort();
    natsUrl = `nats://127.0.0.1:${port}`;
    nats = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    bus = await waitFor('nats-server', async () => Bus.connect(natsUrl, 'fake-master', createLogger('fake-master', 'silent')).catch(() => undefined));
    master = new FakeMaster(bus);
    await startAgent();
    // the first heartbeat comes once the agent, now knowing its id, serves its command subjects
    await waitFor('registration', () => master.registrations.length > 0 && master.heartbeats > 0).catch((e: Error) => {
      throw new Error(`${e.message}; agent output:\n${agentLog.slice(-3000)}`);
    });
  });

  after(async () => {
    for (const pid of taskPids) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    if (agent && agent.exitCode === null && agent.signalCode === null) {
      agent.kill('SIGKILL');
      await exited(agent);
    }
    await bus?.close();
    if (nats && nats.exitCode === null) {
      nats.kill('SIGKILL');
      await exited(nats);
    }
    if (process.env.AGORA_KEEP_TEST_DIRS !== '1') fs.rmSync(workDir, { recursive: true, force: true });
    // the agent removes its task cgroups; its own (empty) parent group is tidied here
    for (const ctrl of ['memory', 'cpu']) {
      try {
        fs.rmdirSync(`/sys/fs/cgroup/${ctrl}/agora/${master.agentId}`);
      } catch {
        // no cgroups here, or not empty
      }
    }
    if (process.env.AGORA_TEST_VERBOSE === '1') process.stdout.write(agentLog);
  });

  test('a finished task: RUNNING then FINISHED, env and stdout in the sandbox', async () => {
    await master.launch({
      taskId: 'echo-1',
      command: { value: 'echo hi; echo "$PORT0 $PORT1 $PORT $PORTS $HOST $MESOS_TASK_ID $FOO"', environment: { FOO: 'bar' } },
      resources: { scalars: { cpus: 0.1, mem: 64 }, ports: [{ begin: 31005, end: 31006 }] },
    });
    await waitFor('echo-1 finished', () => master.last('echo-1')?.state === 'TASK_FINISHED');
    assert.deepEqual(master.statesOf('echo-1'), ['TASK_RUNNING', 'TASK_FINISHED']);
    const sandbox = path.join(fs.realpathSync(workDir), 'sandboxes', FW, 'echo-1');
    const read = await httpJson(`/files/read?path=${encodeURIComponent(sandbox + '/stdout')}`);
    assert.equal(read.status, 200);
    const expected = 'hi\n31005 31006 31005 31005,31006 127.0.0.1 echo-1 bar\n';
    assert.deepEqual(read.body, { data: expected, offset: 0 });
    const size = await httpJson(`/files/read?path=${encodeURIComponent(sandbox + '/stdout')}&offset=-1`);
    assert.deepEqual(size.body, { data: '', offset: expected.length });
    const part = await httpJson(`/files/read?path=${encodeURIComponent(sandbox + '/stdout')}&offset=1&length=2`);
    assert.deepEqual(part.body, { data: 'i\n', offset: 1 });
  });

  test('non-zero exit: TASK_FAILED with the exit code', async () => {
    await master.launch({ taskId: 'exit-3', command: { value: 'exit 3' } });
    const s = await waitFor('exit-3 failed', () => (master.last('exit-3')?.state === 'TASK_FAILED' ? master.last('exit-3') : undefined));
    assert.equal(s.exitCode, 3);
    assert.equal(s.message, 'Command exited with status 3');
  });

  test('shell=false runs the executable with its arguments, quoted safely', async () => {
    await master.launch({ taskId: 'argv', command: { shell: false, value: '/bin/echo', arguments: ['echo', "it's", '$HOME', 'a b'] } });
    await waitFor('argv finished', () => master.last('argv')?.state === 'TASK_FINISHED');
    const sandbox = path.join(fs.realpathSync(workDir), 'sandboxes', FW, 'argv');
    assert.equal(fs.readFileSync(path.join(sandbox, 'stdout'), 'utf8'), "it's $HOME a b\n");
  });

  test('startAt (launch ahead): STARTING at once, the command and RUNNING at startAt; $0 and $@ as without it', async () => {
    const startAt = Date.now() + 1500;
    await master.launch({ taskId: 'ahead-1', startAt, command: { value: 'date +%s.%N; echo "$0|$#|$1"' } });
    await waitFor('ahead-1 starting', () => master.last('ahead-1')?.state === 'TASK_STARTING');
    assert.ok(Date.now() < startAt - 200, 'TASK_STARTING well before startAt');
    const sandbox = path.join(fs.realpathSync(workDir), 'sandboxes', FW, 'ahead-1');
    assert.equal(fs.readFileSync(path.join(sandbox, 'stdout'), 'utf8'), '', 'the command waits');
    await waitFor('ahead-1 finished', () => master.last('ahead-1')?.state === 'TASK_FINISHED');
    assert.deepEqual(master.statesOf('ahead-1'), ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
    const running = master.updates.find((u) => u.taskId === 'ahead-1' && u.state === 'TASK_RUNNING');
    assert.ok(running && Math.abs(running.timestamp * 1000 - startAt) < 150, `RUNNING at ${running?.timestamp}, startAt ${startAt}`);
    const [began, args] = fs.readFileSync(path.join(sandbox, 'stdout'), 'utf8').trim().split('\n');
    const beganMs = Number(began) * 1000;
    assert.ok(beganMs >= startAt && beganMs - startAt < 300, `command began ${beganMs - startAt} ms after startAt`);
    assert.equal(args, '/bin/sh|0|');
  });

  test('startAt in the past: exactly as without it (RUNNING at once)', async () => {
    await master.launch({ taskId: 'ahead-past', startAt: Date.now() - 1000, command: { value: 'true' } });
    await waitFor('ahead-past finished', () => master.last('ahead-past')?.state === 'TASK_FINISHED');
    assert.deepEqual(master.statesOf('ahead-past'), ['TASK_RUNNING', 'TASK_FINISHED']);
  });

  test('startAt: a kill before startAt gives TASK_KILLED and the command never runs', async () => {
    const startAt = Date.now() + 3000;
    await master.launch({ taskId: 'ahead-kill', startAt, command: { value: 'echo ran' } });
    await waitFor('ahead-kill starting', () => master.last('ahead-kill')?.state === 'TASK_STARTING');
    await master.bus.request(KillTask, [master.agentId], { frameworkId: FW, taskId: 'ahead-kill' });
    await waitFor('ahead-kill killed', () => master.last('ahead-kill')?.state === 'TASK_KILLED');
    assert.deepEqual(master.statesOf('ahead-kill'), ['TASK_STARTING', 'TASK_KILLED']);
    // a negative can only be checked by letting startAt pass: no RUNNING, no output after it
    await waitFor('startAt passed', () => Date.now() > startAt + 300);
    assert.deepEqual(master.statesOf('ahead-kill'), ['TASK_STARTING', 'TASK_KILLED']);
    const sandbox = path.join(fs.realpathSync(workDir), 'sandboxes', FW, 'ahead-kill');
    assert.equal(fs.readFileSync(path.join(sandbox, 'stdout'), 'utf8'), '');
  });

  test('kill: SIGTERM to the group, TASK_KILLED; kill of an unknown task is fine', async () => {
    await master.launch({ taskId: 'sleeper', command: { value: 'sleep 100' } });
    await waitFor('sleeper running', () => master.last('sleeper')?.state === 'TASK_RUNNING');
    await recordPids();
    await master.bus.request(KillTask, [master.agentId], { frameworkId: FW, taskId: 'sleeper' });
    await waitFor('sleeper killed', () => master.last('sleeper')?.state === 'TASK_KILLED');
    await master.bus.request(KillTask, [master.agentId], { frameworkId: FW, taskId: 'no-such-task' });
  });

  test('a task that ignores SIGTERM is SIGKILLed after the grace period', async () => {
    await master.launch({ taskId: 'stubborn', command: { value: "trap '' TERM; sleep 100" }, killPolicy: { gracePeriodSeconds: 0.5 } });
    await waitFor('stubborn running', () => master.last('stubborn')?.state === 'TASK_RUNNING');
    await recordPids();
    const t0 = Date.now();
    await master.bus.request(KillTask, [master.agentId], { frameworkId: FW, taskId: 'stubborn' });
    await waitFor('stubborn killed', () => master.last('stubborn')?.state === 'TASK_KILLED');
    assert.ok(Date.now() - t0 >= 450, 'waited for the grace period');
  });

  test('docker tasks fail: the docker containerizer is not enabled', async () => {
    await master.launch({ taskId: 'dock', container: { type: 'DOCKER', docker: { image: 'busybox' } }, command: { value: 'true' } });
    const s = await waitFor('dock failed', () => master.last('dock'));
    assert.equal(s.state, 'TASK_FAILED');
    assert.equal(s.message, 'docker containerizer is not enabled on this agent');
  });

  test('max completion time: killed, TASK_FAILED REASON_MAX_COMPLETION_TIME_REACHED', async () => {
    await master.launch({ taskId: 'slow', command: { value: 'sleep 100' }, maxCompletionTimeSeconds: 0.5 });
    const s = await waitFor('slow failed', () => (master.last('slow')?.state === 'TASK_FAILED' ? master.last('slow') : undefined));
    assert.equal(s.reason, 'REASON_MAX_COMPLETION_TIME_REACHED');
  });

  test('memory limit: the OOM killer gives REASON_CONTAINER_LIMITATION_MEMORY (when cgroups are usable)', async (t) => {
    const st = (await httpJson('/state')).body as { isolation: string };
    if (st.isolation === 'none') {
      t.skip('no usable cgroups on this machine');
      return;
    }
    await master.launch({ taskId: 'hog', command: { value: 'head -c 200m /dev/zero | tail' }, resources: { scalars: { cpus: 0.1, mem: 32 }, ports: [] } });
    const s = await waitFor('hog failed', () => (master.last('hog')?.state === 'TASK_FAILED' ? master.last('hog') : undefined), 30_000);
    assert.equal(s.reason, 'REASON_CONTAINER_LIMITATION_MEMORY');
    assert.match(s.message ?? '', /memory limit/i);
  });

  test('cpu weights: a task weighs 1024 shares per cpu, its agent\'s group what the agent offers (when cgroups are usable)', async (t) => {
    const st = (await httpJson('/state')).body as { isolation: string };
    isolation = st.isolation;
    if (st.isolation !== 'cgroups-v1' && st.isolation !== 'cgroups-v2') {
      t.skip('no usable cgroups on this machine');
      return;
    }
    await master.launch({ taskId: 'weighed', command: { value: 'sleep 100' }, resources: { scalars: { cpus: 0.25, mem: 32 }, ports: [] } });
    await waitFor('weighed running', () => master.last('weighed')?.state === 'TASK_RUNNING');
    await recordPids();
    const [file, perCpu, dir] = st.isolation === 'cgroups-v1' ? ['cpu.shares', 1024, '/sys/fs/cgroup/cpu/agora'] : ['cpu.weight', 100, '/sys/fs/cgroup/agora'];
    const read = (f: string) => Number(fs.readFileSync(f, 'utf8').trim());
    const agentDir = path.join(dir, master.agentId);
    const taskDir = path.join(agentDir, fs.readdirSync(agentDir).find((n) => n.includes('weighed')) ?? 'missing');
    if (fs.existsSync(path.join(taskDir, file))) {
      assert.equal(read(path.join(taskDir, file)), Math.round(0.25 * perCpu));
      assert.equal(read(path.join(agentDir, file)), 2 * perCpu, 'the agent offers cpus:2');
      assert.ok(read(path.join(dir, file)) >= 2 * perCpu, 'the shared agora group weighs at least as much');
    } else t.diagnostic('no cpu controller here: memory limits only');
    await master.bus.request(KillTask, [master.agentId], { frameworkId: FW, taskId: 'weighed' });
    await waitFor('weighed killed', () => master.last('weighed')?.state === 'TASK_KILLED');
  });

  test('COMMAND health check: run in the sandbox with the task env; healthy/unhealthy updates; killed after consecutive failures', async () => {
    // grace: the first probes may run before the command made `ok`
    const healthCheck = { command: { value: '[ "$MESOS_TASK_ID" = hc-1 ] && test -f ok' }, delaySeconds: 0, intervalSeconds: 0.2, timeoutSeconds: 2, gracePeriodSeconds: 5, consecutiveFailures: 3 };
    await master.launch({ taskId: 'hc-1', command: { value: 'touch ok; sleep 100' }, healthCheck });
    await waitFor('hc-1 healthy', () => master.updates.some((u) => u.taskId === 'hc-1' && u.healthy === true));
    await recordPids();
    const healthy = master.updates.find((u) => u.taskId === 'hc-1' && u.healthy !== undefined);
    assert.equal(healthy?.healthy, true, 'failures inside the grace period before the first pass are not reported');
    assert.equal(healthy?.state, 'TASK_RUNNING');
    assert.equal(healthy?.reason, 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED');
    // reported once, not per probe
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(master.updates.filter((u) => u.taskId === 'hc-1' && u.healthy === true).length, 1);
    fs.rmSync(path.join(fs.realpathSync(workDir), 'sandboxes', FW, 'hc-1', 'ok'));
    const end = await waitFor('hc-1 killed', () => (master.last('hc-1')?.state === 'TASK_KILLED' ? master.last('hc-1') : undefined), 10_000);
    assert.equal(end.reason, 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED');
    assert.equal(end.healthy, false);
    const unhealthy = master.updates.filter((u) => u.taskId === 'hc-1' && u.state === 'TASK_RUNNING' && u.healthy === false);
    assert.equal(unhealthy.length, 3, 'each counted failure is reported, the third kills');
    assert.match(unhealthy[0]?.message ?? '', /health check failed: exit status 1/);
  });

  test('COMMAND health check: a probe past its timeout fails; consecutiveFailures 0 never kills', async () => {
    const healthCheck = { command: { value: 'sleep 5' }, delaySeconds: 0, intervalSeconds: 0.1, timeoutSeconds: 0.3, gracePeriodSeconds: 0, consecutiveFailures: 0 };
    await master.launch({ taskId: 'hc-slow', command: { value: 'sleep 100' }, healthCheck });
    const u = await waitFor('hc-slow unhealthy', () => master.updates.find((x) => x.taskId === 'hc-slow' && x.healthy === false));
    await recordPids();
    assert.match(u.message ?? '', /timed out after 0.3 s/);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(master.last('hc-slow')?.state, 'TASK_RUNNING', 'not killed');
    await master.bus.request(KillTask, [master.agentId], { frameworkId: FW, taskId: 'hc-slow' });
    const end = await waitFor('hc-slow killed', () => (master.last('hc-slow')?.state === 'TASK_KILLED' ? master.last('hc-slow') : undefined));
    assert.equal(end.reason, undefined, 'killed on request, not for its health');
    assert.equal(end.healthy, false, 'the last verdict stays on later updates');
  });

  test('a duplicate launch of a running task is ignored; ShutdownFramework kills the framework’s tasks', async () => {
    await master.launch({ taskId: 'dup', command: { value: 'sleep 100' } });
    await master.launch({ taskId: 'dup', command: { value: 'sleep 100' } });
    await waitFor('dup running', () => master.last('dup')?.state === 'TASK_RUNNING');
    await recordPids();
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(master.statesOf('dup'), ['TASK_RUNNING']);
    await master.bus.request(ShutdownFramework, [master.agentId], { frameworkId: FW });
    const s = await waitFor('dup killed', () => (master.last('dup')?.state === 'TASK_KILLED' ? master.last('dup') : undefined));
    assert.equal(s.reason, 'REASON_FRAMEWORK_REMOVED');
  });

  test('re-registers when the master forgets it (UNKNOWN_AGENT) and when a new leader is elected', async () => {
    const n = master.registrations.length;
    master.forgetAgent = true;
    await waitFor('re-registration after UNKNOWN_AGENT', () => master.registrations.length > n);
    assert.equal(master.registrations.at(-1)?.agentId, master.agentId);
    const m = master.registrations.length;
    master.bus.publish(LeaderEvent, [], {
      epoch: 2,
      leader: { id: 'm2', hostname: '127.0.0.1', ip: '127.0.0.1', port: 5050, url: 'http://127.0.0.1:5050', version: '0.1.0', epoch: 2 },
    });
    await waitFor('re-registration after a new leader', () => master.registrations.length > m);
  });

  test('files API stays inside the sandboxes', async () => {
    assert.equal((await httpJson(`/files/read?path=${encodeURIComponent('/etc/passwd')}`)).status, 403);
    assert.equal((await httpJson(`/files/browse?path=${encodeURIComponent(path.join(workDir, 'sandboxes', '..', 'meta'))}`)).status, 403);
    assert.equal((await httpJson(`/files/read?path=${encodeURIComponent(path.join(fs.realpathSync(workDir), 'sandboxes', 'nope'))}`)).status, 404);
    const list = await httpJson(`/files/browse?path=${encodeURIComponent(path.join(fs.realpathSync(workDir), 'sandboxes', FW, 'echo-1'))}`);
    assert.equal(list.status, 200);
    assert.ok((list.body as { path: string }[]).some((e) => e.path.endsWith('/stdout')));
  });

  test('an unacknowledged update is resent until acked', async () => {
    master.withholdAcks.add('unacked');
    await master.launch({ taskId: 'unacked', command: { value: 'sleep 100' } });
    await waitFor('resends', () => master.updates.filter((u) => u.taskId === 'unacked').length >= 3, 5000);
    const uuids = new Set(master.updates.filter((u) => u.taskId === 'unacked').map((u) => u.uuid));
    assert.equal(uuids.size, 1, 'the same update (uuid) is resent; the next waits for its ack');
    await recordPids();
    master.withholdAcks.delete('unacked');
    await master.bus.request(KillTask, [master.agentId], { frameworkId: FW, taskId: 'unacked' });
    await waitFor('unacked killed', () => master.last('unacked')?.state === 'TASK_KILLED');
  });

  test('recovery: SIGKILLed agent, a live task is re-adopted and one that ended meanwhile is reported', async () => {
    await master.launch({ taskId: 'survivor', command: { value: 'sleep 100' } });
    await master.launch({ taskId: 'ends-while-down', command: { value: 'sleep 1; exit 4' } });
    await waitFor('both running', () => master.last('survivor')?.state === 'TASK_RUNNING' && master.last('ends-while-down')?.state === 'TASK_RUNNING');
    await recordPids();
    const before = master.registrations.length;
    agent!.kill('SIGKILL');
    await exited(agent!);
    await new Promise((r) => setTimeout(r, 1500)); // let ends-while-down end while no agent runs
    await startAgent();
    const reg = await waitFor('re-registration', () => master.registrations[before]);
    assert.equal(reg.agentId, master.agentId, 're-registers with its checkpointed id');
    const survivor = reg.tasks.find((t) => t.task.taskId === 'survivor');
    assert.equal(survivor?.state, 'TASK_RUNNING');
    const s = await waitFor('ends-while-down reported', () => (master.last('ends-while-down')?.state === 'TASK_FAILED' ? master.last('ends-while-down') : undefined));
    assert.equal(s.exitCode, 4);
    await master.bus.request(KillTask, [master.agentId], { frameworkId: FW, taskId: 'survivor' });
    await waitFor('survivor killed', () => master.last('survivor')?.state === 'TASK_KILLED');
  });

  test('a crashed spawner orphans its tasks: they are watched by polling and their exit status still arrives', async () => {
    await master.launch({ taskId: 'orphaned', command: { value: 'sleep 1; exit 9' } });
    await waitFor('orphaned running', () => master.last('orphaned')?.state === 'TASK_RUNNING');
    await recordPids();
    const children = fs.readFileSync(`/proc/${agent!.pid}/task/${agent!.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
    for (const pid of children) if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('spawner-main')) process.kill(pid, 'SIGKILL');
    const s = await waitFor('orphaned failed', () => (master.last('orphaned')?.state === 'TASK_FAILED' ? master.last('orphaned') : undefined));
    assert.equal(s.exitCode, 9);
    // and the next launch gets a new spawner
    await master.launch({ taskId: 'after-spawner', command: { value: 'true' } });
    await waitFor('after-spawner finished', () => master.last('after-spawner')?.state === 'TASK_FINISHED');
  });

  test('startAt: tasks due at one instant are released together; a spawner crash meanwhile leaves them on their own clock', async () => {
    const together = Date.now() + 1500;
    await master.launch({ taskId: 'ahead-a', startAt: together, command: { value: 'date +%s.%N' } });
    await master.launch({ taskId: 'ahead-b', startAt: together, command: { value: 'date +%s.%N' } });
    const orphanedAt = Date.now() + 2500;
    await master.launch({ taskId: 'ahead-orphan', startAt: orphanedAt, command: { value: 'date +%s.%N' } });
    await waitFor('all starting', () => ['ahead-a', 'ahead-b', 'ahead-orphan'].every((t) => master.last(t)?.state === 'TASK_STARTING'));
    await waitFor('a and b finished', () => ['ahead-a', 'ahead-b'].every((t) => master.last(t)?.state === 'TASK_FINISHED'));
    const sandboxes = path.join(fs.realpathSync(workDir), 'sandboxes', FW);
    for (const t of ['ahead-a', 'ahead-b']) {
      const began = Number(fs.readFileSync(path.join(sandboxes, t, 'stdout'), 'utf8')) * 1000;
      assert.ok(began >= together && began - together < 300, `${t} began ${began - together} ms after startAt`);
      assert.deepEqual(master.statesOf(t), ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
    }
    assert.deepEqual(fs.readdirSync(sandboxes + '/ahead-a').filter((f) => f.startsWith('.agora-wake')), [], 'the FIFO behind the wake-up pipe is gone');
    // the spawner dies before ahead-orphan is due: its wrapper still starts the command on time
    const children = fs.readFileSync(`/proc/${agent!.pid}/task/${agent!.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
    for (const pid of children) if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('spawner-main')) process.kill(pid, 'SIGKILL');
    assert.equal(master.last('ahead-orphan')?.state, 'TASK_STARTING');
    await waitFor('ahead-orphan finished', () => master.last('ahead-orphan')?.state === 'TASK_FINISHED');
    const began = Number(fs.readFileSync(path.join(sandboxes, 'ahead-orphan', 'stdout'), 'utf8')) * 1000;
    assert.ok(began >= orphanedAt && began - orphanedAt < 300, `ahead-orphan began ${began - orphanedAt} ms after startAt`);
    assert.deepEqual(master.statesOf('ahead-orphan'), ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
    const running = master.updates.find((u) => u.taskId === 'ahead-orphan' && u.state === 'TASK_RUNNING');
    assert.ok(running && Math.abs(running.timestamp * 1000 - orphanedAt) < 300, 'RUNNING reported at startAt');
  });

  test('--no-kill-tasks-on-exit: tasks outlive a stopping agent and the next start re-adopts them', async () => {
    agent!.kill('SIGTERM');
    assert.equal(await exited(agent!), 0);
    const before = master.registrations.length;
    await startAgent(['--no-kill-tasks-on-exit']);
    await waitFor('registered', () => master.registrations.length > before);
    await master.launch({ taskId: 'keeps-running', command: { value: 'sleep 100' } });
    await waitFor('keeps-running running', () => master.last('keeps-running')?.state === 'TASK_RUNNING');
    await recordPids();
    agent!.kill('SIGTERM');
    assert.equal(await exited(agent!), 0);
    assert.equal(master.last('keeps-running')?.state, 'TASK_RUNNING');
    const regs = master.registrations.length;
    await startAgent();
    const reg = await waitFor('re-registration', () => master.registrations[regs]);
    assert.equal(reg.tasks.find((t) => t.task.taskId === 'keeps-running')?.state, 'TASK_RUNNING');
  });

  test('SIGTERM: the agent kills its tasks, reports them and exits 0', async () => {
    await master.launch({ taskId: 'last', command: { value: 'sleep 100' } });
    await waitFor('last running', () => master.last('last')?.state === 'TASK_RUNNING');
    await recordPids();
    agent!.kill('SIGTERM');
    assert.equal(await exited(agent!), 0);
    assert.equal(master.last('last')?.state, 'TASK_KILLED');
    assert.equal(master.last('keeps-running')?.state, 'TASK_KILLED', 're-adopted tasks are killed too');
    if (isolation !== 'none') {
      for (const ctrl of ['memory', 'cpu']) assert.equal(fs.existsSync(`/sys/fs/cgroup/${ctrl}/agora/${master.agentId}`), false, `no ${ctrl} cgroup left behind`);
    }
  });
});
