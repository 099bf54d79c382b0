import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type Docker from 'dockerode';
import type { Logger } from '@agora/logging';
import { taskKey, type TaskRecord } from '../../tasks/task-record';
import type { Termination } from '../process/termination';
import { containerName, LABEL_AGENT_DIR, ownerOf } from './container-labels';
import { buildCreateSpec } from './container-spec';
import { dockerErrorMessage, dockerStatusCode } from './docker-endpoint';
import { ImagePuller } from './image-puller';
import { LogPump, readLogMark, sinceParam } from './log-pump';

export interface DockerContainerizerOptions {
  docker: Docker;
  /** realpath of the agent's work dir: labels every container, scopes recovery to this agent's. */
  agentDir: string;
  hostname: string;
  ip: string;
  defaultGraceMs: number;
  allowPrivileged: boolean;
  allowParameters: boolean;
  cpuQuota: boolean;
  log: Logger;
}

export interface DockerLaunchCallbacks {
  /** The container runs; the addresses (and Mesos-DNS's IP label, for BRIDGE) go into TASK_RUNNING. */
  running: (net: { ipAddresses?: string[]; labels?: Record<string, string> }) => void;
  /** Nothing runs: bad spec, failed pull, create or start. */
  failed: (message: string) => void;
}

/** After the container is gone, how long its log stream may take to deliver the rest of its output. */
const LOG_DRAIN_MS = 2000;
/** How often recovery retries a daemon that does not answer. */
const DAEMON_RETRY_MS = 1000;

/**
 * Runs DOCKER tasks as containers of a Docker daemon, through its Engine API (dockerode):
 *   launch: sandbox → (pull) → create (labels, limits, mounts …; container-spec.ts) → start → RUNNING,
 *           then the container's output is copied into the sandbox (log-pump.ts) and its exit awaited;
 *   kill:   `docker stop` with the grace period (SIGTERM, or the image's stop signal), SIGKILL at its end;
 *   end:    exit code, the daemon's OOMKilled verdict and the kill cause → Termination, reported once;
 *   recovery: containers are found by label; running ones are watched again, ended ones reported,
 *           unknown ones (no live task of this agent) removed.
 * A task's container is removed once its terminal update is acknowledged, so that until then a restarted
 * agent can still read how it ended.
 */
export class DockerContainerizer {
  private readonly images: ImagePuller;
  /** Tasks with a container (or one on its way), by framework + task id. */
  private readonly live = new Map<string, TaskRecord>();
  /** Tasks whose container was started (kill acts on these; the others are stopped by the launch itself). */
  private readonly started = new WeakSet<TaskRecord>();
  private readonly watches = new Map<TaskRecord, AbortController>();
  private recovering: TaskRecord[] = [];
  private stopped = false;

  constructor(
    private readonly opts: DockerContainerizerOptions,
    private readonly onEnded: (rec: TaskRecord, t: Termination) => void,
  ) {
    this.images = new ImagePuller(opts.docker);
  }

  launch(rec: TaskRecord, agentId: string, cb: DockerLaunchCallbacks): void {
    rec.docker = { name: containerName(rec.task.taskId, randomBytes(4).toString('hex')) };
    this.live.set(taskKey(rec.frameworkId, rec.task.taskId), rec);
    void this.run(rec, agentId, cb).catch((e: unknown) => {
      this.opts.log.error({ taskId: rec.task.taskId, err: e instanceof Error ? e.stack : String(e) }, 'docker launch failed unexpectedly');
      this.launchFailed(rec, cb, `could not launch the container: ${e instanceof Error ? e.message : String(e)}`);
    });
  }

