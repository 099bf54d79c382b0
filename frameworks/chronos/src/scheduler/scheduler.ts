import type { TaskStatus } from '@agora/contracts';
import { isTerminal } from '@agora/model';
import type { Logger } from '@agora/logging';
import type { Bus } from '@agora/nats';
import type { ChronosConfig } from '../config';
import {
  countRun,
  emptyDependencyState,
  isActive,
  markJobSuccess,
  parseTaskId,
  planKillJob,
  planLaunchAhead,
  planManualRun,
  planTick,
  pruneDependencyState,
  recordLaunched,
  recordRunning,
  removalErrors,
  runsToDrop,
  scheduleStateOnUpsert,
  settleAttempt,
  validateDependencies,
  validateJob,
  type FieldError,
  type Job,
  type JobKind,
  type KillDecision,
  type RunRecord,
  type TickPlan,
} from '../core';
import type { ChronosStore } from '../state/chronos-store';
import { AgentDirectory } from './agent-directory';
import { FrameworkLink } from './framework-link';
import { notBeforeDue } from './launch-ahead';
import type { LeaderState } from './leader-state';
import { Serial } from './serial';
import { TaskLauncher } from './task-launcher';

export type OpResult<T = undefined> = { ok: true; value: T; warnings?: string[] } | { ok: false; status: 400 | 404; message: string; errors?: FieldError[] };

/** How long runs inherited from a previous leader wait for reconciliation before they are launched anyway. */
const CONFIRM_WAIT_MS = 10_000;
/** Explicit reconciliation of every task in flight, as Chronos does (its default is 600 s). */
const RECONCILE_EVERY_MS = 600_000;

/** Terminal answers to a reconciliation request about a task the master does not know. */
const NOT_KNOWN = new Set(['TASK_LOST', 'TASK_UNKNOWN', 'TASK_DROPPED', 'TASK_GONE']);

/**
 * The leader's scheduler for one term: the tick loop (planTick, applied in the order its header gives),
 * status updates (settleAttempt), and the changes the API asks for. Everything that reads or changes
 * the leader's memory runs through one Serial queue; Consul writes are awaited where the order matters
 * (run records before launches, records before acknowledgements).
 */
export class ChronosScheduler {
  readonly serial = new Serial();
  private readonly launcher: TaskLauncher;
  private readonly link: FrameworkLink;
  private readonly agents: AgentDirectory;
  private wakeTimer: NodeJS.Timeout | undefined;
  private reconcileTimer: NodeJS.Timeout | undefined;
  private tickQueued = false;
  private nextWakeMs: number | null = null;
  private updates: TaskStatus[] = [];
  private updatesQueued = false;
  private stopped = false;
  private subscribedAs: string | undefined;

  constructor(
    private readonly cfg: ChronosConfig,
    private readonly log: Logger,
    bus: Bus,
    private readonly store: ChronosStore,
    readonly state: LeaderState,
    frameworkId: string | undefined,
  ) {
    this.agents = new AgentDirectory(bus, log);
    this.link = new FrameworkLink(cfg, bus, store, log, {
      subscribed: (id, isReconnect) => this.subscribed(id, isReconnect),
      offers: (o) => this.launcher.addOffers(o),
      rescind: (id) => this.launcher.rescind(id),
      update: (s) => this.queueUpdate(s),
      disconnected: () => this.launcher.disconnected(),
    }, frameworkId);
    this.launcher = new TaskLauncher({
      log,
      state,
      store,
      serial: this.serial,
      agents: this.agents,
      reviveAheadMs: cfg.reviveAheadMs,
      nextDueMs: () => this.nextWakeMs,
      driver: () => this.link.current,
      frameworkId: () => this.link.frameworkId,
    });
  }

  get frameworkId(): string | undefined {
    return this.link.frameworkId;
  }

  start(): void {
    // Pending runs of the previous leader may have been launched just before it went away.
    for (const r of this.state.activeRuns()) if (r.status === 'pending') this.launcher.awaitConfirmation(r.runKey);
    this.link.start();
    this.tickSoon();
    this.reconcileTimer = setInterval(() => this.reconcileAll(), RECONCILE_EVERY_MS);
    this.reconcileTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    this.launcher.stop();
    await this.link.stop();
  }

  /** For tests and an orderly shutdown: everything queued so far is done. */
  idle(): Promise<void> {
    return this.serial.idle();
  }

