import type { AgentEvent, AgentView, ClusterState, FrameworkLifecycleEvent, FrameworkView, MasterInfo, MessageOf, TaskEvent, TaskView } from '@agora/contracts';
import { isTerminal } from '@agora/model';

export type TaskEventMsg = MessageOf<typeof TaskEvent>;
export type AgentEventMsg = MessageOf<typeof AgentEvent>;
export type FrameworkEventMsg = MessageOf<typeof FrameworkLifecycleEvent>;
type FrameworkSummary = FrameworkEventMsg['framework'];

/** What applying an event did: `changed` = the records may differ; `unknown` = it refers to something we do not know (resync). */
export type ApplyResult = 'changed' | 'unchanged' | 'unknown';

interface FrameworkEntry {
  summary: FrameworkSummary;
  tasks: Map<string, TaskView>;
}

/** After a leader change, agents the new leader has not heard from yet keep their tasks this long at most. */
export const CARRY_AGENT_MS = 60_000;
/** Once such an agent re-registers, the tasks it does not report again are dropped after this. */
export const CARRY_TASK_AFTER_REREGISTER_MS = 2_000;

/**
 * The DNS server's copy of the cluster: agents, frameworks and their live tasks, kept from a GetState
 * snapshot plus the cluster events after it. No I/O; time comes in as arguments.
 *
 * Leader failover: a new leader knows agents only once they re-register, so its first snapshot lacks
 * them. Dropping their tasks would make names vanish for the second or two re-registration takes, so
 * agents that were registered before and are missing from a new epoch's snapshot are *carried*: kept,
 * with their tasks, until they re-register (then their tasks are refreshed by the task events that
 * follow), are removed, or CARRY_AGENT_MS passes.
 */
export class ClusterView {
  master: MasterInfo | undefined;
  leader: MasterInfo | undefined;
  startTime = 0;
  /** The epoch the current content comes from (undefined before the first snapshot). */
  epoch: number | undefined;
  readonly agents = new Map<string, AgentView>();
  private readonly frameworks = new Map<string, FrameworkEntry>();
  /** Carried agents → the time they are dropped unless they re-register. */
  private readonly carriedAgents = new Map<string, number>();
  /** Carried tasks (`frameworkId\0taskId`) → agentId and the time they are dropped (Infinity while their agent is carried). */
  private readonly carriedTasks = new Map<string, { agentId: string; until: number }>();

  get loaded(): boolean {
    return this.master !== undefined;
  }

  get carriedCount(): number {
    return this.carriedAgents.size;
  }

  taskCount(): number {
    let n = 0;
    for (const f of this.frameworks.values()) n += f.tasks.size;
    return n;
  }

  /** Replaces the content with a snapshot, carrying agents over when the snapshot is from a new epoch. */
  replace(snapshot: ClusterState, epoch: number, now: number): void {
    const newEpoch = this.epoch !== undefined && epoch !== this.epoch;
    const oldAgents = new Map(this.agents);
    const oldFrameworks = new Map(this.frameworks);
    const oldCarriedAgents = new Map(this.carriedAgents);

    this.master = snapshot.master;
    this.leader = snapshot.leader ?? snapshot.master;
    this.startTime = snapshot.startTime;
    this.epoch = epoch;
    this.agents.clear();
    this.frameworks.clear();
    this.carriedAgents.clear();
    this.carriedTasks.clear();
    for (const a of snapshot.agents) this.agents.set(a.id, a);
    for (const f of snapshot.frameworks) {
      const { tasks, completedTasks: _c, offers: _o, ...summary } = f;
      const before = oldFrameworks.get(f.id)?.tasks;
      const live = tasks.filter((t) => !isTerminal(t.state)).map((t) => keepHealth(before?.get(t.taskId), t));
      this.frameworks.set(f.id, { summary, tasks: new Map(live.map((t) => [t.taskId, t])) });
    }
    if (!newEpoch) return;

    for (const [id, agent] of oldAgents) {
      if (this.agents.has(id) || agent.status !== 'REGISTERED') continue;
      const until = oldCarriedAgents.get(id) ?? now + CARRY_AGENT_MS;
      if (until <= now) continue;
      this.agents.set(id, agent);
      this.carriedAgents.set(id, until);
      for (const [fid, fw] of oldFrameworks) {
        for (const t of fw.tasks.values()) {
          if (t.agentId !== id) continue;
          let entry = this.frameworks.get(fid);
          if (!entry) this.frameworks.set(fid, (entry = { summary: fw.summary, tasks: new Map() }));
          if (entry.tasks.has(t.taskId)) continue;
          entry.tasks.set(t.taskId, t);
          this.carriedTasks.set(`${fid}\u0000${t.taskId}`, { agentId: id, until: Infinity });
        }
      }
    }
  }