  private async run(rec: TaskRecord, agentId: string, cb: DockerLaunchCallbacks): Promise<void> {
    const { docker, log } = this.opts;
    const name = rec.docker?.name ?? '';
    const sandbox = rec.sandbox;
    fs.mkdirSync(sandbox, { recursive: true });
    // present from the start, as for process tasks: `agora task log` and the files API find them at once
    for (const f of ['stdout', 'stderr']) fs.closeSync(fs.openSync(path.join(sandbox, f), 'a'));
    const graceMs = rec.task.killPolicy ? rec.task.killPolicy.gracePeriodSeconds * 1000 : this.opts.defaultGraceMs;
    const built = buildCreateSpec({
      task: rec.task,
      frameworkId: rec.frameworkId,
      agentId,
      agentDir: this.opts.agentDir,
      hostname: this.opts.hostname,
      agentIp: this.opts.ip,
      sandbox,
      name,
      graceMs,
      allowPrivileged: this.opts.allowPrivileged,
      allowParameters: this.opts.allowParameters,
      cpuQuota: this.opts.cpuQuota,
    });
    if (!built.ok) return this.launchFailed(rec, cb, built.error);
    for (const d of built.hostDirs) fs.mkdirSync(d, { recursive: true });
    const spec = built.spec;

    const note = (line: string): void => {
      try {
        fs.appendFileSync(path.join(sandbox, 'stdout'), `${line}\n`);
      } catch {
        // the sandbox went away: the status update still carries the outcome
      }
    };
    try {
      await this.images.ensure(spec.Image, rec.task.container?.docker?.forcePullImage ?? false, note);
    } catch (e) {
      const why = dockerErrorMessage(e);
      note(`Failed to pull image ${spec.Image}: ${why}`);
      return this.launchFailed(rec, cb, `Failed to pull image ${spec.Image}: ${why}`);
    }
    if (pendingKill(rec)) return this.endUnstarted(rec);

    let container: Docker.Container;
    try {
      container = await docker.createContainer(spec);
    } catch (e) {
      return this.launchFailed(rec, cb, `Failed to create the container: ${dockerErrorMessage(e)}`);
    }
    if (rec.docker) rec.docker.containerId = container.id;
    if (pendingKill(rec)) {
      await this.removeQuietly(container.id);
      return this.endUnstarted(rec);
    }
    try {
      await container.start();
    } catch (e) {
      await this.removeQuietly(container.id);
      return this.launchFailed(rec, cb, `Failed to start the container: ${dockerErrorMessage(e)}`);
    }
    this.started.add(rec);

    const mode = spec.HostConfig.NetworkMode;
    let net: { ipAddresses?: string[]; labels?: Record<string, string> } = mode === 'host' ? { ipAddresses: [this.opts.ip] } : {};
    if (mode === 'bridge') {
      try {
        const info = await container.inspect();
        // the legacy top-level field is the default bridge's; user networks only fill Networks
        const legacy = (info.NetworkSettings as { IPAddress?: string }).IPAddress;
        const ip = legacy || Object.values(info.NetworkSettings.Networks ?? {}).find((n) => n.IPAddress)?.IPAddress;
        if (ip) {
          if (rec.docker) rec.docker.ip = ip;
          // where Mesos-DNS (and Agora's DNS) look for a Docker task's own address
          net = { ipAddresses: [ip], labels: { 'Docker.NetworkSettings.IPAddress': ip } };
        }
      } catch (e) {
        log.warn({ taskId: rec.task.taskId, err: dockerErrorMessage(e) }, 'could not read the container address');
      }
    }
    cb.running(net);
    log.debug({ taskId: rec.task.taskId, container: container.id.slice(0, 12), name }, 'container running');
    this.watch(rec, container, undefined);
    // a kill that came while the container was being started (read afresh: it may have come during an await)
    const kill = pendingKill(rec);
    if (kill && !rec.ended) this.kill(rec, Math.max(0, kill.requestedAt + kill.graceMs - Date.now()));
  }

  /**
   * `docker stop` semantics: the stop signal now, SIGKILL once `graceMs` is over (0: at once). Before the
   * container runs there is nothing to signal: the launch sees rec.kill and ends the task itself.
   */
  kill(rec: TaskRecord, graceMs: number): void {
    const id = rec.docker?.containerId;
    if (rec.ended || !id || !this.started.has(rec)) return;
    const c = this.opts.docker.getContainer(id);
    const sigkill = (): void => {
      c.kill({ signal: 'SIGKILL' }).catch((e: unknown) => this.ignoreGone(e, rec, 'SIGKILL'));
    };
    if (graceMs <= 0) {
      if (rec.sigkillTimer) clearTimeout(rec.sigkillTimer);
      rec.sigkillTimer = undefined;
      sigkill();
      return;
    }
    if (rec.sigkillTimer) return; // already stopping: the first deadline stands
    // the daemon escalates by itself too (whole seconds), should the agent be gone by then
    c.stop({ t: Math.ceil(graceMs / 1000) }).catch((e: unknown) => this.ignoreGone(e, rec, 'stop'));
    rec.sigkillTimer = setTimeout(sigkill, graceMs);
    rec.sigkillTimer.unref();
  }

  /** The terminal update was acknowledged: the container has nothing more to tell. */
  remove(rec: TaskRecord): void {
    const id = rec.docker?.containerId;
    if (!id) return;
    void this.removeQuietly(id);
  }

  // ------------------------------------------------------------------ recovery

  /** Start-up, per checkpointed live task: looked up once every task is known (afterRecovery). */
  recover(rec: TaskRecord): undefined {
    rec.docker ??= { name: '' };
    this.live.set(taskKey(rec.frameworkId, rec.task.taskId), rec);
    this.recovering.push(rec);
    return undefined;
  }

