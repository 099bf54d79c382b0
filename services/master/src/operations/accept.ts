import { Inject, Injectable } from '../nest';
import { Accept, AgoraError, isAgoraError, LaunchTasks, sandboxPath } from '@agora/contracts';
import type { ParsedRequestOf, TaskStatus } from '@agora/contracts';
import { isEmpty } from '@agora/model';
import { Bus } from '@agora/nats';
import type { Logger } from '@agora/logging';
import { MasterState } from '../registry/master-state';
import { TaskUpdater } from '../registry/task-updater';
import type { FrameworkEntry, TaskEntry } from '../registry/types';
import { ClusterEvents } from '../events/cluster-events';
import { OfferBook } from '../offers/offer-book';
import { AllocationTrigger } from '../offers/allocation-trigger';
import { Metrics } from '../metrics';
import { LOGGER } from '../tokens';
import type { ReplyData } from '../reply-data';
import { validateAccept } from './validate-accept';

const DEFAULT_REFUSE_SECONDS = 5;
export const LAUNCH_TIMEOUT_MS = 10_000;

/**
 * Accept: validated in full first (validate-accept.ts); then the offers are consumed, the tasks become
 * STAGING with their resources used, the rest of the offers returns to the pool behind a filter, and the
 * agent is asked to launch. A failed launch turns into DROPPED/LOST updates for the framework.
 */
@Injectable()
export class AcceptHandler {
  constructor(
    private readonly state: MasterState,
    private readonly tasks: TaskUpdater,
    private readonly events: ClusterEvents,
    private readonly offers: OfferBook,
    private readonly allocation: AllocationTrigger,
    private readonly metrics: Metrics,
    private readonly bus: Bus,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  handle(req: ParsedRequestOf<typeof Accept>): ReplyData<typeof Accept> {
    const now = Date.now();
    const fw = this.state.frameworks.get(req.frameworkId);
    const usable = fw && !fw.placeholder ? fw : undefined;
    const result = validateAccept(req, {
      framework: usable && { connected: usable.connected, hasActiveTask: (id) => usable.tasks.has(id) },
      offer: (id) => this.state.offers.get(id)?.offer,
    });
    if (!result.ok) {
      this.metrics.invalidAccepts++;
      if (result.code === 'UNKNOWN_FRAMEWORK' && this.state.tornDown.has(req.frameworkId)) throw new AgoraError('FRAMEWORK_TORN_DOWN', `framework ${req.frameworkId} was torn down`);
      throw new AgoraError(result.code, result.message);
    }
    if (!usable) throw new AgoraError('UNKNOWN_FRAMEWORK', `framework ${req.frameworkId} is not subscribed`);
    const refuseSeconds = req.filters?.refuseSeconds ?? DEFAULT_REFUSE_SECONDS;
    const { plan } = result;
    if (plan.tasks.length === 0) {
      this.offers.decline(req.frameworkId, plan.offerIds, refuseSeconds, now);
      return { launched: [] };
    }

    const agent = this.state.agents.get(plan.agentId);
    if (!agent) throw new AgoraError('UNKNOWN_OFFER', `the agent of the offers (${plan.agentId}) is gone`);
    for (const id of plan.offerIds) this.state.removeOffer(id);
    this.metrics.offersAccepted += plan.offerIds.length;
    const created: TaskEntry[] = [];
    for (const info of plan.tasks) {
      const status: TaskStatus = {
        taskId: info.taskId,
        frameworkId: usable.id,
        agentId: plan.agentId,
        state: 'TASK_STAGING',
        source: 'SOURCE_MASTER',
        timestamp: now / 1000,
      };
      const task: TaskEntry = {
        info,
        frameworkId: usable.id,
        agentId: plan.agentId,
        state: 'TASK_STAGING',
        statuses: [status],
        appliedUuids: [],
        createdAt: now,
      };
      if (agent.info.workDir) task.sandbox = sandboxPath(agent.info.workDir, usable.id, info.taskId);
      this.state.addActiveTask(usable, task);
      this.events.task(task, status, agent.info);
      created.push(task);
    }
    this.metrics.tasksLaunched += created.length;
    if (!isEmpty(plan.remainder)) this.offers.filter(usable.id, plan.agentId, refuseSeconds, now);
    this.allocation.request();

    const term = this.state.term;
    this.bus
      .request(LaunchTasks, [plan.agentId], { frameworkId: usable.id, framework: usable.info, tasks: plan.tasks }, { timeoutMs: LAUNCH_TIMEOUT_MS, retryForMs: 2000 })
      .catch((e: unknown) => {
        if (this.state.term !== term) return;
        this.launchFailed(usable, created, e);
      });
    this.log.debug({ frameworkId: usable.id, agentId: plan.agentId, tasks: created.length }, 'tasks launched');
    return { launched: plan.tasks.map((t) => t.taskId) };
  }

  private launchFailed(fw: FrameworkEntry, created: readonly TaskEntry[], e: unknown): void {
    const why = isAgoraError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
    this.log.warn({ frameworkId: fw.id, tasks: created.map((t) => t.info.taskId), err: why }, 'launch request to agent failed');
    const partitionAware = fw.info.capabilities.includes('PARTITION_AWARE');
    const now = Date.now();
    for (const task of created) {
      // Only tasks the agent has not reported on since: those it did report are its business now.
      if (fw.tasks.get(task.info.taskId) !== task || task.state !== 'TASK_STAGING') continue;
      const reason = isAgoraError(e, 'NO_LEADER') || isAgoraError(e, 'TIMEOUT') ? 'REASON_AGENT_DISCONNECTED' : 'REASON_CONTAINER_LAUNCH_FAILED';
      this.tasks.masterUpdate(fw, task, partitionAware ? 'TASK_DROPPED' : 'TASK_LOST', reason, `launch on agent ${task.agentId} failed: ${why}`, true, now);
    }
  }
}