  applyTask(msg: TaskEventMsg): ApplyResult {
    const t = msg.task;
    const fw = this.frameworks.get(t.frameworkId);
    if (!fw) return 'unknown';
    const key = `${t.frameworkId}\u0000${t.taskId}`;
    this.carriedTasks.delete(key);
    const before = fw.tasks.get(t.taskId);
    if (isTerminal(t.state)) {
      if (!before) return 'unchanged';
      fw.tasks.delete(t.taskId);
      return before.state === 'TASK_RUNNING' ? 'changed' : 'unchanged';
    }
    fw.tasks.set(t.taskId, keepHealth(before, t));
    // Only running tasks have records; a task moving between other states changes nothing we serve.
    return before?.state === 'TASK_RUNNING' || t.state === 'TASK_RUNNING' ? 'changed' : 'unchanged';
  }

  applyAgent(msg: AgentEventMsg, now: number): ApplyResult {
    const a = msg.agent;
    if (msg.type === 'REMOVED') {
      this.dropAgent(a.id);
      return 'changed';
    }
    this.agents.set(a.id, a);
    if (this.carriedAgents.delete(a.id)) {
      // Its tasks come back as task events right after this one; what it no longer runs goes soon after.
      for (const c of this.carriedTasks.values()) if (c.agentId === a.id) c.until = now + CARRY_TASK_AFTER_REREGISTER_MS;
    }
    return 'changed';
  }

  applyFramework(msg: FrameworkEventMsg): ApplyResult {
    const f = msg.framework;
    if (msg.type === 'REMOVED') {
      const had = this.frameworks.delete(f.id);
      for (const k of [...this.carriedTasks.keys()]) if (k.startsWith(`${f.id}\u0000`)) this.carriedTasks.delete(k);
      return had ? 'changed' : 'unchanged';
    }
    const entry = this.frameworks.get(f.id);
    if (entry) {
      const same = entry.summary.info.name === f.info.name && entry.summary.info.webuiUrl === f.info.webuiUrl && entry.summary.info.hostname === f.info.hostname;
      entry.summary = f;
      return same ? 'unchanged' : 'changed';
    }
    this.frameworks.set(f.id, { summary: f, tasks: new Map() });
    return 'changed';
  }

  /** A leader announced itself: leader.D follows at once, before the new snapshot arrives. */
  applyLeader(leader: MasterInfo): ApplyResult {
    const same = this.leader?.ip === leader.ip && this.leader.port === leader.port && this.leader.hostname === leader.hostname;
    this.leader = leader;
    return same ? 'unchanged' : 'changed';
  }

  /** Drops carried agents and tasks whose time is up; true when anything went. */
  expireCarried(now: number): boolean {
    let changed = false;
    for (const [id, until] of [...this.carriedAgents]) {
      if (until > now) continue;
      this.dropAgent(id);
      changed = true;
    }
    for (const [key, c] of [...this.carriedTasks]) {
      if (c.until > now) continue;
      this.carriedTasks.delete(key);
      const [fid = '', tid = ''] = key.split('\u0000');
      if (this.frameworks.get(fid)?.tasks.delete(tid)) changed = true;
    }
    return changed;
  }

  /** The earliest carry deadline, for the caller's timer. */
  nextCarryDeadline(): number | undefined {
    let next: number | undefined;
    for (const u of this.carriedAgents.values()) if (next === undefined || u < next) next = u;
    for (const c of this.carriedTasks.values()) if (Number.isFinite(c.until) && (next === undefined || c.until < next)) next = c.until;
    return next;
  }

  private dropAgent(id: string): void {
    this.agents.delete(id);
    this.carriedAgents.delete(id);
    for (const [fid, fw] of this.frameworks) {
      for (const [tid, t] of fw.tasks) {
        if (t.agentId !== id) continue;
        fw.tasks.delete(tid);
        this.carriedTasks.delete(`${fid}\u0000${tid}`);
      }
    }
  }

  /** The view as a ClusterState, the input of buildRecordSet. */
  toClusterState(): ClusterState | undefined {
    if (!this.master) return undefined;
    const frameworks: FrameworkView[] = [];
    for (const f of this.frameworks.values()) {
      frameworks.push({ ...f.summary, tasks: [...f.tasks.values()], completedTasks: [], offers: [] });
    }
    const cs: ClusterState = {
      master: this.master,
      startTime: this.startTime,
      eventSequence: 0,
      agents: [...this.agents.values()],
      frameworks,
      completedFrameworks: [],
      flags: {},
    };
    if (this.leader) cs.leader = this.leader;
    return cs;
  }
}

/**
 * A health result outlives a view of the same task that carries none. Within one leader's epoch the master
 * never forgets a result, but a new leader learns tasks from their agents, which do not know results that
 * frameworks run themselves (Marathon's checks); the framework re-reports within seconds. Until then the
 * last known result stands, so health-checked names neither vanish nor reappear across a master failover.
 */
export function keepHealth(before: TaskView | undefined, t: TaskView): TaskView {
  if (before?.healthy === undefined || t.healthy !== undefined || t.statuses.some((s) => s.healthy !== undefined)) return t;
  return { ...t, healthy: before.healthy };
}
