import { allApps, emptyGroup, findApp, type AppDefinition, type Group, type ProgressMark } from '../core';
import type { DeploymentRecord, PersistedState } from './records';
import { buildTree } from './tree-state';

/** A deployment being executed, with the bookkeeping of its progress deadline (not persisted). */
export interface LiveDeployment extends DeploymentRecord {
  /** Epoch ms of the last progress (a task became ready, an old one went away, a step finished). */
  lastProgressAt: number;
  mark?: ProgressMark;
  /** Being cancelled (its deletion is on the way to the store): the scheduler must not write it again. */
  cancelling?: boolean;
}

/** Marathon's `lastTaskFailure` of an app. */
export interface TaskFailure {
  appId: string;
  host: string;
  message: string;
  state: string;
  taskId: string;
  timestamp: string;
  version: string;
  slaveId: string;
}

/**
 * The leader's desired state in memory: the group tree with the current app definitions, every stored
 * version, the running deployments. Loaded from the store when this instance is elected; changed only
 * after the store accepted the change.
 */
export class MarathonModel {
  root: Group = emptyGroup();
  readonly versions = new Map<string, Map<string, AppDefinition>>();
  readonly deployments = new Map<string, LiveDeployment>();
  readonly lastFailure = new Map<string, TaskFailure>();
  frameworkId: string | undefined;
  loaded = false;

  load(p: PersistedState, now: number): void {
    this.clear();
    this.root = buildTree(p.groups, p.apps);
    for (const list of p.versions.values()) for (const app of list) this.addVersion(app);
    for (const app of p.apps) this.addVersion(app);
    for (const d of p.deployments) this.deployments.set(d.plan.id, { ...d, lastProgressAt: now });
    this.frameworkId = p.frameworkId;
    this.loaded = true;
  }

  clear(): void {
    this.root = emptyGroup();
    this.versions.clear();
    this.deployments.clear();
    this.lastFailure.clear();
    this.frameworkId = undefined;
    this.loaded = false;
  }

  app(id: string): AppDefinition | undefined {
    return findApp(this.root, id);
  }

  apps(): AppDefinition[] {
    return allApps(this.root);
  }

  addVersion(app: AppDefinition): void {
    let m = this.versions.get(app.id);
    if (!m) this.versions.set(app.id, (m = new Map()));
    m.set(app.version, app);
  }

  /** The definition a task was launched from, falling back to the current one. */
  versionOf(appId: string, version: string): AppDefinition | undefined {
    return this.versions.get(appId)?.get(version) ?? this.app(appId);
  }

  versionList(appId: string): string[] {
    return [...(this.versions.get(appId)?.keys() ?? [])].sort();
  }

  /** Keeps the newest `max` versions in memory; returns the dropped ones (to delete from the store). */
  pruneVersions(appId: string, max: number): string[] {
    const list = this.versionList(appId);
    const drop = list.slice(0, Math.max(0, list.length - max));
    for (const v of drop) this.versions.get(appId)?.delete(v);
    return drop;
  }

  deploymentsOf(appId: string): LiveDeployment[] {
    return [...this.deployments.values()].filter((d) => d.plan.affectedApps.includes(appId));
  }
}
