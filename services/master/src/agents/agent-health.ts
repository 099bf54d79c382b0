import { Inject, Injectable } from '../nest';
import { AgoraError } from '@agora/contracts';
import type { Logger } from '@agora/logging';
import { MasterState } from '../registry/master-state';
import { RegistryStore } from '../registry/registry-store';
import { TaskUpdater } from '../registry/task-updater';
import type { AgentEntry } from '../registry/types';
import { goneAgentView, toAgentView } from '../registry/views';
import { ClusterEvents } from '../events/cluster-events';
import { FrameworkOutbox } from '../events/framework-outbox';
import { OfferBook } from '../offers/offer-book';
import { Metrics } from '../metrics';
import { CONFIG, LOGGER } from '../tokens';
import type { MasterConfig } from '../config';

/**
 * Agent liveness: heartbeats refresh it; an agent silent past --agent-ping-timeout becomes UNREACHABLE
 * (its offers rescinded, its tasks UNREACHABLE or LOST); registry agents that do not re-register within
 * --agent-reregister-timeout of an election are removed.
 */
@Injectable()
export class AgentHealth {
  constructor(
    private readonly state: MasterState,
    private readonly store: RegistryStore,
    private readonly tasks: TaskUpdater,
    private readonly events: ClusterEvents,
    private readonly outbox: FrameworkOutbox,
    private readonly offers: OfferBook,
    private readonly metrics: Metrics,
    @Inject(CONFIG) private readonly cfg: MasterConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  heartbeat(agentId: string): Record<string, never> {
    const agent = this.state.agents.get(agentId);
    if (!agent || agent.status !== 'REGISTERED') throw new AgoraError('UNKNOWN_AGENT', `agent ${agentId} is not registered with this master; re-register`);
    agent.lastSeen = Date.now();
    return {};
  }

  tick(now: number): void {
    for (const agent of this.state.agents.values()) {
      if (agent.status === 'REGISTERED' && now - agent.lastSeen > this.cfg.agentPingTimeoutMs) this.markUnreachable(agent, now);
    }
    const electedAt = this.state.electedAt;
    if (electedAt !== undefined && now - electedAt > this.cfg.agentReregisterTimeoutMs && this.state.recoveredAgents.size > 0) {
      for (const [id, rec] of [...this.state.recoveredAgents]) {
        this.state.recoveredAgents.delete(id);
        void this.store.removeAgent(id);
        this.metrics.agentsRemoved++;
        this.events.agent('REMOVED', goneAgentView(rec));
        this.log.warn({ agentId: id, hostname: rec.info.hostname }, 'agent did not re-register after failover; removed');
      }
    }
  }

  markUnreachable(agent: AgentEntry, now: number): void {
    const agentId = agent.info.id;
    this.log.warn({ agentId, hostname: agent.info.hostname, silentMs: now - agent.lastSeen }, 'agent unreachable');
    agent.status = 'UNREACHABLE';
    agent.active = false;
    agent.unreachableTime = now;
    this.offers.rescindAgent(agentId);
    const affected = new Set<string>();
    for (const { fw, task } of this.state.tasksOnAgent(agentId)) {
      affected.add(fw.id);
      const partitionAware = fw.info.capabilities.includes('PARTITION_AWARE');
      this.tasks.masterUpdate(
        fw,
        task,
        partitionAware ? 'TASK_UNREACHABLE' : 'TASK_LOST',
        'REASON_AGENT_DISCONNECTED',
        `agent ${agentId} (${agent.info.hostname}) is unreachable`,
        true,
        now,
      );
    }
    for (const fid of affected) this.outbox.send(fid, { type: 'FAILURE', agentId });
    this.events.agent('UNREACHABLE', toAgentView(agent));
  }
}
