import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Cluster, type ClusterOptions, type ComponentDef, type ComponentEndpoint, type ExitInfo, httpRequest } from '@agora/launcher';
import { createLogger } from '@agora/logging';
import { Bus } from '@agora/nats';

export interface TestClusterOptions
  extends Pick<ClusterOptions, 'masters' | 'agents' | 'logLevel' | 'agentResources' | 'agentAttributes' | 'masterFlags' | 'agentFlags' | 'readyTimeoutMs' | 'env'> {
  /** Docker for the agents: 'off' by default (a test that wants Docker passes `{socket}` from useTestDocker()). */
  docker?: ClusterOptions['docker'];
  /** Use this dir instead of a fresh temp dir (it is still removed on stop unless keepWorkDir). */
  workDir?: string;
  /** Keep the work dir (logs!) after stop; also set by AGORA_KEEP_TEST_DIRS=1. */
  keepWorkDir?: boolean;
  /** Replace the component list (later: add frameworks). */
  components?: readonly ComponentDef[];
}

export interface TestCluster {
  readonly workDir: string;
  /** nats://127.0.0.1:<port> */
  readonly nats: string;
  /** http://127.0.0.1:<port> */
  readonly consul: string;
  readonly masters: readonly ComponentEndpoint[];
  /** agents[i] is agent i+1, on 127.0.1.(i+1); `workDir` holds its checkpoints and sandboxes. */
  readonly agents: readonly ComponentEndpoint[];
  readonly cluster: Cluster;
  /** One shared Bus connection to the cluster's NATS, closed by stop(). */
  bus(): Promise<Bus>;
  /** URL of the master that currently leads (asks each master's /master/state without following redirects). */
  leaderUrl(): Promise<string | undefined>;
  /** Signals agent i (0-based; SIGKILL = crash, its tasks keep running) and waits until it is gone. */
  killAgent(i: number, signal?: NodeJS.Signals): Promise<ExitInfo | undefined>;
  /** Starts agent i again with the same address and work dir (it recovers its checkpointed tasks). */
  restartAgent(i: number): Promise<void>;
  killMaster(i: number, signal?: NodeJS.Signals): Promise<ExitInfo | undefined>;
  restartMaster(i: number): Promise<void>;
  /** Path of a component's log ('nats', 'consul', 'master-1', 'agent-2'). */
  logFile(name: string): string;
  /** Stops everything (bus, components, leftover tasks) and removes the work dir. Idempotent. */
  stop(): Promise<void>;
}

/**
 * A real cluster for an end-to-end test: nats-server, Consul (dev mode), masters and agents on free
 * ports in a fresh temp dir. Use it as
 *
 *   let c: TestCluster | undefined;
 *   before(async () => { c = await startTestCluster({ agents: 2 }); });
 *   after(async () => { await c?.stop(); });
 *
 * When start fails halfway, what did start is stopped before the error is thrown (the error carries
 * the tail of the failing component's log), so the after() hook has nothing left to do.
 */
export async function startTestCluster(opts: TestClusterOptions = {}): Promise<TestCluster> {
  const keep = opts.keepWorkDir ?? process.env.AGORA_KEEP_TEST_DIRS === '1';
  const workDir = opts.workDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'agora-test-'));
  const cluster = new Cluster(
    {
      workDir,
      masters: opts.masters ?? 1,
      agents: opts.agents ?? 1,
      ports: 'free',
      consul: 'dev',
      missing: 'fail',
      logLevel: opts.logLevel ?? 'info',
      agentResources: opts.agentResources,
      agentAttributes: opts.agentAttributes,
      masterFlags: opts.masterFlags,
      agentFlags: opts.agentFlags,
      readyTimeoutMs: opts.readyTimeoutMs ?? 30_000,
      env: opts.env,
      docker: opts.docker ?? 'off',
    },
    opts.components,
  );

  const removeDir = (): void => {
    if (keep) process.stderr.write(`agora test cluster: kept ${workDir}\n`);
    else fs.rmSync(workDir, { recursive: true, force: true });
  };
  try {
    await cluster.start();
  } catch (e) {
    removeDir();
    throw e;
  }

  const ep = cluster.endpoints;
  let busPromise: Promise<Bus> | undefined;
  let stopPromise: Promise<void> | undefined;

  const doStop = async (): Promise<void> => {
    const bus = busPromise;
    busPromise = undefined;
    if (bus) await bus.then((b) => b.close()).catch(() => undefined);
    await cluster.stop();
    removeDir();
  };

  return {
    workDir,
    nats: ep.nats,
    consul: ep.consul,
    masters: ep.masters,
    agents: ep.agents,
    cluster,
    bus() {
      if (stopPromise) return Promise.reject(new Error('test cluster stopped'));
      busPromise ??= Bus.connect(ep.nats, 'agora-test', createLogger('test-bus', process.env.AGORA_LOG_LEVEL ?? 'warn'));
      return busPromise;
    },
    async leaderUrl() {
      for (const m of ep.masters) {
        try {
          const res = await httpRequest(`${m.url}/master/state`, { redirect: 'manual', timeoutMs: 2000 });
          if (res.status === 200) return m.url;
        } catch {
          // down: try the next one
        }
      }
      return undefined;
    },
    killAgent: (i, signal = 'SIGKILL') => cluster.kill('agent', i, signal),
    restartAgent: async (i) => {
      await cluster.restart('agent', i);
    },
    killMaster: (i, signal = 'SIGKILL') => cluster.kill('master', i, signal),
    restartMaster: async (i) => {
      await cluster.restart('master', i);
    },
    logFile: (name) => path.join(ep.logDir, `${name}.log`),
    stop() {
      stopPromise ??= doStop();
      return stopPromise;
    },
  };
}
