import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '@agora/logging';
import type { Isolator, TaskCgroups } from '../../isolation/cgroups';
import { taskCgroupName } from '../../isolation/cgroup-names';
import type { TaskRecord } from '../../tasks/task-record';
import { isSameProcessAlive, liveProcessGroups, readProcStat, signalGroup } from './proc';
import { SpawnerClient } from './spawner-client';
import { buildTaskEnv } from './task-env';
import { parseExitStatusFile, Termination } from './termination';
import { commandLine, DELAYED_ARGV0, EXIT_STATUS_FILE, wrapperScript } from './wrapper-script';

export interface ProcessContainerizerOptions {
  isolator: Isolator;
  /** With --isolation cgroups a task whose cgroups cannot be made fails; with auto it runs without. */
  strictIsolation: boolean;
  hostname: string;
  agentEnv: Readonly<Record<string, string | undefined>>;
  log: Logger;
}

/** How often tasks that are not our children (re-adopted after a restart) are checked for liveness. */
const ADOPTED_POLL_MS = 250;
/** How long a process group may linger after SIGKILL before the task counts as ended anyway. */
const AFTER_SIGKILL_MS = 1000;
const DRAIN_POLL_MS = 50;
/** How long an ended, re-adopted task's exit-status file is waited for before its status is "unknown". */
const STATUS_FILE_WAIT_MS = 1000;

export class LaunchError extends Error {}

/**
 * Runs tasks as plain processes: each in its own session and process group under a /bin/sh wrapper
 * (wrapper-script.ts) that joins the task's cgroups and runs the command in the sandbox with stdout and
 * stderr appended to files there. A small spawner process forks them and reports their exits; tasks
 * that are not its children (found alive after an agent restart, or orphaned by a spawner crash) are
 * watched by polling /proc. Reports every end through `onEnded`, exactly once.
 */
export class ProcessContainerizer {
  private readonly adopted = new Set<TaskRecord>();
  private poller: NodeJS.Timeout | undefined;
  /** Tasks being killed whose wrapper is gone but whose process group may still hold the command. */
  private readonly draining = new Map<TaskRecord, { t: Termination; since: number }>();
  private drainTimer: NodeJS.Timeout | undefined;
  private isolationWarned = false;

  private readonly spawner: SpawnerClient;

  constructor(
    private readonly opts: ProcessContainerizerOptions,
    private readonly onEnded: (rec: TaskRecord, t: Termination) => void,
  ) {
    this.spawner = new SpawnerClient(opts.log);
  }

  /**
   * Starts the task: sandbox, cgroups and the wrapper process (forked by the spawner). `running` is
   * called once it has a pid, `failed` if it could not be started. Throws LaunchError for what is
   * wrong before anything is started. With `startAt` (epoch ms, launch ahead) the wrapper waits until
   * then before it runs the command; `running` still means "has a pid", `released` is called when the
   * command is let go (by the spawner; at `startAt` by a timer here if the spawner died meanwhile, as
   * the wrapper then keeps time itself).
   */
  launch(rec: TaskRecord, agentId: string, cb: { running: () => void; failed: (message: string) => void; released: () => void }, startAt?: number): void {
    const line = commandLine(rec.task.command);
    if (typeof line !== 'string') throw new LaunchError(line.error);
    const sandbox = rec.sandbox;
    // made here rather than in the spawner: the spawner's fork is the launch pipeline's narrowest step
    const fresh = fs.mkdirSync(sandbox, { recursive: true }) !== undefined;
    const cg = this.prepareCgroups(rec, agentId);
    rec.cgroups = cg.dirs;
    rec.memLimitMb = cg.memLimitMb;
    const env = this.taskEnv(rec, agentId);
    const base = { dir: sandbox, clean: fresh ? [] : [EXIT_STATUS_FILE], statusFile: path.join(sandbox, EXIT_STATUS_FILE), file: '/bin/sh', env };
    const req =
      startAt === undefined
        ? { ...base, args: ['-c', wrapperScript(line, sandbox, cg.procsFiles)] }
        : { ...base, args: ['-c', wrapperScript(line, sandbox, cg.procsFiles, { delayed: true }), DELAYED_ARGV0], delayUntil: startAt };
    let released = false;
    this.spawner.spawn(
      req,
      {
        spawned: (pid) => {
          rec.pid = pid;
          rec.pidStartTime = readProcStat(pid)?.startTime;
          cb.running();
          // a kill that came while the process was being started
          if (rec.kill && !rec.ended) this.kill(rec, Math.max(0, rec.kill.requestedAt + rec.kill.graceMs - Date.now()));
        },
        failed: (error) => {
          void this.opts.isolator.destroy(cg.dirs);
          rec.cgroups = [];
          cb.failed(`could not start the task process: ${error}`);
        },
        exited: (code, signal) => this.processGone(rec, signal ? { signal } : { exitCode: code ?? undefined }),
        released: () => {
          released = true;
          cb.released();
        },
        orphaned: () => {
          this.adopt(rec);
          if (startAt !== undefined && !released) setTimeout(() => !rec.ended && cb.released(), Math.max(0, startAt - Date.now())).unref();
        },
      },
    );
  }

