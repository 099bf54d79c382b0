import { Injectable } from '../nest';
import { Decline } from '@agora/contracts';
import type { ParsedRequestOf } from '@agora/contracts';
import { FrameworkHealth } from '../frameworks/framework-health';
import { AllocationTrigger } from './allocation-trigger';
import { OfferBook } from './offer-book';

const DEFAULT_REFUSE_SECONDS = 5;

/** Decline, Revive and Suppress: a framework steering what it is offered. */
@Injectable()
export class OfferCalls {
  constructor(
    private readonly frameworks: FrameworkHealth,
    private readonly offers: OfferBook,
    private readonly allocation: AllocationTrigger,
  ) {}

  /** Offer ids not outstanding for the framework are ignored (they may have been rescinded meanwhile). */
  decline(req: ParsedRequestOf<typeof Decline>): Record<string, never> {
    const fw = this.frameworks.require(req.frameworkId);
    this.offers.decline(fw.id, req.offerIds, req.filters?.refuseSeconds ?? DEFAULT_REFUSE_SECONDS, Date.now());
    return {};
  }

  revive(frameworkId: string): Record<string, never> {
    const fw = this.frameworks.require(frameworkId);
    fw.filters.clear();
    fw.suppressed = false;
    this.allocation.request();
    return {};
  }

  suppress(frameworkId: string): Record<string, never> {
    const fw = this.frameworks.require(frameworkId);
    fw.suppressed = true;
    return {};
  }
}
