import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { TaskInfo } from '@agora/contracts';
import type { Logger } from '@agora/logging';
import { shellQuote } from '../containerizers/process/wrapper-script';
import type { TaskRecord } from '../tasks/task-record';
import { INITIAL_HEALTH, nextHealth, type HealthState } from './health-verdict';

type HealthCheck = NonNullable<TaskInfo['healthCheck']>;

/** What the checker needs from the agent. */
export interface HealthCheckHost {
  /** The task's environment, as its command gets it. */
  envOf(rec: TaskRecord): Record<string, string>;
  /** The verdict changed: a TASK_RUNNING update with `healthy`. */
  report(rec: TaskRecord, healthy: boolean, message: string): void;
  /** `failures` counted failures in a row: kill the task. */
  kill(rec: TaskRecord, message: string): void;
}

interface Loop {
  timer?: NodeJS.Timeout;
  probe?: ChildProcess;
  state: HealthState;
  startedAt: number;
}

/** Kept of a failing probe's stderr, for the status message. */
const STDERR_TAIL = 300;

/**
 * Runs tasks' COMMAND health checks (TaskInfo.healthCheck) on the agent, as Mesos' executors do: `/bin/sh
 * -c` in the task's sandbox with its environment, joined to its cgroups (so a check's cost counts against
 * the task), every `intervalSeconds` after the previous probe ended, from `delaySeconds` after
 * TASK_RUNNING. A probe that outlives `timeoutSeconds` is SIGKILLed (its process group) and fails. The
 * verdicts are health-verdict.ts'.
 */
export class HealthChecker {
  private readonly loops = new Map<TaskRecord, Loop>();

  constructor(
    private readonly host: HealthCheckHost,
    private readonly log: Logger,
  ) {}

  /** The task runs (from `startedAt`): starts its checks, if it has any. Idempotent. */
  start(rec: TaskRecord, startedAt = Date.now()): void {
    const check = rec.task.healthCheck;
    if (!check || this.loops.has(rec)) return;
    const loop: Loop = { state: INITIAL_HEALTH, startedAt };
    this.loops.set(rec, loop);
    this.schedule(rec, loop, check, Math.max(0, startedAt + check.delaySeconds * 1000 - Date.now()));
  }

  stop(rec: TaskRecord): void {
    const loop = this.loops.get(rec);
    if (!loop) return;
    this.loops.delete(rec);
    if (loop.timer) clearTimeout(loop.timer);
    if (loop.probe?.pid !== undefined && loop.probe.exitCode === null) killGroup(loop.probe.pid);
  }

  stopAll(): void {
    for (const rec of [...this.loops.keys()]) this.stop(rec);
  }

  private schedule(rec: TaskRecord, loop: Loop, check: HealthCheck, delayMs: number): void {
    loop.timer = setTimeout(() => {
      loop.timer = undefined;
      this.probe(rec, loop, check);
    }, delayMs);
    loop.timer.unref();
  }

  private probe(rec: TaskRecord, loop: Loop, check: HealthCheck): void {
    if (this.loops.get(rec) !== loop) return;
    const joins = rec.cgroups.map((d) => `echo $$ > ${shellQuote(path.join(d, 'cgroup.procs'))} 2>/dev/null`).join('; ');
    const script = `${joins ? `${joins}; ` : ''}eval ${shellQuote(check.command.value)}`;
    let stderr = '';
    let timedOut = false;
    let finished = false;
    const child = spawn('/bin/sh', ['-c', script], { cwd: rec.sandbox, env: this.host.envOf(rec), detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    loop.probe = child;
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-STDERR_TAIL)));
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) killGroup(child.pid);
    }, check.timeoutSeconds * 1000);
    const done = (passed: boolean, why: string): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      loop.probe = undefined;
      if (this.loops.get(rec) !== loop) return;
      const step = nextHealth(loop.state, passed, check, loop.startedAt, Date.now());
      loop.state = step.state;
      const message = passed ? 'health check passed' : `health check failed: ${why}`;
      if (!passed) this.log.debug({ taskId: rec.task.taskId, why }, 'health check failed');
      if (step.report !== undefined) this.host.report(rec, step.report, message);
      if (step.kill) {
        this.stop(rec);
        this.host.kill(rec, `health check failed ${step.state.failures} times in a row (${why})`);
        return;
      }
      this.schedule(rec, loop, check, check.intervalSeconds * 1000);
    };
    child.once('error', (e) => done(false, `could not run the check: ${e.message}`));
    child.once('close', (code, signal) => {
      if (timedOut) return done(false, `timed out after ${check.timeoutSeconds} s`);
      if (code === 0) return done(true, '');
      const tail = stderr.trim().split('\n').pop() ?? '';
      done(false, `${signal ? `signal ${signal}` : `exit status ${code}`}${tail ? `: ${tail}` : ''}`);
    });
  }
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // gone already
  }
}
