/**
 * Launch overhead (issue 2): how many short tasks per second go through the whole cluster — a framework
 * on the SDK accepts offers, the master forwards the launches, the agent spawns the processes, and the
 * status updates come back — against spawning the same processes directly with child_process.spawn.
 *
 *  - reference: N × `/bin/sh -c true` spawned all at once, timed until every one has exited (the median
 *    of 3 runs, measured in this same process, before and after the cluster run);
 *  - cluster: N tasks `true` (shell), timed from the first accept to the last TASK_FINISHED. One warm-up
 *    round of a few tasks runs first, untimed.
 * Target: the cluster's rate within 3× of the reference (ratio = reference rate / cluster rate ≤ 3).
 *
 * Run: bash scripts/build-part.sh bench/launch.bench.ts && node dist/bench/launch.bench.js
 *      [--tasks 200] [--agents 1] [--master http://127.0.0.1:5050  (use a running cluster instead)]
 */
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import { isTerminal } from '@agora/model';
import type { Offer, TaskStatus } from '@agora/contracts';
import { createLogger } from '@agora/logging';
import type { Bus } from '@agora/nats';
import { LaunchTask, pack, ResourceAsk, SchedulerDriver } from '@agora/framework-sdk';
import { startTestCluster, type TestCluster } from '@agora/testing';
import { connectToCluster } from '../cli/src/cluster/connect';

const TASK_CPUS = 0.01;
const TASK_MEM = 4;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Spawns n `/bin/sh -c true` at once; ms until all have exited. */
async function spawnReference(n: number): Promise<number> {
  const t0 = performance.now();
  await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<void>((resolve, reject) => {
          const p = spawn('/bin/sh', ['-c', 'true'], { stdio: 'ignore' });
          p.once('error', reject);
          p.once('exit', () => resolve());
        }),
    ),
  );
  return performance.now() - t0;
}

async function medianReference(n: number, runs = 3): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await spawnReference(n));
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Infinity;
}

interface RoundResult {
  ms: number;
  /** ms from the first accept: its reply, the first and last TASK_RUNNING. */
  acceptReplyMs: number;
  firstRunningMs: number;
  lastRunningMs: number;
  finished: number;
  other: Map<string, number>;
  accepts: number;
}

/**
 * One framework launching `n` tasks through the cluster: packs pending tasks into every offer it gets
 * (one accept per offer), and waits for every task's terminal update.
 */
async function clusterRound(bus: Bus, n: number, label: string, timeoutMs = 180_000): Promise<RoundResult> {
  const ask: ResourceAsk = { scalars: { cpus: TASK_CPUS, mem: TASK_MEM } };
  const pending: LaunchTask[] = Array.from({ length: n }, (_, i) => ({
    taskId: `${label}.${i}`,
    name: label,
    resources: { scalars: { cpus: TASK_CPUS, mem: TASK_MEM }, ports: [] },
    command: { value: 'true', shell: true },
  }));
  let firstAccept: number | undefined;
  let lastDone = 0;
  let accepts = 0;
  let acceptReply = 0;
  let firstRunning: number | undefined;
  let lastRunning = 0;
  const ended = new Set<string>();
  let finished = 0;
  const other = new Map<string, number>();
  let resolveAll!: () => void;
  const allDone = new Promise<void>((r) => (resolveAll = r));

  const onOffers = async (offers: Offer[]): Promise<void> => {
    for (const offer of offers) {
      if (pending.length === 0) {
        await driver.decline([offer.id], { refuseSeconds: 3600 });
        continue;
      }
      const { placed } = pack(
        pending.map(() => ask),
        offer.resources,
      );
      if (placed.length === 0) {
        await driver.decline([offer.id], { refuseSeconds: 1 });
        continue;
      }
      const chosen = new Set(placed.map((p) => p.index));
      const tasks = pending.filter((_, i) => chosen.has(i));
      const rest = pending.filter((_, i) => !chosen.has(i));
      pending.length = 0;
      pending.push(...rest);
      firstAccept ??= performance.now();
      accepts++;
      // What is left of the offer should come back soon if tasks are still waiting.
      await driver.launch([offer], tasks, { refuseSeconds: pending.length ? 0 : 3600 });
      acceptReply ||= performance.now();
    }
    if (pending.length === 0) await driver.suppress();
  };
  const onUpdate = (s: TaskStatus): void => {
    if (s.state === 'TASK_RUNNING') {
      firstRunning ??= performance.now();
      lastRunning = performance.now();
    }
    if (!isTerminal(s.state) || ended.has(s.taskId)) return;
    ended.add(s.taskId);
    if (s.state === 'TASK_FINISHED') finished++;
    else {
      const key = `${s.state}${s.message ? ` (${s.message})` : ''}`;
      other.set(key, (other.get(key) ?? 0) + 1);
    }
    lastDone = performance.now();
    if (ended.size === n) resolveAll();
  };

  const driver: SchedulerDriver = new SchedulerDriver(
    { bus, info: { name: `launch-bench-${label}`, failoverTimeoutSeconds: 0 }, log: createLogger('launch-bench', 'warn') },
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
  } finally {
    if (timer) clearTimeout(timer);
    await driver.teardown().catch(() => undefined);
  }
  const t0 = firstAccept ?? lastDone;
  return {
    ms: lastDone - t0,
    acceptReplyMs: acceptReply - t0,
    firstRunningMs: (firstRunning ?? t0) - t0,
    lastRunningMs: lastRunning ? lastRunning - t0 : 0,
    finished,
    other,
    accepts,
  };
}

