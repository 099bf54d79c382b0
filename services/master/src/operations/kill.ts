import { Inject, Injectable } from '../nest';
import { AgoraError, Kill, KillTask } from '@agora/contracts';
import type { ParsedRequestOf, TaskStatus } from '@agora/contracts';
import { Bus } from '@agora/nats';
import type { Logger } from '@agora/logging';
import { MasterState } from '../registry/master-state';
import { TaskUpdater } from '../registry/task-updater';
import { FrameworkHealth } from '../frameworks/framework-health';
import { LOGGER } from '../tokens';

export const KILL_TIMEOUT_MS = 5000;

/**
 * Kill: an active task's agent is asked to kill it (the outcome arrives as a status update). A task the
 * master does not know gets TASK_LOST (REASON_TASK_UNKNOWN) so the framework stops waiting for it.
 */
@Injectable()
export class KillHandler {
  constructor(
    private readonly state: MasterState,
    private readonly frameworks: FrameworkHealth,
    private readonly tasks: TaskUpdater,
    private readonly bus: Bus,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  handle(req: ParsedRequestOf<typeof Kill>): Record<string, never> {
    const fw = this.frameworks.require(req.frameworkId);
    const task = fw.tasks.get(req.taskId);
    if (task) {
      const agent = this.state.agents.get(task.agentId);
      // An unreachable agent cannot be told; the task is killed if and when the agent comes back and the framework asks again.
      if (!agent || agent.status !== 'REGISTERED') return {};
      const grace = req.gracePeriodSeconds ?? task.info.killPolicy?.gracePeriodSeconds;
      this.bus
        .request(KillTask, [task.agentId], { frameworkId: fw.id, taskId: req.taskId, ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}) }, { timeoutMs: KILL_TIMEOUT_MS, retryForMs: 2000 })
        .catch((e: unknown) => this.log.warn({ frameworkId: fw.id, taskId: req.taskId, agentId: task.agentId, err: String(e) }, 'kill request to agent failed'));
      return {};
    }
    const now = Date.now();
    const done = this.state.findCompletedTask(fw.id, req.taskId);
    if (done) {
      // Already over: repeat how it ended (no uuid: nothing to acknowledge).
      const last = done.statuses[done.statuses.length - 1];
      const status: TaskStatus = { ...(last ?? { source: 'SOURCE_MASTER' as const }), taskId: req.taskId, frameworkId: fw.id, agentId: done.agentId, state: done.state, timestamp: last?.timestamp ?? now / 1000 };
      delete status.uuid;
      this.tasks.forward(status);
      return {};
    }
    const agentPending = req.agentId !== undefined ? this.state.recoveredAgents.has(req.agentId) : this.state.recoveredAgents.size > 0;
    if (!agentPending) {
      const status: TaskStatus = {
        taskId: req.taskId,
        frameworkId: fw.id,
        state: 'TASK_LOST',
        reason: 'REASON_TASK_UNKNOWN',
        source: 'SOURCE_MASTER',
        message: 'the master does not know this task',
        timestamp: now / 1000,
      };
      if (req.agentId !== undefined) status.agentId = req.agentId;
      this.tasks.forward(status);
    }
    throw new AgoraError('UNKNOWN_TASK', `task ${req.taskId} of framework ${fw.id} is not known to the master`);
  }
}
