import type { Resources, TaskState } from '@agora/model';
import type { AgentInfo, FrameworkInfo, Offer, TaskInfo, TaskStatus } from '@agora/contracts';

/**
 * The leading master's in-memory model. Times are epoch milliseconds here; views convert them to
 * seconds (Mesos' unit) at the edge.
 */
export interface TaskEntry {
  info: TaskInfo;
  frameworkId: string;
  agentId: string;
  state: TaskState;
  /** Newest last, at most MAX_STATUSES. */
  statuses: TaskStatus[];
  healthy?: boolean;
  sandbox?: string;
  /** uuids of agent updates already applied: a retried update is re-forwarded, never re-applied. */
  appliedUuids: string[];
  /** When the master first learned of the task (launch or adoption). */
  createdAt: number;
}

export type AgentStatus = 'REGISTERED' | 'UNREACHABLE';

export interface AgentEntry {
  info: AgentInfo;
  status: AgentStatus;
  /** Offers are made only from active agents. */
  active: boolean;
  registeredTime: number;
  reregisteredTime?: number;
  lastSeen: number;
  unreachableTime?: number;
  /** Resources of its non-terminal tasks / of its outstanding offers, kept incrementally. */
  used: Resources;
  offered: Resources;
  /** Keys (taskKey) of the non-terminal tasks it runs. */
  taskKeys: Set<string>;
  offerIds: Set<string>;
}

/** An agent from the persisted registry that has not re-registered with this leader yet. */
export interface RecoveredAgent {
  info: AgentInfo;
  registeredTime: number;
}

export interface FrameworkEntry {
  id: string;
  info: FrameworkInfo;
  connected: boolean;
  /** Gets offers only when active (connected and not torn down). */
  active: boolean;
  suppressed: boolean;
  registeredTime: number;
  reregisteredTime?: number;
  unregisteredTime?: number;
  lastSeen: number;
  /**
   * Not subscribed with this leader yet: loaded from the registry after a failover, or known only from an
   * agent's task report. It gets no offers and its calls are answered UNKNOWN_FRAMEWORK until it
   * re-subscribes (which is when the framework reconciles).
   */
  placeholder: boolean;
  tasks: Map<string, TaskEntry>;
  /** Oldest first, bounded to MAX_COMPLETED_TASKS. */
  completed: TaskEntry[];
  /** Task ids in `completed`, for O(1) membership. */
  completedIds: Set<string>;
  used: Resources;
  offered: Resources;
  offerIds: Set<string>;
  /** DECLINE filters: agentId → epoch ms until which that agent is not offered to this framework. */
  filters: Map<string, number>;
}

export interface OfferEntry {
  offer: Offer;
  createdAt: number;
}

export const MAX_STATUSES = 10;
export const MAX_COMPLETED_TASKS = 1000;
export const MAX_COMPLETED_FRAMEWORKS = 100;
export const MAX_APPLIED_UUIDS = 32;

export function taskKey(frameworkId: string, taskId: string): string {
  return `${frameworkId}\u0000${taskId}`;
}

export function splitTaskKey(key: string): { frameworkId: string; taskId: string } {
  const i = key.indexOf('\u0000');
  return { frameworkId: key.slice(0, i), taskId: key.slice(i + 1) };
}