  /**
   * Finds this agent's containers by label: running ones of known tasks are watched again (their output
   * copied on from where the last agent stopped), ended ones reported, and every other container of this
   * agent removed. Waits for the daemon as long as it takes (the tasks stay as they were meanwhile).
   */
  async afterRecovery(): Promise<void> {
    const recs = this.recovering;
    this.recovering = [];
    const { docker, log } = this.opts;
    let list: Docker.ContainerInfo[] | undefined;
    for (let attempt = 0; !list; attempt++) {
      if (this.stopped) return;
      try {
        list = await docker.listContainers({ all: true, filters: { label: [`${LABEL_AGENT_DIR}=${this.opts.agentDir}`] } });
      } catch (e) {
        if (attempt % 10 === 0) log.warn({ err: dockerErrorMessage(e) }, 'cannot list containers to recover docker tasks; retrying');
        await new Promise((r) => setTimeout(r, DAEMON_RETRY_MS));
      }
    }
    const byId = new Map(list.map((c) => [c.Id, c]));
    const byTask = new Map<string, Docker.ContainerInfo>();
    for (const c of [...list].sort((a, b) => a.Created - b.Created)) {
      const o = ownerOf(c.Labels);
      if (o) byTask.set(taskKey(o.frameworkId, o.taskId), c);
    }
    const claimed = new Set<string>();
    let reattached = 0;
    for (const rec of recs) {
      if (rec.ended) continue;
      const id = rec.docker?.containerId;
      const c = (id ? byId.get(id) : undefined) ?? byTask.get(taskKey(rec.frameworkId, rec.task.taskId));
      if (!c) {
        this.finish(rec, { killedBy: rec.kill?.cause, ...(rec.kill ? {} : { unknown: true }) });
        continue;
      }
      claimed.add(c.Id);
      if (rec.docker) rec.docker.containerId = c.Id;
      const container = docker.getContainer(c.Id);
      if (c.State === 'created') {
        // created but never started: it never ran, so there is no outcome to report but this
        await this.removeQuietly(c.Id);
        this.finish(rec, { killedBy: rec.kill?.cause, ...(rec.kill ? {} : { unknown: true }) });
        continue;
      }
      this.started.add(rec);
      this.watch(rec, container, readLogMark(rec.sandbox));
      reattached++;
      if (rec.kill) this.kill(rec, Math.max(0, rec.kill.requestedAt + rec.kill.graceMs - Date.now()));
    }
    let removed = 0;
    for (const c of list) {
      if (claimed.has(c.Id)) continue;
      const o = ownerOf(c.Labels);
      const owner = o ? this.live.get(taskKey(o.frameworkId, o.taskId)) : undefined;
      // a task launched since start-up may be creating exactly this container
      if (owner && !owner.ended && (owner.docker?.containerId === undefined || owner.docker.containerId === c.Id)) continue;
      await this.removeQuietly(c.Id);
      removed++;
    }
    if (recs.length || removed) log.info({ checkpointed: recs.length, reattached, removedContainers: removed }, 'recovered docker tasks');
  }

  /** Agent shutdown: stop following logs and exits (containers are left as they are). */
  stop(): Promise<void> {
    this.stopped = true;
    for (const ac of this.watches.values()) ac.abort();
    this.watches.clear();
    return Promise.resolve();
  }

  // ------------------------------------------------------------------ watching a running container

  /** Copies the container's output into the sandbox and reports how it ended once it does. */
  private watch(rec: TaskRecord, container: Docker.Container, resumeAfter: string | undefined): void {
    const ac = new AbortController();
    this.watches.set(rec, ac);
    const logs = this.pumpLogs(rec, container, resumeAfter, ac.signal);
    void (async () => {
      const exited = await this.waitForExit(rec, container, ac.signal);
      if (ac.signal.aborted) return;
      await Promise.race([logs, new Promise((r) => setTimeout(r, LOG_DRAIN_MS).unref())]);
      this.watches.delete(rec);
      if (ac.signal.aborted) return;
      this.finish(rec, exited);
    })();
  }

