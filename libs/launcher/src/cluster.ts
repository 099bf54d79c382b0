import * as fs from 'node:fs';
import * as path from 'node:path';
import { CORE_COMPONENTS } from './components';
import { ensureDockerDaemon, removeAgentContainers, type DockerDaemon } from './docker-daemon';
import { planEndpoints } from './endpoints';
import type { ExitInfo } from './managed-process';
import { planPorts, range } from './port-plan';
import { onEmergencyExit } from './process-registry';
import { builtMain } from './repo-paths';
import { forgetProcesses, recordProcess } from './stale-processes';
import { killLeftoverTasks, killLeftoverTasksSync } from './task-sweeper';
import type {
  ClusterEndpoints,
  ClusterOptions,
  ComponentContext,
  ComponentDef,
  Instance,
  PortPlan,
  ProgressEvent,
  ResolvedClusterOptions,
} from './types';

export function resolveClusterOptions(o: ClusterOptions): ResolvedClusterOptions {
  const workDir = path.resolve(o.workDir);
  const agents = o.agents ?? 1;
  const perAgent = (v: string | Array<string | undefined> | undefined) => range(agents).map((i) => (Array.isArray(v) ? v[i] : v));
  return {
    workDir,
    logDir: path.join(workDir, 'logs'),
    masters: o.masters ?? 1,
    agents,
    ports: o.ports ?? 'fixed',
    portOffset: o.portOffset ?? 0,
    logLevel: o.logLevel ?? process.env.AGORA_LOG_LEVEL ?? 'info',
    consul: o.consul ?? 'persistent',
    agentResources: perAgent(o.agentResources),
    agentAttributes: perAgent(o.agentAttributes),
    masterFlags: o.masterFlags ?? [],
    agentFlags: o.agentFlags ?? [],
    missing: o.missing ?? 'skip',
    readyTimeoutMs: o.readyTimeoutMs ?? 60_000,
    env: o.env ?? {},
    docker: o.docker ?? 'auto',
    dockerDir: path.resolve(o.dockerDir ?? path.join(workDir, 'docker')),
  };
}

/**
 * A whole cluster on one machine: NATS → Consul → masters → agents (→ the frameworks as they come),
 * each started and waited for in turn, stopped in reverse. start() cleans up after itself when it fails;
 * stop() may be called at any time (also while starting, and twice) and leaves no process behind,
 * including task processes that agents left running.
 */
export class Cluster {
  readonly opts: ResolvedClusterOptions;
  private plan: PortPlan | undefined;
  private planned: ClusterEndpoints | undefined;
  private readonly byKind = new Map<string, Instance[]>();
  private readonly skipped = new Set<string>();
  /** Processes stopped on purpose: their exit is not "unexpected". */
  private readonly stoppedOnPurpose = new WeakSet<object>();
  private readonly abort = new AbortController();
  private startPromise: Promise<void> | undefined;
  private stopPromise: Promise<void> | undefined;
  private unhookEmergency: (() => void) | undefined;
  private readonly progress: (e: ProgressEvent) => void;
  private readonly exitListeners: Array<(inst: Instance, info: ExitInfo) => void> = [];
  private docker: DockerDaemon | undefined;

  constructor(
    options: ClusterOptions,
    readonly components: readonly ComponentDef[] = CORE_COMPONENTS,
  ) {
    this.opts = resolveClusterOptions(options);
    this.progress = options.onProgress ?? (() => undefined);
  }

  static async start(options: ClusterOptions, components?: readonly ComponentDef[]): Promise<Cluster> {
    const c = new Cluster(options, components);
    await c.start();
    return c;
  }

  /** Endpoints of what this cluster runs (skipped components left out). Available once start() has planned. */
  get endpoints(): ClusterEndpoints {
    const p = this.planned;
    if (!p) throw new Error('cluster not started');
    return {
      ...p,
      masters: this.skipped.has('master') ? [] : p.masters,
      agents: this.skipped.has('agent') ? [] : p.agents,
    };
  }

  get portPlan(): PortPlan {
    if (!this.plan) throw new Error('cluster not started');
    return this.plan;
  }

  /** Every instance started, in start order (running or not). */
  instances(): Instance[] {
    return this.components.flatMap((d) => (this.byKind.get(d.kind) ?? []).filter((i): i is Instance => i !== undefined));
  }

