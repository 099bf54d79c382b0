import { randomUUID } from 'node:crypto';
import { Injectable } from '../nest';
import type { TaskStatus } from '@agora/contracts';
import { FrameworkOutbox } from './framework-outbox';
import { taskKey } from '../registry/types';

interface Pending {
  frameworkId: string;
  taskId: string;
  status: TaskStatus;
  sentAt: number;
}

export const MASTER_UPDATE_RESEND_MS = 5000;

/**
 * Status updates the master itself generates with a uuid (agent lost, launch failed …). No agent
 * retries these, so the master keeps each until the framework acknowledges it and resends it every
 * few seconds. Their acks are consumed here and never forwarded to an agent.
 */
@Injectable()
export class MasterUpdates {
  private pending = new Map<string, Pending>();
  /** taskKey → uuid of its pending update (at most one per task: a newer one supersedes). */
  private byTask = new Map<string, string>();

  constructor(private readonly outbox: FrameworkOutbox) {}

  newUuid(): string {
    return randomUUID();
  }

  /** Sends an update that carries a uuid and remembers it until acknowledged. */
  sendReliably(status: TaskStatus & { uuid: string }, now: number): void {
    this.supersede(status.frameworkId, status.taskId);
    this.pending.set(status.uuid, { frameworkId: status.frameworkId, taskId: status.taskId, status, sentAt: now });
    this.byTask.set(taskKey(status.frameworkId, status.taskId), status.uuid);
    this.outbox.send(status.frameworkId, { type: 'UPDATE', status });
  }

  /** True when the uuid was one of ours (and is now settled). */
  ack(uuid: string): boolean {
    const p = this.pending.get(uuid);
    if (!p) return false;
    this.pending.delete(uuid);
    const key = taskKey(p.frameworkId, p.taskId);
    if (this.byTask.get(key) === uuid) this.byTask.delete(key);
    return true;
  }

  isOurs(uuid: string): boolean {
    return this.pending.has(uuid);
  }

  /** A newer update of the task went out: the older master update must not be resent after it. */
  supersede(frameworkId: string, taskId: string): void {
    const uuid = this.byTask.get(taskKey(frameworkId, taskId));
    if (uuid !== undefined) this.ack(uuid);
  }

  dropFramework(frameworkId: string): void {
    for (const [uuid, p] of this.pending) if (p.frameworkId === frameworkId) this.ack(uuid);
  }

  resendDue(now: number): void {
    for (const p of this.pending.values()) {
      if (now - p.sentAt < MASTER_UPDATE_RESEND_MS) continue;
      p.sentAt = now;
      this.outbox.send(p.frameworkId, { type: 'UPDATE', status: p.status });
    }
  }

  get size(): number {
    return this.pending.size;
  }

  clear(): void {
    this.pending.clear();
    this.byTask.clear();
  }
}
