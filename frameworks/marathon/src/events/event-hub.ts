/**
 * Marathon's event bus inside one instance: the scheduler, the health checks and the API publish, the
 * `/v2/events` SSE streams subscribe. Delivery is synchronous and best effort, and ordering across
 * kinds is not promised (Marathon promises none either: clients re-read the API on an event).
 */
export interface MarathonEvent {
  eventType: string;
  timestamp: string;
  [field: string]: unknown;
}

export type EventListener = (e: MarathonEvent) => void;

export class EventHub {
  private readonly listeners = new Set<EventListener>();
  private readonly counts = new Map<string, number>();

  publish(eventType: string, fields: Record<string, unknown>): void {
    const event: MarathonEvent = { ...fields, eventType, timestamp: new Date().toISOString() };
    this.counts.set(eventType, (this.counts.get(eventType) ?? 0) + 1);
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // a broken listener (a closed stream) must not stop the others
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  /** Events published per type since start (for /metrics). */
  published(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}

/** One Server-Sent Events frame, as Marathon writes them: `event: <type>` and the JSON on one data line. */
export function sseFrame(e: MarathonEvent): string {
  return `event: ${e.eventType}\ndata: ${JSON.stringify(e)}\n\n`;
}