  // ------------------------------------------------------------------ subscription

  private subscribed(frameworkId: string, isReconnect: boolean): void {
    this.log.info({ frameworkId, isReconnect }, 'chronos subscribed');
    this.launcher.resubscribed();
    // First subscription of this term, or a new framework id (the old one was torn down, its tasks with
    // it): ask about every task the runs wait on; unknown ones come back LOST and are retried.
    if (frameworkId !== this.subscribedAs) {
      this.subscribedAs = frameworkId;
      this.reconcileAll();
      this.launcher.confirmAfter(CONFIRM_WAIT_MS);
    }
    this.launcher.kick();
  }

  /** Asks the master about every task a run is waiting on (answers come back as updates). */
  private reconcileAll(): void {
    const tasks = this.state
      .activeRuns()
      .filter((r) => r.taskId !== undefined && r.status !== 'retrying' && (r.status !== 'pending' || this.launcher.isUnconfirmed(r.runKey)))
      .map((r) => ({ taskId: r.taskId ?? '', ...(r.agentId ? { agentId: r.agentId } : {}) }));
    if (tasks.length > 0) this.launcher.reconcile(tasks);
  }

  // ------------------------------------------------------------------ ticks

  tickSoon(): void {
    if (this.tickQueued || this.stopped) return;
    this.tickQueued = true;
    setImmediate(() => {
      this.serial
        .run(async () => {
          this.tickQueued = false;
          if (!this.stopped) await this.tick();
        })
        .catch((e: unknown) => {
          this.log.error({ err: e instanceof Error ? e.stack : String(e) }, 'tick failed');
          this.armWake(Date.now() + 1000);
        });
    });
  }

  private armWake(atMs: number | null): void {
    if (this.stopped) return;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    const now = Date.now();
    this.nextWakeMs = atMs;
    // Never sleep longer than tickMs: a safety net against a clock that jumped or a missed kick.
    const wait = Math.max(0, Math.min(atMs === null ? Infinity : atMs - now, this.cfg.tickMs));
    this.wakeTimer = setTimeout(() => this.tickSoon(), wait);
  }

  private async tick(): Promise<void> {
    const now = new Date();
    const t0 = performance.now();
    const plan = planTick({ now, jobs: this.state.jobs, scheduleStates: this.state.schedules, dependencyStates: this.state.deps, activeRuns: this.state.activeRuns() });
    const planned = performance.now();
    await this.apply(plan, now);
    // Launch ahead: runs due within launchAheadMs whose start is certain are decided now (planTick's
    // decision at their due time, same run keys) and launched with startAt = their scheduled time.
    // Applied after the ordinary plan, on the state it left; the records are created before any launch.
    const ahead = planLaunchAhead({ now, aheadMs: this.cfg.launchAheadMs, jobs: this.state.jobs, scheduleStates: this.state.schedules, activeRuns: this.state.activeRuns() });
    if (ahead.plan.starts.length + ahead.plan.records.length + ahead.plan.scheduleStates.length > 0) await this.apply(ahead.plan, now);
    const took = performance.now() - t0;
    const starts = plan.starts.length + ahead.plan.starts.length;
    if (took > 250 || starts >= 100) {
      this.log.info({ starts, ahead: ahead.plan.starts.length, records: plan.records.length, planMs: Math.round(planned - t0), applyMs: Math.round(took - (planned - t0)), lateMs: Date.now() - now.getTime() }, 'large tick');
    }
    const wakes = [plan.nextWakeAt, ahead.nextWakeAt].filter((w): w is string => w !== null).map((w) => Date.parse(w));
    this.armWake(wakes.length === 0 ? null : Math.min(...wakes));
    this.launcher.kick();
  }

