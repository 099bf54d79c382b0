import { isAgoraError, type Offer } from '@agora/contracts';
import type { LaunchTask, SchedulerDriver } from '@agora/framework-sdk';
import type { Logger } from '@agora/logging';
import { chronosTaskSpec, parseTaskId, recordLaunched, recordLocation, type RunRecord, type TaskLocation } from '../core';
import type { ChronosStore } from '../state/chronos-store';
import type { AgentDirectory } from './agent-directory';
import { assignToOffers, type Placeable } from './assign-offers';
import { notBeforeDue, startAtFor } from './launch-ahead';
import type { LeaderState } from './leader-state';
import type { Serial } from './serial';

export interface LauncherDeps {
  log: Logger;
  state: LeaderState;
  store: ChronosStore;
  serial: Serial;
  agents: AgentDirectory;
  /** Offers are wanted this long before the next due time. */
  reviveAheadMs: number;
  /** When the scheduler next has something due (ms since the epoch), null when nothing is. */
  nextDueMs: () => number | null;
  driver: () => SchedulerDriver | undefined;
  frameworkId: () => string | undefined;
}

/**
 * Gets pending runs onto agents: holds the offers, places the runs that wait (most urgent first, spread
 * over the agents), sends one accept per offer, and records where each task went. Offers are wanted only
 * while runs wait or one is due within `reviveAheadMs`; otherwise they are declined and suppressed.
 *
 * A pending run is in one of three places: `launchable` (waiting for an offer), `inFlight` (its accept
 * is on its way), or `unconfirmed` (a previous leader may have launched it: we wait for reconciliation
 * to say whether the master knows the task before launching it again).
 */
export class TaskLauncher {
  private readonly offers = new Map<string, Offer>();
  private readonly launchable = new Set<string>();
  private readonly inFlight = new Set<string>();
  private readonly unconfirmed = new Set<string>();
  /** undefined: unknown (after a (re-)subscription), so the next decision always tells the master. */
  private suppressed: boolean | undefined;
  private demandTimer: NodeJS.Timeout | undefined;
  private confirmTimer: NodeJS.Timeout | undefined;
  private pumping = false;
  private pumpAgain = false;
  private stopped = false;

  constructor(private readonly d: LauncherDeps) {}

  stop(): void {
    this.stopped = true;
    if (this.demandTimer) clearTimeout(this.demandTimer);
    if (this.confirmTimer) clearTimeout(this.confirmTimer);
    this.offers.clear();
  }

  /** A started run (or the next attempt of one) waits for an offer. */
  enqueue(runKey: string): void {
    this.unconfirmed.delete(runKey);
    this.launchable.add(runKey);
  }

  /** A run inherited from a previous leader: launch it only once reconciliation says it never went out. */
  awaitConfirmation(runKey: string): void {
    if (this.inFlight.has(runKey)) return;
    this.launchable.delete(runKey);
    this.unconfirmed.add(runKey);
  }

  /** After `ms`, runs still unconfirmed are launched anyway (the master has had its chance to answer). */
  confirmAfter(ms: number): void {
    if (this.confirmTimer) clearTimeout(this.confirmTimer);
    this.confirmTimer = setTimeout(() => {
      for (const k of this.unconfirmed) this.launchable.add(k);
      this.unconfirmed.clear();
      this.kick();
    }, ms);
    this.confirmTimer.unref();
  }

  isUnconfirmed(runKey: string): boolean {
    return this.unconfirmed.has(runKey);
  }

  isInFlight(runKey: string): boolean {
    return this.inFlight.has(runKey);
  }

  /** The run is no longer waiting: it started, ended, or was killed. */
  forget(runKey: string): void {
    this.launchable.delete(runKey);
    this.unconfirmed.delete(runKey);
  }

  /** Reconciliation says the master never had this pending run's task: launch it now. */
  confirmedNotLaunched(runKey: string): void {
    if (!this.unconfirmed.delete(runKey)) return;
    this.launchable.add(runKey);
  }

  // ------------------------------------------------------------------ offers

  /** A new subscription: old offers are void, and the master's suppression state is unknown. */
  resubscribed(): void {
    this.offers.clear();
    this.suppressed = undefined;
  }

  addOffers(offers: readonly Offer[]): void {
    for (const o of offers) this.offers.set(o.id, o);
    this.kick();
  }

