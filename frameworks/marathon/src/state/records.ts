import type { AppDefinition, DeploymentPlan } from '../core';

/** A task Marathon launched, as persisted (one key per task) before the launch is sent. */
export interface TaskRecord {
  taskId: string;
  appId: string;
  /** The app version the task was launched from (`version`) and its config version (`lastConfigChangeAt`). */
  version: string;
  configVersion: string;
  agentId: string;
  hostname: string;
  /** Address health checks reach the task at. */
  agentIp: string;
  attributes: Record<string, string>;
  /** Ports by port index, as the task got them in PORT0… */
  ports: number[];
  servicePorts: number[];
  /** ISO 8601. */
  stagedAt: string;
}

/** Group metadata; apps and sub-groups are keys of their own. */
export interface GroupRecord {
  id: string;
  dependencies: string[];
  version?: string;
  enforceRole?: boolean;
}

export interface DeploymentRecord {
  plan: DeploymentPlan;
  /** 0-based index of the step being executed. */
  stepIndex: number;
  /** Epoch ms. */
  startedAt: number;
}

/** What the store holds, as loaded when this instance becomes leader. */
export interface PersistedState {
  frameworkId?: string;
  apps: AppDefinition[];
  /** appId → stored versions. */
  versions: Map<string, AppDefinition[]>;
  groups: GroupRecord[];
  deployments: DeploymentRecord[];
  tasks: TaskRecord[];
}