  /** Applies a plan in the order plan-tick.ts prescribes; see there for why a crash at any point is safe. */
  private async apply(plan: TickPlan, now: Date): Promise<void> {
    const s = this.state;
    // 1. missed/skipped records and new runs, create-only under their run keys
    const news = plan.starts.filter((d) => d.kind === 'new');
    const created = await Promise.all([...plan.records, ...news.map((d) => d.run)].map((r) => this.store.createRun(r)));
    const writes: Array<Promise<unknown>> = [];
    plan.records.forEach((r, i) => {
      if (!created[i]) return;
      s.setRun(r);
      this.afterRunEnded(r, writes);
    });
    const launch: string[] = [];
    news.forEach((d, i) => {
      const ok = created[plan.records.length + i];
      // 2. a dependency start consumes the child's readiness — also when the run existed already
      if (d.dependencyState) {
        s.deps.set(d.dependencyState.job, d.dependencyState);
        writes.push(this.store.putDeps(d.dependencyState));
      }
      if (!ok) {
        this.log.info({ runKey: d.run.runKey }, 'run already decided earlier; not starting it again');
        return;
      }
      s.setRun(d.run);
      launch.push(d.run.runKey);
    });
    // 2. retries: the run moves to its next attempt, written before that attempt is launched
    const retries = plan.starts.filter((d) => d.kind === 'retry');
    for (const d of retries) {
      s.setRun(d.run);
      launch.push(d.run.runKey);
    }
    await Promise.all(retries.map((d) => this.store.putRun(d.run)));
    // 5 (early). The run records exist, so a crash from here on cannot start these runs twice: launch now,
    // while the bookkeeping below is written.
    for (const k of launch) this.launcher.enqueue(k);
    if (launch.length > 0) this.launcher.kick();
    // 3. kills; expired first attempts
    this.applyKills(plan.kills, writes);
    for (const r of plan.expired) {
      const wasLaunching = this.launcher.isInFlight(r.runKey) || this.launcher.isUnconfirmed(r.runKey);
      this.launcher.forget(r.runKey);
      s.setRun(r);
      writes.push(this.store.putRun(r));
      if (wasLaunching && r.taskId) this.launcher.killTask(r.taskId);
      this.afterRunEnded(r, writes);
    }
    // 4. schedule and dependency bookkeeping
    for (const st of plan.scheduleStates) {
      s.schedules.set(st.job, st);
      writes.push(this.store.putSchedule(st));
    }
    for (const st of plan.dependencyStates) {
      s.deps.set(st.job, st);
      writes.push(this.store.putDeps(st));
    }
    for (const name of plan.exhausted) {
      const job = s.jobs.get(name);
      if (!job || job.disabled) continue;
      // Chronos disables a job whose repetitions ran out.
      const disabled: Job = { ...job, disabled: true };
      s.jobs.set(name, disabled);
      writes.push(this.store.putJob(disabled));
      this.log.info({ job: name }, 'schedule exhausted: job disabled');
    }
    for (const o of plan.omitted) this.log.warn(o, 'scheduled times decided in bulk (missed or skipped), not recorded one by one');
    if (plan.starts.length + plan.records.length > 0) {
      this.log.debug({ starts: plan.starts.length, records: plan.records.length, kills: plan.kills.length }, 'tick applied');
    }
    await Promise.all(writes);
  }

  private applyKills(kills: readonly KillDecision[], writes: Array<Promise<unknown>>): void {
    for (const k of kills) {
      const before = this.state.activeRun(k.runKey);
      const launching = this.launcher.isInFlight(k.runKey) || this.launcher.isUnconfirmed(k.runKey);
      this.launcher.forget(k.runKey);
      this.state.setRun(k.run);
      writes.push(this.store.putRun(k.run));
      // A pending run that never went out has nothing to kill.
      if (k.taskId && (launching || (before !== undefined && before.status !== 'pending'))) this.launcher.killTask(k.taskId, k.run.agentId);
      if (!isActive(k.run)) this.afterRunEnded(k.run, writes);
    }
  }

  /** A run ended: count it and keep only the history the job's limits allow. */
  private afterRunEnded(run: RunRecord, writes: Array<Promise<unknown>>): void {
    const job = this.state.jobs.get(run.job);
    if (!job) return;
    const before = this.state.statsOf(run.job);
    const after = countRun(before, run);
    if (after !== before) {
      this.state.stats.set(run.job, after);
      writes.push(this.store.putStats(run.job, after));
    }
    for (const key of runsToDrop(this.state.runsOf(job.name), job)) {
      this.state.removeRun(job.name, key);
      writes.push(this.store.deleteRun(job.name, key));
    }
  }

  // ------------------------------------------------------------------ status updates

