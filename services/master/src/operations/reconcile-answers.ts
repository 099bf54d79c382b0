import { isTerminal } from '@agora/model';
import type { TaskState } from '@agora/model';
import type { TaskStatus } from '@agora/contracts';

/** What reconciliation needs to know of one task the master has (active or completed). */
export interface KnownTask {
  taskId: string;
  agentId: string;
  state: TaskState;
  latest?: TaskStatus;
}

export interface ReconcileContext {
  frameworkId: string;
  /** Active tasks and completed tasks of the framework, by task id. */
  active: ReadonlyMap<string, KnownTask>;
  completed: ReadonlyMap<string, KnownTask>;
  /** Registry agents that have not re-registered since the failover: their tasks are not known yet. */
  recoveredAgentIds: ReadonlySet<string>;
  nowSeconds: number;
}

/**
 * The answers to a Reconcile (Mesos' reconciliation rules): explicit → one answer per listed task the
 * master can speak for; implicit (empty list) → every non-terminal task. Answers carry no uuid (nothing
 * to acknowledge) and REASON_RECONCILIATION.
 */
export function reconcileAnswers(requested: ReadonlyArray<{ taskId: string; agentId?: string }>, ctx: ReconcileContext): TaskStatus[] {
  if (requested.length === 0) {
    return [...ctx.active.values()].filter((t) => !isTerminal(t.state)).map((t) => answer(t, ctx));
  }
  const out: TaskStatus[] = [];
  const seen = new Set<string>();
  for (const r of requested) {
    if (seen.has(r.taskId)) continue;
    seen.add(r.taskId);
    const known = ctx.active.get(r.taskId) ?? ctx.completed.get(r.taskId);
    if (known) {
      out.push(answer(known, ctx));
      continue;
    }
    // Its agent may still re-register with it: say nothing rather than something wrong.
    const pending = r.agentId !== undefined ? ctx.recoveredAgentIds.has(r.agentId) : ctx.recoveredAgentIds.size > 0;
    if (pending) continue;
    const lost: TaskStatus = {
      taskId: r.taskId,
      frameworkId: ctx.frameworkId,
      state: 'TASK_LOST',
      reason: 'REASON_RECONCILIATION',
      source: 'SOURCE_MASTER',
      message: 'reconciliation: the master does not know this task',
      timestamp: ctx.nowSeconds,
    };
    if (r.agentId !== undefined) lost.agentId = r.agentId;
    out.push(lost);
  }
  return out;
}

function answer(t: KnownTask, ctx: ReconcileContext): TaskStatus {
  const s: TaskStatus = {
    taskId: t.taskId,
    frameworkId: ctx.frameworkId,
    agentId: t.agentId,
    state: t.state,
    reason: 'REASON_RECONCILIATION',
    source: 'SOURCE_MASTER',
    timestamp: t.latest?.timestamp ?? ctx.nowSeconds,
  };
  const l = t.latest;
  if (l?.message !== undefined) s.message = l.message;
  if (l?.healthy !== undefined) s.healthy = l.healthy;
  if (l?.ipAddresses !== undefined) s.ipAddresses = l.ipAddresses;
  if (l?.containerId !== undefined) s.containerId = l.containerId;
  if (l?.exitCode !== undefined) s.exitCode = l.exitCode;
  return s;
}