  /**
   * Follows the container's output into the sandbox until it stops. A stream that ends while the
   * container still runs (the daemon restarted, a connection broke) is followed again from the last
   * message copied, so nothing is lost or copied twice.
   */
  private async pumpLogs(rec: TaskRecord, container: Docker.Container, resumeAfter: string | undefined, signal: AbortSignal): Promise<void> {
    let from = resumeAfter;
    for (let attempt = 0; ; attempt++) {
      const pump = new LogPump(rec.sandbox, from);
      try {
        const since = from ? sinceParam(from) : undefined;
        const stream = (await container.logs({
          follow: true,
          stdout: true,
          stderr: true,
          timestamps: true,
          ...(since ? { since } : {}),
          abortSignal: signal,
        } as Docker.ContainerLogsOptions & { follow: true; abortSignal: AbortSignal })) as NodeJS.ReadableStream;
        await new Promise<void>((resolve) => {
          stream.on('data', (chunk: Buffer) => pump.feed(chunk));
          stream.on('end', resolve);
          stream.on('close', resolve);
          stream.on('error', resolve);
        });
      } catch (e) {
        if (!signal.aborted && attempt % 10 === 0) this.opts.log.warn({ taskId: rec.task.taskId, err: dockerErrorMessage(e) }, 'cannot follow the container output');
      } finally {
        await pump.close();
      }
      from = pump.lastTimestamp;
      if (signal.aborted || rec.ended) return;
      let running = false;
      try {
        running = (await container.inspect()).State.Running;
      } catch (e) {
        if (dockerStatusCode(e) === 404) return;
        running = true; // the daemon is away: try again once it is back
      }
      if (!running) return;
      await new Promise((r) => setTimeout(r, DAEMON_RETRY_MS).unref());
    }
  }

  /**
   * Waits for the container to stop and reads how: exit code and the daemon's OOMKilled. A broken wait
   * (daemon restarted) is retried; a container that disappeared ends the task with an unknown status.
   */
  private async waitForExit(rec: TaskRecord, container: Docker.Container, signal: AbortSignal): Promise<Termination> {
    for (let attempt = 0; ; attempt++) {
      if (signal.aborted) return { unknown: true };
      try {
        await container.wait({ abortSignal: signal });
        const info = await container.inspect();
        if (!info.State.Running) return this.terminationOf(rec, info.State);
      } catch (e) {
        if (signal.aborted) return { unknown: true };
        if (dockerStatusCode(e) === 404) return { killedBy: rec.kill?.cause, ...(rec.kill ? {} : { unknown: true }) };
        if (attempt % 10 === 0) this.opts.log.warn({ taskId: rec.task.taskId, err: dockerErrorMessage(e) }, 'lost track of a container; retrying');
        await new Promise((r) => setTimeout(r, DAEMON_RETRY_MS));
      }
    }
  }

  private terminationOf(rec: TaskRecord, state: { ExitCode: number; OOMKilled: boolean }): Termination {
    const mem = rec.task.resources.scalars.mem;
    return {
      exitCode: state.ExitCode,
      killedBy: rec.kill?.cause,
      // the daemon flags any OOM kill in the container; it is the task's end only when the task failed
      oomKilled: state.OOMKilled && state.ExitCode !== 0,
      ...(mem !== undefined ? { memLimitMb: mem } : {}),
    };
  }

  // ------------------------------------------------------------------ ends

  private finish(rec: TaskRecord, t: Termination): void {
    if (rec.ended) return;
    rec.ended = true;
    if (rec.sigkillTimer) clearTimeout(rec.sigkillTimer);
    rec.sigkillTimer = undefined;
    this.live.delete(taskKey(rec.frameworkId, rec.task.taskId));
    this.onEnded(rec, t);
  }

  /** Killed before its container ran. */
  private endUnstarted(rec: TaskRecord): void {
    this.finish(rec, { killedBy: rec.kill?.cause ?? 'kill' });
  }

  private launchFailed(rec: TaskRecord, cb: DockerLaunchCallbacks, message: string): void {
    this.live.delete(taskKey(rec.frameworkId, rec.task.taskId));
    if (rec.ended) return;
    // a kill during the launch wins: the framework asked for this task to go
    if (rec.kill) return this.endUnstarted(rec);
    cb.failed(message);
  }

  private async removeQuietly(id: string): Promise<void> {
    try {
      await this.opts.docker.getContainer(id).remove({ force: true, v: true });
    } catch (e) {
      const code = dockerStatusCode(e);
      // 404: gone already; 409: removal already in progress
      if (code !== 404 && code !== 409) this.opts.log.warn({ container: id.slice(0, 12), err: dockerErrorMessage(e) }, 'could not remove a container');
    }
  }

  private ignoreGone(e: unknown, rec: TaskRecord, what: string): void {
    const code = dockerStatusCode(e);
    // 304: already stopped; 404: gone; 409: not running
    if (code === 304 || code === 404 || code === 409) return;
    this.opts.log.warn({ taskId: rec.task.taskId, err: dockerErrorMessage(e) }, `docker ${what} failed`);
  }
}

/** rec.kill, read through a call so that TypeScript does not carry a narrowing across awaits. */
function pendingKill(rec: TaskRecord): TaskRecord['kill'] {
  return rec.kill;
}