  private queueUpdate(status: TaskStatus): void {
    this.updates.push(status);
    if (this.updatesQueued) return;
    this.updatesQueued = true;
    // Updates of one burst are handled (and their records written) together.
    setImmediate(() => {
      this.serial
        .run(() => {
          this.updatesQueued = false;
          return this.handleUpdates();
        })
        .catch((e: unknown) => this.log.error({ err: e instanceof Error ? e.stack : String(e) }, 'handling status updates failed'));
    });
  }

  private async handleUpdates(): Promise<void> {
    const batch = this.updates;
    this.updates = [];
    const writes: Array<Promise<unknown>> = [];
    let changed = false;
    for (const s of batch) changed = this.applyStatus(s, writes) || changed;
    const results = await Promise.allSettled(writes);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      // Not acknowledged: the agent sends them again and they are applied again (idempotently).
      this.log.error({ err: String(failed.reason), updates: batch.length }, 'could not record status updates; they stay unacknowledged');
    } else for (const s of batch) this.link.acknowledge(s);
    if (changed) this.tickSoon();
    this.launcher.kick();
  }

  /** One update → the run's new record (and stats, children); returns whether a tick may have work. */
  private applyStatus(s: TaskStatus, writes: Array<Promise<unknown>>): boolean {
    const parsed = parseTaskId(s.taskId);
    if (!parsed) return false;
    const run = this.state.activeRun(parsed.runKey);
    if (!run || run.taskId !== s.taskId) {
      // A task no active run waits for (an old attempt, a deleted job, a killed run): it must not run on.
      if (!isTerminal(s.state)) this.launcher.killTask(s.taskId, s.agentId);
      return false;
    }
    const at = new Date(Math.round(s.timestamp * 1000));
    if (!isTerminal(s.state)) {
      this.launcher.forget(run.runKey);
      let next = run;
      // TASK_STARTING (launch ahead) means created and waiting: the run started when RUNNING comes
      if (s.state === 'TASK_RUNNING') next = recordRunning(run, { taskId: s.taskId, at, ...(s.agentId ? { agentId: s.agentId } : {}) });
      else if (run.status === 'pending' && s.agentId) next = recordLaunched(run, { taskId: s.taskId, agentId: s.agentId, at: notBeforeDue(run, at) });
      if (next !== run) {
        this.state.setRun(next);
        writes.push(this.store.putRun(next));
      }
      return false;
    }
    if (run.status === 'pending' && s.uuid === undefined && s.reason === 'REASON_RECONCILIATION' && NOT_KNOWN.has(s.state)) {
      // The master never had this task: the run was decided but its launch never went out.
      this.launcher.confirmedNotLaunched(run.runKey);
      return false;
    }
    const job = this.state.jobs.get(run.job);
    if (!job) return false;
    const settled = settleAttempt({
      job,
      run,
      end: { taskId: s.taskId, state: s.state, at, ...(s.exitCode !== undefined ? { exitCode: s.exitCode } : {}), ...(s.message !== undefined ? { message: s.message } : {}), ...(s.agentId ? { agentId: s.agentId } : {}) },
      stats: this.state.statsOf(job.name),
      jobs: this.state.jobs,
      dependencyStates: this.state.deps,
    });
    if (settled.outcome.kind === 'ignored') return false;
    this.launcher.forget(run.runKey);
    this.state.setRun(settled.run);
    writes.push(this.store.putRun(settled.run));
    if (settled.stats !== this.state.statsOf(job.name)) {
      this.state.stats.set(job.name, settled.stats);
      writes.push(this.store.putStats(job.name, settled.stats));
    }
    for (const d of settled.dependencyStates) {
      this.state.deps.set(d.job, d);
      writes.push(this.store.putDeps(d));
    }
    if (!isActive(settled.run)) this.afterRunEnded(settled.run, writes);
    this.log.debug({ runKey: run.runKey, outcome: settled.outcome.kind, state: s.state }, 'attempt ended');
    return true;
  }

  // ------------------------------------------------------------------ changes from the API

  upsertJob(body: unknown, kind: JobKind): Promise<OpResult<Job>> {
    return this.serial.run(async () => {
      const now = new Date();
      const v = validateJob(body, { now, kind });
      if (!v.ok) return invalid(v.errors);
      const job = v.job;
      const depErrors = validateDependencies(job, this.state.jobs);
      if (depErrors.length > 0) return invalid(depErrors);
      const s = this.state;
      const writes: Array<Promise<unknown>> = [this.store.putJob(job)];
      if (job.schedule !== undefined) {
        const st = scheduleStateOnUpsert(job, s.schedules.get(job.name), now);
        if (st) {
          s.schedules.set(job.name, st);
          writes.push(this.store.putSchedule(st));
        }
        if (s.deps.delete(job.name)) writes.push(this.store.deleteDeps(job.name));
      } else {
        const st = pruneDependencyState(job, s.deps.get(job.name) ?? emptyDependencyState(job.name));
        s.deps.set(job.name, st);
        writes.push(this.store.putDeps(st));
        if (s.schedules.delete(job.name)) writes.push(this.store.deleteSchedule(job.name));
      }
      s.jobs.set(job.name, job);
      await Promise.all(writes);
      this.log.info({ job: job.name, schedule: job.schedule, parents: job.parents }, 'job saved');
      this.tickSoon();
      return { ok: true, value: job, warnings: v.warnings };
    });
  }

  deleteJob(name: string): Promise<OpResult> {
    return this.serial.run(async () => {
      if (!this.state.jobs.has(name)) return notFound(name);
      const errors = removalErrors(this.state.jobs, name);
      if (errors.length > 0) return invalid(errors);
      const now = new Date();
      for (const k of planKillJob(name, this.state.activeRunsOf(name), now, 'user')) {
        const launching = this.launcher.isInFlight(k.runKey) || this.launcher.isUnconfirmed(k.runKey);
        if (k.taskId && (launching || this.state.activeRun(k.runKey)?.status !== 'pending')) this.launcher.killTask(k.taskId, k.run.agentId);
      }
      for (const r of this.state.dropJob(name)) this.launcher.forget(r.runKey);
      await this.store.deleteJob(name);
      this.log.info({ job: name }, 'job deleted');
      this.tickSoon();
      return { ok: true, value: undefined };
    });
  }

  runNow(name: string, args: string[] | undefined): Promise<OpResult<RunRecord>> {
    return this.serial.run(async () => {
      const job = this.state.jobs.get(name);
      if (!job) return notFound(name);
      const now = new Date();
      const plan = planManualRun(job, this.state.activeRunsOf(name), now, args);
      const writes: Array<Promise<unknown>> = [];
      this.applyKills(plan.kills, writes);
      let result: RunRecord | undefined;
      if (plan.record && (await this.store.createRun(plan.record))) {
        this.state.setRun(plan.record);
        this.afterRunEnded(plan.record, writes);
        result = plan.record;
      }
      if (plan.start && (await this.store.createRun(plan.start.run))) {
        this.state.setRun(plan.start.run);
        this.launcher.enqueue(plan.start.run.runKey);
        this.launcher.kick();
        result = plan.start.run;
      }
      await Promise.all(writes);
      this.tickSoon();
      if (!result) return { ok: false, status: 400, message: `a run of ${name} was already started at this instant; try again` };
      return { ok: true, value: result };
    });
  }

  killJob(name: string): Promise<OpResult<number>> {
    return this.serial.run(async () => {
      if (!this.state.jobs.has(name)) return notFound(name);
      const kills = planKillJob(name, this.state.activeRunsOf(name), new Date(), 'user');
      const writes: Array<Promise<unknown>> = [];
      this.applyKills(kills, writes);
      await Promise.all(writes);
      this.tickSoon();
      return { ok: true, value: kills.length };
    });
  }

  markSuccess(name: string): Promise<OpResult> {
    return this.serial.run(async () => {
      if (!this.state.jobs.has(name)) return notFound(name);
      const r = markJobSuccess({ name, now: new Date(), stats: this.state.statsOf(name), jobs: this.state.jobs, dependencyStates: this.state.deps });
      this.state.stats.set(name, r.stats);
      const writes: Array<Promise<unknown>> = [this.store.putStats(name, r.stats)];
      for (const d of r.dependencyStates) {
        this.state.deps.set(d.job, d);
        writes.push(this.store.putDeps(d));
      }
      await Promise.all(writes);
      this.tickSoon();
      return { ok: true, value: undefined };
    });
  }
}

function invalid(errors: FieldError[]): OpResult<never> {
  return { ok: false, status: 400, message: errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; '), errors };
}

function notFound(name: string): OpResult<never> {
  return { ok: false, status: 404, message: `no job named "${name}"` };
}
