import type { BackoffState } from './backoff';
import { queueDelay } from './backoff';
import type { Explanation } from './explain-unplaceable';
import { REJECT_REASONS, type RejectReason } from './offer-fit';

/**
 * One entry of GET /v2/queue: an app with instances waiting to launch, its backoff delay, what happened
 * to the offers it saw (Marathon's processedOffersSummary) and — Agora's addition — `placement`, the
 * explanation of why it is not placed, per resource and per constraint.
 */

export interface OfferStats {
  processedOffersCount: number;
  unusedOffersCount: number;
  lastUnusedOfferAt?: string;
  lastUsedOfferAt?: string;
  /** For each recently declined offer, the reasons it did not fit. */
  lastOfferRejections: RejectReason[][];
}

/**
 * Marathon's funnel: each offer is declined at the first failing check in the fixed reason order;
 * `processed` counts offers that reached a check, `declined` those that stopped there.
 */
export function rejectSummary(rejections: readonly RejectReason[][]): { reason: RejectReason; declined: number; processed: number }[] {
  let reaching = rejections.length;
  return REJECT_REASONS.map((reason) => {
    const declined = rejections.filter((rs) => firstReason(rs) === reason).length;
    const row = { reason, declined, processed: reaching };
    reaching -= declined;
    return row;
  });
}

function firstReason(rs: readonly RejectReason[]): RejectReason | undefined {
  return REJECT_REASONS.find((r) => rs.includes(r));
}

export interface QueueEntryInput {
  appJson: Record<string, unknown>;
  count: number;
  /** ISO time since the app has been waiting. */
  since: string;
  backoff: BackoffState;
  now: number;
  offers: OfferStats;
  explanation?: Explanation;
}

export function queueEntryJson(input: QueueEntryInput): Record<string, unknown> {
  const summary = rejectSummary(input.offers.lastOfferRejections);
  return {
    app: input.appJson,
    count: input.count,
    delay: queueDelay(input.backoff, input.now),
    since: input.since,
    processedOffersSummary: {
      processedOffersCount: input.offers.processedOffersCount,
      unusedOffersCount: input.offers.unusedOffersCount,
      ...(input.offers.lastUnusedOfferAt !== undefined ? { lastUnusedOfferAt: input.offers.lastUnusedOfferAt } : {}),
      ...(input.offers.lastUsedOfferAt !== undefined ? { lastUsedOfferAt: input.offers.lastUsedOfferAt } : {}),
      rejectSummaryLastOffers: summary,
      rejectSummaryLaunchAttempt: summary,
    },
    ...(input.explanation ? { placement: placementJson(input.explanation) } : {}),
  };
}

export function placementJson(e: Explanation): Record<string, unknown> {
  return {
    placeable: e.placeable,
    summary: e.summary,
    agents: e.agents,
    fittingAgents: e.fitting,
    resources: e.resources,
    constraints: e.constraints.map((c) => ({ constraint: c.constraint, excludes: c.excludes, text: c.text })),
    roleExcludes: e.roleExcludes,
  };
}
