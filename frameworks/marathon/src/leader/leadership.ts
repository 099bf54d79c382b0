import { LeaderElection, type ConsulClient } from '@agora/consul';
import type { Logger } from '@agora/logging';
import type { Clock } from '../clock';
import type { MarathonConfig } from '../config';
import type { LaunchQueue } from '../scheduler/launch-queue';
import type { MarathonScheduler } from '../scheduler/marathon-scheduler';
import type { TaskTracker } from '../scheduler/task-tracker';
import { marathonKeys } from '../state/kv-keys';
import type { MarathonStore } from '../state/marathon-store';
import type { MarathonModel } from '../state/model';

/** What an instance writes into the leader lock: where its HTTP API is. */
export interface LeaderAddress {
  host: string;
  port: number;
}

/**
 * Marathon's high availability on Consul's lock recipe (kv.leaderLock('marathon')). The elected
 * instance loads the desired state and its task records from the store and runs the scheduler; the
 * others know who leads (for `/v2/leader` and for proxying HTTP to it). Losing the lock — or a store
 * write that meets another writer's change — stops the scheduler and drops the in-memory state.
 */
export class Leadership {
  private election: LeaderElection | undefined;
  private leading = false;
  private loadedFlag = false;
  private current: LeaderAddress | undefined;
  private stopped = false;
  private rejoinTimer: NodeJS.Timeout | undefined;
  private livenessCheckId: string | undefined;
  private readonly waiters: Array<() => void> = [];

  constructor(
    private readonly cfg: MarathonConfig,
    private readonly consul: ConsulClient,
    private readonly store: MarathonStore,
    private readonly model: MarathonModel,
    private readonly tracker: TaskTracker,
    private readonly queue: LaunchQueue,
    private readonly scheduler: MarathonScheduler,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    scheduler.conflictHandler = () => {
      this.log.error('another instance changed marathon state: stepping down');
      void this.abdicate();
    };
  }

  /** True once elected and the state is loaded. */
  get isLeader(): boolean {
    return this.leading && this.loadedFlag;
  }

  get leaderAddress(): LeaderAddress | undefined {
    if (this.leading) return { host: this.cfg.hostname, port: this.cfg.port };
    return this.current;
  }

  get self(): LeaderAddress {
    return { host: this.cfg.hostname, port: this.cfg.port };
  }

  /** Contends for leadership; `livenessCheckId`: this process's catalog check (see LeaderElection). */
  start(livenessCheckId = this.livenessCheckId): void {
    this.stopped = false;
    this.livenessCheckId = livenessCheckId;
    this.election = new LeaderElection(
      this.consul,
      {
        key: marathonKeys.leaderLock,
        value: JSON.stringify(this.self),
        livenessCheckId,
        onElected: () => this.elected(),
        onDeposed: () => this.deposed(),
        onLeaderChanged: (value) => {
          this.current = parseAddress(value);
          this.log.info({ leader: this.current }, 'marathon leader changed');
          if (this.current) this.wake();
        },
      },
      this.log,
    );
    this.election.start();
  }

  /** Resolves once this instance leads with its state loaded, or once another leader is known (or after `ms`). */
  async settled(ms: number): Promise<void> {
    if (this.isLeader || (!this.leading && this.current)) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** Steps down (DELETE /v2/leader, or a store conflict) and contends again a little later. */
  async abdicate(): Promise<void> {
    const e = this.election;
    this.election = undefined;
    await e?.stop();
    if (this.stopped) return;
    this.rejoinTimer = setTimeout(() => {
      this.rejoinTimer = undefined;
      if (!this.stopped) this.start();
    }, 2000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.rejoinTimer) clearTimeout(this.rejoinTimer);
    const e = this.election;
    this.election = undefined;
    await e?.stop();
  }

  private async elected(): Promise<void> {
    this.leading = true;
    const t0 = Date.now();
    const state = await this.store.load();
    this.model.load(state, this.clock.now());
    this.tracker.clear();
    for (const rec of state.tasks) this.tracker.add(rec);
    for (const app of this.model.apps()) this.clock.observeVersion(app.version);
    for (const list of state.versions.values()) for (const a of list) this.clock.observeVersion(a.version);
    this.loadedFlag = true;
    this.log.info(
      { apps: state.apps.length, tasks: state.tasks.length, deployments: state.deployments.length, frameworkId: state.frameworkId, ms: Date.now() - t0 },
      'elected marathon leader; state loaded',
    );
    this.scheduler.start();
    this.wake();
  }

  private async deposed(): Promise<void> {
    this.leading = false;
    this.loadedFlag = false;
    await this.scheduler.stop();
    this.tracker.clear();
    this.queue.clear();
    this.model.clear();
    this.log.warn('no longer the marathon leader');
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}

function parseAddress(value: string | undefined): LeaderAddress | undefined {
  if (!value) return undefined;
  try {
    const v = JSON.parse(value) as Partial<LeaderAddress>;
    if (typeof v.host === 'string' && typeof v.port === 'number') return { host: v.host, port: v.port };
  } catch {
    // not ours
  }
  return undefined;
}
