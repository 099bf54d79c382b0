import type { AgentView, FrameworkView, Offer, TaskView } from '@agora/contracts';
import type { AgentEntry, FrameworkEntry, RecoveredAgent, TaskEntry } from './types';

/** Epoch ms → epoch seconds (the unit of every time in the wire views, as in Mesos). */
export function secs(ms: number): number {
  return ms / 1000;
}

export function toTaskView(t: TaskEntry): TaskView {
  const view: TaskView = {
    taskId: t.info.taskId,
    name: t.info.name,
    frameworkId: t.frameworkId,
    agentId: t.agentId,
    state: t.state,
    resources: t.info.resources,
    labels: t.info.labels,
    statuses: t.statuses,
  };
  if (t.info.discovery) view.discovery = t.info.discovery;
  if (t.info.container) view.container = t.info.container;
  if (t.sandbox !== undefined) view.sandbox = t.sandbox;
  if (t.healthy !== undefined) view.healthy = t.healthy;
  return view;
}

export function toAgentView(a: AgentEntry): AgentView {
  const view: AgentView = {
    ...a.info,
    active: a.active,
    status: a.status,
    registeredTime: secs(a.registeredTime),
    usedResources: a.used,
    offeredResources: a.offered,
  };
  if (a.reregisteredTime !== undefined) view.reregisteredTime = secs(a.reregisteredTime);
  return view;
}

/** A registry agent that never came back (removed after the re-register timeout). */
export function goneAgentView(a: RecoveredAgent): AgentView {
  return {
    ...a.info,
    active: false,
    status: 'GONE',
    registeredTime: secs(a.registeredTime),
    usedResources: { scalars: {}, ports: [] },
    offeredResources: { scalars: {}, ports: [] },
  };
}

export type FrameworkSummary = Omit<FrameworkView, 'tasks' | 'completedTasks' | 'offers'>;

export function toFrameworkSummary(f: FrameworkEntry): FrameworkSummary {
  const view: FrameworkSummary = {
    id: f.id,
    info: f.info,
    active: f.active,
    connected: f.connected,
    registeredTime: secs(f.registeredTime),
    offeredResources: f.offered,
    usedResources: f.used,
  };
  if (f.reregisteredTime !== undefined) view.reregisteredTime = secs(f.reregisteredTime);
  if (f.unregisteredTime !== undefined) view.unregisteredTime = secs(f.unregisteredTime);
  return view;
}

export function toFrameworkView(f: FrameworkEntry, offers: readonly Offer[]): FrameworkView {
  return {
    ...toFrameworkSummary(f),
    tasks: [...f.tasks.values()].map(toTaskView),
    completedTasks: f.completed.map(toTaskView),
    offers: [...offers],
  };
}