  instance(kind: string, index: number): Instance | undefined {
    return this.byKind.get(kind)?.[index];
  }

  isSkipped(kind: string): boolean {
    return this.skipped.has(kind);
  }

  /** Called when a component exits without being told to (`agora up` reports it). */
  onUnexpectedExit(fn: (inst: Instance, info: ExitInfo) => void): void {
    this.exitListeners.push(fn);
  }

  async start(): Promise<void> {
    if (this.startPromise) return this.startPromise;
    this.startPromise = this.doStart();
    try {
      await this.startPromise;
    } catch (e) {
      await this.stop();
      throw e;
    }
  }

  stop(): Promise<void> {
    this.stopPromise ??= this.doStop();
    return this.stopPromise;
  }

  /** Signals one instance (SIGKILL by default: a crash) and waits for it to be gone. */
  async kill(kind: string, index: number, signal: NodeJS.Signals = 'SIGKILL', graceMs = 10_000): Promise<ExitInfo | undefined> {
    const inst = this.instance(kind, index);
    if (!inst) throw new Error(`no ${kind} ${index + 1} in this cluster`);
    this.stoppedOnPurpose.add(inst.proc);
    return inst.proc.stop(signal, graceMs);
  }

  /** Stops the instance if it still runs, starts it again with the same ports and work dir, waits until ready. */
  async restart(kind: string, index: number): Promise<Instance> {
    const def = this.def(kind);
    const old = this.instance(kind, index);
    if (!old) throw new Error(`no ${kind} ${index + 1} in this cluster`);
    if (this.stopPromise) throw new Error('cluster is stopping');
    if (old.proc.running) {
      this.stoppedOnPurpose.add(old.proc);
      await old.proc.stop('SIGTERM', def.stopGraceMs ?? 10_000);
    }
    const inst = this.spawnOne(def, index);
    await def.ready(this.context(), inst);
    return inst;
  }

  /** Work dirs of the agents in the plan (for task sweeping and tests). */
  agentWorkDirs(): string[] {
    return this.planned?.agents.map((a) => a.workDir) ?? [];
  }

  /** Kills task processes that agents left behind (normally done by stop()). */
  sweepTasks(): Promise<number[]> {
    return killLeftoverTasks(this.agentWorkDirs());
  }

  private async doStart(): Promise<void> {
    const { opts } = this;
    fs.mkdirSync(opts.logDir, { recursive: true });
    this.plan = await planPorts(opts);
    this.planned = planEndpoints(opts, this.plan);
    this.unhookEmergency = onEmergencyExit(() => killLeftoverTasksSync(this.agentWorkDirs()));
    await this.startDocker();
    const ctx = this.context();
    for (const def of this.components) {
      const n = def.count(opts);
      if (n === 0) continue;
      this.abort.signal.throwIfAborted();
      if (def.main && !fs.existsSync(builtMain(def.main))) {
        const rel = path.relative(process.cwd(), builtMain(def.main));
        const why = `${rel.startsWith('..') ? builtMain(def.main) : rel} is not built`;
        if (opts.missing === 'fail') throw new Error(`${def.kind}: ${why} (run \`npm run build\`)`);
        this.skipped.add(def.kind);
        this.progress({ phase: 'skipped', kind: def.kind, count: n, detail: why });
        continue;
      }
      this.progress({ phase: 'starting', kind: def.kind, count: n });
      const t0 = Date.now();
      try {
        if (def.parallel) {
          const insts = range(n).map((i) => this.spawnOne(def, i));
          await Promise.all(insts.map((inst) => def.ready(ctx, inst)));
        } else {
          for (const i of range(n)) {
            this.abort.signal.throwIfAborted();
            await def.ready(ctx, this.spawnOne(def, i));
          }
        }
      } catch (e) {
        this.progress({ phase: 'failed', kind: def.kind, count: n, ms: Date.now() - t0, detail: e instanceof Error ? e.message : String(e) });
        throw e;
      }
      this.progress({ phase: 'ready', kind: def.kind, count: n, ms: Date.now() - t0 });
    }
  }

