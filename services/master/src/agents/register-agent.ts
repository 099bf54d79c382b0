import { Inject, Injectable } from '../nest';
import { AgoraError, RegisterAgent, ShutdownFramework } from '@agora/contracts';
import type { AgentInfo, ParsedRequestOf } from '@agora/contracts';
import { Bus } from '@agora/nats';
import type { Logger } from '@agora/logging';
import { MasterState } from '../registry/master-state';
import { RegistryStore } from '../registry/registry-store';
import { toAgentView } from '../registry/views';
import { ClusterEvents } from '../events/cluster-events';
import { AllocationTrigger } from '../offers/allocation-trigger';
import { OfferBook } from '../offers/offer-book';
import { MasterIdentity } from '../identity';
import { isSubjectSafeId } from '../ids';
import { LOGGER } from '../tokens';
import type { ReplyData } from '../reply-data';
import { TaskAdoption } from './task-adoption';

type Req = ParsedRequestOf<typeof RegisterAgent>;
type Res = ReplyData<typeof RegisterAgent>;

export const AGENT_HEARTBEAT_INTERVAL_SECONDS = 1;

/**
 * RegisterAgent: a first registration gets a new id; a re-registration (agentId set, from the agent's
 * checkpoint) is accepted even when this leader never saw the agent (failover). The tasks it reports are
 * adopted, the registry key is written, and an allocation follows.
 */
@Injectable()
export class RegisterAgentHandler {
  constructor(
    private readonly state: MasterState,
    private readonly identity: MasterIdentity,
    private readonly store: RegistryStore,
    private readonly events: ClusterEvents,
    private readonly adoption: TaskAdoption,
    private readonly offers: OfferBook,
    private readonly allocation: AllocationTrigger,
    private readonly bus: Bus,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async handle(req: Req): Promise<Res> {
    if (req.agentId !== undefined && !isSubjectSafeId(req.agentId)) throw new AgoraError('INVALID_MESSAGE', `agent id "${req.agentId}" is not usable (letters, digits, _ : - only)`);
    for (const r of req.tasks) {
      if (!isSubjectSafeId(r.frameworkId)) throw new AgoraError('INVALID_MESSAGE', `framework id "${r.frameworkId}" of task ${r.task.taskId} is not usable`);
    }
    for (const f of req.frameworks) {
      if (!isSubjectSafeId(f.id)) throw new AgoraError('INVALID_MESSAGE', `framework id "${f.id}" is not usable`);
    }

    const now = Date.now();
    const term = this.state.term;
    let agentId = req.agentId;
    let type: 'ADDED' | 'REREGISTERED' = 'REREGISTERED';
    if (agentId === undefined) {
      type = 'ADDED';
      do agentId = this.identity.agentId(++this.state.agentSeq);
      while (this.state.agents.has(agentId) || this.state.recoveredAgents.has(agentId));
    }
    const info: AgentInfo = { ...req.info, id: agentId };
    const existing = this.state.agents.get(agentId);
    const recovered = this.state.recoveredAgents.get(agentId);
    const wasUnreachable = existing?.status === 'UNREACHABLE';

    let agent = existing;
    if (agent) {
      // Outstanding offers describe the agent as it was; the allocator re-offers what it has now.
      this.offers.rescindAgent(agentId);
      agent.info = info;
      agent.status = 'REGISTERED';
      agent.active = true;
      agent.lastSeen = now;
      agent.reregisteredTime = now;
      agent.unreachableTime = undefined;
    } else {
      agent = this.state.newAgent(info, now, recovered?.registeredTime ?? now);
      if (type === 'REREGISTERED') agent.reregisteredTime = now;
      this.state.recoveredAgents.delete(agentId);
      this.state.agents.set(agentId, agent);
    }
    this.events.agent(type, toAgentView(agent));

    const torn = this.adoption.adopt(agent, req.tasks, req.frameworks, { reregistration: type === 'REREGISTERED', wasUnreachable, now });
    this.state.recomputeAgentUsage(agentId);

    for (const frameworkId of torn) {
      // Tasks of a framework that was torn down while the agent was away: they must go.
      this.bus
        .request(ShutdownFramework, [agentId], { frameworkId }, { timeoutMs: 5000 })
        .catch((e: unknown) => this.log.warn({ agentId, frameworkId, err: String(e) }, 'shutdown of a torn-down framework failed'));
    }

    await this.store.saveAgent(info, agent.registeredTime);
    if (this.state.term !== term) throw new AgoraError('NOT_LEADER', 'leadership changed during registration');
    this.log.info({ agentId, hostname: info.hostname, type, tasks: req.tasks.length }, type === 'ADDED' ? 'agent registered' : 'agent re-registered');
    this.allocation.request();
    return {
      agentId,
      master: this.identity.asLeader(this.state.epoch, this.state.electedAt),
      heartbeatIntervalSeconds: AGENT_HEARTBEAT_INTERVAL_SECONDS,
    };
  }
}
