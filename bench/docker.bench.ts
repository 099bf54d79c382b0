/**
 * Docker launch overhead (issue 6): short containers (`true` in the busybox test image, host networking)
 * launched through the whole cluster — a framework on the SDK accepts an offer, the master forwards the
 * launch, the agent's docker containerizer creates and starts the container, follows its output and
 * exit, and the status updates come back — against `docker run --rm` of the same image on the same
 * daemon, measured in the same run.
 *
 * Two shapes, each with the same concurrency on both sides:
 *  - concurrent: N tasks in one accept vs N × `docker run --rm --network host IMAGE true` started at once;
 *  - sequential: one task at a time (the next is launched when the previous has finished, on the next
 *    offer) vs N × `docker run --rm` one after another.
 * Cluster time runs from the first accept to the last TASK_FINISHED; the agent removes a container once
 * its terminal update is acknowledged, so the time until every container is also removed (which
 * `docker run --rm` includes) is reported too. The reference is run before and after the cluster round;
 * the faster is used. An untimed warm-up round of 5 tasks runs first.
 * Target: cluster time ≤ 1.2 × reference time.
 *
 * Run: bash scripts/build-part.sh bench/docker.bench.ts && node dist/bench/docker.bench.js [--tasks 50]
 * Uses the daemon at DOCKER_HOST or /var/run/docker.sock, else starts its own (vfs, temp dir).
 */
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import type { Offer, TaskStatus } from '@agora/contracts';
import { createLogger } from '@agora/logging';
import { isTerminal } from '@agora/model';
import type { Bus } from '@agora/nats';
import { pack, SchedulerDriver, type LaunchTask, type ResourceAsk } from '@agora/framework-sdk';
import { startTestCluster, useTestDocker, type TestCluster, type TestDocker } from '@agora/testing';

const TASK_CPUS = 0.1;
const TASK_MEM = 16;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function dockerRun(socket: string, image: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('docker', ['-H', `unix://${socket}`, 'run', '--rm', '--network', 'host', image, 'true'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (b: Buffer) => (err += b.toString()));
    p.once('error', reject);
    p.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`docker run exited ${code}: ${err.trim()}`))));
  });
}

/** ms for n `docker run --rm`, all at once or one after another. */
async function reference(d: TestDocker, n: number, concurrent: boolean): Promise<number> {
  const t0 = performance.now();
  if (concurrent) await Promise.all(Array.from({ length: n }, () => dockerRun(d.socket, d.image)));
  else for (let i = 0; i < n; i++) await dockerRun(d.socket, d.image);
  return performance.now() - t0;
}

interface RoundResult {
  /** First accept → last TASK_FINISHED. */
  ms: number;
  /** First accept → the last of the round's containers removed. */
  removedMs: number;
  finished: number;
  other: Map<string, number>;
  accepts: number;
  /** Mean ms from a task's accept to its TASK_RUNNING, and to its terminal update. */
  toRunningMs: number;
  toEndMs: number;
  /** Sequential: mean ms from a task's terminal update to the accept of the next (the offer cycle). */
  gapMs: number;
}

/**
 * One framework launching n DOCKER tasks: with `concurrent` it packs every pending task into each offer;
 * otherwise it launches one task and the next only once that one has finished.
 */
