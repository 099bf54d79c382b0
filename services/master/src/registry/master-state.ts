import { add, emptyResources, isTerminal, subtract } from '@agora/model';
import type { AgentInfo, FrameworkInfo } from '@agora/contracts';
import {
  AgentEntry,
  FrameworkEntry,
  MAX_COMPLETED_FRAMEWORKS,
  MAX_COMPLETED_TASKS,
  OfferEntry,
  RecoveredAgent,
  TaskEntry,
  taskKey,
} from './types';

/**
 * Everything the leading master knows, in memory, plus the bookkeeping that keeps resource accounting
 * consistent: every change of a task's or an offer's existence goes through the methods here, which
 * update the agent's and the framework's `used` / `offered` together.
 */
export class MasterState {
  /** Bumped on every election and deposition, so work started in one term can tell it is stale. */
  term = 0;
  leading = false;
  epoch = 0;
  electedAt: number | undefined;

  agents = new Map<string, AgentEntry>();
  recoveredAgents = new Map<string, RecoveredAgent>();
  frameworks = new Map<string, FrameworkEntry>();
  /** Torn-down frameworks, newest last (bounded); their ids are remembered in tornDown for good. */
  completedFrameworks: FrameworkEntry[] = [];
  tornDown = new Set<string>();
  offers = new Map<string, OfferEntry>();

  agentSeq = 0;
  frameworkSeq = 0;
  offerSeq = 0;

  /** Forget everything (deposed, or about to load the registry as a new leader). */
  reset(): void {
    this.term++;
    this.leading = false;
    this.epoch = 0;
    this.electedAt = undefined;
    this.agents.clear();
    this.recoveredAgents.clear();
    this.frameworks.clear();
    this.completedFrameworks = [];
    this.tornDown.clear();
    this.offers.clear();
  }

  // ------------------------------------------------------------------ construction helpers
  newAgent(info: AgentInfo, now: number, registeredTime = now): AgentEntry {
    return {
      info,
      status: 'REGISTERED',
      active: true,
      registeredTime,
      lastSeen: now,
      used: emptyResources(),
      offered: emptyResources(),
      taskKeys: new Set(),
      offerIds: new Set(),
    };
  }

  newFramework(id: string, info: FrameworkInfo, now: number, opts: { connected: boolean; placeholder: boolean }): FrameworkEntry {
    return {
      id,
      info,
      connected: opts.connected,
      active: opts.connected,
      suppressed: false,
      registeredTime: now,
      lastSeen: now,
      placeholder: opts.placeholder,
      tasks: new Map(),
      completed: [],
      completedIds: new Set(),
      used: emptyResources(),
      offered: emptyResources(),
      offerIds: new Set(),
      filters: new Map(),
    };
  }

  // ------------------------------------------------------------------ tasks
  findTask(frameworkId: string, taskId: string): TaskEntry | undefined {
    return this.frameworks.get(frameworkId)?.tasks.get(taskId);
  }

  findCompletedTask(frameworkId: string, taskId: string): TaskEntry | undefined {
    const fw = this.frameworks.get(frameworkId);
    if (!fw || !fw.completedIds.has(taskId)) return undefined;
    for (let i = fw.completed.length - 1; i >= 0; i--) if (fw.completed[i]?.info.taskId === taskId) return fw.completed[i];
    return undefined;
  }

  /** Adds a non-terminal task as active: its resources count as used on its agent and framework. */
  addActiveTask(fw: FrameworkEntry, task: TaskEntry): void {
    const old = fw.tasks.get(task.info.taskId);
    if (old) this.removeActiveTask(fw, old);
    fw.tasks.set(task.info.taskId, task);
    fw.used = add(fw.used, task.info.resources);
    const agent = this.agents.get(task.agentId);
    if (agent) {
      agent.taskKeys.add(taskKey(fw.id, task.info.taskId));
      agent.used = add(agent.used, task.info.resources);
    }
  }

