import { randomUUID } from 'node:crypto';
import { AgoraError, sandboxPath, type FrameworkInfo, type TaskInfo, type TaskStatus } from '@agora/contracts';
import type { Logger } from '@agora/logging';
import { isTerminal, isValidTaskId, type TaskReason, type TaskState } from '@agora/model';
import type { CheckpointStore } from './checkpoint/checkpoint-store';
import type { DockerContainerizer } from './containerizers/docker/docker-containerizer';
import { LaunchError, ProcessContainerizer } from './containerizers/process/process-containerizer';
import { finalStateOf, type KillCause, type Termination } from './containerizers/process/termination';
import { HealthChecker } from './health/health-checker';
import type { StatusUpdateManager } from './status-updates/status-update-manager';
import { taskKey, toCheckpoint, type TaskCheckpoint, type TaskRecord } from './tasks/task-record';

/** Acknowledged terminal tasks kept in memory for /state. */
const MAX_COMPLETED = 200;
const SAFE_ID = /^[A-Za-z0-9_.:-]{1,200}$/;
/** Tasks launched per turn of the event loop. */
const LAUNCH_CHUNK = 8;

export interface AgentCoreOptions {
  workDir: string;
  ip: string;
  defaultGraceMs: number;
  log: Logger;
}

export interface TaskReport {
  frameworkId: string;
  task: TaskInfo;
  state: TaskState;
  latestStatus?: TaskStatus;
  sandbox: string;
}

/**
 * The agent's task bookkeeping: launches, kills, ends, status updates and checkpoints. Transport-free:
 * the NATS handlers (registration/) and the HTTP API (api/) call into it.
 */
export class AgentCore {
  private readonly tasks = new Map<string, TaskRecord>();
  private readonly completed: TaskCheckpoint[] = [];
  private readonly frameworks = new Map<string, FrameworkInfo>();
  /** Frameworks the master shut down on this agent (shown as completed in /state). */
  readonly shutDownFrameworks = new Set<string>();
  private agentId: string | undefined;
  private shuttingDown = false;
  readonly counters = { launched: 0, finished: 0, failed: 0, killed: 0, lost: 0, error: 0, validUpdates: 0 };

  containerizer!: ProcessContainerizer;
  /** Set when the agent runs the docker containerizer: `container.type: DOCKER` tasks go there. */
  docker: DockerContainerizer | undefined;
  updates!: StatusUpdateManager;
  private readonly health: HealthChecker;

