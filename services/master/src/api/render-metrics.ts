import type { ClusterState } from '@agora/contracts';
import type { Metrics } from '../metrics';

/**
 * /metrics/snapshot: flat Mesos-style keys. Task gauges count the tasks in each live state now; the
 * terminal ones count transitions since this master was elected (Mesos counts them the same way).
 */
export function renderMetrics(cs: ClusterState | undefined, m: Metrics, elected: boolean, nowMs: number, startTimeSeconds: number): Record<string, number> {
  const out: Record<string, number> = {
    'master/elected': elected ? 1 : 0,
    'master/uptime_secs': Math.max(0, nowMs / 1000 - startTimeSeconds),
    'master/slaves_active': 0,
    'master/slaves_inactive': 0,
    'master/slaves_connected': 0,
    'master/slaves_disconnected': 0,
    'master/slaves_unreachable': 0,
    'master/frameworks_active': 0,
    'master/frameworks_inactive': 0,
    'master/frameworks_connected': 0,
    'master/frameworks_disconnected': 0,
    'master/tasks_staging': 0,
    'master/tasks_starting': 0,
    'master/tasks_running': 0,
    'master/tasks_killing': 0,
    'master/tasks_unreachable': 0,
    'master/tasks_finished': m.terminal.TASK_FINISHED ?? 0,
    'master/tasks_failed': m.terminal.TASK_FAILED ?? 0,
    'master/tasks_killed': m.terminal.TASK_KILLED ?? 0,
    'master/tasks_lost': m.terminal.TASK_LOST ?? 0,
    'master/tasks_error': m.terminal.TASK_ERROR ?? 0,
    'master/tasks_dropped': m.terminal.TASK_DROPPED ?? 0,
    'master/tasks_gone': m.terminal.TASK_GONE ?? 0,
    'master/offers_outstanding': 0,
    'master/offers_sent': m.offersSent,
    'master/offers_declined': m.offersDeclined,
    'master/offers_rescinded': m.offersRescinded,
    'master/offers_accepted': m.offersAccepted,
    'master/tasks_launched': m.tasksLaunched,
    'master/invalid_accepts': m.invalidAccepts,
    'master/status_updates_received': m.statusUpdatesReceived,
    'master/status_updates_forwarded': m.statusUpdatesForwarded,
    'master/slave_removals': m.agentsRemoved,
    'master/frameworks_torn_down': m.frameworksTornDown,
    'master/event_sequence': cs?.eventSequence ?? 0,
    'master/epoch': cs?.master.epoch ?? 0,
    'allocator/allocation_runs': m.allocationRuns,
    'allocator/allocation_run_ms': m.allocationRunMsLast,
    'allocator/allocation_run_ms_total': m.allocationRunMsTotal,
  };
  if (!cs) return out;
  const add = (k: string, n = 1) => (out[k] = (out[k] ?? 0) + n);
  const totals: Record<string, number> = {};
  const used: Record<string, number> = {};
  for (const a of cs.agents) {
    if (a.status === 'UNREACHABLE') add('master/slaves_unreachable');
    else {
      add(a.active ? 'master/slaves_active' : 'master/slaves_inactive');
      add('master/slaves_connected');
    }
    if (a.status === 'UNREACHABLE') continue;
    for (const [k, v] of Object.entries(a.resources.scalars)) totals[k] = (totals[k] ?? 0) + v;
    for (const [k, v] of Object.entries(a.usedResources.scalars)) used[k] = (used[k] ?? 0) + v;
  }
  for (const f of cs.frameworks) {
    add(f.active ? 'master/frameworks_active' : 'master/frameworks_inactive');
    add(f.connected ? 'master/frameworks_connected' : 'master/frameworks_disconnected');
    add('master/offers_outstanding', f.offers.length);
    for (const t of f.tasks) {
      const key = `master/${t.state.replace(/^TASK_/, 'tasks_').toLowerCase()}`;
      if (['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_UNREACHABLE'].includes(t.state)) add(key);
    }
  }
  for (const k of ['cpus', 'mem', 'disk', 'gpus']) {
    const total = totals[k] ?? 0;
    const u = used[k] ?? 0;
    out[`master/${k}_total`] = total;
    out[`master/${k}_used`] = Math.round(u * 1000) / 1000;
    out[`master/${k}_percent`] = total > 0 ? u / total : 0;
  }
  return out;
}
