import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '@agora/logging';

/** Environment variable telling a forked worker its index (0 is the one that registers in Consul). */
export const WORKER_INDEX_ENV = 'AGORA_DNS_WORKER';
/** What a worker sends its primary once it listens and answers. */
export const WORKER_READY = 'agora-dns-worker-ready';
/** A worker that dies this soon after its (re)start is broken, not unlucky: the primary gives up. */
const CRASH_LOOP_MS = 5_000;
const RESTART_DELAY_MS = 500;
const STOP_GRACE_MS = 10_000;

/** This process's worker index when it was forked by `runWorkers`, else undefined. */
export function workerIndex(): number | undefined {
  if (!cluster.isWorker) return undefined;
  const n = Number(process.env[WORKER_INDEX_ENV]);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/**
 * The primary of `--workers N`: forks N copies of this program, which bind the same UDP, TCP and HTTP ports
 * (node:cluster hands every worker the one UDP socket, and spreads TCP connections). Each worker keeps its
 * own cluster view from NATS, so none depends on another. Why: one Node process answers a datagram per
 * `recvmsg`/`sendmsg` on one thread, and any pause (a GC scavenge, the scheduler giving its core to a
 * neighbour) holds every query queued behind it; with two readers on the socket the other drains the queue.
 *
 * SIGHUP and SIGTERM/SIGINT are passed on to every worker. A worker that dies after it was ready is forked
 * again; one that dies before it was ready (bad config, port taken), or within 5 s of a restart, stops the
 * whole server with its exit code, so a supervisor sees the failure.
 */
export function runWorkers(count: number, log: Logger): void {
  let stopping = false;
  let exitCode = 0;
  const startedAt = new Map<number, number>();
  const ready = new Set<number>();

  const fork = (index: number): void => {
    const w = cluster.fork({ [WORKER_INDEX_ENV]: String(index) });
    startedAt.set(index, Date.now());
    w.on('message', (m: unknown) => {
      if (m === WORKER_READY) ready.add(index);
    });
    w.on('exit', (code, signal) => onExit(index, w, code, signal));
  };

  const live = (): Worker[] => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());

  const stopAll = (code: number): void => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    const hardStop = setTimeout(() => {
      for (const w of live()) w.process.kill('SIGKILL');
      process.exit(exitCode || 1);
    }, STOP_GRACE_MS);
    hardStop.unref();
    for (const w of live()) w.process.kill('SIGTERM');
    if (live().length === 0) process.exit(exitCode);
  };

  const onExit = (index: number, w: Worker, code: number | null, signal: string | null): void => {
    if (stopping) {
      if (code !== 0 && code !== null) exitCode = exitCode || code;
      if (live().filter((x) => x !== w).length === 0) process.exit(exitCode);
      return;
    }
    const wasReady = ready.delete(index);
    const upFor = Date.now() - (startedAt.get(index) ?? 0);
    if (!wasReady || upFor < CRASH_LOOP_MS) {
      log.error({ worker: index, code, signal, upForMs: upFor }, 'dns worker failed; stopping');
      stopAll(code && code > 0 ? code : 1);
      return;
    }
    log.warn({ worker: index, code, signal }, 'dns worker died; starting it again');
    setTimeout(() => {
      if (!stopping) fork(index);
    }, RESTART_DELAY_MS);
  };

  process.on('SIGTERM', () => stopAll(0));
  process.on('SIGINT', () => stopAll(0));
  process.on('SIGHUP', () => {
    if (stopping) return;
    for (const w of live()) w.process.kill('SIGHUP');
  });
  for (let i = 0; i < count; i++) fork(i);
  log.info({ workers: count }, 'dns workers started');
}