  removeActiveTask(fw: FrameworkEntry, task: TaskEntry): void {
    if (fw.tasks.get(task.info.taskId) !== task) return;
    fw.tasks.delete(task.info.taskId);
    fw.used = subtract(fw.used, task.info.resources);
    const agent = this.agents.get(task.agentId);
    if (agent && agent.taskKeys.delete(taskKey(fw.id, task.info.taskId))) agent.used = subtract(agent.used, task.info.resources);
  }

  /** A task reached a terminal state: it leaves the active set and frees its resources. */
  completeTask(fw: FrameworkEntry, task: TaskEntry): void {
    this.removeActiveTask(fw, task);
    this.pushCompleted(fw, task);
  }

  pushCompleted(fw: FrameworkEntry, task: TaskEntry): void {
    this.removeCompleted(fw, task.info.taskId);
    fw.completed.push(task);
    fw.completedIds.add(task.info.taskId);
    if (fw.completed.length > MAX_COMPLETED_TASKS) {
      for (const old of fw.completed.splice(0, fw.completed.length - MAX_COMPLETED_TASKS)) fw.completedIds.delete(old.info.taskId);
    }
  }

  removeCompleted(fw: FrameworkEntry, taskId: string): void {
    if (!fw.completedIds.delete(taskId)) return;
    fw.completed = fw.completed.filter((t) => t.info.taskId !== taskId);
  }

  /** Non-terminal tasks running on an agent. */
  tasksOnAgent(agentId: string): Array<{ fw: FrameworkEntry; task: TaskEntry }> {
    const agent = this.agents.get(agentId);
    if (!agent) return [];
    const out: Array<{ fw: FrameworkEntry; task: TaskEntry }> = [];
    for (const fw of this.frameworks.values()) {
      for (const task of fw.tasks.values()) if (task.agentId === agentId) out.push({ fw, task });
    }
    return out;
  }

  /** Recomputes an agent's `used` from the tasks themselves (after re-registration reshuffles them). */
  recomputeAgentUsage(agentId: string): void {
    const agent = this.agents.get(agentId);
    if (!agent) return;
    agent.taskKeys.clear();
    agent.used = emptyResources();
    for (const { fw, task } of this.tasksOnAgent(agentId)) {
      if (isTerminal(task.state)) continue;
      agent.taskKeys.add(taskKey(fw.id, task.info.taskId));
      agent.used = add(agent.used, task.info.resources);
    }
  }

  // ------------------------------------------------------------------ offers
  addOffer(entry: OfferEntry): void {
    const { offer } = entry;
    this.offers.set(offer.id, entry);
    const agent = this.agents.get(offer.agentId);
    if (agent) {
      agent.offerIds.add(offer.id);
      agent.offered = add(agent.offered, offer.resources);
    }
    const fw = this.frameworks.get(offer.frameworkId);
    if (fw) {
      fw.offerIds.add(offer.id);
      fw.offered = add(fw.offered, offer.resources);
    }
  }

  /** Takes an offer out of the books; its resources are free again. */
  removeOffer(offerId: string): OfferEntry | undefined {
    const entry = this.offers.get(offerId);
    if (!entry) return undefined;
    this.offers.delete(offerId);
    const { offer } = entry;
    const agent = this.agents.get(offer.agentId);
    if (agent && agent.offerIds.delete(offerId)) agent.offered = subtract(agent.offered, offer.resources);
    const fw = this.frameworks.get(offer.frameworkId);
    if (fw && fw.offerIds.delete(offerId)) fw.offered = subtract(fw.offered, offer.resources);
    return entry;
  }

  // ------------------------------------------------------------------ frameworks
  /** Moves a framework to the completed list (teardown). Its tasks and offers must already be gone. */
  retireFramework(fw: FrameworkEntry, now: number): void {
    this.frameworks.delete(fw.id);
    fw.active = false;
    fw.connected = false;
    fw.unregisteredTime = now;
    for (const task of [...fw.tasks.values()]) {
      this.removeActiveTask(fw, task);
      this.pushCompleted(fw, task);
    }
    this.tornDown.add(fw.id);
    this.completedFrameworks.push(fw);
    if (this.completedFrameworks.length > MAX_COMPLETED_FRAMEWORKS) this.completedFrameworks.splice(0, this.completedFrameworks.length - MAX_COMPLETED_FRAMEWORKS);
  }
}
