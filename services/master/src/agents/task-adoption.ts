import { Injectable } from '../nest';
import { isTerminal } from '@agora/model';
import { AgentTaskReportSchema, FrameworkInfoSchema, sandboxPath } from '@agora/contracts';
import type { FrameworkInfo, TaskStatus } from '@agora/contracts';
import type { z } from 'zod';
import { MasterState } from '../registry/master-state';
import { TaskUpdater } from '../registry/task-updater';
import type { AgentEntry, FrameworkEntry, TaskEntry } from '../registry/types';
import { ClusterEvents } from '../events/cluster-events';

type TaskReport = z.output<typeof AgentTaskReportSchema>;

/** A STAGING task younger than this may simply not have reached the agent yet. */
export const LAUNCH_GRACE_MS = 10_000;

/**
 * What an agent reports when it (re-)registers is the truth about what runs there: tasks the master did
 * not know are adopted (with placeholder entries for frameworks that have not re-subscribed), tasks the
 * master had declared lost come back, and tasks the master thought were there but the agent does not
 * know are lost.
 */
@Injectable()
export class TaskAdoption {
  constructor(
    private readonly state: MasterState,
    private readonly tasks: TaskUpdater,
    private readonly events: ClusterEvents,
  ) {}

  /** Returns the ids of torn-down frameworks the agent still runs tasks of. */
  adopt(
    agent: AgentEntry,
    reports: readonly TaskReport[],
    frameworks: ReadonlyArray<{ id: string; info: FrameworkInfo }>,
    ctx: { reregistration: boolean; wasUnreachable: boolean; now: number },
  ): Set<string> {
    const agentId = agent.info.id;
    const torn = new Set<string>();
    const infos = new Map(frameworks.map((f) => [f.id, f.info]));
    const reported = new Set(reports.map((r) => `${r.frameworkId}\u0000${r.task.taskId}`));

    if (ctx.reregistration) this.loseUnreported(agentId, reported, ctx.now);

    for (const r of reports) {
      if (this.state.tornDown.has(r.frameworkId)) {
        torn.add(r.frameworkId);
        continue;
      }
      const fw = this.state.frameworks.get(r.frameworkId) ?? this.placeholder(r.frameworkId, infos.get(r.frameworkId), ctx.now);
      const status = reportedStatus(r, agentId, ctx.now);
      const sandbox = r.sandbox ?? (agent.info.workDir ? sandboxPath(agent.info.workDir, fw.id, r.task.taskId) : undefined);
      const known = fw.tasks.get(r.task.taskId) ?? this.state.findCompletedTask(fw.id, r.task.taskId);

      if (!known) {
        const task: TaskEntry = {
          info: { ...r.task, agentId },
          frameworkId: fw.id,
          agentId,
          state: r.state,
          statuses: [status],
          appliedUuids: status.uuid !== undefined ? [status.uuid] : [],
          createdAt: ctx.now,
        };
        if (sandbox !== undefined) task.sandbox = sandbox;
        if (status.healthy !== undefined) task.healthy = status.healthy;
        if (isTerminal(r.state)) this.state.pushCompleted(fw, task);
        else this.state.addActiveTask(fw, task);
        this.events.task(task, status, agent.info);
        continue;
      }

      const before = known.state;
      const masterGaveUp = (before === 'TASK_LOST' || before === 'TASK_UNREACHABLE') && lastSourceIsMaster(known);
      if (known.agentId !== agentId && fw.tasks.get(known.info.taskId) === known) this.state.removeActiveTask(fw, known);
      known.agentId = agentId;
      known.info = { ...known.info, agentId };
      if (sandbox !== undefined) known.sandbox = sandbox;
      // A status the agent has not delivered yet (uuid unseen) or a state change is news; the rest is a repeat.
      const fresh = status.uuid !== undefined && !known.appliedUuids.includes(status.uuid);
      if (before !== r.state || fresh) this.tasks.apply(fw, known, status);
      else this.events.task(known, status, agent.info);
      if (!isTerminal(r.state) && fw.tasks.get(known.info.taskId) !== known && !isTerminal(before)) {
        // It was active somewhere else (another agent entry): put it back where the agent says it is.
        this.state.addActiveTask(fw, known);
      }
      if (masterGaveUp && r.state !== before) {
        // The framework was told LOST/UNREACHABLE: tell it what really happened.
        const update: TaskStatus = { ...status, source: 'SOURCE_MASTER', timestamp: ctx.now / 1000 };
        delete update.uuid;
        delete update.reason;
        this.tasks.forward(update);
      }
    }
    return torn;
  }

  /** Non-terminal tasks the master places on this agent but the agent does not report. */
  private loseUnreported(agentId: string, reported: ReadonlySet<string>, now: number): void {
    for (const { fw, task } of this.state.tasksOnAgent(agentId)) {
      if (reported.has(`${fw.id}\u0000${task.info.taskId}`)) continue;
      if (task.state === 'TASK_STAGING' && now - task.createdAt < LAUNCH_GRACE_MS) continue;
      const partitionAware = fw.info.capabilities.includes('PARTITION_AWARE');
      this.tasks.masterUpdate(
        fw,
        task,
        partitionAware ? 'TASK_GONE' : 'TASK_LOST',
        'REASON_AGENT_RESTARTED',
        `agent ${agentId} re-registered without task ${task.info.taskId}`,
        true,
        now,
      );
    }
  }

  private placeholder(frameworkId: string, info: FrameworkInfo | undefined, now: number): FrameworkEntry {
    const fw = this.state.newFramework(frameworkId, info ?? FrameworkInfoSchema.parse({ name: frameworkId }), now, { connected: false, placeholder: true });
    fw.unregisteredTime = now;
    this.state.frameworks.set(frameworkId, fw);
    this.events.framework('ADDED', fw);
    return fw;
  }
}

function reportedStatus(r: TaskReport, agentId: string, now: number): TaskStatus {
  if (r.latestStatus && r.latestStatus.state === r.state) return { ...r.latestStatus, agentId, frameworkId: r.frameworkId, taskId: r.task.taskId };
  return { taskId: r.task.taskId, frameworkId: r.frameworkId, agentId, state: r.state, source: 'SOURCE_AGENT', timestamp: now / 1000 };
}

function lastSourceIsMaster(t: TaskEntry): boolean {
  return t.statuses[t.statuses.length - 1]?.source === 'SOURCE_MASTER';
}