  rescind(offerId: string): void {
    this.offers.delete(offerId);
  }

  disconnected(): void {
    this.offers.clear();
  }

  /** Runs a placement round soon (coalesced). */
  kick(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    setImmediate(() => {
      try {
        this.pump();
      } finally {
        this.pumping = false;
        if (this.pumpAgain) {
          this.pumpAgain = false;
          this.kick();
        }
      }
    });
  }

  private dueSoon(): boolean {
    const due = this.d.nextDueMs();
    return due !== null && due - Date.now() <= this.d.reviveAheadMs;
  }

  private pump(): void {
    const driver = this.d.driver();
    const frameworkId = this.d.frameworkId();
    if (this.stopped || !driver || !frameworkId) return;
    const items: Array<Placeable & { run: RunRecord; highPriority: boolean }> = [];
    for (const key of this.launchable) {
      const run = this.d.state.activeRun(key);
      const job = run ? this.d.state.jobs.get(run.job) : undefined;
      if (!run || !job || run.status !== 'pending' || run.taskId === undefined) {
        this.launchable.delete(key);
        continue;
      }
      items.push({ key, ask: chronosTaskSpec(job, run).ask, constraints: job.constraints, run, highPriority: job.highPriority });
    }
    items.sort((a, b) => Number(b.highPriority) - Number(a.highPriority) || (a.run.scheduledTime < b.run.scheduledTime ? -1 : a.run.scheduledTime > b.run.scheduledTime ? 1 : 0));

    if (items.length > 0 && this.offers.size > 0) {
      const t0 = performance.now();
      const { placements } = assignToOffers(items, [...this.offers.values()]);
      if (items.length >= 50) this.d.log.info({ items: items.length, offers: this.offers.size, placed: placements.reduce((n, p) => n + p.tasks.length, 0), placeMs: Math.round(performance.now() - t0) }, 'large placement');
      for (const p of placements) {
        this.offers.delete(p.offer.id);
        const tasks: LaunchTask[] = [];
        for (const t of p.tasks) {
          const run = this.d.state.activeRun(t.key);
          const job = run ? this.d.state.jobs.get(run.job) : undefined;
          if (!run || !job) continue;
          const { ask: _ask, ...spec } = chronosTaskSpec(job, run);
          // launched ahead of its due time (or still before it): the agent holds the command until then
          tasks.push({ ...spec, ...startAtFor(run, Date.now()), agentId: p.offer.agentId, resources: t.resources });
          this.launchable.delete(t.key);
          this.inFlight.add(t.key);
        }
        if (tasks.length > 0) this.sendLaunch(driver, frameworkId, p.offer, tasks);
      }
    }
    this.updateInterest(driver);
  }

  private sendLaunch(driver: SchedulerDriver, frameworkId: string, offer: Offer, tasks: LaunchTask[]): void {
    const at = new Date();
    const keys = tasks.map((t) => parseTaskId(t.taskId)?.runKey);
    const sent = performance.now();
    void driver
      // refuseSeconds 0: what the tasks leave of the offer comes back at the next allocation, for more runs.
      .launch([offer], tasks, { refuseSeconds: 0 })
      .then(async () => {
        if (tasks.length >= 50) this.d.log.info({ agentId: offer.agentId, tasks: tasks.length, acceptMs: Math.round(performance.now() - sent) }, 'large launch accepted');
        const location = new Map<string, TaskLocation>();
        for (const t of tasks) location.set(t.taskId, await this.d.agents.locate(offer.agentId, frameworkId, t.taskId));
        await this.d.serial.run(() => {
          tasks.forEach((t, i) => this.launched(keys[i], t.taskId, offer.agentId, at, location.get(t.taskId) ?? {}));
        });
      })
      .catch((e: unknown) => this.d.serial.run(() => this.launchFailed(keys, tasks, e)))
      .catch((e: unknown) => this.d.log.error({ err: String(e) }, 'recording a launch failed'))
      .finally(() => this.kick());
    this.d.log.debug({ agentId: offer.agentId, tasks: tasks.length }, 'launching');
  }

