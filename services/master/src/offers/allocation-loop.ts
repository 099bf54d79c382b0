import { Inject, Injectable } from '../nest';
import type { Logger } from '@agora/logging';
import { allocate } from '../allocator/allocate';
import { MasterState } from '../registry/master-state';
import { Metrics } from '../metrics';
import { CONFIG, LOGGER } from '../tokens';
import type { MasterConfig } from '../config';
import { AllocationTrigger } from './allocation-trigger';
import { buildSnapshot } from './build-snapshot';
import { OfferBook } from './offer-book';

/** Debounce of triggered runs: a burst of frees/registrations costs one allocation, a few ms later. */
export const ALLOCATION_DEBOUNCE_MS = 5;

/**
 * Runs the allocator every `--allocation-interval` and soon after anything that frees resources or
 * adds demand, then turns its decisions into offers.
 */
@Injectable()
export class AllocationLoop {
  private interval: NodeJS.Timeout | undefined;
  private pending: NodeJS.Timeout | undefined;

  constructor(
    private readonly state: MasterState,
    private readonly offers: OfferBook,
    private readonly metrics: Metrics,
    trigger: AllocationTrigger,
    @Inject(CONFIG) private readonly cfg: MasterConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    trigger.connect(() => this.soon());
  }

  start(): void {
    this.stop();
    this.interval = setInterval(() => this.run(), this.cfg.allocationIntervalMs);
    this.soon();
  }

  stop(): void {
    if (this.interval) clearInterval(this.interval);
    if (this.pending) clearTimeout(this.pending);
    this.interval = undefined;
    this.pending = undefined;
  }

  soon(): void {
    if (!this.interval || this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.run();
    }, ALLOCATION_DEBOUNCE_MS);
  }

  run(): void {
    if (!this.state.leading) return;
    const started = performance.now();
    try {
      const now = Date.now();
      this.offers.pruneFilters(now);
      const snapshot = buildSnapshot(this.state.agents.values(), this.state.frameworks.values(), this.cfg.weights, now);
      const decisions = allocate(snapshot, now);
      this.offers.create(decisions, now);
    } catch (e) {
      this.log.error({ err: e instanceof Error ? e.stack : String(e) }, 'allocation run failed');
    }
    const ms = performance.now() - started;
    this.metrics.allocationRuns++;
    this.metrics.allocationRunMsLast = ms;
    this.metrics.allocationRunMsTotal += ms;
  }
}