  /** The environment a task's command (and its COMMAND health check) runs with. */
  taskEnv(rec: TaskRecord, agentId: string): Record<string, string> {
    return buildTaskEnv({ task: rec.task, frameworkId: rec.frameworkId, agentId, hostname: this.opts.hostname, sandbox: rec.sandbox, agentEnv: this.opts.agentEnv });
  }

  /**
   * Asks a task to stop: SIGTERM to its process group, SIGKILL after `graceMs` (0: SIGKILL at once).
   * The caller has set rec.kill (and checkpointed it). A second kill can only make it immediate.
   */
  kill(rec: TaskRecord, graceMs: number): void {
    if (rec.ended || rec.pid === undefined) return;
    const pid = rec.pid;
    if (graceMs <= 0) {
      if (rec.sigkillTimer) clearTimeout(rec.sigkillTimer);
      signalGroup(pid, 'SIGKILL');
      return;
    }
    if (rec.sigkillTimer) return; // already terminating: the earlier SIGKILL deadline stands
    signalGroup(pid, 'SIGTERM');
    rec.sigkillTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
    rec.sigkillTimer.unref();
  }

  /**
   * After an agent restart: is the checkpointed task still running? If so it is re-adopted (watched by
   * polling, since it is no longer our child) and undefined is returned; otherwise the termination to
   * report is returned.
   */
  recover(rec: TaskRecord): Termination | undefined {
    if (rec.pid !== undefined && isSameProcessAlive(rec.pid, rec.pidStartTime)) {
      this.adopt(rec);
      if (rec.kill) this.kill(rec, Math.max(0, rec.kill.requestedAt + rec.kill.graceMs - Date.now()));
      return undefined;
    }
    const code = parseExitStatusFile(readText(path.join(rec.sandbox, EXIT_STATUS_FILE)));
    if (code === undefined && rec.pid !== undefined && !rec.kill) {
      // just reaped by the previous agent's lingering spawner, which writes the status right after:
      // let the poller give the file a moment
      this.adopt(rec);
      return undefined;
    }
    // the wrapper is gone; anything it left in its group (or cgroups) must not outlive the task
    if (rec.pid !== undefined) signalGroup(rec.pid, 'SIGKILL');
    rec.ended = true;
    return this.withIsolationFacts(rec, {
      ...(code === undefined ? { unknown: true } : { exitCode: code }),
      killedBy: rec.kill?.cause,
    });
  }

  /** Stops the liveness poller and the spawner (agent shutdown; tasks are left as they are). */
  stop(): Promise<void> {
    if (this.poller) clearInterval(this.poller);
    this.poller = undefined;
    return this.spawner.stop();
  }

  /** Watches a task that is not (or no longer) a child of our spawner by polling /proc. */
  private adopt(rec: TaskRecord): void {
    if (rec.ended) return;
    rec.adopted = true;
    this.adopted.add(rec);
    if (!this.poller) {
      this.poller = setInterval(() => this.pollAdopted(), ADOPTED_POLL_MS);
      this.poller.unref();
    }
  }

  sweepCgroups(agentId: string, keep: ReadonlySet<string>): number {
    return this.opts.isolator.sweep(agentId, keep);
  }

  removeAgentGroups(agentId: string): void {
    this.opts.isolator.removeAgentGroups(agentId);
  }

  destroyCgroups(dirs: readonly string[]): Promise<void> {
    return this.opts.isolator.destroy(dirs);
  }

