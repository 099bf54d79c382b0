import { Inject, Injectable } from '../nest';
import type { Logger } from '@agora/logging';
import { AgentHealth } from '../agents/agent-health';
import { FrameworkHealth } from '../frameworks/framework-health';
import { OfferBook } from '../offers/offer-book';
import { MasterUpdates } from '../events/master-updates';
import { MasterState } from '../registry/master-state';
import { CONFIG, LOGGER } from '../tokens';
import type { MasterConfig } from '../config';

export const CHECK_INTERVAL_MS = 1000;

/** The leader's once-a-second checks: agent and framework liveness, offer expiry, master-update resends. */
@Injectable()
export class LeaderTimers {
  private timer: NodeJS.Timeout | undefined;
  private lastTick = 0;

  constructor(
    private readonly state: MasterState,
    private readonly agents: AgentHealth,
    private readonly frameworks: FrameworkHealth,
    private readonly offers: OfferBook,
    private readonly masterUpdates: MasterUpdates,
    @Inject(CONFIG) private readonly cfg: MasterConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  start(): void {
    this.stop();
    this.lastTick = Date.now();
    this.timer = setInterval(() => this.tick(Date.now()), CHECK_INTERVAL_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  tick(now: number): void {
    if (!this.state.leading) return;
    const stalled = now - this.lastTick - CHECK_INTERVAL_MS;
    this.lastTick = now;
    if (stalled > CHECK_INTERVAL_MS) {
      // This process did not run for a while (timers fire before the queued heartbeats are read): nobody
      // could be heard meanwhile, so the silence is ours, not theirs.
      this.log.warn({ stalledMs: stalled }, 'master event loop stalled; liveness clocks shifted');
      for (const a of this.state.agents.values()) a.lastSeen = Math.min(now, a.lastSeen + stalled);
      for (const f of this.state.frameworks.values()) f.lastSeen = Math.min(now, f.lastSeen + stalled);
    }
    for (const [name, step] of [
      ['agents', () => this.agents.tick(now)],
      ['frameworks', () => this.frameworks.tick(now)],
      ['offers', () => this.offers.expire(now, this.cfg.offerTimeoutMs)],
      ['master updates', () => this.masterUpdates.resendDue(now)],
    ] as const) {
      try {
        step();
      } catch (e) {
        this.log.error({ err: e instanceof Error ? e.stack : String(e), step: name }, 'periodic check failed');
      }
    }
  }
}
