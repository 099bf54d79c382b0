import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sandboxPath, type TaskStatus } from '@agora/contracts';
import { httpJson, httpRequest, startTestCluster, TestFramework, useTestDocker, waitFor, type TestCluster, type TestDocker, type TestTask } from '@agora/testing';

/**
 * The agent's docker containerizer against a real Docker daemon (the one scripts/run-tests.js starts for
 * the run, else the system's, else one started here — never skipped): a cluster of nats-server, Consul,
 * a master and one agent with `--containerizers docker,process`; this test is the framework.
 */
const RESOURCES = 'cpus:4;mem:2048;disk:1000;ports:[31000-31099]';
const AGENT_MAIN = path.resolve(__dirname, '..', 'services', 'agent', 'src', 'main.js');
const AGORA = path.resolve(__dirname, '..', '..', 'bin', 'agora');

describe('docker containerizer end to end', () => {
  let d: TestDocker | undefined;
  let c: TestCluster | undefined;
  let fw: TestFramework | undefined;
  let fid = '';
  let agentId = '';
  let agentDir = '';
  const extraDirs: string[] = [];

  const docker = (): TestDocker => d ?? assert.fail('no docker');
  const cluster = (): TestCluster => c ?? assert.fail('no cluster');
  const framework = (): TestFramework => fw ?? assert.fail('no framework');
  const dockerTask = (t: Omit<TestTask, 'container'> & { network?: 'HOST' | 'NONE' | 'BRIDGE'; image?: string; volumes?: { containerPath: string; hostPath?: string; mode: 'RO' | 'RW' }[] }): TestTask => {
    const { network, image, volumes, ...rest } = t;
    return { ...rest, container: { type: 'DOCKER', docker: { image: image ?? docker().image, network: network ?? 'HOST' }, volumes: volumes ?? [] } };
  };
  const sandbox = (taskId: string): string => sandboxPath(agentDir, fid, taskId);
  const readSandbox = (taskId: string, file: string): string => {
    try {
      return fs.readFileSync(path.join(sandbox(taskId), file), 'utf8');
    } catch {
      return '';
    }
  };
  const launchAndWait = async (t: TestTask, states: TaskStatus['state'][], timeoutMs = 30_000): Promise<TaskStatus> => {
    await framework().launch([t], agentId);
    return framework().waitForState(t.taskId, states, timeoutMs);
  };

  before(async () => {
    d = await useTestDocker();
    c = await startTestCluster({
      agents: 1,
      agentResources: RESOURCES,
      docker: { socket: d.socket },
      agentFlags: ['--containerizers', 'docker,process', '--default-grace-period', '1'],
      logLevel: process.env.AGORA_LOG_LEVEL ?? 'warn',
    });
    agentDir = fs.realpathSync(c.agents[0]?.workDir ?? '');
    fw = new TestFramework(await c.bus(), { name: 'docker-e2e', user: 'root', capabilities: [] });
    fid = await fw.start();
    const offer = await waitFor(() => fw?.offers[0], { what: 'a first offer', timeoutMs: 20_000 });
    agentId = offer.agentId;
  });

  after(async () => {
    await fw?.stop().catch(() => undefined);
    await c?.stop();
    await d?.stop();
    for (const dir of extraDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a container task finishes with its exit code; output in the sandbox; labelled; container id in status and /state', async () => {
    const ok = await launchAndWait(dockerTask({ taskId: 'exit0.1', command: 'echo to-stdout; echo to-stderr >&2' }), ['TASK_FINISHED', 'TASK_FAILED']);
    assert.equal(ok.state, 'TASK_FINISHED', ok.message);
    assert.equal(ok.exitCode, 0);
    assert.match(ok.containerId ?? '', /^[0-9a-f]{64}$/, 'the Docker container id');
    assert.equal(readSandbox('exit0.1', 'stdout'), 'to-stdout\n');
    assert.equal(readSandbox('exit0.1', 'stderr'), 'to-stderr\n');

    const bad = await launchAndWait(dockerTask({ taskId: 'exit3.1', command: 'exit 3' }), ['TASK_FINISHED', 'TASK_FAILED']);
    assert.equal(bad.state, 'TASK_FAILED');
    assert.equal(bad.exitCode, 3);
    assert.equal(bad.message, 'Command exited with status 3');

    // the agent's /state names the container of a running task
    await launchAndWait(dockerTask({ taskId: 'state.1', command: 'sleep 60' }), ['TASK_RUNNING']);
    const running = framework().lastStatus('state.1');
    const info = await docker().docker.getContainer(running?.containerId ?? '').inspect();
    assert.equal(info.Config.Labels['agora.task.id'], 'state.1');
    assert.equal(info.Config.Labels['agora.framework.id'], fid);
    assert.equal(info.Config.Labels['agora.agent.id'], agentId);
    assert.equal(info.Config.Labels['agora.agent.dir'], agentDir);
    assert.equal(info.HostConfig.Memory, 32 * 1024 * 1024);
    assert.equal(info.HostConfig.MemorySwap, 32 * 1024 * 1024);
    assert.equal(info.HostConfig.CpuShares, 102);
    const state = await httpJson<{ frameworks: { executors: { container: string; tasks: { id: string; container_id?: string }[] }[] }[] }>(`${cluster().agents[0]?.url}/state`);
    const ex = state.frameworks.flatMap((f) => f.executors).find((e) => e.tasks.some((t) => t.id === 'state.1'));
    assert.equal(ex?.tasks[0]?.container_id, running?.containerId);
    assert.equal(ex?.container, running?.containerId);
    await framework().driver.kill('state.1', agentId, 0);
    await framework().waitForState('state.1', 'TASK_KILLED');
    // once the terminal update is acknowledged the container is removed
    await waitFor(async () => (await docker().docker.listContainers({ all: true, filters: { id: [running?.containerId ?? ''] } })).length === 0, {
      what: 'the killed task container to be removed',
      timeoutMs: 15_000,
    });
  });

  test('a kill sends SIGTERM, then SIGKILL once the grace period is over', async () => {
    // PID 1 only gets signals it handles: the trap shows SIGTERM came, and then it ignores it
    const t = dockerTask({ taskId: 'grace.1', command: 'trap "echo got TERM" TERM; while true; do sleep 0.1; done', gracePeriodSeconds: 2 });
    await launchAndWait(t, ['TASK_RUNNING']);
    const t0 = Date.now();
    await framework().driver.kill('grace.1', agentId);
    const end = await framework().waitForState('grace.1', ['TASK_KILLED', 'TASK_FAILED', 'TASK_FINISHED'], 15_000);
    const took = Date.now() - t0;
    assert.equal(end.state, 'TASK_KILLED', end.message);
    assert.ok(took >= 1800, `killed after ${took} ms, before its 2 s grace period`);
    assert.ok(took < 2000 + 3000, `killed after ${took} ms, long after its 2 s grace period`);
    await waitFor(() => readSandbox('grace.1', 'stdout').includes('got TERM'), { what: 'the trap output', timeoutMs: 5000 });
  });

  test('a memory limit kills a hungry container: TASK_FAILED with the memory reason', async () => {
    const s = await launchAndWait(dockerTask({ taskId: 'oom.1', command: 'dd if=/dev/zero of=/dev/null bs=64M count=1', mem: 16 }), ['TASK_FINISHED', 'TASK_FAILED']);
    assert.equal(s.state, 'TASK_FAILED');
    assert.equal(s.reason, 'REASON_CONTAINER_LIMITATION_MEMORY', s.message);
    assert.match(s.message ?? '', /Memory limit exceeded/);
  });

  test('env and ports arrive inside; the task serves on its host port', async () => {
    const t = dockerTask({
      taskId: 'env.1',
      ports: 2,
      env: { GREETING: 'hello' },
      command: 'env > env.txt; pwd > pwd.txt; echo served-from-container > index.html; exec httpd -f -p $HOST:$PORT0 -h /mnt/mesos/sandbox',
    });
    await launchAndWait(t, ['TASK_RUNNING']);
    await waitFor(() => readSandbox('env.1', 'index.html'), { what: 'the files the task writes first', timeoutMs: 10_000 });
    const env = Object.fromEntries(
      readSandbox('env.1', 'env.txt')
        .split('\n')
        .filter((l) => l.includes('='))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    assert.equal(env.GREETING, 'hello');
    assert.equal(env.HOST, '127.0.1.1');
    assert.match(env.PORT0 ?? '', /^310\d\d$/);
    assert.equal(env.PORTS, `${env.PORT0},${env.PORT1}`);
    assert.equal(env.PORT, env.PORT0);
    assert.equal(env.MESOS_TASK_ID, 'env.1');
    assert.equal(env.MESOS_SANDBOX, '/mnt/mesos/sandbox');
    assert.match(env.MESOS_CONTAINER_NAME ?? '', /^agora-env\.1-/);
    assert.equal(readSandbox('env.1', 'pwd.txt').trim(), '/mnt/mesos/sandbox');
    const body = await waitFor(
      async () => {
        try {
          const r = await httpRequest(`http://127.0.1.1:${env.PORT0}/index.html`, { timeoutMs: 2000 });
          return r.status === 200 ? r.text : undefined;
        } catch {
          return undefined;
        }
      },
      { what: 'the container to serve HTTP on its port', timeoutMs: 10_000 },
    );
    assert.match(body, /served-from-container/);
    assert.deepEqual(framework().lastStatus('env.1')?.ipAddresses, ['127.0.1.1']);
    await framework().driver.kill('env.1', agentId, 0);
    await framework().waitForState('env.1', 'TASK_KILLED');
  });

  test('volumes: a host path read-only, a sandbox path read-write; NONE networking', async () => {
    const host = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-vol-'));
    extraDirs.push(host);
    fs.writeFileSync(path.join(host, 'in.txt'), 'from the host\n');
    const s = await launchAndWait(
      dockerTask({
        taskId: 'vol.1',
        network: 'NONE',
        volumes: [
          { containerPath: '/data', hostPath: host, mode: 'RO' },
          { containerPath: '/cache', hostPath: 'cache', mode: 'RW' },
        ],
        command: 'cat /data/in.txt > /cache/out.txt; if touch /data/new 2>/dev/null; then exit 9; fi; ls /sys/class/net > /cache/ifaces',
      }),
      ['TASK_FINISHED', 'TASK_FAILED'],
    );
    assert.equal(s.state, 'TASK_FINISHED', `${s.message} ${readSandbox('vol.1', 'stderr')}`);
    assert.equal(readSandbox('vol.1', 'cache/out.txt'), 'from the host\n');
    assert.equal(fs.existsSync(path.join(host, 'new')), false);
    assert.equal(readSandbox('vol.1', 'cache/ifaces').trim(), 'lo', 'NONE: only loopback');
    assert.equal(s.ipAddresses, undefined);
  });

  test('a missing image fails the task fast with the daemon reason; the agent stays healthy', async () => {
    const t0 = Date.now();
    const s = await launchAndWait(dockerTask({ taskId: 'noimage.1', command: 'true', image: 'agora-test/no-such-image:404' }), ['TASK_FAILED', 'TASK_FINISHED', 'TASK_RUNNING'], 20_000);
    assert.equal(s.state, 'TASK_FAILED');
    assert.equal(s.reason, 'REASON_CONTAINER_LAUNCH_FAILED');
    assert.match(s.message ?? '', /^Failed to pull image agora-test\/no-such-image:404: \S/);
    assert.ok(Date.now() - t0 < 15_000, `took ${Date.now() - t0} ms`);
    assert.match(readSandbox('noimage.1', 'stdout'), /Pulling image agora-test\/no-such-image:404/);
    assert.equal((await httpRequest(`${cluster().agents[0]?.url}/health`)).status, 200);
    const next = await launchAndWait(dockerTask({ taskId: 'after-noimage.1', command: 'true' }), ['TASK_FINISHED', 'TASK_FAILED']);
    assert.equal(next.state, 'TASK_FINISHED');
  });

  test('a restarted agent reattaches to running containers, reports those that ended, removes unknown ones', async () => {
    const ticker = dockerTask({ taskId: 'ticker.1', command: 'i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.1; done' });
    const quitter = dockerTask({ taskId: 'quitter.1', command: 'sleep 2; echo bye; exit 4' });
    await framework().launch([ticker, quitter], agentId);
    await framework().waitForState('ticker.1', 'TASK_RUNNING');
    await framework().waitForState('quitter.1', 'TASK_RUNNING');
    const tickerId = framework().lastStatus('ticker.1')?.containerId ?? '';
    const quitterId = framework().lastStatus('quitter.1')?.containerId ?? '';
    await waitFor(() => readSandbox('ticker.1', 'stdout').includes('tick 3'), { what: 'ticker output' });

    await cluster().killAgent(0, 'SIGKILL');
    // an unknown container of this agent (a launch the crash cut short): must be removed on recovery
    const orphan = await docker().docker.createContainer({
      Image: docker().image,
      Cmd: ['sleep', '60'],
      Labels: { 'agora.agent.dir': agentDir, 'agora.agent.id': agentId, 'agora.framework.id': fid, 'agora.task.id': 'never-launched.1' },
      HostConfig: { NetworkMode: 'none' },
    });
    await orphan.start();
    await waitFor(async () => !(await docker().docker.getContainer(quitterId).inspect()).State.Running, { what: 'quitter to exit while the agent is down', timeoutMs: 10_000 });
    const before = framework().updates.length;
    await cluster().restartAgent(0);

    const q = await framework().waitForState('quitter.1', ['TASK_FAILED', 'TASK_FINISHED', 'TASK_KILLED', 'TASK_LOST'], 20_000);
    assert.equal(q.state, 'TASK_FAILED');
    assert.equal(q.exitCode, 4);
    await waitFor(() => readSandbox('quitter.1', 'stdout').includes('bye'), { what: "quitter's output written while the agent was down", timeoutMs: 5000 });
    await waitFor(async () => (await docker().docker.listContainers({ all: true, filters: { id: [orphan.id] } })).length === 0, {
      what: 'the unknown container to be removed',
      timeoutMs: 15_000,
    });
    // the ticker kept running in the same container and its output keeps arriving
    assert.equal((await docker().docker.getContainer(tickerId).inspect()).State.Running, true);
    assert.equal(
      framework()
        .updates.slice(before)
        .some((u) => u.taskId === 'ticker.1' && u.state !== 'TASK_RUNNING'),
      false,
    );
    const lastTick = (): number => Math.max(...[...readSandbox('ticker.1', 'stdout').matchAll(/tick (\d+)/g)].map((m) => Number(m[1])));
    const seen = lastTick();
    await waitFor(() => lastTick() > seen + 5, { what: 'ticker output after the restart' });

    await framework().driver.kill('ticker.1', agentId, 1);
    const k = await framework().waitForState('ticker.1', ['TASK_KILLED', 'TASK_FAILED', 'TASK_FINISHED']);
    assert.equal(k.state, 'TASK_KILLED');
    // nothing the container printed was lost across the restart (a line may be copied twice, never dropped)
    const ticks = new Set([...readSandbox('ticker.1', 'stdout').matchAll(/tick (\d+)/g)].map((m) => Number(m[1])));
    const max = Math.max(...ticks);
    for (let i = 0; i <= max; i++) assert.ok(ticks.has(i), `tick ${i} missing from the sandbox stdout`);
  });

  test('agora execute --docker-image runs the command in a container and exits with its status', async () => {
    // this test's framework holds the agent's offers: let them go to the CLI's framework
    await framework().driver.suppress();
    await framework().driver.decline(framework().offers.splice(0).map((o) => o.id), { refuseSeconds: 3600 });
    const env = { ...process.env };
    delete env.AGORA_MASTER;
    const child = spawn(
      process.execPath,
      [AGORA, 'execute', '--master', cluster().masters[0]?.url ?? '', '--name', 'cli-docker', '--docker-image', docker().image, '--command', 'echo in $MESOS_SANDBOX; exit 3'],
      { stdio: ['ignore', 'pipe', 'pipe'], env },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
    clearTimeout(timer);
    assert.equal(code, 3, `${out}\n${err}`);
    assert.match(out, /^TASK_RUNNING on 127\.0\.1\.1$/m);
    assert.match(out, /^TASK_FAILED: Command exited with status 3$/m);
    const taskId = /Launched task (\S+)/.exec(out)?.[1] ?? '';
    const fwDir = fs.readdirSync(path.join(agentDir, 'sandboxes')).find((f) => fs.existsSync(path.join(agentDir, 'sandboxes', f, taskId)));
    assert.ok(fwDir, 'the task sandbox');
    assert.equal(fs.readFileSync(path.join(agentDir, 'sandboxes', fwDir, taskId, 'stdout'), 'utf8'), 'in /mnt/mesos/sandbox\n');
  });

  test('an agent asked for docker with no daemon refuses to start (exit 2)', async () => {
    const child = spawn(process.execPath, [AGENT_MAIN, '--nats', 'nats://127.0.0.1:1', '--work-dir', path.join(os.tmpdir(), 'agora-nodocker'), '--containerizers', 'docker,process', '--docker-socket', '/nonexistent/docker.sock'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
    fs.rmSync(path.join(os.tmpdir(), 'agora-nodocker'), { recursive: true, force: true });
    assert.equal(code, 2);
    assert.match(err, /--containerizers includes docker but no Docker daemon answers at unix:\/\/\/nonexistent\/docker\.sock/);
  });
});
