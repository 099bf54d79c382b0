/**
 * Marathon deploy time (issue 3): POST an app of N instances to Agora's Marathon and time until all N
 * tasks are TASK_RUNNING, then the same with an HTTP health check until all N are healthy.
 *
 *  - cluster: a test cluster with 10 agents (127.0.1.1–10) and Marathon; apps of 50, 100 and 500
 *    instances of `sleep 3600` (0.001 cpus, 4 MB); the health-checked app runs `busybox httpd` on
 *    $HOST:$PORT0 with an HTTP check every second. Timed from the POST to the last status_update_event
 *    TASK_RUNNING (resp. the last health_status_changed_event alive) on /v2/events. Each app is deleted
 *    (untimed) before the next.
 *  - reference: 500 × `sleep 3600` spawned directly with child_process.spawn, timed until every process
 *    has started (its `spawn` event), in this same process.
 * Marathon's published figures (189 agents): 6.1 s for 50 and for 100 instances, 14.2 s for 500.
 * Target: 500 instances running in ≤ 5 s on this machine.
 *
 * Run: bash scripts/build-part.sh bench/marathon.bench.ts && node dist/bench/marathon.bench.js
 *      [--sizes 50,100,500] [--agents 10] [--no-health]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as os from 'node:os';
import { agentComponent, consulComponent, marathonComponent, masterComponent, natsComponent } from '@agora/launcher';
import { startTestCluster, waitFor, type TestCluster } from '@agora/testing';
import { MarathonClient, type EventStream } from '../frameworks/marathon/src/client/marathon-client';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Spawns n `sleep 3600` at once; ms until every one has started. Kills them afterwards. */
async function spawnReference(n: number): Promise<number> {
  const procs: ChildProcess[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<void>((resolve, reject) => {
          const p = spawn('sleep', ['3600'], { stdio: 'ignore' });
          procs.push(p);
          p.once('error', reject);
          p.once('spawn', () => resolve());
        }),
    ),
  );
  const ms = performance.now() - t0;
  await Promise.all(
    procs.map(
      (p) =>
        new Promise<void>((resolve) => {
          if (p.exitCode !== null || p.signalCode !== null) return resolve();
          p.once('exit', () => resolve());
          p.kill('SIGKILL');
        }),
    ),
  );
  return ms;
}

interface DeployResult {
  n: number;
  health: boolean;
  ms: number;
  firstMs: number;
  /** Distinct agents the tasks landed on. */
  hosts: number;
}

/** POSTs the app, waits for n running (or healthy) tasks seen on the event stream; then deletes the app. */
async function deploy(m: MarathonClient, events: EventStream, n: number, health: boolean, timeoutMs = 180_000): Promise<DeployResult> {
  const id = `/bench/${health ? 'web' : 'sleep'}-${n}`;
  const done = new Set<string>();
  let first: number | undefined;
  let last = 0;
  const listener = (e: { eventType: string; [k: string]: unknown }): void => {
    if (e['appId'] !== id) return;
    const hit = health ? e.eventType === 'health_status_changed_event' && e['alive'] === true : e.eventType === 'status_update_event' && e['taskStatus'] === 'TASK_RUNNING';
    if (!hit) return;
    const now = performance.now();
    first ??= now;
    done.add(String(e['taskId']));
    last = now;
  };
  events.onEvent(listener);
  const app = health
    ? {
        id,
        cmd: 'mkdir -p www && echo ok > www/health && exec busybox httpd -f -p $HOST:$PORT0 -h www',
        cpus: 0.001,
        mem: 4,
        instances: n,
        healthChecks: [{ protocol: 'HTTP', path: '/health', intervalSeconds: 1, timeoutSeconds: 2, gracePeriodSeconds: 30 }],
      }
    : { id, cmd: 'sleep 3600', cpus: 0.001, mem: 4, instances: n };
  const t0 = performance.now();
  await m.ok('POST', '/v2/apps', app);
  await waitFor(() => done.size >= n, { timeoutMs, intervalMs: 20, what: `${n} ${health ? 'healthy' : 'running'} tasks of ${id}` });
  const tasks = (await m.ok<{ tasks: { host: string }[] }>('GET', `/v2/apps${id}/tasks`)).body.tasks;
  const result = { n, health, ms: last - t0, firstMs: (first ?? last) - t0, hosts: new Set(tasks.map((t) => t.host)).size };
  await m.ok('DELETE', `/v2/apps${id}?force=true`);
  await waitFor(async () => (await m.request<{ tasks: unknown[] }>('GET', '/v2/tasks')).body.tasks.length === 0 && (await m.deployments()).length === 0, {
    timeoutMs: 120_000,
    intervalMs: 250,
    what: `${id} to be gone`,
  });
  return result;
}

async function main(): Promise<void> {
  const sizes = (arg('--sizes') ?? '50,100,500').split(',').map(Number).filter((x) => x > 0);
  const agents = Number(arg('--agents') ?? 10);
  const withHealth = !process.argv.includes('--no-health');
  const biggest = Math.max(...sizes);
  const perAgentPorts = Math.max(200, Math.ceil((biggest / agents) * 3));
  let cluster: TestCluster | undefined;
  try {
    cluster = await startTestCluster({
      agents,
      agentResources: `cpus:8;mem:${Math.max(4096, Math.ceil((biggest / agents) * 8 * 2))};disk:10000;ports:[31000-${31000 + perAgentPorts}]`,
      components: [natsComponent, consulComponent, masterComponent, agentComponent, marathonComponent],
      logLevel: 'warn',
      readyTimeoutMs: 120_000,
    });
    const inst = cluster.cluster.instance('marathon', 0);
    if (!inst) throw new Error('marathon did not start');
    const m = new MarathonClient(inst.url, 30_000);
    const events = m.events(['status_update_event', 'health_status_changed_event']);
    await events.attached;

    const refBefore = await spawnReference(biggest);
    await deploy(m, events, Math.min(10, biggest), false); // warm-up, untimed
    const results: DeployResult[] = [];
    for (const n of sizes) results.push(await deploy(m, events, n, false));
    if (withHealth) for (const n of sizes) results.push(await deploy(m, events, n, true));
    const refAfter = await spawnReference(biggest);
    events.close();

    const ref = Math.min(refBefore, refAfter);
    console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, node ${process.version}, ${new Date().toISOString()}`);
    console.log(`cluster: ${agents} agents + Marathon (test cluster); tasks 0.001 cpus, 4 MB`);
    console.log(`reference: ${biggest} × \`sleep 3600\` spawned directly: ${ref.toFixed(0)} ms (runs before/after: ${refBefore.toFixed(0)} / ${refAfter.toFixed(0)} ms)`);
    console.log('| instances | until | POST → first | POST → all | agents used | Marathon (published, 189 agents) |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    const published: Record<number, string> = { 50: '6.1 s', 100: '6.1 s', 500: '14.2 s' };
    for (const r of results) {
      console.log(`| ${r.n} | ${r.health ? 'all healthy (HTTP check)' : 'all TASK_RUNNING'} | ${(r.firstMs / 1000).toFixed(2)} s | ${(r.ms / 1000).toFixed(2)} s | ${r.hosts} | ${r.health ? '-' : (published[r.n] ?? '-')} |`);
    }
    const big = results.find((r) => r.n === 500 && !r.health);
    if (big) console.log(`500 running: ${(big.ms / 1000).toFixed(2)} s (target ≤ 5 s: ${big.ms <= 5000 ? 'met' : 'NOT met'}); ratio to direct spawn of 500: ${(big.ms / ref).toFixed(1)}×`);
  } finally {
    await cluster?.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exitCode = 1;
});
