import { Inject, Injectable } from '../nest';
import { ShutdownFramework } from '@agora/contracts';
import type { TaskStatus } from '@agora/contracts';
import { Bus } from '@agora/nats';
import type { Logger } from '@agora/logging';
import { MasterState } from '../registry/master-state';
import { RegistryStore } from '../registry/registry-store';
import { TaskUpdater } from '../registry/task-updater';
import type { FrameworkEntry } from '../registry/types';
import { ClusterEvents } from '../events/cluster-events';
import { FrameworkOutbox } from '../events/framework-outbox';
import { MasterUpdates } from '../events/master-updates';
import { OfferBook } from '../offers/offer-book';
import { AllocationTrigger } from '../offers/allocation-trigger';
import { Metrics } from '../metrics';
import { LOGGER } from '../tokens';

/**
 * Removes a framework for good (its request, or its failover timeout ran out): agents shut its tasks
 * down, its offers are rescinded, its tasks count as killed, and its id is tombstoned so it can never
 * subscribe again.
 */
@Injectable()
export class FrameworkTeardown {
  constructor(
    private readonly state: MasterState,
    private readonly store: RegistryStore,
    private readonly tasks: TaskUpdater,
    private readonly events: ClusterEvents,
    private readonly outbox: FrameworkOutbox,
    private readonly masterUpdates: MasterUpdates,
    private readonly offers: OfferBook,
    private readonly allocation: AllocationTrigger,
    private readonly metrics: Metrics,
    private readonly bus: Bus,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  teardown(fw: FrameworkEntry, reason: string, now: number): void {
    this.log.warn({ frameworkId: fw.id, frameworkName: fw.info.name, reason }, 'tearing down framework');
    this.offers.rescindFramework(fw.id);
    const agentIds = new Set<string>();
    for (const task of [...fw.tasks.values()]) {
      agentIds.add(task.agentId);
      const status: TaskStatus = {
        taskId: task.info.taskId,
        frameworkId: fw.id,
        agentId: task.agentId,
        state: 'TASK_KILLED',
        reason: 'REASON_FRAMEWORK_REMOVED',
        source: 'SOURCE_MASTER',
        message: `framework removed: ${reason}`,
        timestamp: now / 1000,
      };
      this.tasks.apply(fw, task, status);
    }
    for (const agentId of agentIds) {
      if (!this.state.agents.has(agentId)) continue;
      this.bus
        .request(ShutdownFramework, [agentId], { frameworkId: fw.id }, { timeoutMs: 5000 })
        .catch((e: unknown) => this.log.warn({ agentId, frameworkId: fw.id, err: String(e) }, 'ShutdownFramework failed (the agent drops the tasks when it re-registers)'));
    }
    this.masterUpdates.dropFramework(fw.id);
    this.state.retireFramework(fw, now);
    void this.store.tombstoneFramework(fw.id, fw.info, fw.registeredTime, now);
    this.outbox.send(fw.id, { type: 'ERROR', message: `framework ${fw.id} removed: ${reason}` });
    this.outbox.drop(fw.id);
    this.events.framework('REMOVED', fw);
    this.metrics.frameworksTornDown++;
    this.allocation.request();
  }
}