  private launched(runKey: string | undefined, taskId: string, agentId: string, at: Date, location: TaskLocation): void {
    if (runKey === undefined) return;
    this.inFlight.delete(runKey);
    const active = this.d.state.activeRun(runKey);
    let updated: RunRecord | undefined;
    if (active && active.taskId === taskId) updated = recordLaunched(active, { taskId, agentId, at: notBeforeDue(active, at), location });
    else {
      const run = active ?? this.d.state.runsOf(runKey.slice(0, runKey.indexOf('@'))).find((r) => r.runKey === runKey);
      const attempt = run?.attempts.find((a) => a.taskId === taskId);
      // Killed, expired or deleted while the launch was on its way (the task never reported an end): stop it.
      if (!attempt?.endedAt) this.killTask(taskId, agentId);
      // A short task may have ended before its launch was acknowledged: keep where its logs are.
      if (run && attempt) updated = recordLocation(run, { taskId, agentId, location });
    }
    if (!updated) return;
    const record = updated;
    this.d.state.setRun(record);
    this.d.store.putRun(record).catch((e: unknown) => this.d.log.warn({ err: String(e), runKey }, 'could not record a launch'));
  }

  private launchFailed(keys: Array<string | undefined>, tasks: readonly LaunchTask[], e: unknown): void {
    const code = isAgoraError(e) ? e.code : 'INTERNAL';
    this.d.log.warn({ code, err: e instanceof Error ? e.message : String(e), tasks: tasks.length }, 'launch failed');
    const existing = code === 'TASK_EXISTS' ? /task (\S+) is already active/.exec(e instanceof Error ? e.message : '')?.[1] : undefined;
    tasks.forEach((t, i) => {
      const key = keys[i];
      if (key === undefined) return;
      this.inFlight.delete(key);
      const run = this.d.state.activeRun(key);
      if (!run || run.status !== 'pending' || run.taskId !== t.taskId) return;
      // The master already has this task (a launch of an earlier leader): its updates will follow.
      if (t.taskId === existing) return;
      // A timeout leaves it open whether the master took the launch: ask before launching again.
      if (code === 'TIMEOUT') {
        this.unconfirmed.add(key);
        this.reconcile([{ taskId: t.taskId, agentId: t.agentId }]);
        this.confirmAfter(15_000);
      } else this.launchable.add(key);
    });
  }

  killTask(taskId: string, agentId?: string): void {
    const driver = this.d.driver();
    if (!driver || !this.d.frameworkId()) return;
    driver.kill(taskId, agentId).catch((e: unknown) => {
      if (!isAgoraError(e, 'UNKNOWN_TASK')) this.d.log.warn({ taskId, err: String(e) }, 'kill failed');
    });
  }

  reconcile(tasks: Array<{ taskId: string; agentId?: string }>): void {
    const driver = this.d.driver();
    if (!driver || !this.d.frameworkId()) return;
    driver.reconcile(tasks).catch((e: unknown) => this.d.log.warn({ err: String(e) }, 'reconciliation request failed'));
  }

  // ------------------------------------------------------------------ suppress / revive

  /** Wants offers while runs wait (or one is due soon); otherwise hands them back and suppresses. */
  private updateInterest(driver: SchedulerDriver): void {
    if (this.demandTimer) clearTimeout(this.demandTimer);
    this.demandTimer = undefined;
    const want = this.launchable.size > 0 || this.inFlight.size > 0 || this.dueSoon();
    if (want) {
      if (this.suppressed !== false) {
        this.suppressed = false;
        driver.revive().catch((e: unknown) => {
          this.suppressed = undefined;
          this.d.log.warn({ err: String(e) }, 'revive failed');
        });
      }
      return;
    }
    if (this.offers.size > 0) {
      const ids = [...this.offers.keys()];
      this.offers.clear();
      driver.decline(ids, { refuseSeconds: 5 }).catch((e: unknown) => this.d.log.debug({ err: String(e) }, 'decline failed'));
    }
    if (this.suppressed !== true) {
      this.suppressed = true;
      driver.suppress().catch((e: unknown) => {
        this.suppressed = undefined;
        this.d.log.warn({ err: String(e) }, 'suppress failed');
      });
    }
    const due = this.d.nextDueMs();
    if (due !== null) {
      this.demandTimer = setTimeout(() => this.kick(), Math.max(0, due - this.d.reviveAheadMs - Date.now()));
      this.demandTimer.unref();
    }
  }
}