async function main(): Promise<void> {
  const n = Number(arg('--tasks') ?? 200);
  const agents = Number(arg('--agents') ?? 1);
  const master = arg('--master');
  let cluster: TestCluster | undefined;
  let bus: Bus;
  let closeBus = async (): Promise<void> => undefined;
  try {
    if (master) {
      const c = await connectToCluster(master, undefined, createLogger('launch-bench', 'warn'));
      bus = c.bus;
      closeBus = () => c.bus.close();
    } else {
      // Enough room for every task at once on each agent: the bench measures launching, not queueing.
      const perAgent = `cpus:${Math.max(4, n * TASK_CPUS * 2)};mem:${Math.max(4096, n * TASK_MEM * 2)};disk:10000;ports:[31000-32000]`;
      cluster = await startTestCluster({ agents, agentResources: perAgent, logLevel: 'warn' });
      bus = await cluster.bus();
    }

    const refBefore = await medianReference(n);
    await clusterRound(bus, Math.min(10, n), 'warmup');
    const round = await clusterRound(bus, n, 'bench');
    const refAfter = await medianReference(n);
    const refMs = Math.min(refBefore, refAfter);

    const refRate = (n / refMs) * 1000;
    const clusterRate = (n / round.ms) * 1000;
    const ratio = refRate / clusterRate;
    console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, node ${process.version}, ${new Date().toISOString()}`);
    console.log(`tasks: ${n} × \`true\`, ${master ? `cluster at ${master}` : `test cluster with ${agents} agent(s)`}`);
    console.log(`reference spawn (/bin/sh -c true, all at once): ${refMs.toFixed(0)} ms → ${refRate.toFixed(0)} tasks/s (runs before/after: ${refBefore.toFixed(0)} / ${refAfter.toFixed(0)} ms)`);
    console.log(`cluster (first accept → last TASK_FINISHED):     ${round.ms.toFixed(0)} ms → ${clusterRate.toFixed(0)} tasks/s in ${round.accepts} accept(s)`);
    console.log(
      `cluster phases (ms after the first accept): accept replied ${round.acceptReplyMs.toFixed(0)}, first TASK_RUNNING ${round.firstRunningMs.toFixed(0)}, last TASK_RUNNING ${round.lastRunningMs.toFixed(0)}, last TASK_FINISHED ${round.ms.toFixed(0)}`,
    );
    console.log(`ratio reference/cluster: ${ratio.toFixed(2)}× (target ≤ 3×)`);
    if (round.finished !== n) console.log(`WARNING: ${n - round.finished} tasks did not finish: ${[...round.other].map(([k, v]) => `${k}: ${v}`).join(', ')}`);
  } finally {
    await closeBus();
    await cluster?.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exitCode = 1;
});
