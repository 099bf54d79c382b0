import { Injectable } from '../nest';
import { FrameworkEvent, FrameworkEvents } from '@agora/contracts';
import { Bus, MicroBatcher } from '@agora/nats';

/**
 * Messages to one framework (`agora.framework.<id>.event`). Events pushed in the same burst travel as
 * one FrameworkEvents message per framework, so a wave of status updates costs one publish, not one
 * per task.
 */
@Injectable()
export class FrameworkOutbox {
  private batchers = new Map<string, MicroBatcher<FrameworkEvent>>();

  constructor(private readonly bus: Bus) {}

  send(frameworkId: string, event: FrameworkEvent): void {
    let b = this.batchers.get(frameworkId);
    if (!b) {
      b = new MicroBatcher<FrameworkEvent>((events) => this.publish(frameworkId, events), 2, 500);
      this.batchers.set(frameworkId, b);
    }
    b.push(event);
  }

  /** Publishes at once (one OFFERS message per framework per allocation cycle). */
  sendNow(frameworkId: string, events: FrameworkEvent[]): void {
    if (events.length === 0) return;
    this.batchers.get(frameworkId)?.flush();
    this.publish(frameworkId, events);
  }

  /** Flushes and forgets a framework's batcher (it is gone). */
  drop(frameworkId: string): void {
    this.batchers.get(frameworkId)?.flush();
    this.batchers.delete(frameworkId);
  }

  flushAll(): void {
    for (const b of this.batchers.values()) b.flush();
  }

  clear(): void {
    this.flushAll();
    this.batchers.clear();
  }

  private publish(frameworkId: string, events: FrameworkEvent[]): void {
    try {
      this.bus.publish(FrameworkEvents, [frameworkId], { events });
    } catch {
      // The connection is closing (shutdown): the agent retries its updates with the next leader.
    }
  }
}