  private prepareCgroups(rec: TaskRecord, agentId: string): TaskCgroups {
    const iso = this.opts.isolator;
    if (iso.kind === 'none') return { dirs: [], procsFiles: [] };
    try {
      return iso.prepare(agentId, taskCgroupName(rec.frameworkId, rec.task.taskId), { cpus: rec.task.resources.scalars.cpus, memMb: rec.task.resources.scalars.mem });
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (this.opts.strictIsolation) throw new LaunchError(`could not create the task's cgroups: ${msg}`);
      if (!this.isolationWarned) this.opts.log.warn({ err: msg }, 'could not create cgroups for a task; running it without isolation');
      this.isolationWarned = true;
      return { dirs: [], procsFiles: [] };
    }
  }

  private pollAdopted(): void {
    for (const rec of this.adopted) {
      if (rec.pid === undefined || isSameProcessAlive(rec.pid, rec.pidStartTime)) continue;
      const code = parseExitStatusFile(readText(path.join(rec.sandbox, EXIT_STATUS_FILE)));
      if (code === undefined && !rec.kill) {
        // whoever reaped it (a lingering spawner) writes the status just after: wait a little for it
        rec.goneAt ??= Date.now();
        if (Date.now() - rec.goneAt < STATUS_FILE_WAIT_MS) continue;
      }
      this.adopted.delete(rec);
      // not our child: without the status file there is no way to learn how it ended
      this.processGone(rec, code === undefined ? { unknown: true } : { exitCode: code });
    }
    if (this.adopted.size === 0 && this.poller) {
      clearInterval(this.poller);
      this.poller = undefined;
    }
  }

  /**
   * The wrapper has ended. When we were killing the task, its command may still be within its grace
   * period (the wrapper dies of SIGTERM first): wait for the whole group. Otherwise anything the command
   * left behind in its group is killed now: a task's end is its processes' end.
   */
  private processGone(rec: TaskRecord, t: Termination): void {
    if (rec.ended) return;
    const pid = rec.pid;
    if (pid === undefined) return;
    if (!rec.kill) {
      signalGroup(pid, 'SIGKILL');
      this.finish(rec, t);
      return;
    }
    this.draining.set(rec, { t: { ...t, killedBy: rec.kill.cause }, since: Date.now() });
    // a few ms later, so that a mass kill is checked with one /proc scan rather than one per task
    if (!this.drainTimer) this.drainTimer = setTimeout(() => this.checkDraining(), 5);
  }

  /** One pass over the tasks whose wrapper ended during a kill: finish those whose group is empty. */
  private checkDraining(): void {
    if (this.drainTimer) clearTimeout(this.drainTimer);
    this.drainTimer = undefined;
    if (this.draining.size === 0) return;
    const groups = new Set<number>();
    for (const rec of this.draining.keys()) if (rec.pid !== undefined) groups.add(rec.pid);
    const alive = liveProcessGroups(groups);
    const now = Date.now();
    for (const [rec, d] of this.draining) {
      const sigkillDue = rec.kill ? rec.kill.requestedAt + rec.kill.graceMs : d.since;
      const giveUp = Math.max(sigkillDue, d.since) + AFTER_SIGKILL_MS;
      if (rec.pid !== undefined && alive.has(rec.pid) && now < giveUp) continue;
      this.draining.delete(rec);
      this.finish(rec, d.t);
    }
    if (this.draining.size > 0) {
      this.drainTimer = setTimeout(() => this.checkDraining(), DRAIN_POLL_MS);
      this.drainTimer.unref();
    }
  }

  private finish(rec: TaskRecord, t: Termination): void {
    if (rec.ended) return;
    rec.ended = true;
    if (rec.sigkillTimer) clearTimeout(rec.sigkillTimer);
    rec.sigkillTimer = undefined;
    this.adopted.delete(rec);
    const full = this.withIsolationFacts(rec, t);
    this.onEnded(rec, full);
  }

  /** Adds the OOM verdict (read before the cgroups go away) and removes the cgroups. */
  private withIsolationFacts(rec: TaskRecord, t: Termination): Termination {
    const bySigkill = t.signal === 'SIGKILL' || t.exitCode === 137;
    const oomKilled = rec.cgroups.length > 0 && this.opts.isolator.oomKilled(rec.cgroups, bySigkill);
    if (rec.cgroups.length > 0) {
      const dirs = rec.cgroups;
      rec.cgroups = []; // gone; nothing for a later clean-up to do
      void this.opts.isolator.destroy(dirs).catch((e: unknown) => this.opts.log.warn({ err: String(e), dirs }, 'could not remove task cgroups'));
    }
    return { ...t, oomKilled, memLimitMb: rec.memLimitMb };
  }
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
