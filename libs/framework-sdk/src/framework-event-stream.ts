import type { Msg, Subscription } from '@nats-io/transport-node';
import { FrameworkEvent, FrameworkEvents } from '@agora/contracts';
import type { Bus } from '@agora/nats';
import type { Logger } from '@agora/logging';

/** Events caught on the wildcard before the master told us our id; a bound on memory in a busy cluster. */
const MAX_BUFFERED = 10_000;
/** How long duplicates can still come in after switching from the wildcard to our own subject. */
const DEDUPE_WINDOW_MS = 10_000;

/**
 * Receives one framework's events (`agora.framework.<id>.event`) without losing the first ones.
 *
 * With a known id the subject is subscribed before Subscribe is sent. A new framework learns its id only
 * from the Subscribe reply, and the master may publish its first offers right after replying, before a
 * subscription made then would reach the NATS server. So until the id is known the stream listens on the
 * wildcard and buffers; once bound it replays what was ours, subscribes to its own subject, and drops the
 * wildcard. While both subscriptions are live a message can arrive twice (once per subscription): for that
 * short window identical payloads are delivered once.
 */
export class FrameworkEventStream {
  private direct: Subscription | undefined;
  private catchAll: Subscription | undefined;
  private frameworkId: string | undefined;
  private mySubject: string | undefined;
  private buffered: { subject: string; events: FrameworkEvent[] }[] = [];
  private dedupe: Set<string> | undefined;
  private dedupeTimer: NodeJS.Timeout | undefined;
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly bus: Bus,
    private readonly deliver: (events: FrameworkEvent[]) => void,
    private readonly log: Logger,
  ) {}

  /** Call before sending Subscribe. */
  async open(frameworkId: string | undefined): Promise<void> {
    if (frameworkId) this.listenDirect(frameworkId);
    else this.catchAll = this.bus.on(FrameworkEvents, FrameworkEvents.wildcard, (m, raw) => this.onMessage(m.events, raw));
    await this.bus.flush();
  }

  /** Call with the id from the Subscribe reply. Idempotent for the same id. */
  async bind(frameworkId: string): Promise<void> {
    if (this.frameworkId === frameworkId && this.direct && !this.catchAll) return;
    if (this.frameworkId !== undefined && this.frameworkId !== frameworkId) {
      // The master answered with another id than the one we listened for: follow the master.
      this.log.warn({ asked: this.frameworkId, got: frameworkId }, 'master assigned a different framework id');
      this.direct?.unsubscribe();
      this.direct = undefined;
    }
    if (!this.catchAll) {
      if (!this.direct) this.listenDirect(frameworkId);
      else this.setId(frameworkId);
      await this.bus.flush();
      return;
    }
    this.setId(frameworkId);
    const mine = this.buffered.filter((b) => b.subject === this.mySubject);
    this.buffered = [];
    for (const b of mine) this.deliver(b.events);
    this.dedupe = new Set();
    this.listenDirect(frameworkId);
    await this.bus.flush();
    this.catchAll.unsubscribe();
    this.catchAll = undefined;
    this.dedupeTimer = setTimeout(() => (this.dedupe = undefined), DEDUPE_WINDOW_MS);
    this.dedupeTimer.unref();
  }

  close(): void {
    this.direct?.unsubscribe();
    this.catchAll?.unsubscribe();
    this.direct = undefined;
    this.catchAll = undefined;
    this.buffered = [];
    if (this.dedupeTimer) clearTimeout(this.dedupeTimer);
    this.dedupe = undefined;
  }

  private setId(frameworkId: string): void {
    this.frameworkId = frameworkId;
    this.mySubject = FrameworkEvents.subject(frameworkId);
  }

  private listenDirect(frameworkId: string): void {
    this.setId(frameworkId);
    this.direct = this.bus.on(FrameworkEvents, FrameworkEvents.subject(frameworkId), (m, raw) => this.onMessage(m.events, raw));
  }

  private onMessage(events: FrameworkEvent[], raw: Msg): void {
    if (this.mySubject === undefined) {
      if (this.buffered.length < MAX_BUFFERED) this.buffered.push({ subject: raw.subject, events });
      else this.log.warn('too many events before subscription completed; dropping');
      return;
    }
    if (raw.subject !== this.mySubject) return;
    if (this.dedupe) {
      // The first copy is delivered, the second (from the other subscription) dropped; deleting keeps it small.
      const fingerprint = this.decoder.decode(raw.data);
      if (this.dedupe.delete(fingerprint)) return;
      this.dedupe.add(fingerprint);
    }
    this.deliver(events);
  }
}
