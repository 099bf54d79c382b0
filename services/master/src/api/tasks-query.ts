import type { ClusterState, TaskView } from '@agora/contracts';

export interface TasksQuery {
  limit: number;
  offset: number;
  order: 'asc' | 'des';
  frameworkId?: string;
  taskId?: string;
}

export const DEFAULT_TASKS_LIMIT = 100;

/** Reads /master/tasks' query string (Mesos: limit=100, offset=0, order=des); bad values fall back to defaults. */
export function parseTasksQuery(q: Record<string, unknown>): TasksQuery {
  const num = (v: unknown, def: number) => {
    const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
    return Number.isSafeInteger(n) ? n : def;
  };
  const out: TasksQuery = {
    limit: num(q.limit, DEFAULT_TASKS_LIMIT),
    offset: num(q.offset, 0),
    order: q.order === 'asc' ? 'asc' : 'des',
  };
  if (typeof q.framework_id === 'string' && q.framework_id) out.frameworkId = q.framework_id;
  if (typeof q.task_id === 'string' && q.task_id) out.taskId = q.task_id;
  return out;
}

/** Every task the master holds (active, unreachable, completed, of live and completed frameworks), filtered, ordered by start, paged. */
export function selectTasks(cs: ClusterState, q: TasksQuery): TaskView[] {
  const all: TaskView[] = [];
  for (const f of [...cs.frameworks, ...cs.completedFrameworks]) {
    if (q.frameworkId !== undefined && f.id !== q.frameworkId) continue;
    for (const t of [...f.tasks, ...f.completedTasks]) if (q.taskId === undefined || t.taskId === q.taskId) all.push(t);
  }
  const start = (t: TaskView) => t.statuses[0]?.timestamp ?? 0;
  all.sort((a, b) => (q.order === 'asc' ? start(a) - start(b) : start(b) - start(a)) || a.taskId.localeCompare(b.taskId));
  return all.slice(q.offset, q.offset + q.limit);
}
