import { launchAllowed, NO_BACKOFF, recordFailure, refresh, type AppDefinition, type BackoffState, type OfferStats, type RejectReason } from '../core';

/** How many declined-offer reason lists are kept per app (the queue's `lastOfferRejections`). */
const KEEP_REJECTIONS = 50;

interface Entry {
  count: number;
  /** Epoch ms since the app has been waiting. */
  since: number;
}

/**
 * Marathon's launch queue: how many tasks each app wants launched now (from the last scheduler pass),
 * its launch backoff after failures, and what happened to the offers it saw.
 */
export class LaunchQueue {
  private readonly entries = new Map<string, Entry>();
  private readonly backoffs = new Map<string, BackoffState>();
  private readonly stats = new Map<string, OfferStats>();

  clear(): void {
    this.entries.clear();
    this.backoffs.clear();
    this.stats.clear();
  }

  /** Replaces the wanted counts; returns the apps that started waiting just now. */
  setWanted(wanted: ReadonlyMap<string, number>, now: number): string[] {
    const fresh: string[] = [];
    for (const id of [...this.entries.keys()]) {
      if (!wanted.has(id)) {
        this.entries.delete(id);
        this.stats.delete(id);
      }
    }
    for (const [id, count] of wanted) {
      const e = this.entries.get(id);
      if (e) e.count = count;
      else {
        this.entries.set(id, { count, since: now });
        fresh.push(id);
      }
    }
    return fresh;
  }

  wanted(appId: string): number {
    return this.entries.get(appId)?.count ?? 0;
  }

  since(appId: string): number | undefined {
    return this.entries.get(appId)?.since;
  }

  waitingApps(): string[] {
    return [...this.entries.keys()];
  }

  /** Launched `n` of the app's wanted tasks (the next pass recounts anyway). */
  took(appId: string, n: number): void {
    const e = this.entries.get(appId);
    if (e) e.count = Math.max(0, e.count - n);
  }

  backoff(app: AppDefinition, now: number): BackoffState {
    const s = refresh(this.backoffs.get(app.id) ?? NO_BACKOFF, app, now);
    if (s.failures === 0) this.backoffs.delete(app.id);
    return s;
  }

  allowed(app: AppDefinition, now: number): boolean {
    return launchAllowed(this.backoff(app, now), now);
  }

  recordFailure(app: AppDefinition, now: number): BackoffState {
    const s = recordFailure(this.backoffs.get(app.id) ?? NO_BACKOFF, app, now);
    this.backoffs.set(app.id, s);
    return s;
  }

  /** A new version or DELETE /v2/queue/{id}/delay. */
  resetDelay(appId: string): void {
    this.backoffs.delete(appId);
  }

  /** The earliest time a delayed app may launch again (to wake the scheduler then). */
  nextDelayEnd(now: number): number | undefined {
    let best: number | undefined;
    for (const [id, s] of this.backoffs) {
      if (!this.entries.has(id) || s.delayUntil === undefined || s.delayUntil <= now) continue;
      if (best === undefined || s.delayUntil < best) best = s.delayUntil;
    }
    return best;
  }

  recordOffer(appId: string, used: boolean, rejections: readonly RejectReason[], nowIso: string): void {
    const s = this.stats.get(appId) ?? { processedOffersCount: 0, unusedOffersCount: 0, lastOfferRejections: [] };
    s.processedOffersCount++;
    if (used) s.lastUsedOfferAt = nowIso;
    else {
      s.unusedOffersCount++;
      s.lastUnusedOfferAt = nowIso;
      s.lastOfferRejections.push([...rejections]);
      if (s.lastOfferRejections.length > KEEP_REJECTIONS) s.lastOfferRejections.shift();
    }
    this.stats.set(appId, s);
  }

  offerStats(appId: string): OfferStats {
    return this.stats.get(appId) ?? { processedOffersCount: 0, unusedOffersCount: 0, lastOfferRejections: [] };
  }
}
