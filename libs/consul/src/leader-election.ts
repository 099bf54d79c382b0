import type { Logger } from '@agora/logging';
import { ConsulClient } from './consul-client';

export interface LeaderElectionOptions {
  /** The lock key, e.g. kv.leaderLock('master'). */
  key: string;
  /** What the leader writes into the key (its address, as JSON). */
  value: string;
  /** Session TTL; a dead leader's lock frees this long after its last renewal. Default 10 s (Consul's minimum). */
  ttlSeconds?: number;
  /**
   * A Consul check that goes critical soon after this process dies — its catalog entry's TTL check
   * (ServiceRegistration.checkId). The session is bound to it, so a crashed leader's lock frees as soon
   * as that check lapses (a few seconds) instead of one to two session TTLs (10–20 s).
   */
  livenessCheckId?: string;
  onElected: () => void | Promise<void>;
  onDeposed: () => void | Promise<void>;
  /** Called with the value of the key whenever the holder changes (leader or not); undefined while vacant. */
  onLeaderChanged?: (value: string | undefined) => void;
}

/**
 * Consul's leader-election recipe: a session with a TTL, renewed at a third of it (and bound to the
 * process's liveness check when given); `acquire` of the key with the session; contenders block on the
 * key and retry when its session goes away. Lock-delay is 0 so a graceful hand-over is immediate; a
 * crashed leader is replaced when its liveness check lapses, else one TTL after its last renewal.
 */
export class LeaderElection {
  private session: string | undefined;
  private leading = false;
  private stopped = false;
  private renewTimer: NodeJS.Timeout | undefined;
  private abort = new AbortController();
  private lastHolder: string | undefined = '\u0000';

  constructor(
    private readonly consul: ConsulClient,
    private readonly opts: LeaderElectionOptions,
    private readonly log: Logger,
  ) {}

  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    void this.loop();
  }

  private async loop(): Promise<void> {
    let index = 0;
    while (!this.stopped) {
      try {
        if (!this.session) {
          this.session = await this.consul.createSession(this.opts.key, this.opts.ttlSeconds ?? 10, 0, this.opts.livenessCheckId ? [this.opts.livenessCheckId] : []);
          this.startRenewing();
        }
        if (!this.leading) {
          const got = await this.consul.acquire(this.opts.key, this.opts.value, this.session);
          if (got) await this.becomeLeader();
        }
        const { entry, index: next } = await this.consul.watch(this.opts.key, index, 15, this.abort.signal);
        index = next < index ? 0 : next;
        const holderValue = entry?.session ? (entry.value ?? undefined) : undefined;
        if (holderValue !== this.lastHolder) {
          this.lastHolder = holderValue;
          this.opts.onLeaderChanged?.(holderValue);
        }
        if (this.leading && entry?.session !== this.session) await this.loseLeadership('lock no longer held by our session');
      } catch (e) {
        if (this.stopped) break;
        this.log.warn({ err: e instanceof Error ? e.message : String(e), key: this.opts.key }, 'leader election: consul error, retrying');
        if (this.leading) await this.loseLeadership('consul unreachable');
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  private startRenewing(): void {
    const every = ((this.opts.ttlSeconds ?? 10) * 1000) / 3;
    if (this.renewTimer) clearInterval(this.renewTimer);
    this.renewTimer = setInterval(() => {
      const s = this.session;
      if (!s) return;
      this.consul
        .renewSession(s)
        .then(async (alive) => {
          if (!alive && this.session === s) {
            this.session = undefined;
            if (this.leading) await this.loseLeadership('session expired');
            this.abort.abort();
            this.abort = new AbortController();
          }
        })
        .catch((e: unknown) => this.log.warn({ err: String(e) }, 'session renew failed'));
    }, every);
  }

  private async becomeLeader(): Promise<void> {
    this.leading = true;
    this.log.info({ key: this.opts.key }, 'elected leader');
    await this.opts.onElected();
  }

  private async loseLeadership(why: string): Promise<void> {
    if (!this.leading) return;
    this.leading = false;
    this.log.warn({ key: this.opts.key, why }, 'lost leadership');
    await this.opts.onDeposed();
  }

  /** Step down and stop contending; releases the lock so a standby takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    if (this.renewTimer) clearInterval(this.renewTimer);
    const s = this.session;
    this.session = undefined;
    if (this.leading) {
      this.leading = false;
      await this.opts.onDeposed();
    }
    if (s) {
      await this.consul.release(this.opts.key, s).catch(() => undefined);
      await this.consul.destroySession(s).catch(() => undefined);
    }
  }
}
