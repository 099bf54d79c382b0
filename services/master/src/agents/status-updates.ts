import { Inject, Injectable } from '../nest';
import { AgentAck, sandboxPath, StatusUpdates } from '@agora/contracts';
import type { MessageOf, TaskStatus } from '@agora/contracts';
import { Bus } from '@agora/nats';
import type { Logger } from '@agora/logging';
import { MasterState } from '../registry/master-state';
import { TaskUpdater } from '../registry/task-updater';
import { Metrics } from '../metrics';
import { LOGGER } from '../tokens';

type Msg = MessageOf<typeof StatusUpdates>;

/**
 * Status updates from agents (at least once: the agent retries each until acked). Each is applied to its
 * task once (a retried uuid is only re-forwarded) and forwarded to the framework, batched per framework.
 * Updates for frameworks that are gone are acknowledged here so the agent stops retrying.
 */
@Injectable()
export class StatusUpdateHandler {
  constructor(
    private readonly state: MasterState,
    private readonly tasks: TaskUpdater,
    private readonly metrics: Metrics,
    private readonly bus: Bus,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  handle(msg: Msg): void {
    const agent = this.state.agents.get(msg.agentId);
    if (!agent || agent.status !== 'REGISTERED') {
      // Not (or no longer) registered here: it will re-register and retry, and then we listen.
      this.log.debug({ agentId: msg.agentId, n: msg.updates.length }, 'status updates from an unregistered agent ignored');
      return;
    }
    agent.lastSeen = Date.now();
    const directAcks: Array<{ frameworkId: string; taskId: string; uuid: string }> = [];
    for (const { frameworkId, status: raw } of msg.updates) {
      this.metrics.statusUpdatesReceived++;
      const status: TaskStatus = { ...raw, frameworkId, agentId: msg.agentId };
      const fw = this.state.frameworks.get(frameworkId);
      if (!fw) {
        directAcks.push({ frameworkId, taskId: status.taskId, uuid: raw.uuid });
        continue;
      }
      const task = fw.tasks.get(status.taskId) ?? this.state.findCompletedTask(frameworkId, status.taskId);
      if (task && task.agentId === msg.agentId && !task.appliedUuids.includes(raw.uuid)) {
        if (agent.info.workDir) task.sandbox = sandboxPath(agent.info.workDir, frameworkId, status.taskId);
        this.tasks.apply(fw, task, status);
      } else if (!task) {
        this.log.debug({ frameworkId, taskId: status.taskId, agentId: msg.agentId }, 'update for a task the master does not know; forwarded');
      }
      this.tasks.forward(status);
    }
    if (directAcks.length > 0) {
      try {
        this.bus.publish(AgentAck, [msg.agentId], { acks: directAcks });
      } catch (e) {
        this.log.warn({ err: String(e) }, 'could not ack updates of a gone framework');
      }
    }
  }
}
