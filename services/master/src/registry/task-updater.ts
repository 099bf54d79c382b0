import { Injectable } from '../nest';
import { isTerminal } from '@agora/model';
import type { TaskReason, TaskState } from '@agora/model';
import type { TaskStatus } from '@agora/contracts';
import { MasterState } from './master-state';
import { FrameworkEntry, MAX_APPLIED_UUIDS, MAX_STATUSES, TaskEntry } from './types';
import { ClusterEvents } from '../events/cluster-events';
import { FrameworkOutbox } from '../events/framework-outbox';
import { MasterUpdates } from '../events/master-updates';
import { AllocationTrigger } from '../offers/allocation-trigger';
import { Metrics } from '../metrics';

/**
 * The one place a task changes state: records the status, moves terminal tasks out of the active set
 * (freeing their resources), brings a task the master had given up on back when its agent reports it
 * alive, and publishes the TaskEvent.
 */
@Injectable()
export class TaskUpdater {
  constructor(
    private readonly state: MasterState,
    private readonly events: ClusterEvents,
    private readonly outbox: FrameworkOutbox,
    private readonly masterUpdates: MasterUpdates,
    private readonly metrics: Metrics,
    private readonly allocation: AllocationTrigger,
  ) {}

  apply(fw: FrameworkEntry, task: TaskEntry, incoming: TaskStatus): void {
    const wasActive = fw.tasks.get(task.info.taskId) === task;
    // A health result outlives statuses that carry none (framework-side checks never reach the agent), so
    // the newest status of a running task keeps showing it, as Mesos' state does. The framework still gets
    // the status as it came.
    const status =
      incoming.healthy === undefined && task.healthy !== undefined && incoming.state === 'TASK_RUNNING' ? { ...incoming, healthy: task.healthy } : incoming;
    task.state = status.state;
    task.statuses.push(status);
    if (task.statuses.length > MAX_STATUSES) task.statuses.splice(0, task.statuses.length - MAX_STATUSES);
    if (status.healthy !== undefined) task.healthy = status.healthy;
    if (status.uuid !== undefined) {
      task.appliedUuids.push(status.uuid);
      if (task.appliedUuids.length > MAX_APPLIED_UUIDS) task.appliedUuids.splice(0, task.appliedUuids.length - MAX_APPLIED_UUIDS);
    }
    if (isTerminal(status.state)) {
      if (wasActive) {
        this.state.completeTask(fw, task);
        this.metrics.countTerminal(status.state);
        this.allocation.request();
      }
    } else if (!wasActive && this.state.agents.get(task.agentId)?.status === 'REGISTERED') {
      // The master had declared it lost, but its agent says it runs: it is active again.
      this.state.removeCompleted(fw, task.info.taskId);
      this.state.addActiveTask(fw, task);
    }
    this.events.task(task, status, this.state.agents.get(task.agentId)?.info);
  }

  /**
   * A framework's health result for a running task (TaskHealth). Recorded as a status of the task's
   * current state carrying `healthy` (Mesos' REASON_TASK_HEALTH_CHECK_STATUS_UPDATED, with the addresses
   * of the status before it so address sources keep working) and published as a TaskEvent; not sent back
   * to the framework, which knows. Returns false (and does nothing) when the task's health is already that.
   */
  applyHealth(fw: FrameworkEntry, task: TaskEntry, healthy: boolean, message: string | undefined, now: number): boolean {
    if (task.healthy === healthy) return false;
    const last = task.statuses[task.statuses.length - 1];
    const status: TaskStatus = {
      taskId: task.info.taskId,
      frameworkId: fw.id,
      agentId: task.agentId,
      state: task.state,
      reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED',
      source: 'SOURCE_MASTER',
      healthy,
      // Never older than the status it follows: readers pick the newest status by timestamp.
      timestamp: Math.max(now / 1000, last?.timestamp ?? 0),
    };
    if (message !== undefined) status.message = message;
    if (last?.ipAddresses !== undefined) status.ipAddresses = last.ipAddresses;
    if (last?.containerId !== undefined) status.containerId = last.containerId;
    if (last?.labels !== undefined) status.labels = last.labels;
    this.apply(fw, task, status);
    return true;
  }

  /** Builds, applies and forwards a master-generated update; `reliable` ones carry a uuid and are resent until acked. */
  masterUpdate(
    fw: FrameworkEntry,
    task: TaskEntry,
    state: TaskState,
    reason: TaskReason,
    message: string,
    reliable: boolean,
    now: number,
  ): TaskStatus {
    const status: TaskStatus = {
      taskId: task.info.taskId,
      frameworkId: fw.id,
      agentId: task.agentId,
      state,
      reason,
      source: 'SOURCE_MASTER',
      message,
      timestamp: now / 1000,
    };
    if (reliable) status.uuid = this.masterUpdates.newUuid();
    this.apply(fw, task, status);
    this.forward(status);
    return status;
  }

  /** Sends a status to its framework: reliably when it is a master update with a uuid, once otherwise. */
  forward(status: TaskStatus): void {
    this.metrics.statusUpdatesForwarded++;
    if (status.uuid !== undefined && status.source === 'SOURCE_MASTER') {
      this.masterUpdates.sendReliably({ ...status, uuid: status.uuid }, Date.now());
      return;
    }
    this.masterUpdates.supersede(status.frameworkId, status.taskId);
    this.outbox.send(status.frameworkId, { type: 'UPDATE', status });
  }
}