  private async doStop(): Promise<void> {
    this.abort.abort(new Error('cluster stopping'));
    await this.startPromise?.catch(() => undefined);
    if (!this.plan) return; // never got as far as starting anything
    const ctx = this.context();
    for (const def of [...this.components].reverse()) {
      const insts = (this.byKind.get(def.kind) ?? []).filter((i): i is Instance => i !== undefined);
      if (insts.length === 0) continue;
      const t0 = Date.now();
      const live = insts.filter((i) => i.proc.running);
      if (live.length > 0) this.progress({ phase: 'stopping', kind: def.kind, count: live.length });
      for (const i of live) this.stoppedOnPurpose.add(i.proc);
      await Promise.all(live.map((i) => i.proc.stop('SIGTERM', def.stopGraceMs ?? 10_000)));
      try {
        await def.afterStop?.(ctx, insts);
      } catch {
        // clean-up is best effort; the emergency hook below still runs on exit
      }
      if (live.length > 0) this.progress({ phase: 'stopped', kind: def.kind, count: live.length, ms: Date.now() - t0 });
    }
    // agents that were killed earlier (crash tests) and never restarted leave tasks behind too
    await killLeftoverTasks(this.agentWorkDirs()).catch(() => []);
    if (this.docker) {
      await removeAgentContainers(this.docker.socket, this.agentWorkDirs()).catch(() => 0);
      if (this.docker.startedByUs) {
        this.progress({ phase: 'stopping', kind: 'docker', count: 1 });
        const t0 = Date.now();
        await this.docker.stop();
        this.progress({ phase: 'stopped', kind: 'docker', count: 1, ms: Date.now() - t0 });
      }
    }
    forgetProcesses(this.opts.workDir);
    this.unhookEmergency?.();
  }

  /**
   * Finds or starts the Docker daemon (opts.docker). Not fatal: without one the agents run the process
   * containerizer only, so a machine without Docker (or without root) still gets a cluster.
   */
  private async startDocker(): Promise<void> {
    const setting = this.opts.docker;
    if (setting === 'off') return;
    if (typeof setting === 'object') {
      this.docker = { socket: setting.socket, startedByUs: false, stop: () => Promise.resolve() };
      return;
    }
    this.progress({ phase: 'starting', kind: 'docker', count: 1 });
    const t0 = Date.now();
    try {
      this.docker = await ensureDockerDaemon({ dir: this.opts.dockerDir, logFile: path.join(this.opts.logDir, 'dockerd.log'), signal: this.abort.signal });
      // so that the next `agora up` stops it should this launcher be SIGKILLed
      if (this.docker.pid !== undefined) recordProcess(this.opts.workDir, 'dockerd', this.docker.pid);
      this.progress({ phase: 'ready', kind: 'docker', count: 1, ms: Date.now() - t0, detail: this.docker.socket });
    } catch (e) {
      this.abort.signal.throwIfAborted();
      this.progress({ phase: 'skipped', kind: 'docker', count: 1, detail: `no Docker daemon, tasks run as processes only: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` });
    }
  }

  private spawnOne(def: ComponentDef, index: number): Instance {
    const inst = def.spawn(this.context(), index);
    if (inst.proc.pid > 0) recordProcess(this.opts.workDir, inst.name, inst.proc.pid);
    let list = this.byKind.get(def.kind);
    if (!list) this.byKind.set(def.kind, (list = []));
    list[index] = inst;
    void inst.proc.exited.then((info) => {
      if (this.stoppedOnPurpose.has(inst.proc) || this.stopPromise) return;
      for (const fn of this.exitListeners) fn(inst, info);
    });
    return inst;
  }

  private def(kind: string): ComponentDef {
    const d = this.components.find((c) => c.kind === kind);
    if (!d) throw new Error(`unknown component kind ${kind}`);
    return d;
  }

  private context(): ComponentContext {
    const plan = this.plan;
    const endpoints = this.planned;
    if (!plan || !endpoints) throw new Error('cluster not planned');
    return {
      opts: this.opts,
      plan,
      endpoints,
      running: (kind) => (this.byKind.get(kind) ?? []).filter((i): i is Instance => i !== undefined && i.proc.running),
      signal: this.abort.signal,
      ...(this.docker ? { dockerSocket: this.docker.socket } : {}),
    };
  }
}
