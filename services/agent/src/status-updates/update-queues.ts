import type { TaskStatus } from '@agora/contracts';

/** A status update waiting for its acknowledgement. */
export interface PendingUpdate {
  frameworkId: string;
  status: TaskStatus & { uuid: string };
}

/**
 * Per-task FIFOs of unacknowledged status updates. Only the head of each queue is in flight, so a
 * framework sees a task's updates in order and exactly the head's ack moves the queue on. Pure: no
 * timers, no I/O; the manager around it sends, retries and checkpoints.
 */
export class UpdateQueues {
  private readonly queues = new Map<string, PendingUpdate[]>();

  static key(frameworkId: string, taskId: string): string {
    return `${frameworkId}\u0000${taskId}`;
  }

  /** Appends an update; true when it became the head (nothing of that task was in flight). */
  enqueue(u: PendingUpdate): boolean {
    const key = UpdateQueues.key(u.frameworkId, u.status.taskId);
    const q = this.queues.get(key);
    if (q) {
      q.push(u);
      return false;
    }
    this.queues.set(key, [u]);
    return true;
  }

  /** Restores a checkpointed queue (at start-up). Duplicated uuids are dropped. */
  restore(list: readonly PendingUpdate[]): void {
    const seen = new Set<string>();
    for (const u of list) {
      if (seen.has(u.status.uuid)) continue;
      seen.add(u.status.uuid);
      this.enqueue(u);
    }
  }

  /**
   * Applies an ack. Only the head's uuid counts (a late duplicate ack of an earlier update is ignored).
   * Returns the acknowledged update and the new head, if any.
   */
  ack(frameworkId: string, taskId: string, uuid: string): { acked?: PendingUpdate; next?: PendingUpdate } {
    const key = UpdateQueues.key(frameworkId, taskId);
    const q = this.queues.get(key);
    if (!q || q[0]?.status.uuid !== uuid) return {};
    const acked = q.shift();
    if (q.length === 0) this.queues.delete(key);
    return { acked, next: q[0] };
  }

  head(frameworkId: string, taskId: string): PendingUpdate | undefined {
    return this.queues.get(UpdateQueues.key(frameworkId, taskId))?.[0];
  }

  pending(frameworkId: string, taskId: string): readonly PendingUpdate[] {
    return this.queues.get(UpdateQueues.key(frameworkId, taskId)) ?? [];
  }

  heads(): PendingUpdate[] {
    const out: PendingUpdate[] = [];
    for (const q of this.queues.values()) if (q[0]) out.push(q[0]);
    return out;
  }

  /** Drops a task's queue (its checkpoint is gone for good). */
  drop(frameworkId: string, taskId: string): void {
    this.queues.delete(UpdateQueues.key(frameworkId, taskId));
  }

  get taskCount(): number {
    return this.queues.size;
  }

  get size(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.length;
    return n;
  }
}