  constructor(
    private readonly store: CheckpointStore,
    private readonly opts: AgentCoreOptions,
  ) {
    this.health = new HealthChecker(
      {
        envOf: (rec) => this.containerizer.taskEnv(rec, this.agentId ?? ''),
        report: (rec, healthy, message) => {
          if (rec.ended || rec.kill || rec.state !== 'TASK_RUNNING' || this.shuttingDown) return;
          rec.healthy = healthy;
          const ipAddresses = rec.latestStatus?.ipAddresses;
          this.setStatus(rec, { state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED', message, ...(ipAddresses ? { ipAddresses } : {}) });
        },
        kill: (rec, message) => {
          this.opts.log.info({ taskId: rec.task.taskId, frameworkId: rec.frameworkId, message }, 'killing a task whose health check keeps failing');
          this.killTask(rec.frameworkId, rec.task.taskId, undefined, 'health-check');
        },
      },
      opts.log,
    );
  }

  /** Wires the collaborators (they need callbacks into this object). */
  attach(containerizer: ProcessContainerizer, updates: StatusUpdateManager, docker?: DockerContainerizer): void {
    this.containerizer = containerizer;
    this.updates = updates;
    this.docker = docker;
  }

  get id(): string | undefined {
    return this.agentId;
  }

  setAgentId(id: string): void {
    this.agentId = id;
  }

  // ------------------------------------------------------------------ recovery

  /**
   * Start-up: reload every checkpointed task. Live ones are re-adopted; those that ended while the agent
   * was down get their terminal update now; terminal ones whose updates were all acknowledged are dropped.
   */
  recover(): void {
    this.updates.restore();
    const cps = this.store.loadTasks();
    let adopted = 0;
    let ended = 0;
    for (const cp of cps) {
      const rec: TaskRecord = { ...cp, cgroups: cp.cgroups ?? [], statuses: cp.statuses ?? [] };
      this.frameworks.set(rec.frameworkId, rec.framework);
      if (isTerminal(rec.state)) {
        if (this.updates.hasPending(rec.frameworkId, rec.task.taskId)) {
          rec.ended = true;
          this.tasks.set(taskKey(rec.frameworkId, rec.task.taskId), rec);
        } else {
          this.store.removeTask(rec.frameworkId, rec.task.taskId);
          this.remember(rec);
        }
        continue;
      }
      this.tasks.set(taskKey(rec.frameworkId, rec.task.taskId), rec);
      if (isDockerTask(rec) && !this.docker) {
        // its container may well run on, but nothing here can watch it: say so rather than guess
        ended++;
        rec.ended = true;
        this.setStatus(rec, {
          state: 'TASK_FAILED',
          reason: 'REASON_EXECUTOR_TERMINATED',
          message: 'the agent restarted without the docker containerizer and can no longer watch this task\'s container',
          source: 'SOURCE_AGENT',
        });
        continue;
      }
      const t = isDockerTask(rec) && this.docker ? this.docker.recover(rec) : this.containerizer.recover(rec);
      if (t === undefined) {
        adopted++;
        // still waiting for its startAt when the agent went down: RUNNING at startAt (at once if past)
        if (rec.state === 'TASK_STARTING') this.armStart(rec, rec.task.startAt ?? 0);
        else this.nowRunning(rec);
      } else {
        ended++;
        this.taskEnded(rec, t, 'SOURCE_AGENT');
      }
    }
    if (cps.length) this.opts.log.info({ checkpointed: cps.length, adopted, ended }, 'recovered tasks from checkpoints');
    // looks the containers up asynchronously (and removes this agent's unknown ones); ends come as updates
    if (this.docker) void this.docker.afterRecovery();
    if (this.agentId) {
      const keep = new Set<string>();
      for (const r of this.tasks.values()) for (const d of r.cgroups) keep.add(d);
      const swept = this.containerizer.sweepCgroups(this.agentId, keep);
      if (swept) this.opts.log.info({ groups: swept }, 'removed task cgroups left over by an earlier run');
    }
  }

  // ------------------------------------------------------------------ commands from the master

  /** LaunchTasks: validated synchronously, started asynchronously (outcomes arrive as status updates). */
  launchTasks(frameworkId: string, framework: FrameworkInfo, tasks: TaskInfo[]): void {
    if (!SAFE_ID.test(frameworkId) || frameworkId === '.' || frameworkId === '..')
      throw new AgoraError('INVALID_TASK', `framework id "${frameworkId}" cannot name a sandbox directory`);
    if (this.shuttingDown) throw new AgoraError('INVALID_OPERATION', 'the agent is shutting down');
    this.frameworks.set(frameworkId, framework);
    this.shutDownFrameworks.delete(frameworkId);
    let i = 0;
    // a few tasks per macrotask: heartbeats and acks keep flowing during a big launch
    const next = (): void => {
      for (const end = Math.min(i + LAUNCH_CHUNK, tasks.length); i < end; i++) {
        const task = tasks[i];
        if (!task) continue;
        try {
          this.launchOne(frameworkId, framework, task);
        } catch (e) {
          this.opts.log.error({ taskId: task.taskId, err: e instanceof Error ? e.stack : String(e) }, 'launch failed unexpectedly');
        }
      }
      if (i < tasks.length) setImmediate(next);
    };
    next();
  }

  private launchOne(frameworkId: string, framework: FrameworkInfo, task: TaskInfo): void {
    const key = taskKey(frameworkId, task.taskId);
    const existing = this.tasks.get(key);
    if (existing) {
      this.opts.log.info(
        { frameworkId, taskId: task.taskId, state: existing.state },
        isTerminal(existing.state) ? 'ignoring launch of a task whose final status is still being delivered' : 'ignoring duplicate launch of a running task',
      );
      return;
    }
    const agentId = this.agentId;
    if (!agentId) throw new Error('launch before registration');
    if (task.agentId !== agentId) this.opts.log.warn({ taskId: task.taskId, for: task.agentId, me: agentId }, 'launching a task addressed to another agent id');
    const now = Date.now();
    // launch ahead (process tasks only; Docker tasks start at once): the command waits for startAt
    const startAt = task.startAt !== undefined && task.startAt > now && task.container?.type !== 'DOCKER' ? task.startAt : undefined;
    const rec: TaskRecord = {
      frameworkId,
      framework,
      task,
      sandbox: sandboxPath(this.opts.workDir, frameworkId, task.taskId),
      state: 'TASK_STAGING',
      statuses: [],
      cgroups: [],
      launchedAt: now,
      ...(task.maxCompletionTimeSeconds !== undefined ? { deadlineAt: (startAt ?? now) + task.maxCompletionTimeSeconds * 1000 } : {}),
    };
    this.tasks.set(key, rec);
    this.counters.launched++;

    if (!isValidTaskId(task.taskId)) return this.failLaunch(rec, 'TASK_ERROR', 'REASON_TASK_INVALID', `task id "${task.taskId}" cannot name a sandbox`);
    if (task.container?.type === 'DOCKER') {
      if (!this.docker) return this.failLaunch(rec, 'TASK_FAILED', 'REASON_CONTAINER_LAUNCH_FAILED', 'docker containerizer is not enabled on this agent');
      this.docker.launch(rec, agentId, {
        running: (net) => {
          if (rec.ended) return;
          this.setStatus(rec, { state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', ...net });
          this.nowRunning(rec);
        },
        failed: (message) => this.failLaunch(rec, 'TASK_FAILED', 'REASON_CONTAINER_LAUNCH_FAILED', message),
      });
      return;
    }
    if (!task.command?.value?.trim()) return this.failLaunch(rec, 'TASK_ERROR', 'REASON_TASK_INVALID', 'the task has no command to run');
    try {
      this.containerizer.launch(
        rec,
        agentId,
        {
          running: () => {
            if (rec.ended) return;
            if (startAt !== undefined && startAt > Date.now()) {
              // created and waiting in its wrapper: RUNNING when the spawner lets the command go
              this.setStatus(rec, { state: 'TASK_STARTING', source: 'SOURCE_EXECUTOR' });
              return;
            }
            this.setStatus(rec, { state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', ipAddresses: [this.opts.ip] });
            this.nowRunning(rec);
          },
          released: () => this.commandReleased(rec),
          failed: (message) => this.failLaunch(rec, 'TASK_FAILED', 'REASON_CONTAINER_LAUNCH_FAILED', message),
        },
        startAt,
      );
    } catch (e) {
      const msg = e instanceof LaunchError ? e.message : `could not launch: ${e instanceof Error ? e.message : String(e)}`;
      return this.failLaunch(rec, 'TASK_FAILED', 'REASON_CONTAINER_LAUNCH_FAILED', msg);
    }
  }

  private failLaunch(rec: TaskRecord, state: TaskState, reason: TaskReason, message: string): void {
    rec.ended = true;
    this.opts.log.info({ taskId: rec.task.taskId, frameworkId: rec.frameworkId, reason, message }, 'task launch failed');
    this.setStatus(rec, { state, reason, message, source: 'SOURCE_AGENT' });
  }

  /** KillTask: unknown or already finished tasks need nothing done. */
  killTask(frameworkId: string, taskId: string, gracePeriodSeconds?: number, cause: KillCause = 'kill'): void {
    const rec = this.tasks.get(taskKey(frameworkId, taskId));
    if (!rec || rec.ended || isTerminal(rec.state)) {
      this.opts.log.debug({ frameworkId, taskId }, 'kill of a task that is not running: nothing to do');
      return;
    }
    const graceMs = gracePeriodSeconds !== undefined ? gracePeriodSeconds * 1000 : rec.task.killPolicy ? rec.task.killPolicy.gracePeriodSeconds * 1000 : this.opts.defaultGraceMs;
    this.health.stop(rec);
    if (!rec.kill) {
      rec.kill = { cause, requestedAt: Date.now(), graceMs };
      this.opts.log.info({ frameworkId, taskId, cause, graceMs }, 'killing task');
      if (graceMs > 0 && rec.framework.capabilities.includes('TASK_KILLING_STATE'))
        this.setStatus(rec, { state: 'TASK_KILLING', source: 'SOURCE_EXECUTOR' });
      else this.store.writeTask(toCheckpoint(rec));
    }
    if (isDockerTask(rec) && this.docker) this.docker.kill(rec, graceMs);
    else this.containerizer.kill(rec, graceMs);
  }

  shutdownFramework(frameworkId: string): void {
    this.shutDownFrameworks.add(frameworkId);
    let n = 0;
    for (const rec of this.tasks.values()) {
      if (rec.frameworkId !== frameworkId || rec.ended) continue;
      this.killTask(frameworkId, rec.task.taskId, undefined, 'framework-shutdown');
      n++;
    }
    this.opts.log.info({ frameworkId, tasks: n }, 'framework shut down');
  }

  ack(frameworkId: string, taskId: string, uuid: string): void {
    this.updates.ack(frameworkId, taskId, uuid);
  }

  // ------------------------------------------------------------------ task ends

  /** The containerizer saw the task's process end. */
  taskEnded(rec: TaskRecord, t: Termination, source: TaskStatus['source'] = 'SOURCE_EXECUTOR'): void {
    this.health.stop(rec);
    if (rec.deadlineTimer) clearTimeout(rec.deadlineTimer);
    rec.deadlineTimer = undefined;
    if (rec.startTimer) clearTimeout(rec.startTimer);
    rec.startTimer = undefined;
    // launch ahead: a command that began at startAt and ended before our timer ran still gets its RUNNING
    if (rec.state === 'TASK_STARTING' && !rec.kill && rec.task.startAt !== undefined && Date.now() >= rec.task.startAt) {
      this.setStatus(rec, { state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', ipAddresses: [this.opts.ip] });
    }
    rec.ended = true;
    const f = finalStateOf({ ...t, maxCompletionSeconds: rec.task.maxCompletionTimeSeconds });
    this.opts.log.debug({ taskId: rec.task.taskId, state: f.state, message: f.message }, 'task ended');
    this.setStatus(rec, { state: f.state, reason: f.reason, message: f.message, exitCode: f.exitCode, source });
  }

  /** The terminal update was acknowledged: the task is history. */
  terminalAcked(frameworkId: string, taskId: string): void {
    const key = taskKey(frameworkId, taskId);
    const rec = this.tasks.get(key);
    if (!rec) return;
    this.tasks.delete(key);
    this.store.removeTask(frameworkId, taskId);
    if (rec.cgroups.length) void this.containerizer.destroyCgroups(rec.cgroups);
    if (rec.docker) this.docker?.remove(rec);
    this.remember(rec);
  }

  private remember(rec: TaskRecord): void {
    this.completed.push(toCheckpoint(rec));
    if (this.completed.length > MAX_COMPLETED) this.completed.splice(0, this.completed.length - MAX_COMPLETED);
  }

  /** Launch ahead: the task's command was let go (or, for a recovered task, its startAt came). */
  private commandReleased(rec: TaskRecord): void {
    rec.startTimer = undefined;
    if (rec.ended || rec.kill || rec.state !== 'TASK_STARTING' || this.shuttingDown) return;
    this.setStatus(rec, { state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', ipAddresses: [this.opts.ip] });
    this.nowRunning(rec);
  }

  /** Launch ahead, recovered task: its wrapper (no longer ours to release) starts the command at `startAt`. */
  private armStart(rec: TaskRecord, startAt: number): void {
    rec.startTimer = setTimeout(() => this.commandReleased(rec), Math.max(0, startAt - Date.now()));
    rec.startTimer.unref();
  }

  /** The task's command runs: its completion deadline and health checks start. */
  private nowRunning(rec: TaskRecord): void {
    this.armDeadline(rec);
    this.health.start(rec);
  }

  private armDeadline(rec: TaskRecord): void {
    if (rec.deadlineAt === undefined) return;
    const fire = () => this.killTask(rec.frameworkId, rec.task.taskId, undefined, 'max-completion');
    rec.deadlineTimer = setTimeout(fire, Math.max(0, rec.deadlineAt - Date.now()));
    rec.deadlineTimer.unref();
  }

  private setStatus(
    rec: TaskRecord,
    s: {
      state: TaskState;
      source: TaskStatus['source'];
      reason?: TaskReason;
      message?: string;
      exitCode?: number;
      ipAddresses?: string[];
      labels?: Record<string, string>;
    },
  ): void {
    const timestamp = Date.now() / 1000;
    const status: TaskStatus & { uuid: string } = {
      taskId: rec.task.taskId,
      frameworkId: rec.frameworkId,
      ...(this.agentId ? { agentId: this.agentId } : {}),
      state: s.state,
      source: s.source,
      uuid: randomUUID(),
      timestamp,
      ...(rec.docker?.containerId !== undefined
        ? { containerId: rec.docker.containerId }
        : rec.pid !== undefined
          ? { containerId: `${rec.frameworkId}.${rec.task.taskId}` }
          : {}),
      ...(s.reason ? { reason: s.reason } : {}),
      ...(s.message !== undefined ? { message: s.message } : {}),
      ...(s.exitCode !== undefined ? { exitCode: s.exitCode } : {}),
      ...(s.ipAddresses ? { ipAddresses: s.ipAddresses } : {}),
      ...(s.labels ? { labels: s.labels } : {}),
      ...(rec.healthy !== undefined ? { healthy: rec.healthy } : {}),
    };
    rec.state = s.state;
    rec.latestStatus = status;
    rec.statuses.push({ state: s.state, timestamp });
    this.count(s.state);
    this.store.writeTask(toCheckpoint(rec));
    this.updates.enqueue({ frameworkId: rec.frameworkId, status });
  }

  private count(state: TaskState): void {
    this.counters.validUpdates++;
    if (state === 'TASK_FINISHED') this.counters.finished++;
    else if (state === 'TASK_FAILED') this.counters.failed++;
    else if (state === 'TASK_KILLED') this.counters.killed++;
    else if (state === 'TASK_LOST') this.counters.lost++;
    else if (state === 'TASK_ERROR') this.counters.error++;
  }

  // ------------------------------------------------------------------ views

  /** What (re-)registration reports: every task the agent knows and has not forgotten. */
  taskReports(): { tasks: TaskReport[]; frameworks: { id: string; info: FrameworkInfo }[] } {
    const tasks: TaskReport[] = [];
    const fws = new Map<string, FrameworkInfo>();
    for (const r of this.tasks.values()) {
      tasks.push({ frameworkId: r.frameworkId, task: r.task, state: r.state, latestStatus: r.latestStatus, sandbox: r.sandbox });
      fws.set(r.frameworkId, r.framework);
    }
    return { tasks, frameworks: [...fws].map(([id, info]) => ({ id, info })) };
  }

  activeTasks(): readonly TaskRecord[] {
    return [...this.tasks.values()];
  }

  completedTasks(): readonly TaskCheckpoint[] {
    return this.completed;
  }

  frameworkInfos(): ReadonlyMap<string, FrameworkInfo> {
    return this.frameworks;
  }

  runningCount(): number {
    let n = 0;
    for (const r of this.tasks.values()) if (!r.ended && !isTerminal(r.state)) n++;
    return n;
  }

  // ------------------------------------------------------------------ shutdown

  /**
   * Agent shutdown. With killTasks: SIGTERM every task (SIGKILL after its grace), wait until all have
   * ended, then give their final updates up to `ackWaitMs` to be acknowledged. Without: leave them be.
   */
  async shutdown(killTasks: boolean, ackWaitMs: number): Promise<void> {
    this.shuttingDown = true;
    this.health.stopAll();
    for (const r of this.tasks.values()) {
      if (r.deadlineTimer) clearTimeout(r.deadlineTimer);
      if (r.startTimer) clearTimeout(r.startTimer);
    }
    if (!killTasks) return;
    let maxGrace = 0;
    for (const r of this.tasks.values()) {
      if (r.ended) continue;
      this.killTask(r.frameworkId, r.task.taskId, undefined, 'agent-shutdown');
      maxGrace = Math.max(maxGrace, r.kill?.graceMs ?? 0);
    }
    const allEnded = () => [...this.tasks.values()].every((r) => r.ended);
    await waitFor(allEnded, maxGrace + 2000);
    await waitFor(() => this.updates.pendingCount === 0, ackWaitMs);
    if (!allEnded() || !this.agentId) return;
    // nothing of ours runs any more: leave no cgroup behind (updates still unacknowledged keep their checkpoints)
    for (const r of this.tasks.values()) if (r.cgroups.length) await this.containerizer.destroyCgroups(r.cgroups);
    this.containerizer.removeAgentGroups(this.agentId);
  }
}

function isDockerTask(rec: TaskRecord): boolean {
  return rec.task.container?.type === 'DOCKER';
}

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}