async function clusterRound(bus: Bus, d: TestDocker, n: number, label: string, concurrent: boolean, timeoutMs = 300_000): Promise<RoundResult> {
  const ask: ResourceAsk = { scalars: { cpus: TASK_CPUS, mem: TASK_MEM } };
  const pending: LaunchTask[] = Array.from({ length: n }, (_, i) => ({
    taskId: `${label}.${i}`,
    name: label,
    resources: { scalars: { cpus: TASK_CPUS, mem: TASK_MEM }, ports: [] },
    command: { value: 'true', shell: false },
    container: { type: 'DOCKER', docker: { image: d.image, network: 'HOST' } },
  }));
  let firstAccept: number | undefined;
  let lastDone = 0;
  let accepts = 0;
  let inFlight = 0;
  const acceptedAt = new Map<string, number>();
  let toRunning = 0;
  let toEnd = 0;
  let endedAt: number | undefined;
  let gaps = 0;
  let gapCount = 0;
  const ended = new Set<string>();
  let finished = 0;
  const other = new Map<string, number>();
  let resolveAll!: () => void;
  const allDone = new Promise<void>((r) => (resolveAll = r));

  // sequential: offers that come while a task runs are held (not declined, which would only make the
  // master offer them again and again) and the next task goes on one as soon as the previous has ended
  const held: Offer[] = [];
  const onOffers = async (offers: Offer[]): Promise<void> => {
    for (const offer of offers) {
      const room = concurrent ? pending.length : inFlight === 0 ? Math.min(1, pending.length) : 0;
      if (room === 0) {
        if (pending.length > 0) held.push(offer);
        else await driver.decline([offer.id], { refuseSeconds: 3600 });
        continue;
      }
      const { placed } = pack(
        pending.slice(0, room).map(() => ask),
        offer.resources,
      );
      if (placed.length === 0) {
        await driver.decline([offer.id], { refuseSeconds: 0 });
        continue;
      }
      const tasks = placed.map((p) => pending[p.index]).filter((t): t is LaunchTask => t !== undefined);
      const chosen = new Set(tasks.map((t) => t.taskId));
      const rest = pending.filter((t) => !chosen.has(t.taskId));
      pending.length = 0;
      pending.push(...rest);
      firstAccept ??= performance.now();
      accepts++;
      inFlight += tasks.length;
      for (const t of tasks) acceptedAt.set(t.taskId, performance.now());
      if (endedAt !== undefined) {
        gaps += performance.now() - endedAt;
        gapCount++;
        endedAt = undefined;
      }
      try {
        await driver.launch([offer], tasks, { refuseSeconds: pending.length ? 0 : 3600 });
      } catch (e) {
        // a held offer may have been rescinded meanwhile: the tasks wait for the next one
        console.error(`launch on offer ${offer.id} failed (${e instanceof Error ? e.message : String(e)}); retrying on the next offer`);
        pending.unshift(...tasks);
        inFlight -= tasks.length;
      }
    }
    if (pending.length === 0) await driver.suppress();
  };
  const onUpdate = (s: TaskStatus): void => {
    const at = acceptedAt.get(s.taskId) ?? performance.now();
    if (s.state === 'TASK_RUNNING') toRunning += performance.now() - at;
    if (!isTerminal(s.state) || ended.has(s.taskId)) return;
    ended.add(s.taskId);
    toEnd += performance.now() - at;
    endedAt = performance.now();
    inFlight--;
    if (s.state === 'TASK_FINISHED') finished++;
    else {
      const key = `${s.state}${s.message ? ` (${s.message})` : ''}`;
      other.set(key, (other.get(key) ?? 0) + 1);
    }
    lastDone = performance.now();
    if (ended.size === n) resolveAll();
    else if (!concurrent && pending.length > 0 && held.length > 0) void onOffers(held.splice(0)).catch((e: unknown) => console.error(e));
  };

  const driver: SchedulerDriver = new SchedulerDriver(
    { bus, info: { name: `docker-bench-${label}`, failoverTimeoutSeconds: 0 }, log: createLogger('docker-bench', 'warn') },
    { offers: onOffers, update: onUpdate, error: (m) => console.error(`framework error: ${m}`) },
  );
  await driver.start();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      allDone,
      new Promise<void>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${label}: only ${ended.size}/${n} tasks ended within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    // containers go once their terminal update is acknowledged: wait for the last of this round's
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const left = await d.docker.listContainers({ all: true, filters: { label: [`agora.framework.id=${driver.frameworkId ?? ''}`] } });
      if (left.length === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    if (timer) clearTimeout(timer);
    await driver.teardown().catch(() => undefined);
  }
  held.length = 0;
  const t0 = firstAccept ?? lastDone;
  return { ms: lastDone - t0, removedMs: performance.now() - t0, finished, other, accepts, toRunningMs: toRunning / n, toEndMs: toEnd / n, gapMs: gapCount ? gaps / gapCount : 0 };
}

async function main(): Promise<void> {
  const n = Number(arg('--tasks') ?? 50);
  let d: TestDocker | undefined;
  let cluster: TestCluster | undefined;
  try {
    d = await useTestDocker();
    cluster = await startTestCluster({
      agents: 1,
      agentResources: `cpus:${Math.max(4, n * TASK_CPUS * 2)};mem:${Math.max(4096, n * TASK_MEM * 2)};disk:10000;ports:[31000-32000]`,
      docker: { socket: d.socket },
      agentFlags: ['--containerizers', 'docker,process'],
      logLevel: 'warn',
    });
    const bus = await cluster.bus();
    console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, node ${process.version}, ${new Date().toISOString()}`);
    console.log(`docker: ${(await d.docker.version()).Version} at ${d.socket}${d.startedByUs ? ' (started for this run)' : ''}, storage ${(await d.docker.info() as { Driver?: string }).Driver ?? '?'}`);
    console.log(`tasks: ${n} × \`true\` in ${d.image}, host networking, cpus ${TASK_CPUS}, mem ${TASK_MEM} MB`);
    await clusterRound(bus, d, 5, 'warmup', true);
    for (const concurrent of [true, false]) {
      const shape = concurrent ? 'concurrent (all at once)' : 'sequential (one at a time)';
      const refBefore = await reference(d, n, concurrent);
      const round = await clusterRound(bus, d, n, concurrent ? 'conc' : 'seq', concurrent);
      const refAfter = await reference(d, n, concurrent);
      const refMs = Math.min(refBefore, refAfter);
      const rate = (ms: number): string => ((n / ms) * 1000).toFixed(1);
      console.log(`\n${shape}`);
      console.log(`  docker run --rm:                          ${refMs.toFixed(0)} ms → ${rate(refMs)} containers/s (before/after: ${refBefore.toFixed(0)} / ${refAfter.toFixed(0)} ms)`);
      console.log(`  cluster, first accept → last FINISHED:    ${round.ms.toFixed(0)} ms → ${rate(round.ms)} containers/s in ${round.accepts} accept(s)`);
      console.log(`  cluster, … → last container removed:      ${round.removedMs.toFixed(0)} ms → ${rate(round.removedMs)} containers/s`);
      console.log(`  cluster, per task (mean): accept → RUNNING ${round.toRunningMs.toFixed(0)} ms, accept → FINISHED ${round.toEndMs.toFixed(0)} ms${concurrent ? '' : `, FINISHED → next accept ${round.gapMs.toFixed(0)} ms`}`);
      console.log(`  ratio cluster/reference: ${(round.ms / refMs).toFixed(2)}× to FINISHED, ${(round.removedMs / refMs).toFixed(2)}× to removed (target ≤ 1.2×)`);
      if (round.finished !== n) console.log(`  WARNING: ${n - round.finished} tasks did not finish: ${[...round.other].map(([k, v]) => `${k}: ${v}`).join(', ')}`);
    }
  } finally {
    await cluster?.stop();
    await d?.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exitCode = 1;
});
