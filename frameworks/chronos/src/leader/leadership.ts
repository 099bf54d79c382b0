import { randomUUID } from 'node:crypto';
import { ConsulClient, LeaderElection } from '@agora/consul';
import type { Logger } from '@agora/logging';
import type { Bus } from '@agora/nats';
import type { ChronosConfig } from '../config';
import { ChronosScheduler } from '../scheduler/scheduler';
import { LeaderState } from '../scheduler/leader-state';
import { ChronosStore } from '../state/chronos-store';
import { chronosKeys } from '../state/kv-layout';
import { KvWriter } from '../state/kv-writer';

/** What the leader writes into the lock: how the others reach it. */
export interface ChronosInstance {
  id: string;
  url: string;
  ip: string;
  port: number;
  hostname: string;
}

export type LeadershipPhase = 'standby' | 'loading' | 'leading';

/**
 * Chronos' leader election (Consul lock on kv.leaderLock('chronos')). The elected instance loads every
 * job and run from Consul, then schedules; its writes are fenced with the lock's session, so once it is
 * deposed nothing it still has queued reaches Consul. Standbys only track who leads (the API proxies to it).
 */
export class Leadership {
  readonly self: ChronosInstance;
  private election: LeaderElection | undefined;
  private leaderValue: ChronosInstance | undefined;
  private phase: LeadershipPhase = 'standby';
  private scheduler: ChronosScheduler | undefined;
  private writer: KvWriter | undefined;
  /** Bumped on every election and deposition, so a takeover that was overtaken stops. */
  private term = 0;

  constructor(
    private readonly cfg: ChronosConfig,
    private readonly consul: ConsulClient,
    private readonly bus: Bus,
    private readonly log: Logger,
  ) {
    this.self = { id: randomUUID(), url: `http://${cfg.ip}:${cfg.port}`, ip: cfg.ip, port: cfg.port, hostname: cfg.hostname };
  }

  get isLeader(): boolean {
    return this.phase !== 'standby';
  }

  get status(): LeadershipPhase {
    return this.phase;
  }

  /** The scheduler once this instance leads and has loaded its state. */
  get active(): ChronosScheduler | undefined {
    return this.phase === 'leading' ? this.scheduler : undefined;
  }

  /** The current leader (this instance when leading), undefined while nobody is elected. */
  get leader(): ChronosInstance | undefined {
    return this.isLeader ? this.self : this.leaderValue;
  }

  /** Contends for leadership; `livenessCheckId`: this process's catalog check (see LeaderElection). */
  start(livenessCheckId?: string): void {
    this.election = new LeaderElection(
      this.consul,
      {
        key: chronosKeys.leaderLock(),
        value: JSON.stringify(this.self),
        livenessCheckId,
        onElected: () => {
          void this.takeOver(++this.term);
        },
        onDeposed: () => this.stepDown(),
        onLeaderChanged: (value) => {
          this.leaderValue = parseInstance(value);
        },
      },
      this.log,
    );
    this.election.start();
  }

  /** Steps down (releasing the lock, so a standby takes over at once) and stops contending. */
  async stop(): Promise<void> {
    // Finish what is queued while still holding the lock, then hand over.
    const scheduler = this.scheduler;
    if (scheduler) {
      await scheduler.stop().catch(() => undefined);
      await this.writer?.idle();
    }
    await this.election?.stop();
    await this.stepDown();
  }

  private async takeOver(term: number): Promise<void> {
    this.phase = 'loading';
    let delay = 250;
    while (term === this.term) {
      try {
        // The session that holds the lock fences every write of this term.
        const lock = await this.consul.get(chronosKeys.leaderLock());
        if (!lock?.session) throw new Error('the leader lock has no session');
        // Fencing with someone else's session would let two leaders write: the lock must name us.
        if (parseInstance(lock.value ?? undefined)?.id !== this.self.id) throw new Error('the leader lock names another instance');
        const writer = new KvWriter(this.consul.baseUrl, { key: chronosKeys.leaderLock(), session: lock.session }, this.log, {
          retries: 10,
          onFenced: () => {
            if (term === this.term) void this.stepDown();
          },
        });
        const stored = await ChronosStore.load(this.consul, this.log);
        if (term !== this.term) {
          writer.close();
          return;
        }
        const state = LeaderState.from(stored);
        const scheduler = new ChronosScheduler(this.cfg, this.log, this.bus, new ChronosStore(writer), state, stored.frameworkId);
        this.writer = writer;
        this.scheduler = scheduler;
        this.phase = 'leading';
        scheduler.start();
        this.log.info({ jobs: state.jobs.size, activeRuns: state.activeRuns().length, frameworkId: stored.frameworkId }, 'chronos leading');
        return;
      } catch (e) {
        this.log.warn({ err: String(e) }, 'taking over as leader failed; retrying');
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 5000);
      }
    }
  }

  private async stepDown(): Promise<void> {
    this.term++;
    const wasLeading = this.phase !== 'standby';
    this.phase = 'standby';
    const scheduler = this.scheduler;
    const writer = this.writer;
    this.scheduler = undefined;
    this.writer = undefined;
    writer?.close('deposed');
    await scheduler?.stop().catch((e: unknown) => this.log.warn({ err: String(e) }, 'scheduler stop failed'));
    if (wasLeading) this.log.warn('chronos no longer leads');
  }
}

function parseInstance(value: string | undefined): ChronosInstance | undefined {
  if (!value) return undefined;
  try {
    const v = JSON.parse(value) as Partial<ChronosInstance>;
    if (typeof v.url === 'string' && typeof v.id === 'string' && typeof v.ip === 'string' && typeof v.port === 'number') {
      return { id: v.id, url: v.url, ip: v.ip, port: v.port, hostname: typeof v.hostname === 'string' ? v.hostname : v.ip };
    }
  } catch {
    // not ours
  }
  return undefined;
}
