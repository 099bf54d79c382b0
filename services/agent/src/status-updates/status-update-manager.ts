import { StatusUpdates } from '@agora/contracts';
import type { Bus } from '@agora/nats';
import { MicroBatcher } from '@agora/nats';
import type { Logger } from '@agora/logging';
import { isTerminal } from '@agora/model';
import type { CheckpointStore } from '../checkpoint/checkpoint-store';
import { PendingUpdate, UpdateQueues } from './update-queues';

/**
 * At-least-once delivery of status updates. Each task's updates form a FIFO (UpdateQueues); its head is
 * published (batched per burst) and republished every `retryMs` until the AgentAck with its uuid comes
 * back; then the next one goes. Queues are checkpointed on every change, so a restart resends.
 */
export class StatusUpdateManager {
  private readonly queues = new UpdateQueues();
  /** uuid → when it was last published. */
  private readonly sentAt = new Map<string, number>();
  private readonly batcher: MicroBatcher<PendingUpdate>;
  private timer: NodeJS.Timeout | undefined;
  private agentId: string | undefined;
  private acked = 0;
  private published = 0;

  constructor(
    private readonly bus: Bus,
    private readonly store: CheckpointStore,
    private readonly retryMs: number,
    private readonly log: Logger,
    /** Called once a task's terminal update is acknowledged: the task may be forgotten. */
    private readonly onTerminalAcked: (frameworkId: string, taskId: string) => void,
  ) {
    this.batcher = new MicroBatcher((items) => this.publish(items), 2, 500);
  }

  /** Loads checkpointed queues (start-up, before any enqueue). */
  restore(): void {
    for (const list of this.store.loadUpdates()) this.queues.restore(list);
    if (this.queues.size) this.log.info({ pending: this.queues.size }, 'restored unacknowledged status updates');
  }

  /** From now on updates go out under this agent id; called after every (re-)registration. */
  connected(agentId: string): void {
    this.agentId = agentId;
    if (!this.timer) {
      this.timer = setInterval(() => this.retry(), Math.max(50, Math.min(this.retryMs, 1000) / 2));
      this.timer.unref();
    }
    this.resendAll();
  }

  enqueue(u: PendingUpdate): void {
    const isHead = this.queues.enqueue(u);
    this.store.writeUpdates(u.frameworkId, u.status.taskId, this.queues.pending(u.frameworkId, u.status.taskId));
    if (isHead) this.send(u);
  }

  ack(frameworkId: string, taskId: string, uuid: string): void {
    const { acked, next } = this.queues.ack(frameworkId, taskId, uuid);
    if (!acked) {
      this.log.debug({ frameworkId, taskId, uuid }, 'ack for an update that is not in flight (duplicate?)');
      return;
    }
    this.acked++;
    this.sentAt.delete(uuid);
    this.store.writeUpdates(frameworkId, taskId, this.queues.pending(frameworkId, taskId));
    if (next) this.send(next);
    else if (isTerminal(acked.status.state)) this.onTerminalAcked(frameworkId, taskId);
  }

  hasPending(frameworkId: string, taskId: string): boolean {
    return this.queues.pending(frameworkId, taskId).length > 0;
  }

  get pendingCount(): number {
    return this.queues.size;
  }

  stats(): { pending: number; published: number; acked: number } {
    return { pending: this.queues.size, published: this.published, acked: this.acked };
  }

  private resendAll(): void {
    for (const h of this.queues.heads()) this.send(h);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.batcher.flush();
  }

  private send(u: PendingUpdate): void {
    if (!this.agentId) return; // not registered yet: `connected` sends every head
    this.sentAt.set(u.status.uuid, Date.now());
    this.batcher.push(u);
  }

  private retry(): void {
    const now = Date.now();
    for (const h of this.queues.heads()) {
      const at = this.sentAt.get(h.status.uuid);
      if (at === undefined || now - at >= this.retryMs) this.send(h);
    }
  }

  private publish(items: PendingUpdate[]): void {
    const agentId = this.agentId;
    if (!agentId) return;
    // a retry tick and a fresh enqueue can put the same head in one burst
    const seen = new Set<string>();
    const updates = items.filter((u) => !seen.has(u.status.uuid) && seen.add(u.status.uuid));
    this.store.flush(); // an update is on disk before anyone can see it
    try {
      this.bus.publish(StatusUpdates, [], { agentId, updates: updates.map((u) => ({ frameworkId: u.frameworkId, status: { ...u.status, agentId } })) });
      this.published += updates.length;
    } catch (e) {
      this.log.warn({ err: String(e) }, 'could not publish status updates; they will be retried');
    }
  }
}
