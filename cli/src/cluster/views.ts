import { agentUrlFromPid, MesosAgent, MesosFramework, MesosState, MesosTask } from './master-state';

/** What `agora node list` shows of one agent (the `--json` form too). */
export interface NodeRow {
  id: string;
  hostname: string;
  url: string | undefined;
  status: string;
  cpus: { used: number; total: number };
  mem: { used: number; total: number };
  disk: { used: number; total: number };
  attributes: Record<string, string | number | boolean>;
}

/** What `agora task list` shows of one task (the `--json` form too). */
export interface TaskRow {
  id: string;
  name: string;
  frameworkId: string;
  framework: string;
  state: string;
  agentId: string;
  host: string | undefined;
  sandbox: string | undefined;
  completed: boolean;
}

/**
 * ACTIVE / INACTIVE (registered, but offers stopped) from Mesos' `active`; Agora's `status` when it says
 * more than "registered" (UNREACHABLE, GONE).
 */
export function agentStatus(agent: MesosAgent): string {
  if (agent.status && agent.status !== 'REGISTERED') return agent.status;
  return agent.active === false ? 'INACTIVE' : 'ACTIVE';
}

export function nodeRows(state: MesosState): NodeRow[] {
  return state.slaves
    .map((a) => ({
      id: a.id,
      hostname: a.hostname,
      url: agentUrlFromPid(a.pid),
      status: agentStatus(a),
      cpus: { used: a.used_resources.cpus ?? 0, total: a.resources.cpus ?? 0 },
      mem: { used: a.used_resources.mem ?? 0, total: a.resources.mem ?? 0 },
      disk: { used: a.used_resources.disk ?? 0, total: a.resources.disk ?? 0 },
      attributes: a.attributes,
    }))
    .sort((x, y) => x.hostname.localeCompare(y.hostname) || x.id.localeCompare(y.id));
}

/**
 * Every task of every framework: running ones, and with `all` the completed ones (and those of
 * completed frameworks) as well. A task id can show up twice across lists (a relaunch with the same id);
 * the live entry wins.
 */
export function taskRows(state: MesosState, all: boolean): TaskRow[] {
  const hosts = new Map(state.slaves.map((a) => [a.id, a.hostname]));
  const rows: TaskRow[] = [];
  const seen = new Set<string>();
  const push = (fw: MesosFramework, t: MesosTask, completed: boolean) => {
    const key = `${fw.id}/${t.id}`;
    if (seen.has(key)) return;
    seen.add(key);
    rows.push({
      id: t.id,
      name: t.name,
      frameworkId: fw.id,
      framework: fw.name,
      state: t.state,
      agentId: t.slave_id,
      host: hosts.get(t.slave_id),
      sandbox: t.sandbox,
      completed,
    });
  };
  for (const fw of state.frameworks) {
    for (const t of fw.tasks) push(fw, t, false);
    for (const t of fw.unreachable_tasks) push(fw, t, false);
  }
  if (all) {
    for (const fw of state.frameworks) for (const t of fw.completed_tasks) push(fw, t, true);
    for (const fw of state.completed_frameworks) {
      for (const t of fw.tasks) push(fw, t, true);
      for (const t of fw.completed_tasks) push(fw, t, true);
    }
  }
  return rows;
}

/**
 * Finds a task by id for `task log`: an exact id, else a unique prefix (ids end in random suffixes
 * nobody types in full). Live tasks are preferred over completed ones with the same id.
 */
export function findTask(state: MesosState, id: string): TaskRow | { error: string } {
  const rows = taskRows(state, true);
  const exact = rows.filter((r) => r.id === id);
  const live = exact.find((r) => !r.completed);
  if (live) return live;
  if (exact[0]) return exact[0];
  const prefixed = rows.filter((r) => r.id.startsWith(id));
  const ids = [...new Set(prefixed.map((r) => r.id))];
  if (ids.length === 1 && prefixed[0]) return prefixed.find((r) => !r.completed) ?? prefixed[0];
  if (ids.length > 1) return { error: `"${id}" matches several tasks: ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ' …' : ''}` };
  return { error: `no task "${id}" (see agora task list --all)` };
}
